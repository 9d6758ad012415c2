//! `orgwatch emulator`: serve the emulator until SIGINT/SIGTERM, then save the state (if `--state`).

use clap::{Args, ValueEnum};
use orgwatch_emulator::Config;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Args)]
pub struct EmulatorArgs {
    /// The address to bind (loopback by default).
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    #[arg(long, default_value_t = 4566)]
    port: u16,
    /// Load the state from FILE at start; save it there on shutdown and on POST /_orgwatch/state/save.
    #[arg(long, value_name = "FILE")]
    state: Option<PathBuf>,
    /// The account used for access keys that are not 12 digits.
    #[arg(long, default_value = "123456789012")]
    default_account: String,
    /// Confirm HTTP/HTTPS and email subscriptions at once instead of leaving them pending.
    #[arg(long)]
    auto_confirm: bool,
    #[arg(long, value_enum, default_value = "text")]
    log_format: LogFormat,
    /// Verify SigV4 signatures with the keys of this AWS shared-credentials file; reject unsigned or
    /// wrongly signed requests as AWS does.
    #[arg(long, value_name = "CREDENTIALS_FILE")]
    verify_signatures: Option<PathBuf>,
    /// Also serve HTTPS on the same port with this PEM certificate (chain); needs --tls-key. Each
    /// connection is TLS or plain HTTP as it opens.
    #[arg(long, value_name = "PEM", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// The PEM private key of --tls-cert.
    #[arg(long, value_name = "PEM", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
}

pub fn run(args: EmulatorArgs) -> ExitCode {
    let filter =
        tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if args.log_format == LogFormat::Json {
        builder.json().init();
    } else {
        builder.init();
    }
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
        let handle = match orgwatch_emulator::start(config).await {
            Ok(h) => h,
            Err(e) => {
                eprintln!("orgwatch: {e}");
                return ExitCode::from(1);
            }
        };
        tracing::info!(endpoint = %handle.endpoint, "orgwatch emulator ready");
        if tls {
            let https = handle.endpoint.replacen("http://", "https://", 1);
            println!(
                "orgwatch emulator listening on {} and {https}",
                handle.endpoint
            );
        } else {
            println!("orgwatch emulator listening on {}", handle.endpoint);
        }
        wait_for_signal().await;
        tracing::info!("shutting down");
        match handle.shutdown().await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("orgwatch: saving the state failed: {e}");
                ExitCode::from(1)
            }
        }
    })
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
