//! Transport: what happens to an AWS request before a codec reads it, as layers around the API handler,
//! outermost first: a request id ([`RequestId`]), the body read whole under [`MAX_BODY`] (one declared
//! larger is read on and thrown away, up to [`MAX_DRAINED_BODY`], so its 413 reaches the client), the SigV4
//! signature checked over the body as sent (when `--verify-signatures`), and a gzip body inflated under
//! [`MAX_INFLATED_REQUEST`] ([`gunzip`], the one inflater, which the admin API's CloudTrail log files use
//! too, under their own bound). Every bound is in [`crate::limits`].
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

pub use crate::limits::{MAX_BODY, MAX_DRAINED_BODY, MAX_INFLATED_REQUEST};

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
pub fn scoped_service(parts: &Parts) -> Option<&str> {
    parse_scope(&parts.headers).map(|s| s.routed_service())
}

/// An error in the protocol the request was sent in.
fn refuse(parts: &Parts, id: &RequestId, e: ApiError) -> Response {
    let detected: Protocol = protocol::detect(parts.uri.path(), &parts.headers);
    let service = scoped_service(parts).unwrap_or("logs");
    protocol::respond_err(detected, service, &e, &id.0, true)
}

/// A refusal before the body was read to its end: the rest of it is still on the connection, so the
/// connection cannot carry another request. `Connection: close` says so, and the client opens a new one
/// instead of finding this one closed under its next request.
fn refuse_and_close(parts: &Parts, id: &RequestId, e: ApiError) -> Response {
    let mut resp = refuse(parts, id, e);
    resp.headers_mut().insert(
        axum::http::header::CONNECTION,
        axum::http::HeaderValue::from_static("close"),
    );
    resp
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
    let too_large = || {
        ApiError::new(
            "RequestEntityTooLargeException",
            413,
            format!("Request body exceeds the limit of {MAX_BODY} bytes"),
        )
    };
    // A body declared too large is read to its end and thrown away (up to MAX_DRAINED_BODY), so the
    // 413 reaches a client that writes its whole body first and the connection stays open.
    // Read in place: this runs on every request, and `protocol::header` copies the value out.
    let declared: Option<usize> = parts
        .headers
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse().ok());
    if let Some(n) = declared.filter(|n| *n > MAX_BODY) {
        return if n <= MAX_DRAINED_BODY && drain(body).await {
            refuse(&parts, &id, too_large())
        } else {
            refuse_and_close(&parts, &id, too_large())
        };
    }
    let Ok(bytes) = to_bytes(body, MAX_BODY).await else {
        return refuse_and_close(&parts, &id, too_large());
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
        match gunzip(&bytes, MAX_INFLATED_REQUEST) {
            Ok(b) => {
                parts.headers.remove("content-encoding");
                Bytes::from(b)
            }
            Err(Inflate::TooLarge) => {
                let e = ApiError::new(
                    "RequestEntityTooLargeException",
                    413,
                    format!("Request body inflates past the limit of {MAX_INFLATED_REQUEST} bytes"),
                );
                return refuse(&parts, &id, e);
            }
            Err(Inflate::NotGzip) => {
                let e = ApiError::serialization("The request body is not valid gzip");
                return refuse(&parts, &id, e);
            }
        }
    } else {
        bytes
    };
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// Reads a body to its end, holding none of it; whether it ended cleanly.
async fn drain(mut body: Body) -> bool {
    use http_body_util::BodyExt;
    while let Some(frame) = body.frame().await {
        if frame.is_err() {
            return false;
        }
    }
    true
}

/// Why a gzip body was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum Inflate {
    NotGzip,
    TooLarge,
}

impl std::fmt::Display for Inflate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Inflate::NotGzip => write!(f, "the body is not valid gzip"),
            Inflate::TooLarge => write!(f, "the body inflates past the limit"),
        }
    }
}

/// Inflates a gzip body, refusing one that is not gzip or inflates past `limit` bytes. Inflation stops at
/// the first byte past the limit, so a bomb costs at most `limit` bytes (a buffer that grows to hold it,
/// dropped on refusal), never what it would inflate to.
pub fn gunzip(body: &[u8], limit: usize) -> Result<Vec<u8>, Inflate> {
    // Sized for a typical ratio so the buffer seldom doubles past what it holds.
    let mut out = Vec::with_capacity(body.len().saturating_mul(4).min(limit));
    let mut dec = flate2::read::GzDecoder::new(body).take(limit as u64 + 1);
    if dec.read_to_end(&mut out).is_err() {
        return Err(Inflate::NotGzip);
    }
    if out.len() > limit {
        return Err(Inflate::TooLarge);
    }
    Ok(out)
}
