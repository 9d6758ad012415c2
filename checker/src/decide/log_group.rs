//! The log group link: the trail's group exists, in the account and region the trail names, and a KMS
//! key it is encrypted with lets CloudWatch Logs of that region use it.

use super::chain::Builder;
use super::key;
use crate::fix::logs_key_statement;
use crate::inventory::*;
use crate::reason::Reason;
use orgwatch_policy::{service, Request};

/// Judges the group the trail delivers to; `None` ends the chain there.
pub(super) fn judge<'i>(b: &mut Builder, inv: &'i Inventory, key: &str) -> Option<&'i LogGroup> {
    let group = match inv.log_groups.get(key) {
        Some(Ok(g)) => g,
        Some(Err(e)) => {
            b.link(
                "log-group",
                key,
                "unknown",
                vec![format!("{}: {}", e.code, e.message)],
            );
            b.unknown(e, key);
            return None;
        }
        None => return None,
    };
    if !group.exists {
        b.link(
            "log-group",
            key,
            "broken",
            vec![format!(
                "no log group {} in {} of account {}",
                group.name, group.region, group.account
            )],
        );
        b.find(
            Reason::LogGroupMissing,
            vec![key.to_string()],
            format!(
                "the trail delivers to log group {} in {}, which does not exist",
                group.name, group.region
            ),
        );
        return None;
    }
    let mut evidence = vec![format!(
        "exists in {} with {} metric filter(s)",
        group.region,
        group.metric_filters.len()
    )];
    let mut state = "passed";
    if let Some(k) = &group.kms_key_id {
        b.names.group_key = Some(k.clone());
        let group_arn = format!(
            "arn:aws:logs:{}:{}:log-group:{}",
            group.region, group.account, group.name
        );
        let logs = service(&format!("logs.{}.amazonaws.com", group.region));
        let requests = |key_arn: &str| {
            ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"]
                .iter()
                .map(|a| {
                    Request::new(logs.clone(), a, key_arn)
                        .with("kms:EncryptionContext:aws:logs:arn", &group_arn)
                })
                .collect()
        };
        let wanted = logs_key_statement(&group.region, &group.account, &group.name);
        match key::judge(inv, &group.region, k, requests, wanted, false) {
            Ok(how) => evidence.push(format!("encrypted: {how}")),
            Err(u) => {
                evidence.push(format!("encrypted: {}", u.why));
                if let Some(e) = &u.error {
                    state = "unknown";
                    b.unknown(e, k);
                } else {
                    state = "broken";
                    let f = b.find(
                        Reason::LogGroupKeyUnusable,
                        vec![key.to_string(), k.clone()],
                        format!(
                            "CloudWatch Logs cannot use the key of log group {}: {}; the group takes no events",
                            group.name, u.why
                        ),
                    );
                    f.statement = u.statement;
                }
            }
        }
    }
    b.link("log-group", key, state, evidence);
    Some(group)
}
