//! The runner: a scenario booted into a fresh embedded emulator ([`boot`], [`boot_catalogue`]), checked,
//! its steps run ([`run_all`]), and judged against its expectation ([`meets`], [`test_one`]): what
//! `orgwatch check --scenario` and `orgwatch scenarios test` call.

use crate::files::{catalogue, load};
use crate::format::Scenario;
use crate::options::Options;
use crate::{apply, snapshot, steps, tfsteps};
use anyhow::{Context, Result};
use orgwatch_checker::Report;
use std::path::Path;
use std::time::{Duration, Instant};

/// An embedded emulator holding a scenario's configuration, and the SDK configuration of the account
/// and region the scenario checks.
pub struct Booted {
    pub emulator: orgwatch_emulator::Handle,
    pub sdk: aws_config::SdkConfig,
}

/// Starts a fresh embedded emulator and applies the scenario to it through the AWS APIs (its virtual
/// clock started first when the scenario has steps or names a clock, so that every timestamp is
/// reproducible).
pub async fn boot(s: &Scenario) -> Result<Booted> {
    let account = s.check_account();
    let region = s.check_region();
    let config = orgwatch_emulator::Config {
        port: 0,
        default_account: account.clone(),
        ..Default::default()
    };
    let h = orgwatch_emulator::start(config)
        .await
        .context("starting the embedded emulator")?;
    if !s.steps.is_empty() || s.given.clock.is_some() {
        steps::start_clock(&h.endpoint, s).await?;
    }
    apply::apply(&h.endpoint, s)
        .await
        .with_context(|| format!("applying scenario {}", s.name))?;
    let sdk = apply::sdk(&h.endpoint, &account, &region).await;
    Ok(Booted { emulator: h, sdk })
}

/// Boots an emulator holding a catalogue scenario: one call for other crates' tests and benches.
pub async fn boot_catalogue(name: &str) -> Result<Booted> {
    boot(&catalogue(name)?).await
}

/// Boots a fresh emulator, applies the scenario, runs the checker as the scenario's account, then runs
/// the steps; returns the report on `given` and every unmet expectation of the steps and snapshots.
pub async fn run_all(s: &Scenario, opts: &Options) -> Result<(Report, Vec<String>)> {
    let Booted {
        emulator: h,
        sdk: conf,
    } = boot(s).await?;
    let report = crate::check::check_scenario(s, &conf).await?;
    let mut problems = Vec::new();
    if let Some(file) = s.expect.as_ref().and_then(|e| e.snapshot.as_ref()) {
        problems.extend(snapshot::check(s, file, &report, opts));
    }
    let mut terraform = tfsteps::Terraform::default();
    for (i, step) in s.steps.iter().enumerate() {
        let unmet = steps::run_step(&h.endpoint, s, step, &conf, opts, &mut terraform)
            .await
            .with_context(|| format!("step {} ({})", i + 1, step.name))?;
        problems.extend(
            unmet
                .into_iter()
                .map(|p| format!("step {} ({}): {p}", i + 1, step.name)),
        );
    }
    // Whatever the steps applied and did not destroy goes now, and must leave nothing behind.
    problems.extend(terraform.destroy(&h.endpoint).await);
    let _ = h.shutdown().await;
    Ok((report, problems))
}

/// Whether a report meets the scenario's expectation; the missing reasons otherwise.
/// A scenario without a top-level `expect` asks nothing of `given`.
pub fn meets(s: &Scenario, r: &Report) -> Result<(), String> {
    let Some(expect) = &s.expect else {
        return Ok(());
    };
    let mut problems = Vec::new();
    if r.status.as_str() != expect.status {
        problems.push(format!(
            "status {} (expected {})",
            r.status.as_str(),
            expect.status
        ));
    }
    for want in &expect.reasons {
        if !r.reasons().contains(&want.as_str()) {
            problems.push(format!("no {want} finding"));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

/// One scenario's outcome in a test run.
pub struct Outcome {
    pub name: String,
    pub expected: String,
    pub actual: String,
    pub passed: bool,
    pub detail: String,
    pub time: Duration,
    /// Why the scenario did not run (Terraform steps on a machine without Terraform): neither passed
    /// nor failed.
    pub skipped: Option<String>,
}

/// What a scenario's outcome shows as expected: the top-level status, else what its steps expect.
fn expected(s: &Scenario) -> String {
    s.expected_status().unwrap_or("(steps)").to_string()
}

pub async fn test_one(path: &Path, opts: &Options) -> Outcome {
    let t = Instant::now();
    let s = match load(path) {
        Ok(s) => s,
        Err(e) => {
            return Outcome {
                name: path.display().to_string(),
                expected: "-".into(),
                actual: "invalid".into(),
                passed: false,
                detail: e,
                time: t.elapsed(),
                skipped: None,
            }
        }
    };
    if s.uses_terraform() {
        if let Some(why) = tfsteps::unavailable(opts).await {
            return Outcome {
                name: s.name.clone(),
                expected: expected(&s),
                actual: "skipped".into(),
                passed: false,
                detail: why.clone(),
                time: t.elapsed(),
                skipped: Some(why),
            };
        }
    }
    match run_all(&s, opts).await {
        Ok((r, steps)) => {
            let mut problems: Vec<String> = meets(&s, &r).err().into_iter().collect();
            problems.extend(steps);
            let verdict = if problems.is_empty() {
                Ok(())
            } else {
                Err(format!("{} — {}", problems.join("; "), s.description))
            };
            Outcome {
                name: s.name.clone(),
                expected: expected(&s),
                actual: r.status.as_str().into(),
                passed: verdict.is_ok(),
                detail: verdict.err().unwrap_or_default(),
                time: t.elapsed(),
                skipped: None,
            }
        }
        Err(e) => Outcome {
            name: s.name.clone(),
            expected: expected(&s),
            actual: "error".into(),
            passed: false,
            detail: format!("{e:#}"),
            time: t.elapsed(),
            skipped: None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_catalogue_scenario_boots_in_one_call_and_gets_its_verdict() {
        let s = catalogue("compliant-as-the-control-prints-it").expect("in the catalogue");
        let b = boot(&s).await.expect("boots");
        let (_, report) = orgwatch_checker::check_config(&b.sdk, false).await;
        let _ = b.emulator.shutdown().await;
        assert_eq!(meets(&s, &report), Ok(()), "{}", report.to_text(None));
        assert_eq!(report.status.as_str(), "PASS");
    }

    #[test]
    fn a_name_outside_the_catalogue_is_an_error_naming_the_file() {
        let e = catalogue("no-such-scenario").expect_err("an error");
        assert!(e.to_string().contains("no-such-scenario.json"), "{e}");
    }
}
