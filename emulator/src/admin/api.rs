//! The admin API's request and response bodies, shared by the server ([`super`]) and the one client
//! ([`super::client`]), so a renamed field breaks every caller at compile time, not at run time.
//!
//! Every body is JSON in camelCase. An error answer is `{"error": "..."}` with a 4xx or 5xx status.

use crate::model::sns::Delivery;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub use crate::faults::{Fault, FaultKind};
pub use crate::pipeline::http::Attempt;
pub use crate::pipeline::trail::{Summary as DeliverySummary, Written};

/// The path every admin route is under.
pub const PREFIX: &str = "/_orgwatch";

/// `GET /health`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Health {
    /// `ready`.
    pub status: String,
    pub version: String,
    /// Every operation each service serves.
    pub services: BTreeMap<String, Vec<String>>,
    pub virtual_clock: bool,
}

/// `GET /clock`, and the answer of `POST /clock` and `POST /clock/advance` (without `iso`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Clock {
    /// Epoch seconds.
    pub now: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iso: Option<String>,
    #[serde(rename = "virtual")]
    pub is_virtual: bool,
}

/// `POST /clock`: one of the two.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SetClock {
    /// Epoch seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub now: Option<f64>,
    /// RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iso: Option<String>,
}

/// `POST /clock/advance`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Advance {
    pub seconds: f64,
}

/// An account's place in an organization, as the admin API names it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    #[default]
    None,
    Management,
    Member,
}

/// `POST /organizations`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SetOrganization {
    pub account: String,
    pub role: Role,
    /// Required for a member.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub management_account: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
}

/// `POST /sns/confirm`: what a subscriber's click on the SubscribeURL does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Confirm {
    pub subscription_arn: String,
}

/// `POST /cloudtrail/delivery-error`: sets (or, with no `error`, clears) a trail's CloudWatch Logs
/// delivery error, which stops the trail from delivering.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeliveryError {
    /// The default account when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    pub trail: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// One message in `GET /sns/outbox`: what SNS sent, and the account and region of the topic.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OutboxMessage {
    #[serde(flatten)]
    pub delivery: Delivery,
    pub account: String,
    pub region: String,
}

/// `GET /sns/outbox[?topic=ARN]`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Outbox {
    pub messages: Vec<OutboxMessage>,
}

/// `GET /sns/deliveries`: every POST to an HTTP/HTTPS subscriber, oldest first.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Deliveries {
    pub attempts: Vec<Attempt>,
}

/// One operation served, in `GET /requests`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Served {
    pub service: String,
    pub operation: String,
    pub account: String,
    pub region: String,
    /// How long the emulator took over the request, from decoding it to the answer encoded, in µs.
    #[serde(default)]
    pub micros: u64,
}

/// `GET /requests`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Requests {
    pub requests: Vec<Served>,
}

/// `GET /faults`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Faults {
    pub faults: Vec<Fault>,
}

/// An error answer.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: String,
}
