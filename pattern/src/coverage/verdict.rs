//! What the analyzer is asked and what it answers: the class of records (the 18 events and how CloudTrail
//! writes them), a verdict per event with its witnesses, and the over-match. The exact search
//! ([`super::search`]) and the text analysis ([`super::text`]) both answer in these terms.

use super::schema::{self, Shape};
use crate::Pattern;
use serde::Serialize;
use serde_json::Value;

#[derive(Debug, Clone)]
pub struct EventClass {
    /// The top-level field that holds the event source, and its fixed value.
    pub source_field: String,
    pub source: String,
    /// The top-level field that holds the event name, and the names of the class.
    pub name_field: String,
    pub names: Vec<String>,
    /// The shape of every record.
    pub shape: Shape,
    /// A realistic record, the base of every witness (its source and name fields are overwritten).
    pub template: Value,
    /// Top-level fields every record of the class holds with one value (`awsRegion` for a global
    /// service's events), pinned for the class's own events and free for records outside it.
    pub fixed: Vec<(String, String)>,
}

impl EventClass {
    /// CloudTrail records of `source` with one of `names`.
    pub fn cloudtrail(source: &str, names: &[&str]) -> Self {
        EventClass {
            source_field: "eventSource".into(),
            source: source.into(),
            name_field: "eventName".into(),
            names: names.iter().map(|s| s.to_string()).collect(),
            shape: schema::cloudtrail(),
            template: schema::cloudtrail_template(source, names.first().copied().unwrap_or("")),
            fixed: Vec::new(),
        }
    }

    /// The class of the CIS control: the 18 Organizations events. Organizations is a global service:
    /// CloudTrail logs its events in us-east-1, so `awsRegion` is always `us-east-1`.
    pub fn organizations() -> Self {
        let mut c = Self::cloudtrail(crate::cis::EVENT_SOURCE, &crate::cis::EVENT_NAMES);
        c.fixed = vec![("awsRegion".into(), crate::cis::EVENT_REGION.into())];
        c
    }

    pub(super) fn record(&self, source: &str, name: &str) -> Value {
        let mut t = self.template.clone();
        if let Some(m) = t.as_object_mut() {
            m.insert(self.source_field.clone(), Value::String(source.into()));
            m.insert(self.name_field.clone(), Value::String(name.into()));
            if source == self.source {
                for (k, v) in &self.fixed {
                    m.insert(k.clone(), Value::String(v.clone()));
                }
            }
        }
        t
    }
}

/// The analyzer's answer for one event name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Every record of the class with this name matches.
    Always,
    /// Some do and some do not.
    Sometimes,
    /// None does.
    Never,
    /// The analyzer could not decide.
    Unproven,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Always => "always",
            Verdict::Sometimes => "sometimes",
            Verdict::Never => "never",
            Verdict::Unproven => "unproven",
        }
    }
}

/// The answer for one event name, with its evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventCoverage {
    pub name: String,
    pub verdict: Verdict,
    /// A record with this name that does not match (for `sometimes` and `never`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub non_matching: Option<Value>,
    /// A record with this name that matches (for `sometimes` and `always`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matching: Option<Value>,
    /// Why the verdict is `unproven`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Whether the patterns match records outside the class.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "lowercase")]
pub enum OverMatch {
    /// Proven: nothing outside the class matches.
    None,
    /// This record is outside the class and matches.
    Found { witness: Value },
    /// Not decided.
    Unproven { note: String },
}

/// The full answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coverage {
    pub events: Vec<EventCoverage>,
    pub over_match: OverMatch,
}

impl Coverage {
    /// True when every name is matched `always`.
    pub fn complete(&self) -> bool {
        self.events.iter().all(|e| e.verdict == Verdict::Always)
    }

    pub fn count(&self, v: Verdict) -> usize {
        self.events.iter().filter(|e| e.verdict == v).count()
    }
}

pub(super) fn matches_any(patterns: &[&Pattern], record: &Value) -> bool {
    let text = serde_json::to_string(record).unwrap_or_default();
    patterns.iter().any(|p| p.matches(&text))
}
