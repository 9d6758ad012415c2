//! STS (`sts`, AWS Query with XML responses): who the caller is.

use super::handler::{run, Call, Style};
use crate::error::{ApiError, ApiResult};
use crate::protocol::Document;
use serde::Deserialize;
use serde_json::Value;

pub const OPERATIONS: &[&str] = &["GetCallerIdentity"];

#[derive(Deserialize)]
struct Empty {}

pub fn dispatch(call: &mut Call<'_>, op: &str, input: Document) -> ApiResult<Value> {
    match op {
        "GetCallerIdentity" => run(
            call,
            input,
            Style::Query("ValidationError"),
            |c, _: Empty| {
                Ok(serde_json::json!({
                    "UserId": format!("AIDA{}", c.ctx.account),
                    "Account": c.ctx.account,
                    "Arn": format!("arn:aws:iam::{}:user/orgwatch", c.ctx.account),
                }))
            },
        ),
        _ => Err(ApiError::new(
            "InvalidAction",
            400,
            format!("Could not find operation {op} for version 2011-06-15"),
        )),
    }
}
