//! `orgwatch healthcheck`: asks a running emulator whether it is ready, for a container's `HEALTHCHECK`
//! (the image has no curl: the binary checks itself). Exit 0 when `/_orgwatch/health` says `ready`, 1
//! otherwise, with the reason on standard error.

use clap::Args;
use orgwatch_emulator::admin::client::AdminClient;
use std::process::ExitCode;
use std::time::Duration;

#[derive(Args)]
pub struct HealthcheckArgs {
    /// The emulator to ask (default: this host, on the port the emulator was given).
    #[arg(long, value_name = "URL")]
    endpoint_url: Option<String>,
    /// The port of `http://127.0.0.1:PORT` when no --endpoint-url is given.
    #[arg(long, env = "ORGWATCH_PORT", default_value_t = 4566)]
    port: u16,
    /// Give up after this many seconds.
    #[arg(long, default_value_t = 3)]
    timeout: u64,
}

pub fn run(args: HealthcheckArgs) -> ExitCode {
    let endpoint = args
        .endpoint_url
        .unwrap_or_else(|| format!("http://127.0.0.1:{}", args.port));
    // Docker reads exit 1 as unhealthy and reserves 2: a runtime that cannot start is unhealthy.
    let Ok(rt) = crate::pattern_cmd::runtime() else {
        return ExitCode::from(1);
    };
    let answer = rt.block_on(async {
        tokio::time::timeout(
            Duration::from_secs(args.timeout),
            AdminClient::new(&endpoint).health(),
        )
        .await
    });
    match answer {
        Ok(Ok(h)) if h.status == "ready" => ExitCode::SUCCESS,
        Ok(Ok(h)) => {
            eprintln!("orgwatch: {endpoint} is {}", h.status);
            ExitCode::from(1)
        }
        Ok(Err(e)) => {
            eprintln!("orgwatch: {e}");
            ExitCode::from(1)
        }
        Err(_) => {
            eprintln!(
                "orgwatch: {endpoint} did not answer within {} s",
                args.timeout
            );
            ExitCode::from(1)
        }
    }
}
