//! CloudTrail (`cloudtrail`, AWS JSON 1.1; both target prefixes are accepted by the codec).
//!
//! Trails belong to an account and a home region. A multi-region trail appears in every region as a
//! shadow trail; an organization trail of a management account appears in its member accounts too.
//! Mutations must come from the home region, as on AWS.

use super::handler::{page, run, Call, Style};
use crate::arn::parse_arn;
use crate::error::{ApiError, ApiResult};
use crate::model::cloudtrail::{AdvancedEventSelector, EventSelector, Trail};
use crate::model::OrgRole;
use crate::protocol::Document;
use serde::Deserialize;
use serde_json::Value;

pub const OPERATIONS: &[&str] = &[
    "CreateTrail",
    "UpdateTrail",
    "DeleteTrail",
    "GetTrail",
    "DescribeTrails",
    "ListTrails",
    "GetTrailStatus",
    "StartLogging",
    "StopLogging",
    "PutEventSelectors",
    "GetEventSelectors",
    "AddTags",
    "RemoveTags",
    "ListTags",
];

const STYLE: Style = Style::Json("InvalidParameterException");

/// The trail as DescribeTrails and GetTrail show it.
fn describe(t: &Trail) -> Value {
    let mut v = serde_json::json!({
        "Name": t.name,
        "S3BucketName": t.s3_bucket_name,
        "IncludeGlobalServiceEvents": t.include_global_service_events,
        "IsMultiRegionTrail": t.is_multi_region_trail,
        "HomeRegion": t.home_region,
        "TrailARN": t.arn(),
        "LogFileValidationEnabled": t.log_file_validation_enabled,
        "HasCustomEventSelectors": t.event_selectors.is_some() || t.advanced_event_selectors.is_some(),
        "HasInsightSelectors": false,
        "IsOrganizationTrail": t.is_organization_trail,
    });
    let opt = [
        ("S3KeyPrefix", &t.s3_key_prefix),
        ("SnsTopicName", &t.sns_topic_name),
        (
            "CloudWatchLogsLogGroupArn",
            &t.cloud_watch_logs_log_group_arn,
        ),
        ("CloudWatchLogsRoleArn", &t.cloud_watch_logs_role_arn),
        ("KmsKeyId", &t.kms_key_id),
    ];
    for (k, val) in opt {
        if let Some(x) = val {
            v[k] = x.clone().into();
        }
    }
    if let Some(topic) = &t.sns_topic_name {
        v["SnsTopicARN"] = format!("arn:aws:sns:{}:{}:{topic}", t.home_region, t.account).into();
    }
    v
}

fn not_found(call: &Call<'_>, name: &str) -> ApiError {
    let arn = if name.starts_with("arn:") {
        name.to_string()
    } else {
        format!(
            "arn:aws:cloudtrail:{}:{}:trail/{name}",
            call.ctx.region, call.ctx.account
        )
    };
    ApiError::new(
        "TrailNotFoundException",
        400,
        format!("Unknown trail: {arn} for the user: {}", call.ctx.account),
    )
}

fn check_name(name: &str) -> ApiResult<()> {
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
        Err(ApiError::new("InvalidTrailNameException", 400, "Trail name or ARN can only contain uppercase letters, lowercase letters, numbers, periods (.), hyphens (-), and underscores (_)."))
    }
}

fn check_log_group_arn(arn: &str) -> ApiResult<()> {
    match parse_arn(arn) {
        Some(a) if a.service == "logs" && a.resource.starts_with("log-group:") => Ok(()),
        _ => Err(ApiError::new(
            "InvalidCloudWatchLogsLogGroupArnException",
            400,
            "CloudTrail cannot validate the specified log group ARN.",
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

fn find(call: &mut Call<'_>, name_or_arn: &str) -> ApiResult<Trail> {
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
fn find_mut<'c>(call: &'c mut Call<'_>, name_or_arn: &str) -> ApiResult<&'c mut Trail> {
    let t = find(call, name_or_arn)?;
    if t.account != call.ctx.account {
        return Err(not_found(call, name_or_arn));
    }
    if t.home_region != call.ctx.region {
        return Err(ApiError::new(
            "InvalidHomeRegionException",
            400,
            "This operation must be called from the trail's home region.",
        ));
    }
    let account = call.ctx.account.clone();
    call.state
        .account(&account)
        .trails
        .get_mut(&t.name)
        .ok_or_else(|| ApiError::server("InternalFailure", "trail vanished"))
}

pub fn dispatch(call: &mut Call<'_>, op: &str, input: Document) -> ApiResult<Value> {
    match op {
        "CreateTrail" => run(call, input, STYLE, create_trail),
        "UpdateTrail" => run(call, input, STYLE, update_trail),
        "DeleteTrail" => run(call, input, STYLE, delete_trail),
        "GetTrail" => run(call, input, STYLE, |c, i: NameInput| {
            Ok(serde_json::json!({ "Trail": describe(&find(c, &i.name)?) }))
        }),
        "DescribeTrails" => run(call, input, STYLE, describe_trails),
        "ListTrails" => run(call, input, STYLE, list_trails),
        "GetTrailStatus" => run(call, input, STYLE, get_trail_status),
        "StartLogging" => run(call, input, STYLE, |c, i: NameInput| {
            set_logging(c, &i.name, true)
        }),
        "StopLogging" => run(call, input, STYLE, |c, i: NameInput| {
            set_logging(c, &i.name, false)
        }),
        "PutEventSelectors" => run(call, input, STYLE, put_event_selectors),
        "GetEventSelectors" => run(call, input, STYLE, get_event_selectors),
        "AddTags" => run(call, input, STYLE, add_tags),
        "RemoveTags" => run(call, input, STYLE, remove_tags),
        "ListTags" => run(call, input, STYLE, list_tags),
        _ => Err(ApiError::unknown_operation(op)),
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Tag {
    key: String,
    value: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CreateTrailInput {
    name: String,
    s3_bucket_name: String,
    s3_key_prefix: Option<String>,
    sns_topic_name: Option<String>,
    include_global_service_events: Option<bool>,
    is_multi_region_trail: Option<bool>,
    enable_log_file_validation: Option<bool>,
    cloud_watch_logs_log_group_arn: Option<String>,
    cloud_watch_logs_role_arn: Option<String>,
    kms_key_id: Option<String>,
    is_organization_trail: Option<bool>,
    #[serde(default)]
    tags_list: Vec<Tag>,
}

fn create_trail(call: &mut Call<'_>, i: CreateTrailInput) -> ApiResult<Value> {
    check_name(&i.name)?;
    if let Some(a) = &i.cloud_watch_logs_log_group_arn {
        check_log_group_arn(a)?;
    }
    if i.is_organization_trail == Some(true)
        && !matches!(
            call.state.account(&call.ctx.account.clone()).organization,
            OrgRole::Management { .. }
        )
    {
        return Err(ApiError::new("NotOrganizationMasterAccountException", 400, "The request was rejected because the account is not the management account of an organization."));
    }
    if i.is_multi_region_trail == Some(true) && i.include_global_service_events == Some(false) {
        return Err(ApiError::new(
            "InvalidParameterCombinationException",
            400,
            "Multi-Region trail must include global service events.",
        ));
    }
    let account = call.ctx.account.clone();
    if call.state.account(&account).trails.contains_key(&i.name) {
        return Err(ApiError::new(
            "TrailAlreadyExistsException",
            400,
            format!("Trail {} already exists for customer: {account}", i.name),
        ));
    }
    let t = Trail {
        name: i.name.clone(),
        account: account.clone(),
        home_region: call.ctx.region.clone(),
        s3_bucket_name: i.s3_bucket_name,
        s3_key_prefix: i.s3_key_prefix,
        sns_topic_name: i.sns_topic_name,
        include_global_service_events: i.include_global_service_events.unwrap_or(true),
        is_multi_region_trail: i.is_multi_region_trail.unwrap_or(false),
        is_organization_trail: i.is_organization_trail.unwrap_or(false),
        log_file_validation_enabled: i.enable_log_file_validation.unwrap_or(false),
        cloud_watch_logs_log_group_arn: i.cloud_watch_logs_log_group_arn,
        cloud_watch_logs_role_arn: i.cloud_watch_logs_role_arn,
        kms_key_id: i.kms_key_id,
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
        latest_delivery_time: None,
    };
    let out = describe(&t);
    call.state.account(&account).trails.insert(i.name, t);
    Ok(out)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct UpdateTrailInput {
    name: String,
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

fn update_trail(call: &mut Call<'_>, i: UpdateTrailInput) -> ApiResult<Value> {
    if let Some(a) = i
        .cloud_watch_logs_log_group_arn
        .as_deref()
        .filter(|a| !a.is_empty())
    {
        check_log_group_arn(a)?;
    }
    let is_management = matches!(
        call.state.account(&call.ctx.account.clone()).organization,
        OrgRole::Management { .. }
    );
    if i.is_organization_trail == Some(true) && !is_management {
        return Err(ApiError::new("NotOrganizationMasterAccountException", 400, "The request was rejected because the account is not the management account of an organization."));
    }
    let t = find_mut(call, &i.name)?;
    let set = |field: &mut Option<String>, v: Option<String>| {
        if let Some(v) = v {
            *field = if v.is_empty() { None } else { Some(v) };
        }
    };
    if let Some(b) = i.s3_bucket_name {
        t.s3_bucket_name = b;
    }
    set(&mut t.s3_key_prefix, i.s3_key_prefix);
    set(&mut t.sns_topic_name, i.sns_topic_name);
    set(
        &mut t.cloud_watch_logs_log_group_arn,
        i.cloud_watch_logs_log_group_arn,
    );
    set(
        &mut t.cloud_watch_logs_role_arn,
        i.cloud_watch_logs_role_arn,
    );
    set(&mut t.kms_key_id, i.kms_key_id);
    if let Some(b) = i.include_global_service_events {
        t.include_global_service_events = b;
    }
    if let Some(b) = i.is_multi_region_trail {
        t.is_multi_region_trail = b;
    }
    if let Some(b) = i.enable_log_file_validation {
        t.log_file_validation_enabled = b;
    }
    if let Some(b) = i.is_organization_trail {
        t.is_organization_trail = b;
    }
    Ok(describe(t))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct NameInput {
    name: String,
}

fn delete_trail(call: &mut Call<'_>, i: NameInput) -> ApiResult<Value> {
    let name = find_mut(call, &i.name)?.name.clone();
    let account = call.ctx.account.clone();
    call.state.account(&account).trails.remove(&name);
    Ok(serde_json::json!({}))
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

fn describe_trails(call: &mut Call<'_>, i: DescribeTrailsInput) -> ApiResult<Value> {
    let shadows = i.include_shadow_trails.unwrap_or(true);
    let trails = visible_trails(call, shadows);
    let list: Vec<Value> = trails
        .iter()
        .filter(|t| {
            i.trail_name_list
                .as_ref()
                .is_none_or(|names| names.iter().any(|n| *n == t.name || *n == t.arn()))
        })
        .map(describe)
        .collect();
    Ok(serde_json::json!({ "trailList": list }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ListTrailsInput {
    next_token: Option<String>,
}

fn list_trails(call: &mut Call<'_>, i: ListTrailsInput) -> ApiResult<Value> {
    let account = call.ctx.account.clone();
    let trails: Vec<Value> = call
        .state
        .account(&account)
        .trails
        .values()
        .map(|t| serde_json::json!({"TrailARN": t.arn(), "Name": t.name, "HomeRegion": t.home_region}))
        .collect();
    let (items, next) = page(&trails, i.next_token.as_deref(), 50, || {
        ApiError::new("InvalidNextTokenException", 400, "Invalid NextToken")
    })?;
    Ok(super::handler::with_next_token(
        serde_json::json!({ "Trails": items }),
        "NextToken",
        next,
    ))
}

fn get_trail_status(call: &mut Call<'_>, i: NameInput) -> ApiResult<Value> {
    let t = find(call, &i.name)?;
    let mut v = serde_json::json!({ "IsLogging": t.is_logging });
    let times = [
        ("StartLoggingTime", t.start_logging_time),
        ("StopLoggingTime", t.stop_logging_time),
        (
            "LatestCloudWatchLogsDeliveryTime",
            t.latest_cloud_watch_logs_delivery_time,
        ),
        ("LatestDeliveryTime", t.latest_delivery_time),
    ];
    for (k, val) in times {
        if let Some(x) = val {
            v[k] = x.into();
        }
    }
    if let Some(e) = &t.latest_cloud_watch_logs_delivery_error {
        v["LatestCloudWatchLogsDeliveryError"] = e.clone().into();
    }
    if let Some(s) = t.start_logging_time {
        v["TimeLoggingStarted"] = crate::clock::iso8601(s).into();
    }
    if let Some(s) = t.stop_logging_time {
        v["TimeLoggingStopped"] = crate::clock::iso8601(s).into();
    }
    Ok(v)
}

fn set_logging(call: &mut Call<'_>, name: &str, on: bool) -> ApiResult<Value> {
    let now = call.now();
    let t = find_mut(call, name)?;
    t.is_logging = on;
    if on {
        t.start_logging_time = Some(now);
    } else {
        t.stop_logging_time = Some(now);
    }
    Ok(serde_json::json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PutEventSelectorsInput {
    trail_name: String,
    event_selectors: Option<Vec<EventSelector>>,
    advanced_event_selectors: Option<Vec<AdvancedEventSelector>>,
}

fn put_event_selectors(call: &mut Call<'_>, i: PutEventSelectorsInput) -> ApiResult<Value> {
    let invalid = |m: &str| ApiError::new("InvalidEventSelectorsException", 400, m.to_string());
    match (&i.event_selectors, &i.advanced_event_selectors) {
        (Some(_), Some(_)) => {
            return Err(ApiError::new(
                "InvalidParameterCombinationException",
                400,
                "You cannot specify both EventSelectors and AdvancedEventSelectors.",
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
            for e in es {
                super::handler::check_enum(
                    "InvalidEventSelectorsException",
                    "readWriteType",
                    &e.read_write_type,
                    &["ReadOnly", "WriteOnly", "All"],
                )?;
            }
        }
        (None, Some(adv)) => {
            for s in adv {
                if !s.field_selectors.iter().any(|f| f.field == "eventCategory") {
                    return Err(invalid("Each advanced event selector must include an eventCategory field selector."));
                }
            }
        }
    }
    let t = find_mut(call, &i.trail_name)?;
    t.event_selectors = i.event_selectors;
    t.advanced_event_selectors = i.advanced_event_selectors;
    let mut out = serde_json::json!({ "TrailARN": t.arn() });
    if let Some(e) = &t.event_selectors {
        out["EventSelectors"] = serde_json::to_value(e).unwrap_or(Value::Null);
    }
    if let Some(a) = &t.advanced_event_selectors {
        out["AdvancedEventSelectors"] = serde_json::to_value(a).unwrap_or(Value::Null);
    }
    Ok(out)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct TrailNameInput {
    trail_name: String,
}

fn get_event_selectors(call: &mut Call<'_>, i: TrailNameInput) -> ApiResult<Value> {
    let t = find(call, &i.trail_name)?;
    let mut out = serde_json::json!({ "TrailARN": t.arn() });
    match &t.advanced_event_selectors {
        Some(a) => out["AdvancedEventSelectors"] = serde_json::to_value(a).unwrap_or(Value::Null),
        None => {
            out["EventSelectors"] =
                serde_json::to_value(t.effective_selectors()).unwrap_or(Value::Null)
        }
    }
    Ok(out)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct AddTagsInput {
    resource_id: String,
    #[serde(default)]
    tags_list: Vec<Tag>,
}

fn add_tags(call: &mut Call<'_>, i: AddTagsInput) -> ApiResult<Value> {
    let t = find_mut(call, &i.resource_id)?;
    t.tags.extend(
        i.tags_list
            .into_iter()
            .map(|t| (t.key, t.value.unwrap_or_default())),
    );
    Ok(serde_json::json!({}))
}

fn remove_tags(call: &mut Call<'_>, i: AddTagsInput) -> ApiResult<Value> {
    let t = find_mut(call, &i.resource_id)?;
    for tag in i.tags_list {
        t.tags.remove(&tag.key);
    }
    Ok(serde_json::json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ListTagsInput {
    resource_id_list: Vec<String>,
}

fn list_tags(call: &mut Call<'_>, i: ListTagsInput) -> ApiResult<Value> {
    let mut list = Vec::new();
    for id in &i.resource_id_list {
        let t = find(call, id)?;
        let tags: Vec<Value> = t
            .tags
            .iter()
            .map(|(k, v)| serde_json::json!({"Key": k, "Value": v}))
            .collect();
        list.push(serde_json::json!({"ResourceId": t.arn(), "TagsList": tags}));
    }
    Ok(serde_json::json!({ "ResourceTagList": list }))
}
