//! Reading the policies of the chain's links: which statement decided a request, as evidence. The
//! decision itself is `orgwatch_policy`'s (AWS's documented evaluation: an explicit Deny wins, then an
//! Allow, else the implicit deny); what is asked, of which policy, is this crate's own reading of each
//! service's rules (the requests are built in `role`, `key` and `topic`).

use orgwatch_policy::{evaluate, parse, Decision, Outcome, Request};
use serde_json::Value;

/// What a set of policies decided for one request.
pub(super) enum Verdict {
    Allowed,
    /// A statement denies it: the statement, and where it is (`policy name`).
    Denied {
        statement: Value,
        place: String,
    },
    /// Nothing allows it.
    NotAllowed,
    /// A document could not be read.
    Unreadable(String),
}

/// The `i`th statement of a policy document, as written.
fn statement(doc: &str, i: usize) -> Value {
    let v: Value = serde_json::from_str(doc).unwrap_or(Value::Null);
    match &v["Statement"] {
        Value::Array(a) => a.get(i).cloned().unwrap_or(Value::Null),
        one @ Value::Object(_) => one.clone(),
        _ => Value::Null,
    }
}

/// Decides `requests` against one resource policy (a key or topic policy): every request must be allowed.
pub(super) fn resource_policy(doc: &str, requests: &[Request]) -> Verdict {
    policies(&[("policy".to_string(), doc.to_string())], requests)
}

/// Decides `requests` against a principal's policies, all of them together (one account): any Deny wins,
/// else one Allow suffices; every request must be allowed.
pub(super) fn policies(docs: &[(String, String)], requests: &[Request]) -> Verdict {
    let mut parsed = Vec::new();
    for (name, d) in docs {
        match parse(d) {
            Ok(p) => parsed.push((name, d, p)),
            Err(e) => return Verdict::Unreadable(format!("{name}: {e}")),
        }
    }
    for req in requests {
        let outcomes: Vec<(&String, &String, Outcome)> = parsed
            .iter()
            .map(|(n, d, p)| (*n, *d, evaluate(p, req)))
            .collect();
        if let Some((name, d, o)) = outcomes
            .iter()
            .find(|(_, _, o)| o.decision == Decision::ExplicitDeny)
        {
            let i = o.statement.as_ref().map_or(0, |s| s.0);
            return Verdict::Denied {
                statement: statement(d, i),
                place: (*name).clone(),
            };
        }
        if !outcomes.iter().any(|(_, _, o)| o.allowed()) {
            return Verdict::NotAllowed;
        }
    }
    Verdict::Allowed
}
