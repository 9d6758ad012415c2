//! The live pipeline: CloudTrail records reach trails and their log groups ([`trail`]), metric filters turn
//! log events into datapoints (`services::logs::ingest`), alarms evaluate those datapoints on the clock
//! ([`evaluation`] decides, [`alarms`] schedules and transitions), and SNS delivers what alarms publish:
//! to HTTP/HTTPS subscribers by POST ([`http`]), to every other protocol through the outbox.
//!
//! Every timestamp comes from the one [`Clock`](crate::clock::Clock). With real time a ticker evaluates
//! alarms every 10 seconds; with virtual time evaluation happens when the clock is set or advanced,
//! so that a test or a drill is deterministic.

pub mod alarms;
pub mod evaluation;
pub mod http;
pub mod trail;

use crate::services::sns::Delivery;
use crate::Shared;
use std::sync::{Mutex, OnceLock};
use tokio::sync::mpsc::UnboundedSender;

/// The pipeline's share of the emulator's state (what is not per account and region).
#[derive(Debug, Default)]
pub struct Pipeline {
    /// The instant alarms were last evaluated up to.
    evaluated_until: Mutex<Option<f64>>,
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

impl Shared {
    /// Evaluates every alarm due up to the clock's current time.
    pub fn evaluate_alarms(&self) {
        let to = self.clock.now();
        let mut until = self
            .pipeline
            .evaluated_until
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let from = until.unwrap_or(to);
        let mut fx = alarms::Effects {
            public_url: self.pipeline.public_url(),
            outgoing: Vec::new(),
            auto_confirm: self.config.auto_confirm,
        };
        if to > from {
            alarms::catch_up(&mut self.lock(), from, to, &mut fx);
        }
        // A clock set backwards restarts evaluation from the new time.
        *until = Some(to);
        drop(until);
        self.pipeline.send(fx.outgoing);
    }

    /// Forgets how far alarms were evaluated (after a reset or a jump of the clock backwards).
    pub fn restart_evaluation(&self) {
        *self
            .pipeline
            .evaluated_until
            .lock()
            .unwrap_or_else(|e| e.into_inner()) = Some(self.clock.now());
    }
}

/// Evaluates alarms every 10 seconds while the clock runs in real time.
pub async fn ticker(shared: std::sync::Weak<Shared>) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(10));
    loop {
        every.tick().await;
        let Some(s) = shared.upgrade() else { return };
        if !s.clock.is_virtual() {
            s.evaluate_alarms();
        }
    }
}
