//! What every CloudWatch Logs operation module uses: Logs' errors, the refusals several operations share,
//! and the `limit` member. A leaf: it imports no other Logs module, so the operation modules (`mod.rs`,
//! `policies`, `deliveries`) import it and not each other.

use crate::error::service_errors;
use crate::services::handler::page_size;

service_errors! {
    /// The errors CloudWatch Logs answers with here.
    pub enum LogsError {
        InvalidParameter = "InvalidParameterException", 400;
        ResourceNotFound = "ResourceNotFoundException", 400;
        ResourceAlreadyExists = "ResourceAlreadyExistsException", 400;
        LimitExceeded = "LimitExceededException", 400;
        Validation = "ValidationException", 400;
    }
}

pub(super) type Result<T> = std::result::Result<T, LogsError>;

pub(super) fn invalid(message: impl Into<String>) -> LogsError {
    LogsError::InvalidParameter(message.into())
}

pub(super) fn not_found_group() -> LogsError {
    LogsError::ResourceNotFound("The specified log group does not exist.".into())
}

pub(super) fn bad_token() -> LogsError {
    invalid("The specified nextToken is invalid.")
}

/// Logs' page-size member, `limit`.
pub(super) fn limit(v: Option<i64>, max: usize) -> Result<usize> {
    page_size("limit", v.map(|n| n as f64), max, max).map_err(invalid)
}

/// One page of `all` after `token` (the index of the next item, as the Logs operations that page by
/// position write it), at most `limit` long, and the next token.
pub(super) fn page_by_index<T>(
    all: Vec<T>,
    token: Option<&str>,
    limit: usize,
) -> Result<(Vec<T>, Option<String>)> {
    let start = match token {
        Some(t) => t
            .parse::<usize>()
            .ok()
            .filter(|n| *n <= all.len())
            .ok_or_else(bad_token)?,
        None => 0,
    };
    let total = all.len();
    let end = (start + limit).min(total);
    let page = all.into_iter().skip(start).take(end - start).collect();
    Ok((page, (end < total).then(|| end.to_string())))
}
