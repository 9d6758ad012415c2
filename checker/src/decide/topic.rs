//! The topic link: the alarm's topic exists, lets CloudWatch publish (its access policy, and the KMS key
//! it is encrypted with), and has a confirmed subscription whose filter policy lets the alarm's
//! notification through (judged in `subscription`).

use super::chain::Builder;
use super::grants::{self, Verdict};
use super::key;
use super::subscription::{self, Passage};
use crate::fix::{alarm_key_statement, alarm_publish_statement};
use crate::inventory::*;
use crate::reason::Reason;
use crate::report::Finding;
use orgwatch_policy::{service, Request};

/// Whether CloudWatch may publish `alarm`'s notification to `t` (evidence added either way): `Err` with the
/// link's state when it may not, its findings made.
fn publishable(
    b: &mut Builder,
    inv: &Inventory,
    alarm: &Alarm,
    t: &Topic,
    evidence: &mut Vec<String>,
) -> Result<(), &'static str> {
    let (region, account) = split_arn(&t.arn).map(|a| (a.1, a.2)).unwrap_or_default();
    let (mut broken, mut unknown) = (false, false);
    let cloudwatch = || service("cloudwatch.amazonaws.com");
    if let Some(policy) = &t.policy {
        let publish = Request::new(cloudwatch(), "sns:Publish", &t.arn)
            .with("aws:SourceArn", &alarm.arn)
            .with("aws:SourceAccount", &account)
            .with("AWS:SourceOwner", &account);
        let wanted = alarm_publish_statement(&t.arn, &region, &account);
        let refused = match grants::resource_policy(policy, &[publish]) {
            Verdict::Allowed => {
                evidence.push("the topic policy lets CloudWatch publish".into());
                None
            }
            Verdict::Denied { statement, .. } => Some((
                "a statement of the topic policy denies CloudWatch sns:Publish".to_string(),
                statement,
            )),
            Verdict::NotAllowed => Some((
                "no statement of the topic policy lets cloudwatch.amazonaws.com sns:Publish".into(),
                wanted.clone(),
            )),
            Verdict::Unreadable(e) => {
                Some((format!("the topic policy cannot be read ({e})"), wanted))
            }
        };
        if let Some((why, statement)) = refused {
            broken = true;
            evidence.push(why.clone());
            let f = b.find(
                Reason::TopicPolicyDeniesCloudwatch,
                vec![t.arn.clone(), alarm.arn.clone()],
                format!("alarm {} cannot publish to topic {}: {why}; the alarm changes state and nobody is told", alarm.name, t.arn),
            );
            f.statement = Some(statement);
        }
    }
    if let Some(k) = &t.kms_master_key_id {
        b.names.topic_key = Some(k.clone());
        let requests = |key_arn: &str| {
            ["kms:Decrypt", "kms:GenerateDataKey"]
                .iter()
                .map(|a| {
                    Request::new(cloudwatch(), a, key_arn)
                        .with("aws:SourceArn", &alarm.arn)
                        .with("aws:SourceAccount", &account)
                })
                .collect()
        };
        match key::judge(inv, &region, k, requests, alarm_key_statement(), true) {
            Ok(how) => evidence.push(format!("encrypted: {how}")),
            Err(u) => {
                evidence.push(format!("encrypted: {}", u.why));
                match &u.error {
                    Some(e) => {
                        unknown = true;
                        b.unknown(e, k)
                    }
                    None => {
                        broken = true;
                        let f = b.find(
                            Reason::TopicKeyDeniesCloudwatch,
                            vec![t.arn.clone(), k.clone()],
                            format!("alarm {} cannot publish to topic {}: {}; the alarm changes state and nobody is told", alarm.name, t.arn, u.why),
                        );
                        f.statement = u.statement.or_else(|| Some(alarm_key_statement()));
                    }
                }
            }
        }
    }
    match super::chain::link_state(broken, unknown) {
        "passed" => Ok(()),
        state => Err(state),
    }
}

/// The confirmed subscribers the alarm's notification reaches, as the link's evidence; `None` when it
/// reaches none (the link made, `broken` by filter policies or `unknown` for unread attributes, with its
/// finding).
fn reachable_subscribers(
    b: &mut Builder,
    alarm: &Alarm,
    topic: &str,
    confirmed: &[&Subscription],
) -> Option<Vec<String>> {
    let (mut reached, mut dropped, mut unread) = (Vec::new(), Vec::new(), Vec::new());
    for s in confirmed {
        let who = format!("{} {}", s.protocol, s.endpoint);
        match subscription::passage(s, alarm) {
            Passage::Delivered(None) => reached.push(who),
            Passage::Delivered(Some(why)) => reached.push(format!("{who} ({why})")),
            Passage::Dropped(why) => dropped.push((s, format!("{who}: {why}"))),
            Passage::Unread(e) => unread.push((s, e)),
        }
    }
    let mut evidence = Vec::new();
    if !reached.is_empty() {
        evidence.push(format!("confirmed subscriber(s): {}", reached.join(", ")));
    }
    evidence.extend(
        dropped
            .iter()
            .map(|(_, why)| format!("filtered out: {why}")),
    );
    if !reached.is_empty() {
        return Some(evidence);
    }
    if let Some((s, e)) = unread.first() {
        evidence.push(format!(
            "{} {}: its filter policy could not be read",
            s.protocol, s.endpoint
        ));
        b.link("topic", topic, "unknown", evidence);
        b.unknown(e, &s.arn);
        return None;
    }
    b.link("topic", topic, "broken", evidence);
    b.names.filtered_subscription = dropped.first().map(|(s, _)| s.arn.clone());
    let why: Vec<&str> = dropped.iter().map(|(_, why)| why.as_str()).collect();
    let mut resources = vec![topic.to_string()];
    resources.extend(dropped.iter().map(|(s, _)| s.arn.clone()));
    b.find(
        Reason::SubscriptionFilterDropsAlarms,
        resources,
        format!("alarm {} notifies topic {topic}, but every confirmed subscription filters the notification out ({}); the alarm changes state and nobody is told", alarm.name, why.join("; ")),
    );
    None
}

pub(super) fn judge_topics(b: &mut Builder, inv: &Inventory, alarm: &Alarm, topics: &[&String]) {
    if topics.is_empty() {
        return;
    }
    let mut problems: Vec<Finding> = Vec::new();
    let saved = b.findings.len();
    for arn in topics {
        match inv.topics.get(*arn) {
            Some(Ok(t)) if !t.exists => {
                b.link(
                    "topic",
                    arn,
                    "broken",
                    vec!["the topic does not exist in the account and region of its ARN".into()],
                );
                b.names.topic = Some((*arn).clone());
                b.find(
                    Reason::TopicMissing,
                    vec![(*arn).clone()],
                    format!("topic {arn} does not exist"),
                );
            }
            Some(Ok(t)) => {
                let confirmed: Vec<&Subscription> =
                    t.subscriptions.iter().filter(|s| s.confirmed()).collect();
                let pending = t.subscriptions.len() - confirmed.len();
                b.names.topic = Some((*arn).clone());
                if confirmed.is_empty() {
                    b.link(
                        "topic",
                        arn,
                        "broken",
                        vec![format!(
                            "{} subscription(s), none confirmed ({pending} pending)",
                            t.subscriptions.len()
                        )],
                    );
                    b.find(Reason::TopicNoConfirmedSubscription, vec![(*arn).clone()], format!("topic {arn} has no confirmed subscription ({pending} pending confirmation)"));
                    continue;
                }
                let Some(mut evidence) = reachable_subscribers(b, alarm, arn, &confirmed) else {
                    continue;
                };
                match publishable(b, inv, alarm, t, &mut evidence) {
                    Ok(()) => {}
                    Err(state) => {
                        b.link("topic", arn, state, evidence);
                        continue;
                    }
                }
                b.link("topic", arn, "passed", evidence);
                // One complete topic is enough: the others' problems do not break the chain.
                b.findings.truncate(saved);
                problems.clear();
                return;
            }
            Some(Err(e)) => {
                b.link("topic", arn, "unknown", vec![e.message.clone()]);
                b.unknown(e, arn);
            }
            None => {}
        }
    }
    b.findings.extend(problems);
}
