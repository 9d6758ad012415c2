//! `orgwatch check`: decide the control against an endpoint (real AWS by default) and print the report.
//! Exit codes: 0 PASS, 1 FAIL, 3 UNKNOWN, 2 usage error.

use crate::common_args::{AccountArgs, ReportArgs};
use crate::pattern_cmd::runtime;
use clap::Args;
use orgwatch_checker::{check_with, Target};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct CheckArgs {
    /// The endpoint to check (an orgwatch emulator, LocalStack...); without it, real AWS.
    #[arg(long, conflicts_with = "scenario")]
    endpoint_url: Option<String>,
    /// Boot an embedded emulator holding this scenario's configuration and check it (no credentials, no
    /// server to start).
    #[arg(long, value_name = "FILE")]
    scenario: Option<PathBuf>,
    #[command(flatten)]
    account: AccountArgs,
    #[command(flatten)]
    report: ReportArgs,
    /// Also list the API calls made.
    #[arg(long)]
    verbose: bool,
    /// Also send the analyzer's witness records to the endpoint's TestMetricFilter and report any
    /// disagreement (works against real AWS too).
    #[arg(long)]
    verify_with_service: bool,
}

pub fn run(args: CheckArgs) -> ExitCode {
    if let Err(code) = args.report.check_usage() {
        return code;
    }
    let rt = match runtime() {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    let (inv, report) = match &args.scenario {
        Some(path) => {
            let s = match orgwatch_scenarios::load(path) {
                Ok(s) => s,
                Err(e) => {
                    eprintln!("{e}");
                    return ExitCode::from(2);
                }
            };
            match rt.block_on(scenario_check(&s, args.verify_with_service)) {
                Ok(x) => x,
                Err(e) => {
                    eprintln!("orgwatch: {e:#}");
                    return ExitCode::from(2);
                }
            }
        }
        None => {
            let target = Target {
                endpoint_url: args.endpoint_url,
                region: args.account.region,
                profile: args.account.profile,
            };
            rt.block_on(check_with(&target, args.verify_with_service))
        }
    };
    let subject = orgwatch_formats::Subject::Check {
        report: &report,
        calls: args.verbose.then_some(&inv.calls),
    };
    if let Err(code) = args.report.write(&subject) {
        return code;
    }
    ExitCode::from(report.status.exit_code())
}

/// Boots the embedded emulator with the scenario and checks it.
async fn scenario_check(
    s: &orgwatch_scenarios::format::Scenario,
    verify: bool,
) -> anyhow::Result<(
    orgwatch_checker::inventory::Inventory,
    orgwatch_checker::Report,
)> {
    let booted = orgwatch_scenarios::boot(s).await?;
    let out = orgwatch_checker::check_config(&booted.sdk, verify).await;
    let _ = booted.emulator.shutdown().await;
    Ok(out)
}
