//! Reading an AWS Query request into the operation's typed input.
//!
//! Query sends every scalar as text (`Threshold=1`, `Tags.member.1.Value=1234`, `ActionsEnabled=true`), so
//! what a member *is* comes from the operation's input type, never from the member's name: this deserializer
//! hands each text to whatever the target field asks for. A string field keeps the text whatever it looks
//! like; a number field parses it; a bool field reads `true`/`false`; a timestamp (modelled as epoch seconds)
//! also takes ISO 8601, as Query writes timestamps; a map takes the `entry.N.key`/`entry.N.value` list (or
//! `Name`/`Value`, `Key`/`Value`); an empty text is an empty list or map (`OKActions=`).
//!
//! The codec ([`super::query::decode`]) only rebuilds the structure (`member.N` lists, `a.b` nesting) and
//! leaves every leaf as text; [`Document::read`](super::Document::read) calls [`read`] for Query documents.

use serde::de::value::{MapDeserializer, SeqDeserializer};
use serde::de::{self, DeserializeOwned, Deserializer, IntoDeserializer, Visitor};
use serde_json::{Map, Value};

type Error = serde_json::Error;

/// Reads a Query document (every leaf text) into `T`.
pub fn read<T: DeserializeOwned>(doc: Value) -> Result<T, Error> {
    T::deserialize(Text(doc))
}

/// A Query document node, typed by what its reader asks for.
struct Text(Value);

impl<'de> IntoDeserializer<'de, Error> for Text {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

fn invalid(text: &str, expected: &str) -> Error {
    de::Error::invalid_value(de::Unexpected::Str(text), &expected)
}

fn visit_seq<'de, V: Visitor<'de>>(items: Vec<Value>, v: V) -> Result<V::Value, Error> {
    let mut seq = SeqDeserializer::new(items.into_iter().map(Text));
    let out = v.visit_seq(&mut seq)?;
    seq.end()?;
    Ok(out)
}

fn visit_map<'de, V: Visitor<'de>>(m: Map<String, Value>, v: V) -> Result<V::Value, Error> {
    let mut map = MapDeserializer::new(m.into_iter().map(|(k, x)| (k, Text(x))));
    let out = v.visit_map(&mut map)?;
    map.end()?;
    Ok(out)
}

/// A map member arrives as a list of entries: `entry.N.key`/`entry.N.value` (SNS attributes), or
/// `member.N.Name`/`Value` and `Key`/`Value` pairs.
fn entries(items: Vec<Value>) -> Result<Map<String, Value>, Error> {
    let mut m = Map::new();
    for item in items {
        let Value::Object(mut e) = item else {
            return Err(de::Error::custom("a map entry must have a key and a value"));
        };
        let key = ["key", "Name", "Key"]
            .iter()
            .find_map(|k| e.remove(*k))
            .and_then(|k| k.as_str().map(str::to_string))
            .ok_or_else(|| de::Error::custom("a map entry has no key"))?;
        let value = ["value", "Value"]
            .iter()
            .find_map(|k| e.remove(*k))
            .unwrap_or(Value::Null);
        m.insert(key, value);
    }
    Ok(m)
}

macro_rules! integer {
    ($method:ident, $visit:ident, $ty:ty) => {
        fn $method<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
            match self.0 {
                Value::String(s) => match s.trim().parse::<$ty>() {
                    Ok(n) => v.$visit(n),
                    Err(_) => Err(invalid(&s, "an integer")),
                },
                other => other.$method(v),
            }
        }
    };
}

impl<'de> Deserializer<'de> for Text {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Array(items) => visit_seq(items, v),
            Value::Object(m) => visit_map(m, v),
            other => other.deserialize_any(v),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::String(s) => match s.as_str() {
                "true" => v.visit_bool(true),
                "false" => v.visit_bool(false),
                _ => Err(invalid(&s, "true or false")),
            },
            other => other.deserialize_bool(v),
        }
    }

    integer!(deserialize_i8, visit_i64, i64);
    integer!(deserialize_i16, visit_i64, i64);
    integer!(deserialize_i32, visit_i64, i64);
    integer!(deserialize_i64, visit_i64, i64);
    integer!(deserialize_u8, visit_u64, u64);
    integer!(deserialize_u16, visit_u64, u64);
    integer!(deserialize_u32, visit_u64, u64);
    integer!(deserialize_u64, visit_u64, u64);

    fn deserialize_f32<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        self.deserialize_f64(v)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::String(s) => {
                let n = s
                    .trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|n| n.is_finite())
                    .or_else(|| crate::clock::parse_timestamp(&s));
                match n {
                    Some(n) => v.visit_f64(n),
                    None => Err(invalid(&s, "a number or an ISO 8601 timestamp")),
                }
            }
            other => other.deserialize_f64(v),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => v.visit_none(),
            other => v.visit_some(Text(other)),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        v: V,
    ) -> Result<V::Value, Error> {
        v.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Array(items) => visit_seq(items, v),
            // `OKActions=`: the empty list.
            Value::String(s) if s.is_empty() => visit_seq(Vec::new(), v),
            other => other.deserialize_seq(v),
        }
    }

    fn deserialize_map<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Array(items) => visit_map(entries(items)?, v),
            Value::Object(m) => visit_map(m, v),
            Value::String(s) if s.is_empty() => visit_map(Map::new(), v),
            other => other.deserialize_map(v),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Error> {
        match self.0 {
            Value::Object(m) => visit_map(m, v),
            other => other.deserialize_struct(name, fields, v),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Error> {
        self.0.deserialize_enum(name, variants, v)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        v.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        i128 u128 char str string bytes byte_buf unit unit_struct tuple tuple_struct identifier
    }
}

#[cfg(test)]
mod tests {
    use super::read;
    use serde::Deserialize;
    use serde_json::json;
    use std::collections::BTreeMap;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "PascalCase")]
    struct Tag {
        key: String,
        value: String,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "PascalCase")]
    struct Input {
        tags: Vec<Tag>,
        threshold: Option<f64>,
        period: Option<i64>,
        actions_enabled: Option<bool>,
        start_time: Option<f64>,
        #[serde(default)]
        attributes: BTreeMap<String, String>,
        #[serde(default)]
        ok_actions: Option<Vec<String>>,
    }

    #[test]
    fn a_member_is_typed_by_the_operation_not_by_its_name() {
        let doc = json!({
            "Tags": [{"Key": "cost", "Value": "1234"}, {"Key": "flag", "Value": "true"}],
            "Threshold": "1.5",
            "Period": "300",
            "ActionsEnabled": "false",
            "StartTime": "2026-01-01T00:01:00Z",
            "Attributes": [{"key": "DisplayName", "value": "42"}],
            "OkActions": "",
        });
        let i: Input = read(doc).expect("reads");
        assert_eq!(i.tags[0].value, "1234");
        assert_eq!(i.tags[1].value, "true");
        assert_eq!(i.threshold, Some(1.5));
        assert_eq!(i.period, Some(300));
        assert_eq!(i.actions_enabled, Some(false));
        assert_eq!(i.start_time, Some(1_767_225_660.0));
        assert_eq!(i.attributes["DisplayName"], "42");
        assert_eq!(i.ok_actions, Some(vec![]));
    }

    #[test]
    fn text_that_is_not_the_member_type_is_refused() {
        let err = read::<Input>(json!({"Tags": [], "Period": "five"})).unwrap_err();
        assert!(err.to_string().contains("five"), "{err}");
        let err = read::<Input>(json!({"Tags": [], "ActionsEnabled": "yes"})).unwrap_err();
        assert!(err.to_string().contains("true or false"), "{err}");
    }
}
