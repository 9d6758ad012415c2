//! STS (`sts`, AWS Query with XML responses): who the caller is.

use super::handler::{operations, Call, Style};
use crate::error::service_errors;
use serde::{Deserialize, Serialize};

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

operations! {
    style: Style::Query("ValidationError"),
    unknown: |op| crate::error::ApiError::from(StsError::InvalidAction(format!(
        "Could not find operation {op} for version 2011-06-15"
    )));
    "GetCallerIdentity" => get_caller_identity,
}

fn get_caller_identity(c: &mut Call<'_>, _: Empty) -> Result<GetCallerIdentityOutput, StsError> {
    let account = c.ctx.account.clone();
    Ok(GetCallerIdentityOutput {
        user_id: format!("AIDA{account}"),
        arn: crate::context::caller_arn(&account),
        account,
    })
}
