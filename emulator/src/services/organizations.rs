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
        AccessDenied = "AccessDeniedException", 400;
        AccountNotFound = "AccountNotFoundException", 400;
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
    "DescribeAccount" => describe_account,
}

/// The organization's id: as set through the admin API, or one derived from the management account.
fn organization_id(management: &str, id: Option<String>) -> String {
    id.unwrap_or_else(|| {
        format!(
            "o-{}",
            &format!("{:x}", management.parse::<u64>().unwrap_or(0) * 7919)
        )
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DescribeAccountInput {
    account_id: String,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct DescribeAccountOutput {
    account: AccountShape,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct AccountShape {
    id: String,
    arn: String,
    email: String,
    name: String,
    status: &'static str,
    state: &'static str,
    joined_method: &'static str,
    joined_timestamp: crate::protocol::output::Timestamp,
}

/// Only the management account may describe the organization's accounts (delegated administrators are
/// not modelled); an account outside its organization is not found.
fn describe_account(
    call: &mut Call<'_>,
    i: DescribeAccountInput,
) -> Result<DescribeAccountOutput, OrganizationsError> {
    let caller = call.ctx.account.clone();
    let id = match &call.state.account(&caller).organization {
        OrgRole::None => {
            return Err(OrganizationsError::NotInUse(
                "Your account is not a member of an organization.".into(),
            ))
        }
        OrgRole::Member { .. } => {
            return Err(OrganizationsError::AccessDenied(
                "You don't have permissions to access this resource.".into(),
            ))
        }
        OrgRole::Management {
            organization_id: id,
        } => organization_id(&caller, id.clone()),
    };
    let member = i.account_id == caller
        || call.state.accounts.get(&i.account_id).is_some_and(|a| {
            matches!(&a.organization, OrgRole::Member { management_account, .. } if *management_account == caller)
        });
    if !member {
        return Err(OrganizationsError::AccountNotFound(
            "You specified an account that doesn't exist.".into(),
        ));
    }
    Ok(DescribeAccountOutput {
        account: AccountShape {
            arn: format!(
                "arn:aws:organizations::{caller}:account/{id}/{}",
                i.account_id
            ),
            email: format!("aws+{}@example.com", i.account_id),
            name: format!("account-{}", i.account_id),
            status: "ACTIVE",
            state: "ACTIVE",
            joined_method: if i.account_id == caller {
                "CREATED"
            } else {
                "INVITED"
            },
            joined_timestamp: crate::protocol::output::Timestamp(0.0),
            id: i.account_id,
        },
    })
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
    let id = organization_id(&management, id);
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
