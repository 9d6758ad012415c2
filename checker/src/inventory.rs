//! What the checker knows about one account: everything collected from the endpoint, and every call that
//! failed. Serializable, so a recorded inventory reproduces a verdict without the endpoint, and tests can
//! build one directly.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A call the credentials could not make (or that failed): it makes the affected link unknown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallError {
    pub operation: String,
    pub code: String,
    pub message: String,
}

impl CallError {
    pub fn is_access_denied(&self) -> bool {
        let c = self.code.to_ascii_lowercase();
        c.contains("accessdenied")
            || c.contains("unauthorized")
            || c == "authorizationerror"
            || c.contains("notauthorized")
    }
}

/// A value that may not have been collected.
pub type Got<T> = Result<T, CallError>;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Inventory {
    pub region: String,
    pub caller: Got<Caller>,
    pub organization: Got<Organization>,
    pub trails: Got<Vec<Trail>>,
    /// By log group ARN (without the `:*` suffix).
    pub log_groups: BTreeMap<String, Got<LogGroup>>,
    /// Alarms by region.
    pub alarms: BTreeMap<String, Got<Vec<Alarm>>>,
    /// Topics by ARN.
    pub topics: BTreeMap<String, Got<Topic>>,
    /// The trails' CloudWatch Logs delivery roles, by ARN.
    #[serde(default)]
    pub roles: BTreeMap<String, Got<Role>>,
    /// KMS keys of log groups and topics, by the id they are named with (an ARN, a key id or an alias)
    /// and the region they were looked up in: `<region>/<id>`.
    #[serde(default)]
    pub keys: BTreeMap<String, Got<Key>>,
    /// The API calls made, by operation (for `--verbose`).
    pub calls: BTreeMap<String, u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Caller {
    pub account: String,
    pub arn: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "role", rename_all = "lowercase")]
pub enum Organization {
    None,
    Management {
        id: String,
    },
    Member {
        id: String,
        management_account: String,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trail {
    pub name: String,
    pub arn: String,
    pub home_region: String,
    pub multi_region: bool,
    pub organization_trail: bool,
    pub log_group_arn: Option<String>,
    pub role_arn: Option<String>,
    pub status: Got<TrailStatus>,
    pub selectors: Got<Selectors>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrailStatus {
    pub is_logging: bool,
    pub delivery_error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Selectors {
    pub classic: Vec<ClassicSelector>,
    pub advanced: Vec<AdvancedSelector>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassicSelector {
    pub read_write_type: String,
    pub include_management_events: bool,
    pub exclude_management_event_sources: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdvancedSelector {
    pub name: Option<String>,
    pub fields: Vec<FieldSelector>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FieldSelector {
    pub field: String,
    pub equals: Vec<String>,
    pub not_equals: Vec<String>,
    pub starts_with: Vec<String>,
    pub not_starts_with: Vec<String>,
    pub ends_with: Vec<String>,
    pub not_ends_with: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogGroup {
    pub name: String,
    pub region: String,
    pub account: String,
    pub exists: bool,
    pub metric_filters: Vec<MetricFilter>,
    /// The KMS key the group is encrypted with.
    #[serde(default)]
    pub kms_key_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricFilter {
    pub name: String,
    pub pattern: String,
    pub metric_name: String,
    pub namespace: String,
    pub value: String,
    pub default_value: Option<f64>,
    pub dimensions: BTreeMap<String, String>,
    pub unit: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alarm {
    pub name: String,
    pub arn: String,
    pub metric_name: Option<String>,
    pub namespace: Option<String>,
    pub statistic: Option<String>,
    pub extended_statistic: Option<String>,
    pub dimensions: BTreeMap<String, String>,
    pub unit: Option<String>,
    pub period: Option<i32>,
    pub evaluation_periods: i32,
    pub datapoints_to_alarm: Option<i32>,
    pub threshold: Option<f64>,
    pub comparison: String,
    pub treat_missing_data: Option<String>,
    pub actions_enabled: bool,
    pub alarm_actions: Vec<String>,
    /// What an alarm notification carries besides the above (a subscription's filter policy may test
    /// them): the description and the other states' actions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ok_actions: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub insufficient_data_actions: Vec<String>,
    /// For a metric-math alarm: the query that returns data, when it is a plain metric.
    pub math: Option<MathAlarm>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MathAlarm {
    /// The returned query's metric, stat and period, when it is a MetricStat.
    pub returned_metric: Option<MetricStatRef>,
    /// The returned query's expression, when it is one.
    pub expression: Option<String>,
}

/// A metric-math query's `MetricStat`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricStatRef {
    pub namespace: String,
    pub name: String,
    pub dimensions: BTreeMap<String, String>,
    pub stat: String,
    pub period: i32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Topic {
    pub arn: String,
    pub exists: bool,
    pub subscriptions: Vec<Subscription>,
    /// The access policy (GetTopicAttributes `Policy`).
    #[serde(default)]
    pub policy: Option<String>,
    /// The KMS key of server-side encryption (`KmsMasterKeyId`).
    #[serde(default)]
    pub kms_master_key_id: Option<String>,
}

/// An IAM role and the permission policies that apply to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Role {
    pub arn: String,
    pub exists: bool,
    /// The trust policy, decoded.
    pub trust_policy: String,
    /// Inline and attached managed policies (their default version), decoded.
    pub policies: Vec<RolePolicy>,
}

/// One permission policy of a role: `inline` with its name, or `managed` with its ARN.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RolePolicy {
    pub kind: String,
    pub name: String,
    pub document: String,
}

/// A KMS key as DescribeKey and GetKeyPolicy show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Key {
    pub arn: String,
    pub exists: bool,
    /// `Enabled`, `Disabled`, `PendingDeletion`, ...
    pub state: String,
    /// `AWS` or `CUSTOMER`.
    pub manager: String,
    pub policy: String,
    pub aliases: Vec<String>,
}

impl Key {
    /// The inventory's key for a key named `id` in `region`.
    pub fn slot(region: &str, id: &str) -> String {
        format!("{region}/{id}")
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Subscription {
    pub arn: String,
    pub protocol: String,
    pub endpoint: String,
    /// A confirmed subscription's filter policy and its scope (GetSubscriptionAttributes `FilterPolicy`,
    /// `FilterPolicyScope`; absent scope means `MessageAttributes`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter_policy: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter_policy_scope: Option<String>,
    /// Why the subscription's attributes could not be read, when they could not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes_error: Option<CallError>,
}

impl Subscription {
    /// CIS: a confirmed subscription has a real ARN, not `PendingConfirmation`.
    pub fn confirmed(&self) -> bool {
        self.arn.starts_with("arn:")
    }
}

/// `arn:aws:<service>:<region>:<account>:<resource>`, split.
pub fn split_arn(arn: &str) -> Option<(String, String, String, String)> {
    let mut p = arn.splitn(6, ':');
    if p.next()? != "arn" {
        return None;
    }
    p.next()?;
    Some((
        p.next()?.to_string(),
        p.next()?.to_string(),
        p.next()?.to_string(),
        p.next()?.to_string(),
    ))
}

/// A log group ARN's region, account and name (a trailing `:*` dropped).
pub fn log_group_of(arn: &str) -> Option<(String, String, String)> {
    let (service, region, account, resource) = split_arn(arn)?;
    if service != "logs" {
        return None;
    }
    let name = resource
        .strip_prefix("log-group:")?
        .trim_end_matches(":*")
        .to_string();
    Some((region, account, name))
}
