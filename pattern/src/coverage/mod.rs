//! The coverage analyzer: which records of an event class a pattern (or several, taken together) matches.
//!
//! An [`EventClass`] is a set of records: CloudTrail records whose `eventSource` is fixed and whose
//! `eventName` ranges over a set of names, every other field free within the CloudTrail [`schema`]. For
//! each name the analyzer answers `always`, `sometimes`, `never` — or `unproven` when it cannot decide —
//! and backs every answer but `always` with a concrete record that does not match (and, for `sometimes`,
//! one that does). Separately it looks for an over-match: a record *outside* the class that matches.
//!
//! JSON patterns are decided exactly: the record space is cut into finitely many equivalence classes
//! ([`domain`]) and searched ([`search`]). Other kinds are decided soundly: `always` only with a proof
//! (the text every record of the class is certain to contain), otherwise from records built and checked.
//! Every witness is run through the real matcher before it is reported, so a witness can never be wrong;
//! if one ever disagrees with the analysis the verdict becomes `unproven`.

pub mod domain;
pub mod model;
pub mod schema;
pub mod search;
mod text;
mod verdict;

use verdict::matches_any;
pub use verdict::{Coverage, EventClass, EventCoverage, OverMatch, Verdict};

use crate::eval::json::JsonProgram;
use crate::eval::Program;
use crate::Pattern;
use domain::Choice;
use model::Model;
use search::Found;
use serde_json::Value;

/// A class of records to analyze against.
/// The values a record holds at each selector the pattern reads, for showing a witness briefly:
/// `[("$.eventName", Some("DeletePolicy")), ("$.errorCode", None)]` (None: absent).
pub fn evidence(pattern: &Pattern, record: &Value) -> Vec<(String, Option<Value>)> {
    let mut out: Vec<(String, Option<Value>)> = Vec::new();
    if let crate::Ast::Json(e) = pattern.ast() {
        crate::syntax::each_condition(e, &mut |c| {
            if out.iter().any(|(s, _)| *s == c.selector.text) {
                return;
            }
            let mut found = Vec::new();
            collect(record, &c.selector.steps, &mut found);
            let v = match found.len() {
                0 => None,
                1 => found.pop(),
                _ => Some(Value::Array(found)),
            };
            out.push((c.selector.text.clone(), v));
        });
    }
    out
}

/// A witness shown briefly, by the fields the pattern reads: `{$.eventName = "DeletePolicy", $.errorCode
/// absent}` (the whole record for patterns that read raw text).
pub fn brief(pattern: &Pattern, record: &Value) -> String {
    let ev = evidence(pattern, record);
    if ev.is_empty() {
        return record.to_string();
    }
    let parts: Vec<String> = ev
        .iter()
        .map(|(sel, v)| {
            v.as_ref()
                .map_or(format!("{sel} absent"), |v| format!("{sel} = {v}"))
        })
        .collect();
    format!("{{{}}}", parts.join(", "))
}

fn collect(v: &Value, steps: &[crate::ast::Step], out: &mut Vec<Value>) {
    use crate::ast::Step;
    let Some((step, rest)) = steps.split_first() else {
        out.push(v.clone());
        return;
    };
    match (step, v) {
        (Step::Key(k), Value::Object(m)) => {
            m.get(k).into_iter().for_each(|c| collect(c, rest, out))
        }
        (Step::Index(i), Value::Array(a)) => {
            a.get(*i).into_iter().for_each(|c| collect(c, rest, out))
        }
        (Step::AnyKey, Value::Object(m)) => m.values().for_each(|c| collect(c, rest, out)),
        (Step::AnyIndex, Value::Array(a)) => a.iter().for_each(|c| collect(c, rest, out)),
        _ => {}
    }
}

/// Analyzes one pattern.
pub fn analyze(pattern: &Pattern, class: &EventClass) -> Coverage {
    analyze_union(&[pattern], class)
}

/// Analyzes several patterns taken together: a record is matched when any of them matches it (filters
/// that publish to the same metric).
pub fn analyze_union(patterns: &[&Pattern], class: &EventClass) -> Coverage {
    let json: Vec<&JsonProgram> = patterns
        .iter()
        .filter_map(|p| {
            if let Program::Json(j) = p.program() {
                Some(j.as_ref())
            } else {
                None
            }
        })
        .collect();
    let coverage = if json.len() == patterns.len() && !patterns.is_empty() {
        json_coverage(&json, class)
    } else {
        None
    };
    let coverage = coverage.unwrap_or_else(|| text::coverage(patterns, class));
    verified(patterns, class, coverage)
}

/// Runs every witness through the real matcher; a disagreement turns the verdict into `unproven`.
fn verified(patterns: &[&Pattern], class: &EventClass, mut c: Coverage) -> Coverage {
    for e in &mut c.events {
        let bad_non = e
            .non_matching
            .as_ref()
            .is_some_and(|r| matches_any(patterns, r));
        let bad_match = e
            .matching
            .as_ref()
            .is_some_and(|r| !matches_any(patterns, r));
        if bad_non || bad_match {
            e.verdict = Verdict::Unproven;
            e.note =
                Some("internal check failed: a witness record disagrees with the matcher".into());
        }
    }
    if let OverMatch::Found { witness } = &c.over_match {
        let inside = witness.get(&class.source_field).and_then(Value::as_str)
            == Some(class.source.as_str())
            && witness
                .get(&class.name_field)
                .and_then(Value::as_str)
                .is_some_and(|n| class.names.iter().any(|x| x == n));
        if inside || !matches_any(patterns, witness) {
            c.over_match = OverMatch::Unproven {
                note: "internal check failed: the over-match witness is wrong".into(),
            };
        }
    }
    c
}

/// The exact analysis of JSON patterns; `None` when the model cannot be built completely.
fn json_coverage(programs: &[&JsonProgram], class: &EventClass) -> Option<Coverage> {
    let names: Vec<&str> = class.names.iter().map(String::as_str).collect();
    let mut pinned = vec![
        (class.source_field.as_str(), vec![class.source.as_str()]),
        (class.name_field.as_str(), names),
    ];
    pinned.extend(
        class
            .fixed
            .iter()
            .map(|(k, v)| (k.as_str(), vec![v.as_str()])),
    );
    let model = match Model::build(programs, &class.shape, &class.template, &pinned) {
        Ok(m) => m,
        Err(domain::Incomplete(note)) => return Some(all_unproven(class, note)),
    };
    let (src, name) = (
        model.top_key(&class.source_field)?,
        model.top_key(&class.name_field)?,
    );
    let order = model.order(&[src, name]);
    let fixed_src = (src, vec![Choice::Str(class.source.clone())]);
    let class_fields: Vec<(usize, Vec<Choice>)> = class
        .fixed
        .iter()
        .map(|(k, v)| Some((model.top_key(k)?, vec![Choice::Str(v.clone())])))
        .collect::<Option<_>>()?;
    let mut events = Vec::with_capacity(class.names.len());
    for n in &class.names {
        let mut fixed = vec![fixed_src.clone(), (name, vec![Choice::Str(n.clone())])];
        fixed.extend(class_fields.iter().cloned());
        let template = class.record(&class.source, n);
        let falsifier = search::find(&model, &order, &fixed, false);
        let satisfier = search::find(&model, &order, &fixed, true);
        let render = |f: &Found<'_>| match f {
            Found::Yes(a) => Some(search::render(a, &template)),
            _ => None,
        };
        let (non_matching, matching) = (render(&falsifier), render(&satisfier));
        let (verdict, note) = match (&falsifier, &satisfier) {
            (Found::GaveUp, _) | (_, Found::GaveUp) => (
                Verdict::Unproven,
                Some(format!(
                    "the search exceeded its budget of {} steps",
                    search::STEP_BUDGET
                )),
            ),
            (Found::No, Found::Yes(_)) => (Verdict::Always, None),
            (Found::Yes(_), Found::Yes(_)) => (Verdict::Sometimes, None),
            (Found::Yes(_), Found::No) => (Verdict::Never, None),
            (Found::No, Found::No) => (
                Verdict::Unproven,
                Some("no record of this name exists under the schema".into()),
            ),
        };
        events.push(EventCoverage {
            name: n.clone(),
            verdict,
            non_matching,
            matching,
            note,
        });
    }
    let over_match = json_over_match(&model, &order, class, src, name, &class_fields);
    Some(Coverage { events, over_match })
}

fn json_over_match(
    model: &Model,
    order: &[usize],
    class: &EventClass,
    src: usize,
    name: usize,
    class_fields: &[(usize, Vec<Choice>)],
) -> OverMatch {
    let is_source = |c: &Choice| *c == Choice::Str(class.source.clone());
    let is_name = |c: &Choice| matches!(c, Choice::Str(s) if class.names.contains(s));
    let other_sources: Vec<Choice> = model.nodes[src]
        .domain
        .iter()
        .filter(|c| !is_source(c))
        .cloned()
        .collect();
    let other_names: Vec<Choice> = model.nodes[name]
        .domain
        .iter()
        .filter(|c| !is_name(c))
        .cloned()
        .collect();
    let questions = [
        vec![(src, other_sources)],
        [
            vec![
                (src, vec![Choice::Str(class.source.clone())]),
                (name, other_names),
            ],
            class_fields.to_vec(),
        ]
        .concat(),
    ];
    let mut gave_up = false;
    for fixed in &questions {
        match search::find(model, order, fixed, true) {
            Found::Yes(a) => {
                let name_v = match &a.values[name] {
                    Some(Choice::Str(s)) => s.clone(),
                    _ => String::new(),
                };
                let src_v = match &a.values[src] {
                    Some(Choice::Str(s)) => s.clone(),
                    _ => String::new(),
                };
                return OverMatch::Found {
                    witness: search::render(&a, &class.record(&src_v, &name_v)),
                };
            }
            Found::No => {}
            Found::GaveUp => gave_up = true,
        }
    }
    if gave_up {
        OverMatch::Unproven {
            note: format!(
                "the search exceeded its budget of {} steps",
                search::STEP_BUDGET
            ),
        }
    } else {
        OverMatch::None
    }
}

fn all_unproven(class: &EventClass, note: String) -> Coverage {
    Coverage {
        events: class
            .names
            .iter()
            .map(|n| EventCoverage {
                name: n.clone(),
                verdict: Verdict::Unproven,
                non_matching: None,
                matching: None,
                note: Some(note.clone()),
            })
            .collect(),
        over_match: OverMatch::Unproven { note },
    }
}
