//! CloudWatch Logs (`logs`, AWS JSON 1.1, target prefix `Logs_20140328`).
//!
//! Log groups, streams and events; metric filters judged by the real filter-pattern engine; and the first
//! stage of the pipeline: every ingested event runs through the group's metric filters, which publish
//! datapoints to CloudWatch ([`crate::model::cloudwatch::Datum`]).

mod deliveries;
mod output;
mod policies;
mod shared;

use super::handler::{check_enum, check_len, operations, Call, NoOutput, Style};
use super::shapes::{Listing, Members};
use crate::error::ApiError;
use crate::model::cloudwatch::UNITS;
use crate::model::logs::{self, LogGroup, LogStream, MetricFilter, MetricTransformation};
use crate::pipeline::ingest;
use orgwatch_pattern::{semantics, Context, Pattern, ValueRef};
use output::*;
use serde::Deserialize;
use shared::{bad_token, invalid, limit, not_found_group, LogsError, Result};
use std::collections::BTreeMap;

const STYLE: Style = Style::Json("InvalidParameterException");

/// A pattern the engine refused, with AWS's message for where it was given.
fn bad_pattern(e: orgwatch_pattern::PatternError, context: Context, src: &str) -> LogsError {
    invalid(e.aws(context, src).message)
}
/// PutMetricFilter: "metric filters per log group: 100 (This quota can't be changed)".
const MAX_FILTERS: usize = 100;
/// PutMetricFilter/PutSubscriptionFilter: five regex-bearing patterns per log group.
const MAX_REGEX_FILTERS: usize = 5;
/// PutLogEvents: at most 10,000 events and 1,048,576 bytes (each event counts 26 bytes more).
const MAX_BATCH_EVENTS: usize = 10_000;
const MAX_BATCH_BYTES: usize = 1_048_576;

/// A KMS key CloudWatch Logs may not use for a group, at association and (the same wording, chosen) when
/// events are put to a group whose key became unusable.
fn key_refused(group_arn: &str) -> LogsError {
    invalid(format!(
        "The specified KMS key does not exist or is not allowed to be used with Arn '{group_arn}'"
    ))
}

fn not_found_stream() -> LogsError {
    LogsError::ResourceNotFound("The specified log stream does not exist.".into())
}

fn group_arn(call: &Call<'_>, name: &str) -> String {
    logs::group_arn(&call.ctx.region, &call.ctx.account, name)
}

/// `logGroupIdentifier` may be a name or an ARN.
fn group_name(identifier: &str) -> String {
    match crate::arn::parse_arn(identifier) {
        Some(a) => a
            .resource
            .trim_start_matches("log-group:")
            .trim_end_matches(":*")
            .to_string(),
        None => identifier.to_string(),
    }
}

/// The group named by `logGroupName` or by `logGroupIdentifier` (a name or an ARN): exactly one is required.
fn either_group(name: &Option<String>, identifier: &Option<String>) -> Result<String> {
    if name.is_some() && identifier.is_some() {
        return Err(LogsError::Validation(
            "LogGroup name and LogGroup ARN are mutually exclusive parameters.".into(),
        ));
    }
    name.clone()
        .or(identifier.as_deref().map(group_name))
        .ok_or_else(|| invalid("Should provide either logGroupName or logGroupIdentifier."))
}

const LOG_GROUP_CLASSES: &[&str] = &["STANDARD", "INFREQUENT_ACCESS", "DELIVERY"];

fn check_group_name(name: &str) -> Result<()> {
    check_len("logGroupName", name, 1, 512).map_err(invalid)?;
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "_-/.#".contains(c))
    {
        let c = "Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+";
        return Err(invalid(ApiError::validation_message(
            Some(name),
            "logGroupName",
            c,
        )));
    }
    Ok(())
}

operations! {
    style: STYLE,
    unknown: ApiError::unknown_operation;
    "CreateLogGroup" => create_log_group,
    "DeleteLogGroup" => delete_log_group,
    "DescribeLogGroups" => describe_log_groups,
    "CreateLogStream" => create_log_stream,
    "DeleteLogStream" => delete_log_stream,
    "DescribeLogStreams" => describe_log_streams,
    "PutLogEvents" => put_log_events,
    "GetLogEvents" => get_log_events,
    "FilterLogEvents" => filter_log_events,
    "PutMetricFilter" => put_metric_filter,
    "DescribeMetricFilters" => describe_metric_filters,
    "DeleteMetricFilter" => delete_metric_filter,
    "TestMetricFilter" => test_metric_filter,
    "PutRetentionPolicy" => put_retention_policy,
    "DeleteRetentionPolicy" => delete_retention_policy,
    "AssociateKmsKey" => associate_kms_key,
    "DisassociateKmsKey" => disassociate_kms_key,
    "DescribeResourcePolicies" => policies::describe_resource_policies,
    "PutResourcePolicy" => policies::put_resource_policy,
    "DeleteResourcePolicy" => policies::delete_resource_policy,
    "DescribeSubscriptionFilters" => policies::describe_subscription_filters,
    "DeleteSubscriptionFilter" => policies::delete_subscription_filter,
    "DescribeDestinations" => policies::describe_destinations,
    "ListLogGroups" => list_log_groups,
    "TagResource" => tag_resource,
    "UntagResource" => untag_resource,
    "ListTagsForResource" => list_tags_for_resource,
    "TagLogGroup" => tag_log_group,
    "UntagLogGroup" => untag_log_group,
    "ListTagsLogGroup" => list_tags_log_group,
    "PutDeliveryDestination" => deliveries::put_delivery_destination,
    "GetDeliveryDestination" => deliveries::get_delivery_destination,
    "DescribeDeliveryDestinations" => deliveries::describe_delivery_destinations,
    "DeleteDeliveryDestination" => deliveries::delete_delivery_destination,
    "PutDeliveryDestinationPolicy" => deliveries::put_delivery_destination_policy,
    "GetDeliveryDestinationPolicy" => deliveries::get_delivery_destination_policy,
    "DeleteDeliveryDestinationPolicy" => deliveries::delete_delivery_destination_policy,
    "PutDeliverySource" => deliveries::put_delivery_source,
    "GetDeliverySource" => deliveries::get_delivery_source,
    "DescribeDeliverySources" => deliveries::describe_delivery_sources,
    "DeleteDeliverySource" => deliveries::delete_delivery_source,
    "CreateDelivery" => deliveries::create_delivery,
    "GetDelivery" => deliveries::get_delivery,
    "DescribeDeliveries" => deliveries::describe_deliveries,
    "DeleteDelivery" => deliveries::delete_delivery,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreateLogGroupInput {
    log_group_name: String,
    #[serde(default)]
    tags: BTreeMap<String, String>,
    #[serde(default)]
    log_group_class: Option<String>,
    #[serde(default)]
    kms_key_id: Option<String>,
}

/// CloudWatch Logs may use a key only if it exists, is enabled, and its policy lets the region's Logs
/// service principal encrypt and decrypt with the group's encryption context (the wording is chosen).
fn check_key(call: &Call<'_>, key_arn: &str, group: &str) -> Result<()> {
    let group_arn = group_arn(call, group);
    if crate::access::logs_key(call.state, key_arn, &call.ctx.region, &group_arn) {
        Ok(())
    } else {
        Err(key_refused(&group_arn))
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AssociateKmsKeyInput {
    log_group_name: String,
    kms_key_id: String,
}

fn associate_kms_key(call: &mut Call<'_>, i: AssociateKmsKeyInput) -> Result<NoOutput> {
    check_key(call, &i.kms_key_id, &i.log_group_name)?;
    let g = call
        .region()
        .log_groups
        .get_mut(&i.log_group_name)
        .ok_or_else(not_found_group)?;
    g.kms_key_id = Some(i.kms_key_id);
    Ok(NoOutput)
}

fn disassociate_kms_key(call: &mut Call<'_>, i: GroupNameInput) -> Result<NoOutput> {
    let g = call
        .region()
        .log_groups
        .get_mut(&i.log_group_name)
        .ok_or_else(not_found_group)?;
    g.kms_key_id = None;
    Ok(NoOutput)
}

fn create_log_group(call: &mut Call<'_>, i: CreateLogGroupInput) -> Result<NoOutput> {
    check_group_name(&i.log_group_name)?;
    if let Some(c) = &i.log_group_class {
        check_enum("logGroupClass", c, LOG_GROUP_CLASSES).map_err(invalid)?;
    }
    if let Some(k) = &i.kms_key_id {
        check_key(call, k, &i.log_group_name)?;
    }
    let now = call.clock.now_millis();
    let r = call.region();
    if r.log_groups.contains_key(&i.log_group_name) {
        return Err(LogsError::ResourceAlreadyExists(
            "The specified log group already exists".into(),
        ));
    }
    r.log_groups.insert(
        i.log_group_name.clone(),
        LogGroup {
            log_group_name: i.log_group_name,
            creation_time: now,
            retention_in_days: None,
            metric_filters: Vec::new(),
            streams: BTreeMap::new(),
            tags: i.tags,
            kms_key_id: i.kms_key_id,
        },
    );
    Ok(NoOutput)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct GroupNameInput {
    log_group_name: String,
}

fn delete_log_group(call: &mut Call<'_>, i: GroupNameInput) -> Result<NoOutput> {
    call.region()
        .log_groups
        .remove(&i.log_group_name)
        .map(|_| NoOutput)
        .ok_or_else(not_found_group)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DescribeLogGroupsInput {
    log_group_name_prefix: Option<String>,
    log_group_name_pattern: Option<String>,
    next_token: Option<String>,
    limit: Option<i64>,
}

fn describe_log_groups(
    call: &mut Call<'_>,
    i: DescribeLogGroupsInput,
) -> Result<Listing<LogGroupOut>> {
    if i.log_group_name_prefix.is_some() && i.log_group_name_pattern.is_some() {
        return Err(invalid(
            "LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.",
        ));
    }
    let lim = limit(i.limit, 50)?;
    let (region, account) = (call.ctx.region.clone(), call.ctx.account.clone());
    let groups: Vec<&LogGroup> = call
        .region()
        .log_groups
        .values()
        .filter(|g| {
            i.log_group_name_prefix
                .as_ref()
                .is_none_or(|p| g.log_group_name.starts_with(p.as_str()))
        })
        .filter(|g| {
            i.log_group_name_pattern
                .as_ref()
                .is_none_or(|p| g.log_group_name.contains(p.as_str()))
        })
        .collect();
    let members = Members {
        items: "logGroups",
        token: "nextToken",
    };
    Listing::page(
        members,
        &groups,
        i.next_token.as_deref(),
        lim,
        bad_token,
        |g| LogGroupOut::new(g, &region, &account),
    )
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ListLogGroupsInput {
    log_group_name_pattern: Option<String>,
    log_group_class: Option<String>,
    next_token: Option<String>,
    limit: Option<i64>,
}

/// ListLogGroups: the groups whose names contain the pattern (a substring, as DescribeLogGroups reads it),
/// as summaries. Every group here is of class STANDARD.
fn list_log_groups(call: &mut Call<'_>, i: ListLogGroupsInput) -> Result<Listing<LogGroupSummary>> {
    if let Some(c) = &i.log_group_class {
        check_enum("logGroupClass", c, LOG_GROUP_CLASSES).map_err(invalid)?;
    }
    let lim = limit(i.limit, 1000)?;
    let (region, account) = (call.ctx.region.clone(), call.ctx.account.clone());
    let groups: Vec<&LogGroup> = call
        .region()
        .log_groups
        .values()
        .filter(|g| {
            i.log_group_name_pattern
                .as_ref()
                .is_none_or(|p| g.log_group_name.contains(p.as_str()))
        })
        .filter(|_| i.log_group_class.as_deref().is_none_or(|c| c == "STANDARD"))
        .collect();
    let members = Members {
        items: "logGroups",
        token: "nextToken",
    };
    Listing::page(
        members,
        &groups,
        i.next_token.as_deref(),
        lim,
        bad_token,
        |g| LogGroupSummary {
            log_group_name: g.log_group_name.clone(),
            log_group_arn: logs::group_arn(&region, &account, &g.log_group_name),
            log_group_class: "STANDARD",
        },
    )
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct StreamInput {
    log_group_name: String,
    log_stream_name: String,
}

fn create_log_stream(call: &mut Call<'_>, i: StreamInput) -> Result<NoOutput> {
    check_len("logStreamName", &i.log_stream_name, 1, 512).map_err(invalid)?;
    if i.log_stream_name.contains(':') || i.log_stream_name.contains('*') {
        let c = "Member must satisfy regular expression pattern: [^:*]*";
        return Err(invalid(ApiError::validation_message(
            Some(&i.log_stream_name),
            "logStreamName",
            c,
        )));
    }
    let now = call.clock.now_millis();
    let g = call
        .region()
        .log_groups
        .get_mut(&i.log_group_name)
        .ok_or_else(not_found_group)?;
    if g.streams.contains_key(&i.log_stream_name) {
        return Err(LogsError::ResourceAlreadyExists(
            "The specified log stream already exists".into(),
        ));
    }
    g.streams.insert(
        i.log_stream_name,
        LogStream {
            creation_time: now,
            events: Vec::new(),
        },
    );
    Ok(NoOutput)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DescribeLogStreamsInput {
    log_group_name: Option<String>,
    log_group_identifier: Option<String>,
    log_stream_name_prefix: Option<String>,
    order_by: Option<String>,
    descending: Option<bool>,
    next_token: Option<String>,
    limit: Option<i64>,
}

fn describe_log_streams(
    call: &mut Call<'_>,
    i: DescribeLogStreamsInput,
) -> Result<Listing<LogStreamOut>> {
    let name = either_group(&i.log_group_name, &i.log_group_identifier)?;
    if let Some(o) = &i.order_by {
        check_enum("orderBy", o, &["LogStreamName", "LastEventTime"]).map_err(invalid)?;
    }
    let lim = limit(i.limit, 50)?;
    let arn = group_arn(call, &name);
    let g = call
        .region()
        .log_groups
        .get(&name)
        .ok_or_else(not_found_group)?;
    let mut streams: Vec<(String, &LogStream)> = g
        .streams
        .iter()
        .filter(|(n, _)| {
            i.log_stream_name_prefix
                .as_ref()
                .is_none_or(|p| n.starts_with(p.as_str()))
        })
        .map(|(n, s)| (n.clone(), s))
        .collect();
    if i.order_by.as_deref() == Some("LastEventTime") {
        streams.sort_by_key(|(_, s)| s.events.iter().map(|e| e.timestamp).max().unwrap_or(0));
    }
    if i.descending == Some(true) {
        streams.reverse();
    }
    let members = Members {
        items: "logStreams",
        token: "nextToken",
    };
    Listing::page(
        members,
        &streams,
        i.next_token.as_deref(),
        lim,
        bad_token,
        |(n, s)| LogStreamOut::new(&n, s, &arn),
    )
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct InputLogEvent {
    timestamp: i64,
    message: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PutLogEventsInput {
    log_group_name: String,
    log_stream_name: String,
    log_events: Vec<InputLogEvent>,
}

fn put_log_events(call: &mut Call<'_>, i: PutLogEventsInput) -> Result<PutLogEventsOutput> {
    if i.log_events.is_empty() || i.log_events.len() > MAX_BATCH_EVENTS {
        let c = format!(
            "Member must have length {} {}",
            if i.log_events.is_empty() {
                "greater than or equal to"
            } else {
                "less than or equal to"
            },
            if i.log_events.is_empty() {
                1
            } else {
                MAX_BATCH_EVENTS
            }
        );
        return Err(invalid(ApiError::validation_message(None, "logEvents", &c)));
    }
    let bytes: usize = i.log_events.iter().map(|e| e.message.len() + 26).sum();
    if bytes > MAX_BATCH_BYTES {
        return Err(invalid(format!(
            "Upload too large: {bytes} bytes exceeds limit of {MAX_BATCH_BYTES}"
        )));
    }
    if i.log_events
        .windows(2)
        .any(|w| w[1].timestamp < w[0].timestamp)
    {
        return Err(invalid(
            "Log events in a single PutLogEvents request must be in chronological order.",
        ));
    }
    let now = call.clock.now_millis();
    // Events more than 2 hours ahead or 14 days behind are rejected, as AWS does (rejectedLogEventsInfo).
    let too_new = i
        .log_events
        .iter()
        .position(|e| e.timestamp > now + 2 * 3600 * 1000);
    let too_old_end = i
        .log_events
        .iter()
        .rposition(|e| e.timestamp < now - 14 * 86400 * 1000)
        .map(|p| p + 1);
    let accepted: Vec<(i64, String)> = i
        .log_events
        .into_iter()
        .enumerate()
        .filter(|(k, _)| too_new.is_none_or(|n| *k < n) && too_old_end.is_none_or(|o| *k >= o))
        .map(|(_, e)| (e.timestamp, e.message))
        .collect();
    let (account, region) = (call.ctx.account.clone(), call.ctx.region.clone());
    let place = ingest::Place {
        account: &account,
        region: &region,
        group: &i.log_group_name,
        stream: &i.log_stream_name,
    };
    let events = accepted.len();
    ingest::ingest(call.state, &place, now, accepted, false).map_err(|e| match e {
        ingest::Missing::Group => not_found_group(),
        ingest::Missing::Stream => not_found_stream(),
        ingest::Missing::Key => key_refused(&logs::group_arn(&region, &account, &i.log_group_name)),
    })?;
    // AWS's tokens are 56 digits; this one counts the stream's events.
    let stored = call
        .region()
        .log_groups
        .get(&i.log_group_name)
        .and_then(|g| g.streams.get(&i.log_stream_name))
        .map_or(events, |s| s.events.len());
    Ok(PutLogEventsOutput {
        next_sequence_token: format!("{stored:056}"),
        rejected_log_events_info: (too_new.is_some() || too_old_end.is_some()).then_some(
            RejectedLogEventsInfo {
                too_new_log_event_start_index: too_new,
                too_old_log_event_end_index: too_old_end,
            },
        ),
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct GetLogEventsInput {
    log_group_name: Option<String>,
    log_group_identifier: Option<String>,
    log_stream_name: String,
    start_time: Option<i64>,
    end_time: Option<i64>,
    limit: Option<i64>,
    start_from_head: Option<bool>,
    next_token: Option<String>,
}

fn get_log_events(call: &mut Call<'_>, i: GetLogEventsInput) -> Result<GetLogEventsOutput> {
    let name = either_group(&i.log_group_name, &i.log_group_identifier)?;
    let lim = limit(i.limit, 10_000)?;
    let g = call
        .region()
        .log_groups
        .get(&name)
        .ok_or_else(not_found_group)?;
    let s = g
        .streams
        .get(&i.log_stream_name)
        .ok_or_else(not_found_stream)?;
    let events: Vec<OutputLogEvent> = s
        .events
        .iter()
        .filter(|e| {
            i.start_time.is_none_or(|t| e.timestamp >= t)
                && i.end_time.is_none_or(|t| e.timestamp < t)
        })
        .map(|e| OutputLogEvent {
            timestamp: e.timestamp,
            message: e.message.clone(),
            ingestion_time: e.ingestion_time,
        })
        .collect();
    let from_head = i.start_from_head == Some(true)
        || i.next_token.as_deref().is_some_and(|t| t.starts_with("f/"));
    let start = match i.next_token.as_deref() {
        Some(t) => t
            .get(2..)
            .and_then(|n| n.parse::<usize>().ok())
            .filter(|n| *n <= events.len())
            .ok_or_else(bad_token)?,
        None if from_head => 0,
        None => events.len().saturating_sub(lim),
    };
    let end = (start + lim).min(events.len());
    Ok(GetLogEventsOutput {
        events: events[start..end].to_vec(),
        next_forward_token: format!("f/{end}"),
        next_backward_token: format!("b/{}", start.saturating_sub(lim)),
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FilterLogEventsInput {
    log_group_name: Option<String>,
    log_group_identifier: Option<String>,
    log_stream_names: Option<Vec<String>>,
    log_stream_name_prefix: Option<String>,
    start_time: Option<i64>,
    end_time: Option<i64>,
    filter_pattern: Option<String>,
    next_token: Option<String>,
    limit: Option<i64>,
}

fn filter_log_events(
    call: &mut Call<'_>,
    i: FilterLogEventsInput,
) -> Result<Listing<FilteredLogEvent>> {
    let name = either_group(&i.log_group_name, &i.log_group_identifier)?;
    if i.log_stream_names.is_some() && i.log_stream_name_prefix.is_some() {
        return Err(invalid(
            "Cannot specify both logStreamNames and logStreamNamePrefix.",
        ));
    }
    let lim = limit(i.limit, 10_000)?;
    let src = i.filter_pattern.clone().unwrap_or_default();
    let pattern =
        Pattern::parse(&src).map_err(|e| bad_pattern(e, Context::FilterLogEvents, &src))?;
    let g = call
        .region()
        .log_groups
        .get(&name)
        .ok_or_else(not_found_group)?;
    let mut events: Vec<FilteredLogEvent> = Vec::new();
    for (sname, s) in &g.streams {
        if i.log_stream_names
            .as_ref()
            .is_some_and(|n| !n.contains(sname))
        {
            continue;
        }
        if i.log_stream_name_prefix
            .as_ref()
            .is_some_and(|p| !sname.starts_with(p.as_str()))
        {
            continue;
        }
        for (k, e) in s.events.iter().enumerate() {
            let in_range = i.start_time.is_none_or(|t| e.timestamp >= t)
                && i.end_time.is_none_or(|t| e.timestamp <= t);
            if in_range && pattern.matches(&e.message) {
                events.push(FilteredLogEvent {
                    log_stream_name: sname.clone(),
                    timestamp: e.timestamp,
                    message: e.message.clone(),
                    ingestion_time: e.ingestion_time,
                    event_id: format!("{k:056}"),
                });
            }
        }
    }
    events.sort_by_key(|e| e.timestamp);
    // `searchedLogStreams` is left out: AWS no longer fills it.
    let members = Members {
        items: "events",
        token: "nextToken",
    };
    Listing::page(
        members,
        &events,
        i.next_token.as_deref(),
        lim,
        bad_token,
        |e| e,
    )
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PutMetricFilterInput {
    log_group_name: String,
    filter_name: String,
    filter_pattern: String,
    metric_transformations: Vec<MetricTransformation>,
    #[serde(default)]
    apply_on_transformed_logs: bool,
}

/// Validates a pattern as PutMetricFilter does.
fn parse_metric_pattern(src: &str) -> Result<Pattern> {
    if src.chars().count() > 1024 {
        let c = "Member must have length less than or equal to 1024";
        return Err(invalid(ApiError::validation_message(
            Some(src),
            "filterPattern",
            c,
        )));
    }
    Pattern::parse(src).map_err(|e| bad_pattern(e, Context::MetricFilter, src))
}

fn check_transformation(p: &Pattern, t: &MetricTransformation) -> Result<()> {
    check_len(
        "metricTransformations.1.member.metricName",
        &t.metric_name,
        1,
        255,
    )
    .map_err(invalid)?;
    check_len(
        "metricTransformations.1.member.metricNamespace",
        &t.metric_namespace,
        1,
        255,
    )
    .map_err(invalid)?;
    check_len(
        "metricTransformations.1.member.metricValue",
        &t.metric_value,
        1,
        100,
    )
    .map_err(invalid)?;
    // The model gives both members the pattern `[^:*$]*`, but AWS accepts a namespace with `:` (a recorded
    // answer: `A.B-c_d/1#2:metricNamespace`), so only the name is held to it.
    if t.metric_name.contains([':', '*', '$']) {
        let c = "Member must satisfy regular expression pattern: [^:*$]*";
        return Err(invalid(ApiError::validation_message(
            Some(&t.metric_name),
            "metricTransformations.1.member.metricName",
            c,
        )));
    }
    if t.metric_namespace.contains(['*', '$']) {
        let c = "Member must satisfy regular expression pattern: [^:*$]*";
        return Err(invalid(ApiError::validation_message(
            Some(&t.metric_namespace),
            "metricTransformations.1.member.metricNamespace",
            c,
        )));
    }
    let value = ValueRef::parse(&t.metric_value)
        .map_err(|m| invalid(format!("Invalid metric value: {m}")))?;
    let kind_ok = matches!(
        (&value, p.ast()),
        (ValueRef::Literal(_), _)
            | (ValueRef::Json(_), orgwatch_pattern::Ast::Json(_))
            | (ValueRef::Field(_), orgwatch_pattern::Ast::Delimited(_))
    );
    if !kind_ok {
        return Err(invalid(
            "Invalid metric value: the reference does not fit the filter pattern",
        ));
    }
    if let Some(u) = &t.unit {
        check_enum("metricTransformations.1.member.unit", u, UNITS).map_err(invalid)?;
    }
    if let Some(d) = &t.dimensions {
        if !p.supports_dimensions() {
            return Err(invalid(
                "The specified filter pattern does not support dimensions",
            ));
        }
        if d.len() > 3 {
            let c = "Member must have length less than or equal to 3";
            return Err(invalid(ApiError::validation_message(
                None,
                "metricTransformations.1.member.dimensions",
                c,
            )));
        }
        if t.default_value.is_some() && !d.is_empty() {
            return Err(invalid(semantics::DIMENSIONS_WITH_DEFAULT_VALUE_ERROR));
        }
        for v in d.values() {
            ValueRef::parse(v).map_err(|m| invalid(format!("Invalid dimension value: {m}")))?;
        }
    }
    Ok(())
}

fn put_metric_filter(call: &mut Call<'_>, i: PutMetricFilterInput) -> Result<NoOutput> {
    check_len("filterName", &i.filter_name, 1, 512).map_err(invalid)?;
    if i.filter_name.contains([':', '*']) {
        let c = "Member must satisfy regular expression pattern: [^:*]*";
        return Err(invalid(ApiError::validation_message(
            Some(&i.filter_name),
            "filterName",
            c,
        )));
    }
    if i.metric_transformations.len() != 1 {
        let c = if i.metric_transformations.is_empty() {
            "Member must have length greater than or equal to 1"
        } else {
            "Member must have length less than or equal to 1"
        };
        return Err(invalid(ApiError::validation_message(
            None,
            "metricTransformations",
            c,
        )));
    }
    let p = parse_metric_pattern(&i.filter_pattern)?;
    check_transformation(&p, &i.metric_transformations[0])?;
    let has_regex = !orgwatch_pattern::syntax::regexes(p.ast()).is_empty();
    let now = call.clock.now_millis();
    let g = call
        .region()
        .log_groups
        .get_mut(&i.log_group_name)
        .ok_or_else(not_found_group)?;
    let existing = g
        .metric_filters
        .iter()
        .position(|f| f.filter_name == i.filter_name);
    if existing.is_none() && g.metric_filters.len() >= MAX_FILTERS {
        return Err(LogsError::LimitExceeded("Resource limit exceeded.".into()));
    }
    let regex_filters = g
        .metric_filters
        .iter()
        .filter(|f| f.filter_name != i.filter_name)
        .filter(|f| {
            f.pattern()
                .is_some_and(|p| !orgwatch_pattern::syntax::regexes(p.ast()).is_empty())
        })
        .count();
    if has_regex && regex_filters >= MAX_REGEX_FILTERS {
        return Err(LogsError::LimitExceeded("Resource limit exceeded.".into()));
    }
    let f = MetricFilter {
        filter_name: i.filter_name,
        filter_pattern: i.filter_pattern,
        metric_transformations: i.metric_transformations,
        creation_time: now,
        log_group_name: i.log_group_name,
        apply_on_transformed_logs: i.apply_on_transformed_logs,
        compiled: p.into(),
    };
    match existing {
        Some(k) => g.metric_filters[k] = f,
        None => {
            g.metric_filters.push(f);
            g.metric_filters
                .sort_by(|a, b| a.filter_name.cmp(&b.filter_name));
        }
    }
    Ok(NoOutput)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DescribeMetricFiltersInput {
    log_group_name: Option<String>,
    filter_name_prefix: Option<String>,
    metric_name: Option<String>,
    metric_namespace: Option<String>,
    next_token: Option<String>,
    limit: Option<i64>,
}

fn describe_metric_filters(
    call: &mut Call<'_>,
    i: DescribeMetricFiltersInput,
) -> Result<Listing<MetricFilterOut>> {
    if let Some(p) = &i.filter_name_prefix {
        check_len("filterNamePrefix", p, 1, 512).map_err(invalid)?;
    }
    if let Some(m) = &i.metric_name {
        check_len("metricName", m, 0, 255).map_err(invalid)?;
    }
    if let Some(n) = &i.metric_namespace {
        check_len("metricNamespace", n, 0, 255).map_err(invalid)?;
    }
    if i.metric_name.is_some() != i.metric_namespace.is_some() {
        return Err(invalid(
            "If you specify metricName you must also specify metricNamespace, and vice versa.",
        ));
    }
    // The API reference says the prefix is used "only if you also include the logGroupName", but AWS's
    // recorded answer applies it across every group when no group is named, so it is applied.
    let prefix = i.filter_name_prefix.as_ref();
    let lim = limit(i.limit, 50)?;
    let r = call.region();
    let groups: Vec<&LogGroup> = match &i.log_group_name {
        Some(n) => vec![r.log_groups.get(n).ok_or_else(not_found_group)?],
        None => r.log_groups.values().collect(),
    };
    let mut filters: Vec<&MetricFilter> = groups
        .iter()
        .flat_map(|g| g.metric_filters.iter())
        .filter(|f| prefix.is_none_or(|p| f.filter_name.starts_with(p.as_str())))
        .filter(|f| {
            i.metric_name.as_ref().is_none_or(|m| {
                f.metric_transformations.iter().any(|t| {
                    &t.metric_name == m && Some(&t.metric_namespace) == i.metric_namespace.as_ref()
                })
            })
        })
        .collect();
    // Across groups, in filter-name order (as one group's filters are).
    filters.sort_by(|a, b| {
        (&a.filter_name, &a.log_group_name).cmp(&(&b.filter_name, &b.log_group_name))
    });
    let members = Members {
        items: "metricFilters",
        token: "nextToken",
    };
    Listing::page(
        members,
        &filters,
        i.next_token.as_deref(),
        lim,
        bad_token,
        MetricFilterOut::from,
    )
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DeleteMetricFilterInput {
    log_group_name: String,
    filter_name: String,
}

fn delete_metric_filter(call: &mut Call<'_>, i: DeleteMetricFilterInput) -> Result<NoOutput> {
    check_len("filterName", &i.filter_name, 1, 512).map_err(invalid)?;
    if i.log_group_name.chars().count() > 512 {
        return Err(invalid(
            "Invalid LogGroup or LogStream, both must have length less than or equal to 512.",
        ));
    }
    let g = call
        .region()
        .log_groups
        .get_mut(&i.log_group_name)
        .ok_or_else(not_found_group)?;
    let before = g.metric_filters.len();
    g.metric_filters.retain(|f| f.filter_name != i.filter_name);
    if g.metric_filters.len() == before {
        return Err(LogsError::ResourceNotFound(
            "The specified metric filter does not exist.".into(),
        ));
    }
    Ok(NoOutput)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TestMetricFilterInput {
    filter_pattern: String,
    log_event_messages: Vec<String>,
}

fn test_metric_filter(
    _: &mut Call<'_>,
    i: TestMetricFilterInput,
) -> Result<TestMetricFilterOutput> {
    if i.log_event_messages.is_empty() || i.log_event_messages.len() > 50 {
        let c = if i.log_event_messages.is_empty() {
            "Member must have length greater than or equal to 1"
        } else {
            "Member must have length less than or equal to 50"
        };
        return Err(invalid(ApiError::validation_message(
            None,
            "logEventMessages",
            c,
        )));
    }
    if let Some(k) = i.log_event_messages.iter().position(String::is_empty) {
        let c = "Member must have length greater than or equal to 1";
        return Err(invalid(ApiError::validation_message(
            Some(""),
            &format!("logEventMessages.{}.member", k + 1),
            c,
        )));
    }
    let p = parse_metric_pattern(&i.filter_pattern)?;
    let matches = p
        .test_messages(&i.log_event_messages)
        .into_iter()
        .map(|m| MetricFilterMatchRecord {
            event_number: m.event_number,
            event_message: m.event_message,
            extracted_values: m.extracted_values,
        })
        .collect();
    Ok(TestMetricFilterOutput { matches })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PutRetentionPolicyInput {
    log_group_name: String,
    retention_in_days: i32,
}

/// PutRetentionPolicy: the documented values.
const RETENTION_DAYS: &[i32] = &[
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
    3288, 3653,
];

fn put_retention_policy(call: &mut Call<'_>, i: PutRetentionPolicyInput) -> Result<NoOutput> {
    if !RETENTION_DAYS.contains(&i.retention_in_days) {
        let c = format!(
            "Member must satisfy enum value set: [{}]",
            RETENTION_DAYS
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
        return Err(invalid(ApiError::validation_message(
            Some(&i.retention_in_days.to_string()),
            "retentionInDays",
            &c,
        )));
    }
    let g = call
        .region()
        .log_groups
        .get_mut(&i.log_group_name)
        .ok_or_else(not_found_group)?;
    g.retention_in_days = Some(i.retention_in_days);
    Ok(NoOutput)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TagResourceInput {
    resource_arn: String,
    tags: BTreeMap<String, String>,
}

fn group_by_arn<'c>(call: &'c mut Call<'_>, arn: &str) -> Result<&'c mut LogGroup> {
    let name = group_name(arn);
    call.region()
        .log_groups
        .get_mut(&name)
        .ok_or_else(not_found_group)
}

fn tag_resource(call: &mut Call<'_>, i: TagResourceInput) -> Result<NoOutput> {
    group_by_arn(call, &i.resource_arn)?.tags.extend(i.tags);
    Ok(NoOutput)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct UntagResourceInput {
    resource_arn: String,
    tag_keys: Vec<String>,
}

fn untag_resource(call: &mut Call<'_>, i: UntagResourceInput) -> Result<NoOutput> {
    let g = group_by_arn(call, &i.resource_arn)?;
    for k in &i.tag_keys {
        g.tags.remove(k);
    }
    Ok(NoOutput)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ArnInput {
    resource_arn: String,
}

fn list_tags_for_resource(call: &mut Call<'_>, i: ArnInput) -> Result<ListTagsForResourceOutput> {
    let tags = group_by_arn(call, &i.resource_arn)?.tags.clone();
    Ok(ListTagsForResourceOutput { tags })
}

/// The group a name names, in the caller's region.
fn group_named<'c>(call: &'c mut Call<'_>, name: &str) -> Result<&'c mut LogGroup> {
    call.region()
        .log_groups
        .get_mut(name)
        .ok_or_else(not_found_group)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DeleteLogStreamInput {
    log_group_name: String,
    log_stream_name: String,
}

fn delete_log_stream(call: &mut Call<'_>, i: DeleteLogStreamInput) -> Result<NoOutput> {
    group_named(call, &i.log_group_name)?
        .streams
        .remove(&i.log_stream_name)
        .map(|_| NoOutput)
        .ok_or_else(not_found_stream)
}

fn delete_retention_policy(call: &mut Call<'_>, i: GroupNameInput) -> Result<NoOutput> {
    group_named(call, &i.log_group_name)?.retention_in_days = None;
    Ok(NoOutput)
}

/// TagLogGroup (deprecated by AWS in favour of TagResource, still served).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TagLogGroupInput {
    log_group_name: String,
    tags: BTreeMap<String, String>,
}

fn tag_log_group(call: &mut Call<'_>, i: TagLogGroupInput) -> Result<NoOutput> {
    group_named(call, &i.log_group_name)?.tags.extend(i.tags);
    Ok(NoOutput)
}

/// UntagLogGroup: its `tags` member is the list of keys.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct UntagLogGroupInput {
    log_group_name: String,
    tags: Vec<String>,
}

fn untag_log_group(call: &mut Call<'_>, i: UntagLogGroupInput) -> Result<NoOutput> {
    let g = group_named(call, &i.log_group_name)?;
    for k in &i.tags {
        g.tags.remove(k);
    }
    Ok(NoOutput)
}

fn list_tags_log_group(
    call: &mut Call<'_>,
    i: GroupNameInput,
) -> Result<ListTagsForResourceOutput> {
    let tags = group_named(call, &i.log_group_name)?.tags.clone();
    Ok(ListTagsForResourceOutput { tags })
}
