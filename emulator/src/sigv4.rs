//! SigV4 verification (`--verify-signatures FILE`): recompute each request's signature from the secret of
//! its access key and reject what AWS rejects, with AWS's errors (`MissingAuthenticationToken`,
//! `InvalidClientTokenId`, `SignatureDoesNotMatch`). Off by default: then only the credential scope is read.

use crate::error::ApiError;
use axum::http::HeaderMap;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// Access key id → secret access key.
pub type Keys = HashMap<String, String>;

/// Reads an AWS shared-credentials file (`aws_access_key_id` / `aws_secret_access_key` per profile).
pub fn load_credentials(text: &str) -> Keys {
    let mut keys = Keys::new();
    let (mut id, mut secret): (Option<String>, Option<String>) = (None, None);
    let mut flush = |id: &mut Option<String>, secret: &mut Option<String>| {
        if let (Some(i), Some(s)) = (id.take(), secret.take()) {
            keys.insert(i, s);
        }
    };
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            flush(&mut id, &mut secret);
        } else if let Some((k, v)) = line.split_once('=') {
            match k.trim() {
                "aws_access_key_id" => id = Some(v.trim().to_string()),
                "aws_secret_access_key" => secret = Some(v.trim().to_string()),
                _ => {}
            }
        }
    }
    flush(&mut id, &mut secret);
    keys
}

fn hmac(key: &[u8], data: &str) -> Vec<u8> {
    let mut m = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes any key length");
    m.update(data.as_bytes());
    m.finalize().into_bytes().to_vec()
}

fn encode(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            o.push(b as char);
        } else {
            o.push_str(&format!("%{b:02X}"));
        }
    }
    o
}

/// A credential scoped to another service than the one the request is for: AWS's answer (the JSON and CBOR
/// shape `InvalidSignatureException`, the Query code `SignatureDoesNotMatch`, 403), which it gives whether
/// or not the signature itself is checked.
pub fn wrong_scope(service: &str) -> ApiError {
    ApiError::new(
        "InvalidSignatureException",
        403,
        format!("Credential should be scoped to correct service: '{service}'. "),
    )
    .with_code("SignatureDoesNotMatch")
}

fn forbidden(code: &str, message: &str) -> ApiError {
    ApiError::new(code, 403, message)
}

/// Verifies one request; `query` is the raw query string.
pub fn verify(
    keys: &Keys,
    method: &str,
    path: &str,
    query: Option<&str>,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<(), ApiError> {
    let Some(auth) = headers.get("authorization").and_then(|v| v.to_str().ok()) else {
        return Err(forbidden(
            "MissingAuthenticationToken",
            "Missing Authentication Token",
        ));
    };
    let field = |name: &str| {
        auth.split(&format!("{name}="))
            .nth(1)
            .map(|r| r.split([',', ' ']).next().unwrap_or("").to_string())
    };
    let (Some(credential), Some(signed), Some(signature)) = (
        field("Credential"),
        field("SignedHeaders"),
        field("Signature"),
    ) else {
        return Err(forbidden(
            "IncompleteSignature",
            "Authorization header requires Credential, SignedHeaders and Signature.",
        ));
    };
    let mut parts = credential.splitn(5, '/');
    let (key, date, region, service) = (
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
    );
    let Some(secret) = keys.get(key) else {
        return Err(forbidden(
            "InvalidClientTokenId",
            "The security token included in the request is invalid.",
        ));
    };
    let amz_date = headers
        .get("x-amz-date")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let canonical_path = path
        .split('/')
        .map(|seg| encode(&encode(seg)))
        .collect::<Vec<_>>()
        .join("/");
    let mut q: Vec<(String, String)> = query
        .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
        .unwrap_or_default();
    q.sort();
    let canonical_query = q
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let mut canonical_headers = String::new();
    for h in signed.split(';') {
        let values: Vec<String> = headers
            .get_all(h)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .map(|v| v.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        canonical_headers.push_str(&format!("{h}:{}\n", values.join(",")));
    }
    let payload = match headers
        .get("x-amz-content-sha256")
        .and_then(|v| v.to_str().ok())
    {
        Some(h) => h.to_string(),
        None => hex::encode(Sha256::digest(body)),
    };
    let canonical = format!(
        "{method}\n{canonical_path}\n{canonical_query}\n{canonical_headers}\n{signed}\n{payload}"
    );
    let scope = format!("{date}/{region}/{service}/aws4_request");
    let to_sign = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
        hex::encode(Sha256::digest(canonical.as_bytes()))
    );
    let mut k = hmac(format!("AWS4{secret}").as_bytes(), date);
    for part in [region, service, "aws4_request"] {
        k = hmac(&k, part);
    }
    let expected = hex::encode(hmac(&k, &to_sign));
    if expected != signature {
        return Err(forbidden(
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
        ));
    }
    Ok(())
}
