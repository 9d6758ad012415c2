//! `orgwatch drill`: the fire drill against an orgwatch emulator (a running one, or an embedded one
//! holding a scenario). Exit codes: 0 every event notified, 1 some did not, 2 usage or connection error.

use crate::common_args::{AccountArgs, ReportArgs};
use crate::control_args::ControlArgs;
use crate::pattern_cmd::runtime;
use clap::Args;
use orgwatch_checker::Target;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct DrillArgs {
    /// A running orgwatch emulator (the drill writes records and moves its clock; it refuses anything else).
    #[arg(
        long,
        conflicts_with = "scenario",
        required_unless_present = "scenario"
    )]
    endpoint_url: Option<String>,
    /// Boot an embedded emulator holding this scenario's configuration and drill it.
    #[arg(long, value_name = "FILE")]
    scenario: Option<PathBuf>,
    #[command(flatten)]
    account: AccountArgs,
    /// Drill this control of the CIS monitoring family (one id; default: the scenario's control, else
    /// Organizations changes): each case of its intent is injected.
    #[command(flatten)]
    control: ControlArgs,
    #[command(flatten)]
    report: ReportArgs,
}

pub fn run(args: DrillArgs) -> ExitCode {
    if let Err(code) = args.report.check_usage() {
        return code;
    }
    let asked = match args.control.resolve() {
        Ok(None) => None,
        Ok(Some((controls, b))) if controls.len() == 1 => Some((controls[0], b)),
        Ok(Some(_)) => {
            eprintln!("orgwatch drill: one control at a time (--control takes one id here)");
            return ExitCode::from(2);
        }
        Err(code) => return code,
    };
    let rt = match runtime() {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    let result = rt.block_on(async {
        match &args.scenario {
            Some(path) => {
                let s = orgwatch_scenarios::load(path)?;
                let which = asked.or(s.family_control()?);
                let b = orgwatch_scenarios::boot(&s)
                    .await
                    .map_err(|e| format!("{e:#}"))?;
                let out = drill(&b.emulator.endpoint, &b.sdk, which).await;
                let _ = b.emulator.shutdown().await;
                out
            }
            None => {
                let endpoint = args.endpoint_url.clone().unwrap_or_default();
                let conf = orgwatch_checker::collect::sdk_config(&Target {
                    endpoint_url: Some(endpoint.clone()),
                    region: args.account.region.clone(),
                    profile: args.account.profile.clone(),
                })
                .await;
                drill(&endpoint, &conf, asked).await
            }
        }
    });
    let report = match result {
        Ok(r) => r,
        Err(e) => {
            eprintln!("orgwatch drill: {e}");
            return ExitCode::from(2);
        }
    };
    if let Err(code) = args
        .report
        .write(&orgwatch_formats::Subject::Drill(&report))
    {
        return code;
    }
    ExitCode::from(if report.passed() { 0 } else { 1 })
}

/// The drill of the control asked for, else of the Organizations-changes control as always.
async fn drill(
    endpoint: &str,
    conf: &aws_config::SdkConfig,
    which: Option<(
        &'static orgwatch_pattern::family::Control,
        orgwatch_pattern::family::Benchmark,
    )>,
) -> Result<orgwatch_drill::report::DrillReport, String> {
    match which {
        None => orgwatch_drill::drill(endpoint, conf).await,
        Some((control, b)) => orgwatch_drill::drill_control(endpoint, conf, control, Some(b)).await,
    }
}
