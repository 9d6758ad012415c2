//! Output documents typed by the operation's output type.
//!
//! A handler returns its operation's output struct; [`to_out`] serializes it into an [`Out`] tree that
//! keeps what every wire format needs and a JSON value would lose: a structure is not a map (Query writes a
//! map as `entry`/`key`/`value`), a double is not an integer (CBOR must write a float where a double is
//! modelled, even for `1.0`), and a [`Timestamp`] is neither (epoch seconds in JSON, tag 1 in CBOR, ISO 8601
//! in Query). So a member's wire type comes from the Rust type the operation declares, never from its name.

use serde::ser::{self, Serialize};
use std::fmt;

/// One output value, typed.
#[derive(Debug, Clone, PartialEq)]
pub enum Out {
    /// The operation has no output shape ([`crate::services::handler::NoOutput`]): Query writes no
    /// result element, JSON and CBOR an empty structure.
    Absent,
    /// An absent optional member (left out of the structure that holds it).
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    /// Epoch seconds.
    Timestamp(f64),
    List(Vec<Out>),
    Struct(Vec<(&'static str, Out)>),
    Map(Vec<(String, Out)>),
    /// A REST-XML answer, written by the operation itself (S3).
    Http(Box<super::http_message::HttpReply>),
}

/// A timestamp member, held as epoch seconds.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Timestamp(pub f64);

/// The newtype name by which the serializer recognises a [`Timestamp`].
const TIMESTAMP: &str = "orgwatch::Timestamp";

impl Serialize for Timestamp {
    fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_newtype_struct(TIMESTAMP, &self.0)
    }
}

/// Why an output could not be written (a handler bug, reported as an internal failure).
#[derive(Debug)]
pub struct OutError(String);

impl fmt::Display for OutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for OutError {}

impl ser::Error for OutError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        OutError(msg.to_string())
    }
}

/// Serializes an operation's output.
pub fn to_out<T: Serialize + ?Sized>(v: &T) -> Result<Out, OutError> {
    v.serialize(Writer)
}

struct Writer;

fn unsupported<T>(what: &str) -> Result<T, OutError> {
    Err(OutError(format!("{what} is not an AWS output type")))
}

impl ser::Serializer for Writer {
    type Ok = Out;
    type Error = OutError;
    type SerializeSeq = Seq;
    type SerializeTuple = Seq;
    type SerializeTupleStruct = Seq;
    type SerializeTupleVariant = ser::Impossible<Out, OutError>;
    type SerializeMap = MapWriter;
    type SerializeStruct = StructWriter;
    type SerializeStructVariant = ser::Impossible<Out, OutError>;

    fn serialize_bool(self, v: bool) -> Result<Out, OutError> {
        Ok(Out::Bool(v))
    }
    fn serialize_i8(self, v: i8) -> Result<Out, OutError> {
        Ok(Out::Int(v.into()))
    }
    fn serialize_i16(self, v: i16) -> Result<Out, OutError> {
        Ok(Out::Int(v.into()))
    }
    fn serialize_i32(self, v: i32) -> Result<Out, OutError> {
        Ok(Out::Int(v.into()))
    }
    fn serialize_i64(self, v: i64) -> Result<Out, OutError> {
        Ok(Out::Int(v))
    }
    fn serialize_u8(self, v: u8) -> Result<Out, OutError> {
        Ok(Out::Int(v.into()))
    }
    fn serialize_u16(self, v: u16) -> Result<Out, OutError> {
        Ok(Out::Int(v.into()))
    }
    fn serialize_u32(self, v: u32) -> Result<Out, OutError> {
        Ok(Out::Int(v.into()))
    }
    fn serialize_u64(self, v: u64) -> Result<Out, OutError> {
        i64::try_from(v)
            .map(Out::Int)
            .or_else(|_| unsupported("an integer above i64::MAX"))
    }
    fn serialize_f32(self, v: f32) -> Result<Out, OutError> {
        Ok(Out::Float(v.into()))
    }
    fn serialize_f64(self, v: f64) -> Result<Out, OutError> {
        Ok(Out::Float(v))
    }
    fn serialize_char(self, v: char) -> Result<Out, OutError> {
        Ok(Out::Str(v.to_string()))
    }
    fn serialize_str(self, v: &str) -> Result<Out, OutError> {
        Ok(Out::Str(v.to_string()))
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<Out, OutError> {
        unsupported("a blob")
    }
    fn serialize_none(self) -> Result<Out, OutError> {
        Ok(Out::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<Out, OutError> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<Out, OutError> {
        Ok(Out::Null)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Out, OutError> {
        Ok(Out::Absent)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Out, OutError> {
        Ok(Out::Str(variant.to_string()))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        v: &T,
    ) -> Result<Out, OutError> {
        match v.serialize(Writer)? {
            Out::Float(f) if name == TIMESTAMP => Ok(Out::Timestamp(f)),
            other => Ok(other),
        }
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<Out, OutError> {
        unsupported("an enum variant with data")
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Seq, OutError> {
        Ok(Seq(Vec::with_capacity(len.unwrap_or(0))))
    }
    fn serialize_tuple(self, len: usize) -> Result<Seq, OutError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Seq, OutError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, OutError> {
        unsupported("an enum variant with data")
    }
    fn serialize_map(self, _: Option<usize>) -> Result<MapWriter, OutError> {
        Ok(MapWriter(Vec::new(), None))
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<StructWriter, OutError> {
        Ok(StructWriter(Vec::with_capacity(len)))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, OutError> {
        unsupported("an enum variant with data")
    }
}

pub struct Seq(Vec<Out>);

impl ser::SerializeSeq for Seq {
    type Ok = Out;
    type Error = OutError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), OutError> {
        self.0.push(v.serialize(Writer)?);
        Ok(())
    }
    fn end(self) -> Result<Out, OutError> {
        Ok(Out::List(self.0))
    }
}

impl ser::SerializeTuple for Seq {
    type Ok = Out;
    type Error = OutError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), OutError> {
        ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> Result<Out, OutError> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleStruct for Seq {
    type Ok = Out;
    type Error = OutError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), OutError> {
        ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> Result<Out, OutError> {
        ser::SerializeSeq::end(self)
    }
}

pub struct MapWriter(Vec<(String, Out)>, Option<String>);

impl ser::SerializeMap for MapWriter {
    type Ok = Out;
    type Error = OutError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, k: &T) -> Result<(), OutError> {
        self.1 = Some(match k.serialize(Writer)? {
            Out::Str(s) => s,
            Out::Int(i) => i.to_string(),
            _ => return unsupported("a map key that is not text"),
        });
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), OutError> {
        let key = self
            .1
            .take()
            .ok_or_else(|| OutError("a map value without a key".into()))?;
        self.0.push((key, v.serialize(Writer)?));
        Ok(())
    }
    fn end(self) -> Result<Out, OutError> {
        Ok(Out::Map(self.0))
    }
}

pub struct StructWriter(Vec<(&'static str, Out)>);

impl ser::SerializeStruct for StructWriter {
    type Ok = Out;
    type Error = OutError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), OutError> {
        match v.serialize(Writer)? {
            Out::Null | Out::Absent => {}
            out => self.0.push((key, out)),
        }
        Ok(())
    }
    fn end(self) -> Result<Out, OutError> {
        Ok(Out::Struct(self.0))
    }
}

/// The output as a JSON document (AWS JSON 1.0/1.1: timestamps as epoch seconds; no output is `{}`).
pub fn to_json(out: &Out) -> serde_json::Value {
    serde_json::to_value(Json(out)).unwrap_or(serde_json::Value::Null)
}

/// The output's JSON bytes, written straight from the tree.
pub fn to_json_bytes(out: &Out) -> Vec<u8> {
    serde_json::to_vec(&Json(out)).unwrap_or_else(|_| b"{}".to_vec())
}

/// The JSON view of an output: a structure and a map are both objects, a timestamp is epoch seconds.
struct Json<'a>(&'a Out);

impl Serialize for Json<'_> {
    fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use ser::{SerializeMap, SerializeSeq};
        match self.0 {
            Out::Absent | Out::Http(_) => s.serialize_map(Some(0))?.end(),
            Out::Null => s.serialize_unit(),
            Out::Bool(b) => s.serialize_bool(*b),
            Out::Int(i) => s.serialize_i64(*i),
            Out::Float(f) | Out::Timestamp(f) => s.serialize_f64(*f),
            Out::Str(v) => s.serialize_str(v),
            Out::List(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for i in items {
                    seq.serialize_element(&Json(i))?;
                }
                seq.end()
            }
            Out::Struct(fields) => {
                let mut m = s.serialize_map(Some(fields.len()))?;
                for (k, v) in fields {
                    m.serialize_entry(k, &Json(v))?;
                }
                m.end()
            }
            Out::Map(entries) => {
                let mut m = s.serialize_map(Some(entries.len()))?;
                for (k, v) in entries {
                    m.serialize_entry(k, &Json(v))?;
                }
                m.end()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;
    use std::collections::BTreeMap;

    #[derive(Serialize)]
    #[serde(rename_all = "PascalCase")]
    struct Sample {
        name: String,
        threshold: f64,
        periods: i32,
        updated: Timestamp,
        attributes: BTreeMap<String, String>,
        missing: Option<String>,
        values: Vec<f64>,
    }

    #[test]
    fn types_come_from_the_rust_type_not_the_name() {
        let s = Sample {
            name: "1234".into(),
            threshold: 1.0,
            periods: 1,
            updated: Timestamp(1.5),
            attributes: BTreeMap::from([("Policy".to_string(), "{}".to_string())]),
            missing: None,
            values: vec![2.0],
        };
        let out = to_out(&s).unwrap();
        assert_eq!(
            out,
            Out::Struct(vec![
                ("Name", Out::Str("1234".into())),
                ("Threshold", Out::Float(1.0)),
                ("Periods", Out::Int(1)),
                ("Updated", Out::Timestamp(1.5)),
                (
                    "Attributes",
                    Out::Map(vec![("Policy".into(), Out::Str("{}".into()))])
                ),
                ("Values", Out::List(vec![Out::Float(2.0)])),
            ])
        );
        assert_eq!(
            to_json(&out).to_string(),
            r#"{"Name":"1234","Threshold":1.0,"Periods":1,"Updated":1.5,"Attributes":{"Policy":"{}"},"Values":[2.0]}"#
        );
    }

    #[test]
    fn no_output_and_an_empty_output_differ() {
        #[derive(Serialize)]
        struct None_;
        #[derive(Serialize)]
        struct Empty {}
        assert_eq!(to_out(&None_).unwrap(), Out::Absent);
        assert_eq!(to_out(&Empty {}).unwrap(), Out::Struct(vec![]));
    }
}
