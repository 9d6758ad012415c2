//! CloudWatch Logs resource policies, and the subscription-filter and destination reads.
//!
//! Resource policies are kept per region (account scope; AWS's limit of 10 a region) and answered as the
//! caller wrote them. Subscription filters and destinations deliver to Lambda, Kinesis or Firehose, which
//! the emulator does not serve, so none can be put: their reads answer truthfully (nothing to list) with
//! AWS's errors for a missing group or filter.

use super::output::{
    DescribeDestinationsOutput, DescribeResourcePoliciesOutput, DescribeSubscriptionFiltersOutput,
    PutResourcePolicyOutput, ResourcePolicyOut,
};
use super::shared::{invalid, limit, not_found_group, page_by_index, LogsError, Result};
use crate::model::logs::ResourcePolicy;
use crate::services::handler::{check_len, Call, NoOutput};
use serde::Deserialize;

/// "Resource policies per Region per account: 10" (CloudWatch Logs quotas).
const MAX_POLICIES: usize = 10;
/// PolicyDocument: "Length Constraints: Minimum length of 1. Maximum length of 5120."
const MAX_DOCUMENT: usize = 5120;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct PutResourcePolicyInput {
    policy_name: Option<String>,
    policy_document: Option<String>,
}

pub(super) fn put_resource_policy(
    call: &mut Call<'_>,
    i: PutResourcePolicyInput,
) -> Result<PutResourcePolicyOutput> {
    let name = i
        .policy_name
        .ok_or_else(|| invalid("Policy name is required."))?;
    let document = i
        .policy_document
        .ok_or_else(|| invalid("Policy document is required."))?;
    check_len("policyDocument", &document, 1, MAX_DOCUMENT).map_err(invalid)?;
    if serde_json::from_str::<serde_json::Value>(&document).is_err() {
        return Err(invalid("Policy document is not valid JSON."));
    }
    let now = call.clock.now_millis();
    let policies = &mut call.region().logs_policies;
    if !policies.contains_key(&name) && policies.len() >= MAX_POLICIES {
        return Err(LogsError::LimitExceeded("Resource limit exceeded.".into()));
    }
    let p = ResourcePolicy {
        policy_name: name.clone(),
        policy_document: document,
        last_updated_time: now,
    };
    policies.insert(name, p.clone());
    Ok(PutResourcePolicyOutput {
        resource_policy: ResourcePolicyOut::from(&p),
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct DescribeResourcePoliciesInput {
    next_token: Option<String>,
    limit: Option<i64>,
}

pub(super) fn describe_resource_policies(
    call: &mut Call<'_>,
    i: DescribeResourcePoliciesInput,
) -> Result<DescribeResourcePoliciesOutput> {
    let all: Vec<&ResourcePolicy> = call.region().logs_policies.values().collect();
    let (page, next_token) = page_by_index(all, i.next_token.as_deref(), limit(i.limit, 50)?)?;
    Ok(DescribeResourcePoliciesOutput {
        resource_policies: page.into_iter().map(ResourcePolicyOut::from).collect(),
        next_token,
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct DeleteResourcePolicyInput {
    policy_name: Option<String>,
}

pub(super) fn delete_resource_policy(
    call: &mut Call<'_>,
    i: DeleteResourcePolicyInput,
) -> Result<NoOutput> {
    let name = i.policy_name.unwrap_or_default();
    call.region()
        .logs_policies
        .remove(&name)
        .map(|_| NoOutput)
        .ok_or_else(|| {
            LogsError::ResourceNotFound(format!("Policy with name [{name}] does not exist."))
        })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct DescribeSubscriptionFiltersInput {
    log_group_name: String,
    filter_name_prefix: Option<String>,
    limit: Option<i64>,
}

pub(super) fn describe_subscription_filters(
    call: &mut Call<'_>,
    i: DescribeSubscriptionFiltersInput,
) -> Result<DescribeSubscriptionFiltersOutput> {
    if let Some(p) = &i.filter_name_prefix {
        check_len("filterNamePrefix", p, 1, 512).map_err(invalid)?;
    }
    limit(i.limit, 50)?;
    if !call.region().log_groups.contains_key(&i.log_group_name) {
        return Err(not_found_group());
    }
    Ok(DescribeSubscriptionFiltersOutput {
        subscription_filters: vec![],
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct DeleteSubscriptionFilterInput {
    log_group_name: String,
    filter_name: String,
}

pub(super) fn delete_subscription_filter(
    call: &mut Call<'_>,
    i: DeleteSubscriptionFilterInput,
) -> Result<NoOutput> {
    check_len("filterName", &i.filter_name, 1, 512).map_err(invalid)?;
    if !call.region().log_groups.contains_key(&i.log_group_name) {
        return Err(not_found_group());
    }
    Err(LogsError::ResourceNotFound(
        "The specified subscription filter does not exist.".into(),
    ))
}

#[derive(Deserialize)]
pub(super) struct DescribeDestinationsInput {
    #[serde(rename = "DestinationNamePrefix")]
    prefix: Option<String>,
    limit: Option<i64>,
}

pub(super) fn describe_destinations(
    _: &mut Call<'_>,
    i: DescribeDestinationsInput,
) -> Result<DescribeDestinationsOutput> {
    if let Some(p) = &i.prefix {
        check_len("DestinationNamePrefix", p, 1, 512).map_err(invalid)?;
    }
    limit(i.limit, 50)?;
    Ok(DescribeDestinationsOutput {
        destinations: vec![],
    })
}
