//! Smithy RPC v2 CBOR (CloudWatch for the AWS SDK for Rust).
//!
//! Decoding accepts definite and indefinite lengths and turns tag-1 timestamps into epoch seconds.
//! Encoding writes floats for every non-integral or double-typed number (the Rust decoder rejects an
//! integer where a double is modelled), and tag 1 + float64 for timestamp members ([`super::shapes`]).

use super::shapes::{is, TIMESTAMPS};
use crate::error::ApiError;
use ciborium::value::{Integer, Value as Cbor};
use serde_json::{Map, Number, Value};

pub fn decode(body: &[u8]) -> Result<Value, ApiError> {
    if body.is_empty() {
        return Ok(Value::Object(Map::new()));
    }
    let v: Cbor = ciborium::de::from_reader(body).map_err(|e| {
        ApiError::serialization(format!("Could not parse the request body as CBOR: {e}"))
    })?;
    let v = to_json(v, 0)?;
    if !v.is_object() {
        return Err(ApiError::serialization(
            "The request body must be a CBOR map",
        ));
    }
    Ok(v)
}

fn to_json(v: Cbor, depth: usize) -> Result<Value, ApiError> {
    if depth > 64 {
        return Err(ApiError::serialization("CBOR nesting is too deep"));
    }
    Ok(match v {
        Cbor::Null => Value::Null,
        Cbor::Bool(b) => Value::Bool(b),
        Cbor::Integer(i) => {
            let n = i128::from(i);
            if let Ok(n) = i64::try_from(n) {
                Value::from(n)
            } else {
                Value::from(n as f64)
            }
        }
        Cbor::Float(f) => Number::from_f64(f).map_or(Value::Null, Value::Number),
        Cbor::Text(s) => Value::String(s),
        Cbor::Bytes(b) => Value::String(String::from_utf8_lossy(&b).into_owned()),
        Cbor::Tag(1, inner) => to_json(*inner, depth + 1)?,
        Cbor::Tag(_, inner) => to_json(*inner, depth + 1)?,
        Cbor::Array(items) => Value::Array(
            items
                .into_iter()
                .map(|x| to_json(x, depth + 1))
                .collect::<Result<_, _>>()?,
        ),
        Cbor::Map(entries) => {
            let mut m = Map::new();
            for (k, v) in entries {
                let Cbor::Text(k) = k else {
                    return Err(ApiError::serialization("CBOR map keys must be text"));
                };
                m.insert(k, to_json(v, depth + 1)?);
            }
            Value::Object(m)
        }
        _ => return Err(ApiError::serialization("Unsupported CBOR value")),
    })
}

pub fn encode(v: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    let _ = ciborium::ser::into_writer(&to_cbor(v, None), &mut out);
    out
}

fn number(n: &Number, timestamp: bool) -> Cbor {
    let float = Cbor::Float(n.as_f64().unwrap_or(0.0));
    if timestamp {
        return Cbor::Tag(1, Box::new(float));
    }
    match (n.as_i64(), n.is_f64()) {
        (Some(i), false) => Cbor::Integer(Integer::from(i)),
        _ => float,
    }
}

fn to_cbor(v: &Value, key: Option<&str>) -> Cbor {
    let ts = key.is_some_and(|k| is(TIMESTAMPS, k));
    match v {
        Value::Null => Cbor::Null,
        Value::Bool(b) => Cbor::Bool(*b),
        Value::Number(n) => number(n, ts),
        Value::String(s) => Cbor::Text(s.clone()),
        Value::Array(a) => Cbor::Array(a.iter().map(|x| to_cbor(x, key)).collect()),
        Value::Object(m) => Cbor::Map(
            m.iter()
                .map(|(k, v)| (Cbor::Text(k.clone()), to_cbor(v, Some(k))))
                .collect(),
        ),
    }
}
