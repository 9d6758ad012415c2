//! AWS JSON 1.0 and 1.1: the document is the body. An empty body is an empty input.

use super::output::Out;
use crate::error::ApiError;
use serde_json::Value;

pub fn decode(body: &[u8]) -> Result<Value, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Object(Default::default()));
    }
    let v: Value = serde_json::from_slice(body).map_err(|e| {
        ApiError::serialization(format!("Could not parse the request body as JSON: {e}"))
    })?;
    if !v.is_object() {
        return Err(ApiError::serialization(
            "The request body must be a JSON object",
        ));
    }
    Ok(v)
}

pub fn encode(v: &Out) -> Vec<u8> {
    super::output::to_json_bytes(v)
}
