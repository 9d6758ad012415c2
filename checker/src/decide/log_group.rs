//! The log group link: the trail's group exists, in the account and region the trail names.

use super::chain::Builder;
use crate::inventory::*;
use crate::reason::Reason;

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
    b.link(
        "log-group",
        key,
        "passed",
        vec![format!(
            "exists in {} with {} metric filter(s)",
            group.region,
            group.metric_filters.len()
        )],
    );
    Some(group)
}
