//! Organizations (`organizations`, AWS JSON 1.1): the caller's organization, as set up through the admin
//! API (management account, member, or none).

use super::handler::{operations, Call, Style};
use crate::error::{service_errors, ApiError};
use crate::model::OrgRole;
use serde::{Deserialize, Serialize};

service_errors! {
    /// The errors Organizations answers with here.
    pub enum OrganizationsError {
        NotInUse = "AWSOrganizationsNotInUseException", 400;
    }
}

#[derive(Deserialize)]
struct Empty {}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct DescribeOrganizationOutput {
    organization: Organization,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Organization {
    id: String,
    arn: String,
    feature_set: &'static str,
    master_account_arn: String,
    master_account_id: String,
    master_account_email: String,
    available_policy_types: Vec<String>,
}

operations! {
    style: Style::Json("InvalidInputException"),
    unknown: ApiError::unknown_operation;
    "DescribeOrganization" => describe_organization,
}

fn describe_organization(
    call: &mut Call<'_>,
    _: Empty,
) -> Result<DescribeOrganizationOutput, OrganizationsError> {
    let account = call.ctx.account.clone();
    let (management, id) = match &call.state.account(&account).organization {
        OrgRole::None => {
            return Err(OrganizationsError::NotInUse(
                "Your account is not a member of an organization.".into(),
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
    Ok(DescribeOrganizationOutput {
        organization: Organization {
            arn: format!("arn:aws:organizations::{management}:organization/{id}"),
            feature_set: "ALL",
            master_account_arn: format!(
                "arn:aws:organizations::{management}:account/{id}/{management}"
            ),
            master_account_email: format!("aws+{management}@example.com"),
            master_account_id: management,
            available_policy_types: vec![],
            id,
        },
    })
}
