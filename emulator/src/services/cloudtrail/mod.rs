//! CloudTrail (`cloudtrail`, AWS JSON 1.1; both target prefixes are accepted by the codec).
//!
//! Trails belong to an account and a home region. A multi-region trail appears in every region as a
//! shadow trail; an organization trail of a management account appears in its member accounts too.
//! Mutations must come from the home region, as on AWS.

mod destinations;
mod error;
mod output;

use super::handler::{operations, read_enum, Call, EmptyOutput, Style};
use super::shapes::{Listing, Members, Tag};
use crate::arn::parse_arn;
use crate::error::ApiError;
use crate::model::cloudtrail::{
    AdvancedEventSelector, DataResource, EventSelector, InsightType, ReadWriteType, Trail,
};
use crate::model::OrgRole;
use output::*;
use serde::Deserialize;

const STYLE: Style = Style::Json("InvalidParameterException");

pub use error::CloudTrailError;

type Result<T> = std::result::Result<T, CloudTrailError>;

const NOT_MANAGEMENT: &str = "The request was rejected because the account is not the management account of an organization.";

fn not_found(call: &Call<'_>, name: &str) -> CloudTrailError {
    let arn = if name.starts_with("arn:") {
        name.to_string()
    } else {
        format!(
            "arn:aws:cloudtrail:{}:{}:trail/{name}",
            call.ctx.region, call.ctx.account
        )
    };
    CloudTrailError::TrailNotFound(format!(
        "Unknown trail: {arn} for the user: {}",
        call.ctx.account
    ))
}

fn check_name(name: &str) -> Result<()> {
    let ok = (3..=128).contains(&name.len())
        && name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric())
        && name
            .chars()
            .last()
            .is_some_and(|c| c.is_ascii_alphanumeric())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
        && !name.contains("..")
        && !name.contains("._")
        && !name.contains("-_");
    if ok {
        Ok(())
    } else {
        Err(CloudTrailError::InvalidTrailName("Trail name or ARN can only contain uppercase letters, lowercase letters, numbers, periods (.), hyphens (-), and underscores (_).".into()))
    }
}

fn check_log_group_arn(arn: &str) -> Result<()> {
    match parse_arn(arn) {
        Some(a) if a.service == "logs" && a.resource.starts_with("log-group:") => Ok(()),
        _ => Err(CloudTrailError::InvalidCloudWatchLogsLogGroupArn(
            "CloudTrail cannot validate the specified log group ARN.".into(),
        )),
    }
}

/// Where a trail named by name or ARN lives: `(account, name)`.
fn locate(call: &Call<'_>, name_or_arn: &str) -> (String, String) {
    match parse_arn(name_or_arn) {
        Some(a) => (
            a.account,
            a.resource.trim_start_matches("trail/").to_string(),
        ),
        None => (call.ctx.account.clone(), name_or_arn.to_string()),
    }
}

/// Whether the caller can see this trail from its region.
fn visible(call: &Call<'_>, t: &Trail) -> bool {
    t.home_region == call.ctx.region || t.is_multi_region_trail
}

fn find(call: &mut Call<'_>, name_or_arn: &str) -> Result<Trail> {
    let (account, name) = locate(call, name_or_arn);
    let trail = call.state.account(&account).trails.get(&name).cloned();
    match trail {
        Some(t)
            if visible(call, &t) && (t.account == call.ctx.account || org_visible(call, &t)) =>
        {
            Ok(t)
        }
        _ => Err(not_found(call, name_or_arn)),
    }
}

/// An organization trail of the caller's management account.
fn org_visible(call: &mut Call<'_>, t: &Trail) -> bool {
    let account = call.ctx.account.clone();
    t.is_organization_trail
        && matches!(&call.state.account(&account).organization, OrgRole::Member { management_account, .. } if *management_account == t.account)
}

/// A trail the caller may change: its own, from the home region.
fn find_mut<'c>(call: &'c mut Call<'_>, name_or_arn: &str) -> Result<&'c mut Trail> {
    let t = find(call, name_or_arn)?;
    if t.account != call.ctx.account {
        return Err(not_found(call, name_or_arn));
    }
    if t.home_region != call.ctx.region {
        return Err(CloudTrailError::InvalidHomeRegion(
            "This operation must be called from the trail's home region.".into(),
        ));
    }
    let account = call.ctx.account.clone();
    // `find` just saw it under the same lock.
    let gone = not_found(call, name_or_arn);
    call.state
        .account(&account)
        .trails
        .get_mut(&t.name)
        .ok_or(gone)
}

operations! {
    style: STYLE,
    unknown: ApiError::unknown_operation;
    "CreateTrail" => create_trail,
    "UpdateTrail" => update_trail,
    "DeleteTrail" => delete_trail,
    "GetTrail" => get_trail,
    "DescribeTrails" => describe_trails,
    "ListTrails" => list_trails,
    "GetTrailStatus" => get_trail_status,
    "GetInsightSelectors" => get_insight_selectors,
    "PutInsightSelectors" => put_insight_selectors,
    "StartLogging" => |c, i: NameInput| set_logging(c, &i.name, true),
    "StopLogging" => |c, i: NameInput| set_logging(c, &i.name, false),
    "PutEventSelectors" => put_event_selectors,
    "GetEventSelectors" => get_event_selectors,
    "AddTags" => add_tags,
    "RemoveTags" => remove_tags,
    "ListTags" => list_tags,
}

/// CloudTrail's tag `Value` is optional on input.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct TagInput {
    key: String,
    value: Option<String>,
}

/// What CreateTrail and UpdateTrail both set. UpdateTrail changes only the members it is given, and an
/// empty string clears an optional one.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct TrailSettings {
    s3_bucket_name: Option<String>,
    s3_key_prefix: Option<String>,
    sns_topic_name: Option<String>,
    include_global_service_events: Option<bool>,
    is_multi_region_trail: Option<bool>,
    enable_log_file_validation: Option<bool>,
    cloud_watch_logs_log_group_arn: Option<String>,
    cloud_watch_logs_role_arn: Option<String>,
    kms_key_id: Option<String>,
    is_organization_trail: Option<bool>,
}

impl TrailSettings {
    /// The checks CloudTrail makes before it changes anything.
    fn validate(&self, call: &mut Call<'_>) -> Result<()> {
        if let Some(a) = self
            .cloud_watch_logs_log_group_arn
            .as_deref()
            .filter(|a| !a.is_empty())
        {
            check_log_group_arn(a)?;
        }
        let account = call.ctx.account.clone();
        let management = matches!(
            call.state.account(&account).organization,
            OrgRole::Management { .. }
        );
        if self.is_organization_trail == Some(true) && !management {
            return Err(CloudTrailError::NotOrganizationMasterAccount(
                NOT_MANAGEMENT.into(),
            ));
        }
        Ok(())
    }

    fn apply_to(self, t: &mut Trail) {
        let set = |field: &mut Option<String>, v: Option<String>| {
            if let Some(v) = v {
                *field = if v.is_empty() { None } else { Some(v) };
            }
        };
        if let Some(b) = self.s3_bucket_name {
            t.s3_bucket_name = b;
        }
        set(&mut t.s3_key_prefix, self.s3_key_prefix);
        set(&mut t.sns_topic_name, self.sns_topic_name);
        set(
            &mut t.cloud_watch_logs_log_group_arn,
            self.cloud_watch_logs_log_group_arn,
        );
        set(
            &mut t.cloud_watch_logs_role_arn,
            self.cloud_watch_logs_role_arn,
        );
        set(&mut t.kms_key_id, self.kms_key_id);
        let flags = [
            (
                &mut t.include_global_service_events,
                self.include_global_service_events,
            ),
            (&mut t.is_multi_region_trail, self.is_multi_region_trail),
            (
                &mut t.log_file_validation_enabled,
                self.enable_log_file_validation,
            ),
            (&mut t.is_organization_trail, self.is_organization_trail),
        ];
        for (field, v) in flags {
            if let Some(v) = v {
                *field = v;
            }
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CreateTrailInput {
    name: String,
    #[serde(flatten)]
    settings: TrailSettings,
    #[serde(default)]
    tags_list: Vec<TagInput>,
}

fn create_trail(call: &mut Call<'_>, i: CreateTrailInput) -> Result<TrailOut> {
    check_name(&i.name)?;
    let Some(bucket) = i.settings.s3_bucket_name.clone() else {
        return Err(CloudTrailError::InvalidParameter(
            ApiError::validation_message(None, "S3BucketName", "Member must not be null"),
        ));
    };
    i.settings.validate(call)?;
    let s = &i.settings;
    if s.is_multi_region_trail == Some(true) && s.include_global_service_events == Some(false) {
        return Err(CloudTrailError::InvalidParameterCombination(
            "Multi-Region trail must include global service events.".into(),
        ));
    }
    let account = call.ctx.account.clone();
    if call.state.account(&account).trails.contains_key(&i.name) {
        return Err(CloudTrailError::TrailAlreadyExists(format!(
            "Trail {} already exists for customer: {account}",
            i.name
        )));
    }
    let mut t = Trail {
        name: i.name.clone(),
        account: account.clone(),
        home_region: call.ctx.region.clone(),
        s3_bucket_name: bucket,
        s3_key_prefix: None,
        sns_topic_name: None,
        include_global_service_events: true,
        is_multi_region_trail: false,
        is_organization_trail: false,
        log_file_validation_enabled: false,
        cloud_watch_logs_log_group_arn: None,
        cloud_watch_logs_role_arn: None,
        kms_key_id: None,
        is_logging: false,
        event_selectors: None,
        advanced_event_selectors: None,
        tags: i
            .tags_list
            .into_iter()
            .map(|t| (t.key, t.value.unwrap_or_default()))
            .collect(),
        start_logging_time: None,
        stop_logging_time: None,
        latest_cloud_watch_logs_delivery_time: None,
        latest_cloud_watch_logs_delivery_error: None,
        delivery_error_observed: false,
        latest_delivery_time: None,
        insight_types: Vec::new(),
    };
    i.settings.apply_to(&mut t);
    check_destinations(call, &t)?;
    let out = TrailOut::from(&t);
    call.state.account(&account).trails.insert(i.name, t);
    Ok(out)
}

/// CloudTrail's checks of the bucket, log group, role and key a trail will have ([`destinations`]).
fn check_destinations(call: &Call<'_>, t: &Trail) -> Result<()> {
    destinations::Destinations {
        account: &t.account,
        region: &t.home_region,
        trail_arn: t.arn(),
        bucket: &t.s3_bucket_name,
        key_prefix: t.s3_key_prefix.as_deref(),
        log_group_arn: t.cloud_watch_logs_log_group_arn.as_deref(),
        role_arn: t.cloud_watch_logs_role_arn.as_deref(),
        kms_key_id: t.kms_key_id.as_deref(),
    }
    .check(call.state)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct UpdateTrailInput {
    name: String,
    #[serde(flatten)]
    settings: TrailSettings,
}

fn update_trail(call: &mut Call<'_>, i: UpdateTrailInput) -> Result<TrailOut> {
    i.settings.validate(call)?;
    let mut updated = find_mut(call, &i.name)?.clone();
    i.settings.apply_to(&mut updated);
    check_destinations(call, &updated)?;
    let t = find_mut(call, &i.name)?;
    *t = updated;
    Ok(TrailOut::from(&*t))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct NameInput {
    name: String,
}

fn get_trail(call: &mut Call<'_>, i: NameInput) -> Result<GetTrailOutput> {
    Ok(GetTrailOutput {
        trail: TrailOut::from(&find(call, &i.name)?),
    })
}

fn delete_trail(call: &mut Call<'_>, i: NameInput) -> Result<EmptyOutput> {
    let name = find_mut(call, &i.name)?.name.clone();
    let account = call.ctx.account.clone();
    call.state.account(&account).trails.remove(&name);
    Ok(EmptyOutput {})
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DescribeTrailsInput {
    trail_name_list: Option<Vec<String>>,
    include_shadow_trails: Option<bool>,
}

/// Every trail the caller sees from its region: its own (home or shadow) and its organization's.
pub fn visible_trails(call: &mut Call<'_>, shadows: bool) -> Vec<Trail> {
    let account = call.ctx.account.clone();
    let mut out: Vec<Trail> = call
        .state
        .account(&account)
        .trails
        .values()
        .cloned()
        .collect();
    if let OrgRole::Member {
        management_account, ..
    } = call.state.account(&account).organization.clone()
    {
        out.extend(
            call.state
                .account(&management_account)
                .trails
                .values()
                .filter(|t| t.is_organization_trail)
                .cloned(),
        );
    }
    out.retain(|t| t.home_region == call.ctx.region || (shadows && t.is_multi_region_trail));
    out
}

fn describe_trails(call: &mut Call<'_>, i: DescribeTrailsInput) -> Result<DescribeTrailsOutput> {
    let shadows = i.include_shadow_trails.unwrap_or(true);
    let trails = visible_trails(call, shadows);
    let trail_list = trails
        .iter()
        .filter(|t| {
            i.trail_name_list
                .as_ref()
                .is_none_or(|names| names.iter().any(|n| *n == t.name || *n == t.arn()))
        })
        .map(TrailOut::from)
        .collect();
    Ok(DescribeTrailsOutput { trail_list })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ListTrailsInput {
    next_token: Option<String>,
}

fn list_trails(call: &mut Call<'_>, i: ListTrailsInput) -> Result<Listing<TrailInfo>> {
    let account = call.ctx.account.clone();
    let trails: Vec<&Trail> = call.state.account(&account).trails.values().collect();
    let bad_token = || CloudTrailError::InvalidNextToken("Invalid NextToken".into());
    let members = Members {
        items: "Trails",
        token: "NextToken",
    };
    Listing::page(
        members,
        &trails,
        i.next_token.as_deref(),
        50,
        bad_token,
        |t| TrailInfo {
            trail_arn: t.arn(),
            name: t.name.clone(),
            home_region: t.home_region.clone(),
        },
    )
}

#[derive(Deserialize, serde::Serialize)]
#[serde(rename_all = "PascalCase")]
struct InsightSelector {
    insight_type: String,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "PascalCase")]
struct InsightSelectorsOutput {
    trail_arn: String,
    insight_selectors: Vec<InsightSelector>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct InsightTrailInput {
    trail_name: String,
}

/// A trail that never had Insights enabled is answered with `InsightNotEnabledException` (the wording is
/// chosen; the exception is what the Terraform provider and Prowler expect).
fn get_insight_selectors(
    call: &mut Call<'_>,
    i: InsightTrailInput,
) -> Result<InsightSelectorsOutput> {
    let t = find(call, &i.trail_name)?;
    if t.insight_types.is_empty() {
        return Err(CloudTrailError::InsightNotEnabled(format!(
            "Trail {} does not have Insights enabled.",
            t.arn()
        )));
    }
    Ok(InsightSelectorsOutput {
        trail_arn: t.arn(),
        insight_selectors: t
            .insight_types
            .iter()
            .map(|k| InsightSelector {
                insight_type: k.as_str().to_string(),
            })
            .collect(),
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PutInsightSelectorsInput {
    trail_name: String,
    insight_selectors: Vec<InsightSelector>,
}

fn put_insight_selectors(
    call: &mut Call<'_>,
    i: PutInsightSelectorsInput,
) -> Result<InsightSelectorsOutput> {
    let kinds = i
        .insight_selectors
        .iter()
        .map(|s| {
            read_enum(
                "insightType",
                &s.insight_type,
                InsightType::NAMES,
                InsightType::parse,
            )
            .map_err(CloudTrailError::InvalidInsightSelectors)
        })
        .collect::<Result<Vec<_>>>()?;
    let t = find_mut(call, &i.trail_name)?;
    t.insight_types = kinds;
    Ok(InsightSelectorsOutput {
        trail_arn: t.arn(),
        insight_selectors: i.insight_selectors,
    })
}

fn get_trail_status(call: &mut Call<'_>, i: NameInput) -> Result<GetTrailStatusOutput> {
    Ok(GetTrailStatusOutput::from(&find(call, &i.name)?))
}

fn set_logging(call: &mut Call<'_>, name: &str, on: bool) -> Result<EmptyOutput> {
    let now = call.now();
    let t = find_mut(call, name)?;
    t.is_logging = on;
    if on {
        t.start_logging_time = Some(now);
    } else {
        t.stop_logging_time = Some(now);
    }
    Ok(EmptyOutput {})
}

/// A classic selector as given: its `ReadWriteType` is validated before it becomes the model's enum,
/// so that a bad value gets CloudTrail's own error.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct EventSelectorInput {
    read_write_type: Option<String>,
    include_management_events: Option<bool>,
    #[serde(default)]
    data_resources: Vec<DataResource>,
    #[serde(default)]
    exclude_management_event_sources: Vec<String>,
}

/// The only event sources a classic selector may exclude from management events (CloudTrail API
/// reference, `EventSelector.ExcludeManagementEventSources`): excluding Organizations takes advanced selectors.
const EXCLUDABLE_SOURCES: &[&str] = &["kms.amazonaws.com", "rdsdata.amazonaws.com"];

impl EventSelectorInput {
    fn read(self) -> Result<EventSelector> {
        let read_write_type = match self.read_write_type.as_deref() {
            None => ReadWriteType::All,
            Some(v) => read_enum(
                "readWriteType",
                v,
                ReadWriteType::NAMES,
                ReadWriteType::parse,
            )
            .map_err(CloudTrailError::InvalidEventSelectors)?,
        };
        if let Some(bad) = self
            .exclude_management_event_sources
            .iter()
            .find(|s| !EXCLUDABLE_SOURCES.contains(&s.as_str()))
        {
            // AWS's wording is not recorded here; the values are the ones AWS documents.
            return Err(CloudTrailError::InvalidEventSelectors(format!(
                "Invalid ExcludeManagementEventSources value: {bad}. Valid values are {}.",
                EXCLUDABLE_SOURCES.join(" and ")
            )));
        }
        Ok(EventSelector {
            read_write_type,
            include_management_events: self.include_management_events.unwrap_or(true),
            data_resources: self.data_resources,
            exclude_management_event_sources: self.exclude_management_event_sources,
        })
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PutEventSelectorsInput {
    trail_name: String,
    event_selectors: Option<Vec<EventSelectorInput>>,
    advanced_event_selectors: Option<Vec<AdvancedEventSelector>>,
}

fn put_event_selectors(
    call: &mut Call<'_>,
    i: PutEventSelectorsInput,
) -> Result<EventSelectorsOutput> {
    let invalid = |m: &str| CloudTrailError::InvalidEventSelectors(m.to_string());
    let event_selectors = match (i.event_selectors, &i.advanced_event_selectors) {
        (Some(_), Some(_)) => {
            return Err(CloudTrailError::InvalidParameterCombination(
                "You cannot specify both EventSelectors and AdvancedEventSelectors.".into(),
            ))
        }
        (None, None) => {
            return Err(invalid(
                "You must specify either EventSelectors or AdvancedEventSelectors.",
            ))
        }
        (Some(es), None) => {
            if es.len() > 5 {
                return Err(invalid(
                    "You can specify up to 5 event selectors per trail.",
                ));
            }
            Some(
                es.into_iter()
                    .map(EventSelectorInput::read)
                    .collect::<Result<Vec<_>>>()?,
            )
        }
        (None, Some(adv)) => {
            for s in adv {
                if !s.field_selectors.iter().any(|f| f.field == "eventCategory") {
                    return Err(invalid("Each advanced event selector must include an eventCategory field selector."));
                }
            }
            None
        }
    };
    let t = find_mut(call, &i.trail_name)?;
    t.event_selectors = event_selectors;
    t.advanced_event_selectors = i.advanced_event_selectors;
    Ok(EventSelectorsOutput {
        trail_arn: t.arn(),
        event_selectors: t.event_selectors.clone(),
        advanced_event_selectors: t.advanced_event_selectors.clone(),
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct TrailNameInput {
    trail_name: String,
}

fn get_event_selectors(call: &mut Call<'_>, i: TrailNameInput) -> Result<EventSelectorsOutput> {
    let t = find(call, &i.trail_name)?;
    let advanced = t.advanced_event_selectors.clone();
    Ok(EventSelectorsOutput {
        trail_arn: t.arn(),
        event_selectors: advanced.is_none().then(|| t.effective_selectors()),
        advanced_event_selectors: advanced,
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct AddTagsInput {
    resource_id: String,
    #[serde(default)]
    tags_list: Vec<TagInput>,
}

fn add_tags(call: &mut Call<'_>, i: AddTagsInput) -> Result<EmptyOutput> {
    let t = find_mut(call, &i.resource_id)?;
    t.tags.extend(
        i.tags_list
            .into_iter()
            .map(|t| (t.key, t.value.unwrap_or_default())),
    );
    Ok(EmptyOutput {})
}

fn remove_tags(call: &mut Call<'_>, i: AddTagsInput) -> Result<EmptyOutput> {
    let t = find_mut(call, &i.resource_id)?;
    for tag in i.tags_list {
        t.tags.remove(&tag.key);
    }
    Ok(EmptyOutput {})
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ListTagsInput {
    resource_id_list: Vec<String>,
}

fn list_tags(call: &mut Call<'_>, i: ListTagsInput) -> Result<ListTagsOutput> {
    let mut resource_tag_list = Vec::new();
    for id in &i.resource_id_list {
        let t = find(call, id)?;
        resource_tag_list.push(ResourceTag {
            resource_id: t.arn(),
            tags_list: t
                .tags
                .iter()
                .map(|(k, v)| Tag {
                    key: k.clone(),
                    value: v.clone(),
                })
                .collect(),
        });
    }
    Ok(ListTagsOutput { resource_tag_list })
}
