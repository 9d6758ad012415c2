//! What every handler uses: the [`Call`] (who, where, the state, the clock), [`run`] (typed input in,
//! typed output out), AWS's validation messages, and paging.

use crate::clock::Clock;
use crate::context::RequestContext;
use crate::error::{ApiError, ApiResult};
use crate::model::{RegionState, State};
use crate::pipeline::delivery::Effects;
use crate::protocol::Document;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// Everything a handler may touch for one call.
pub struct Call<'a> {
    pub ctx: &'a RequestContext,
    pub state: &'a mut State,
    pub clock: &'a Clock,
    /// What the call leaves to do once the state lock is released (HTTP deliveries), and what it needs
    /// to know for them.
    pub fx: Effects<'a>,
}

impl Call<'_> {
    pub fn region(&mut self) -> &mut RegionState {
        let (a, r) = (self.ctx.account.clone(), self.ctx.region.clone());
        self.state.region(&a, &r)
    }

    pub fn now(&self) -> f64 {
        self.clock.now()
    }
}

/// How a service reports a bad input document.
#[derive(Clone, Copy)]
pub enum Style {
    /// JSON services (`ValidationException`-like shape given), AWS's "1 validation error detected" text.
    Json(&'static str),
    /// CloudWatch: `MissingRequiredParameterException` (Query code `MissingParameter`).
    CloudWatch,
    /// SNS and STS: `InvalidParameter` / `ValidationError`.
    Query(&'static str),
}

/// What a handler returns: a document, or a typed output serialized into one.
pub trait Output {
    fn into_document(self) -> ApiResult<Value>;
}

impl Output for Value {
    fn into_document(self) -> ApiResult<Value> {
        Ok(self)
    }
}

/// The operation has no output shape: JSON protocols answer `{}`, Query answers with no
/// `<OpResult>` element (botocore reads nothing).
pub struct NoOutput;

impl Output for NoOutput {
    fn into_document(self) -> ApiResult<Value> {
        Ok(Value::Null)
    }
}

/// The operation's output is an empty structure: JSON protocols answer `{}`, Query answers
/// `<OpResult/>`, which botocore requires (`TagResource` in SNS and CloudWatch).
pub struct EmptyOutput;

impl Output for EmptyOutput {
    fn into_document(self) -> ApiResult<Value> {
        Ok(Value::Object(Default::default()))
    }
}

/// A typed output, serialized into a document.
pub struct Typed<T: Serialize>(pub T);

impl<T: Serialize> Output for Typed<T> {
    fn into_document(self) -> ApiResult<Value> {
        serde_json::to_value(self.0).map_err(|e| ApiError::server("InternalFailure", e.to_string()))
    }
}

/// Reads the input, calls the handler, writes the output.
pub fn run<I, O>(
    call: &mut Call<'_>,
    input: Document,
    style: Style,
    f: impl FnOnce(&mut Call<'_>, I) -> ApiResult<O>,
) -> ApiResult<Value>
where
    I: DeserializeOwned,
    O: Output,
{
    let input: I = input
        .without_nulls()
        .read()
        .map_err(|e| input_error(style, &e.to_string()))?;
    f(call, input)?.into_document()
}

fn input_error(style: Style, serde_msg: &str) -> ApiError {
    let missing = serde_msg
        .strip_prefix("missing field `")
        .and_then(|r| r.split('`').next())
        .map(str::to_string);
    match (style, missing) {
        (Style::Json(shape), Some(field)) => ApiError::new(
            shape,
            400,
            ApiError::validation_message(None, &field, "Member must not be null"),
        ),
        (Style::Json(_), None) => ApiError::serialization(format!(
            "Start of structure or map found where not expected: {serde_msg}"
        )),
        (Style::CloudWatch, Some(field)) => ApiError::new(
            "MissingRequiredParameterException",
            400,
            format!("The parameter {field} is required."),
        )
        .with_code("MissingParameter"),
        (Style::CloudWatch, None) => ApiError::new(
            "InvalidParameterValueException",
            400,
            format!("Invalid input: {serde_msg}"),
        )
        .with_code("InvalidParameterValue"),
        (Style::Query(code), Some(field)) => {
            ApiError::new(code, 400, format!("Invalid parameter: {field}"))
        }
        (Style::Query(code), None) => {
            ApiError::new(code, 400, format!("Invalid parameter: {serde_msg}"))
        }
    }
}

/// Checks an enum member, with AWS's message.
pub fn check_enum(shape: &str, field: &str, value: &str, allowed: &[&str]) -> ApiResult<()> {
    if allowed.contains(&value) {
        return Ok(());
    }
    let constraint = format!(
        "Member must satisfy enum value set: [{}]",
        allowed.join(", ")
    );
    Err(ApiError::new(
        shape,
        400,
        ApiError::validation_message(Some(value), field, &constraint),
    ))
}

/// Reads a member of one of AWS's closed value sets into its enum, with AWS's message when it is not one.
pub fn read_enum<E>(
    shape: &str,
    field: &str,
    value: &str,
    allowed: &[&str],
    parse: fn(&str) -> Option<E>,
) -> ApiResult<E> {
    check_enum(shape, field, value, allowed)?;
    parse(value).ok_or_else(|| ApiError::new(shape, 400, format!("Invalid {field}: {value}")))
}

/// Checks a string member's length, with AWS's message.
pub fn check_len(shape: &str, field: &str, value: &str, min: usize, max: usize) -> ApiResult<()> {
    let n = value.chars().count();
    if n < min {
        let c = format!("Member must have length greater than or equal to {min}");
        return Err(ApiError::new(
            shape,
            400,
            ApiError::validation_message(Some(value), field, &c),
        ));
    }
    if n > max {
        let c = format!("Member must have length less than or equal to {max}");
        return Err(ApiError::new(
            shape,
            400,
            ApiError::validation_message(Some(value), field, &c),
        ));
    }
    Ok(())
}

/// One page of `items` after the opaque `token`, at most `limit` long, and the token for the next page.
/// Tokens are positions, prefixed so that foreign tokens are recognised as invalid.
pub fn page<T: Clone>(
    items: &[T],
    token: Option<&str>,
    limit: usize,
    bad_token: impl FnOnce() -> ApiError,
) -> ApiResult<(Vec<T>, Option<String>)> {
    let start = match token {
        None | Some("") => 0,
        Some(t) => t
            .strip_prefix("orgwatch-")
            .and_then(|n| n.parse::<usize>().ok())
            .filter(|n| *n <= items.len())
            .ok_or_else(bad_token)?,
    };
    let end = (start + limit.max(1)).min(items.len());
    let next = (end < items.len()).then(|| format!("orgwatch-{end}"));
    Ok((items[start..end].to_vec(), next))
}

/// One page of a listing, as the output `out` builds from the page's items, with its next-page token
/// under `token_key` (as [`with_next_token`]).
pub fn paged<T: Clone>(
    items: &[T],
    token: Option<&str>,
    limit: usize,
    bad_token: impl FnOnce() -> ApiError,
    token_key: &str,
    out: impl FnOnce(Vec<T>) -> Value,
) -> ApiResult<Value> {
    let (items, next) = page(items, token, limit, bad_token)?;
    Ok(with_next_token(out(items), token_key, next))
}

/// A listing's output with its next-page token (`nextToken` or `NextToken`, as the service spells it),
/// present only when there is another page.
pub fn with_next_token(mut out: Value, key: &str, next: Option<String>) -> Value {
    if let Some(n) = next {
        out[key] = n.into();
    }
    out
}
