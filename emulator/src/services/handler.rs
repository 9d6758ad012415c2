//! What every handler uses: the [`Call`] (who, where, the state, the clock), [`run`] (typed input in,
//! typed output out), AWS's validation messages, and paging.

use crate::clock::Clock;
use crate::context::RequestContext;
use crate::error::{ApiError, ApiResult};
use crate::model::{RegionState, State};
use crate::pipeline::delivery::Effects;
use crate::protocol::output::{to_out, Out};
use crate::protocol::Document;
use serde::de::DeserializeOwned;
use serde::Serialize;

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
    /// SQS: `MissingParameter` ("The request must contain the parameter X."), `InvalidParameterValue`.
    Sqs,
}

/// A service's operation table: each operation's name and its handler, in one place. It defines
/// `OPERATIONS` (what the service serves, for the health report and the README) and `dispatch`, which
/// runs the named handler through [`run`] in the service's input-error style, and answers an operation
/// the table lacks with `unknown(op)`.
macro_rules! operations {
    (style: $style:expr, unknown: $unknown:expr; $($name:literal => $handler:expr,)+) => {
        pub const OPERATIONS: &[&str] = &[$($name),+];

        pub fn dispatch(
            call: &mut $crate::services::handler::Call<'_>,
            op: &str,
            input: $crate::protocol::Document,
        ) -> $crate::error::ApiResult<$crate::protocol::output::Out> {
            use $crate::services::handler::run;
            match op {
                $($name => run(call, input, $style, $handler),)+
                _ => Err($unknown(op)),
            }
        }
    };
}
pub(crate) use operations;

/// The operation has no output shape: JSON protocols answer `{}`, Query answers with no
/// `<OpResult>` element (botocore reads nothing).
#[derive(Serialize)]
pub struct NoOutput;

/// The operation's output is an empty structure: JSON protocols answer `{}`, Query answers
/// `<OpResult/>`, which botocore requires (`TagResource` in SNS and CloudWatch).
#[derive(Serialize)]
pub struct EmptyOutput {}

/// Reads the input, calls the handler, writes its typed output.
pub fn run<I, O, E>(
    call: &mut Call<'_>,
    input: Document,
    style: Style,
    f: impl FnOnce(&mut Call<'_>, I) -> Result<O, E>,
) -> ApiResult<Out>
where
    I: DeserializeOwned,
    O: Serialize,
    E: Into<ApiError>,
{
    let input: I = input
        .without_nulls()
        .read()
        .map_err(|e| input_error(style, &e.to_string()))?;
    let output = f(call, input).map_err(Into::into)?;
    to_out(&output).map_err(|e| ApiError::server("InternalFailure", e.to_string()))
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
        (Style::Sqs, Some(field)) => ApiError::new(
            "MissingParameter",
            400,
            format!("The request must contain the parameter {field}."),
        ),
        (Style::Sqs, None) => ApiError::new(
            "InvalidParameterValue",
            400,
            format!("One or more parameters are invalid. Reason: {serde_msg}"),
        ),
        (Style::Query(code), Some(field)) => {
            ApiError::new(code, 400, format!("Invalid parameter: {field}"))
        }
        (Style::Query(code), None) => {
            ApiError::new(code, 400, format!("Invalid parameter: {serde_msg}"))
        }
    }
}

/// Checks an enum member: AWS's validation message when it is not one of `allowed`.
pub fn check_enum(field: &str, value: &str, allowed: &[&str]) -> Result<(), String> {
    if allowed.contains(&value) {
        return Ok(());
    }
    Err(not_in_set(field, value, allowed))
}

/// Reads a member of one of AWS's closed value sets into its enum, with AWS's message when it is not one.
pub fn read_enum<E>(
    field: &str,
    value: &str,
    names: &[&str],
    parse: fn(&str) -> Option<E>,
) -> Result<E, String> {
    parse(value).ok_or_else(|| not_in_set(field, value, names))
}

fn not_in_set(field: &str, value: &str, allowed: &[&str]) -> String {
    let constraint = format!(
        "Member must satisfy enum value set: [{}]",
        allowed.join(", ")
    );
    ApiError::validation_message(Some(value), field, &constraint)
}

/// Checks a string member's length: AWS's validation message when it is out of bounds.
pub fn check_len(field: &str, value: &str, min: usize, max: usize) -> Result<(), String> {
    let n = value.chars().count();
    let constraint = if n < min {
        format!("Member must have length greater than or equal to {min}")
    } else if n > max {
        format!("Member must have length less than or equal to {max}")
    } else {
        return Ok(());
    };
    Err(ApiError::validation_message(
        Some(value),
        field,
        &constraint,
    ))
}

/// A page-size member (`limit`, `maxRecords`): `default` when absent, AWS's validation message when it is
/// outside 1..=`max`.
pub fn page_size(field: &str, v: Option<f64>, max: usize, default: usize) -> Result<usize, String> {
    let Some(n) = v else {
        return Ok(default);
    };
    let constraint = if n < 1.0 {
        "Member must have value greater than or equal to 1".to_string()
    } else if n > max as f64 {
        format!("Member must have value less than or equal to {max}")
    } else {
        return Ok(n as usize);
    };
    Err(ApiError::validation_message(
        Some(&n.to_string()),
        field,
        &constraint,
    ))
}

/// One page of `items` after the opaque `token`, at most `limit` long, and the token for the next page.
/// Tokens are positions, prefixed so that foreign tokens are recognised as invalid, and base64-encoded as
/// AWS's opaque tokens are (SNS's recorded test decodes one).
pub fn page<T: Clone, E>(
    items: &[T],
    token: Option<&str>,
    limit: usize,
    bad_token: impl FnOnce() -> E,
) -> Result<(Vec<T>, Option<String>), E> {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD;
    let start = match token {
        None | Some("") => 0,
        Some(t) => b64
            .decode(t)
            .ok()
            .and_then(|raw| String::from_utf8(raw).ok())
            .and_then(|t| t.strip_prefix("orgwatch-")?.parse::<usize>().ok())
            .filter(|n| *n <= items.len())
            .ok_or_else(bad_token)?,
    };
    let end = (start + limit.max(1)).min(items.len());
    let next = (end < items.len()).then(|| b64.encode(format!("orgwatch-{end}")));
    Ok((items[start..end].to_vec(), next))
}
