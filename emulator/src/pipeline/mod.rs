//! The live pipeline, the only place where services meet, in the order data flows:
//!
//! 1. [`trail`]: CloudTrail records reach the trails that capture them and their log groups;
//! 2. [`ingest`]: events are appended to a stream and the group's metric filters (compiled once) turn
//!    them into datapoints;
//! 3. [`metrics`]: stored data by metric and period, and the statistics over it;
//! 4. [`alarms`]: alarms evaluate on the clock ([`evaluation`] decides, purely);
//! 5. [`actions`]: a transition writes state and history and publishes the alarm message;
//!    [`composite`]: a child's transition re-judges the composite alarms that name it; [`notify`]
//!    publishes either kind's message to its action topics;
//! 6. [`delivery`]: SNS records what it sends in the outbox, puts it in SQS subscribers' queues, and
//!    [`http`] POSTs to HTTP/HTTPS subscribers ([`envelope`] is the document both carry);
//!    [`queue_metrics`]: what a queue's activity (SQS's own calls and SNS's deliveries) publishes to
//!    CloudWatch's `AWS/SQS` metrics.
//!
//! Handlers call into these stages (PutLogEvents ingests, SetAlarmState transitions, Publish delivers,
//! SendMessage records its queue's metrics);
//! no stage calls a handler, and each reads and writes only the [`model`](crate::model).
//!
//! Every timestamp comes from the one [`Clock`](crate::clock::Clock). With real time a ticker evaluates
//! alarms every 10 seconds; with virtual time evaluation happens when the clock is set or advanced,
//! so that a test or a drill is deterministic.

pub mod actions;
pub mod alarms;
pub mod composite;
pub mod delivery;
pub mod envelope;
pub mod evaluation;
pub mod http;
pub mod ingest;
pub mod metrics;
pub mod notify;
pub mod queue_metrics;
pub mod trail;

use crate::model::sns::Delivery;
use std::sync::{Mutex, OnceLock};
use tokio::sync::mpsc::UnboundedSender;

/// The pipeline's share of the emulator's state (what is not per account and region).
#[derive(Debug, Default)]
pub struct Pipeline {
    /// The instant alarms were last evaluated up to.
    pub evaluated_until: Mutex<Option<f64>>,
    /// The URL clients reach the emulator on (set when it starts serving).
    public_url: OnceLock<String>,
    /// The HTTP delivery worker's queue (set when it starts serving).
    http: OnceLock<UnboundedSender<Delivery>>,
    /// Every POST to an HTTP/HTTPS subscriber.
    pub attempts: http::AttemptLog,
}

impl Pipeline {
    pub fn public_url(&self) -> &str {
        self.public_url
            .get()
            .map_or("http://localhost", String::as_str)
    }

    /// Starts the HTTP worker for an emulator serving on `url`.
    pub fn start(&self, url: String) {
        let _ = self.public_url.set(url.clone());
        let _ = self.http.set(http::spawn(url, self.attempts.clone()));
    }

    /// Hands deliveries to the HTTP worker (dropped when the emulator is not serving).
    pub fn send(&self, outgoing: Vec<Delivery>) {
        if let Some(tx) = self.http.get() {
            for d in outgoing {
                let _ = tx.send(d);
            }
        }
    }
}
