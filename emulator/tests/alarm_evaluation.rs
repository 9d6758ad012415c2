//! Alarm evaluation against AWS's documented tables ("How alarm state is evaluated when data is
//! missing"), through the SDK: every row, under every TreatMissingData, with datapoints written by
//! PutMetricData and the alarm evaluated once on the virtual clock.

mod common;

use aws_sdk_cloudwatch::primitives::DateTime;
use aws_sdk_cloudwatch::types::{ComparisonOperator, MetricDatum, StateValue, Statistic};
use common::{default_sdk, emulator, raw};
use orgwatch_emulator::Handle;

const EVAL: f64 = 1_800_000_600.0; // a multiple of 60: the evaluation instant
const TREATS: [&str; 4] = ["missing", "ignore", "breaching", "notBreaching"];

async fn set_clock(h: &Handle, t: f64) {
    let body = format!("{{\"now\": {t}}}");
    let r = raw(
        h,
        "POST",
        "/_orgwatch/clock",
        &[("content-type", "application/json")],
        body.as_bytes(),
    )
    .await;
    assert_eq!(r.status, 200);
}

/// Writes a row such as `0 - X - X` (oldest first; X = 10, 0 = 0, threshold > 5) as the five complete
/// minutes before EVAL, creates one alarm per TreatMissingData, evaluates once, and returns the states.
async fn run_row(h: &Handle, id: usize, n: i32, m: i32, row: &str) -> Vec<StateValue> {
    let cw = aws_sdk_cloudwatch::Client::new(&default_sdk(h).await);
    let metric = format!("row{id}");
    set_clock(h, EVAL - 1.0).await;
    let cells: Vec<&str> = row.split_whitespace().collect();
    let newest = EVAL - 60.0;
    for (k, cell) in cells.iter().enumerate() {
        let value = match *cell {
            "X" => 10.0,
            "0" => 0.0,
            _ => continue,
        };
        let at = newest - (cells.len() - 1 - k) as f64 * 60.0 + 1.0;
        cw.put_metric_data()
            .namespace("Tables")
            .metric_data(
                MetricDatum::builder()
                    .metric_name(&metric)
                    .value(value)
                    .timestamp(DateTime::from_secs(at as i64))
                    .build(),
            )
            .send()
            .await
            .unwrap();
    }
    for t in TREATS {
        cw.put_metric_alarm()
            .alarm_name(format!("{metric}-{t}"))
            .namespace("Tables")
            .metric_name(&metric)
            .statistic(Statistic::Maximum)
            .period(60)
            .evaluation_periods(n)
            .datapoints_to_alarm(m)
            .threshold(5.0)
            .comparison_operator(ComparisonOperator::GreaterThanThreshold)
            .treat_missing_data(t)
            .send()
            .await
            .unwrap();
    }
    set_clock(h, EVAL).await;
    let mut out = Vec::new();
    for t in TREATS {
        let a = cw
            .describe_alarms()
            .alarm_names(format!("{metric}-{t}"))
            .send()
            .await
            .unwrap();
        out.push(a.metric_alarms()[0].state_value().unwrap().clone());
    }
    out
}

use StateValue::{Alarm as A, InsufficientData as I, Ok as O};

/// "Retain current state" is the state the alarm was created in: INSUFFICIENT_DATA.
const R: StateValue = StateValue::InsufficientData;

#[tokio::test]
async fn every_row_of_aws_tables_under_every_treatment() {
    let rows: &[(i32, i32, &str, [StateValue; 4])] = &[
        // Datapoints to Alarm = Evaluation Periods = 3.
        (3, 3, "0 - X - X", [O, O, O, O]),
        (3, 3, "0 - - - -", [O, O, O, O]),
        (3, 3, "- - - - -", [I, R, A, O]),
        (3, 3, "0 X X - X", [A, A, A, A]),
        (3, 3, "- - - - X", [I, R, A, O]),
        (3, 3, "X - - - -", [A, R, A, O]),
        // 2 out of 3.
        (3, 2, "0 - X - X", [A, A, A, A]),
        (3, 2, "0 0 X 0 X", [A, A, A, A]),
        (3, 2, "0 - X - -", [O, O, A, O]),
        (3, 2, "- - - - 0", [O, O, A, O]),
        (3, 2, "- - - - X", [I, R, A, O]),
    ];
    let h = emulator().await;
    for (id, (n, m, row, want)) in rows.iter().enumerate() {
        let got = run_row(&h, id, *n, *m, row).await;
        assert_eq!(
            &got, want,
            "{m} of {n}: `{row}` (missing, ignore, breaching, notBreaching)"
        );
    }
}

#[tokio::test]
async fn reasons_and_reason_data_follow_aws_forms() {
    let h = emulator().await;
    run_row(&h, 0, 3, 3, "- - - - -").await;
    let cw = aws_sdk_cloudwatch::Client::new(&default_sdk(&h).await);
    let get = |name: &'static str| {
        let cw = cw.clone();
        async move {
            let a = cw.describe_alarms().alarm_names(name).send().await.unwrap();
            let a = a.metric_alarms()[0].clone();
            (
                a.state_reason().unwrap().to_string(),
                a.state_reason_data().map(str::to_string),
            )
        }
    };
    assert_eq!(
        get("row0-breaching").await.0,
        "Threshold Crossed: no datapoints were received for 3 periods and 3 missing datapoints were treated as [Breaching]."
    );
    run_row(&h, 1, 3, 2, "0 0 X 0 X").await;
    let (reason, data) = get("row1-missing").await;
    assert_eq!(
        reason,
        "Threshold Crossed: 2 out of the last 3 datapoints [10.0 (15/01/27 08:09:00), 10.0 (15/01/27 08:07:00)] were greater than the threshold (5.0) (minimum 2 datapoints for OK -> ALARM transition)."
    );
    let data: serde_json::Value = serde_json::from_str(&data.unwrap()).unwrap();
    assert_eq!(
        data["recentDatapoints"],
        serde_json::json!([10.0, 0.0, 10.0])
    );
    assert_eq!(data["statistic"], "Maximum");
    assert_eq!(data["queryDate"], "2027-01-15T08:10:00.000+0000");
}

#[tokio::test]
async fn an_alarm_recovers_or_stays_as_its_treatment_says() {
    // One breaching minute, then quiet: notBreaching → OK, missing → INSUFFICIENT_DATA, ignore and
    // breaching stay in ALARM (so a later event would notify nobody).
    let h = emulator().await;
    let states = run_row(&h, 0, 1, 1, "- - - - X").await;
    assert_eq!(states, [A, A, A, A]);
    set_clock(&h, EVAL + 600.0).await;
    let cw = aws_sdk_cloudwatch::Client::new(&default_sdk(&h).await);
    let mut after = Vec::new();
    for t in TREATS {
        let a = cw
            .describe_alarms()
            .alarm_names(format!("row0-{t}"))
            .send()
            .await
            .unwrap();
        after.push(a.metric_alarms()[0].state_value().unwrap().clone());
    }
    assert_eq!(after, [I, A, A, O]);
    let a = cw
        .describe_alarms()
        .alarm_names("row0-missing")
        .send()
        .await
        .unwrap();
    assert_eq!(
        a.metric_alarms()[0].state_reason(),
        Some("Insufficient Data: 1 datapoint was unknown.")
    );
}
