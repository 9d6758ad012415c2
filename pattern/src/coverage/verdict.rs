//! What the analyzer is asked and what it answers: the class of records (a control's intent: cases written
//! as filter patterns, over records shaped as CloudTrail writes them), a verdict per case with its
//! witnesses, and the over-match. The exact search
//! ([`super::search`]) and the text analysis ([`super::text`]) both answer in these terms.

use super::schema::{self, Shape};
use crate::ast::{self, CmpOp, JsonExpr, Step, Test};
use crate::{Pattern, PatternError};
use serde::Serialize;
use serde_json::Value;

/// One part of a class: the records of one event (or one condition), as a JSON pattern, and a realistic
/// record of it that witnesses are built on.
#[derive(Debug, Clone)]
pub struct Case {
    /// The event name, or a short label for a condition (`errorCode AccessDenied*`).
    pub name: String,
    pub pattern: Pattern,
    pub template: Value,
}

impl Case {
    pub fn new(name: &str, pattern: &str, template: Value) -> Result<Case, PatternError> {
        Ok(Case {
            name: name.into(),
            pattern: Pattern::parse(pattern)?,
            template,
        })
    }

    /// The CloudTrail records of one event: `eventSource` and `eventName` fixed.
    pub fn event(source: &str, name: &str) -> Result<Case, PatternError> {
        let q = |s: &str| serde_json::to_string(s).unwrap_or_default();
        Case::new(
            name,
            &format!(
                "{{ ($.eventSource = {}) && ($.eventName = {}) }}",
                q(source),
                q(name)
            ),
            schema::cloudtrail_template(source, name),
        )
    }

    /// Text every record of the case contains as CloudTrail writes it (compact JSON): `"key":"value"`
    /// for each `$.….key = "value"` conjunct without wildcards. The text analysis proves `always` from it.
    pub fn certain_text(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let crate::Ast::Json(e) = self.pattern.ast() {
            conjuncts(e, &mut out);
        }
        out
    }
}

fn conjuncts(e: &JsonExpr, out: &mut Vec<String>) {
    match e {
        JsonExpr::And(v, _) => v.iter().for_each(|e| conjuncts(e, out)),
        JsonExpr::Or(..) => {}
        JsonExpr::Cond(c) => {
            let (Test::Compare(CmpOp::Eq, ast::Value::Str { pieces, .. }), Some(Step::Key(k))) =
                (&c.test, c.selector.steps.last())
            else {
                return;
            };
            let plain = c.selector.steps.iter().all(|s| matches!(s, Step::Key(_)));
            if plain && pieces.len() == 1 {
                let q = |s: &str| serde_json::to_string(s).unwrap_or_default();
                out.push(format!("{}:{}", q(k), q(&pieces[0])));
            }
        }
    }
}

/// A set of records: the union of its cases, among records of one shape that satisfy every fact.
#[derive(Debug, Clone)]
pub struct EventClass {
    pub cases: Vec<Case>,
    /// The shape of every record.
    pub shape: Shape,
    /// What every record satisfies, in the class or not (CloudTrail writes Organizations events in
    /// us-east-1), as JSON patterns.
    pub facts: Vec<Pattern>,
}

impl EventClass {
    /// CloudTrail records of `source` with one of `names`.
    pub fn cloudtrail(source: &str, names: &[&str]) -> Result<Self, PatternError> {
        Ok(EventClass {
            cases: names
                .iter()
                .map(|n| Case::event(source, n))
                .collect::<Result<_, _>>()?,
            shape: schema::cloudtrail(),
            facts: schema::cloudtrail_facts(),
        })
    }

    /// The class of the CIS control this project began with: the 18 Organizations events (the family's
    /// `organizations-changes` intent is the same class).
    pub fn organizations() -> Self {
        // Constant names that parse (`family` tests every intent), so the fallback is never taken.
        Self::cloudtrail(crate::cis::EVENT_SOURCE, &crate::cis::EVENT_NAMES).unwrap_or_else(|_| {
            EventClass {
                cases: Vec::new(),
                shape: schema::cloudtrail(),
                facts: schema::cloudtrail_facts(),
            }
        })
    }

    /// Whether every fact holds of the record.
    pub fn possible(&self, record: &Value) -> bool {
        let text = serde_json::to_string(record).unwrap_or_default();
        self.facts.iter().all(|f| f.matches(&text))
    }

    /// Whether the record is in the class.
    pub fn contains(&self, record: &Value) -> bool {
        let text = serde_json::to_string(record).unwrap_or_default();
        self.possible(record) && self.cases.iter().any(|c| c.pattern.matches(&text))
    }

    /// Whether the record is a possible record of one case.
    pub fn in_case(&self, case: &Case, record: &Value) -> bool {
        let text = serde_json::to_string(record).unwrap_or_default();
        self.possible(record) && case.pattern.matches(&text)
    }
}

/// The analyzer's answer for one case.
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
