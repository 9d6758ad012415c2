//! The scenario file format: a configuration (`given`) and the verdict the checker must reach.
//!
//! Resource fields use the AWS APIs' own names (PascalCase for CloudTrail, CloudWatch and SNS, camelCase for
//! CloudWatch Logs), so output pasted from `aws ... describe-*` needs little editing. Unknown fields are
//! errors, reported as `file:line:column: what is wrong`.

use orgwatch_emulator::admin::api::Role;
use orgwatch_pattern::family::{Benchmark, Control, CONTROLS};
// The AWS shapes a scenario shares with the emulator's model, spelled as the APIs spell them (and as strictly
// read: unknown members are errors).
pub use orgwatch_emulator::model::cloudtrail::{
    AdvancedEventSelector, EventSelector, FieldSelector,
};
pub use orgwatch_emulator::model::cloudwatch::Dimension;
pub use orgwatch_emulator::model::logs::MetricTransformation;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// The JSON Schema editors validate against (`./schema.json`).
    #[serde(default, rename = "$schema")]
    pub _schema: Option<String>,
    pub name: String,
    /// What the scenario shows (for readers; shown by `scenarios test` on a mismatch).
    #[serde(default)]
    pub description: String,
    /// The control the verdicts are about: `cis-4.15` (the Organizations-changes control, the default) or
    /// any control of the CIS monitoring family: its slug (`root-account-usage`), its CIS number in
    /// `benchmark` (`4.3`) or its Security Hub id (`CloudWatch.1`).
    #[serde(default = "default_control")]
    pub control: String,
    /// The benchmark version `control` is judged in (`v1.2` … `v6.0`; default v6.0).
    #[serde(default)]
    pub benchmark: Option<String>,
    /// The configuration the emulator starts with; may be left out when the steps apply Terraform.
    #[serde(default)]
    pub given: Given,
    /// The verdict on `given`; may be left out when the steps say what must hold.
    #[serde(default)]
    pub expect: Option<Expect>,
    /// What happens next, in order: changes, replayed CloudTrail records, time passing, and what must hold
    /// after each step.
    #[serde(default)]
    pub steps: Vec<Step>,
    /// The folder the file lives in (replay files are relative to it).
    #[serde(skip)]
    pub base: std::path::PathBuf,
}

fn default_control() -> String {
    "cis-4.15".into()
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Given {
    /// The account the checker runs as (default: the first account).
    #[serde(default)]
    pub check_account: Option<String>,
    /// The region the checker runs in (default us-east-1).
    #[serde(default)]
    pub check_region: Option<String>,
    /// Where the virtual clock starts (RFC 3339) for a scenario with steps (default 2026-01-01T00:00:00Z).
    #[serde(default)]
    pub clock: Option<String>,
    #[serde(default)]
    pub accounts: Vec<Account>,
}

/// The account a scenario that names none runs in: the emulator's own default (what a Terraform-only
/// scenario's provider is signed as).
pub const DEFAULT_ACCOUNT: &str = "123456789012";

impl Scenario {
    /// The account the checker runs as: `given.checkAccount`, else the first account, else
    /// [`DEFAULT_ACCOUNT`].
    pub fn check_account(&self) -> String {
        self.given
            .check_account
            .clone()
            .or_else(|| self.given.accounts.first().map(|a| a.account.clone()))
            .unwrap_or_else(|| DEFAULT_ACCOUNT.into())
    }

    /// The region the checker runs in: `given.checkRegion`, else us-east-1.
    pub fn check_region(&self) -> String {
        self.given
            .check_region
            .clone()
            .unwrap_or_else(|| "us-east-1".into())
    }

    /// Whether the scenario has Terraform steps.
    pub fn uses_terraform(&self) -> bool {
        self.steps
            .iter()
            .any(|st| st.terraform.is_some() || st.terraform_destroy)
    }

    /// The family control and version the scenario names; `None` for `cis-4.15` without a `benchmark`, the
    /// single control's check of old.
    pub fn family_control(&self) -> Result<Option<(&'static Control, Benchmark)>, String> {
        if self.control == default_control() && self.benchmark.is_none() {
            return Ok(None);
        }
        let b = match &self.benchmark {
            None => Benchmark::LATEST,
            Some(v) => Benchmark::parse(v).ok_or_else(|| {
                let valid: Vec<&str> = Benchmark::ALL.iter().map(|b| b.as_str()).collect();
                format!("unknown benchmark {v:?}: one of {}", valid.join(", "))
            })?,
        };
        let id = if self.control == default_control() {
            Control::ORGANIZATIONS.slug
        } else {
            self.control.as_str()
        };
        match Control::find(id, b) {
            Some(c) if c.cis_id(b).is_some() => Ok(Some((c, b))),
            _ => {
                let valid: Vec<&str> = CONTROLS
                    .iter()
                    .filter(|c| c.cis_id(b).is_some())
                    .map(|c| c.slug)
                    .collect();
                Err(format!(
                    "unknown control {:?} in {}: cis-4.15, or a slug, CIS number or Security Hub id of {}",
                    self.control,
                    b.title(),
                    valid.join(", ")
                ))
            }
        }
    }

    /// The status the top-level expectation wants, if there is one.
    pub fn expected_status(&self) -> Option<&str> {
        self.expect.as_ref().map(|e| e.status.as_str())
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Account {
    pub account: String,
    /// `none` (default), `management`, or `member` (with `managementAccount`).
    #[serde(default)]
    pub organization: Option<Role>,
    #[serde(default, rename = "managementAccount")]
    pub management_account: Option<String>,
    #[serde(default)]
    pub regions: BTreeMap<String, Resources>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Resources {
    #[serde(default)]
    pub trails: Vec<Trail>,
    #[serde(default)]
    pub log_groups: Vec<LogGroup>,
    #[serde(default)]
    pub metric_filters: Vec<MetricFilter>,
    #[serde(default)]
    pub topics: Vec<Topic>,
    #[serde(default)]
    pub subscriptions: Vec<SnsSubscription>,
    #[serde(default)]
    pub alarms: Vec<Alarm>,
    /// KMS keys, named by alias, that log groups (`kmsKeyId`) and topics (`KmsMasterKeyId`) refer to.
    #[serde(default)]
    pub keys: Vec<Key>,
    /// IAM roles as they are once the trails exist (a delivery role changed after its trail was made).
    #[serde(default)]
    pub roles: Vec<IamRole>,
}

/// A KMS key. The harness makes it with a policy every service of the chain may use (so that AWS accepts
/// the associations), then, once the chain exists, gives it `Policy` (KMS's default key policy when
/// absent) and `KeyState`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct Key {
    /// `alias/<name>`, how the scenario refers to the key.
    pub alias: String,
    #[serde(default)]
    pub policy: Option<serde_json::Value>,
    /// `Enabled` (default), `Disabled` or `PendingDeletion`.
    #[serde(default)]
    pub key_state: Option<String>,
}

/// An IAM role: its trust policy and inline policies replace whatever the harness made for a trail.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct IamRole {
    pub role_name: String,
    pub assume_role_policy_document: serde_json::Value,
    #[serde(default)]
    pub policies: Vec<InlinePolicy>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct InlinePolicy {
    pub policy_name: String,
    pub policy_document: serde_json::Value,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct Trail {
    pub name: String,
    #[serde(default = "bucket")]
    pub s3_bucket_name: String,
    #[serde(default)]
    pub is_multi_region_trail: bool,
    #[serde(default)]
    pub is_organization_trail: bool,
    #[serde(default)]
    pub cloud_watch_logs_log_group_arn: Option<String>,
    #[serde(default)]
    pub cloud_watch_logs_role_arn: Option<String>,
    #[serde(default = "yes")]
    pub is_logging: bool,
    #[serde(default)]
    pub event_selectors: Option<Vec<EventSelector>>,
    #[serde(default)]
    pub advanced_event_selectors: Option<Vec<AdvancedEventSelector>>,
    #[serde(default)]
    pub latest_cloud_watch_logs_delivery_error: Option<String>,
}

fn bucket() -> String {
    "orgwatch-trail-bucket".into()
}
fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct LogGroup {
    pub log_group_name: String,
    /// A key of the scenario (`alias/...`) or a key ARN.
    #[serde(default)]
    pub kms_key_id: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct MetricFilter {
    pub log_group_name: String,
    pub filter_name: String,
    pub filter_pattern: String,
    pub metric_transformations: Vec<MetricTransformation>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct Topic {
    pub name: String,
    /// Topic attributes to set (`Policy` may be given as a JSON object, `KmsMasterKeyId` as an alias).
    #[serde(default)]
    pub attributes: BTreeMap<String, serde_json::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct SnsSubscription {
    pub topic_arn: String,
    pub protocol: String,
    pub endpoint: String,
    /// Whether the subscriber has confirmed (HTTP/HTTPS and email subscriptions start pending).
    #[serde(default)]
    pub confirmed: Option<bool>,
    /// Subscribe's attributes (`FilterPolicy` may be given as a JSON object).
    #[serde(default)]
    pub attributes: BTreeMap<String, serde_json::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct Alarm {
    pub alarm_name: String,
    pub metric_name: String,
    pub namespace: String,
    #[serde(default)]
    pub statistic: Option<String>,
    #[serde(default)]
    pub extended_statistic: Option<String>,
    pub period: i32,
    pub evaluation_periods: i32,
    #[serde(default)]
    pub datapoints_to_alarm: Option<i32>,
    pub threshold: f64,
    pub comparison_operator: String,
    #[serde(default)]
    pub treat_missing_data: Option<String>,
    #[serde(default)]
    pub actions_enabled: Option<bool>,
    #[serde(default)]
    pub alarm_actions: Vec<String>,
    #[serde(default)]
    pub dimensions: Vec<Dimension>,
    #[serde(default)]
    pub unit: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// `PASS`, `FAIL` or `UNKNOWN`.
    pub status: String,
    /// Reason codes that must be among the findings.
    #[serde(default)]
    pub reasons: Vec<String>,
    /// A file (relative to the scenario) holding the text report exactly as it must read, volatile
    /// values masked ([`crate::snapshot`]); `scenarios test --accept` writes it.
    #[serde(default)]
    pub snapshot: Option<String>,
}

/// One step of a scenario. Its parts run in the order written here.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Step {
    #[serde(default)]
    pub name: String,
    /// Resources to add or replace, in the shape of `given.accounts` (filters, alarms and trails are
    /// replaced; existing log groups, topics and subscriptions are kept).
    #[serde(default)]
    pub apply: Vec<Account>,
    /// Resources to delete.
    #[serde(default)]
    pub remove: Vec<Removal>,
    /// CloudTrail records to deliver: a record, an array, or the log-file form `{"Records": [...]}`. A
    /// record without `eventTime` happens at the clock's current time.
    #[serde(default)]
    pub replay: Option<serde_json::Value>,
    /// A CloudTrail log file to deliver (`{"Records": [...]}`, gzip or not), relative to the scenario.
    #[serde(default)]
    pub replay_file: Option<String>,
    /// Seconds of virtual time that pass after the records (alarms evaluate on the way).
    #[serde(default)]
    pub advance: Option<f64>,
    /// Apply a Terraform configuration (over what earlier Terraform steps applied, with one state), as a
    /// provider's acceptance test step does. Runs first in the step.
    #[serde(default)]
    pub terraform: Option<TerraformStep>,
    /// Destroy what the scenario's Terraform steps applied; the emulator must then hold none of it.
    #[serde(default)]
    pub terraform_destroy: bool,
    #[serde(default)]
    pub expect: StepExpect,
}

/// A Terraform step: the configuration, its variables, and what the apply must do.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TerraformStep {
    /// The configuration's directory, relative to the scenario.
    pub dir: String,
    /// Any JSON value, as `-var` and `.tfvars.json` take them: a string as it is, anything else
    /// (`false`, `3`, a list, a map) as its JSON text, which Terraform reads as the same value.
    #[serde(default)]
    pub vars: BTreeMap<String, serde_json::Value>,
    /// Variables files, relative to the scenario.
    #[serde(default)]
    pub var_files: Vec<String>,
    /// The apply must fail with an error matching this regular expression.
    #[serde(default)]
    pub expect_error: Option<String>,
    /// The plan right after apply may propose changes (by default it must be empty).
    #[serde(default)]
    pub expect_non_empty_plan: bool,
}

/// One resource to delete: exactly one of the kinds, in the check account and region unless given.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Removal {
    #[serde(default)]
    pub account: Option<String>,
    #[serde(default)]
    pub region: Option<String>,
    #[serde(default)]
    pub trail: Option<String>,
    #[serde(default)]
    pub log_group: Option<String>,
    /// With `logGroupName`.
    #[serde(default)]
    pub metric_filter: Option<String>,
    #[serde(default)]
    pub log_group_name: Option<String>,
    #[serde(default)]
    pub alarm: Option<String>,
    /// A topic name.
    #[serde(default)]
    pub topic: Option<String>,
    /// A subscription, by its endpoint (with `topic`, the topic's name).
    #[serde(default)]
    pub subscription: Option<String>,
}

/// What must hold after a step; every part is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct StepExpect {
    /// The checker's verdict now.
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub reasons: Vec<String>,
    /// Alarm name → state (`OK`, `ALARM`, `INSUFFICIENT_DATA`), in the check account and region.
    #[serde(default)]
    pub alarms: BTreeMap<String, String>,
    /// The notifications SNS delivered to confirmed subscribers during this step: each entry must be
    /// matched (exactly `count` times when given, else at least once), and an empty list means none.
    #[serde(default)]
    pub notifications: Option<Vec<ExpectedNotification>>,
    /// The text report after this step, pinned as under the top-level `expect`.
    #[serde(default)]
    pub snapshot: Option<String>,
}

impl StepExpect {
    /// Whether it asks nothing.
    pub fn is_empty(&self) -> bool {
        self.status.is_none()
            && self.reasons.is_empty()
            && self.alarms.is_empty()
            && self.notifications.is_none()
            && self.snapshot.is_none()
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ExpectedNotification {
    /// The topic's name or ARN.
    pub topic: String,
    /// The alarm state the message announces (`NewStateValue`).
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub count: Option<usize>,
}

/// Parses a scenario file; errors read `file:line:column: what is wrong`.
pub fn parse(path: &str, text: &str) -> Result<Scenario, String> {
    let s: Scenario = serde_json::from_str(text).map_err(|e| {
        format!(
            "{path}:{}:{}: {}",
            e.line(),
            e.column(),
            strip_position(&e.to_string())
        )
    })?;
    if let Some(status) = s.expected_status() {
        if !["PASS", "FAIL", "UNKNOWN"].contains(&status) {
            let (l, c) = locate(text, "\"status\"");
            return Err(format!(
                "{path}:{l}:{c}: expect.status must be PASS, FAIL or UNKNOWN, not {status:?}"
            ));
        }
    }
    let statuses = s.steps.iter().filter_map(|st| st.expect.status.as_deref());
    for status in statuses {
        if !["PASS", "FAIL", "UNKNOWN"].contains(&status) {
            let (l, c) = locate(text, &format!("\"{status}\""));
            return Err(format!(
                "{path}:{l}:{c}: a step's expect.status must be PASS, FAIL or UNKNOWN, not {status:?}"
            ));
        }
    }
    for (i, st) in s.steps.iter().enumerate() {
        if st.replay.is_some() && st.replay_file.is_some() {
            let (l, c) = locate(text, "\"replayFile\"");
            return Err(format!(
                "{path}:{l}:{c}: step {} gives both replay and replayFile; use one",
                i + 1
            ));
        }
        for r in &st.remove {
            let kinds = [
                r.trail.is_some(),
                r.log_group.is_some(),
                r.metric_filter.is_some(),
                r.alarm.is_some(),
                r.subscription.is_some(),
                r.topic.is_some() && r.subscription.is_none(),
            ];
            let bad = kinds.iter().filter(|k| **k).count() != 1
                || (r.metric_filter.is_some() && r.log_group_name.is_none())
                || (r.subscription.is_some() && r.topic.is_none());
            if bad {
                let (l, c) = locate(text, "\"remove\"");
                return Err(format!("{path}:{l}:{c}: step {}: each removal names exactly one of trail, logGroup, metricFilter (with logGroupName), alarm, topic, or subscription (with topic)", i + 1));
            }
        }
    }
    let terraform = s.uses_terraform();
    if s.given.accounts.is_empty() && !terraform {
        let (l, c) = locate(text, "\"accounts\"");
        return Err(format!(
            "{path}:{l}:{c}: given.accounts must list at least one account (only a scenario whose steps apply Terraform may leave it out)"
        ));
    }
    // A scenario must be able to fail: without a top-level `expect`, a step must expect something or
    // apply Terraform (an apply must succeed with an empty re-plan, a destroy must leave nothing).
    if let Err(e) = s.family_control() {
        let (l, c) = locate(text, "\"control\"");
        return Err(format!("{path}:{l}:{c}: {e}"));
    }
    if s.expect.is_none() && !terraform && s.steps.iter().all(|st| st.expect.is_empty()) {
        let (l, c) = locate(text, "\"name\"");
        return Err(format!(
            "{path}:{l}:{c}: nothing is expected: give `expect` (the verdict on `given`) or a step's `expect`"
        ));
    }
    Ok(s)
}

fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

fn locate(text: &str, needle: &str) -> (usize, usize) {
    let off = text.find(needle).unwrap_or(0);
    orgwatch_pattern::syntax::error::line_col(text, off)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file nested past serde_json's bound (128) is refused with its place, never a stack overflow.
    #[test]
    fn a_file_nested_past_the_bound_is_refused_with_its_place() {
        let deep = format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000));
        let text = MINIMAL.replace("\"d\"", &deep);
        let e = parse("deep.json", &text).expect_err("refused");
        assert!(e.starts_with("deep.json:3:"), "{e}");
    }

    const MINIMAL: &str = r#"{
  "name": "n",
  "description": "d",
  "control": "cis-4.15",
  "given": {"accounts": [{"account": "123456789012", "organization": "ORG"}]},
  "expect": {"status": "STATUS"}
}"#;

    fn with(org: &str, status: &str) -> String {
        MINIMAL.replace("ORG", org).replace("STATUS", status)
    }

    #[test]
    fn a_valid_file_reads_its_role_as_the_admin_api_vocabulary() {
        let s = parse("s.json", &with("member", "PASS")).expect("valid");
        assert_eq!(s.given.accounts[0].organization, Some(Role::Member));
    }

    #[test]
    fn an_unknown_role_is_refused_at_its_line_and_column() {
        let e = parse("s.json", &with("owner", "PASS")).expect_err("refused");
        assert!(e.starts_with("s.json:5:76:"), "{e}");
        assert!(e.contains("owner") && e.contains("member"), "{e}");
    }

    #[test]
    fn a_bad_status_is_refused_where_it_is_written() {
        let e = parse("s.json", &with("none", "GREEN")).expect_err("refused");
        assert_eq!(
            e,
            "s.json:6:14: expect.status must be PASS, FAIL or UNKNOWN, not \"GREEN\""
        );
    }

    #[test]
    fn selectors_are_read_strictly_in_the_models_shape() {
        let trail = |selectors: &str| {
            format!(
                r#"{{"name": "t", "control": "cis-4.15", "given": {{"accounts": [{{"account": "123456789012",
  "regions": {{"us-east-1": {{"trails": [{{"Name": "t", "EventSelectors": [{selectors}]}}]}}}}}}]}},
  "expect": {{"status": "FAIL"}}}}"#
            )
        };
        let ok = parse("s.json", &trail(r#"{"ReadWriteType": "WriteOnly"}"#)).expect("valid");
        let r = &ok.given.accounts[0].regions["us-east-1"];
        let sel = &r.trails[0].event_selectors.as_ref().expect("selectors")[0];
        assert_eq!(
            sel.read_write_type,
            orgwatch_emulator::model::cloudtrail::ReadWriteType::WriteOnly
        );
        assert!(sel.include_management_events);
        let bad = parse("s.json", &trail(r#"{"ReadWriteType": "Writes"}"#)).expect_err("refused");
        assert!(
            bad.starts_with("s.json:2:") && bad.contains("Writes") && bad.contains("WriteOnly"),
            "{bad}"
        );
        let typo = parse("s.json", &trail(r#"{"ReadWriteTyp": "All"}"#)).expect_err("refused");
        assert!(
            typo.starts_with("s.json:2:") && typo.contains("ReadWriteTyp"),
            "{typo}"
        );
    }

    /// A scenario made only of Terraform steps needs neither `given` nor a top-level `expect`, and its
    /// variables take any JSON value, as `-var` and `.tfvars.json` do.
    #[test]
    fn a_terraform_only_scenario_needs_no_given_and_takes_any_json_variable() {
        let text = r#"{"name": "tf", "steps": [{"terraform": {"dir": "c", "vars": {
  "bucket_policy": false, "retention": 90, "names": ["a", "b"], "tags": {"k": "v"}, "prefix": "cis"}},
  "expect": {"status": "PASS"}}]}"#;
        let s = parse("tf.json", text).expect("valid");
        assert!(s.given.accounts.is_empty() && s.expect.is_none());
        assert_eq!(s.check_account(), DEFAULT_ACCOUNT);
        let vars = &s.steps[0]
            .terraform
            .as_ref()
            .expect("a terraform step")
            .vars;
        assert_eq!(vars["bucket_policy"], serde_json::json!(false));
        assert_eq!(vars["names"], serde_json::json!(["a", "b"]));
        assert_eq!(vars["prefix"], serde_json::json!("cis"));
    }

    #[test]
    fn without_terraform_steps_given_accounts_is_still_required_and_something_must_be_expected() {
        let e =
            parse("s.json", r#"{"name": "s", "expect": {"status": "PASS"}}"#).expect_err("refused");
        assert!(
            e.contains("given.accounts must list at least one account"),
            "{e}"
        );
        let nothing = r#"{"name": "s",
  "given": {"accounts": [{"account": "123456789012"}]}}"#;
        let e = parse("s.json", nothing).expect_err("refused");
        assert!(e.starts_with("s.json:1:2: nothing is expected"), "{e}");
    }

    #[test]
    fn a_family_control_is_named_by_any_of_its_ids_and_an_unknown_one_is_refused_where_it_stands() {
        let with = |control: &str, benchmark: &str| {
            format!(
                r#"{{"name": "s", "control": "{control}"{benchmark},
  "given": {{"accounts": [{{"account": "123456789012"}}]}}, "expect": {{"status": "PASS"}}}}"#
            )
        };
        let s = parse("s.json", &with("CloudWatch.1", "")).expect("valid");
        let (c, b) = s
            .family_control()
            .expect("known")
            .expect("a family control");
        assert_eq!((c.slug, b), ("root-account-usage", Benchmark::V6_0));
        let s = parse("s.json", &with("3.3", r#", "benchmark": "v1.2""#)).expect("valid");
        assert_eq!(
            s.family_control().ok().flatten().map(|x| x.0.slug),
            Some("root-account-usage")
        );
        assert_eq!(
            parse("s.json", &with("cis-4.15", ""))
                .expect("valid")
                .family_control(),
            Ok(None)
        );
        let e = parse("s.json", &with("4.99", "")).expect_err("refused");
        assert!(
            e.starts_with("s.json:1:15: unknown control \"4.99\""),
            "{e}"
        );
    }
}
