//! Sound analysis of the kinds that read raw text (terms, standalone regexes, space-delimited patterns,
//! match-all) and of mixed unions.
//!
//! CloudTrail delivers each record to CloudWatch Logs as compact JSON, so every record of a case is
//! certain to contain the fragment `"key":"value"` of each equality the case's pattern requires
//! (`"eventSource":"<source>"`, `"eventName":"<name>"`, [`Case::certain_text`]), and nothing else is
//! certain: any other text may or may not appear in a free field. `always` is claimed only from that
//! certainty; every other verdict comes from records built here and checked with the matcher.

use super::verdict::{matches_any, Case, Coverage, EventClass, EventCoverage, OverMatch, Verdict};
use crate::eval::Program;
use crate::syntax::ast::{Ast, Field, TermKind};
use crate::Pattern;
use serde_json::Value;

/// Free text placed in a field that no pattern kind treats specially.
const FREE_FIELD: &str = "orgwatchNote";

pub(super) fn coverage(patterns: &[&Pattern], class: &EventClass) -> Coverage {
    let events = class
        .cases
        .iter()
        .map(|c| event(patterns, class, c))
        .collect();
    let over_match = over_match(patterns, class);
    Coverage { events, over_match }
}

/// Whether every record of the case is certain to match `p`.
fn proves_always(p: &Pattern, case: &Case) -> bool {
    let frags = case.certain_text();
    let certain = |t: &str| frags.iter().any(|f| f.contains(t));
    match p.ast() {
        Ast::MatchAll { .. } => true,
        Ast::Terms(terms) => {
            let req: Vec<_> = terms
                .iter()
                .filter(|t| t.kind == TermKind::Required)
                .collect();
            let opt: Vec<_> = terms
                .iter()
                .filter(|t| t.kind == TermKind::Optional)
                .collect();
            let excluded = terms.iter().any(|t| t.kind == TermKind::Excluded);
            let required_ok = req.iter().all(|t| certain(&t.text));
            let optional_ok =
                !req.is_empty() || opt.is_empty() || opt.iter().any(|t| certain(&t.text));
            !excluded && required_ok && optional_ok
        }
        Ast::Regex(r) => {
            // Without anchors, a regex that matches a fragment matches any text containing it.
            let anchored = r.source.contains('^') || r.source.contains('$');
            !anchored
                && matches!(p.program(), Program::Regex(re) if frags.iter().any(|f| re.is_match(f)))
        }
        Ast::Delimited(fields) => {
            // Records are never empty, so one unconditioned field (or only `...`) matches every record.
            let slots: Vec<_> = fields
                .iter()
                .filter(|f| matches!(f, Field::Slot { .. }))
                .collect();
            let unconditioned = fields
                .iter()
                .all(|f| !matches!(f, Field::Slot { cond: Some(_), .. }));
            unconditioned && slots.len() <= 1
        }
        Ast::Json(_) => false,
    }
}

/// Whether no record of the case can match `p`.
fn proves_never(p: &Pattern, case: &Case) -> bool {
    let frags = case.certain_text();
    match p.ast() {
        Ast::Terms(terms) => terms
            .iter()
            .any(|t| t.kind == TermKind::Excluded && frags.iter().any(|f| f.contains(&t.text))),
        _ => false,
    }
}

/// Texts to try in the free field: each pattern's terms, so that a satisfier can be built.
fn injections(patterns: &[&Pattern]) -> Vec<String> {
    let mut out = vec![String::new()];
    for p in patterns {
        if let Ast::Terms(terms) = p.ast() {
            let req: Vec<&str> = terms
                .iter()
                .filter(|t| t.kind == TermKind::Required)
                .map(|t| t.text.as_str())
                .collect();
            let opt = terms
                .iter()
                .filter(|t| t.kind == TermKind::Optional)
                .map(|t| t.text.as_str());
            out.push(req.join(" "));
            for o in opt {
                out.push(format!("{} {o}", req.join(" ")));
            }
            for t in terms.iter().filter(|t| t.kind == TermKind::Excluded) {
                out.push(t.text.clone());
            }
        }
    }
    out
}

fn with_text(mut record: Value, text: &str) -> Value {
    if !text.is_empty() {
        if let Some(m) = record.as_object_mut() {
            m.insert(FREE_FIELD.into(), Value::String(text.into()));
        }
    }
    record
}

fn event(patterns: &[&Pattern], class: &EventClass, case: &Case) -> EventCoverage {
    let candidates: Vec<Value> = injections(patterns)
        .iter()
        .map(|t| with_text(case.template.clone(), t))
        .filter(|r| class.in_case(case, r))
        .collect();
    let matching = candidates
        .iter()
        .find(|r| matches_any(patterns, r))
        .cloned();
    let non_matching = candidates
        .iter()
        .find(|r| !matches_any(patterns, r))
        .cloned();
    let always = patterns.iter().any(|p| proves_always(p, case));
    let never = patterns.iter().all(|p| proves_never(p, case));
    let (verdict, note) = match (always, never, &matching, &non_matching) {
        (true, _, _, _) => (Verdict::Always, None),
        (_, true, _, _) => (Verdict::Never, None),
        (_, _, Some(_), Some(_)) => (Verdict::Sometimes, None),
        _ => (
            Verdict::Unproven,
            Some(
                "this kind of pattern reads raw text; only a JSON pattern can be decided exactly"
                    .to_string(),
            ),
        ),
    };
    let (matching, non_matching) = match verdict {
        Verdict::Always => (matching, None),
        Verdict::Never => (None, non_matching),
        _ => (matching, non_matching),
    };
    EventCoverage {
        name: case.name.clone(),
        verdict,
        non_matching,
        matching,
        note,
    }
}

/// Records near the class but outside it: another service's call, another call of the same service, the
/// same call name from another service, each built on a case's record.
fn outside(class: &EventClass) -> Vec<Value> {
    let mut out = Vec::new();
    for case in class.cases.iter().take(3) {
        let t = &case.template;
        let name = t["eventName"].as_str().unwrap_or_default();
        let source = t["eventSource"].as_str().unwrap_or_default();
        for (s, n) in [
            ("ec2.amazonaws.com", "RunInstances"),
            (source, "ListAccounts"),
            ("iam.amazonaws.com", name),
        ] {
            let mut r = t.clone();
            r["eventSource"] = Value::String(s.into());
            r["eventName"] = Value::String(n.into());
            out.push(r);
        }
        let mut ordinary =
            crate::coverage::schema::cloudtrail_template("ec2.amazonaws.com", "DescribeInstances");
        ordinary["readOnly"] = Value::Bool(true);
        out.push(ordinary);
    }
    out.retain(|r| class.possible(r) && !class.contains(r));
    out
}

fn over_match(patterns: &[&Pattern], class: &EventClass) -> OverMatch {
    for r in &outside(class) {
        for t in injections(patterns) {
            let r = with_text(r.clone(), &t);
            if matches_any(patterns, &r) && !class.contains(&r) {
                return OverMatch::Found { witness: r };
            }
        }
    }
    OverMatch::Unproven {
        note: "no over-matching record was found, but this kind of pattern cannot be proven".into(),
    }
}
