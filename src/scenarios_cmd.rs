//! `orgwatch scenarios test [PATH...]`: run scenario files against fresh embedded emulators, in parallel,
//! and print a table and `N passed, N failed`. Exit code 1 on any mismatch, 2 on a usage error.

use crate::pattern_cmd::emit;
use crate::scenario;
use clap::Subcommand;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum ScenariosCommand {
    /// Run scenarios (default: the `scenarios/` folder) and compare each verdict with its expectation.
    Test { paths: Vec<PathBuf> },
}

pub fn run(cmd: ScenariosCommand) -> ExitCode {
    let ScenariosCommand::Test { paths } = cmd;
    let paths = if paths.is_empty() {
        vec![PathBuf::from("scenarios")]
    } else {
        paths
    };
    let files = scenario::discover(&paths);
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
            .map(|f| tokio::spawn(async move { scenario::test_one(&f).await }))
            .collect();
        let mut out = Vec::new();
        for t in tasks {
            if let Ok(o) = t.await {
                out.push(o);
            }
        }
        out
    });
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
        let mark = if o.passed { "" } else { "  MISMATCH" };
        text.push_str(&format!(
            "{:<width$}  {:<8}  {:<8}  {:>6}ms{mark}\n",
            o.name,
            o.expected,
            o.actual,
            o.time.as_millis()
        ));
        if !o.passed {
            text.push_str(&format!("    {}\n", o.detail));
        }
    }
    let passed = outcomes.iter().filter(|o| o.passed).count();
    let failed = outcomes.len() - passed;
    text.push_str(&format!(
        "\n{} scenario(s) in {} ms\nscenarios: {passed} passed, {failed} failed\n",
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
