//! The HTTP server: the admin API under `/_orgwatch/` (and LocalStack's health path), and every other
//! request, once through the [`crate::transport`] layers, decoded, routed by the SigV4 credential scope
//! to a service, handled, made durable, and encoded back in the client's protocol.

use crate::context::{account_for_key, parse_scope, RequestContext};
use crate::error::ApiError;
use crate::pipeline::delivery::Effects;
use crate::protocol::{self, Protocol};
use crate::runtime::{Shared, SERVED_LOG_LIMIT};
use crate::services::{self, Call};
use crate::transport::{self, RequestId};
use axum::body::{to_bytes, Body};
use axum::extract::{DefaultBodyLimit, Extension, State};
use axum::http::Request;
use axum::middleware;
use axum::response::Response;
use axum::Router;
use std::sync::Arc;
use std::time::{Duration, Instant};

pub use crate::transport::MAX_BODY;

/// The admin API, and the AWS API behind the transport layers (see [`crate::transport`]; the last
/// added runs first).
pub fn router(shared: Arc<Shared>) -> Router {
    let admin = crate::admin::router(shared.clone());
    let aws = Router::new()
        .fallback(api)
        .layer(middleware::from_fn_with_state(
            shared.clone(),
            transport::body,
        ))
        .layer(middleware::from_fn(transport::request_id));
    Router::new()
        .nest(
            "/_orgwatch",
            admin.layer(DefaultBodyLimit::max(crate::limits::MAX_ADMIN_BODY)),
        )
        .route(
            crate::admin::LOCALSTACK_HEALTH,
            axum::routing::get(crate::admin::localstack_health),
        )
        .merge(aws)
        .layer(DefaultBodyLimit::disable())
        .with_state(shared)
}

/// Decodes, routes, injects faults, dispatches, makes the change durable, logs, and answers.
async fn api(
    State(shared): State<Arc<Shared>>,
    Extension(RequestId(request_id)): Extension<RequestId>,
    req: Request<Body>,
) -> Response {
    let started = Instant::now();
    let (parts, body) = req.into_parts();
    let path = parts.uri.path();
    let detected = protocol::detect(path, &parts.headers);
    let scope = parse_scope(&parts.headers);
    let scoped_service = scope.as_ref().map(|s| s.routed_service());
    let fail = |protocol: Protocol, service: &str, e: ApiError| {
        protocol::respond_err(protocol, service, &e, &request_id, true)
    };
    // The transport layer has read the body whole already.
    let body = to_bytes(body, usize::MAX).await.unwrap_or_default();
    let decoded = match protocol::decode_request(
        parts.method.as_str(),
        path,
        parts.uri.query(),
        &parts.headers,
        &body,
    ) {
        Ok(d) => d,
        Err(e) => return fail(detected, scoped_service.unwrap_or("logs"), e),
    };
    // A credential scoped to one service on a request another service's protocol names (a CBOR
    // CloudWatch call signed for `s3`) is refused as AWS refuses it, never dispatched to either.
    if let (Some(scoped), Some(implied)) = (scoped_service, decoded.implied_service) {
        if scoped != implied {
            return fail(
                decoded.protocol,
                implied,
                crate::sigv4::wrong_scope(implied),
            );
        }
    }
    // The SubscribeURL and UnsubscribeURL SNS sends are unsigned GETs; the ARN they carry says where.
    let link = scope
        .is_none()
        .then(|| subscription_link(&decoded.operation, &decoded.input))
        .flatten();
    let service = scoped_service
        .or(link.as_ref().map(|_| "sns"))
        .or(decoded.implied_service)
        .unwrap_or_default()
        .to_string();
    let ctx = RequestContext {
        account: match &link {
            Some(a) => a.account.clone(),
            None => account_for_key(
                scope.as_ref().map_or("", |s| s.access_key),
                &shared.config.default_account,
            ),
        },
        region: match (&link, &scope) {
            (Some(a), _) => a.region.clone(),
            (None, Some(s)) => s.region.to_string(),
            (None, None) => "us-east-1".to_string(),
        },
        service: service.clone(),
        access_key: scope
            .as_ref()
            .map(|s| s.access_key.to_string())
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
        dispatch(&shared, &ctx, &service, &decoded.operation, decoded.input).await
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
    let micros = started.elapsed().as_micros() as u64;
    tracing::info!(
        service = %service,
        operation = %decoded.operation,
        account = %ctx.account,
        region = %ctx.region,
        status,
        latency_us = micros,
        error = result.as_ref().err().map(|e| e.code.as_str()).unwrap_or(""),
        "request"
    );
    // Last, so that the entry takes the request's strings rather than copies of them.
    if let Ok(mut served) = shared.served.lock() {
        if served.len() >= SERVED_LOG_LIMIT {
            served.pop_front();
        }
        served.push_back(crate::admin::api::Served {
            service,
            operation: decoded.operation,
            account: ctx.account,
            region: ctx.region,
            micros,
        });
    }
    resp
}

/// How often a long poll looks again for a message.
const POLL_INTERVAL: Duration = Duration::from_millis(50);

/// Runs the operation under the state lock, hands its HTTP deliveries to the pipeline once the lock is
/// released, and, when it is a long poll that found nothing, asks again until something arrives or its
/// wait is over (the lock is free between attempts, so the message it waits for can be sent).
async fn dispatch(
    shared: &Shared,
    ctx: &RequestContext,
    service: &str,
    operation: &str,
    input: protocol::Document,
) -> Result<crate::protocol::output::Out, ApiError> {
    // Only an operation that may wait keeps a copy of its input to ask again with.
    let again = services::may_wait(service, operation).then(|| input.clone());
    let (result, wait) = attempt(shared, ctx, service, operation, input);
    let (Some(input), Some(wait)) = (again, wait.filter(|_| result.is_ok())) else {
        return result;
    };
    let until = Instant::now() + wait;
    loop {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return result;
        }
        tokio::time::sleep(left.min(POLL_INTERVAL)).await;
        let (result, wait) = attempt(shared, ctx, service, operation, input.clone());
        if wait.is_none() || result.is_err() {
            return result;
        }
    }
}

/// One run of the operation under the lock; the long-poll wait it asks for, if any.
fn attempt(
    shared: &Shared,
    ctx: &RequestContext,
    service: &str,
    operation: &str,
    input: protocol::Document,
) -> (
    Result<crate::protocol::output::Out, ApiError>,
    Option<Duration>,
) {
    let mut state = shared.lock();
    let mut call = Call {
        ctx,
        state: &mut state,
        clock: &shared.clock,
        fx: Effects::new(shared.pipeline.public_url(), shared.config.auto_confirm),
    };
    let result = services::dispatch(&mut call, service, operation, input);
    let outgoing = std::mem::take(&mut call.fx.outgoing);
    let wait = call.fx.wait.take();
    drop(state);
    shared.pipeline.send(outgoing);
    (result, wait)
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
