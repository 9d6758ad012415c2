//! The checker's verdict on a scenario: on the control it names, from one inventory (the runner's
//! top-level expectation and each step's ask it the same way).

use crate::format::Scenario;
use anyhow::Result;
use orgwatch_checker::{check_config, Report};

/// The checker's report on the scenario's control: the Organizations-changes control as always, or the
/// family control the scenario names, decided from the same inventory.
pub async fn check_scenario(s: &Scenario, conf: &aws_config::SdkConfig) -> Result<Report> {
    match s.family_control().map_err(anyhow::Error::msg)? {
        None => Ok(check_config(conf, false).await.1),
        Some((control, b)) => {
            let (_, mut family) = orgwatch_checker::check_family(conf, &[control], b).await;
            family
                .controls
                .pop()
                .ok_or_else(|| anyhow::anyhow!("no report for {}", control.slug))
        }
    }
}
