//! Service logic: one module per service, one typed handler per operation, protocol-agnostic.
//!
//! Each service declares its operations in one `operations!` table, its errors in one `service_errors!`
//! enum (AWS's shape names, statuses and Query codes), and its output shapes in its `output` module.
//! [`dispatch`] routes `(service, operation)` to the service's table; [`handler::run`] reads the input
//! document into the handler's input struct (turning serde's complaints into the service's own validation
//! error) and serializes the handler's output struct into a typed [`crate::protocol::output::Out`] for the
//! codec. Handlers reach other services only through the model and the pipeline, never through each other.

pub mod cloudtrail;
pub mod cloudwatch;
pub mod ec2;
pub mod iam;
pub mod kms;
pub mod logs;
pub mod organizations;
pub mod s3;
pub mod sns;
pub mod sqs;
pub mod sts;

pub mod handler;
pub mod shapes;

use crate::error::{ApiError, ApiResult};
use crate::protocol::output::Out;
use crate::protocol::Document;

pub use handler::Call;

/// Every operation each service serves (for the admin health report and the README).
pub const SERVICES: &[(&str, &[&str])] = &[
    ("cloudtrail", cloudtrail::OPERATIONS),
    ("logs", logs::OPERATIONS),
    ("monitoring", cloudwatch::OPERATIONS),
    ("sns", sns::OPERATIONS),
    ("sqs", sqs::OPERATIONS),
    ("sts", sts::OPERATIONS),
    ("organizations", organizations::OPERATIONS),
    ("iam", iam::OPERATIONS),
    ("ec2", ec2::OPERATIONS),
    ("kms", kms::OPERATIONS),
    ("s3", s3::OPERATIONS),
];

/// Whether an operation can change the state: all do but those whose name says they read. A write
/// misfiled here would be answered before it is on disk, so the rule errs towards writing.
pub fn changes_state(operation: &str) -> bool {
    const READS: &[&str] = &[
        "Describe", "Get", "List", "Lookup", "Test", "Filter", "Head",
    ];
    !READS.iter().any(|r| operation.starts_with(r))
}

/// Whether an operation may ask to be run again until something arrives (a long poll: SQS
/// ReceiveMessage with `WaitTimeSeconds`); only these keep a copy of their input.
pub fn may_wait(service: &str, operation: &str) -> bool {
    service == "sqs" && operation == "ReceiveMessage"
}

pub fn dispatch(call: &mut Call<'_>, service: &str, op: &str, input: Document) -> ApiResult<Out> {
    match service {
        "cloudtrail" => cloudtrail::dispatch(call, op, input),
        "logs" => logs::dispatch(call, op, input),
        "monitoring" => cloudwatch::dispatch(call, op, input),
        "sns" => sns::dispatch(call, op, input),
        "sqs" => sqs::dispatch(call, op, input),
        "sts" => sts::dispatch(call, op, input),
        "organizations" => organizations::dispatch(call, op, input),
        "iam" => iam::dispatch(call, op, input),
        "ec2" => ec2::dispatch(call, op, input),
        "kms" => kms::dispatch(call, op, input),
        "s3" => s3::dispatch(call, op, input),
        other => Err(ApiError::new(
            "UnrecognizedClientException",
            400,
            format!("The service {other:?} is not served here"),
        )),
    }
}
