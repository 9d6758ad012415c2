//! Policy documents: JSON into statements. AWS lets most members be a string or a list of strings, and a
//! principal be `"*"` or a map of principal types; both shapes are read into one form here, and anything
//! else is a [`PolicyError`] naming the member (IAM's `MalformedPolicyDocument`).

use serde_json::Value;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    Allow,
    Deny,
}

/// `Action` or `NotAction` (and the same for resources and principals): the list, and whether it is the
/// negated member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match<T> {
    pub items: T,
    pub negated: bool,
}

/// A principal element: `"*"`, or principal types (`AWS`, `Service`, `Federated`, `CanonicalUser`) with
/// their values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principals {
    Anyone,
    Typed(BTreeMap<String, Vec<String>>),
}

/// One condition: operator (`StringEquals`, `ArnLike`, with `…IfExists`, `ForAnyValue:…`), key, values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    pub operator: String,
    pub key: String,
    pub values: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub sid: Option<String>,
    pub effect: Effect,
    /// Absent in identity policies.
    pub principal: Option<Match<Principals>>,
    pub action: Match<Vec<String>>,
    /// Absent in trust policies.
    pub resource: Option<Match<Vec<String>>>,
    pub conditions: Vec<Condition>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    pub statements: Vec<Statement>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    #[error("the policy is not JSON: {0}")]
    NotJson(String),
    #[error("the policy has no Statement")]
    NoStatement,
    #[error("statement {index}: {problem}")]
    Statement { index: usize, problem: String },
}

/// Reads a policy document.
pub fn parse(text: &str) -> Result<Policy, PolicyError> {
    let v: Value = serde_json::from_str(text).map_err(|e| PolicyError::NotJson(e.to_string()))?;
    let statements = match v.get("Statement") {
        Some(Value::Array(items)) => items.clone(),
        Some(one @ Value::Object(_)) => vec![one.clone()],
        _ => return Err(PolicyError::NoStatement),
    };
    let statements = statements
        .iter()
        .enumerate()
        .map(|(index, s)| statement(s).map_err(|problem| PolicyError::Statement { index, problem }))
        .collect::<Result<_, _>>()?;
    Ok(Policy { statements })
}

fn strings(v: &Value, member: &str) -> Result<Vec<String>, String> {
    match v {
        Value::String(s) => Ok(vec![s.clone()]),
        Value::Array(items) => items
            .iter()
            .map(|i| match i {
                Value::String(s) => Ok(s.clone()),
                other => Err(format!("{member} holds {other}, not a string")),
            })
            .collect(),
        // Condition values may be booleans or numbers; they compare as their text.
        Value::Bool(b) => Ok(vec![b.to_string()]),
        Value::Number(n) => Ok(vec![n.to_string()]),
        other => Err(format!(
            "{member} is {other}, not a string or a list of strings"
        )),
    }
}

fn pair<'v>(s: &'v Value, name: &str, not: &str) -> Result<Option<(&'v Value, bool)>, String> {
    match (s.get(name), s.get(not)) {
        (Some(_), Some(_)) => Err(format!("both {name} and {not}")),
        (Some(v), None) => Ok(Some((v, false))),
        (None, Some(v)) => Ok(Some((v, true))),
        (None, None) => Ok(None),
    }
}

fn principals(v: &Value) -> Result<Principals, String> {
    match v {
        Value::String(s) if s == "*" => Ok(Principals::Anyone),
        Value::Object(m) => m
            .iter()
            .map(|(k, v)| Ok((k.clone(), strings(v, k)?)))
            .collect::<Result<_, String>>()
            .map(Principals::Typed),
        other => Err(format!("Principal is {other}")),
    }
}

fn statement(s: &Value) -> Result<Statement, String> {
    let effect = match s.get("Effect").and_then(Value::as_str) {
        Some("Allow") => Effect::Allow,
        Some("Deny") => Effect::Deny,
        Some(other) => return Err(format!("Effect {other:?} is neither Allow nor Deny")),
        None => return Err("no Effect".into()),
    };
    let (action, negated) = pair(s, "Action", "NotAction")?.ok_or("no Action or NotAction")?;
    let action = Match {
        items: strings(action, "Action")?,
        negated,
    };
    let resource = pair(s, "Resource", "NotResource")?
        .map(|(v, negated)| {
            Ok::<_, String>(Match {
                items: strings(v, "Resource")?,
                negated,
            })
        })
        .transpose()?;
    let principal = pair(s, "Principal", "NotPrincipal")?
        .map(|(v, negated)| {
            Ok::<_, String>(Match {
                items: principals(v)?,
                negated,
            })
        })
        .transpose()?;
    let mut conditions = Vec::new();
    if let Some(block) = s.get("Condition") {
        let ops = block.as_object().ok_or("Condition is not an object")?;
        for (operator, keys) in ops {
            let keys = keys
                .as_object()
                .ok_or_else(|| format!("Condition {operator} is not an object"))?;
            for (key, values) in keys {
                conditions.push(Condition {
                    operator: operator.clone(),
                    key: key.clone(),
                    values: strings(values, key)?,
                });
            }
        }
    }
    Ok(Statement {
        sid: s.get("Sid").and_then(Value::as_str).map(str::to_string),
        effect,
        principal,
        action,
        resource,
        conditions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_and_lists_read_alike() {
        let p = parse(r#"{"Statement":{"Effect":"Allow","Action":"s3:GetBucketAcl","Resource":["a","b"],"Principal":{"Service":"cloudtrail.amazonaws.com"}}}"#)
            .expect("parses");
        let s = &p.statements[0];
        assert_eq!(s.action.items, vec!["s3:GetBucketAcl"]);
        assert_eq!(s.resource.as_ref().map(|r| r.items.len()), Some(2));
        assert!(
            matches!(&s.principal, Some(Match { items: Principals::Typed(m), negated: false }) if m["Service"] == ["cloudtrail.amazonaws.com"])
        );
    }

    #[test]
    fn malformed_documents_say_what_is_wrong() {
        assert!(matches!(parse("{"), Err(PolicyError::NotJson(_))));
        assert_eq!(parse("{}"), Err(PolicyError::NoStatement));
        let e = parse(r#"{"Statement":[{"Effect":"Maybe","Action":"*"}]}"#).err();
        assert!(matches!(e, Some(PolicyError::Statement { index: 0, .. })));
        let e = parse(r#"{"Statement":[{"Effect":"Allow","Action":"*","NotAction":"x"}]}"#).err();
        assert!(
            matches!(e, Some(PolicyError::Statement { problem, .. }) if problem.contains("both"))
        );
    }
}
