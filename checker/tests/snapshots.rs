//! The text and JSON reports, pinned with insta: the compliant configuration and characteristic failures.

mod setup;

use orgwatch_pattern::cis;
use setup::Env;

async fn pin(name: &str, e: &Env) {
    let r = e.report().await;
    insta::assert_snapshot!(format!("{name}.text"), r.to_text(None));
    insta::assert_json_snapshot!(format!("{name}.json"), r);
}

#[tokio::test]
async fn compliant() {
    let e = Env::compliant().await;
    pin("compliant", &e).await;
}

#[tokio::test]
async fn one_name_missing_and_pending_subscription() {
    let e = Env::compliant().await;
    let pattern = cis::PATTERN.replace(r#"($.eventName = "MoveAccount") || "#, "");
    e.put_filter(
        "organizations_changes",
        &pattern,
        "organizations_changes",
        "CISBenchmark",
        "1",
    )
    .await;
    e.only_pending_subscription().await;
    pin("one-name-missing-pending-subscription", &e).await;
}

#[tokio::test]
async fn stopped_single_region_trail_and_disabled_alarm() {
    let e = Env::compliant().await;
    e.trail()
        .update_trail()
        .name("org-trail")
        .is_multi_region_trail(false)
        .send()
        .await
        .unwrap();
    e.trail()
        .stop_logging()
        .name("org-trail")
        .send()
        .await
        .unwrap();
    e.cw()
        .disable_alarm_actions()
        .alarm_names("organizations_changes")
        .send()
        .await
        .unwrap();
    pin("stopped-trail-disabled-alarm", &e).await;
}

#[tokio::test]
async fn no_trail() {
    let e = Env::new().await;
    pin("no-trail", &e).await;
}
