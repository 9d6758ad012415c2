//! KMS keys on the chain: a log group's (CloudWatch Logs must encrypt and decrypt with it) and a topic's
//! (CloudWatch must decrypt and make data keys with it to publish an alarm). A key must exist, be
//! enabled, and its policy must let the service use it; an AWS managed key's policy names no service, so it
//! never admits CloudWatch. Each judgement says why, with the statement that decided or the one to add.

use super::grants::{self, Verdict};
use crate::inventory::*;
use orgwatch_policy::Request;
use serde_json::Value;

/// A key that cannot be used, and why.
pub(super) struct Unusable {
    pub why: String,
    /// The statement that denies, or the one to add (none when the key itself must change).
    pub statement: Option<Value>,
    /// The key could not be read: the link is unknown, not broken.
    pub error: Option<CallError>,
}

/// The key `id` (as the group or topic names it) looked up in `region`: usable for every request, or why
/// not. `statement` is what to add when no statement allows; `aws_managed_refused`: an AWS managed key is
/// refused whatever its policy says (for a topic, whose AWS managed key cannot admit CloudWatch).
pub(super) fn judge(
    inv: &Inventory,
    region: &str,
    id: &str,
    requests: impl Fn(&str) -> Vec<Request>,
    statement: Value,
    aws_managed_refused: bool,
) -> Result<String, Box<Unusable>> {
    let plain = |why: String, statement: Option<Value>| {
        Box::new(Unusable {
            why,
            statement,
            error: None,
        })
    };
    let key = match inv.keys.get(&Key::slot(region, id)) {
        None => return Ok(format!("key {id} (not collected)")),
        Some(Err(e)) => {
            return Err(Box::new(Unusable {
                why: format!("key {id} could not be read: {}", e.message),
                statement: None,
                error: Some(e.clone()),
            }))
        }
        Some(Ok(k)) => k,
    };
    let name = key.aliases.first().map_or(id, String::as_str);
    if aws_managed_refused && (key.manager == "AWS" || id.contains("alias/aws/")) {
        return Err(plain(
            format!(
                "{name} is an AWS managed key: its policy cannot be changed to admit CloudWatch"
            ),
            None,
        ));
    }
    if !key.exists {
        return Err(plain(format!("key {id} does not exist"), None));
    }
    if key.state != "Enabled" {
        return Err(plain(format!("key {name} is {}", key.state), None));
    }
    match grants::resource_policy(&key.policy, &requests(&key.arn)) {
        Verdict::Allowed => Ok(format!(
            "key {name} is enabled and its policy admits the service"
        )),
        Verdict::Denied { statement, .. } => Err(plain(
            format!("a statement of the policy of key {name} denies the service"),
            Some(statement),
        )),
        Verdict::NotAllowed => Err(plain(
            format!("no statement of the policy of key {name} lets the service use it"),
            Some(statement),
        )),
        Verdict::Unreadable(e) => Err(plain(
            format!("the policy of key {name} cannot be read ({e})"),
            Some(statement),
        )),
    }
}
