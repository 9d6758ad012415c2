//! Candidate values: for one field, a finite set of values that represents every way the pattern's
//! conditions on that field can come out.
//!
//! Two strings that satisfy exactly the same conditions are interchangeable for the analysis, so one
//! representative per achievable *truth vector* is enough. For literal-only conditions the representatives
//! are the literals plus one fresh string. With wildcards or regexes, each condition becomes a DFA
//! (`regex-automata`), and a breadth-first search over the product automaton, on an alphabet reduced to
//! one byte per joint byte class, visits every reachable combination of states and keeps the shortest
//! string for each truth vector: complete by construction, and bounded (past the bound the analysis says
//! `unproven`). Numbers need only the constants, the points between them and one beyond each end, since
//! only numeric comparisons (and the lone `*`) see numbers ([`crate::semantics::json_compare`]).

use super::schema::{Kinds, Shape};
use crate::semantics::ValueMatcher;
use regex_automata::dfa::{dense, Automaton, StartKind};
use regex_automata::util::primitives::StateID;
use regex_automata::util::start;
use regex_automata::Anchored;
use std::collections::{HashMap, HashSet, VecDeque};

/// One value a field can take in a candidate record.
#[derive(Debug, Clone, PartialEq)]
pub enum Choice {
    Missing,
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Obj,
    Arr,
}

/// Product states visited before the search gives up.
const MAX_PRODUCT_STATES: usize = 100_000;

/// Why a domain could not be built completely.
#[derive(Debug, Clone)]
pub struct Incomplete(pub String);

/// Every candidate for a field of the given shape, under the given conditions.
///
/// `hint` is a realistic value to prefer as the field's "anything else" string.
pub fn candidates(
    shape: &Shape,
    matchers: &[&ValueMatcher],
    hint: Option<&str>,
    container: bool,
) -> Result<Vec<Choice>, Incomplete> {
    let mut out = Vec::new();
    let k = shape.kinds;
    if container && k.has(Kinds::OBJ) {
        out.push(Choice::Obj);
    }
    if k.has(Kinds::STR) {
        out.extend(strings(matchers, hint)?.into_iter().map(Choice::Str));
    }
    if !container && k.has(Kinds::OBJ) {
        out.push(Choice::Obj);
    }
    if k.has(Kinds::NUM) {
        out.extend(numbers(matchers).into_iter().map(Choice::Num));
    }
    if k.has(Kinds::BOOL) {
        out.push(Choice::Bool(true));
        out.push(Choice::Bool(false));
    }
    if k.has(Kinds::NULL) {
        out.push(Choice::Null);
    }
    if k.has(Kinds::ARR) {
        out.push(Choice::Arr);
    }
    if !shape.required {
        out.push(Choice::Missing);
    }
    Ok(out)
}

fn numbers(matchers: &[&ValueMatcher]) -> Vec<f64> {
    let mut cs: Vec<f64> = matchers
        .iter()
        .filter_map(|m| {
            if let ValueMatcher::Num(v, _) = m {
                Some(*v)
            } else {
                None
            }
        })
        .collect();
    cs.sort_by(f64::total_cmp);
    cs.dedup();
    if cs.is_empty() {
        return vec![0.0];
    }
    let mut out = vec![cs[0] - 1.0];
    for w in cs.windows(2) {
        out.push(w[0]);
        out.push((w[0] + w[1]) / 2.0);
    }
    out.push(cs[cs.len() - 1]);
    out.push(cs[cs.len() - 1] + 1.0);
    out
}

/// A string different from all of `taken`, close to `hint`.
fn fresh(taken: &[&str], hint: Option<&str>) -> String {
    let base = hint.unwrap_or("orgwatch-other");
    if !taken.contains(&base) {
        return base.to_string();
    }
    (1..)
        .map(|i| format!("{base}-{i}"))
        .find(|c| !taken.contains(&c.as_str()))
        .unwrap_or_default()
}

fn strings(matchers: &[&ValueMatcher], hint: Option<&str>) -> Result<Vec<String>, Incomplete> {
    // Lone `*` matches every string: it never tells two strings apart.
    let relevant: Vec<&ValueMatcher> = matchers
        .iter()
        .copied()
        .filter(|m| match m {
            ValueMatcher::Glob(g) => !g.is_any(),
            ValueMatcher::Regex(_) => true,
            ValueMatcher::Num(..) => false,
        })
        .collect();
    let mut lits: Vec<&str> = Vec::new();
    let mut automata = false;
    for m in &relevant {
        match m {
            ValueMatcher::Glob(g) => match g.as_literal() {
                Some(l) => lits.push(l),
                None => automata = true,
            },
            _ => automata = true,
        }
    }
    lits.sort();
    lits.dedup();
    if !automata {
        let mut out: Vec<String> = vec![fresh(&lits, hint)];
        out.extend(lits.iter().map(|s| s.to_string()));
        return Ok(out);
    }
    let mut regexes: Vec<String> = lits
        .iter()
        .map(|l| format!("\\A{}\\z", ::regex::escape(l)))
        .collect();
    for m in &relevant {
        match m {
            ValueMatcher::Glob(g) if g.as_literal().is_none() => regexes.push(format!(
                "\\A{}\\z",
                g.to_regex().trim_start_matches('^').trim_end_matches('$')
            )),
            ValueMatcher::Regex(r) => {
                regexes.push(format!("\\A(?s:.*)(?:{})(?s:.*)\\z", r.as_str()))
            }
            _ => {}
        }
    }
    product_representatives(&regexes, &lits, hint)
}

fn product_representatives(
    regexes: &[String],
    lits: &[&str],
    hint: Option<&str>,
) -> Result<Vec<String>, Incomplete> {
    let mut dfas = Vec::with_capacity(regexes.len());
    for r in regexes {
        let dfa = dense::Builder::new()
            .configure(
                dense::Config::new()
                    .start_kind(StartKind::Anchored)
                    .dfa_size_limit(Some(4 << 20)),
            )
            .build(r)
            .map_err(|e| Incomplete(format!("could not build an automaton for {r}: {e}")))?;
        dfas.push(dfa);
    }
    let vector = |s: &str| -> Vec<bool> {
        dfas.iter()
            .map(|d| {
                let input = regex_automata::Input::new(s).anchored(Anchored::Yes);
                d.try_search_fwd(&input)
                    .ok()
                    .flatten()
                    .is_some_and(|m| m.offset() == s.len())
            })
            .collect()
    };
    let mut by_vector: HashMap<Vec<bool>, String> = HashMap::new();
    // Preferred, readable representatives first.
    let mut preferred: Vec<String> = vec![fresh(lits, hint)];
    preferred.extend(lits.iter().map(|s| s.to_string()));
    for p in preferred {
        by_vector.entry(vector(&p)).or_insert(p);
    }
    // The alphabet: one byte per combination of byte classes across all automata.
    let mut alphabet = Vec::new();
    let mut seen_sig = HashSet::new();
    let order = b"xabcdefghijklmnopqrstuvwyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:/@ \t\n!\"#$%&'()*+,;<=>?[\\]^`{|}~";
    for &b in order {
        let sig: Vec<u8> = dfas.iter().map(|d| d.byte_classes().get(b)).collect();
        if seen_sig.insert(sig) {
            alphabet.push(b);
        }
    }
    let cfg = start::Config::new().anchored(Anchored::Yes);
    let starts: Vec<StateID> = dfas
        .iter()
        .map(|d| d.start_state(&cfg))
        .collect::<Result<_, _>>()
        .map_err(|e| Incomplete(format!("automaton has no anchored start: {e}")))?;
    let mut seen: HashSet<Vec<StateID>> = HashSet::new();
    let mut queue = VecDeque::new();
    seen.insert(starts.clone());
    queue.push_back((starts, String::new()));
    while let Some((states, text)) = queue.pop_front() {
        let v: Vec<bool> = dfas
            .iter()
            .zip(&states)
            .map(|(d, s)| d.is_match_state(d.next_eoi_state(*s)))
            .collect();
        by_vector.entry(v).or_insert_with(|| text.clone());
        for &b in &alphabet {
            let next: Vec<StateID> = dfas
                .iter()
                .zip(&states)
                .map(|(d, s)| d.next_state(*s, b))
                .collect();
            if seen.insert(next.clone()) {
                if seen.len() > MAX_PRODUCT_STATES {
                    return Err(Incomplete(format!(
                        "the conditions on one field need more than {MAX_PRODUCT_STATES} automaton states"
                    )));
                }
                let mut t = text.clone();
                t.push(b as char);
                queue.push_back((next, t));
            }
        }
    }
    let mut out: Vec<String> = by_vector.into_values().collect();
    out.sort_by(|a, b| (a.len(), a).cmp(&(b.len(), b)));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glob::Glob;

    fn glob(s: &str) -> ValueMatcher {
        ValueMatcher::Glob(Glob::new(s.split('*').map(str::to_string).collect()))
    }

    #[test]
    fn globs_get_one_string_per_truth_vector() {
        let (a, b) = (glob("A*"), glob("*B"));
        let got = strings(&[&a, &b], Some("x")).unwrap();
        let vectors: HashSet<(bool, bool)> = got
            .iter()
            .map(|s| {
                (
                    crate::semantics::json_compare(
                        crate::ast::CmpOp::Eq,
                        &a,
                        &crate::semantics::Leaf::Str(s.into()),
                    ),
                    crate::semantics::json_compare(
                        crate::ast::CmpOp::Eq,
                        &b,
                        &crate::semantics::Leaf::Str(s.into()),
                    ),
                )
            })
            .collect();
        assert_eq!(vectors.len(), 4, "{got:?}");
    }

    #[test]
    fn numbers_cover_every_interval() {
        let (one, two) = (
            ValueMatcher::Num(1.0, "1".into()),
            ValueMatcher::Num(2.0, "2".into()),
        );
        assert_eq!(numbers(&[&one, &two]), vec![0.0, 1.0, 1.5, 2.0, 3.0]);
    }
}
