//! What every SNS operation module uses: SNS's errors and the region an SNS ARN lives in. A leaf: it
//! imports no other SNS module, so the operation modules (`mod.rs`, `mobile`, `sms`, `message`) import it
//! and not each other.

use crate::arn::parse_arn;
use crate::error::service_errors;
use crate::model::RegionState;
use crate::services::handler::Call;

service_errors! {
    /// The errors SNS answers with here.
    pub enum SnsError {
        InvalidParameter = "InvalidParameter", 400;
        ParameterValueInvalid = "ParameterValueInvalid", 400;
        ValidationError = "ValidationError", 400;
        EndpointDisabled = "EndpointDisabled", 400;
        NotFound = "NotFound", 404;
        ResourceNotFound = "ResourceNotFound", 404;
        InvalidAction = "InvalidAction", 400;
        EmptyBatchRequest = "EmptyBatchRequestException", 400, code "EmptyBatchRequest";
        TooManyEntriesInBatchRequest = "TooManyEntriesInBatchRequestException", 400, code "TooManyEntriesInBatchRequest";
        BatchEntryIdsNotDistinct = "BatchEntryIdsNotDistinctException", 400, code "BatchEntryIdsNotDistinct";
        BatchRequestTooLong = "BatchRequestTooLongException", 400, code "BatchRequestTooLong";
        InvalidBatchEntryId = "InvalidBatchEntryIdException", 400, code "InvalidBatchEntryId";
    }
}

pub(super) type Result<T> = std::result::Result<T, SnsError>;

pub(super) fn invalid(what: impl std::fmt::Display) -> SnsError {
    SnsError::InvalidParameter(format!("Invalid parameter: {what}"))
}

pub(super) fn not_found(what: &str) -> SnsError {
    SnsError::NotFound(format!("{what} does not exist"))
}

pub(super) fn no_resource() -> SnsError {
    SnsError::ResourceNotFound("Resource does not exist".into())
}

pub(super) fn bad_token() -> SnsError {
    invalid("NextToken")
}

/// The state of the region and account an SNS ARN (topic, subscription, application, endpoint) names. SNS
/// answers only for its own region: an ARN of another region is an invalid parameter (another account's
/// topic in this region is served).
pub(super) fn arn_home<'c>(
    call: &'c mut Call<'_>,
    arn: &str,
    param: &str,
) -> Result<&'c mut RegionState> {
    let parts = arn.split(':').count();
    if parts < 6 {
        return Err(invalid(format!(
            "{param} Reason: An ARN must have at least 6 elements, not {parts}"
        )));
    }
    let a = parse_arn(arn)
        .filter(|a| a.service == "sns" && a.region == call.ctx.region)
        .ok_or_else(|| invalid(param))?;
    Ok(call.state.region(&a.account, &a.region))
}
