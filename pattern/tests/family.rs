//! The monitoring family: the reference table against the reference file, and every verbatim text judged
//! by meaning against its control's intent in every version it is printed for.

use orgwatch_pattern::cis;
use orgwatch_pattern::coverage::{analyze, EventClass, OverMatch, Verdict};
use orgwatch_pattern::family::{intent, references::REFERENCES, Benchmark, Control, CONTROLS};
use orgwatch_pattern::Pattern;
use serde_json::Value;

fn reference_file() -> Vec<Value> {
    serde_json::from_str(include_str!("data/cis-monitoring-family.json")).expect("reference file")
}

/// The first ordinary record (other services' routine calls, an organization's routine reads) a pattern
/// matches.
fn ordinary_match(p: &Pattern) -> Option<Value> {
    cis::ordinary_traffic(true)
        .into_iter()
        .map(|(s, n, ro)| cis::ordinary_record(s, n, ro))
        .find(|r| p.matches(&r.to_string()))
}

#[test]
fn the_table_is_the_reference_file_verbatim() {
    let file = reference_file();
    assert_eq!(file.len(), CONTROLS.len());
    let mut count = 0;
    for (entry, control) in file.iter().zip(&CONTROLS) {
        assert_eq!(entry["control"], control.slug);
        assert_eq!(entry["securityhub"].as_str(), control.securityhub);
        assert_eq!(
            entry["uncertain"] == true,
            control.uncertain.is_some(),
            "{}",
            control.slug
        );
        for (version, id) in entry["cis"].as_object().expect("ids") {
            let b = Benchmark::parse(version).expect("version");
            assert_eq!(
                control.cis_id(b).as_deref(),
                id.as_str(),
                "{} {version}",
                control.slug
            );
        }
        for (label, text) in entry["patterns"].as_object().expect("patterns") {
            count += 1;
            assert!(
                REFERENCES.iter().any(|r| r.control == control.slug
                    && r.label == label
                    && Some(r.text) == text.as_str()),
                "{} {label} is not in the table verbatim",
                control.slug
            );
        }
    }
    assert_eq!(
        count,
        REFERENCES.len(),
        "the table has texts the file does not"
    );
}

#[test]
fn every_intent_parses_and_the_facts_too() {
    assert_eq!(
        orgwatch_pattern::coverage::schema::cloudtrail_facts().len(),
        orgwatch_pattern::coverage::schema::CLOUDTRAIL_FACTS.len()
    );
    for c in &CONTROLS {
        for b in Benchmark::ALL {
            let class = c.class(b);
            assert_eq!(
                class.cases.len(),
                intent::case_count(c, b),
                "{} {b}",
                c.slug
            );
            assert!(!class.cases.is_empty());
            for case in &class.cases {
                assert!(
                    class.in_case(case, &case.template),
                    "{} {b}: {}'s template",
                    c.slug,
                    case.name
                );
            }
            for (s, n, ro) in cis::ordinary_traffic(true) {
                let r = cis::ordinary_record(s, n, ro);
                assert!(
                    !class.contains(&r),
                    "{} {b}: ordinary {n} is in the intent",
                    c.slug
                );
            }
        }
    }
}

/// What a verbatim text is expected to come to, where it is not a plain pass.
enum Expect {
    Pass,
    /// Covers the intent but matches ordinary traffic: the alarm could never rearm.
    MatchesOrdinaryTraffic,
    /// Not a valid filter pattern as transcribed.
    DoesNotParse,
}

fn expected(control: &str, label: &str) -> Expect {
    match (control, label) {
        ("unauthorized-api-calls", "v1.3-v1.5") => Expect::MatchesOrdinaryTraffic,
        ("organizations-changes", "v6.0 (Steampipe copy)") => Expect::DoesNotParse,
        _ => Expect::Pass,
    }
}

#[test]
fn every_verbatim_text_passes_for_its_control_and_versions_or_fails_for_its_own_reason() {
    let mut judged = 0;
    for r in REFERENCES {
        let control = Control::find(r.control, Benchmark::LATEST).expect("control");
        let parsed = Pattern::parse(r.text);
        let expect = expected(r.control, r.label);
        if let Expect::DoesNotParse = expect {
            assert!(parsed.is_err(), "{} {} parses", r.control, r.label);
            continue;
        }
        let p = parsed.unwrap_or_else(|e| panic!("{} {}: {e}", r.control, r.label));
        for b in Benchmark::ALL.into_iter().filter(|b| r.applies_to(*b)) {
            if control.cis_id(b).is_none() {
                continue;
            }
            let c = analyze(&p, &control.class(b));
            let missed: Vec<&str> = c
                .events
                .iter()
                .filter(|e| e.verdict != Verdict::Always)
                .map(|e| e.name.as_str())
                .collect();
            assert!(
                missed.is_empty(),
                "{} {} under {b} misses {missed:?}",
                r.control,
                r.label
            );
            let ordinary = ordinary_match(&p);
            match expect {
                Expect::Pass => assert_eq!(ordinary, None, "{} {}", r.control, r.label),
                Expect::MatchesOrdinaryTraffic => assert!(ordinary.is_some()),
                Expect::DoesNotParse => {}
            }
            judged += 1;
        }
    }
    assert!(judged > 100, "{judged}");
}

fn judge(control: &str, b: Benchmark, pattern: &str) -> orgwatch_pattern::coverage::Coverage {
    let control = Control::find(control, b).expect("control");
    analyze(
        &Pattern::parse(pattern).expect("pattern"),
        &control.class(b),
    )
}

#[test]
fn the_v6_security_group_text_is_incomplete_without_modify_security_group_rules_from_v5() {
    let six = REFERENCES
        .iter()
        .find(|r| r.control == "security-group-changes" && r.label == "v1.2-v4.0")
        .expect("text");
    assert!(judge("4.10", Benchmark::V4_0, six.text).complete());
    let c = judge("4.10", Benchmark::V5_0, six.text);
    let never: Vec<&str> = c
        .events
        .iter()
        .filter(|e| e.verdict == Verdict::Never)
        .map(|e| e.name.as_str())
        .collect();
    assert_eq!(never, ["ModifySecurityGroupRules"]);
}

#[test]
fn filters_wrong_in_meaning_that_a_regex_passes_are_caught() {
    // `&&` written `||` in root usage: every root call matched, and ordinary traffic too.
    let or = r#"{ $.userIdentity.type = "Root" || $.userIdentity.invokedBy NOT EXISTS || $.eventType != "AwsServiceEvent" }"#;
    let c = judge("root-account-usage", Benchmark::V5_0, or);
    assert!(c.complete());
    assert!(matches!(c.over_match, OverMatch::Found { .. }));
    assert!(ordinary_match(&Pattern::parse(or).expect("or")).is_some());
    // An added condition that can never hold: never, with a witness.
    let nowhere = r#"{ (($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging)) && ($.awsRegion = "xx-nowhere-1") }"#;
    let c = judge("4.5", Benchmark::V3_0, nowhere);
    assert_eq!(c.count(Verdict::Sometimes), 5, "{c:?}");
    // A look-alike service name.
    let evil = r#"{($.eventSource = kms.amazonaws.com.evil) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }"#;
    assert_eq!(
        judge("CloudWatch.7", Benchmark::V1_2, evil).count(Verdict::Never),
        2
    );
    // `&&` written `||` in the MFA pattern: covers the intent, over-matches every console sign-in.
    let mfa = r#"{ ($.eventName = "ConsoleLogin") || ($.additionalEventData.MFAUsed != "Yes") }"#;
    let c = judge("console-signin-without-mfa", Benchmark::V6_0, mfa);
    assert!(c.complete());
    let OverMatch::Found { witness } = &c.over_match else {
        panic!("{:?}", c.over_match)
    };
    assert!(!EventClass::contains(
        &Control::find("5.2", Benchmark::V6_0)
            .expect("5.2")
            .class(Benchmark::V6_0),
        witness
    ));
}

#[test]
fn predicates_are_judged_by_meaning() {
    // Only one of the two error codes: `AccessDenied…UnauthorizedOperation` is both, so the other case is
    // `sometimes`, and the record it misses is a plain AccessDenied one.
    let c = judge(
        "4.1",
        Benchmark::V5_0,
        r#"{ $.errorCode = "*UnauthorizedOperation" }"#,
    );
    assert_eq!(c.events[0].verdict, Verdict::Always);
    assert_eq!(c.events[1].verdict, Verdict::Sometimes);
    let missed = c.events[1].non_matching.as_ref().expect("witness");
    assert!(!missed["errorCode"]
        .as_str()
        .unwrap_or_default()
        .ends_with("UnauthorizedOperation"));
    // `AccessDenied` without the wildcard misses AccessDeniedException: sometimes, with that witness.
    let c = judge(
        "4.1",
        Benchmark::V5_0,
        r#"{ $.errorCode = "*UnauthorizedOperation" || $.errorCode = "AccessDenied" }"#,
    );
    assert_eq!(c.events[1].verdict, Verdict::Sometimes);
    let missed = c.events[1].non_matching.as_ref().expect("witness");
    assert!(
        missed["errorCode"]
            .as_str()
            .is_some_and(|s| s.starts_with("AccessDenied") && s != "AccessDenied"),
        "{missed}"
    );
    // CloudTrail writes MFAUsed as Yes or No, so `= "No"` means the same as `!= "Yes"`.
    let c = judge(
        "4.2",
        Benchmark::V3_0,
        r#"{ $.eventName = "ConsoleLogin" && $.additionalEventData.MFAUsed = "No" }"#,
    );
    assert!(c.complete(), "{c:?}");
    // `!=` is false on a missing field: reading MFA from a field CloudTrail does not write misses everything.
    let c = judge(
        "4.2",
        Benchmark::V3_0,
        r#"{ $.eventName = "ConsoleLogin" && $.additionalEventData.MFAUsedX != "Yes" }"#,
    );
    assert_eq!(c.events[0].verdict, Verdict::Sometimes);
    // Root usage without the service exclusions over-matches, and still covers.
    let c = judge(
        "4.3",
        Benchmark::V3_0,
        r#"{ $.userIdentity.type = "Root" }"#,
    );
    assert!(c.complete());
    assert!(matches!(c.over_match, OverMatch::Found { .. }));
    // A quoted phrase with a space must be matched whole.
    let c = judge(
        "4.6",
        Benchmark::V3_0,
        r#"{ $.eventName = ConsoleLogin && $.errorMessage = "Failed*" }"#,
    );
    assert!(c.complete());
    let c = judge(
        "4.6",
        Benchmark::V3_0,
        r#"{ $.eventName = ConsoleLogin && $.errorMessage = "Failed" }"#,
    );
    assert_eq!(c.events[0].verdict, Verdict::Never);
}
