//! The HTTP server: the admin API under `/_orgwatch/`, and every other request decoded, routed by the
//! SigV4 credential scope to a service, handled, and encoded back in the client's protocol.

use crate::context::{account_for_key, parse_scope, RequestContext};
use crate::error::ApiError;
use crate::pipeline::delivery::Effects;
use crate::protocol::{self, Protocol};
use crate::runtime::{Shared, SERVED_LOG_LIMIT};
use crate::services::{self, Call};
use axum::body::{to_bytes, Body};
use axum::extract::{DefaultBodyLimit, State};
use axum::http::Request;
use axum::response::Response;
use axum::Router;
use std::io::Read;
use std::sync::Arc;
use std::time::Instant;

/// The largest request body accepted (AWS's largest, PutLogEvents and PutMetricData, is about 1 MiB).
pub const MAX_BODY: usize = 1_048_576 + 65_536;
/// The largest body after gzip decompression.
const MAX_INFLATED: u64 = 8 * 1_048_576;

pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .nest(
            "/_orgwatch",
            crate::admin::router().route_layer(axum::middleware::from_fn_with_state(
                shared.clone(),
                crate::admin::durable,
            )),
        )
        .fallback(api)
        .layer(DefaultBodyLimit::disable())
        .with_state(shared)
}

fn service_name(service: &str) -> &str {
    match service {
        "monitoring" | "cloudwatch" => "monitoring",
        other => other,
    }
}

/// A unique, UUID-shaped request id; a counter rather than a random draw, which costs a system call.
fn request_id() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    format!("0rgw4tch-0000-4000-8000-{n:012x}")
}

async fn api(State(shared): State<Arc<Shared>>, req: Request<Body>) -> Response {
    let started = Instant::now();
    let request_id = request_id();
    let (parts, body) = req.into_parts();
    let path = parts.uri.path().to_string();
    let detected = protocol::detect(&path, &parts.headers);
    let scope = parse_scope(&parts.headers);
    let scoped_service = scope.as_ref().map(|s| service_name(&s.service).to_string());
    let fail = |protocol: Protocol, service: &str, e: ApiError| {
        protocol::respond_err(protocol, service, &e, &request_id, true)
    };

    let body = match to_bytes(body, MAX_BODY).await {
        Ok(b) => b,
        Err(_) => {
            let e = ApiError::new(
                "RequestEntityTooLargeException",
                413,
                format!("Request body exceeds the limit of {MAX_BODY} bytes"),
            );
            return fail(detected, scoped_service.as_deref().unwrap_or("logs"), e);
        }
    };
    if let Some(keys) = &shared.config.verify_signatures {
        if let Err(e) = crate::sigv4::verify(
            keys,
            parts.method.as_str(),
            &path,
            parts.uri.query(),
            &parts.headers,
            &body,
        ) {
            return fail(detected, scoped_service.as_deref().unwrap_or("logs"), e);
        }
    }
    let gzip = protocol::header(&parts.headers, "content-encoding")
        .is_some_and(|v| v.eq_ignore_ascii_case("gzip"));
    let body: Vec<u8> = if gzip {
        let mut out = Vec::new();
        let mut dec = flate2::read::GzDecoder::new(&body[..]).take(MAX_INFLATED + 1);
        if dec.read_to_end(&mut out).is_err() || out.len() as u64 > MAX_INFLATED {
            let e = ApiError::serialization(
                "The request body is not valid gzip, or inflates past the limit",
            );
            return fail(detected, scoped_service.as_deref().unwrap_or("logs"), e);
        }
        out
    } else {
        body.to_vec()
    };
    let decoded = match protocol::decode(&path, parts.uri.query(), &parts.headers, &body) {
        Ok(d) => d,
        Err(e) => return fail(detected, scoped_service.as_deref().unwrap_or("logs"), e),
    };
    // The SubscribeURL and UnsubscribeURL SNS sends are unsigned GETs; the ARN they carry says where.
    let link = scope
        .is_none()
        .then(|| subscription_link(&decoded.operation, &decoded.input))
        .flatten();
    let service = scoped_service
        .or(link.as_ref().map(|_| "sns".to_string()))
        .or(decoded.implied_service.map(str::to_string))
        .unwrap_or_default();
    let ctx = RequestContext {
        account: match &link {
            Some(a) => a.account.clone(),
            None => account_for_key(
                scope.as_ref().map_or("", |s| s.access_key.as_str()),
                &shared.config.default_account,
            ),
        },
        region: match (&link, &scope) {
            (Some(a), _) => a.region.clone(),
            (None, Some(s)) => s.region.clone(),
            (None, None) => "us-east-1".to_string(),
        },
        service: service.clone(),
        access_key: scope
            .as_ref()
            .map(|s| s.access_key.clone())
            .unwrap_or_default(),
        request_id: request_id.clone(),
    };
    let fault = shared.faults.lock().ok().and_then(|mut f| {
        crate::faults::take(
            &mut f,
            &service,
            &decoded.operation,
            &ctx.account,
            &ctx.region,
        )
    });
    let injected = match fault {
        Some(crate::faults::Effect::Fail(e)) => Some(e),
        Some(crate::faults::Effect::Delay(ms)) => {
            tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
            None
        }
        None => None,
    };
    let mut result = if let Some(e) = injected {
        Err(e)
    } else {
        let mut state = shared.lock();
        let mut call = Call {
            ctx: &ctx,
            state: &mut state,
            clock: &shared.clock,
            fx: Effects::new(shared.pipeline.public_url(), shared.config.auto_confirm),
        };
        let result = services::dispatch(&mut call, &service, &decoded.operation, decoded.input);
        let outgoing = std::mem::take(&mut call.fx.outgoing);
        drop(state);
        shared.pipeline.send(outgoing);
        result
    };
    if result.is_ok() && services::changes_state(&decoded.operation) {
        if let Err(e) = shared.acknowledge().await {
            tracing::error!(error = %e, "the state could not be written");
            result = Err(ApiError::server(
                "InternalFailure",
                format!("The change could not be made durable: {e}"),
            ));
        }
    }
    if let Ok(mut served) = shared.served.lock() {
        if served.len() >= SERVED_LOG_LIMIT {
            served.pop_front();
        }
        served.push_back((
            service.clone(),
            decoded.operation.clone(),
            ctx.account.clone(),
            ctx.region.clone(),
        ));
    }
    let (resp, status) = match &result {
        Ok(out) => (
            protocol::respond_ok(
                decoded.protocol,
                &service,
                &decoded.operation,
                out,
                &request_id,
            ),
            200,
        ),
        Err(e) => (
            protocol::respond_err(
                decoded.protocol,
                &service,
                e,
                &request_id,
                decoded.query_mode,
            ),
            e.status,
        ),
    };
    tracing::info!(
        service = %service,
        operation = %decoded.operation,
        account = %ctx.account,
        region = %ctx.region,
        status,
        latency_us = started.elapsed().as_micros() as u64,
        error = result.as_ref().err().map(|e| e.code.as_str()).unwrap_or(""),
        "request"
    );
    resp
}

/// The ARN a SubscribeURL (`?Action=ConfirmSubscription&TopicArn=…`) or UnsubscribeURL
/// (`?Action=Unsubscribe&SubscriptionArn=…`) names.
fn subscription_link(operation: &str, input: &protocol::Document) -> Option<crate::arn::Arn> {
    let field = match operation {
        "ConfirmSubscription" => "TopicArn",
        "Unsubscribe" => "SubscriptionArn",
        _ => return None,
    };
    crate::arn::parse_arn(input.str(field)?)
}
