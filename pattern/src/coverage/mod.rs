//! The coverage analyzer: which records of an event class a pattern (or several, taken together) matches.
//!
//! An [`EventClass`] is a set of records, a control's intent: the union of its [`Case`]s, each written as
//! a JSON filter pattern (one event: `eventSource` and `eventName` fixed; or a condition, such as a root
//! identity's call), among records shaped as CloudTrail writes them ([`schema`]) that satisfy the
//! schema's facts. For each case the analyzer answers `always`, `sometimes`, `never` — or `unproven` when
//! it cannot decide — and backs every answer but `always` with a concrete record of the case that does not
//! match (and, for `sometimes`, one that does). Separately it looks for an over-match: a record *outside*
//! the class that matches. Both are the same question, intent ⊆ filters asked both ways.
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
pub use verdict::{Case, Coverage, EventClass, EventCoverage, OverMatch, Verdict};

use crate::eval::json::JsonProgram;
use crate::eval::Program;
use crate::Pattern;
use model::{Formula, Model};
use search::Found;
use serde_json::Value;

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
    let json: Vec<&JsonProgram> = patterns.iter().filter_map(|p| json_program(p)).collect();
    let coverage = if json.len() == patterns.len() && !patterns.is_empty() {
        json_coverage(&json, class)
    } else {
        None
    };
    let coverage = coverage.unwrap_or_else(|| text::coverage(patterns, class));
    verified(patterns, class, coverage)
}

fn json_program(p: &Pattern) -> Option<&JsonProgram> {
    match p.program() {
        Program::Json(j) => Some(j.as_ref()),
        _ => None,
    }
}

/// Runs every witness through the real matcher; a disagreement turns the verdict into `unproven`.
fn verified(patterns: &[&Pattern], class: &EventClass, mut c: Coverage) -> Coverage {
    for (e, case) in c.events.iter_mut().zip(&class.cases) {
        let bad_non = e
            .non_matching
            .as_ref()
            .is_some_and(|r| matches_any(patterns, r) || !class.in_case(case, r));
        let bad_match = e
            .matching
            .as_ref()
            .is_some_and(|r| !matches_any(patterns, r) || !class.in_case(case, r));
        if bad_non || bad_match {
            e.verdict = Verdict::Unproven;
            e.note =
                Some("internal check failed: a witness record disagrees with the matcher".into());
        }
    }
    if let OverMatch::Found { witness } = &c.over_match {
        if class.contains(witness) || !class.possible(witness) || !matches_any(patterns, witness) {
            c.over_match = OverMatch::Unproven {
                note: "internal check failed: the over-match witness is wrong".into(),
            };
        }
    }
    c
}

/// The exact analysis of JSON patterns: one model of the facts, the cases and the filters, and for each
/// question a search for a record that answers it. `None` when a case or fact is not a JSON pattern.
fn json_coverage(filters: &[&JsonProgram], class: &EventClass) -> Option<Coverage> {
    let facts: Vec<&JsonProgram> = class
        .facts
        .iter()
        .map(json_program)
        .collect::<Option<_>>()?;
    let cases: Vec<&JsonProgram> = class
        .cases
        .iter()
        .map(|c| json_program(&c.pattern))
        .collect::<Option<_>>()?;
    let programs: Vec<&JsonProgram> = [&facts[..], &cases[..], filters].concat();
    let template = class
        .cases
        .first()
        .map_or(Value::Null, |c| c.template.clone());
    let model = match Model::build(&programs, &class.shape, &template) {
        Ok(m) => m,
        Err(domain::Incomplete(note)) => return Some(all_unproven(class, note)),
    };
    let (nf, nc) = (facts.len(), cases.len());
    let possible = Formula::And(model.parts[..nf].to_vec());
    let case_parts = &model.parts[nf..nf + nc];
    let matched = Formula::Or(model.parts[nf + nc..].to_vec());
    let missed = Formula::Not(Box::new(matched.clone()));
    // The fields the cases read come first (a wrong event name ends a branch at once), then those the
    // filters read; the facts' own fields last.
    let mut first = Vec::new();
    for f in case_parts.iter().chain(&model.parts[nf + nc..]) {
        top_fields(&model, f, &mut first);
    }
    let order = model.order(&first);
    let ask = |parts: Vec<Formula>| search::find(&model, &order, &Formula::And(parts));
    let mut events = Vec::with_capacity(nc);
    for (case, part) in class.cases.iter().zip(case_parts) {
        let falsifier = ask(vec![possible.clone(), part.clone(), missed.clone()]);
        let satisfier = ask(vec![possible.clone(), part.clone(), matched.clone()]);
        let render = |f: &Found<'_>| match f {
            Found::Yes(a) => Some(search::render(a, &case.template)),
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
                Some("no record of this case exists under the schema".into()),
            ),
        };
        events.push(EventCoverage {
            name: case.name.clone(),
            verdict,
            non_matching,
            matching,
            note,
        });
    }
    let outside = Formula::Not(Box::new(Formula::Or(case_parts.to_vec())));
    let over_match = match ask(vec![possible, matched, outside]) {
        Found::Yes(a) => OverMatch::Found {
            witness: search::render(&a, &template),
        },
        Found::No => OverMatch::None,
        Found::GaveUp => OverMatch::Unproven {
            note: format!(
                "the search exceeded its budget of {} steps",
                search::STEP_BUDGET
            ),
        },
    };
    Some(Coverage { events, over_match })
}

/// The top-level fields a formula reads, in the order it reads them.
fn top_fields(model: &Model, f: &Formula, out: &mut Vec<usize>) {
    match f {
        Formula::And(v) | Formula::Or(v) => v.iter().for_each(|f| top_fields(model, f, out)),
        Formula::Not(f) => top_fields(model, f, out),
        Formula::Atom(i) => {
            if let Some(crate::ast::Step::Key(k)) = model.atoms[*i].steps.first() {
                if let Some(n) = model.top_key(k) {
                    if !out.contains(&n) {
                        out.push(n);
                    }
                }
            }
        }
    }
}

fn all_unproven(class: &EventClass, note: String) -> Coverage {
    Coverage {
        events: class
            .cases
            .iter()
            .map(|c| EventCoverage {
                name: c.name.clone(),
                verdict: Verdict::Unproven,
                non_matching: None,
                matching: None,
                note: Some(note.clone()),
            })
            .collect(),
        over_match: OverMatch::Unproven { note },
    }
}
