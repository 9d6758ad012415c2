//! STS (`sts`, AWS Query with XML responses): who the caller is.

use super::handler::{run, Call, Style};
use crate::error::{service_errors, ApiResult};
use crate::protocol::output::Out;
use crate::protocol::Document;
use serde::{Deserialize, Serialize};

pub const OPERATIONS: &[&str] = &["GetCallerIdentity"];

service_errors! {
    /// The errors STS answers with here.
    pub enum StsError {
        InvalidAction = "InvalidAction", 400;
    }
}

#[derive(Deserialize)]
struct Empty {}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct GetCallerIdentityOutput {
    user_id: String,
    account: String,
    arn: String,
}

pub fn dispatch(call: &mut Call<'_>, op: &str, input: Document) -> ApiResult<Out> {
    match op {
        "GetCallerIdentity" => run(
            call,
            input,
            Style::Query("ValidationError"),
            get_caller_identity,
        ),
        _ => Err(StsError::InvalidAction(format!(
            "Could not find operation {op} for version 2011-06-15"
        ))
        .into()),
    }
}

fn get_caller_identity(c: &mut Call<'_>, _: Empty) -> Result<GetCallerIdentityOutput, StsError> {
    let account = c.ctx.account.clone();
    Ok(GetCallerIdentityOutput {
        user_id: format!("AIDA{account}"),
        arn: format!("arn:aws:iam::{account}:user/orgwatch"),
        account,
    })
}
