//! Smithy RPC v2 CBOR (CloudWatch for the AWS SDK for Rust).
//!
//! Decoding accepts definite and indefinite lengths and turns tag-1 timestamps into epoch seconds.
//! Encoding follows the output's Rust types ([`super::output`]): a float wherever a double is modelled (the
//! Rust decoder rejects an integer there), and tag 1 + float64 for timestamps.

use super::output::Out;
use crate::error::ApiError;
use crate::limits::MAX_CBOR_DEPTH;
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
    if depth > MAX_CBOR_DEPTH {
        return Err(ApiError::serialization(format!(
            "CBOR nesting is deeper than {MAX_CBOR_DEPTH} levels"
        )));
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

/// Writes an answer. Lists are written as indefinite-length arrays (`0x9f` … `0xff`), as AWS's CBOR
/// services write them (LocalStack's test of CloudWatch's recorded GetMetricData answer looks for
/// `Timestamps` followed by `0x9f`); maps keep a definite length.
pub fn encode(v: &Out) -> Vec<u8> {
    let mut out = Vec::new();
    write(v, &mut out);
    out
}

fn write(v: &Out, out: &mut Vec<u8>) {
    const BEGIN_ARRAY: u8 = 0x9f;
    const BREAK: u8 = 0xff;
    match v {
        Out::List(items) => {
            out.push(BEGIN_ARRAY);
            for item in items {
                write(item, out);
            }
            out.push(BREAK);
        }
        Out::Struct(fields) if fields.iter().any(|(_, v)| has_list(v)) => {
            head(5, fields.len() as u64, out);
            for (k, v) in fields {
                let _ = ciborium::ser::into_writer(&Cbor::Text(k.to_string()), &mut *out);
                write(v, out);
            }
        }
        Out::Map(entries) if entries.iter().any(|(_, v)| has_list(v)) => {
            head(5, entries.len() as u64, out);
            for (k, v) in entries {
                let _ = ciborium::ser::into_writer(&Cbor::Text(k.clone()), &mut *out);
                write(v, out);
            }
        }
        _ => {
            let _ = ciborium::ser::into_writer(&to_cbor(v), &mut *out);
        }
    }
}

fn has_list(v: &Out) -> bool {
    match v {
        Out::List(_) => true,
        Out::Struct(fields) => fields.iter().any(|(_, v)| has_list(v)),
        Out::Map(entries) => entries.iter().any(|(_, v)| has_list(v)),
        _ => false,
    }
}

/// A CBOR item head (RFC 8949 §3): major type and argument, in the shortest form.
fn head(major: u8, n: u64, out: &mut Vec<u8>) {
    let m = major << 5;
    match n {
        0..=23 => out.push(m | n as u8),
        24..=0xff => out.extend([m | 24, n as u8]),
        0x100..=0xffff => {
            out.push(m | 25);
            out.extend((n as u16).to_be_bytes());
        }
        0x1_0000..=0xffff_ffff => {
            out.push(m | 26);
            out.extend((n as u32).to_be_bytes());
        }
        _ => {
            out.push(m | 27);
            out.extend(n.to_be_bytes());
        }
    }
}

fn to_cbor(v: &Out) -> Cbor {
    match v {
        Out::Absent | Out::Http(_) => Cbor::Map(Vec::new()),
        Out::Null => Cbor::Null,
        Out::Bool(b) => Cbor::Bool(*b),
        Out::Int(i) => Cbor::Integer(Integer::from(*i)),
        Out::Float(f) => Cbor::Float(*f),
        Out::Timestamp(t) => Cbor::Tag(1, Box::new(Cbor::Float(*t))),
        Out::Str(s) => Cbor::Text(s.clone()),
        Out::List(items) => Cbor::Array(items.iter().map(to_cbor).collect()),
        Out::Struct(fields) => Cbor::Map(
            fields
                .iter()
                .map(|(k, v)| (Cbor::Text(k.to_string()), to_cbor(v)))
                .collect(),
        ),
        Out::Map(entries) => Cbor::Map(
            entries
                .iter()
                .map(|(k, v)| (Cbor::Text(k.clone()), to_cbor(v)))
                .collect(),
        ),
    }
}
