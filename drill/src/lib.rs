//! The fire drill: for each of the 18 Organizations events of the CIS control (or each case of another
//! control of the family: one record per event, or per condition, shaped as CloudTrail writes it), inject
//! one synthetic CloudTrail record into an orgwatch emulator, advance its virtual clock until an alarm notifies (or a
//! horizon passes), and record whether an ALARM notification reached a confirmed subscriber; then let
//! the alarm recover before the next event, so that a chain that fires only once is caught.
//!
//! The drill writes (records, the clock), so [`drill`] refuses any endpoint that is not an orgwatch
//! emulator. What it reads through AWS APIs (the caller's account, the alarms' periods and states) goes
//! through the official SDK; what only the emulator can do goes through its admin API ([`AdminClient`]).

pub mod report;

use aws_config::SdkConfig;
use orgwatch_emulator::admin::api::OutboxMessage;
use orgwatch_emulator::admin::client::{AdminClient, AdminError};
use orgwatch_emulator::model::sns::DeliveryKind;
use orgwatch_pattern::cis;
use orgwatch_pattern::family::{Benchmark, Control};
use report::{DrillReport, EventResult, Notice};
use serde_json::{json, Value};
use std::collections::HashSet;

/// Waits at least this long for a notification or a recovery, whatever the alarms say.
const MIN_HORIZON: f64 = 600.0;
/// And at most this long (one day, the longest alarm window for periods under an hour).
const MAX_HORIZON: f64 = 86_400.0;
/// How many more horizons the drill waits for the alarms to leave ALARM before the next event.
const RECOVERY_HORIZONS: usize = 2;

/// Runs the drill against the emulator at `endpoint`, with `conf` (its SDK configuration) for the AWS
/// APIs. Fails before writing anything if the endpoint is not an orgwatch emulator.
pub async fn drill(endpoint: &str, conf: &SdkConfig) -> Result<DrillReport, String> {
    drill_control(endpoint, conf, Control::ORGANIZATIONS, None).await
}

/// The drill for one control of the CIS monitoring family in benchmark version `benchmark` (the latest
/// when `None`): each case of its intent, as the analyzer's realistic record of it.
pub async fn drill_control(
    endpoint: &str,
    conf: &SdkConfig,
    control: &'static Control,
    benchmark: Option<Benchmark>,
) -> Result<DrillReport, String> {
    let class = control.class(benchmark.unwrap_or(Benchmark::LATEST));
    let admin = AdminClient::new(endpoint);
    if !admin.is_emulator().await {
        return Err(format!(
            "{endpoint} is not an orgwatch emulator (no /_orgwatch/health): the drill writes records and moves the clock, so it only runs against one"
        ));
    }
    let started = std::time::Instant::now();
    let account = aws_sdk_sts::Client::new(conf)
        .get_caller_identity()
        .send()
        .await
        .map_err(|e| {
            format!(
                "GetCallerIdentity: {}",
                aws_sdk_sts::error::DisplayErrorContext(e)
            )
        })?
        .account
        .unwrap_or_default();
    let region = conf
        .region()
        .map_or("us-east-1".to_string(), |r| r.to_string());
    // In an organization the log group also receives the routine Organizations reads.
    let organization = aws_sdk_organizations::Client::new(conf)
        .describe_organization()
        .send()
        .await
        .is_ok();
    let clock = admin.clock().await.map_err(text)?;
    let (now, virtual_clock) = (clock.now, clock.is_virtual);
    if !virtual_clock {
        // Virtual time from here on: the drill's waits cost nothing and every run is the same.
        admin.set_clock(now).await.map_err(text)?;
    }
    let cw = aws_sdk_cloudwatch::Client::new(conf);
    let horizon = horizon(&cw).await;
    let mut seen: HashSet<String> = admin
        .outbox(None)
        .await
        .map_err(text)?
        .iter()
        .map(key)
        .collect();
    // Warm up: a live account has had ordinary traffic all along, so quiet periods before the drill must
    // not look like missing data (under `breaching` they would hold the alarm in ALARM). Then wait for any
    // alarm already in ALARM (an earlier change, a test), which would swallow the first event's transition.
    let now = admin.clock().await.map_err(text)?.now;
    admin
        .deliver(&background(&account, now, horizon, organization))
        .await
        .map_err(text)?;
    admin.advance(horizon).await.map_err(text)?;
    seen.extend(admin.outbox(None).await.map_err(text)?.iter().map(key));
    settle(&admin, &cw, &account, horizon, organization, &mut seen).await?;
    let mut events = Vec::new();
    for (i, case) in class.cases.iter().enumerate() {
        let name = &case.name;
        // An alarm still in ALARM when the event arrives (ordinary traffic keeps it there) cannot tell of
        // the event: whatever it publishes afterwards is its own flapping, not this change.
        let stuck = alarms_in_alarm(&cw).await?;
        let t0 = admin.clock().await.map_err(text)?.now;
        let delivered = admin
            .deliver(&[record_of(case.template.clone(), &account, t0, i)])
            .await
            .map_err(text)?;
        let log_groups = delivered
            .deliveries
            .iter()
            .filter(|w| w.error.is_none())
            .count();
        let refused: Vec<String> = delivered
            .deliveries
            .iter()
            .filter_map(|w| {
                w.error.as_ref().map(|e| {
                    format!(
                        "trail {} could not write to log group {}: {e}",
                        w.trail, w.log_group
                    )
                })
            })
            .collect();
        // A horizon of ordinary traffic, then the whole horizon at once: the emulator evaluates every alarm
        // at each instant it would have on the way, and the outbox's timestamps say when each message left.
        admin
            .deliver(&background(&account, t0, horizon, organization))
            .await
            .map_err(text)?;
        admin.advance(horizon).await.map_err(text)?;
        let fresh: Vec<OutboxMessage> = admin
            .outbox(None)
            .await
            .map_err(text)?
            .into_iter()
            .filter(|m| seen.insert(key(m)))
            .collect();
        let (notifications, flapping): (Vec<Notice>, Vec<Notice>) = fresh
            .iter()
            .filter_map(|m| alarm_notice(m, t0))
            .partition(|n| !stuck.contains(&n.alarm));
        let first = notifications
            .iter()
            .map(|n| n.delivered_after_seconds)
            .fold(f64::INFINITY, f64::min);
        let notified = !notifications.is_empty();
        let note = if notified {
            None
        } else if log_groups == 0 && !refused.is_empty() {
            Some(refused.join("; "))
        } else if log_groups == 0 {
            Some("no trail delivered the record to a log group".to_string())
        } else if let Some(n) = flapping.first() {
            Some(format!(
                "alarm {} was already in ALARM when the event arrived (ordinary traffic keeps it there): what it published afterwards does not report this change",
                n.alarm
            ))
        } else if let Some(failed) = failed_action(&cw, t0).await {
            Some(format!(
                "an alarm went to ALARM but its action failed: {failed}"
            ))
        } else {
            Some(format!(
                "no ALARM notification reached a confirmed subscriber within {horizon} s"
            ))
        };
        // Let every alarm leave ALARM before the next event, so that the next one can notify again.
        let recovered = settle(&admin, &cw, &account, horizon, organization, &mut seen).await?;
        events.push(EventResult {
            event: name.to_string(),
            injected_at: iso(t0),
            log_groups,
            notified,
            seconds_to_notify: notified.then_some(first),
            notifications,
            recovered: notified.then_some(recovered),
            note,
        });
    }
    let mut report = DrillReport::new(
        endpoint,
        &account,
        &region,
        events,
        started.elapsed().as_secs_f64(),
    );
    if benchmark.is_some() || control != Control::ORGANIZATIONS {
        report.control = Some(control.slug.to_string());
        report.what = control.noun.to_string();
    }
    Ok(report)
}

/// How long to wait for an alarm: the longest evaluation range among the region's alarms, plus a period.
async fn horizon(cw: &aws_sdk_cloudwatch::Client) -> f64 {
    let mut longest = MIN_HORIZON;
    let mut pages = cw.describe_alarms().into_paginator().send();
    while let Some(Ok(page)) = pages.next().await {
        for a in page.metric_alarms() {
            let p = f64::from(a.period().unwrap_or(60));
            let n = f64::from(a.evaluation_periods().unwrap_or(1));
            longest = longest.max(p * (n + 3.0));
        }
    }
    longest.min(MAX_HORIZON)
}

/// Passes time (with ordinary traffic) until no alarm of the region is in ALARM, for at most
/// [`RECOVERY_HORIZONS`] horizons; returns whether they all left ALARM. What is published meanwhile is
/// marked as seen.
async fn settle(
    admin: &AdminClient,
    cw: &aws_sdk_cloudwatch::Client,
    account: &str,
    horizon: f64,
    organization: bool,
    seen: &mut HashSet<String>,
) -> Result<bool, String> {
    for _ in 0..RECOVERY_HORIZONS {
        if !in_alarm(cw).await? {
            return Ok(true);
        }
        let now = admin.clock().await.map_err(text)?.now;
        admin
            .deliver(&background(account, now, horizon, organization))
            .await
            .map_err(text)?;
        admin.advance(horizon).await.map_err(text)?;
        seen.extend(admin.outbox(None).await.map_err(text)?.iter().map(key));
    }
    Ok(!in_alarm(cw).await?)
}

/// The first alarm action that failed since `t0`, as the alarm history words it.
async fn failed_action(cw: &aws_sdk_cloudwatch::Client, t0: f64) -> Option<String> {
    let history = cw
        .describe_alarm_history()
        .history_item_type(aws_sdk_cloudwatch::types::HistoryItemType::Action)
        .start_date(aws_sdk_cloudwatch::primitives::DateTime::from_secs(
            t0 as i64,
        ))
        .send()
        .await
        .ok()?;
    history
        .alarm_history_items()
        .iter()
        .filter_map(|i| i.history_summary())
        .find(|s| s.starts_with("Failed to execute action"))
        .map(str::to_string)
}

/// Whether any alarm of the region is in ALARM.
async fn in_alarm(cw: &aws_sdk_cloudwatch::Client) -> Result<bool, String> {
    Ok(!alarms_in_alarm(cw).await?.is_empty())
}

/// The names of the region's alarms in ALARM.
async fn alarms_in_alarm(cw: &aws_sdk_cloudwatch::Client) -> Result<HashSet<String>, String> {
    let mut names = HashSet::new();
    let mut pages = cw
        .describe_alarms()
        .state_value(aws_sdk_cloudwatch::types::StateValue::Alarm)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| {
            format!(
                "DescribeAlarms: {}",
                aws_sdk_cloudwatch::error::DisplayErrorContext(e)
            )
        })?;
        names.extend(
            page.metric_alarms()
                .iter()
                .filter_map(|a| a.alarm_name().map(str::to_string)),
        );
    }
    Ok(names)
}

fn text(e: AdminError) -> String {
    e.to_string()
}

fn key(m: &OutboxMessage) -> String {
    let d = &m.delivery;
    format!(
        "{}|{}|{}",
        d.message_id,
        d.subscription_arn.as_deref().unwrap_or_default(),
        d.kind
    )
}

/// Whether an alarm's reason cites at least one real breaching datapoint (AWS's `Threshold Crossed: 1
/// datapoint [1.0 (15/01/27 08:00:00)] was ...`). An ALARM raised only by missing data treated as
/// breaching (`no datapoints were received ...`, or an empty `[]`) says nothing about the event.
fn cites_datapoints(reason: &str) -> bool {
    ["datapoint [", "datapoints ["].iter().any(|cite| {
        reason
            .match_indices(cite)
            .any(|(i, _)| reason[i + cite.len()..].starts_with(|c: char| c != ']'))
    })
}

/// An outbox entry that is an alarm's ALARM notification to a confirmed subscription, raised by data;
/// its times counted from `t0`, when the event's record was written.
fn alarm_notice(m: &OutboxMessage, t0: f64) -> Option<Notice> {
    let d = &m.delivery;
    // A notification its endpoint refused (a queue that shuts SNS out) told nobody.
    if d.kind != DeliveryKind::Notification || d.subscription_arn.is_none() || d.failure.is_some() {
        return None;
    }
    let msg: Value = serde_json::from_str(&d.message).ok()?;
    if msg["NewStateValue"] != "ALARM" || !cites_datapoints(msg["NewStateReason"].as_str()?) {
        return None;
    }
    Some(Notice {
        alarm: msg["AlarmName"].as_str().unwrap_or_default().to_string(),
        topic: d.topic_arn.clone(),
        protocol: d.protocol.to_string(),
        endpoint: d.endpoint.clone(),
        alarm_after_seconds: state_change_time(&msg).map(|t| t - t0),
        delivered_after_seconds: d.timestamp - t0,
    })
}

/// When the alarm changed state: its message's `StateChangeTime`, which AWS writes with a `+0000` offset
/// (`2026-01-01T00:05:00.000+0000`).
fn state_change_time(msg: &Value) -> Option<f64> {
    let rfc3339 = format!(
        "{}Z",
        msg["StateChangeTime"].as_str()?.strip_suffix("+0000")?
    );
    let t = time::OffsetDateTime::parse(&rfc3339, &time::format_description::well_known::Rfc3339)
        .ok()?;
    Some(t.unix_timestamp() as f64 + f64::from(t.nanosecond()) / 1e9)
}

/// Background traffic for `seconds` from `t`, every minute: the ordinary events every CloudTrail log
/// group receives, and in an organization the routine Organizations reads ([`cis::ordinary_traffic`]).
/// With a filter `defaultValue` they publish real non-breaching points, as in a live account, which decides
/// how Average, M-of-N and `ignore` alarms behave.
pub fn background(account: &str, t: f64, seconds: f64, organization: bool) -> Vec<Value> {
    let traffic = cis::ordinary_traffic(organization);
    let spacing = 50.0 / traffic.len() as f64;
    let minutes = (seconds / 60.0).ceil().max(1.0) as usize;
    (0..minutes)
        .flat_map(|m| {
            traffic
                .clone()
                .into_iter()
                .enumerate()
                .map(move |(i, (source, name, read_only))| {
                    let mut r = cis::ordinary_record(source, name, read_only);
                    r["eventTime"] = json!(iso(t + (m * 60) as f64 + 1.0 + i as f64 * spacing));
                    r["recipientAccountId"] = json!(account);
                    r["userIdentity"]["accountId"] = json!(account);
                    r
                })
        })
        .collect()
}

/// A synthetic CloudTrail record of the Organizations event `name` by `account` at `t` (the analyzer's
/// realistic template).
pub fn record(name: &str, account: &str, t: f64, n: usize) -> Value {
    record_of(
        orgwatch_pattern::coverage::schema::cloudtrail_template(cis::EVENT_SOURCE, name),
        account,
        t,
        n,
    )
}

/// A record built on `template` (a case's realistic record), made `account`'s, at `t`, with the drill's
/// `n`-th event id.
pub fn record_of(mut r: Value, account: &str, t: f64, n: usize) -> Value {
    r["eventTime"] = json!(iso(t));
    r["recipientAccountId"] = json!(account);
    r["userIdentity"]["accountId"] = json!(account);
    let arn = match r["userIdentity"]["type"].as_str() {
        Some("Root") => format!("arn:aws:iam::{account}:root"),
        Some("IAMUser") => format!("arn:aws:iam::{account}:user/orgwatch-drill"),
        _ => format!("arn:aws:sts::{account}:assumed-role/OrgAdmin/orgwatch-drill"),
    };
    r["userIdentity"]["arn"] = json!(arn);
    r["eventID"] = json!(format!("0rgd7111-0000-4000-8000-{n:012x}"));
    r["userAgent"] = json!("orgwatch-drill");
    r
}

fn iso(t: f64) -> String {
    time::OffsetDateTime::from_unix_timestamp(t.floor() as i64)
        .ok()
        .and_then(|d| {
            d.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::{cites_datapoints, state_change_time};

    #[test]
    fn the_alarm_time_is_read_from_the_message_as_aws_writes_it() {
        let msg = serde_json::json!({"StateChangeTime": "2026-01-01T00:05:00.250+0000"});
        assert_eq!(state_change_time(&msg), Some(1_767_225_900.25));
        assert_eq!(
            state_change_time(&serde_json::json!({"StateChangeTime": "yesterday"})),
            None
        );
        assert_eq!(state_change_time(&serde_json::json!({})), None);
    }

    #[test]
    fn only_alarms_raised_by_data_count() {
        assert!(cites_datapoints("Threshold Crossed: 1 datapoint [1.0 (15/01/27 08:00:00)] was greater than or equal to the threshold (1.0)."));
        assert!(cites_datapoints("Threshold Crossed: 2 out of the last 3 datapoints [10.0 (15/01/27 08:09:00), 10.0 (15/01/27 08:07:00)] were greater than the threshold (5.0) (minimum 2 datapoints for OK -> ALARM transition)."));
        assert!(!cites_datapoints("Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint was treated as [Breaching]."));
        assert!(!cites_datapoints("Threshold Crossed: 0 out of the last 1 datapoints [] were greater than the threshold (1.0) and 1 missing datapoint was treated as [Breaching] (minimum 1 datapoint for OK -> ALARM transition)."));
        assert!(!cites_datapoints("testing alarm"));
    }
}
