//! The model: the emulator's state per account, and within an account per region, as AWS keeps it; one
//! module per service owns that service's types. The model imports nothing above it (no codec, handler or
//! pipeline), so every layer can use it.
//!
//! Everything is plain serializable data, so the whole state can be exported and imported as versioned
//! JSON (`GET/PUT /_orgwatch/state`) and saved to `--state FILE`; the persisted format is this model's, not
//! a wire shape, and [`STATE_VERSION`] versions it. One mutex guards it: operations are short, and a single
//! lock makes "64 writers at once lose nothing" true by construction.

/// One of AWS's closed value sets: a Rust enum that reads and writes AWS's spelling (on the wire and in
/// the persisted state alike), lists it for validation messages, and parses text already validated.
macro_rules! aws_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $wire:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $(#[serde(rename = $wire)] $variant),+
        }

        impl $name {
            /// AWS's spellings, in AWS's order.
            pub const NAMES: &'static [&'static str] = &[$($wire),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $wire),+
                }
            }

            pub fn parse(text: &str) -> Option<$name> {
                match text {
                    $($wire => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.as_str() == other
            }
        }
    };
}

pub mod alarm_rule;
pub mod cloudtrail;
pub mod cloudwatch;
pub mod iam;
pub mod kms;
pub mod logs;
pub mod s3;
pub mod sns;
pub mod sqs;

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Bumped whenever the layout changes incompatibly.
pub const STATE_VERSION: u32 = 1;

#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct State {
    pub version: u32,
    #[serde(default)]
    pub accounts: BTreeMap<String, AccountState>,
    /// S3 buckets by name: one namespace for every account and region.
    #[serde(default)]
    pub buckets: BTreeMap<String, s3::Bucket>,
}

#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct AccountState {
    #[serde(default)]
    pub organization: OrgRole,
    /// Trails by name (names are unique per account across regions).
    #[serde(default)]
    pub trails: BTreeMap<String, cloudtrail::Trail>,
    /// IAM is global: one per account.
    #[serde(default)]
    pub iam: iam::Iam,
    /// CloudWatch dashboards are global too, by name.
    #[serde(default)]
    pub dashboards: BTreeMap<String, cloudwatch::Dashboard>,
    #[serde(default)]
    pub regions: BTreeMap<String, RegionState>,
}

/// This account's place in an AWS organization.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "role", rename_all = "lowercase")]
pub enum OrgRole {
    #[default]
    None,
    Management {
        #[serde(default)]
        organization_id: Option<String>,
    },
    Member {
        management_account: String,
        #[serde(default)]
        organization_id: Option<String>,
    },
}

#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct RegionState {
    #[serde(default)]
    pub log_groups: BTreeMap<String, logs::LogGroup>,
    /// CloudWatch Logs resource policies by name (at most 10 a region).
    #[serde(default)]
    pub logs_policies: BTreeMap<String, logs::ResourcePolicy>,
    /// Vended-logs deliveries: destinations, sources and deliveries, in the order they were made (the
    /// order AWS lists them in, recorded).
    #[serde(default)]
    pub delivery_destinations: Vec<logs::DeliveryDestination>,
    #[serde(default)]
    pub delivery_sources: Vec<logs::DeliverySource>,
    #[serde(default)]
    pub deliveries: Vec<logs::Delivery>,
    #[serde(default)]
    pub alarms: BTreeMap<String, cloudwatch::Alarm>,
    /// Composite alarms by name (their rules over other alarms' states).
    #[serde(default)]
    pub composite_alarms: BTreeMap<String, cloudwatch::CompositeAlarm>,
    #[serde(default)]
    pub alarm_history: Vec<cloudwatch::HistoryItem>,
    #[serde(default)]
    pub metrics: Vec<cloudwatch::Datum>,
    #[serde(default)]
    pub topics: BTreeMap<String, sns::Topic>,
    #[serde(default)]
    pub subscriptions: Vec<sns::Subscription>,
    #[serde(default)]
    pub outbox: Vec<sns::Delivery>,
    /// SNS mobile push: platform applications and their endpoints, by ARN.
    #[serde(default)]
    pub platform_applications: BTreeMap<String, sns::PlatformApplication>,
    #[serde(default)]
    pub platform_endpoints: BTreeMap<String, sns::PlatformEndpoint>,
    /// SNS text messaging: the region's SMS settings (SetSMSAttributes) and the numbers opted out.
    #[serde(default)]
    pub sms_attributes: BTreeMap<String, String>,
    #[serde(default)]
    pub phone_numbers_opted_out: std::collections::BTreeSet<String>,
    #[serde(default)]
    pub tags: BTreeMap<String, BTreeMap<String, String>>,
    #[serde(default)]
    pub kms: kms::Kms,
    /// SQS queues by name.
    #[serde(default)]
    pub queues: BTreeMap<String, sqs::Queue>,
    /// When each recently deleted queue name was deleted (a name is free again after 60 seconds).
    #[serde(default)]
    pub queues_deleted: BTreeMap<String, f64>,
}

impl RegionState {
    /// Confirms a subscription of this region's topics; false when there is no such subscription.
    pub fn confirm_subscription(&mut self, arn: &str) -> bool {
        match self.subscriptions.iter_mut().find(|s| s.arn == arn) {
            Some(s) => {
                s.confirmed = true;
                true
            }
            None => false,
        }
    }
}

impl State {
    pub fn new() -> Self {
        State {
            version: STATE_VERSION,
            accounts: BTreeMap::new(),
            buckets: BTreeMap::new(),
        }
    }

    pub fn account(&mut self, account: &str) -> &mut AccountState {
        self.accounts.entry(account.to_string()).or_default()
    }

    pub fn region(&mut self, account: &str, region: &str) -> &mut RegionState {
        self.account(account)
            .regions
            .entry(region.to_string())
            .or_default()
    }
}

/// The persisted form of the state (the `--state` file and `GET /state`): the model's own serialization,
/// tagged with [`STATE_VERSION`], and never a wire shape. Compact, since the file is rewritten on every
/// acknowledged change.
pub fn encode_state(state: &State) -> serde_json::Result<Vec<u8>> {
    serde_json::to_vec(state)
}

/// Parses exported state, refusing other versions.
pub fn parse_state(bytes: &[u8]) -> Result<State, String> {
    let v: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
    let version = v
        .get("version")
        .and_then(serde_json::Value::as_u64)
        .ok_or("the state has no \"version\"")?;
    if version != u64::from(STATE_VERSION) {
        return Err(format!("state version {version} is not supported (this emulator writes version {STATE_VERSION})"));
    }
    serde_json::from_value(v).map_err(|e| e.to_string())
}
