//! Every AWS-sourced vector in `data/filter-patterns.json` (a copy of `shared/vectors/`), run as one
//! data-driven test that names each failing vector.
//!
//! Vectors tagged `derived` or `disputed` are not ground truth; the `derived` ones are checked as well
//! (they follow from the documented rules), the one `disputed` vector is checked against the reading
//! chosen in `semantics`.

use orgwatch_pattern::{semantics, Pattern};
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Deserialize, Debug)]
#[serde(rename_all = "camelCase")]
struct Vector {
    pattern: String,
    event: String,
    matches: bool,
    source: String,
    confidence: String,
    #[serde(default)]
    event_number: Option<u64>,
    #[serde(default)]
    extracted_values: Option<BTreeMap<String, String>>,
}

fn vectors() -> Vec<Vector> {
    let text = include_str!("data/filter-patterns.json");
    serde_json::from_str(text).expect("vectors file is valid")
}

/// The numbering base each source uses for TestMetricFilter's eventNumber (reference §16.6).
fn source_base(source: &str) -> u64 {
    if source.contains("AWS CLI") {
        1
    } else {
        0
    }
}

#[test]
fn every_vector_agrees() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for (i, v) in vectors().iter().enumerate() {
        let name = format!("#{i} [{}] {:?} on {:?}", v.confidence, v.pattern, v.event);
        let expected = if v.confidence == "disputed" {
            // [w1=ERROR, w2] on "ERROR WARN message": the 2019 reading says false; ours (last field absorbs
            // the rest, semantics::LAST_FIELD_ABSORBS_REST) says true.
            !v.matches
        } else {
            v.matches
        };
        let p = match Pattern::parse(&v.pattern) {
            Ok(p) => p,
            Err(e) => {
                failures.push(format!("{name}: does not parse: {}", e.render(&v.pattern)));
                continue;
            }
        };
        checked += 1;
        let got = p.matches(&v.event);
        if got != expected {
            failures.push(format!("{name}: expected match={expected}, got {got}"));
            continue;
        }
        if let (true, Some(want)) = (got, &v.extracted_values) {
            let have = p.extract(&v.event).unwrap_or_default();
            if &have != want {
                failures.push(format!(
                    "{name}: extractedValues {have:?}, expected {want:?}"
                ));
            }
        }
    }
    assert!(checked >= 150, "only {checked} vectors checked");
    assert!(
        failures.is_empty(),
        "{} vectors fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn event_numbers_follow_each_source_shifted_to_our_base() {
    // Rebuild each TestMetricFilter request from the vectors of one source and pattern, placing each
    // message at its position, and compare AWS's printed eventNumber with ours.
    let mut groups: BTreeMap<(String, String), Vec<&Vector>> = BTreeMap::new();
    let all = vectors();
    for v in all.iter().filter(|v| v.event_number.is_some()) {
        groups
            .entry((v.source.clone(), v.pattern.clone()))
            .or_default()
            .push(v);
    }
    assert!(groups.len() >= 7);
    let mut failures = Vec::new();
    for ((source, pattern), vs) in &groups {
        let p = Pattern::parse(pattern).unwrap();
        let base = source_base(source);
        let len = vs.iter().filter_map(|v| v.event_number).max().unwrap_or(0) + 1 - base;
        let filler = "";
        let mut messages = vec![filler.to_string(); len as usize];
        for v in vs {
            messages[(v.event_number.unwrap_or(0) - base) as usize] = v.event.clone();
        }
        let result = p.test_messages(&messages);
        for m in &result {
            if m.event_message == filler {
                failures.push(format!("{pattern}: the filler matched"));
            }
        }
        for v in vs {
            let ours = v.event_number.unwrap_or(0) - base
                + semantics::TEST_METRIC_FILTER_FIRST_EVENT_NUMBER;
            let found = result.iter().find(|m| m.event_number == ours);
            match (v.matches, found) {
                (true, Some(m)) if m.event_message == v.event => {}
                (false, None) => {}
                (false, Some(m)) if m.event_message != v.event => {
                    failures.push(format!("{pattern}: misplaced"))
                }
                _ => failures.push(format!(
                    "{pattern}: event {:?} numbered wrong in {result:?}",
                    v.event
                )),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
