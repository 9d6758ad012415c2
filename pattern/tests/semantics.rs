//! One test per disputed reading in `semantics.rs`: if a probe against real AWS ever flips a reading, the
//! test that names it is the one to change.

use orgwatch_pattern::{semantics, Pattern};

fn m(p: &str, e: &str) -> bool {
    Pattern::parse(p)
        .unwrap_or_else(|err| panic!("{p}: {}", err.render(p)))
        .matches(e)
}

#[test]
fn quoted_blank_alone_matches_everything() {
    assert!(m("\" \"", "no space here"));
    assert!(m("", "x") && m("   ", "x"));
    assert!(
        !m("\" \" x", "nospace-x"),
        "a blank phrase with other terms is a phrase"
    );
}

#[test]
fn optional_terms_are_ignored_beside_plain_terms() {
    const { assert!(semantics::OPTIONAL_TERMS_IGNORED_WITH_REQUIRED) };
    assert!(m(
        "?ERROR ?ARGUMENTS REQUEST",
        "[WARN] UNAUTHORIZED REQUEST"
    ));
    assert!(m("?a -b", "a") && !m("?a -b", "a b") && !m("?a -b", "c"));
    assert!(m("-a -b", "c") && !m("-a -b", "b"));
}

#[test]
fn unquoted_operators_split_words() {
    const { assert!(semantics::UNQUOTED_OPERATORS_SPLIT) };
    assert!(
        !m("request-id-123", "request-id-123"),
        "request AND NOT id AND NOT 123"
    );
    assert!(m("request-id", "request only"));
    assert!(m("\"request-id-123\"", "x request-id-123 y"));
    assert!(m("foo.bar", "a foo.bar b") && m("a:b", "xa:by"));
}

#[test]
fn mid_string_star_is_a_wildcard() {
    const { assert!(semantics::MID_STRING_STAR_IS_WILDCARD) };
    assert!(m("{ $.a = Ev*ent }", r#"{"a":"EvXent"}"#));
    assert!(
        m(r#"{ $.a = "Ev\*ent" }"#, r#"{"a":"Ev*ent"}"#)
            && !m(r#"{ $.a = "Ev\*ent" }"#, r#"{"a":"EvXent"}"#)
    );
}

#[test]
fn quoted_and_unquoted_values_are_the_same() {
    const { assert!(semantics::UNQUOTED_VALUES_MAY_HOLD_PUNCTUATION) };
    let e = r#"{"s":"kms.amazonaws.com"}"#;
    assert!(m("{ $.s = kms.amazonaws.com }", e) && m(r#"{ $.s = "kms.amazonaws.com" }"#, e));
    assert!(
        Pattern::parse("{ $.s = 'x' }").is_err(),
        "single quotes are not valid"
    );
}

#[test]
fn last_delimited_field_absorbs_the_rest() {
    const { assert!(semantics::LAST_FIELD_ABSORBS_REST) };
    let p = Pattern::parse("[w1=ERROR, w2]").unwrap();
    let got = p.extract("ERROR WARN message").unwrap();
    assert_eq!(got.get("$w2").map(String::as_str), Some("WARN message"));
    assert!(!m("[a, b, c]", "x y"), "fewer fields never match");
}

#[test]
fn test_metric_filter_counts_from_one() {
    let p = Pattern::parse("x").unwrap();
    let got = p.test_messages(&["x", "y", "x"]);
    let numbers: Vec<u64> = got.iter().map(|m| m.event_number).collect();
    assert_eq!(
        numbers,
        vec![
            semantics::TEST_METRIC_FILTER_FIRST_EVENT_NUMBER,
            semantics::TEST_METRIC_FILTER_FIRST_EVENT_NUMBER + 2
        ]
    );
    assert_eq!(semantics::TEST_METRIC_FILTER_FIRST_EVENT_NUMBER, 1);
}

#[test]
fn default_value_is_emitted_per_non_matching_event() {
    assert_eq!(
        semantics::DEFAULT_VALUE_EMISSION,
        semantics::DefaultValueEmission::PerNonMatchingEvent
    );
    assert!(semantics::DIMENSIONS_WITH_DEFAULT_VALUE_ERROR.contains("mutually exclusive"));
}

#[test]
fn json_extracted_values_are_empty() {
    const { assert!(semantics::JSON_EXTRACTED_VALUES_EMPTY) };
    let p = Pattern::parse("{ $.a = 1 }").unwrap();
    assert_eq!(p.extract(r#"{"a":1}"#), Some(Default::default()));
}

#[test]
fn a_json_pattern_needs_one_json_object() {
    const { assert!(semantics::JSON_MESSAGE_MUST_BE_OBJECT) };
    assert!(!m("{ $.a = 1 }", r#"2024 INFO {"a":1}"#));
    assert!(!m("{ $.a NOT EXISTS }", "[1]"));
    assert!(
        m("{ $.a = 2 }", r#"{"a":1,"a":2}"#),
        "the last duplicate wins"
    );
}

#[test]
fn keywords_are_case_insensitive() {
    const { assert!(semantics::KEYWORDS_CASE_INSENSITIVE) };
    assert!(m("{ $.a is null }", r#"{"a":null}"#) && m("{ $.b not exists }", r#"{"a":1}"#));
}

#[test]
fn typing_rules() {
    // Numbers compare with numbers by value, strings with strings; a lone * matches strings and numbers.
    assert!(m("{ $.x = 1000 }", r#"{"x":1e3}"#));
    assert!(!m("{ $.x = 400 }", r#"{"x":"400"}"#) && !m(r#"{ $.x = "400" }"#, r#"{"x":400}"#));
    assert!(!m("{ $.x > 5 }", r#"{"x":"7"}"#));
    assert!(
        m("{ $.x = * }", r#"{"x":50}"#)
            && m("{ $.x = * }", r#"{"x":"s"}"#)
            && !m("{ $.x = * }", r#"{"x":null}"#)
    );
    // != is false on a missing field, null, booleans, objects and arrays.
    for e in [
        r#"{}"#,
        r#"{"x":null}"#,
        r#"{"x":true}"#,
        r#"{"x":{}}"#,
        r#"{"x":[1]}"#,
    ] {
        assert!(!m(r#"{ $.x != "v" }"#, e), "{e}");
    }
    // Booleans answer IS TRUE/IS FALSE only; `= true` is the string "true".
    assert!(
        m("{ $.x IS TRUE }", r#"{"x":true}"#)
            && !m("{ $.x = true }", r#"{"x":true}"#)
            && m("{ $.x = true }", r#"{"x":"true"}"#)
    );
    assert!(!m("{ $.x IS TRUE }", r#"{"x":"true"}"#));
}

#[test]
fn wildcards_are_existential_and_not_exists_means_nothing_reached() {
    const { assert!(semantics::WILDCARDS_ARE_EXISTENTIAL) };
    assert!(m(r#"{ $.a[*] != "v" }"#, r#"{"a":["v","w"]}"#));
    assert!(!m(r#"{ $.a[*] != "v" }"#, r#"{"a":["v"]}"#));
    assert!(
        m("{ $.a[*] NOT EXISTS }", r#"{"a":[]}"#) && !m("{ $.a[*] NOT EXISTS }", r#"{"a":[1]}"#)
    );
    assert!(
        !m("{ $.x NOT EXISTS }", r#"{"x":null}"#),
        "a null field exists"
    );
}
