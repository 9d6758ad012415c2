//! HTTP/HTTPS subscriber delivery: a worker task POSTs each queued SubscriptionConfirmation and
//! Notification the way SNS does (the `x-amz-sns-*` headers, `text/plain` JSON body, SNS's user agent),
//! retrying a failed POST with bounded exponential backoff.
//!
//! Retries are fast (100 ms doubling, [`RETRIES`] of them) rather than SNS's default 20-second policy:
//! an emulator's subscribers are tests and drills that should not wait. The `Signature` is not AWS's
//! (no AWS signing key exists here): subscribers that verify signatures must skip it for this emulator.
//! Every attempt is recorded (`GET /_orgwatch/sns/deliveries`).

use super::envelope;
use crate::model::sns::{Delivery, DeliveryKind};
use http_body_util::Full;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::mpsc;

/// Retries after the first attempt.
pub const RETRIES: u32 = 3;
/// Each attempt's timeout.
const TIMEOUT: Duration = Duration::from_secs(5);
/// How many attempts the log keeps.
const LOG_LIMIT: usize = 10_000;

/// One POST to a subscriber.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Attempt {
    pub message_id: String,
    pub kind: DeliveryKind,
    pub endpoint: String,
    pub attempt: u32,
    /// The HTTP status, when the subscriber answered.
    pub status: Option<u16>,
    pub error: Option<String>,
    pub delivered: bool,
}

pub type AttemptLog = Arc<Mutex<VecDeque<Attempt>>>;

/// Starts the worker; returns the queue it reads.
pub fn spawn(public_url: String, log: AttemptLog) -> mpsc::UnboundedSender<Delivery> {
    let (tx, mut rx) = mpsc::unbounded_channel::<Delivery>();
    let https = hyper_rustls::HttpsConnectorBuilder::new()
        .with_webpki_roots()
        .https_or_http()
        .enable_http1()
        .build();
    let client: Client<_, Full<bytes::Bytes>> = Client::builder(TokioExecutor::new()).build(https);
    tokio::spawn(async move {
        while let Some(d) = rx.recv().await {
            // Each message is delivered on its own task so that a slow subscriber holds up no other.
            let (client, log, url) = (client.clone(), log.clone(), public_url.clone());
            tokio::spawn(async move { deliver(&client, &d, &url, &log).await });
        }
    });
    tx
}

async fn deliver<C>(
    client: &Client<C, Full<bytes::Bytes>>,
    d: &Delivery,
    public_url: &str,
    log: &AttemptLog,
) where
    C: hyper_util::client::legacy::connect::Connect + Clone + Send + Sync + 'static,
{
    let payload = envelope::body(d, public_url);
    let mut backoff = Duration::from_millis(100);
    for attempt in 1..=RETRIES + 1 {
        let mut req = hyper::Request::post(&d.endpoint)
            .header("content-type", "text/plain; charset=UTF-8")
            .header("user-agent", "Amazon Simple Notification Service Agent")
            .header("x-amz-sns-message-type", d.kind.as_str())
            .header("x-amz-sns-message-id", &d.message_id)
            .header("x-amz-sns-topic-arn", &d.topic_arn);
        if let Some(arn) = &d.subscription_arn {
            req = req.header("x-amz-sns-subscription-arn", arn);
        }
        let result = match req.body(Full::new(bytes::Bytes::from(payload.clone()))) {
            Ok(req) => match tokio::time::timeout(TIMEOUT, client.request(req)).await {
                Ok(Ok(resp)) => Ok(resp.status().as_u16()),
                Ok(Err(e)) => Err(e.to_string()),
                Err(_) => Err(format!("no answer within {TIMEOUT:?}")),
            },
            Err(e) => Err(e.to_string()),
        };
        // SNS counts any 2xx as delivered; other statuses and connection errors are retried.
        let delivered = matches!(result, Ok(s) if (200..300).contains(&s));
        record(
            log,
            Attempt {
                message_id: d.message_id.clone(),
                kind: d.kind,
                endpoint: d.endpoint.clone(),
                attempt,
                status: result.as_ref().ok().copied(),
                error: result.err(),
                delivered,
            },
        );
        if delivered {
            return;
        }
        if attempt <= RETRIES {
            tokio::time::sleep(backoff).await;
            backoff *= 2;
        }
    }
}

fn record(log: &AttemptLog, a: Attempt) {
    let mut log = log.lock().unwrap_or_else(|e| e.into_inner());
    if log.len() >= LOG_LIMIT {
        log.pop_front();
    }
    log.push_back(a);
}
