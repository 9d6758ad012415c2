//! What a codec hands the operations: the protocol a request speaks, the decoded request, and its input
//! [`Document`]. A leaf below the codecs: they import it, it imports none of them (only the Query input
//! reader and the HTTP parts, leaves too).

use super::http_message::HttpInput;
use super::query_input;
use axum::http::HeaderMap;
use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    Json10,
    Json11,
    Cbor,
    Query,
    RestXml,
}

/// An operation's input as the codec decoded it.
#[derive(Debug, Clone)]
pub enum Document {
    /// JSON or CBOR: scalars carry their own types.
    Typed(Value),
    /// AWS Query: structure rebuilt, every leaf text.
    Text(Value),
    /// REST-XML: the request's parts, read by the operation itself.
    Http(Box<HttpInput>),
}

impl Document {
    /// Reads the document into the operation's input type.
    pub fn read<T: serde::de::DeserializeOwned>(self) -> Result<T, serde_json::Error> {
        match self {
            Document::Typed(v) => serde_json::from_value(v),
            Document::Text(v) => query_input::read(v),
            Document::Http(_) => Err(serde::de::Error::custom(
                "a REST-XML request is read by its operation",
            )),
        }
    }

    /// The document as decoded (Query leaves still text).
    pub fn value(&self) -> &Value {
        static NONE: Value = Value::Null;
        match self {
            Document::Typed(v) | Document::Text(v) => v,
            Document::Http(_) => &NONE,
        }
    }

    /// A top-level string member, whatever the protocol.
    pub fn str(&self, member: &str) -> Option<&str> {
        self.value().get(member)?.as_str()
    }

    /// JSON clients may send explicit nulls for absent members.
    pub fn without_nulls(self) -> Self {
        match self {
            Document::Typed(v) => Document::Typed(strip_nulls(v)),
            text => text,
        }
    }
}

fn strip_nulls(v: Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, strip_nulls(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.into_iter().map(strip_nulls).collect()),
        other => other,
    }
}

/// A request, decoded.
#[derive(Debug, Clone)]
pub struct Decoded {
    pub protocol: Protocol,
    pub operation: String,
    /// The service the operation's name implies, when the credential scope does not say.
    pub implied_service: Option<&'static str>,
    pub input: Document,
    /// The client sent `x-amzn-query-mode: true` (query-compatible errors).
    pub query_mode: bool,
}

/// A header's value as text.
pub fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}
