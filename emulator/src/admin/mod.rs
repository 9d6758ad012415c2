//! The admin API under `/_orgwatch/`: what no AWS API can do (health, reset, state export and import,
//! the clock, an account's organization role, the SNS outbox, a trail's delivery error). Its bodies are the
//! public types of [`api`]; [`client`] is the one client every caller uses.

pub mod api;
pub mod client;

use crate::model::{parse_state, OrgRole, State as Store};
use crate::runtime::Shared;
use api::{
    Advance, Confirm, DeliveryError, Fault, Health, OutboxMessage, Role, SetClock, SetOrganization,
};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Arc;

type S = State<Arc<Shared>>;

/// The admin routes. Those that change the model (the state `--state` persists) are answered only once
/// the change is on disk, as API writes are; reads and the runtime's own settings (faults, the request
/// log), which are not persisted, are not.
pub fn router(shared: Arc<Shared>) -> Router<Arc<Shared>> {
    let changes_state = Router::new()
        .route("/reset", post(reset))
        .route("/state", put(import))
        .route("/clock", post(set_clock))
        .route("/clock/advance", post(advance))
        .route("/organizations", post(set_organization))
        .route("/sns/confirm", post(confirm))
        .route("/cloudtrail/delivery-error", post(delivery_error))
        .route("/cloudtrail/events", post(cloudtrail_events))
        .route("/alarms/evaluate", post(evaluate))
        .route_layer(axum::middleware::from_fn_with_state(shared, durable));
    let reads_and_runtime = Router::new()
        .route("/health", get(health))
        .route("/state", get(export))
        .route("/state/save", post(save))
        .route("/clock", get(clock))
        .route("/sns/outbox", get(outbox))
        .route("/sns/deliveries", get(deliveries))
        .route("/requests", get(requests).delete(clear_requests))
        .route(
            "/faults",
            get(list_faults).post(add_fault).delete(clear_faults),
        );
    changes_state.merge(reads_and_runtime)
}

/// A layer over the admin routes that change the model: a change that succeeded is answered once it is
/// on disk ([`crate::durable`]).
async fn durable(
    State(s): S,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let resp = next.run(req).await;
    if resp.status().is_success() {
        if let Err(e) = s.acknowledge().await {
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                Json(json!({"error": format!("the change could not be made durable: {e}")})),
            )
                .into_response();
        }
    }
    resp
}

fn bad(message: impl Into<String>) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({"error": message.into()})),
    )
        .into_response()
}

async fn health(State(s): S) -> Json<Health> {
    let services = crate::services::SERVICES
        .iter()
        .map(|(svc, ops)| (svc.to_string(), ops.iter().map(|o| o.to_string()).collect()))
        .collect();
    Json(Health {
        status: "ready".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        services,
        virtual_clock: s.clock.is_virtual(),
    })
}

/// The path LocalStack answers its health on, which container tooling written for LocalStack polls
/// (testcontainers' Go and .NET modules, CI `services:` health options copied from LocalStack's docs).
pub const LOCALSTACK_HEALTH: &str = "/_localstack/health";

/// `GET /_localstack/health` in LocalStack's shape: each service by LocalStack's name for it (the
/// endpoint prefix but CloudWatch's, which LocalStack calls `cloudwatch`), `running`, as LocalStack
/// reports a service that is up; then the edition and version.
pub async fn localstack_health() -> Json<Value> {
    let services: serde_json::Map<String, Value> = crate::services::SERVICES
        .iter()
        .map(|(svc, _)| {
            let name = match *svc {
                "monitoring" => "cloudwatch",
                other => other,
            };
            (name.to_string(), Value::from("running"))
        })
        .collect();
    Json(json!({
        "services": services,
        "edition": "orgwatch",
        "version": env!("CARGO_PKG_VERSION"),
    }))
}

async fn reset(State(s): S) -> Json<Value> {
    *s.lock() = Store::new();
    s.clock.reset();
    if let Ok(mut r) = s.served.lock() {
        r.clear();
    }
    if let Ok(mut f) = s.faults.lock() {
        f.clear();
    }
    s.restart_evaluation();
    Json(json!({"reset": true}))
}

async fn export(State(s): S) -> Response {
    match crate::model::encode_state(&s.lock()) {
        Ok(bytes) => ([("content-type", "application/json")], bytes).into_response(),
        Err(e) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            Json(json!({"error": format!("the state could not be encoded: {e}")})),
        )
            .into_response(),
    }
}

async fn import(State(s): S, body: axum::body::Bytes) -> Response {
    match parse_state(&body) {
        Ok(state) => {
            *s.lock() = state;
            Json(json!({"imported": true})).into_response()
        }
        Err(e) => bad(e),
    }
}

async fn save(State(s): S) -> Response {
    match s.save() {
        Ok(Some(p)) => Json(json!({"saved": p.display().to_string()})).into_response(),
        Ok(None) => bad("the emulator was started without --state FILE"),
        Err(e) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            Json(json!({"error": e.to_string()})),
        )
            .into_response(),
    }
}

async fn clock(State(s): S) -> Json<api::Clock> {
    let now = s.clock.now();
    Json(api::Clock {
        now,
        iso: Some(crate::clock::iso8601(now)),
        is_virtual: s.clock.is_virtual(),
    })
}

fn moved(now: f64) -> Response {
    Json(api::Clock {
        now,
        iso: None,
        is_virtual: true,
    })
    .into_response()
}

async fn set_clock(State(s): S, Json(b): Json<SetClock>) -> Response {
    let t = b
        .now
        .or_else(|| b.iso.as_deref().and_then(crate::clock::parse_timestamp));
    match t {
        Some(t) => {
            let before = s.clock.now();
            s.clock.set(t);
            if t >= before {
                s.evaluate_alarms();
            } else {
                s.restart_evaluation();
            }
            moved(t)
        }
        None => bad("give \"now\" (epoch seconds) or \"iso\" (RFC 3339)"),
    }
}

async fn advance(State(s): S, Json(b): Json<Advance>) -> Response {
    if !b.seconds.is_finite() || b.seconds < 0.0 {
        return bad("\"seconds\" must be a non-negative number");
    }
    let t = s.clock.advance(b.seconds);
    s.evaluate_alarms();
    moved(t)
}

async fn set_organization(State(s): S, Json(b): Json<SetOrganization>) -> Response {
    let role = match (b.role, b.management_account) {
        (Role::None, _) => OrgRole::None,
        (Role::Management, _) => OrgRole::Management {
            organization_id: b.organization_id,
        },
        (Role::Member, Some(m)) => OrgRole::Member {
            management_account: m,
            organization_id: b.organization_id,
        },
        (Role::Member, None) => return bad("a member account needs \"managementAccount\""),
    };
    s.lock().account(&b.account).organization = role;
    Json(json!({"account": b.account, "role": b.role})).into_response()
}

async fn outbox(State(s): S, Query(q): Query<HashMap<String, String>>) -> Json<api::Outbox> {
    let state = s.lock();
    let messages = state
        .accounts
        .iter()
        .flat_map(|(a, acc)| acc.regions.iter().map(move |(r, reg)| (a, r, reg)))
        .flat_map(|(a, r, reg)| reg.outbox.iter().map(move |d| (a, r, d)))
        .filter(|(_, _, d)| q.get("topic").is_none_or(|t| &d.topic_arn == t))
        .map(|(a, r, d)| OutboxMessage {
            delivery: d.clone(),
            account: a.clone(),
            region: r.clone(),
        })
        .collect();
    Json(api::Outbox { messages })
}

async fn confirm(State(s): S, Json(b): Json<Confirm>) -> Response {
    let Some(a) = crate::arn::parse_arn(&b.subscription_arn) else {
        return bad("not a subscription ARN");
    };
    let mut state = s.lock();
    if state
        .region(&a.account, &a.region)
        .confirm_subscription(&b.subscription_arn)
    {
        Json(json!({"confirmed": b.subscription_arn})).into_response()
    } else {
        (
            StatusCode::NOT_FOUND,
            Json(json!({"error": "no such subscription"})),
        )
            .into_response()
    }
}

async fn delivery_error(State(s): S, Json(b): Json<DeliveryError>) -> Response {
    let account = b
        .account
        .unwrap_or_else(|| s.config.default_account.clone());
    let mut state = s.lock();
    match state.account(&account).trails.get_mut(&b.trail) {
        Some(t) => {
            t.latest_cloud_watch_logs_delivery_error = b.error.clone();
            t.delivery_error_observed = false;
            Json(json!({"trail": b.trail, "error": b.error})).into_response()
        }
        None => (
            StatusCode::NOT_FOUND,
            Json(json!({"error": "no such trail"})),
        )
            .into_response(),
    }
}

async fn requests(State(s): S) -> Json<api::Requests> {
    let requests = s
        .served
        .lock()
        .map(|v| v.iter().cloned().collect())
        .unwrap_or_default();
    Json(api::Requests { requests })
}

async fn clear_requests(State(s): S) -> Json<Value> {
    if let Ok(mut r) = s.served.lock() {
        r.clear();
    }
    Json(json!({"cleared": true}))
}

async fn list_faults(State(s): S) -> Json<api::Faults> {
    let faults = s.faults.lock().map(|f| f.clone()).unwrap_or_default();
    Json(api::Faults { faults })
}

async fn add_fault(State(s): S, Json(f): Json<Fault>) -> Response {
    if let Err(e) = f.validate() {
        return bad(e);
    }
    if let Ok(mut faults) = s.faults.lock() {
        faults.push(f);
    }
    Json(json!({"added": true})).into_response()
}

async fn clear_faults(State(s): S) -> Json<Value> {
    if let Ok(mut f) = s.faults.lock() {
        f.clear();
    }
    Json(json!({"cleared": true}))
}

/// Delivers CloudTrail records (a record, an array, or `{"Records": [...]}`, optionally gzip) to the
/// trails that capture them.
async fn cloudtrail_events(State(s): S, body: axum::body::Bytes) -> Response {
    // CloudTrail log files are gzip without a content-encoding: known by their magic bytes.
    let body = if body.starts_with(&[0x1f, 0x8b]) {
        match crate::transport::gunzip(&body, crate::limits::MAX_ADMIN_BODY) {
            Ok(b) => b,
            Err(e) => return bad(format!("CloudTrail log file: {e}")),
        }
    } else {
        body.to_vec()
    };
    let records = match crate::pipeline::trail::parse(&body, &s.config.default_account) {
        Ok(r) => r,
        Err(e) => return bad(e),
    };
    let summary = crate::pipeline::trail::deliver(&mut s.lock(), &s.clock, records);
    Json(summary).into_response()
}

/// Evaluates the alarms due up to now (the real-time ticker does this every 10 seconds).
async fn evaluate(State(s): S) -> Json<Value> {
    s.evaluate_alarms();
    Json(json!({"evaluatedUntil": s.clock.now()}))
}

/// Every POST made to HTTP/HTTPS subscribers, oldest first.
async fn deliveries(State(s): S) -> Json<api::Deliveries> {
    let attempts = s
        .pipeline
        .attempts
        .lock()
        .map(|l| l.iter().cloned().collect())
        .unwrap_or_default();
    Json(api::Deliveries { attempts })
}
