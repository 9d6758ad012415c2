//! `orgwatch check`: decide the control against an endpoint (real AWS by default) and print the report.
//! Exit codes: 0 PASS, 1 FAIL, 3 UNKNOWN, 2 usage error.

use crate::pattern_cmd::{emit, Format};
use clap::Args;
use orgwatch_checker::{check_with, Target};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct CheckArgs {
    /// The endpoint to check (an orgwatch emulator, LocalStack...); without it, real AWS.
    #[arg(long)]
    endpoint_url: Option<String>,
    #[arg(long)]
    region: Option<String>,
    /// A named profile from the AWS configuration files.
    #[arg(long)]
    profile: Option<String>,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Write the report to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Also list the API calls made.
    #[arg(long)]
    verbose: bool,
    /// Also send the analyzer's witness records to the endpoint's TestMetricFilter and report any
    /// disagreement (works against real AWS too).
    #[arg(long)]
    verify_with_service: bool,
}

pub fn run(args: CheckArgs) -> ExitCode {
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("orgwatch: cannot start the runtime: {e}");
            return ExitCode::from(2);
        }
    };
    let target = Target {
        endpoint_url: args.endpoint_url,
        region: args.region,
        profile: args.profile,
    };
    let (inv, report) = rt.block_on(check_with(&target, args.verify_with_service));
    let text = match args.format {
        Format::Json => {
            let mut v = serde_json::to_value(&report).unwrap_or_default();
            if args.verbose {
                v["apiCallsByOperation"] = serde_json::to_value(&inv.calls).unwrap_or_default();
            }
            format!("{}\n", serde_json::to_string_pretty(&v).unwrap_or_default())
        }
        Format::Text => report.to_text(args.verbose.then_some(&inv.calls)),
    };
    match &args.output {
        Some(path) => {
            if let Err(e) = std::fs::write(path, &text) {
                eprintln!("orgwatch: cannot write {}: {e}", path.display());
                return ExitCode::from(2);
            }
        }
        None => emit(&text),
    }
    ExitCode::from(report.status.exit_code())
}
