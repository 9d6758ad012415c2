//! What every request shares while the emulator runs: the state, the clock, the configuration, the
//! served-operations log, injected faults, and the pipeline's bookkeeping; and the two things that drive
//! the pipeline without a request: alarm evaluation up to the clock, and the real-time ticker.

use crate::config::Config;
use crate::durable::{write_atomically, Durable};
use crate::model::State;
use crate::pipeline::alarms;
use crate::pipeline::delivery::Effects;
use crate::{clock, faults, pipeline};
use std::path::PathBuf;
use std::sync::Mutex;

/// How many served operations the admin API remembers.
pub const SERVED_LOG_LIMIT: usize = 10_000;

/// What every request handler shares.
#[derive(Debug)]
pub struct Shared {
    pub state: Mutex<State>,
    pub clock: clock::Clock,
    pub config: Config,
    /// The most recent operations served, oldest first (for tests and `--verbose` tools):
    /// `(service, operation, account, region)`. Bounded by [`SERVED_LOG_LIMIT`].
    pub served: Mutex<std::collections::VecDeque<crate::admin::api::Served>>,
    /// Injected faults (`POST /_orgwatch/faults`).
    pub faults: Mutex<Vec<faults::Fault>>,
    /// Alarm evaluation bookkeeping and HTTP subscriber delivery.
    pub pipeline: pipeline::Pipeline,
    /// Puts acknowledged changes on disk before they are answered (with a state file).
    pub durable: Durable,
}

impl Shared {
    pub fn new(config: Config, state: State) -> Self {
        Shared {
            durable: Durable::new(config.state_file.clone()),
            state: Mutex::new(state),
            clock: clock::Clock::default(),
            config,
            served: Mutex::new(Default::default()),
            faults: Mutex::new(Vec::new()),
            pipeline: pipeline::Pipeline::default(),
        }
    }

    pub fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Writes the state to the configured file atomically (a temporary file, then a rename).
    pub fn save(&self) -> std::io::Result<Option<PathBuf>> {
        let Some(path) = &self.config.state_file else {
            return Ok(None);
        };
        let text = crate::model::encode_state(&self.lock()).map_err(std::io::Error::other)?;
        write_atomically(path, &text)?;
        Ok(Some(path.clone()))
    }

    /// Returns once the changes made so far are on disk (see [`crate::durable`]).
    pub async fn acknowledge(&self) -> std::io::Result<()> {
        self.durable.commit(&self.state).await
    }

    /// Evaluates every alarm due up to the clock's current time.
    pub fn evaluate_alarms(&self) {
        let to = self.clock.now();
        let mut until = self
            .pipeline
            .evaluated_until
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let from = until.unwrap_or(to);
        let mut fx = Effects::new(self.pipeline.public_url(), self.config.auto_confirm);
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

/// Evaluates alarms every 10 seconds while the clock runs in real time, just after each 10-second
/// boundary of the clock: a period completes on such a boundary, so its alarm is evaluated as it completes
/// rather than up to 10 seconds later (a client polling for a transition within a minute of its datum,
/// as the recorded SQS-metrics alarm test does, would otherwise miss it now and then).
pub async fn ticker(shared: std::sync::Weak<Shared>) {
    const TICK: f64 = 10.0;
    loop {
        let wait = {
            let Some(s) = shared.upgrade() else { return };
            let now = s.clock.now();
            ((now / TICK).floor() + 1.0) * TICK - now
        };
        tokio::time::sleep(std::time::Duration::from_secs_f64(
            wait.clamp(0.0, TICK) + 0.002,
        ))
        .await;
        let Some(s) = shared.upgrade() else { return };
        if !s.clock.is_virtual() {
            s.evaluate_alarms();
        }
    }
}
