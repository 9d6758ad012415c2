//! A compiled policy against a message. Both scopes are read the same way: the message becomes a JSON
//! object (the attributes: `String` as a string, `Number` as a number, `String.Array` as its array; the
//! body as it is), flattened to the leaf values at each dotted path (arrays, and arrays of objects, add
//! their elements to the same path). A policy holds when, in one of its alternatives, every key has a
//! condition that holds: `exists` on whether the path has a value, every other condition on some value.

use super::{Attribute, Comparison, Condition, Excluded, FilterPolicy, Literal};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::net::IpAddr;

impl FilterPolicy {
    /// Scope `MessageAttributes`. A `Binary` attribute has no value a condition can compare (AWS filters
    /// on String, String.Array and Number), and a `String.Array` that is not a JSON array has none either.
    pub fn matches_attributes<'a>(
        &self,
        attributes: impl IntoIterator<Item = (&'a str, Attribute<'a>)>,
    ) -> bool {
        let mut object = Map::new();
        for (name, a) in attributes {
            let text = a.string_value.unwrap_or_default().to_string();
            let value = match a.data_type {
                "String.Array" => match serde_json::from_str::<Value>(&text) {
                    Ok(v @ Value::Array(_)) => v,
                    _ => continue,
                },
                t if t.starts_with("Number") => text
                    .trim()
                    .parse::<f64>()
                    .ok()
                    .and_then(serde_json::Number::from_f64)
                    .map_or(Value::String(text), Value::Number),
                t if t.starts_with("String") => Value::String(text),
                _ => continue,
            };
            object.insert(name.to_string(), value);
        }
        self.matches(&object)
    }

    /// Scope `MessageBody`: a body that is not a JSON object matches nothing (AWS: payload filtering
    /// assumes a well-formed JSON object).
    pub fn matches_body(&self, body: &str) -> bool {
        match serde_json::from_str::<Value>(body) {
            Ok(Value::Object(object)) => self.matches(&object),
            _ => false,
        }
    }

    fn matches(&self, object: &Map<String, Value>) -> bool {
        let mut leaves: BTreeMap<String, Vec<&Value>> = BTreeMap::new();
        for (key, value) in object {
            flatten(key.clone(), value, &mut leaves);
        }
        self.alternatives.iter().any(|keys| {
            keys.iter().all(|(path, conditions)| {
                let values = leaves.get(path).map(Vec::as_slice).unwrap_or_default();
                conditions.iter().any(|c| match c {
                    Condition::Exists(wanted) => *wanted != values.is_empty(),
                    c => values.iter().any(|v| holds(c, v)),
                })
            })
        })
    }
}

fn flatten<'a>(path: String, value: &'a Value, out: &mut BTreeMap<String, Vec<&'a Value>>) {
    match value {
        Value::Object(o) => {
            for (k, v) in o {
                flatten(format!("{path}.{k}"), v, out);
            }
        }
        Value::Array(items) => {
            for v in items {
                flatten(path.clone(), v, out);
            }
        }
        leaf => out.entry(path).or_default().push(leaf),
    }
}

fn equals(l: &Literal, v: &Value) -> bool {
    match (l, v) {
        (Literal::Text(a), Value::String(b)) => a == b,
        (Literal::Number(a), Value::Number(b)) => b.as_f64() == Some(*a),
        (Literal::Bool(a), Value::Bool(b)) => a == b,
        (Literal::Null, Value::Null) => true,
        _ => false,
    }
}

fn holds(c: &Condition, v: &Value) -> bool {
    let text = v.as_str();
    match c {
        Condition::Equals(l) => equals(l, v),
        Condition::Prefix(p) => text.is_some_and(|t| t.starts_with(p.as_str())),
        Condition::Suffix(s) => text.is_some_and(|t| t.ends_with(s.as_str())),
        Condition::EqualsIgnoreCase(s) => {
            text.is_some_and(|t| t.to_lowercase() == s.to_lowercase())
        }
        Condition::AnythingBut(Excluded::Literals(ls)) => !ls.iter().any(|l| equals(l, v)),
        Condition::AnythingBut(Excluded::Prefix(p)) => {
            text.is_some_and(|t| !t.starts_with(p.as_str()))
        }
        Condition::Numeric(comparisons) => v.as_f64().is_some_and(|n| {
            comparisons.iter().all(|&(op, x)| match op {
                Comparison::Eq => n == x,
                Comparison::Lt => n < x,
                Comparison::Le => n <= x,
                Comparison::Gt => n > x,
                Comparison::Ge => n >= x,
            })
        }),
        Condition::Cidr(net, bits) => text
            .and_then(|t| t.parse::<IpAddr>().ok())
            .is_some_and(|ip| in_network(ip, *net, *bits)),
        Condition::Exists(_) => false,
    }
}

fn in_network(ip: IpAddr, net: IpAddr, bits: u8) -> bool {
    let (a, b, width) = match (ip, net) {
        (IpAddr::V4(a), IpAddr::V4(b)) => (u32::from(a) as u128, u32::from(b) as u128, 32u32),
        (IpAddr::V6(a), IpAddr::V6(b)) => (u128::from(a), u128::from(b), 128u32),
        _ => return false,
    };
    let shift = width - u32::from(bits);
    shift >= width || (a >> shift) == (b >> shift)
}

#[cfg(test)]
mod tests {
    use super::super::Scope;
    use super::*;

    fn body(policy: &str) -> FilterPolicy {
        FilterPolicy::compile(policy, Scope::MessageBody).expect("valid policy")
    }

    fn attr<'a>(t: &'a str, v: &'a str) -> Attribute<'a> {
        Attribute {
            data_type: t,
            string_value: Some(v),
        }
    }

    #[test]
    fn attributes_by_type() {
        let p = FilterPolicy::compile(
            r#"{"attr1":[{"numeric":[">",0,"<=",100]}]}"#,
            Scope::MessageAttributes,
        )
        .expect("valid");
        let one = |t, v| [("attr1", attr(t, v))];
        assert!(p.matches_attributes(one("Number", "99")));
        assert!(!p.matches_attributes(one("Number", "111")));
        assert!(
            !p.matches_attributes(one("String", "99")),
            "a string is no number"
        );
        assert!(!p.matches_attributes([]));

        let p = FilterPolicy::compile(r#"{"store":["value1"]}"#, Scope::MessageAttributes)
            .expect("valid");
        let store = |t, v| [("store", attr(t, v))];
        assert!(p.matches_attributes(store("String", "value1")));
        assert!(p.matches_attributes(store("String.Array", r#"["value1","value2"]"#)));
        assert!(!p.matches_attributes(store("String.Array", r#"["value2","value3"]"#)));

        // A missing attribute matches neither null nor anything-but (recorded).
        let p = FilterPolicy::compile(
            r#"{"attr1":[null,{"anything-but":"whatever"}]}"#,
            Scope::MessageAttributes,
        )
        .expect("valid");
        assert!(!p.matches_attributes([]));
        assert!(p.matches_attributes(one("String", "other")));

        let p = FilterPolicy::compile(r#"{"store":[{"exists":false}]}"#, Scope::MessageAttributes)
            .expect("valid");
        assert!(p.matches_attributes(one("Number", "1")));
        assert!(!p.matches_attributes(store("Number", "1")));
    }

    #[test]
    fn body_paths_nest_with_objects_or_dots() {
        let p = body(
            r#"{"object":{"key":[{"prefix":"auto-"},"hardcodedvalue"],"nested_key":[{"exists":false}]},"test":[{"exists":false}]}"#,
        );
        assert!(p.matches_body(r#"{"object":{"key":"auto-test"}}"#));
        assert!(p.matches_body(r#"{"object":{"key":"hardcodedvalue"}}"#));
        for refused in [
            r#"{"object":{"key":"test-auto"}}"#,
            r#"{"object":{"key":"auto-test"},"test":"just-exists"}"#,
            r#"{"object":{"key":"auto-test","nested_key":"just-exists"}}"#,
            r#"{"object":{"test":"auto-test"}}"#,
            r#""auto-test""#,
            "Regular string message",
        ] {
            assert!(!p.matches_body(refused), "{refused}");
        }
        let p = body(r#"{"object.nested.test":["string.value"]}"#);
        for m in [
            r#"{"object":{"nested":{"test":"string.value"}}}"#,
            r#"{"object.nested.test":"string.value"}"#,
            r#"{"object.nested":{"test":"string.value"}}"#,
            r#"{"object":{"nested.test":"string.value"}}"#,
        ] {
            assert!(p.matches_body(m), "{m}");
        }
        assert!(!p.matches_body(r#"{"object":{"nested":{"test":"string.notvalue"}}}"#));
    }

    #[test]
    fn arrays_or_and_cidr() {
        let p = body(
            r#"{"Records":{"s3":{"object":{"key":[{"prefix":"auto-"}]}},"eventName":[{"prefix":"ObjectCreated:"}]}}"#,
        );
        assert!(p.matches_body(r#"{"Records":[{"eventName":"ObjectCreated:Put","s3":{"object":[[{"key":"auto-1.xml"}]]}}]}"#));
        assert!(!p.matches_body(r#"{"Records":[{"eventName":"ObjectRemoved:Delete","s3":{"object":{"key":"auto-1.xml"}}}]}"#));

        let p = body(
            r#"{"$or":[{"metricName":["CPUUtilization"]},{"namespace":["AWS/EC2"]}],"detail":{"scope":["Service"],"$or":[{"source":["aws.cloudwatch"]},{"type":["CloudWatch Alarm State Change"]}]}}"#,
        );
        assert!(p.matches_body(
            r#"{"namespace":"AWS/EC2","detail":{"scope":"Service","source":"aws.cloudwatch"}}"#
        ));
        assert!(!p.matches_body(r#"{"metricName":"CPUUtilization","detail":{"scope":"Service"}}"#));
        assert!(!p.matches_body(r#"{"metricName":"CPUUtilization","scope":"Service"}"#));

        let p = body(
            r#"{"detail":{"$or":[{"ip":[{"cidr":"10.0.0.0/24"}]},{"ip6":[{"cidr":"2001:db8:1234:1a00::/64"}]}]}}"#,
        );
        assert!(p.matches_body(r#"{"detail":{"ip":"10.0.0.255"}}"#));
        assert!(!p.matches_body(r#"{"detail":{"ip":"10.0.0.256"}}"#));
        assert!(p.matches_body(r#"{"detail":{"ip6":"2001:0db8:1234:1a00:0000:0000:0000:0000"}}"#));
        assert!(!p.matches_body(r#"{"detail":{"ip6":"2001:0db8:123f:1a01:0000:0000:0000:0000"}}"#));

        let p = body(r#"{"detail":{"eventVersion":[""]}}"#);
        assert!(p.matches_body(
            r#"{"resources":[],"detail":{"eventVersion":"","responseElements":null}}"#
        ));
    }
}
