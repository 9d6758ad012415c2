//! A policy's text to a [`FilterPolicy`], refused as SNS refuses it. The checks run in SNS's order, as its
//! recorded answers show it: at most five top-level keys; then the structure (every key an object or a
//! non-empty array, nesting only in scope `MessageBody`); then the complexity (at most 150 combinations);
//! then each condition, with SNS's message for the first one wrong.

use super::{Comparison, Condition, Excluded, FilterPolicy, Literal, Refusal, Scope};
use serde_json::{Map, Value};

fn rule(message: impl Into<String>) -> Refusal {
    Refusal::Rule(message.into())
}

/// AWS's limits (SNS developer guide, "Filter policy constraints").
const MAX_KEYS: usize = 5;
const MAX_COMBINATIONS: u64 = 150;

/// A policy's shape before its conditions are read: keys with their condition arrays, and `$or`s.
enum Node<'a> {
    Key(String, &'a [Value]),
    Or(Vec<Vec<Node<'a>>>),
}

impl FilterPolicy {
    /// Compiles a policy's text for a scope, refusing it as SNS does.
    pub fn compile(text: &str, scope: Scope) -> Result<FilterPolicy, Refusal> {
        compile(text, scope)
    }
}

fn compile(text: &str, scope: Scope) -> Result<FilterPolicy, Refusal> {
    let value: Value = serde_json::from_str(text).map_err(|_| Refusal::NotJson)?;
    let Value::Object(top) = &value else {
        return Err(Refusal::NotJson);
    };
    if top.len() > MAX_KEYS {
        return Err(rule("Filter policy can not have more than 5 keys"));
    }
    let (nodes, combinations) = shape(top, "", 1, scope, 1)?;
    if combinations > MAX_COMBINATIONS {
        return Err(rule("Filter policy is too complex"));
    }
    let mut alternatives = Vec::new();
    for alternative in expand(&nodes) {
        let mut keys = Vec::with_capacity(alternative.len());
        for (path, rules) in alternative {
            let conditions = rules.iter().map(condition).collect::<Result<Vec<_>, _>>()?;
            keys.push((path, conditions));
        }
        alternatives.push(keys);
    }
    Ok(FilterPolicy { alternatives })
}

/// Reads the structure of one object of the policy at `depth` (1 for the top), returning its nodes and
/// the combinations counted so far. AWS counts a key's array as its length times its depth, multiplied
/// across keys and summed across `$or`'s branches (its documented example: 3 x 4 x 2 x 3 = 72).
fn shape<'a>(
    object: &'a Map<String, Value>,
    prefix: &str,
    depth: u64,
    scope: Scope,
    mut combinations: u64,
) -> Result<(Vec<Node<'a>>, u64), Refusal> {
    let mut nodes = Vec::new();
    for (key, value) in object {
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            Value::Object(child) => {
                let (children, c) = shape(child, &path, depth + 1, scope, combinations)?;
                if scope == Scope::MessageAttributes {
                    return Err(Refusal::NestedInAttributesScope);
                }
                combinations = c;
                nodes.extend(children);
            }
            Value::Array(items) if items.is_empty() => {
                return Err(rule("Empty arrays are not allowed"));
            }
            Value::Array(branches) if key == "$or" => {
                let mut total = 0u64;
                let mut alternatives = Vec::with_capacity(branches.len());
                for branch in branches {
                    let Value::Object(branch) = branch else {
                        return Err(rule(
                            "Match value must be String, number, true, false, or null",
                        ));
                    };
                    let (children, c) = shape(branch, prefix, depth, scope, combinations)?;
                    total = total.saturating_add(c);
                    alternatives.push(children);
                }
                combinations = total;
                nodes.push(Node::Or(alternatives));
            }
            Value::Array(rules) => {
                combinations = combinations
                    .saturating_mul(rules.len() as u64)
                    .saturating_mul(depth);
                nodes.push(Node::Key(path, rules));
            }
            _ => return Err(rule(format!("\"{key}\" must be an object or an array"))),
        }
    }
    Ok((nodes, combinations))
}

/// The policy's alternatives: every way through its `$or`s, each the keys that must all hold.
fn expand<'a>(nodes: &[Node<'a>]) -> Vec<Vec<(String, &'a [Value])>> {
    let mut out: Vec<Vec<(String, &'a [Value])>> = vec![Vec::new()];
    for node in nodes {
        match node {
            Node::Key(path, rules) => {
                for alternative in &mut out {
                    alternative.push((path.clone(), rules));
                }
            }
            Node::Or(branches) => {
                let mut next = Vec::new();
                for alternative in &out {
                    for branch in branches {
                        for tail in expand(branch) {
                            let mut joined = alternative.clone();
                            joined.extend(tail);
                            next.push(joined);
                        }
                    }
                }
                out = next;
            }
        }
    }
    out
}

fn literal(value: &Value) -> Option<Literal> {
    match value {
        Value::String(s) => Some(Literal::Text(s.clone())),
        Value::Number(n) => n.as_f64().map(Literal::Number),
        Value::Bool(b) => Some(Literal::Bool(*b)),
        Value::Null => Some(Literal::Null),
        _ => None,
    }
}

fn text(operator: &str, value: &Value) -> Result<String, Refusal> {
    value
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| rule(format!("{operator} match pattern must be a string")))
}

/// One element of a key's array.
fn condition(value: &Value) -> Result<Condition, Refusal> {
    if let Some(l) = literal(value) {
        return Ok(Condition::Equals(l));
    }
    let Value::Object(expression) = value else {
        return Err(rule(
            "Match value must be String, number, true, false, or null",
        ));
    };
    let mut entries = expression.iter();
    let (Some((operator, operand)), None) = (entries.next(), entries.next()) else {
        return Err(rule("Only one key allowed in match expression"));
    };
    Ok(match operator.as_str() {
        "prefix" => Condition::Prefix(text(operator, operand)?),
        "suffix" => Condition::Suffix(text(operator, operand)?),
        "equals-ignore-case" => Condition::EqualsIgnoreCase(text(operator, operand)?),
        "anything-but" => Condition::AnythingBut(anything_but(operand)?),
        "exists" => Condition::Exists(
            operand
                .as_bool()
                .ok_or_else(|| rule("exists match pattern must be either true or false."))?,
        ),
        "numeric" => Condition::Numeric(numeric(operand)?),
        // SNS names `prefix` when a CIDR is not a string (recorded).
        "cidr" => {
            let (ip, bits) = cidr(&text("prefix", operand)?)?;
            Condition::Cidr(ip, bits)
        }
        other => return Err(rule(format!("Unrecognized match type {other}"))),
    })
}

fn anything_but(operand: &Value) -> Result<Excluded, Refusal> {
    match operand {
        Value::Array(items) => items
            .iter()
            .map(|v| {
                literal(v)
                    .ok_or_else(|| rule("Match value must be String, number, true, false, or null"))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Excluded::Literals),
        Value::Object(inner) => {
            // Of the operators, only `prefix` may follow `anything-but` (recorded for suffix and exists).
            match inner.iter().next() {
                Some((k, v)) if k == "prefix" && inner.len() == 1 => {
                    Ok(Excluded::Prefix(text("prefix", v)?))
                }
                Some((k, _)) => Err(rule(format!("Unsupported anything-but pattern: {k}"))),
                None => Err(rule("Only one key allowed in match expression")),
            }
        }
        other => literal(other)
            .map(|l| Excluded::Literals(vec![l]))
            .ok_or_else(|| rule("Match value must be String, number, true, false, or null")),
    }
}

/// `numeric`: one comparison, or a range (`>`/`>=` a bottom, then `<`/`<=` a greater top).
fn numeric(operand: &Value) -> Result<Vec<(Comparison, f64)>, Refusal> {
    let items: &[Value] = operand.as_array().map(Vec::as_slice).unwrap_or_default();
    let mut items = items.iter();
    let first = items
        .next()
        .ok_or_else(|| rule("Invalid member in numeric match: ]"))?;
    let Some(op) = first.as_str() else {
        return Err(rule(format!("Invalid member in numeric match: {first}")));
    };
    let first_op =
        comparison(op).ok_or_else(|| rule(format!("Unrecognized numeric range operator: {op}")))?;
    let bottom = number_after(op, items.next())?;
    let mut out = vec![(first_op, bottom)];
    let Some(second) = items.next() else {
        return Ok(out);
    };
    if !matches!(first_op, Comparison::Gt | Comparison::Ge) {
        return Err(rule("Too many elements in numeric expression"));
    }
    let Some(op) = second.as_str() else {
        return Err(rule(format!("Bad value in numeric range: {second}")));
    };
    let upper = comparison(op)
        .filter(|c| matches!(c, Comparison::Lt | Comparison::Le))
        .ok_or_else(|| rule(format!("Bad numeric range operator: {op}")))?;
    let top = number_after(op, items.next())?;
    if top <= bottom {
        return Err(rule("Bottom must be less than top"));
    }
    if items.next().is_some() {
        return Err(rule("Too many terms in numeric range expression"));
    }
    out.push((upper, top));
    Ok(out)
}

fn comparison(op: &str) -> Option<Comparison> {
    Some(match op {
        "=" => Comparison::Eq,
        "<" => Comparison::Lt,
        "<=" => Comparison::Le,
        ">" => Comparison::Gt,
        ">=" => Comparison::Ge,
        _ => return None,
    })
}

fn number_after(op: &str, value: Option<&Value>) -> Result<f64, Refusal> {
    value.and_then(Value::as_f64).ok_or_else(|| {
        let named = if op == "=" { "equals" } else { op };
        rule(format!("Value of {named} must be numeric"))
    })
}

/// `cidr`: an IPv4 or IPv6 network, checked in SNS's order (one slash, integer mask bits, the address).
fn cidr(text: &str) -> Result<(std::net::IpAddr, u8), Refusal> {
    let mut parts = text.split('/');
    let (Some(address), Some(bits), None) = (parts.next(), parts.next(), parts.next()) else {
        return Err(rule("Malformed CIDR, one '/' required"));
    };
    let bits: u8 = bits
        .parse()
        .map_err(|_| rule("Malformed CIDR, mask bits must be an integer"))?;
    let ip: std::net::IpAddr = address
        .parse()
        .map_err(|_| rule(format!("Nonstandard IP address: {address}")))?;
    let width = if ip.is_ipv4() { 32 } else { 128 };
    if bits > width {
        // AWS's wording for this case is not recorded; this names the fault in the same style.
        return Err(rule(format!(
            "Malformed CIDR, mask bits must be at most {width}"
        )));
    }
    Ok((ip, bits))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(policy: &str, scope: Scope) -> String {
        match FilterPolicy::compile(policy, scope) {
            Err(r) => r.reason(),
            Ok(p) => panic!("{policy} was accepted: {p:?}"),
        }
    }

    #[test]
    fn refusals_carry_the_recorded_messages() {
        let a = Scope::MessageAttributes;
        for (policy, message) in [
            (
                r#"{"key":[["value"]]}"#,
                "Match value must be String, number, true, false, or null",
            ),
            (
                r#"{"key":[{"wrong-operator":true}]}"#,
                "Unrecognized match type wrong-operator",
            ),
            (
                r#"{"key":[{"suffix":"v","prefix":"w"}]}"#,
                "Only one key allowed in match expression",
            ),
            (r#"{"key":[]}"#, "Empty arrays are not allowed"),
            (
                r#"{"key":[{"suffix":100}]}"#,
                "suffix match pattern must be a string",
            ),
            (
                r#"{"key":{"suffix":"value"}}"#,
                "\"suffix\" must be an object or an array",
            ),
            (
                r#"{"key":[{"cidr":["x"]}]}"#,
                "prefix match pattern must be a string",
            ),
            (
                r#"{"key":[{"cidr":"bad-filter"}]}"#,
                "Malformed CIDR, one '/' required",
            ),
            (
                r#"{"key":[{"cidr":"bad-filter/64"}]}"#,
                "Nonstandard IP address: bad-filter",
            ),
            (
                r#"{"key":[{"cidr":"bad-/64filter"}]}"#,
                "Malformed CIDR, mask bits must be an integer",
            ),
            (
                r#"{"key":[{"numeric":[]}]}"#,
                "Invalid member in numeric match: ]",
            ),
            (
                r#"{"key":[{"numeric":["operator"]}]}"#,
                "Unrecognized numeric range operator: operator",
            ),
            (
                r#"{"key":[{"numeric":[1,"<="]}]}"#,
                "Invalid member in numeric match: 1",
            ),
            (
                r#"{"key":[{"numeric":["=","000"]}]}"#,
                "Value of equals must be numeric",
            ),
            (
                r#"{"key":[{"numeric":["<",100,">",10]}]}"#,
                "Too many elements in numeric expression",
            ),
            (
                r#"{"key":[{"numeric":[">=",1,">",2]}]}"#,
                "Bad numeric range operator: >",
            ),
            (
                r#"{"key":[{"numeric":[">",3,"<",1]}]}"#,
                "Bottom must be less than top",
            ),
            (
                r#"{"key":[{"numeric":[">",20,30]}]}"#,
                "Bad value in numeric range: 30",
            ),
            (
                r#"{"key":[{"numeric":[">",20,"<",30,"<",50]}]}"#,
                "Too many terms in numeric range expression",
            ),
            (
                r#"{"key":[{"exists":"no"}]}"#,
                "exists match pattern must be either true or false.",
            ),
            (
                r#"{"key":[{"anything-but":{"suffix":"t"}}]}"#,
                "Unsupported anything-but pattern: suffix",
            ),
            (
                r#"{"key":[{"anything-but":{"prefix":false}}]}"#,
                "prefix match pattern must be a string",
            ),
            (
                r#"{"a":[1],"b":[1],"c":[1],"d":[1],"e":[1],"f":[1]}"#,
                "Filter policy can not have more than 5 keys",
            ),
        ] {
            assert_eq!(
                refused(policy, a),
                format!("FilterPolicy: {message}"),
                "{policy}"
            );
        }
        assert_eq!(
            refused(r#"{"object":{"key":[{"prefix":"auto-"}]}}"#, a),
            "Filter policy scope MessageAttributes does not support nested filter policy"
        );
        assert_eq!(refused("[1]", a), "FilterPolicy: failed to parse JSON.");
    }

    #[test]
    fn complexity_counts_as_aws_documents() {
        // AWS's example: 4 values at depth 3, 3 at depth 2, 3 at depth 1: 3x4 x 2x3 x 1x3 = 216.
        let nested = r#"{"key_a":{"key_b":{"key_c":["1","2","3","4"]}},"key_d":{"key_e":["1","2","3"]},"key_f":["1","2","3"]}"#;
        assert_eq!(
            refused(nested, Scope::MessageBody),
            "FilterPolicy: Filter policy is too complex"
        );
        // (source x metricName) + (source x metricType x metricId) + (source x metricType x spaceId)
        // = 3x6 + 3x4x4 + 3x4x7 = 150: allowed; one more value tips it over.
        let at_limit = r#"{"source":["a","b","c"],"$or":[{"metricName":["1","2","3","4","5","6"]},{"metricType":["1","2","3","4"],"$or":[{"metricId":[1,2,3,4]},{"spaceId":[1,2,3,4,5,6,7]}]}]}"#;
        assert!(FilterPolicy::compile(at_limit, Scope::MessageAttributes).is_ok());
        let over = at_limit.replace(r#""c"]"#, r#""c","d"]"#);
        assert_eq!(
            refused(&over, Scope::MessageAttributes),
            "FilterPolicy: Filter policy is too complex"
        );
    }

    #[test]
    fn or_expands_into_alternatives() {
        let p = FilterPolicy::compile(
            r#"{"$or":[{"a":["1"]},{"b":["2"]}],"d":{"s":["x"],"$or":[{"t":["y"]},{"u":["z"]}]}}"#,
            Scope::MessageBody,
        )
        .expect("valid");
        let keys: Vec<Vec<&str>> = p
            .alternatives
            .iter()
            .map(|a| a.iter().map(|(k, _)| k.as_str()).collect())
            .collect();
        assert_eq!(
            keys,
            vec![
                vec!["a", "d.s", "d.t"],
                vec!["a", "d.s", "d.u"],
                vec!["b", "d.s", "d.t"],
                vec!["b", "d.s", "d.u"],
            ]
        );
    }
}
