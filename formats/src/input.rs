//! What the renderers take: the report ([`Subject`], a check's or a drill's) and what a report does not
//! hold but every format states ([`Meta`]: when, and by which version); and how the tool names itself.

use orgwatch_checker::{FamilyReport, Report};
use orgwatch_drill::report::DrillReport;
use std::collections::BTreeMap;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// What a report does not hold but every format states: when it was made and by which version.
#[derive(Debug, Clone)]
pub struct Meta {
    pub time: OffsetDateTime,
    pub tool_version: String,
}

impl Meta {
    /// Now, by the system clock (the CLI's; tests pass a fixed time).
    pub fn now(tool_version: &str) -> Meta {
        Meta {
            time: OffsetDateTime::now_utc(),
            tool_version: tool_version.into(),
        }
    }

    /// The time to the second (`2026-12-02T16:24:09Z`): finer is noise in a report.
    pub fn rfc3339(&self) -> String {
        let t = self.time.replace_nanosecond(0).unwrap_or(self.time);
        t.format(&Rfc3339).unwrap_or_default()
    }

    pub fn epoch_millis(&self) -> i64 {
        (self.time.unix_timestamp_nanos() / 1_000_000) as i64
    }
}

/// What a `check --terraform` run did to the configuration it checked.
#[derive(Debug, Clone, Default, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Terraform {
    /// Managed resources applied.
    pub resources: usize,
    /// Whether a plan right after apply proposed nothing.
    pub replan_empty: bool,
    pub destroyed: bool,
    /// The whole run: init, apply, re-plan, check, destroy.
    pub wall_seconds: f64,
    /// How long the emulator spent answering Terraform's and the checker's requests (the sum of its
    /// served-operations log), and how many there were.
    pub emulator_seconds: f64,
    pub requests: usize,
    /// With `--drill`: the fire drill run against the applied stack before it was destroyed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub drill: Option<DrillReport>,
    /// Where the block that made each resource stands (`infra/main.tf`, 1-based line), by the
    /// resource's ARN or the id findings give it; SARIF results carry it as a physical location.
    #[serde(skip)]
    pub locations: BTreeMap<String, (String, usize)>,
}

/// The report to render.
pub enum Subject<'a> {
    Check {
        report: &'a Report,
        /// The API calls made, by operation (`--verbose`).
        calls: Option<&'a BTreeMap<String, u32>>,
        /// Set when the account was a Terraform configuration applied for the check.
        terraform: Option<&'a Terraform>,
    },
    Drill(&'a DrillReport),
    /// Several controls of the CIS monitoring family (`check --control`).
    Family {
        report: &'a FamilyReport,
        calls: Option<&'a BTreeMap<String, u32>>,
        terraform: Option<&'a Terraform>,
    },
}

/// The product's name and home, as the formats name the tool.
pub const TOOL: &str = "orgwatch";
pub const TOOL_URI: &str = "https://github.com/orgwatch/orgwatch";
