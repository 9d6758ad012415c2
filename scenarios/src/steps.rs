//! Scenario steps: what happens after `given` — resources change, CloudTrail records are replayed, virtual
//! time passes — and what must hold afterwards: the checker's verdict, alarm states, and the notifications
//! SNS delivered during the step. Changes go through the AWS APIs; records, time and the outbox through the
//! emulator's admin API (no AWS API can do those).

use super::apply::{apply_region, sdk};
use super::format::{Removal, Scenario, Step, StepExpect};
use anyhow::{Context, Result};
use aws_config::SdkConfig;
use orgwatch_emulator::admin::api::OutboxMessage;
use orgwatch_emulator::admin::client::AdminClient;
use orgwatch_emulator::model::sns::DeliveryKind;
use serde_json::Value;
use std::collections::HashSet;

/// Where the virtual clock of a scenario with steps starts, unless `given.clock` says otherwise.
pub const DEFAULT_CLOCK: &str = "2026-01-01T00:00:00Z";

/// Starts the virtual clock (before anything is applied, so that every timestamp is reproducible).
pub async fn start_clock(endpoint: &str, s: &Scenario) -> Result<()> {
    let iso = s.given.clock.as_deref().unwrap_or(DEFAULT_CLOCK);
    AdminClient::new(endpoint)
        .set_clock_iso(iso)
        .await
        .with_context(|| format!("given.clock {iso:?} is not an RFC 3339 time"))?;
    Ok(())
}

fn place(s: &Scenario, account: Option<&String>, region: Option<&String>) -> (String, String) {
    (
        account.cloned().unwrap_or_else(|| s.check_account()),
        region.cloned().unwrap_or_else(|| s.check_region()),
    )
}

/// Runs one step; returns its unmet expectations (errors are failures to run it at all).
pub async fn run_step(
    endpoint: &str,
    s: &Scenario,
    step: &Step,
    conf: &SdkConfig,
    opts: &super::options::Options,
    terraform: &mut super::tfsteps::Terraform,
) -> Result<Vec<String>> {
    let before = outbox_keys(endpoint).await?;
    let (account, region) = place(s, None, None);
    let mut problems = terraform
        .step(s, step, endpoint, &account, &region, opts)
        .await?;
    for a in &step.apply {
        for (region, r) in &a.regions {
            apply_region(endpoint, a, region, r)
                .await
                .with_context(|| format!("account {} region {region}", a.account))?;
        }
    }
    for r in &step.remove {
        remove(endpoint, s, r).await?;
    }
    let records: Option<Vec<u8>> = match (&step.replay, &step.replay_file) {
        (Some(v), _) => Some(v.to_string().into_bytes()),
        (None, Some(f)) => {
            let path = s.base.join(f);
            Some(std::fs::read(&path).with_context(|| format!("replayFile {}", path.display()))?)
        }
        (None, None) => None,
    };
    if let Some(body) = records {
        AdminClient::new(endpoint)
            .deliver_raw(body)
            .await
            .context("replaying CloudTrail records")?;
    }
    if let Some(seconds) = step.advance {
        AdminClient::new(endpoint)
            .advance(seconds)
            .await
            .context("advancing the clock")?;
    }
    problems.extend(check_expect(endpoint, s, &step.expect, conf, &before, opts).await?);
    Ok(problems)
}

async fn remove(endpoint: &str, s: &Scenario, r: &Removal) -> Result<()> {
    let (account, region) = place(s, r.account.as_ref(), r.region.as_ref());
    let conf = sdk(endpoint, &account, &region).await;
    if let Some(t) = &r.trail {
        aws_sdk_cloudtrail::Client::new(&conf)
            .delete_trail()
            .name(t)
            .send()
            .await
            .with_context(|| format!("DeleteTrail {t}"))?;
    }
    if let Some(g) = &r.log_group {
        aws_sdk_cloudwatchlogs::Client::new(&conf)
            .delete_log_group()
            .log_group_name(g)
            .send()
            .await
            .with_context(|| format!("DeleteLogGroup {g}"))?;
    }
    if let (Some(f), Some(g)) = (&r.metric_filter, &r.log_group_name) {
        aws_sdk_cloudwatchlogs::Client::new(&conf)
            .delete_metric_filter()
            .log_group_name(g)
            .filter_name(f)
            .send()
            .await
            .with_context(|| format!("DeleteMetricFilter {f}"))?;
    }
    if let Some(a) = &r.alarm {
        aws_sdk_cloudwatch::Client::new(&conf)
            .delete_alarms()
            .alarm_names(a)
            .send()
            .await
            .with_context(|| format!("DeleteAlarms {a}"))?;
    }
    let sns = aws_sdk_sns::Client::new(&conf);
    match (&r.topic, &r.subscription) {
        (Some(t), Some(endpoint_of_sub)) => {
            let arn = format!("arn:aws:sns:{region}:{account}:{t}");
            let subs = sns
                .list_subscriptions_by_topic()
                .topic_arn(&arn)
                .send()
                .await
                .context("ListSubscriptionsByTopic")?;
            let found = subs
                .subscriptions()
                .iter()
                .filter(|x| x.endpoint() == Some(endpoint_of_sub.as_str()))
                .filter_map(|x| x.subscription_arn())
                .filter(|a| a.starts_with("arn:"))
                .map(str::to_string)
                .collect::<Vec<_>>();
            anyhow::ensure!(
                !found.is_empty(),
                "no confirmed subscription of {endpoint_of_sub} to {t}"
            );
            for a in found {
                sns.unsubscribe()
                    .subscription_arn(a)
                    .send()
                    .await
                    .context("Unsubscribe")?;
            }
        }
        (Some(t), None) => {
            sns.delete_topic()
                .topic_arn(format!("arn:aws:sns:{region}:{account}:{t}"))
                .send()
                .await
                .with_context(|| format!("DeleteTopic {t}"))?;
        }
        _ => {}
    }
    Ok(())
}

async fn outbox(endpoint: &str) -> Result<Vec<OutboxMessage>> {
    Ok(AdminClient::new(endpoint).outbox(None).await?)
}

fn key(m: &OutboxMessage) -> String {
    let d = &m.delivery;
    format!("{}|{:?}|{}", d.message_id, d.subscription_arn, d.kind)
}

async fn outbox_keys(endpoint: &str) -> Result<HashSet<String>> {
    Ok(outbox(endpoint).await?.iter().map(key).collect())
}

async fn check_expect(
    endpoint: &str,
    s: &Scenario,
    e: &StepExpect,
    conf: &SdkConfig,
    before: &HashSet<String>,
    opts: &super::options::Options,
) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    if e.status.is_some() || !e.reasons.is_empty() || e.snapshot.is_some() {
        let report = crate::check::check_scenario(s, conf).await?;
        if let Some(status) = &e.status {
            if report.status.as_str() != status {
                problems.push(format!(
                    "status {} (expected {status})",
                    report.status.as_str()
                ));
            }
        }
        for want in &e.reasons {
            if !report.reasons().contains(&want.as_str()) {
                problems.push(format!("no {want} finding"));
            }
        }
        if let Some(file) = &e.snapshot {
            problems.extend(super::snapshot::check(s, file, &report, opts));
        }
    }
    if !e.alarms.is_empty() {
        let cw = aws_sdk_cloudwatch::Client::new(conf);
        for (name, want) in &e.alarms {
            let out = cw
                .describe_alarms()
                .alarm_names(name)
                .send()
                .await
                .context("DescribeAlarms")?;
            match out.metric_alarms().first() {
                Some(a) => {
                    let got = a.state_value().map(|s| s.as_str()).unwrap_or_default();
                    if got != want {
                        problems.push(format!(
                            "alarm {name} is {got} (expected {want}): {}",
                            a.state_reason().unwrap_or_default()
                        ));
                    }
                }
                None => problems.push(format!("alarm {name} does not exist")),
            }
        }
    }
    if let Some(expected) = &e.notifications {
        let fresh: Vec<OutboxMessage> = outbox(endpoint)
            .await?
            .into_iter()
            .filter(|m| !before.contains(&key(m)))
            .filter(|m| {
                // A notification the endpoint refused (a queue whose policy or key shuts SNS out) was
                // not delivered.
                m.delivery.kind == DeliveryKind::Notification
                    && m.delivery.subscription_arn.is_some()
                    && m.delivery.failure.is_none()
            })
            .collect();
        if expected.is_empty() && !fresh.is_empty() {
            problems.push(format!(
                "expected no notification, {} were delivered ({})",
                fresh.len(),
                describe(&fresh)
            ));
        }
        for n in expected {
            let matching = fresh
                .iter()
                .filter(|m| {
                    let topic = m.delivery.topic_arn.as_str();
                    topic == n.topic || topic.rsplit(':').next() == Some(n.topic.as_str())
                })
                .filter(|m| {
                    n.state.as_ref().is_none_or(|s| {
                        serde_json::from_str::<Value>(&m.delivery.message)
                            .ok()
                            .is_some_and(|v| v["NewStateValue"] == s.as_str())
                    })
                })
                .count();
            let ok = match n.count {
                Some(c) => matching == c,
                None => matching >= 1,
            };
            if !ok {
                problems.push(format!(
                    "{} {}notification(s) to {} (expected {}); delivered: {}",
                    matching,
                    n.state
                        .as_deref()
                        .map(|s| format!("{s} "))
                        .unwrap_or_default(),
                    n.topic,
                    n.count.map_or("at least 1".to_string(), |c| c.to_string()),
                    describe(&fresh)
                ));
            }
        }
    }
    Ok(problems)
}

fn describe(messages: &[OutboxMessage]) -> String {
    if messages.is_empty() {
        return "none".into();
    }
    messages
        .iter()
        .map(|m| {
            format!(
                "{} to {} ({})",
                m.delivery.subject.as_deref().unwrap_or("(no subject)"),
                m.delivery.endpoint,
                m.delivery.topic_arn
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}
