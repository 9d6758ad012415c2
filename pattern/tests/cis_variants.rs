//! The CIS pattern and the ways real configurations deviate from it, each with the verdict and witness
//! the analyzer must give.

use orgwatch_pattern::cis::{EVENT_NAMES, EVENT_SOURCE, PATTERN};
use orgwatch_pattern::coverage::{
    analyze, analyze_union, Coverage, EventClass, OverMatch, Verdict,
};
use orgwatch_pattern::Pattern;

fn cov(src: &str) -> Coverage {
    let p = Pattern::parse(src).unwrap_or_else(|e| panic!("{}", e.render(src)));
    analyze(&p, &EventClass::organizations())
}

fn name_clauses(names: &[&str], quoted: bool) -> String {
    names
        .iter()
        .map(|n| {
            if quoted {
                format!("($.eventName = \"{n}\")")
            } else {
                format!("($.eventName = {n})")
            }
        })
        .collect::<Vec<_>>()
        .join(" || ")
}

fn assert_complete(c: &Coverage) {
    for e in &c.events {
        assert_eq!(e.verdict, Verdict::Always, "{}: {:?}", e.name, e);
        assert!(e.matching.is_some() && e.non_matching.is_none());
    }
    assert_eq!(c.over_match, OverMatch::None);
}

#[test]
fn the_pattern_exactly_as_printed_covers_all_18() {
    assert_complete(&cov(PATTERN));
}

#[test]
fn reordered_clauses_cover_all_18() {
    let mut names = EVENT_NAMES.to_vec();
    names.reverse();
    let src = format!(
        "{{ ({}) && $.eventSource = \"{EVENT_SOURCE}\" }}",
        name_clauses(&names, true)
    );
    assert_complete(&cov(&src));
}

#[test]
fn whitespace_and_newlines_do_not_matter() {
    let src = format!(
        "{{\n\t(  $.eventSource=\"{EVENT_SOURCE}\"  )\n&&\n(\n{}\n)\n}}",
        name_clauses(&EVENT_NAMES, true).replace(" || ", "\n  ||")
    );
    assert_complete(&cov(&src));
}

#[test]
fn unquoted_values_are_the_same_as_quoted() {
    let src = format!(
        "{{ $.eventSource = {EVENT_SOURCE} && ({}) }}",
        name_clauses(&EVENT_NAMES, false)
    );
    assert_complete(&cov(&src));
}

#[test]
fn one_name_missing_is_never_for_that_name_with_a_witness() {
    let names: Vec<&str> = EVENT_NAMES
        .iter()
        .copied()
        .filter(|n| *n != "DeletePolicy")
        .collect();
    let c = cov(&format!(
        "{{ $.eventSource = {EVENT_SOURCE} && ({}) }}",
        name_clauses(&names, true)
    ));
    assert_eq!(c.count(Verdict::Always), 17);
    let e = c.events.iter().find(|e| e.name == "DeletePolicy").unwrap();
    assert_eq!(e.verdict, Verdict::Never);
    let w = e.non_matching.as_ref().unwrap();
    assert_eq!(w["eventName"], "DeletePolicy");
    assert_eq!(w["eventSource"], EVENT_SOURCE);
    assert!(!c.complete());
}

#[test]
fn or_in_place_of_and_covers_all_but_over_matches() {
    let src = format!(
        "{{ ($.eventSource = {EVENT_SOURCE}) || ({}) }}",
        name_clauses(&EVENT_NAMES, true)
    );
    let c = cov(&src);
    assert_eq!(c.count(Verdict::Always), 18);
    match &c.over_match {
        OverMatch::Found { witness } => {
            let outside = witness["eventSource"] != EVENT_SOURCE
                || !EVENT_NAMES.contains(&witness["eventName"].as_str().unwrap_or(""));
            assert!(outside, "{witness}");
            let text = serde_json::to_string(witness).unwrap();
            assert!(Pattern::parse(&src).unwrap().matches(&text));
        }
        other => panic!("expected an over-match, got {other:?}"),
    }
}

#[test]
fn an_extra_narrowing_condition_is_sometimes_with_both_witnesses() {
    let inner = PATTERN.trim().trim_start_matches('{').trim_end_matches('}');
    let src = format!("{{ ($.userIdentity.type = \"Root\") && ({inner}) }}");
    let c = cov(&src);
    assert_eq!(c.count(Verdict::Sometimes), 18, "{src}");
    for e in &c.events {
        let non = e.non_matching.as_ref().unwrap();
        let yes = e.matching.as_ref().unwrap();
        assert_ne!(non["userIdentity"]["type"], "Root");
        assert_eq!(yes["userIdentity"]["type"], "Root");
    }
    assert_eq!(c.over_match, OverMatch::None);
}

#[test]
fn match_all_patterns_over_match() {
    for src in ["", "   ", "\" \""] {
        let c = cov(src);
        assert_eq!(c.count(Verdict::Always), 18);
        assert!(matches!(c.over_match, OverMatch::Found { .. }), "{src:?}");
    }
}

#[test]
fn source_only_filter_covers_all_and_over_matches_other_organizations_calls() {
    let c = cov(r#"{ $.eventSource = "organizations.amazonaws.com" }"#);
    assert!(c.complete());
    let OverMatch::Found { witness } = &c.over_match else {
        panic!("{:?}", c.over_match)
    };
    assert_eq!(witness["eventSource"], EVENT_SOURCE);
    assert!(!EVENT_NAMES.contains(&witness["eventName"].as_str().unwrap()));
}

#[test]
fn a_filter_for_one_event_matches_only_that_event() {
    // Trivy passes this; it covers one name of 18.
    let c = cov(
        r#"{ $.eventSource = "organizations.amazonaws.com" && $.eventName = "CreateAccount" }"#,
    );
    assert_eq!(c.count(Verdict::Always), 1);
    assert_eq!(c.count(Verdict::Never), 17);
}

#[test]
fn the_wrong_source_never_matches() {
    let c = cov(&PATTERN.replace("organizations.amazonaws.com", "organization.amazonaws.com"));
    assert_eq!(c.count(Verdict::Never), 18);
}

#[test]
fn wildcards_and_not_equal_are_decided_exactly() {
    // `!=` on a field every CloudTrail record has: true unless it equals the value.
    let c = cov(
        r#"{ $.eventSource = "organizations.amazonaws.com" && $.eventType != "AwsServiceEvent" }"#,
    );
    assert_eq!(c.count(Verdict::Sometimes), 18);
    // `!=` on an optional field is false when the field is absent (azul#5884).
    let c = cov(
        r#"{ $.eventSource = "organizations.amazonaws.com" && $.errorCode != "AccessDenied" }"#,
    );
    let e = &c.events[0];
    assert_eq!(e.verdict, Verdict::Sometimes);
    assert!(
        e.non_matching.as_ref().unwrap().get("errorCode").is_none()
            || e.non_matching.as_ref().unwrap()["errorCode"] == "AccessDenied"
    );
    // A glob on the event name.
    let c = cov(r#"{ $.eventSource = "organizations.amazonaws.com" && $.eventName = "*Policy*" }"#);
    let policy = c
        .events
        .iter()
        .filter(|e| e.name.contains("Policy"))
        .count();
    assert_eq!(c.count(Verdict::Always), policy);
    assert_eq!(c.count(Verdict::Never), 18 - policy);
    // `$.*` existential over every top-level field.
    let c = cov(r#"{ $.* = "organizations.amazonaws.com" }"#);
    assert!(c.complete());
    assert!(matches!(c.over_match, OverMatch::Found { .. }));
}

#[test]
fn two_filters_that_cover_the_18_only_together() {
    let (a, b) = EVENT_NAMES.split_at(9);
    let p1 = Pattern::parse(&format!(
        "{{ $.eventSource = {EVENT_SOURCE} && ({}) }}",
        name_clauses(a, true)
    ))
    .unwrap();
    let p2 = Pattern::parse(&format!(
        "{{ $.eventSource = {EVENT_SOURCE} && ({}) }}",
        name_clauses(b, true)
    ))
    .unwrap();
    let class = EventClass::organizations();
    assert_eq!(analyze(&p1, &class).count(Verdict::Always), 9);
    assert!(analyze_union(&[&p1, &p2], &class).complete());
}

#[test]
fn text_patterns_are_sound() {
    // Each event's name is certain text in the record, so a term for the source is `always`.
    let c = cov("organizations.amazonaws.com");
    assert!(c.complete());
    // A term that any record may or may not contain: sometimes, with checked witnesses.
    let c = cov("Root");
    assert_eq!(c.count(Verdict::Sometimes), 18);
    // Excluding the source: never.
    assert_eq!(cov("-organizations").count(Verdict::Never), 18);
    // An anchored regex cannot be proven.
    let c = cov("%^\\{%");
    assert!(c
        .events
        .iter()
        .all(|e| e.verdict != Verdict::Always || e.matching.is_some()));
    // A regex for the name fragment: always.
    assert!(cov("%organizations\\.amazonaws\\.com%").complete());
}
