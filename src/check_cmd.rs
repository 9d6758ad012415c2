//! `orgwatch check`: decide the control (or, with `--control`, controls of the CIS monitoring family)
//! against an endpoint (real AWS by default), an embedded emulator holding a scenario, or a Terraform
//! configuration applied to an embedded emulator; print the report.
//! Exit codes: 0 PASS, 1 FAIL, 3 UNKNOWN, 2 usage error, 4 Terraform init or apply failed.

use crate::common_args::{AccountArgs, ReportArgs};
use crate::control_args::ControlArgs;
use crate::pattern_cmd::runtime;
use clap::Args;
use orgwatch_checker::inventory::Inventory;
use orgwatch_checker::{FamilyReport, Report, Target};
use orgwatch_pattern::family::{Benchmark, Control};
use orgwatch_scenarios::tfrun;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct CheckArgs {
    /// The endpoint to check (an orgwatch emulator, LocalStack...); without it, real AWS.
    #[arg(long, conflicts_with_all = ["scenario", "terraform"])]
    endpoint_url: Option<String>,
    /// Boot an embedded emulator holding this scenario's configuration and check it (no credentials, no
    /// server to start).
    #[arg(long, value_name = "FILE", conflicts_with = "terraform")]
    scenario: Option<PathBuf>,
    /// Apply this Terraform configuration to an embedded emulator, re-plan, check it, destroy it; DIR is
    /// left as it was found.
    #[arg(long, value_name = "DIR")]
    terraform: Option<PathBuf>,
    #[command(flatten)]
    tf: TerraformArgs,
    #[command(flatten)]
    account: AccountArgs,
    #[command(flatten)]
    controls: ControlArgs,
    #[command(flatten)]
    report: ReportArgs,
    /// Also list the API calls made.
    #[arg(long)]
    verbose: bool,
    /// Also send the analyzer's witness records to the endpoint's TestMetricFilter and report any
    /// disagreement (works against real AWS too; the Organizations changes control only).
    #[arg(long, conflicts_with = "control")]
    verify_with_service: bool,
}

/// How Terraform runs (with `--terraform`).
#[derive(Args)]
pub struct TerraformArgs {
    /// A Terraform variable, as `-var` takes it (repeatable).
    #[arg(long = "var", value_name = "NAME=VALUE", requires = "terraform")]
    vars: Vec<String>,
    /// A variables file, as `-var-file` takes it (repeatable).
    #[arg(long = "var-file", value_name = "FILE", requires = "terraform")]
    var_files: Vec<PathBuf>,
    /// Install providers from this local mirror (`terraform init -plugin-dir`), for machines without
    /// the registry.
    #[arg(long, value_name = "DIR", env = "ORGWATCH_PLUGIN_DIR")]
    plugin_dir: Option<PathBuf>,
    /// Confirm the subscriptions the configuration made, as their owners would by following the link
    /// SNS sends (an email subscription is pending until then, on AWS as here).
    #[arg(long, requires = "terraform")]
    confirm_subscriptions: bool,
    /// Also drill the applied stack (each of the 18 events injected; exit 1 unless all notify) before
    /// destroying it. The Organizations control only: with `--control`, drill a scenario per control.
    #[arg(long, requires = "terraform", conflicts_with = "control")]
    drill: bool,
    /// The Terraform binary: `terraform`, `tofu`, or a path.
    #[arg(long, value_name = "BINARY", default_value = "terraform")]
    binary: String,
}

/// What a check decides: the Organizations changes control as always (with the optional cross-check),
/// or controls of the family in one benchmark version.
enum Judge {
    Single { verify: bool },
    Family(Vec<&'static Control>, Benchmark),
}

/// What it decided.
enum Decided {
    Single(Report),
    Family(FamilyReport),
}

impl Decided {
    fn exit_code(&self) -> u8 {
        match self {
            Decided::Single(r) => r.status.exit_code(),
            Decided::Family(r) => r.status.exit_code(),
        }
    }
}

/// Collects the inventory once and decides.
async fn judge(conf: &aws_config::SdkConfig, how: &Judge) -> (Inventory, Decided) {
    match how {
        Judge::Single { verify } => {
            let (inv, r) = orgwatch_checker::check_config(conf, *verify).await;
            (inv, Decided::Single(r))
        }
        Judge::Family(controls, b) => {
            let (inv, r) = orgwatch_checker::check_family(conf, controls, *b).await;
            (inv, Decided::Family(r))
        }
    }
}

pub fn run(args: CheckArgs) -> ExitCode {
    if let Err(code) = args.report.check_usage() {
        return code;
    }
    let how = match args.controls.resolve() {
        Ok(None) => Judge::Single {
            verify: args.verify_with_service,
        },
        Ok(Some((controls, b))) => Judge::Family(controls, b),
        Err(code) => return code,
    };
    let rt = match runtime() {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    let mut terraform = None;
    let (inv, report) = if let Some(dir) = &args.terraform {
        match rt.block_on(terraform_check(dir, &args, &how)) {
            Ok((inv, report, t)) => {
                terraform = Some(t);
                (inv, report)
            }
            Err(tfrun::Failure::Usage(e)) => {
                eprintln!("orgwatch: {e}");
                return ExitCode::from(2);
            }
            Err(e) => {
                eprintln!("orgwatch: {e}");
                return ExitCode::from(4);
            }
        }
    } else if let Some(path) = &args.scenario {
        let s = match orgwatch_scenarios::load(path) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::from(2);
            }
        };
        // A scenario about a family control is checked for that control unless `--control` says otherwise.
        let how = match (how, s.family_control()) {
            (Judge::Single { .. }, Ok(Some((control, b)))) => Judge::Family(vec![control], b),
            (how, _) => how,
        };
        match rt.block_on(scenario_check(&s, &how)) {
            Ok(x) => x,
            Err(e) => {
                eprintln!("orgwatch: {e:#}");
                return ExitCode::from(2);
            }
        }
    } else {
        let target = Target {
            endpoint_url: args.endpoint_url.clone(),
            region: args.account.region.clone(),
            profile: args.account.profile.clone(),
        };
        rt.block_on(async {
            let conf = orgwatch_checker::collect::sdk_config(&target).await;
            judge(&conf, &how).await
        })
    };
    if let Some(t) = &terraform {
        if !t.replan_empty {
            eprintln!("orgwatch: the plan right after apply was not empty (the emulator answered a refresh differently from what was applied)");
        }
        if !t.destroyed {
            eprintln!("orgwatch: terraform destroy failed; the embedded emulator is gone with this run, so nothing is left behind");
        }
    }
    let calls = args.verbose.then_some(&inv.calls);
    let subject = match &report {
        Decided::Single(report) => orgwatch_formats::Subject::Check {
            report,
            calls,
            terraform: terraform.as_ref(),
        },
        Decided::Family(report) => orgwatch_formats::Subject::Family {
            report,
            calls,
            terraform: terraform.as_ref(),
        },
    };
    if let Err(code) = args.report.write(&subject) {
        return code;
    }
    // A stack the checker passes but whose drill misses an event fails: the drill is the proof.
    let drill_failed = terraform
        .as_ref()
        .and_then(|t| t.drill.as_ref())
        .is_some_and(|d| !d.passed());
    if drill_failed && report.exit_code() == 0 {
        return ExitCode::from(1);
    }
    ExitCode::from(report.exit_code())
}

/// Boots the embedded emulator with the scenario and checks it.
async fn scenario_check(
    s: &orgwatch_scenarios::format::Scenario,
    how: &Judge,
) -> anyhow::Result<(Inventory, Decided)> {
    let booted = orgwatch_scenarios::boot(s).await?;
    let out = judge(&booted.sdk, how).await;
    let _ = booted.emulator.shutdown().await;
    Ok(out)
}

/// Boots an embedded emulator, applies the configuration to it, checks it while it stands, destroys it.
async fn terraform_check(
    dir: &std::path::Path,
    args: &CheckArgs,
    how: &Judge,
) -> Result<(Inventory, Decided, orgwatch_formats::Terraform), tfrun::Failure> {
    let started = std::time::Instant::now();
    let region = args
        .account
        .region
        .clone()
        .unwrap_or_else(|| "us-east-1".into());
    let opts = tfrun::Options {
        binary: args.tf.binary.clone(),
        plugin_dir: args.tf.plugin_dir.clone(),
        vars: args.tf.vars.clone(),
        var_files: args.tf.var_files.clone(),
        region: region.clone(),
    };
    let config = orgwatch_emulator::Config {
        port: 0,
        ..Default::default()
    };
    let account = config.default_account.clone();
    let emulator = orgwatch_emulator::start(config)
        .await
        .map_err(|e| tfrun::Failure::Usage(format!("starting the embedded emulator: {e}")))?;
    let applied = tfrun::apply(dir, &opts, &emulator.endpoint, &account).await;
    let applied = match applied {
        Ok(a) => a,
        Err(e) => {
            let _ = emulator.shutdown().await;
            return Err(e);
        }
    };
    if args.tf.confirm_subscriptions {
        if let Err(e) = orgwatch_scenarios::apply::confirm_pending(&emulator.endpoint).await {
            eprintln!("orgwatch: confirming subscriptions: {e:#}");
        }
    }
    let sdk = orgwatch_scenarios::apply::sdk(&emulator.endpoint, &account, &region).await;
    let (inv, report) = judge(&sdk, how).await;
    let drill = if args.tf.drill {
        match orgwatch_drill::drill(&emulator.endpoint, &sdk).await {
            Ok(d) => Some(d),
            Err(e) => {
                eprintln!("orgwatch: the drill could not run: {e}");
                None
            }
        }
    } else {
        None
    };
    let (summary, _) = applied.destroy().await;
    let served = orgwatch_emulator::admin::client::AdminClient::new(&emulator.endpoint)
        .requests()
        .await
        .unwrap_or_default();
    let _ = emulator.shutdown().await;
    // As the user named the directory: relative paths stay relative (to where GitHub checks out the
    // repository), absolute ones become `file://` URIs.
    let shown = |file: &str| {
        let path = dir.join(file);
        if path.is_absolute() {
            format!("file://{}", path.display())
        } else {
            path.display()
                .to_string()
                .trim_start_matches("./")
                .to_string()
        }
    };
    let terraform = orgwatch_formats::Terraform {
        resources: summary.resources,
        replan_empty: summary.replan_empty,
        destroyed: summary.destroyed,
        wall_seconds: started.elapsed().as_secs_f64(),
        emulator_seconds: served.iter().map(|r| r.micros as f64 / 1e6).sum(),
        requests: served.len(),
        drill,
        locations: summary
            .locations
            .iter()
            .map(|(id, at)| (id.clone(), (shown(&at.file), at.line)))
            .collect(),
    };
    Ok((inv, report, terraform))
}
