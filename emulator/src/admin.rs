//! The admin API under `/_orgwatch/`: what no AWS API can do (health, reset, state export and import,
//! the clock, an account's organization role, the SNS outbox, a trail's delivery error).

use crate::model::{parse_state, OrgRole, State as Store};
use crate::runtime::Shared;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Arc;

type S = State<Arc<Shared>>;

pub fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route("/health", get(health))
        .route("/reset", post(reset))
        .route("/state", get(export).put(import))
        .route("/state/save", post(save))
        .route("/clock", get(clock).post(set_clock))
        .route("/clock/advance", post(advance))
        .route("/organizations", post(set_organization))
        .route("/sns/outbox", get(outbox))
        .route("/sns/confirm", post(confirm))
        .route("/cloudtrail/delivery-error", post(delivery_error))
        .route("/cloudtrail/events", post(cloudtrail_events))
        .route("/alarms/evaluate", post(evaluate))
        .route("/sns/deliveries", get(deliveries))
        .route("/requests", get(requests).delete(clear_requests))
        .route(
            "/faults",
            get(list_faults).post(add_fault).delete(clear_faults),
        )
}

fn bad(message: impl Into<String>) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({"error": message.into()})),
    )
        .into_response()
}

async fn health(State(s): S) -> Json<Value> {
    let services: serde_json::Map<String, Value> = crate::services::SERVICES
        .iter()
        .map(|(svc, ops)| (svc.to_string(), json!(ops)))
        .collect();
    Json(
        json!({"status": "ready", "version": env!("CARGO_PKG_VERSION"), "services": services, "virtualClock": s.clock.is_virtual()}),
    )
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

async fn export(State(s): S) -> Json<Value> {
    Json(serde_json::to_value(&*s.lock()).unwrap_or(Value::Null))
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

async fn clock(State(s): S) -> Json<Value> {
    Json(
        json!({"now": s.clock.now(), "iso": crate::clock::iso8601(s.clock.now()), "virtual": s.clock.is_virtual()}),
    )
}

#[derive(Deserialize)]
struct SetClock {
    now: Option<f64>,
    iso: Option<String>,
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
            Json(json!({"now": t, "virtual": true})).into_response()
        }
        None => bad("give \"now\" (epoch seconds) or \"iso\" (RFC 3339)"),
    }
}

#[derive(Deserialize)]
struct Advance {
    seconds: f64,
}

async fn advance(State(s): S, Json(b): Json<Advance>) -> Response {
    if !b.seconds.is_finite() || b.seconds < 0.0 {
        return bad("\"seconds\" must be a non-negative number");
    }
    let t = s.clock.advance(b.seconds);
    s.evaluate_alarms();
    Json(json!({"now": t, "virtual": true})).into_response()
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SetOrganization {
    account: String,
    role: String,
    management_account: Option<String>,
    organization_id: Option<String>,
}

async fn set_organization(State(s): S, Json(b): Json<SetOrganization>) -> Response {
    let role = match (b.role.as_str(), b.management_account) {
        ("none", _) => OrgRole::None,
        ("management", _) => OrgRole::Management {
            organization_id: b.organization_id,
        },
        ("member", Some(m)) => OrgRole::Member {
            management_account: m,
            organization_id: b.organization_id,
        },
        ("member", None) => return bad("a member account needs \"managementAccount\""),
        (other, _) => {
            return bad(format!(
                "unknown role {other:?}: use none, management or member"
            ))
        }
    };
    s.lock().account(&b.account).organization = role;
    Json(json!({"account": b.account, "role": b.role})).into_response()
}

async fn outbox(State(s): S, Query(q): Query<HashMap<String, String>>) -> Json<Value> {
    let state = s.lock();
    let items: Vec<Value> = state
        .accounts
        .iter()
        .flat_map(|(a, acc)| acc.regions.iter().map(move |(r, reg)| (a, r, reg)))
        .flat_map(|(a, r, reg)| reg.outbox.iter().map(move |d| (a, r, d)))
        .filter(|(_, _, d)| q.get("topic").is_none_or(|t| &d.topic_arn == t))
        .map(|(a, r, d)| {
            let mut v = serde_json::to_value(d).unwrap_or(Value::Null);
            v["account"] = json!(a);
            v["region"] = json!(r);
            v
        })
        .collect();
    Json(json!({ "messages": items }))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Confirm {
    subscription_arn: String,
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

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DeliveryError {
    account: Option<String>,
    trail: String,
    error: Option<String>,
}

async fn delivery_error(State(s): S, Json(b): Json<DeliveryError>) -> Response {
    let account = b
        .account
        .unwrap_or_else(|| s.config.default_account.clone());
    let mut state = s.lock();
    match state.account(&account).trails.get_mut(&b.trail) {
        Some(t) => {
            t.latest_cloud_watch_logs_delivery_error = b.error.clone();
            Json(json!({"trail": b.trail, "error": b.error})).into_response()
        }
        None => (
            StatusCode::NOT_FOUND,
            Json(json!({"error": "no such trail"})),
        )
            .into_response(),
    }
}

async fn requests(State(s): S) -> Json<Value> {
    let served = s.served.lock().map(|v| v.clone()).unwrap_or_default();
    let items: Vec<Value> = served
        .into_iter()
        .map(|(svc, op, a, r)| json!({"service": svc, "operation": op, "account": a, "region": r}))
        .collect();
    Json(json!({ "requests": items }))
}

async fn clear_requests(State(s): S) -> Json<Value> {
    if let Ok(mut r) = s.served.lock() {
        r.clear();
    }
    Json(json!({"cleared": true}))
}

async fn list_faults(State(s): S) -> Json<Value> {
    let faults = s.faults.lock().map(|f| f.clone()).unwrap_or_default();
    Json(json!({ "faults": faults }))
}

async fn add_fault(State(s): S, Json(f): Json<crate::faults::Fault>) -> Response {
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
    let body = if body.starts_with(&[0x1f, 0x8b]) {
        use std::io::Read;
        let mut out = Vec::new();
        let limit = 64 * 1_048_576;
        let mut dec = flate2::read::GzDecoder::new(&body[..]).take(limit + 1);
        if dec.read_to_end(&mut out).is_err() || out.len() as u64 > limit {
            return bad("the body is not valid gzip, or inflates past 64 MiB");
        }
        out
    } else {
        body.to_vec()
    };
    let records = match crate::pipeline::trail::parse(&body, &s.config.default_account) {
        Ok(r) => r,
        Err(e) => return bad(e),
    };
    let summary = crate::pipeline::trail::deliver(&mut s.lock(), &s.clock, records);
    Json(serde_json::to_value(summary).unwrap_or(Value::Null)).into_response()
}

/// Evaluates the alarms due up to now (the real-time ticker does this every 10 seconds).
async fn evaluate(State(s): S) -> Json<Value> {
    s.evaluate_alarms();
    Json(json!({"evaluatedUntil": s.clock.now()}))
}

/// Every POST made to HTTP/HTTPS subscribers, oldest first.
async fn deliveries(State(s): S) -> Json<Value> {
    let log: Vec<crate::pipeline::http::Attempt> = s
        .pipeline
        .attempts
        .lock()
        .map(|l| l.iter().cloned().collect())
        .unwrap_or_default();
    Json(json!({ "attempts": log }))
}
