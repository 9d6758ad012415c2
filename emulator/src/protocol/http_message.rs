//! An HTTP request's and answer's parts as REST-XML operations read and write them (S3's members live in
//! headers and bodies alike). A leaf: the document type and the REST-XML codec both use it.

use std::collections::BTreeMap;

/// An S3 request's parts.
#[derive(Debug, Clone, Default)]
pub struct HttpInput {
    pub method: String,
    pub bucket: Option<String>,
    pub key: Option<String>,
    /// The subresource's query key, if one selected the operation.
    pub subresource: Option<&'static str>,
    pub query: BTreeMap<String, String>,
    /// Lower-case header names.
    pub headers: BTreeMap<String, String>,
    pub body: Vec<u8>,
}

impl HttpInput {
    pub fn query(&self, k: &str) -> Option<&str> {
        self.query.get(k).map(String::as_str)
    }

    pub fn header(&self, k: &str) -> Option<&str> {
        self.headers.get(k).map(String::as_str)
    }
}

/// An S3 answer: status, headers, body (XML, or raw for objects and bucket policies).
#[derive(Debug, Clone, PartialEq)]
pub struct HttpReply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub content_type: Option<&'static str>,
    pub body: Vec<u8>,
}

impl HttpReply {
    /// 200 with an XML document.
    pub fn xml(doc: String) -> Self {
        HttpReply {
            status: 200,
            headers: Vec::new(),
            content_type: Some("application/xml"),
            body: format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{doc}").into_bytes(),
        }
    }

    /// A status with no body (204 for deletes, 200 for puts).
    pub fn empty(status: u16) -> Self {
        HttpReply {
            status,
            headers: Vec::new(),
            content_type: None,
            body: Vec::new(),
        }
    }

    pub fn with_header(mut self, k: &str, v: impl Into<String>) -> Self {
        self.headers.push((k.to_string(), v.into()));
        self
    }
}
