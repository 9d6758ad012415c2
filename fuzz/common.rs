//! What the codec targets share: a request's headers from a few fixed choices, and the property every
//! answer must have (an XML answer holds only characters XML 1.0 can carry).

use axum::http::{HeaderMap, HeaderValue};

pub fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
    let mut h = HeaderMap::new();
    for (k, v) in pairs {
        if let Ok(v) = HeaderValue::from_str(v) {
            h.insert(*k, v);
        }
    }
    h
}

pub fn auth(service: &str) -> String {
    format!("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261127/us-east-1/{service}/aws4_request, SignedHeaders=host, Signature=0")
}

/// Every error the codec answers is well-formed in its protocol.
pub fn answer_is_well_formed(service: &str, err: &orgwatch_emulator::error::ApiError) {
    use orgwatch_emulator::protocol::{query, rest_xml::xml_char};
    let xml = query::encode_err(service, err, "Sender", "id");
    assert!(xml.chars().all(xml_char), "{xml:?}");
}
