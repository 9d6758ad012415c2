//! Exactness of the coverage analyzer for JSON patterns, by brute force.
//!
//! Random JSON patterns over a small vocabulary of selectors and values are analyzed against a small event
//! class, and every verdict is compared with brute-force matching (the real matcher, on real JSON text)
//! over an exhaustive set of representative records: every string that any vocabulary condition can tell
//! apart from the others, every number interval, null, booleans, objects and arrays, in every field the
//! pattern reads.

use orgwatch_pattern::coverage::schema::{Kinds, Shape};
use orgwatch_pattern::coverage::{analyze, Case, EventClass, OverMatch, Verdict};
use orgwatch_pattern::Pattern;
use proptest::prelude::*;
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, HashSet};

const SELECTORS: &[&str] = &[
    "$.eventName",
    "$.eventSource",
    "$.k",
    "$.o",
    "$.o.k",
    "$.arr[0]",
    "$.arr[*]",
    "$.*",
];
const STRINGS: &[&str] = &[
    "\"A\"", "AB", "\"B\"", "A*", "\"*B\"", "*", "S", "\"S*\"", "%^A%", "%B$%",
];
const NUMBERS: &[&str] = &["1", "2"];
const NAMES: &[&str] = &["A", "AB"];
const SOURCE: &str = "S";

fn class() -> EventClass {
    let s = |required| Shape::leaf(Kinds::STR, required);
    let mut o = Shape::object(false, vec![("k", Shape::any())]);
    o.kinds = Kinds::OBJ | Kinds::STR;
    o.open = false;
    let arr = Shape {
        element: Some(Box::new(Shape::any())),
        ..Shape::leaf(Kinds::ARR, false)
    };
    let mut root = Shape::object(
        true,
        vec![
            ("eventSource", s(true)),
            ("eventName", s(true)),
            ("k", Shape::any()),
            ("o", o),
            ("arr", arr),
        ],
    );
    root.open = false;
    let case = |name: &str| {
        let mut c = Case::event(SOURCE, name).expect("case pattern");
        c.template = json!({"eventSource": SOURCE, "eventName": name});
        c
    };
    EventClass {
        cases: NAMES.iter().map(|n| case(n)).collect(),
        shape: root,
        facts: Vec::new(),
    }
}

#[derive(Debug, Clone)]
enum E {
    Atom(String),
    And(Vec<E>),
    Or(Vec<E>),
}

fn render(e: &E) -> String {
    match e {
        E::Atom(a) => a.clone(),
        E::And(v) => format!(
            "({})",
            v.iter().map(render).collect::<Vec<_>>().join(" && ")
        ),
        E::Or(v) => format!(
            "({})",
            v.iter().map(render).collect::<Vec<_>>().join(" || ")
        ),
    }
}

fn atom() -> impl Strategy<Value = E> {
    let sel = prop::sample::select(SELECTORS);
    let cmp = prop_oneof![
        (
            prop::sample::select(&["=", "!="][..]),
            prop::sample::select(STRINGS)
        )
            .prop_map(|(o, v)| format!("{o} {v}")),
        (
            prop::sample::select(&["=", "!=", "<", "<=", ">", ">="][..]),
            prop::sample::select(NUMBERS)
        )
            .prop_map(|(o, v)| format!("{o} {v}")),
        prop::sample::select(&["IS NULL", "IS TRUE", "IS FALSE", "NOT EXISTS"][..])
            .prop_map(str::to_string),
    ];
    (sel, cmp).prop_map(|(s, c)| E::Atom(format!("{s} {c}")))
}

fn expr() -> impl Strategy<Value = E> {
    atom().prop_recursive(3, 10, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 2..4).prop_map(E::And),
            prop::collection::vec(inner, 2..4).prop_map(E::Or),
        ]
    })
}

/// Strings over {A, B, S, x} up to length 3, one per distinct behaviour under the vocabulary's conditions.
fn string_reps() -> Vec<String> {
    let preds: Vec<Pattern> = STRINGS
        .iter()
        .map(|v| Pattern::parse(&format!("{{ $.v = {v} }}")).unwrap())
        .collect();
    let mut all = vec![String::new()];
    for len in 1..=3 {
        let prev: Vec<String> = all.iter().filter(|s| s.len() == len - 1).cloned().collect();
        for p in prev {
            for c in ["A", "B", "S", "x"] {
                all.push(format!("{p}{c}"));
            }
        }
    }
    let mut seen = HashSet::new();
    all.into_iter()
        .filter(|s| {
            let msg = json!({ "v": s }).to_string();
            seen.insert(preds.iter().map(|p| p.matches(&msg)).collect::<Vec<_>>())
        })
        .collect()
}

fn scalars(reps: &[String]) -> Vec<Value> {
    let mut v: Vec<Value> = reps.iter().map(|s| json!(s)).collect();
    v.extend([
        json!(0),
        json!(1),
        json!(1.5),
        json!(2),
        json!(3),
        Value::Null,
        json!(true),
        json!(false),
    ]);
    v
}

/// The values to try for each top-level field the pattern reads (`None`: absent).
fn field_values(src: &str, reps: &[String]) -> BTreeMap<&'static str, Vec<Option<Value>>> {
    let wild = src.contains("$.*");
    let sc = scalars(reps);
    let mut any: Vec<Option<Value>> = sc.iter().cloned().map(Some).collect();
    any.extend([Some(json!({})), Some(json!([])), None]);
    let mut out = BTreeMap::new();
    if wild || src.contains("$.k ") {
        out.insert("k", any.clone());
    }
    if wild || src.contains("$.o") {
        let mut o: Vec<Option<Value>> = reps.iter().map(|s| Some(json!(s))).collect();
        o.extend([Some(json!({})), None]);
        if src.contains("$.o.k") {
            o.extend(any.iter().flatten().map(|v| Some(json!({ "k": v }))));
        }
        out.insert("o", o);
    }
    if wild || src.contains("$.arr") {
        let mut a = vec![None, Some(json!([]))];
        if src.contains("$.arr[") {
            let elems: Vec<Value> = any.iter().flatten().cloned().collect();
            for x in &elems {
                a.push(Some(json!([x])));
                for y in &elems {
                    a.push(Some(json!([x, y])));
                }
            }
        }
        out.insert("arr", a);
    }
    out
}

fn records(
    fixed: Vec<(&'static str, Value)>,
    fields: &BTreeMap<&'static str, Vec<Option<Value>>>,
) -> Vec<Value> {
    let mut out = vec![Map::new()];
    for (k, v) in fixed {
        out.iter_mut().for_each(|m| {
            m.insert(k.into(), v.clone());
        });
    }
    for (k, values) in fields {
        let mut next = Vec::with_capacity(out.len() * values.len());
        for m in &out {
            for v in values {
                let mut m = m.clone();
                if let Some(v) = v {
                    m.insert(k.to_string(), v.clone());
                }
                next.push(m);
            }
        }
        out = next;
    }
    out.into_iter().map(Value::Object).collect()
}

fn product(fields: &BTreeMap<&'static str, Vec<Option<Value>>>) -> usize {
    fields.values().map(Vec::len).product()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, max_global_rejects: 100_000, ..ProptestConfig::default() })]

    #[test]
    fn analyzer_agrees_with_brute_force(e in expr()) {
        let src = format!("{{ {} }}", render(&e));
        let p = match Pattern::parse(&src) {
            Ok(p) => p,
            Err(_) => return Err(TestCaseError::reject("over a wildcard limit")),
        };
        // Brute force tries arrays of at most two elements, enough for at most two conditions on `arr`.
        prop_assume!(src.matches("$.arr").count() + src.matches("$.*").count() <= 2 || !src.contains("$.arr["));
        let reps = string_reps();
        let fields = field_values(&src, &reps);
        prop_assume!(product(&fields) <= 40_000);
        let cov = analyze(&p, &class());
        for ev in &cov.events {
            prop_assert_ne!(ev.verdict, Verdict::Unproven, "{} for {}: {:?}", src, ev.name, ev.note);
            let recs = records(vec![("eventSource", json!(SOURCE)), ("eventName", json!(ev.name))], &fields);
            let hits = recs.iter().filter(|r| p.matches(&r.to_string())).count();
            let brute = match hits {
                0 => Verdict::Never,
                n if n == recs.len() => Verdict::Always,
                _ => Verdict::Sometimes,
            };
            prop_assert_eq!(ev.verdict, brute, "{} for {}", src, ev.name);
        }
        // Over-match: some record outside the class matches.
        let mut outside_fields = fields.clone();
        let mut strs: Vec<Option<Value>> = reps.iter().map(|s| Some(json!(s))).collect();
        strs.push(Some(json!(SOURCE)));
        strs.extend(NAMES.iter().map(|n| Some(json!(n))));
        outside_fields.insert("eventSource", strs.clone());
        outside_fields.insert("eventName", strs);
        if product(&outside_fields) <= 200_000 {
            let found = records(vec![], &outside_fields).iter().any(|r| {
                let inside = r["eventSource"] == SOURCE && NAMES.iter().any(|n| r["eventName"] == *n);
                !inside && p.matches(&r.to_string())
            });
            match &cov.over_match {
                OverMatch::Found { .. } => prop_assert!(found, "{}: analyzer found an over-match, brute force did not", src),
                OverMatch::None => prop_assert!(!found, "{}: brute force found an over-match the analyzer missed", src),
                OverMatch::Unproven { note } => prop_assert!(false, "{}: unproven over-match: {}", src, note),
            }
        }
    }
}

#[test]
fn representatives_are_rich_enough() {
    // Sanity: the brute-force string set tells apart every combination the vocabulary can express.
    let reps = string_reps();
    assert!(reps.len() >= 8, "{reps:?}");
    assert!(reps
        .iter()
        .any(|s| s.starts_with('A') && s.ends_with('B') && s != "AB"));
}
