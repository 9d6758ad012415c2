//! CloudTrail delivery: the records a client posts to `/_orgwatch/cloudtrail/events` reach every trail that
//! would capture them, and each trail writes them to its CloudWatch Logs group as AWS does.
//!
//! A record is captured by a trail that is logging, covers the record's region (multi-region, or its home
//! region), takes global service events when the record is one (Organizations, IAM, …), and whose
//! selectors select it: classic selectors by management events, ReadWriteType and
//! ExcludeManagementEventSources; advanced selectors by their field conditions. Records of a member
//! account also reach the organization trails of its management account. A trail with a CloudWatch Logs
//! delivery error (set through the admin API) delivers nothing. The log stream is
//! `<account>_CloudTrail_<region>` (`<org id>_<account>_CloudTrail_<region>` for an organization trail),
//! the message is the record as compact JSON, the timestamp its `eventTime`.

use super::ingest::{self, Place};
use crate::access;
use crate::arn::parse_arn;
use crate::clock::Clock;
use crate::model::cloudtrail::{AdvancedEventSelector, FieldSelector, ReadWriteType, Trail};
use crate::model::{OrgRole, State};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::collections::BTreeMap;

/// Event sources CloudTrail logs as global service events (in us-east-1).
const GLOBAL_SOURCES: &[&str] = &[
    "organizations.amazonaws.com",
    "iam.amazonaws.com",
    "cloudfront.amazonaws.com",
    "route53.amazonaws.com",
    "waf.amazonaws.com",
    "signin.amazonaws.com",
];

/// The fields of a record that decide where it goes.
#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Head {
    event_source: Option<String>,
    event_name: Option<String>,
    aws_region: Option<String>,
    recipient_account_id: Option<String>,
    event_time: Option<String>,
    read_only: Option<serde_json::Value>,
    event_category: Option<String>,
    event_type: Option<String>,
    user_identity: Option<Identity>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Identity {
    account_id: Option<String>,
}

/// One record, parsed just enough to route it.
#[derive(Debug)]
pub struct Record {
    pub account: String,
    pub region: String,
    pub event_source: String,
    pub event_name: String,
    pub read_only: bool,
    pub category: String,
    pub event_type: String,
    pub time: Option<f64>,
    /// The record as compact JSON.
    pub text: String,
}

impl Record {
    fn field(&self, name: &str) -> Option<String> {
        Some(match name {
            "eventSource" => self.event_source.clone(),
            "eventName" => self.event_name.clone(),
            "eventCategory" => self.category.clone(),
            "readOnly" => self.read_only.to_string(),
            "eventType" => self.event_type.clone(),
            _ => return None,
        })
    }
}

#[derive(Deserialize)]
struct LogFile<'a> {
    #[serde(borrow, rename = "Records")]
    records: Option<Vec<&'a RawValue>>,
}

/// Parses a single record, an array of records, or CloudTrail's log-file form `{"Records": [...]}`.
pub fn parse(body: &[u8], default_account: &str) -> Result<Vec<Record>, String> {
    let text = std::str::from_utf8(body).map_err(|_| "the body is not UTF-8".to_string())?;
    let raws: Vec<&RawValue> = match text.trim_start().as_bytes().first() {
        Some(b'[') => serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?,
        Some(b'{') => {
            let file: LogFile<'_> =
                serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
            match file.records {
                Some(r) => r,
                None => vec![serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?],
            }
        }
        _ => {
            return Err(
                "give a record, an array of records, or {\"Records\": [...]} as JSON".into(),
            )
        }
    };
    raws.into_iter()
        .enumerate()
        .map(|(i, raw)| record(raw, default_account).map_err(|e| format!("record {i}: {e}")))
        .collect()
}

fn record(raw: &RawValue, default_account: &str) -> Result<Record, String> {
    let json = raw.get();
    if !json.starts_with('{') {
        return Err("a record must be a JSON object".into());
    }
    let h: Head = serde_json::from_str(json).map_err(|e| e.to_string())?;
    let event_source = h.event_source.ok_or("the record has no eventSource")?;
    let event_name = h.event_name.ok_or("the record has no eventName")?;
    let time = match &h.event_time {
        Some(t) => Some(
            crate::clock::parse_timestamp(t)
                .ok_or_else(|| format!("eventTime {t:?} is not an ISO 8601 time"))?,
        ),
        None => None,
    };
    let read_only = match &h.read_only {
        Some(serde_json::Value::Bool(b)) => *b,
        Some(serde_json::Value::String(s)) => s == "true",
        _ => false,
    };
    Ok(Record {
        account: h
            .recipient_account_id
            .or(h.user_identity.and_then(|u| u.account_id))
            .unwrap_or_else(|| default_account.to_string()),
        region: h.aws_region.unwrap_or_else(|| "us-east-1".into()),
        event_source,
        event_name,
        read_only,
        category: h.event_category.unwrap_or_else(|| "Management".into()),
        event_type: h.event_type.unwrap_or_else(|| "AwsApiCall".into()),
        time,
        text: compact(json),
    })
}

/// Removes the whitespace outside strings (CloudTrail delivers compact JSON).
pub fn compact(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in json.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if !c.is_ascii_whitespace() {
            out.push(c);
        }
    }
    out
}

fn field_matches(f: &FieldSelector, value: Option<&str>) -> bool {
    let Some(v) = value else {
        // A condition on a field the record does not have (resources.type, …) selects nothing.
        return false;
    };
    (f.equals.is_empty() || f.equals.iter().any(|x| x == v))
        && (f.starts_with.is_empty() || f.starts_with.iter().any(|x| v.starts_with(x.as_str())))
        && (f.ends_with.is_empty() || f.ends_with.iter().any(|x| v.ends_with(x.as_str())))
        && !f.not_equals.iter().any(|x| x == v)
        && !f.not_starts_with.iter().any(|x| v.starts_with(x.as_str()))
        && !f.not_ends_with.iter().any(|x| v.ends_with(x.as_str()))
}

fn advanced_selects(sels: &[AdvancedEventSelector], r: &Record) -> bool {
    sels.iter().any(|s| {
        s.field_selectors
            .iter()
            .all(|f| field_matches(f, r.field(&f.field).as_deref()))
    })
}

/// Whether the trail captures the record (logging, region, global events, selectors).
pub fn captures(t: &Trail, r: &Record) -> bool {
    let injected_error =
        t.latest_cloud_watch_logs_delivery_error.is_some() && !t.delivery_error_observed;
    if !t.is_logging || injected_error {
        return false;
    }
    if !(t.is_multi_region_trail || t.home_region == r.region) {
        return false;
    }
    if GLOBAL_SOURCES.contains(&r.event_source.as_str()) && !t.include_global_service_events {
        return false;
    }
    if let Some(adv) = t
        .advanced_event_selectors
        .as_deref()
        .filter(|a| !a.is_empty())
    {
        return advanced_selects(adv, r);
    }
    if r.category != "Management" {
        return false;
    }
    t.effective_selectors().iter().any(|s| {
        s.include_management_events
            && match s.read_write_type {
                ReadWriteType::ReadOnly => r.read_only,
                ReadWriteType::WriteOnly => !r.read_only,
                ReadWriteType::All => true,
            }
            && !s
                .exclude_management_event_sources
                .iter()
                .any(|x| x == &r.event_source)
    })
}

/// Where a trail wrote a batch of records.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Written {
    pub trail: String,
    pub log_group: String,
    pub log_stream: String,
    pub events: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// What a delivery did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    pub records: usize,
    /// Records no trail captured.
    pub not_captured: usize,
    pub deliveries: Vec<Written>,
}

/// The trails that may see a record of `account`: its own, and its management account's organization trails.
fn candidates(state: &State, account: &str) -> Vec<(Trail, Option<String>)> {
    let mut out: Vec<(Trail, Option<String>)> = Vec::new();
    let Some(acc) = state.accounts.get(account) else {
        return out;
    };
    let (management, org_id) = match &acc.organization {
        OrgRole::Member {
            management_account,
            organization_id,
        } => (Some(management_account.clone()), organization_id.clone()),
        OrgRole::Management { organization_id } => (None, organization_id.clone()),
        OrgRole::None => (None, None),
    };
    for t in acc.trails.values() {
        let org = t.is_organization_trail.then(|| org_id.clone()).flatten();
        out.push((t.clone(), org));
    }
    if let Some(m) = management.and_then(|m| state.accounts.get(&m)) {
        for t in m.trails.values().filter(|t| t.is_organization_trail) {
            out.push((t.clone(), org_id.clone()));
        }
    }
    out
}

/// Why a trail could not write a batch to its log group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DeliveryFailure {
    /// CloudTrail may not assume the role, or the role may not write the stream.
    Role,
    /// The group's KMS key refuses CloudWatch Logs.
    Key,
    /// The group (or the stream) is gone.
    GroupMissing,
}

impl DeliveryFailure {
    /// What the delivery reports. AWS documents GetTrailStatus's `LatestCloudWatchLogsDeliveryError` ("any
    /// CloudWatch Logs error that CloudTrail encountered") but not its values; these are the CloudWatch Logs
    /// error codes of each cause (chosen).
    fn message(self) -> &'static str {
        match self {
            DeliveryFailure::Role => "AccessDeniedException",
            DeliveryFailure::Key => "KmsAccessDeniedException",
            DeliveryFailure::GroupMissing => {
                "ResourceNotFoundException: The specified log group does not exist."
            }
        }
    }

    /// Whether GetTrailStatus shows it (until the next successful delivery clears it). A deleted group is
    /// reported on the delivery only: the checker finds the group missing.
    fn kept_on_trail(self) -> bool {
        self != DeliveryFailure::GroupMissing
    }
}

/// Delivers records to the trails that capture them; HTTP deliveries the metric pipeline queued (none
/// today, alarms run on the clock) are appended to `outgoing`.
pub fn deliver(state: &mut State, clock: &Clock, records: Vec<Record>) -> Summary {
    let now = clock.now();
    let total = records.len();
    let mut not_captured = 0;
    // (trail account, trail name, trail ARN, group account, group region, group, stream) → events
    type Key = (String, String, String, String, String, String, String);
    let mut batches: BTreeMap<Key, Vec<(i64, String)>> = BTreeMap::new();
    // Candidate trails per account, computed once per delivery.
    let mut per_account: BTreeMap<String, Vec<(Trail, Option<String>)>> = BTreeMap::new();
    for r in records {
        let trails = per_account
            .entry(r.account.clone())
            .or_insert_with(|| candidates(state, &r.account));
        let mut captured = false;
        for (t, org_id) in trails.iter() {
            if !captures(t, &r) {
                continue;
            }
            let Some(arn) = t.cloud_watch_logs_log_group_arn.as_deref() else {
                continue;
            };
            let Some(g) = parse_arn(arn) else { continue };
            let group = g
                .resource
                .strip_prefix("log-group:")
                .unwrap_or(&g.resource)
                .trim_end_matches(":*")
                .to_string();
            let stream = match org_id {
                Some(o) => format!("{o}_{}_CloudTrail_{}", r.account, r.region),
                None => format!("{}_CloudTrail_{}", r.account, r.region),
            };
            captured = true;
            let ts = (r.time.unwrap_or(now) * 1000.0).round() as i64;
            batches
                .entry((
                    t.account.clone(),
                    t.name.clone(),
                    t.arn(),
                    g.account,
                    g.region,
                    group,
                    stream,
                ))
                .or_default()
                .push((ts, r.text.clone()));
        }
        if !captured {
            not_captured += 1;
        }
    }
    let mut deliveries = Vec::new();
    for ((trail_account, trail, trail_arn, account, region, group, stream), mut events) in batches {
        events.sort_by_key(|e| e.0);
        let count = events.len();
        let place = Place {
            account: &account,
            region: &region,
            group: &group,
            stream: &stream,
        };
        let role = state
            .accounts
            .get(&trail_account)
            .and_then(|a| a.trails.get(&trail))
            .and_then(|t| t.cloud_watch_logs_role_arn.clone())
            .unwrap_or_default();
        let failure = match access::delivery_role(
            state,
            &role,
            &trail_arn,
            &trail_account,
            (&account, &region, &group),
            &stream,
        ) {
            Err(_) => Some(DeliveryFailure::Role),
            Ok(()) => ingest::ingest(state, &place, clock.now_millis(), events, true)
                .err()
                .map(|e| match e {
                    ingest::Missing::Key => DeliveryFailure::Key,
                    ingest::Missing::Group | ingest::Missing::Stream => {
                        DeliveryFailure::GroupMissing
                    }
                }),
        };
        if let Some(t) = state.account(&trail_account).trails.get_mut(&trail) {
            match failure {
                None => {
                    t.latest_cloud_watch_logs_delivery_time = Some(now);
                    t.latest_delivery_time = Some(now);
                    if t.delivery_error_observed {
                        t.latest_cloud_watch_logs_delivery_error = None;
                        t.delivery_error_observed = false;
                    }
                }
                Some(f) if f.kept_on_trail() => {
                    t.latest_cloud_watch_logs_delivery_error = Some(f.message().to_string());
                    t.delivery_error_observed = true;
                }
                Some(_) => {}
            }
        }
        let error = failure.map(|f| f.message().to_string());
        deliveries.push(Written {
            trail: trail_arn,
            log_group: group,
            log_stream: stream,
            events: count,
            error,
        });
    }
    Summary {
        records: total,
        not_captured,
        deliveries,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trail(json: serde_json::Value) -> Trail {
        let mut base = serde_json::json!({
            "Name": "t", "Account": "123456789012", "HomeRegion": "us-east-1", "S3BucketName": "b",
            "IncludeGlobalServiceEvents": true, "IsMultiRegionTrail": true, "IsOrganizationTrail": false,
            "LogFileValidationEnabled": false, "IsLogging": true
        });
        for (k, v) in json.as_object().into_iter().flatten() {
            base[k] = v.clone();
        }
        serde_json::from_value(base).expect("a trail")
    }

    fn rec(source: &str, region: &str, read_only: bool) -> Record {
        let body = serde_json::json!({"eventSource": source, "eventName": "X", "awsRegion": region, "readOnly": read_only});
        parse(body.to_string().as_bytes(), "123456789012")
            .expect("a record")
            .remove(0)
    }

    #[test]
    fn compact_keeps_strings_exactly() {
        let pretty = "{\n  \"a\" : \"x y\\\" \\\\\",\n  \"b\": [ 1, 2 ]\n}";
        assert_eq!(compact(pretty), "{\"a\":\"x y\\\" \\\\\",\"b\":[1,2]}");
    }

    #[test]
    fn regions_global_events_and_logging() {
        let org = rec("organizations.amazonaws.com", "us-east-1", false);
        assert!(captures(&trail(serde_json::json!({})), &org));
        let single_west =
            trail(serde_json::json!({"IsMultiRegionTrail": false, "HomeRegion": "us-west-2"}));
        assert!(!captures(&single_west, &org));
        let no_global = trail(
            serde_json::json!({"IsMultiRegionTrail": false, "IncludeGlobalServiceEvents": false}),
        );
        assert!(!captures(&no_global, &org));
        assert!(captures(
            &no_global,
            &rec("kms.amazonaws.com", "us-east-1", true)
        ));
        assert!(!captures(
            &trail(serde_json::json!({"IsLogging": false})),
            &org
        ));
    }

    #[test]
    fn advanced_selectors_decide_by_their_fields() {
        let t = trail(
            serde_json::json!({"AdvancedEventSelectors": [{"FieldSelectors": [
                {"Field": "eventCategory", "Equals": ["Management"]},
                {"Field": "eventSource", "NotEquals": ["organizations.amazonaws.com"]}
            ]}]}),
        );
        assert!(!captures(
            &t,
            &rec("organizations.amazonaws.com", "us-east-1", false)
        ));
        assert!(captures(&t, &rec("iam.amazonaws.com", "us-east-1", false)));
        let writes = trail(
            serde_json::json!({"AdvancedEventSelectors": [{"FieldSelectors": [
                {"Field": "eventCategory", "Equals": ["Management"]},
                {"Field": "readOnly", "Equals": ["false"]}
            ]}]}),
        );
        assert!(captures(
            &writes,
            &rec("organizations.amazonaws.com", "us-east-1", false)
        ));
        assert!(!captures(
            &writes,
            &rec("organizations.amazonaws.com", "us-east-1", true)
        ));
    }

    #[test]
    fn bodies_that_are_not_records_are_refused() {
        assert!(parse(b"[1]", "1").unwrap_err().contains("record 0"));
        assert!(parse(b"\"x\"", "1").is_err());
        assert!(parse(b"{\"Records\": [{\"eventName\": \"A\"}]}", "1")
            .unwrap_err()
            .contains("eventSource"));
        let three = br#"{"Records": [{"eventSource": "a", "eventName": "b"}, {"eventSource": "c", "eventName": "d", "eventTime": "2026-01-01T00:00:00Z"}]}"#;
        let r = parse(three, "111122223333").unwrap();
        assert_eq!(
            (r.len(), r[0].account.as_str(), r[1].time),
            (2, "111122223333", Some(1_767_225_600.0))
        );
    }
}
