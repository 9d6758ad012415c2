//! An emulator of CloudTrail, CloudWatch Logs, CloudWatch, SNS, STS and Organizations that real AWS
//! clients (the AWS SDK for Rust, the AWS CLI, boto3) use unchanged, on one endpoint.
//!
//! Layers: [`protocol`] (one codec per wire protocol), [`services`] (one typed handler per operation,
//! protocol-agnostic), [`store`] (state per account and region), [`clock`], [`admin`] (`/_orgwatch/...`),
//! [`server`] (the axum router, SigV4 scope parsing, tracing). [`start`] runs it in-process on any port
//! and returns a [`Handle`]; the `orgwatch emulator` command is a thin wrapper around it.

pub mod admin;
pub mod clock;
pub mod context;
pub mod error;
pub mod faults;
pub mod pipeline;
pub mod protocol;
pub mod server;
pub mod services;
pub mod sigv4;
pub mod store;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tokio::sync::oneshot;

/// How to run the emulator.
#[derive(Debug, Clone)]
pub struct Config {
    pub host: String,
    /// 0 picks a free port.
    pub port: u16,
    /// Loaded at start, saved on shutdown and on `POST /_orgwatch/state/save`.
    pub state_file: Option<PathBuf>,
    pub default_account: String,
    /// Confirm HTTP/HTTPS and email subscriptions at once.
    pub auto_confirm: bool,
    /// Verify SigV4 signatures against these keys (off when `None`).
    pub verify_signatures: Option<sigv4::Keys>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            host: "127.0.0.1".into(),
            port: 4566,
            state_file: None,
            default_account: "123456789012".into(),
            auto_confirm: false,
            verify_signatures: None,
        }
    }
}

/// How many served operations the admin API remembers.
pub const SERVED_LOG_LIMIT: usize = 10_000;

/// What every request handler shares.
#[derive(Debug)]
pub struct Shared {
    pub state: Mutex<store::State>,
    pub clock: clock::Clock,
    pub config: Config,
    /// The most recent operations served, oldest first (for tests and `--verbose` tools):
    /// `(service, operation, account, region)`. Bounded by [`SERVED_LOG_LIMIT`].
    pub served: Mutex<std::collections::VecDeque<(String, String, String, String)>>,
    /// Injected faults (`POST /_orgwatch/faults`).
    pub faults: Mutex<Vec<faults::Fault>>,
    /// Alarm evaluation bookkeeping and HTTP subscriber delivery.
    pub pipeline: pipeline::Pipeline,
}

impl Shared {
    pub fn new(config: Config, state: store::State) -> Self {
        Shared {
            state: Mutex::new(state),
            clock: clock::Clock::default(),
            config,
            served: Mutex::new(Default::default()),
            faults: Mutex::new(Vec::new()),
            pipeline: pipeline::Pipeline::default(),
        }
    }

    pub fn lock(&self) -> std::sync::MutexGuard<'_, store::State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Writes the state to the configured file atomically (a temporary file, then a rename).
    pub fn save(&self) -> std::io::Result<Option<PathBuf>> {
        let Some(path) = &self.config.state_file else {
            return Ok(None);
        };
        let text = serde_json::to_vec_pretty(&*self.lock()).map_err(std::io::Error::other)?;
        let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
        std::fs::write(&tmp, text)?;
        std::fs::rename(&tmp, path)?;
        Ok(Some(path.clone()))
    }
}

/// A running emulator.
pub struct Handle {
    pub endpoint: String,
    pub addr: SocketAddr,
    pub shared: Arc<Shared>,
    shutdown: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<()>,
}

impl Handle {
    /// Stops serving, waits for in-flight requests, and saves the state if a file is configured.
    pub async fn shutdown(mut self) -> std::io::Result<()> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        let _ = (&mut self.task).await;
        self.shared.save().map(|_| ())
    }
}

/// Errors starting the emulator.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot bind {0}: {1}")]
    Bind(String, std::io::Error),
    #[error("cannot read the state file {0}: {1}")]
    StateRead(String, std::io::Error),
    #[error("the state file {0} is not valid: {1}")]
    StateParse(String, String),
}

/// Loads the state file, if it exists.
pub fn load_state(config: &Config) -> Result<store::State, StartError> {
    let Some(path) = &config.state_file else {
        return Ok(store::State::new());
    };
    match std::fs::read(path) {
        Ok(bytes) => admin::parse_state(&bytes)
            .map_err(|e| StartError::StateParse(path.display().to_string(), e)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(store::State::new()),
        Err(e) => Err(StartError::StateRead(path.display().to_string(), e)),
    }
}

/// Starts the emulator in this process.
pub async fn start(config: Config) -> Result<Handle, StartError> {
    let state = load_state(&config)?;
    let bind = format!("{}:{}", config.host, config.port);
    let listener = tokio::net::TcpListener::bind(&bind)
        .await
        .map_err(|e| StartError::Bind(bind.clone(), e))?;
    let addr = listener
        .local_addr()
        .map_err(|e| StartError::Bind(bind.clone(), e))?;
    let shared = Arc::new(Shared::new(config, state));
    shared.pipeline.start(format!("http://{addr}"));
    shared.restart_evaluation();
    tokio::spawn(pipeline::ticker(Arc::downgrade(&shared)));
    let app = server::router(shared.clone());
    let (tx, rx) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = rx.await;
            })
            .await;
    });
    Ok(Handle {
        endpoint: format!("http://{addr}"),
        addr,
        shared,
        shutdown: Some(tx),
        task,
    })
}
