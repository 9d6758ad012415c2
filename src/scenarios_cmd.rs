//! `orgwatch scenarios test [PATH...]`: run scenario files against fresh embedded emulators, in parallel,
//! and print a table and `N passed, N failed, N skipped` (or JUnit XML). Exit code 1 on any mismatch, 2 on a usage
//! error. `record` captures a live configuration into a scenario; `load` applies one to a running emulator.

use crate::pattern_cmd::emit;
use clap::Subcommand;
use orgwatch_formats::xml::escape as xml;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum ScenariosCommand {
    /// Run scenarios (default: the `scenarios/` folder) and compare each verdict with its expectation.
    Test {
        paths: Vec<PathBuf>,
        /// `text` (a table) or `junit` (JUnit XML for CI systems).
        #[arg(long, default_value = "text")]
        format: String,
        /// Write the report snapshots scenarios name (`expect.snapshot`) where they differ or are missing,
        /// instead of failing.
        #[arg(long)]
        accept: bool,
        /// Install providers for Terraform steps from this local mirror (`terraform init -plugin-dir`).
        #[arg(long, value_name = "DIR", env = "ORGWATCH_PLUGIN_DIR")]
        plugin_dir: Option<PathBuf>,
        /// The Terraform binary for Terraform steps: `terraform`, `tofu`, or a path.
        #[arg(long, value_name = "BINARY")]
        binary: Option<String>,
    },
    /// Capture a live configuration, read-only, into a scenario file.
    Record {
        #[arg(long)]
        endpoint_url: Option<String>,
        #[arg(long)]
        region: Option<String>,
        #[arg(long)]
        profile: Option<String>,
        /// The scenario's name.
        #[arg(long, default_value = "recorded")]
        name: String,
        /// Replace the account id by 123456789012.
        #[arg(long)]
        anonymize: bool,
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Record the verdict of this control of the CIS monitoring family (one id) instead of the
        /// Organizations-changes control's.
        #[command(flatten)]
        control: crate::control_args::ControlArgs,
    },
    /// Convert `terraform show -json` output (state or plan) into a scenario expecting PASS.
    FromTerraform {
        file: PathBuf,
        /// The account the resources will live in.
        #[arg(long, default_value = "123456789012")]
        account: String,
        #[arg(long, default_value = "us-east-1")]
        region: String,
        #[arg(long, default_value = "from-terraform")]
        name: String,
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Apply a scenario's configuration to a running emulator (through the AWS APIs).
    Load {
        file: PathBuf,
        #[arg(long)]
        endpoint_url: String,
    },
}

pub fn run(cmd: ScenariosCommand) -> ExitCode {
    let (paths, format, opts) = match cmd {
        ScenariosCommand::Test {
            paths,
            format,
            accept,
            plugin_dir,
            binary,
        } => (
            paths,
            format,
            orgwatch_scenarios::Options {
                accept,
                terraform_binary: binary,
                plugin_dir,
            },
        ),
        ScenariosCommand::Record {
            endpoint_url,
            region,
            profile,
            name,
            anonymize,
            output,
            control,
        } => {
            let which = match control.resolve() {
                Ok(None) => None,
                Ok(Some((cs, b))) if cs.len() == 1 => Some((cs[0], b)),
                Ok(Some(_)) => {
                    eprintln!(
                        "orgwatch: a recording is about one control (--control takes one id here)"
                    );
                    return ExitCode::from(2);
                }
                Err(code) => return code,
            };
            return record(
                orgwatch_checker::Target {
                    endpoint_url,
                    region,
                    profile,
                },
                &name,
                anonymize,
                output,
                which,
            );
        }
        ScenariosCommand::Load { file, endpoint_url } => return load(&file, &endpoint_url),
        ScenariosCommand::FromTerraform {
            file,
            account,
            region,
            name,
            output,
        } => {
            return from_terraform(
                &file,
                orgwatch_scenarios::terraform::Place { account, region },
                &name,
                output,
            )
        }
    };
    if format != "text" && format != "junit" {
        eprintln!("orgwatch: --format must be text or junit");
        return ExitCode::from(2);
    }
    let paths = if paths.is_empty() {
        vec![PathBuf::from("scenarios")]
    } else {
        paths
    };
    let files = orgwatch_scenarios::discover(&paths);
    if files.is_empty() {
        eprintln!(
            "orgwatch: no scenario files under {}",
            paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
        return ExitCode::from(2);
    }
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("orgwatch: {e}");
            return ExitCode::from(2);
        }
    };
    let started = std::time::Instant::now();
    let outcomes = rt.block_on(async {
        let tasks: Vec<_> = files
            .iter()
            .cloned()
            .map(|f| {
                let opts = opts.clone();
                tokio::spawn(async move { orgwatch_scenarios::test_one(&f, &opts).await })
            })
            .collect();
        let mut out = Vec::new();
        for t in tasks {
            if let Ok(o) = t.await {
                out.push(o);
            }
        }
        out
    });
    if format == "junit" {
        emit(&junit(&outcomes));
        return if !outcomes.iter().any(failed) {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        };
    }
    let width = outcomes
        .iter()
        .map(|o| o.name.len())
        .max()
        .unwrap_or(8)
        .max(8);
    let mut text = format!(
        "{:<width$}  {:<8}  {:<8}  {:>8}\n",
        "scenario", "expected", "actual", "time"
    );
    for o in &outcomes {
        let mark = match (&o.skipped, o.passed) {
            (Some(_), _) => "  SKIPPED",
            (None, true) => "",
            (None, false) => "  MISMATCH",
        };
        text.push_str(&format!(
            "{:<width$}  {:<8}  {:<8}  {:>6}ms{mark}\n",
            o.name,
            o.expected,
            o.actual,
            o.time.as_millis()
        ));
        if !o.passed {
            for line in o.detail.lines() {
                text.push_str(&format!("    {line}\n"));
            }
        }
    }
    let passed = outcomes.iter().filter(|o| o.passed).count();
    let skipped = outcomes.iter().filter(|o| o.skipped.is_some()).count();
    let failed = outcomes.len() - passed - skipped;
    text.push_str(&format!(
        "\n{} scenario(s) in {} ms\nscenarios: {passed} passed, {failed} failed, {skipped} skipped\n",
        outcomes.len(),
        started.elapsed().as_millis()
    ));
    emit(&text);
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn junit(outcomes: &[orgwatch_scenarios::Outcome]) -> String {
    let failures = outcomes.iter().filter(|o| failed(o)).count();
    let skipped = outcomes.iter().filter(|o| o.skipped.is_some()).count();
    let total: f64 = outcomes.iter().map(|o| o.time.as_secs_f64()).sum();
    let mut out = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"orgwatch scenarios\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\" time=\"{total:.3}\">\n", outcomes.len());
    for o in outcomes {
        out.push_str(&format!(
            "  <testcase classname=\"scenarios\" name=\"{}\" time=\"{:.3}\">",
            xml(&o.name),
            o.time.as_secs_f64()
        ));
        if let Some(why) = &o.skipped {
            out.push_str(&format!("<skipped message=\"{}\"/>", xml(why)));
        } else if !o.passed {
            out.push_str(&format!(
                "<failure message=\"expected {}, got {}\">{}</failure>",
                xml(&o.expected),
                xml(&o.actual),
                xml(&o.detail)
            ));
        }
        out.push_str("</testcase>\n");
    }
    out.push_str("</testsuite>\n");
    out
}

fn runtime() -> Option<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .ok()
}

fn record(
    target: orgwatch_checker::Target,
    name: &str,
    anonymize: bool,
    output: Option<PathBuf>,
    which: Option<(
        &'static orgwatch_pattern::family::Control,
        orgwatch_pattern::family::Benchmark,
    )>,
) -> ExitCode {
    let Some(rt) = runtime() else {
        return ExitCode::from(2);
    };
    let (inv, mut report) = rt.block_on(orgwatch_checker::check(&target));
    if let Some((control, b)) = which {
        let family = orgwatch_checker::decide::decide_family(&inv, &[control], b);
        if let Some(r) = family.controls.into_iter().next() {
            report = r;
        }
    }
    let mut text =
        serde_json::to_string_pretty(&orgwatch_scenarios::record::scenario(&inv, &report, name))
            .unwrap_or_default()
            + "\n";
    if anonymize {
        if let Ok(c) = &inv.caller {
            text = orgwatch_scenarios::record::anonymize(text, &c.account);
        }
    }
    match output {
        Some(p) => {
            if let Err(e) = std::fs::write(&p, text) {
                eprintln!("orgwatch: cannot write {}: {e}", p.display());
                return ExitCode::from(2);
            }
        }
        None => emit(&text),
    }
    ExitCode::SUCCESS
}

fn load(file: &std::path::Path, endpoint: &str) -> ExitCode {
    let s = match orgwatch_scenarios::load(file) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let Some(rt) = runtime() else {
        return ExitCode::from(2);
    };
    match rt.block_on(orgwatch_scenarios::apply::apply(endpoint, &s)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("orgwatch: {e:#}");
            ExitCode::from(1)
        }
    }
}

fn from_terraform(
    file: &std::path::Path,
    place: orgwatch_scenarios::terraform::Place,
    name: &str,
    output: Option<PathBuf>,
) -> ExitCode {
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("orgwatch: {}: {e}", file.display());
            return ExitCode::from(2);
        }
    };
    let tf: serde_json::Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("{}:{}:{}: {e}", file.display(), e.line(), e.column());
            return ExitCode::from(2);
        }
    };
    match orgwatch_scenarios::terraform::convert(&tf, &place, name) {
        Ok(s) => {
            let out = serde_json::to_string_pretty(&s).unwrap_or_default() + "\n";
            match output {
                Some(p) => {
                    if let Err(e) = std::fs::write(&p, out) {
                        eprintln!("orgwatch: cannot write {}: {e}", p.display());
                        return ExitCode::from(2);
                    }
                }
                None => emit(&out),
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("orgwatch: {}: {e}", file.display());
            ExitCode::from(2)
        }
    }
}

/// A scenario that ran and missed its expectation (a skipped one did neither).
fn failed(o: &orgwatch_scenarios::Outcome) -> bool {
    !o.passed && o.skipped.is_none()
}
