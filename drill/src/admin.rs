//! The orgwatch emulator's admin API (`/_orgwatch/...`), as the drill uses it: health, the clock,
//! CloudTrail delivery and the SNS outbox. Plain HTTP/1.1 JSON; no AWS API can do any of this.

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::{connect::HttpConnector, Client};
use hyper_util::rt::TokioExecutor;
use serde_json::{json, Value};

#[derive(Clone)]
pub struct Admin {
    base: String,
    client: Client<HttpConnector, Full<Bytes>>,
}

impl Admin {
    pub fn new(endpoint: &str) -> Admin {
        Admin {
            base: format!("{}/_orgwatch", endpoint.trim_end_matches('/')),
            client: Client::builder(TokioExecutor::new()).build_http(),
        }
    }

    async fn call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
        let uri = format!("{}{path}", self.base);
        let req = hyper::Request::builder()
            .method(method)
            .uri(&uri)
            .header("content-type", "application/json")
            .body(Full::new(Bytes::from(
                body.map(|b| b.to_string()).unwrap_or_default(),
            )))
            .map_err(|e| format!("{uri}: {e}"))?;
        let resp = self
            .client
            .request(req)
            .await
            .map_err(|e| format!("{uri}: {e}"))?;
        let status = resp.status();
        let bytes = resp
            .into_body()
            .collect()
            .await
            .map_err(|e| format!("{uri}: {e}"))?
            .to_bytes();
        let v: Value = serde_json::from_slice(&bytes)
            .map_err(|_| format!("{uri}: HTTP {status}, not an orgwatch admin answer"))?;
        if !status.is_success() {
            return Err(format!("{uri}: HTTP {status}: {v}"));
        }
        Ok(v)
    }

    /// Whether the endpoint is an orgwatch emulator.
    pub async fn is_emulator(&self) -> bool {
        self.call("GET", "/health", None)
            .await
            .is_ok_and(|v| v["status"] == "ready")
    }

    /// `(now, virtual)`.
    pub async fn clock(&self) -> Result<(f64, bool), String> {
        let v = self.call("GET", "/clock", None).await?;
        Ok((
            v["now"].as_f64().unwrap_or_default(),
            v["virtual"].as_bool().unwrap_or_default(),
        ))
    }

    pub async fn set_clock(&self, now: f64) -> Result<(), String> {
        self.call("POST", "/clock", Some(json!({ "now": now })))
            .await
            .map(|_| ())
    }

    pub async fn advance(&self, seconds: f64) -> Result<f64, String> {
        let v = self
            .call(
                "POST",
                "/clock/advance",
                Some(json!({ "seconds": seconds })),
            )
            .await?;
        Ok(v["now"].as_f64().unwrap_or_default())
    }

    /// Delivers CloudTrail records; returns the delivery summary.
    pub async fn deliver(&self, records: Vec<Value>) -> Result<Value, String> {
        self.call(
            "POST",
            "/cloudtrail/events",
            Some(json!({ "Records": records })),
        )
        .await
    }

    /// Every message in the SNS outbox.
    pub async fn outbox(&self) -> Result<Vec<Value>, String> {
        let v = self.call("GET", "/sns/outbox", None).await?;
        Ok(v["messages"].as_array().cloned().unwrap_or_default())
    }
}
