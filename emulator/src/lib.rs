//! An emulator of CloudTrail, CloudWatch Logs, CloudWatch, SNS, STS and Organizations that real AWS
//! clients (the AWS SDK for Rust, the AWS CLI, boto3) use unchanged, on one endpoint.
//!
//! One-way layers, each importing only those below it:
//!
//! ```text
//! transport   tower layers: request id, body limit, SigV4, one gunzip        (transport.rs)
//!             under the bounds on every input                                 (limits.rs)
//! server      route by credential scope, faults, dispatch, durability, log  (server.rs, durable.rs)
//!   → protocol   one codec per wire protocol; a Query input is typed by the
//!                operation's input struct, outputs by the operation          (protocol/)
//!   → services   one typed handler per operation, protocol-agnostic          (services/)
//!   → pipeline   where services meet: trail → ingest → metrics → alarms
//!                → actions → delivery                                         (pipeline/)
//!   → model      state per service, per account and region; the persisted
//!                format, versioned                                            (model/)
//! ```
//!
//! Beside them: [`connection`] (plain or TLS connections below HTTP, AWS's header case) with [`tls`],
//! [`clock`] (every timestamp), [`admin`] (`/_orgwatch/...`), [`runtime`] (what requests
//! share), [`arn`], [`error`]. [`start`] runs the emulator in-process on any port and returns a [`Handle`];
//! the `orgwatch emulator` command is a thin wrapper around it.

pub mod access;
pub mod admin;
pub mod arn;
pub mod clock;
pub mod config;
pub mod connection;
pub mod context;
pub mod durable;
pub mod error;
pub mod faults;
pub mod limits;
pub mod model;
pub mod pipeline;
pub mod protocol;
pub mod runtime;
pub mod server;
pub mod services;
pub mod sigv4;
pub mod tls;
pub mod transport;

pub use config::Config;
pub use runtime::{Shared, SERVED_LOG_LIMIT};

use std::net::SocketAddr;
use std::sync::Arc;
use tokio::sync::oneshot;

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
    pub async fn shutdown(self) -> std::io::Result<()> {
        // A deadline past what `Instant` holds is no deadline to tokio's timeout: wait for them all.
        self.shutdown_within(std::time::Duration::MAX).await
    }

    /// Stops serving, waits at most `grace` for in-flight requests (then drops them), and saves the
    /// state if a file is configured: what a signal asks for, where a long poll must not hold up a stop.
    pub async fn shutdown_within(mut self, grace: std::time::Duration) -> std::io::Result<()> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if tokio::time::timeout(grace, &mut self.task).await.is_err() {
            self.task.abort();
        }
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
    #[error("cannot serve TLS: {0}")]
    Tls(String),
}

/// Loads the state file, if it exists.
pub fn load_state(config: &Config) -> Result<model::State, StartError> {
    let Some(path) = &config.state_file else {
        return Ok(model::State::new());
    };
    match std::fs::read(path) {
        Ok(bytes) => model::parse_state(&bytes)
            .map_err(|e| StartError::StateParse(path.display().to_string(), e)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(model::State::new()),
        Err(e) => Err(StartError::StateRead(path.display().to_string(), e)),
    }
}

/// Starts the emulator in this process.
pub async fn start(config: Config) -> Result<Handle, StartError> {
    let state = load_state(&config)?;
    let tls = match &config.tls {
        Some(files) => Some(tls::server_config(files).map_err(StartError::Tls)?),
        None => None,
    };
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
    tokio::spawn(runtime::ticker(Arc::downgrade(&shared)));
    let app = server::router(shared.clone());
    let (tx, rx) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let stop = async move {
            let _ = rx.await;
        };
        let _ = axum::serve(connection::Listener::new(listener, tls), app)
            .with_graceful_shutdown(stop)
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
