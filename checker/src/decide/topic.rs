//! The topic link: the alarm's topic exists and has a confirmed subscription.

use super::chain::Builder;
use crate::inventory::*;
use crate::reason::Reason;
use crate::report::Finding;

pub(super) fn judge_topics(b: &mut Builder, inv: &Inventory, topics: &[&String]) {
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
                    b.names.topic = Some((*arn).clone());
                    b.find(Reason::TopicNoConfirmedSubscription, vec![(*arn).clone()], format!("topic {arn} has no confirmed subscription ({pending} pending confirmation)"));
                } else {
                    let who: Vec<String> = confirmed
                        .iter()
                        .map(|s| format!("{} {}", s.protocol, s.endpoint))
                        .collect();
                    b.link(
                        "topic",
                        arn,
                        "passed",
                        vec![format!("confirmed subscriber(s): {}", who.join(", "))],
                    );
                    // One complete topic is enough: the others' problems do not break the chain.
                    b.findings.truncate(saved);
                    problems.clear();
                    return;
                }
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
