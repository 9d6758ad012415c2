//! The facts about *output* members that the output document does not carry but some wire formats need.
//!
//! CBOR writes timestamps as tag 1 and Query/XML as ISO 8601 text, while the output document holds epoch
//! seconds; XML writes maps as `entry`/`key`/`value`. The member names below come from the CloudWatch, SNS
//! and STS API models. Inputs never use these lists: a Query input's leaves are text, typed by the
//! operation's input struct ([`super::query_input`]).

/// Timestamp output members (CloudWatch).
pub const TIMESTAMPS: &[&str] = &[
    "AlarmConfigurationUpdatedTimestamp",
    "StateUpdatedTimestamp",
    "StateTransitionedTimestamp",
    "Timestamp",
    "Timestamps",
    "StartTime",
    "EndTime",
    "StartDate",
    "EndDate",
    "LastModified",
];

/// Map output members (written as `entry`/`key`/`value` in Query and XML).
pub const MAPS: &[&str] = &["Attributes", "MessageAttributes"];

pub fn is(list: &[&str], key: &str) -> bool {
    list.contains(&key)
}
