//! Transport: what happens to an AWS request before a codec reads it, as layers around the API handler,
//! outermost first: a request id ([`RequestId`]), the body read whole under [`MAX_BODY`], the SigV4
//! signature checked over the body as sent (when `--verify-signatures`), and a gzip body inflated under
//! [`MAX_INFLATED`] ([`gunzip`], the one inflater, which the admin API's CloudTrail log files use too).
//! A refusal here is already in the client's protocol, since [`protocol::detect`] needs only the path
//! and headers.

use crate::context::parse_scope;
use crate::error::ApiError;
use crate::protocol::{self, Protocol};
use crate::runtime::Shared;
use axum::body::{to_bytes, Body, Bytes};
use axum::extract::{Request, State};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::Response;
use std::io::Read;
use std::sync::Arc;

/// The largest request body accepted (AWS's largest, PutLogEvents and PutMetricData, is about 1 MiB).
pub const MAX_BODY: usize = 1_048_576 + 65_536;
/// The largest body after gzip decompression (a CloudTrail log file of the admin API included).
pub const MAX_INFLATED: u64 = 64 * 1_048_576;

/// The id every response of a request carries (`x-amzn-RequestId`, the Query `RequestId`).
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

impl RequestId {
    /// A unique id in UUID form (hex, version 4 and variant bits set: clients and AWS's recorded answers
    /// treat it as a UUID); a counter rather than a random draw, which costs a system call.
    fn next() -> RequestId {
        use std::sync::atomic::{AtomicU64, Ordering};
        static NEXT: AtomicU64 = AtomicU64::new(1);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        RequestId(format!("00000000-0000-4000-8000-{n:012x}"))
    }
}

/// The service a request is for, as far as the transport can tell (for the shape of its errors).
pub fn scoped_service(parts: &Parts) -> Option<String> {
    parse_scope(&parts.headers).map(|s| match s.service.as_str() {
        "cloudwatch" => "monitoring".to_string(),
        _ => s.service,
    })
}

/// An error in the protocol the request was sent in.
fn refuse(parts: &Parts, id: &RequestId, e: ApiError) -> Response {
    let detected: Protocol = protocol::detect(parts.uri.path(), &parts.headers);
    let service = scoped_service(parts).unwrap_or_else(|| "logs".into());
    protocol::respond_err(detected, &service, &e, &id.0, true)
}

/// Gives the request its id.
pub async fn request_id(mut req: Request, next: Next) -> Response {
    req.extensions_mut().insert(RequestId::next());
    next.run(req).await
}

/// Reads the body whole (under [`MAX_BODY`]), checks the signature over it, inflates it if gzip.
pub async fn body(State(shared): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let (mut parts, body) = req.into_parts();
    let id = parts
        .extensions
        .get::<RequestId>()
        .cloned()
        .unwrap_or_else(RequestId::next);
    let Ok(bytes) = to_bytes(body, MAX_BODY).await else {
        let e = ApiError::new(
            "RequestEntityTooLargeException",
            413,
            format!("Request body exceeds the limit of {MAX_BODY} bytes"),
        );
        return refuse(&parts, &id, e);
    };
    if let Some(keys) = &shared.config.verify_signatures {
        if let Err(e) = crate::sigv4::verify(
            keys,
            parts.method.as_str(),
            parts.uri.path(),
            parts.uri.query(),
            &parts.headers,
            &bytes,
        ) {
            return refuse(&parts, &id, e);
        }
    }
    let gzip = protocol::header(&parts.headers, "content-encoding")
        .is_some_and(|v| v.eq_ignore_ascii_case("gzip"));
    let bytes = if gzip {
        match gunzip(&bytes) {
            Ok(b) => {
                parts.headers.remove("content-encoding");
                Bytes::from(b)
            }
            Err(message) => return refuse(&parts, &id, ApiError::serialization(message)),
        }
    } else {
        bytes
    };
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// Inflates a gzip body, refusing one that is not gzip or inflates past [`MAX_INFLATED`].
pub fn gunzip(body: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let mut dec = flate2::read::GzDecoder::new(body).take(MAX_INFLATED + 1);
    if dec.read_to_end(&mut out).is_err() || out.len() as u64 > MAX_INFLATED {
        return Err(format!(
            "The request body is not valid gzip, or inflates past {} MiB",
            MAX_INFLATED / 1_048_576
        ));
    }
    Ok(out)
}
