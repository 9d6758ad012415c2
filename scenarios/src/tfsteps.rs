//! Terraform steps of a scenario: apply a configuration (its re-plan empty unless the step allows
//! otherwise; failing with a matching error when the step expects one), destroy it, and prove that the
//! emulator holds nothing the configuration made. One [`Session`] per scenario, so every step updates
//! the same state; whatever is still applied when the steps end is destroyed.

use crate::format::{Scenario, Step, TerraformStep};
use crate::options::Options;
use crate::tfrun::{self, Failure, Session};
use anyhow::Result;
use orgwatch_emulator::admin::client::AdminClient;

/// Why Terraform cannot run here, if it cannot: the scenario is then skipped with this reason.
pub async fn unavailable(opts: &Options) -> Option<String> {
    let binary = opts.terraform_binary();
    match tokio::process::Command::new(binary)
        .arg("version")
        .output()
        .await
    {
        Ok(o) if o.status.success() => None,
        Ok(o) => Some(format!(
            "{binary} version failed: {}",
            String::from_utf8_lossy(&o.stderr).trim()
        )),
        Err(e) => Some(format!("no {binary} here ({e})")),
    }
}

/// The scenario's Terraform state across its steps.
#[derive(Default)]
pub struct Terraform {
    session: Option<Session>,
}

impl Terraform {
    /// Runs the Terraform part of a step; its unmet expectations.
    pub async fn step(
        &mut self,
        s: &Scenario,
        step: &Step,
        endpoint: &str,
        account: &str,
        region: &str,
        opts: &Options,
    ) -> Result<Vec<String>> {
        let mut problems = Vec::new();
        if let Some(t) = &step.terraform {
            problems.extend(self.apply(s, t, endpoint, account, region, opts).await?);
        }
        if step.terraform_destroy {
            problems.extend(self.destroy(endpoint).await);
        }
        Ok(problems)
    }

    async fn apply(
        &mut self,
        s: &Scenario,
        t: &TerraformStep,
        endpoint: &str,
        account: &str,
        region: &str,
        opts: &Options,
    ) -> Result<Vec<String>> {
        let session = match &mut self.session {
            Some(session) => session,
            None => {
                let o = tfrun::Options {
                    binary: opts.terraform_binary().to_string(),
                    plugin_dir: opts.plugin_dir.clone(),
                    vars: vec![],
                    var_files: vec![],
                    region: region.to_string(),
                };
                self.session
                    .insert(Session::new(&o).map_err(|e| anyhow::anyhow!("{e}"))?)
            }
        };
        let vars = t
            .vars
            .iter()
            .map(|(k, v)| match v {
                serde_json::Value::String(text) => format!("{k}={text}"),
                other => format!("{k}={other}"),
            })
            .collect();
        let var_files = t.var_files.iter().map(|f| s.base.join(f)).collect();
        let result = session
            .apply(&s.base.join(&t.dir), vars, var_files, endpoint, account)
            .await;
        let expected = match &t.expect_error {
            Some(re) => Some(
                regex::Regex::new(re)
                    .map_err(|e| anyhow::anyhow!("terraform.expectError {re:?}: {e}"))?,
            ),
            None => None,
        };
        Ok(match (result, expected) {
            (Ok(summary), None) if !summary.replan_empty && !t.expect_non_empty_plan => {
                vec![format!(
                    "the plan after apply is not empty (expectNonEmptyPlan is not set):\n{}",
                    summary.replan.unwrap_or_default()
                )]
            }
            (Ok(_), None) => vec![],
            (Ok(_), Some(re)) => vec![format!(
                "terraform apply succeeded, but expectError {:?} wanted it to fail",
                re.as_str()
            )],
            (Err(Failure::Apply { error, .. }), Some(re)) if re.is_match(&error) => vec![],
            (Err(Failure::Apply { stage, error, .. }), Some(re)) => vec![format!(
                "terraform {stage} failed, but not as expectError {:?} says:\n{error}",
                re.as_str()
            )],
            (Err(e), _) => vec![e.to_string()],
        })
    }

    /// Destroys what the steps applied and checks that the emulator holds none of it; the problems.
    pub async fn destroy(&mut self, endpoint: &str) -> Vec<String> {
        let Some(session) = self.session.take() else {
            return vec![];
        };
        let mut problems = Vec::new();
        if let Err(e) = session.destroy().await {
            problems.push(format!("terraform destroy failed:\n{e}"));
        }
        match AdminClient::new(endpoint).export_state().await {
            Ok(mut state) => {
                // Sent messages keep the ARNs they were sent from, as AWS's mailboxes do.
                strip(&mut state, &["outbox", "deliveries", "history"]);
                forget_keys_pending_deletion(&mut state);
                let held = state.to_string();
                let left: Vec<&String> = session
                    .applied
                    .iter()
                    .filter(|id| {
                        held.contains(&serde_json::Value::String((*id).clone()).to_string())
                    })
                    .collect();
                if !left.is_empty() {
                    problems.push(format!("after destroy the emulator still holds {left:?}"));
                }
            }
            Err(e) => problems.push(format!("reading the emulator's state: {e}")),
        }
        problems
    }
}

/// A destroyed KMS key stays, pending deletion, for 7 to 30 days (as on AWS): not something left behind.
fn forget_keys_pending_deletion(state: &mut serde_json::Value) {
    let Some(accounts) = state.get_mut("accounts").and_then(|a| a.as_object_mut()) else {
        return;
    };
    for account in accounts.values_mut() {
        let Some(regions) = account.get_mut("regions").and_then(|r| r.as_object_mut()) else {
            continue;
        };
        for region in regions.values_mut() {
            if let Some(keys) = region
                .pointer_mut("/kms/keys")
                .and_then(|k| k.as_object_mut())
            {
                keys.retain(|_, k| k["state"] != "PendingDeletion");
            }
        }
    }
}

fn strip(v: &mut serde_json::Value, keys: &[&str]) {
    match v {
        serde_json::Value::Object(m) => {
            m.retain(|k, _| !keys.contains(&k.as_str()));
            for x in m.values_mut() {
                strip(x, keys);
            }
        }
        serde_json::Value::Array(a) => {
            for x in a {
                strip(x, keys);
            }
        }
        _ => {}
    }
}
