//! The facts about members that the document model does not carry but some wire formats need.
//!
//! CBOR sends timestamps as tag 1 and Query/XML as ISO 8601 text, while the document holds epoch seconds;
//! Query sends every scalar as text, so numbers and booleans must be recognised by member name; XML writes
//! maps as `entry`/`key`/`value`. The member names below come from the CloudWatch, SNS and STS API models.

/// Timestamp members (CloudWatch).
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

/// Numeric members (CloudWatch, SNS).
pub const NUMBERS: &[&str] = &[
    "Period",
    "EvaluationPeriods",
    "DatapointsToAlarm",
    "Threshold",
    "MaxRecords",
    "MaxDatapoints",
    "Value",
    "Values",
    "Counts",
    "StorageResolution",
    "SampleCount",
    "Sum",
    "Minimum",
    "Maximum",
];

/// Boolean members.
pub const BOOLEANS: &[&str] = &[
    "ActionsEnabled",
    "ReturnData",
    "ReturnSubscriptionArn",
    "IncludeLinkedAccounts",
];

/// Map members (written as `entry`/`key`/`value` in Query and XML).
pub const MAPS: &[&str] = &["Attributes", "MessageAttributes"];

pub fn is(list: &[&str], key: &str) -> bool {
    list.contains(&key)
}
