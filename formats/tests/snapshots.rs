//! Every format, pinned with insta for three catalogue scenarios (compliant, a filter missing an event,
//! a topic with no confirmed subscription) and for a drill; the time and version are fixed, and the
//! values a run makes up (the organization id; for the drill its endpoint and duration) are
//! masked in the report before rendering.

use orgwatch_formats::{render, Format, Meta, Subject};
use orgwatch_scenarios::{boot_catalogue, snapshot::mask};

fn meta() -> Meta {
    Meta {
        time: time::macros::datetime!(2026-12-02 09:30:00 UTC),
        tool_version: "0.1.0".into(),
    }
}

async fn check(name: &str) -> orgwatch_checker::Report {
    let b = boot_catalogue(name).await.expect("boots");
    let (_, mut report) = orgwatch_checker::check_config(&b.sdk, false).await;
    let _ = b.emulator.shutdown().await;
    report.organization = mask(&report.organization);
    report
}

fn pin_all(name: &str, subject: &Subject<'_>) {
    for f in Format::ALL {
        insta::assert_snapshot!(
            format!("{name}.{}", f.extension()),
            render(*f, subject, &meta())
        );
    }
}

#[tokio::test]
async fn compliant() {
    let r = check("compliant-as-the-control-prints-it").await;
    assert_eq!(r.status.as_str(), "PASS");
    pin_all(
        "compliant",
        &Subject::Check {
            report: &r,
            calls: None,
            terraform: None,
        },
    );
}

#[tokio::test]
async fn filter_incomplete() {
    let r = check("pattern-one-name-missing").await;
    assert_eq!(r.reasons(), ["filter-incomplete"]);
    pin_all(
        "filter-incomplete",
        &Subject::Check {
            report: &r,
            calls: None,
            terraform: None,
        },
    );
}

#[tokio::test]
async fn topic_without_confirmed_subscription() {
    let r = check("subscription-pending").await;
    assert_eq!(r.reasons(), ["topic-no-confirmed-subscription"]);
    pin_all(
        "topic-without-confirmed-subscription",
        &Subject::Check {
            report: &r,
            calls: None,
            terraform: None,
        },
    );
}

#[tokio::test]
async fn drill_of_the_compliant_chain() {
    // On a virtual clock from a fixed time, the drill's times are the same every run.
    let mut s = orgwatch_scenarios::catalogue("compliant-as-the-control-prints-it")
        .expect("in the catalogue");
    s.given.clock = Some(orgwatch_scenarios::steps::DEFAULT_CLOCK.into());
    let b = orgwatch_scenarios::boot(&s).await.expect("boots");
    let mut d = orgwatch_drill::drill(&b.emulator.endpoint, &b.sdk)
        .await
        .expect("drills");
    let _ = b.emulator.shutdown().await;
    assert!(d.passed(), "{}", d.to_text());
    d.endpoint = "http://127.0.0.1:<port>".into();
    d.elapsed_seconds = 0.0;
    pin_all("drill-compliant", &Subject::Drill(&d));
}
