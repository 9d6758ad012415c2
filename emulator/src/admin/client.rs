//! The one client of the admin API (`/_orgwatch/...`), typed by [`super::api`]: the drill, the scenario
//! harness, tests and benches all call the emulator's admin routes through it. Plain HTTP/1.1 JSON with
//! keep-alive; cheap to clone.

use super::api::{
    Advance, Clock, Confirm, Deliveries, DeliveryError, DeliverySummary, ErrorBody, Fault, Faults,
    Health, Outbox, OutboxMessage, Requests, Served, SetClock, SetOrganization, PREFIX,
};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::{connect::HttpConnector, Client};
use hyper_util::rt::TokioExecutor;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// A failed admin call: the URL, and the status and message when the emulator answered.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{url}: {message}")]
pub struct AdminError {
    pub url: String,
    pub status: Option<u16>,
    pub message: String,
}

pub type AdminResult<T> = Result<T, AdminError>;

#[derive(Clone)]
pub struct AdminClient {
    base: String,
    http: Client<HttpConnector, Full<Bytes>>,
}

impl std::fmt::Debug for AdminClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AdminClient")
            .field("base", &self.base)
            .finish()
    }
}

impl AdminClient {
    /// A client of the emulator at `endpoint` (`http://127.0.0.1:4566`).
    pub fn new(endpoint: &str) -> AdminClient {
        AdminClient {
            base: format!("{}{PREFIX}", endpoint.trim_end_matches('/')),
            http: Client::builder(TokioExecutor::new()).build_http(),
        }
    }

    /// One call: the status and the body, whatever the status (for tests of the admin API itself).
    pub async fn send(&self, method: &str, path: &str, body: Bytes) -> AdminResult<(u16, Bytes)> {
        let url = format!("{}{path}", self.base);
        let fail = |status: Option<u16>, message: String| AdminError {
            url: url.clone(),
            status,
            message,
        };
        let req = hyper::Request::builder()
            .method(method)
            .uri(&url)
            .header("content-type", "application/json")
            .body(Full::new(body))
            .map_err(|e| fail(None, e.to_string()))?;
        let resp = self
            .http
            .request(req)
            .await
            .map_err(|e| fail(None, e.to_string()))?;
        let status = resp.status().as_u16();
        let bytes = resp
            .into_body()
            .collect()
            .await
            .map_err(|e| fail(Some(status), e.to_string()))?
            .to_bytes();
        Ok((status, bytes))
    }

    async fn call<T: DeserializeOwned>(
        &self,
        method: &str,
        path: &str,
        body: Bytes,
    ) -> AdminResult<T> {
        let (status, bytes) = self.send(method, path, body).await?;
        let url = format!("{}{path}", self.base);
        if !(200..300).contains(&status) {
            let message = serde_json::from_slice::<ErrorBody>(&bytes)
                .map(|e| e.error)
                .unwrap_or_else(|_| String::from_utf8_lossy(&bytes).into_owned());
            return Err(AdminError {
                url,
                status: Some(status),
                message: format!("HTTP {status}: {message}"),
            });
        }
        serde_json::from_slice(&bytes).map_err(|e| AdminError {
            url,
            status: Some(status),
            message: format!("HTTP {status}, not an orgwatch admin answer ({e})"),
        })
    }

    async fn get<T: DeserializeOwned>(&self, path: &str) -> AdminResult<T> {
        self.call("GET", path, Bytes::new()).await
    }

    async fn post<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> AdminResult<T> {
        let body = serde_json::to_vec(body).unwrap_or_default();
        self.call("POST", path, Bytes::from(body)).await
    }

    pub async fn health(&self) -> AdminResult<Health> {
        self.get("/health").await
    }

    /// Whether the endpoint is an orgwatch emulator (its health route answers `ready`).
    pub async fn is_emulator(&self) -> bool {
        self.health().await.is_ok_and(|h| h.status == "ready")
    }

    /// Forgets every resource, the clock, served operations and faults.
    pub async fn reset(&self) -> AdminResult<()> {
        self.post::<_, Value>("/reset", &()).await.map(|_| ())
    }

    pub async fn export_state(&self) -> AdminResult<Value> {
        self.get("/state").await
    }

    pub async fn import_state(&self, state: &Value) -> AdminResult<()> {
        let body = Bytes::from(state.to_string());
        self.call::<Value>("PUT", "/state", body).await.map(|_| ())
    }

    /// Saves the state to the emulator's `--state` file.
    pub async fn save_state(&self) -> AdminResult<()> {
        self.post::<_, Value>("/state/save", &()).await.map(|_| ())
    }

    pub async fn clock(&self) -> AdminResult<Clock> {
        self.get("/clock").await
    }

    /// Makes the clock virtual at `now` (epoch seconds); alarms due on the way are evaluated.
    pub async fn set_clock(&self, now: f64) -> AdminResult<Clock> {
        let body = SetClock {
            now: Some(now),
            iso: None,
        };
        self.post("/clock", &body).await
    }

    /// Makes the clock virtual at an RFC 3339 instant.
    pub async fn set_clock_iso(&self, iso: &str) -> AdminResult<Clock> {
        let body = SetClock {
            now: None,
            iso: Some(iso.into()),
        };
        self.post("/clock", &body).await
    }

    /// Moves the virtual clock, evaluating every alarm at each instant it would have been evaluated.
    pub async fn advance(&self, seconds: f64) -> AdminResult<Clock> {
        self.post("/clock/advance", &Advance { seconds }).await
    }

    /// Evaluates the alarms due now.
    pub async fn evaluate(&self) -> AdminResult<()> {
        self.post::<_, Value>("/alarms/evaluate", &())
            .await
            .map(|_| ())
    }

    pub async fn set_organization(&self, body: &SetOrganization) -> AdminResult<()> {
        self.post::<_, Value>("/organizations", body)
            .await
            .map(|_| ())
    }

    /// Delivers CloudTrail records (each a record object) to the trails that capture them.
    pub async fn deliver(&self, records: &[Value]) -> AdminResult<DeliverySummary> {
        self.post(
            "/cloudtrail/events",
            &serde_json::json!({ "Records": records }),
        )
        .await
    }

    /// Delivers a CloudTrail log file, or any body the route takes (a record, an array, gzip or not).
    pub async fn deliver_raw(&self, body: Vec<u8>) -> AdminResult<DeliverySummary> {
        self.call("POST", "/cloudtrail/events", Bytes::from(body))
            .await
    }

    /// Every message SNS sent, or only those of one topic.
    pub async fn outbox(&self, topic: Option<&str>) -> AdminResult<Vec<OutboxMessage>> {
        let path = match topic {
            Some(t) => format!(
                "/sns/outbox?topic={}",
                form_urlencoded::byte_serialize(t.as_bytes()).collect::<String>()
            ),
            None => "/sns/outbox".into(),
        };
        self.get::<Outbox>(&path).await.map(|o| o.messages)
    }

    /// Confirms a subscription, as a click on its SubscribeURL would.
    pub async fn confirm(&self, subscription_arn: &str) -> AdminResult<()> {
        let body = Confirm {
            subscription_arn: subscription_arn.into(),
        };
        self.post::<_, Value>("/sns/confirm", &body)
            .await
            .map(|_| ())
    }

    pub async fn set_delivery_error(&self, body: &DeliveryError) -> AdminResult<()> {
        self.post::<_, Value>("/cloudtrail/delivery-error", body)
            .await
            .map(|_| ())
    }

    /// Every POST made to HTTP/HTTPS subscribers.
    pub async fn deliveries(&self) -> AdminResult<Deliveries> {
        self.get("/sns/deliveries").await
    }

    /// The operations served, oldest first.
    pub async fn requests(&self) -> AdminResult<Vec<Served>> {
        self.get::<Requests>("/requests").await.map(|r| r.requests)
    }

    pub async fn clear_requests(&self) -> AdminResult<()> {
        self.call::<Value>("DELETE", "/requests", Bytes::new())
            .await
            .map(|_| ())
    }

    pub async fn faults(&self) -> AdminResult<Vec<Fault>> {
        self.get::<Faults>("/faults").await.map(|f| f.faults)
    }

    pub async fn add_fault(&self, fault: &Fault) -> AdminResult<()> {
        self.post::<_, Value>("/faults", fault).await.map(|_| ())
    }

    pub async fn clear_faults(&self) -> AdminResult<()> {
        self.call::<Value>("DELETE", "/faults", Bytes::new())
            .await
            .map(|_| ())
    }
}
