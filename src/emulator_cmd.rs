//! `orgwatch emulator`: serve the emulator until SIGINT/SIGTERM, then save the state (if `--state`).
//! With `--init-dir`, the scenarios in a folder are applied first; `Ready.` on standard output says both are
//! done (what a container's waiters read).

use crate::logging::{self, LogFormat};
use clap::Args;
use orgwatch_emulator::Config;
use std::path::PathBuf;
use std::process::ExitCode;

/// Every flag can also be set by the `ORGWATCH_*` variable its help names (a container is configured by
/// its environment); a flag given on the command line wins.
#[derive(Args)]
pub struct EmulatorArgs {
    /// The address to bind (loopback by default; the image sets 0.0.0.0).
    #[arg(long, env = "ORGWATCH_HOST", default_value = "127.0.0.1")]
    host: String,
    #[arg(long, env = "ORGWATCH_PORT", default_value_t = 4566)]
    port: u16,
    /// Load the state from FILE at start; save it there on shutdown and on POST /_orgwatch/state/save.
    #[arg(long, env = "ORGWATCH_STATE", value_name = "FILE")]
    state: Option<PathBuf>,
    /// The account used for access keys that are not 12 digits.
    #[arg(long, env = "ORGWATCH_DEFAULT_ACCOUNT", default_value = "123456789012")]
    default_account: String,
    /// Confirm HTTP/HTTPS and email subscriptions at once instead of leaving them pending.
    #[arg(long, env = "ORGWATCH_AUTO_CONFIRM")]
    auto_confirm: bool,
    /// One line per request and the start and stop, as text or JSON lines, on standard error.
    #[arg(long, env = "ORGWATCH_LOG_FORMAT", value_enum, default_value = "text")]
    log_format: LogFormat,
    /// What to log: `off`, `error`, `warn`, `info` (one line per request), `debug`, or any `RUST_LOG`
    /// filter (`orgwatch_emulator=debug`). Unset: `RUST_LOG`, else `info`.
    #[arg(long, env = "ORGWATCH_LOG", value_name = "LEVEL")]
    log_level: Option<String>,
    /// Verify SigV4 signatures with the keys of this AWS shared-credentials file; reject unsigned or
    /// wrongly signed requests as AWS does.
    #[arg(
        long,
        env = "ORGWATCH_VERIFY_SIGNATURES",
        value_name = "CREDENTIALS_FILE"
    )]
    verify_signatures: Option<PathBuf>,
    /// Also serve HTTPS on the same port with this PEM certificate (chain); needs --tls-key. Each
    /// connection is TLS or plain HTTP as it opens.
    #[arg(
        long,
        env = "ORGWATCH_TLS_CERT",
        value_name = "PEM",
        requires = "tls_key"
    )]
    tls_cert: Option<PathBuf>,
    /// The PEM private key of --tls-cert.
    #[arg(
        long,
        env = "ORGWATCH_TLS_KEY",
        value_name = "PEM",
        requires = "tls_cert"
    )]
    tls_key: Option<PathBuf>,
    /// Apply every scenario file (`*.json`) in DIR, in name order, before saying `Ready.`; a file that
    /// is not valid or cannot be applied stops the emulator (exit 2) with the file and the reason.
    #[arg(long, env = "ORGWATCH_INIT_DIR", value_name = "DIR")]
    init_dir: Option<PathBuf>,
}

/// How long `docker stop` (SIGTERM) waits for in-flight requests (an SQS long poll can hold one for 20
/// seconds) before the state is saved regardless: a container must stop within a second.
const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_millis(500);

/// The line that says the emulator serves and holds its init scenarios, on standard output: what
/// container tooling waits for (LocalStack's modules in every language wait for a line ending in it).
pub const READY_LINE: &str = "Ready.";

pub fn run(args: EmulatorArgs) -> ExitCode {
    let filter = match logging::filter(
        args.log_level.as_deref(),
        std::env::var_os("RUST_LOG").as_deref(),
    ) {
        Ok(filter) => filter,
        Err(e) => {
            eprintln!("orgwatch: {e}");
            return ExitCode::from(2);
        }
    };
    let log = match logging::init(filter, args.log_format) {
        Ok(log) => log,
        Err(e) => {
            eprintln!("orgwatch: cannot start the log's writer: {e}");
            return ExitCode::from(1);
        }
    };
    let code = serve(args);
    let dropped = log.dropped();
    // Writes the lines still pending before the process ends.
    drop(log);
    if dropped > 0 {
        eprintln!(
            "orgwatch: {dropped} log lines were dropped: the log's reader was slower than the requests \
             (GET /_orgwatch/requests lists the operations served)"
        );
    }
    code
}

fn serve(args: EmulatorArgs) -> ExitCode {
    let verify_signatures = match &args.verify_signatures {
        Some(path) => match std::fs::read_to_string(path) {
            Ok(text) => Some(orgwatch_emulator::sigv4::load_credentials(&text)),
            Err(e) => {
                eprintln!("orgwatch: cannot read {}: {e}", path.display());
                return ExitCode::from(2);
            }
        },
        None => None,
    };
    let config = Config {
        host: args.host,
        port: args.port,
        state_file: args.state,
        default_account: args.default_account,
        auto_confirm: args.auto_confirm,
        verify_signatures,
        tls: args
            .tls_cert
            .zip(args.tls_key)
            .map(|(cert, key)| orgwatch_emulator::tls::TlsFiles { cert, key }),
    };
    let tls = config.tls.is_some();
    let init_dir = args.init_dir;
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("orgwatch: cannot start the runtime: {e}");
            return ExitCode::from(1);
        }
    };
    rt.block_on(async move {
        // Signals are watched before anything else: as a container's PID 1 the process has no default
        // handlers, so a SIGTERM during the init would otherwise be lost.
        let stop = stop_signal();
        let handle = match orgwatch_emulator::start(config).await {
            Ok(h) => h,
            Err(e) => {
                eprintln!("orgwatch: {e}");
                return ExitCode::from(1);
            }
        };
        tracing::info!(endpoint = %handle.endpoint, "orgwatch emulator listening");
        if tls {
            let https = handle.endpoint.replacen("http://", "https://", 1);
            println!(
                "orgwatch emulator listening on {} and {https}",
                handle.endpoint
            );
        } else {
            println!("orgwatch emulator listening on {}", handle.endpoint);
        }
        if let Some(dir) = &init_dir {
            match orgwatch_scenarios::init::apply_dir(&handle.endpoint, dir).await {
                Ok(applied) => {
                    for name in applied {
                        println!("orgwatch emulator loaded {name}");
                    }
                }
                Err(e) => {
                    eprintln!("orgwatch: init: {e}");
                    return ExitCode::from(2);
                }
            }
        }
        println!("{READY_LINE}");
        stop.await;
        tracing::info!("shutting down");
        match handle.shutdown_within(SHUTDOWN_GRACE).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("orgwatch: saving the state failed: {e}");
                ExitCode::from(1)
            }
        }
    })
}

/// Resolves on SIGINT or SIGTERM; the handlers are installed when this is called, not when awaited.
fn stop_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let term = signal(SignalKind::terminate());
        let int = signal(SignalKind::interrupt());
        async move {
            match (term, int) {
                (Ok(mut term), Ok(mut int)) => {
                    tokio::select! {
                        _ = int.recv() => {}
                        _ = term.recv() => {}
                    }
                }
                _ => {
                    let _ = tokio::signal::ctrl_c().await;
                }
            }
        }
    }
    #[cfg(not(unix))]
    {
        async {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}
