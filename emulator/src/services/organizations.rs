//! Organizations (`organizations`, AWS JSON 1.1): the caller's organization, as set up through the admin
//! API (management account, member, or none).

use super::handler::{run, Call, Style};
use crate::error::{ApiError, ApiResult};
use crate::model::OrgRole;
use crate::protocol::Document;
use serde::Deserialize;
use serde_json::Value;

pub const OPERATIONS: &[&str] = &["DescribeOrganization"];

#[derive(Deserialize)]
struct Empty {}

pub fn dispatch(call: &mut Call<'_>, op: &str, input: Document) -> ApiResult<Value> {
    match op {
        "DescribeOrganization" => run(
            call,
            input,
            Style::Json("InvalidInputException"),
            describe_organization,
        ),
        _ => Err(ApiError::unknown_operation(op)),
    }
}

fn describe_organization(call: &mut Call<'_>, _: Empty) -> ApiResult<Value> {
    let account = call.ctx.account.clone();
    let (management, id) = match &call.state.account(&account).organization {
        OrgRole::None => {
            return Err(ApiError::new(
                "AWSOrganizationsNotInUseException",
                400,
                "Your account is not a member of an organization.",
            ))
        }
        OrgRole::Management { organization_id } => (account.clone(), organization_id.clone()),
        OrgRole::Member {
            management_account,
            organization_id,
        } => (management_account.clone(), organization_id.clone()),
    };
    let id = id.unwrap_or_else(|| {
        format!(
            "o-{}",
            &format!("{:x}", management.parse::<u64>().unwrap_or(0) * 7919)
        )
    });
    Ok(serde_json::json!({
        "Organization": {
            "Id": id,
            "Arn": format!("arn:aws:organizations::{management}:organization/{id}"),
            "FeatureSet": "ALL",
            "MasterAccountArn": format!("arn:aws:organizations::{management}:account/{id}/{management}"),
            "MasterAccountId": management,
            "MasterAccountEmail": format!("aws+{management}@example.com"),
            "AvailablePolicyTypes": [],
        }
    }))
}
