//! Raw requests exactly as real clients sent them (copied from `shared/reference/captures/`: the AWS SDK
//! for Rust and the AWS CLI), replayed byte for byte: every one must succeed.

mod common;

use std::path::Path;

/// A captured request: the request line, its headers and its body.
type Capture = (String, Vec<(String, String)>, Vec<u8>);

fn captures() -> Vec<Capture> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/captures");
    let mut out = Vec::new();
    for client in ["rust-sdk", "aws-cli"] {
        let mut files: Vec<_> = std::fs::read_dir(root.join(client))
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        files.sort();
        for txt in files {
            let text = std::fs::read_to_string(&txt).unwrap();
            let mut lines = text.lines();
            let request_line = lines.next().unwrap().to_string();
            let headers: Vec<(String, String)> = lines
                .take_while(|l| !l.is_empty())
                .filter_map(|l| l.split_once(':'))
                .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
                .filter(|(k, _)| k != "host" && k != "content-length")
                .collect();
            let body = std::fs::read(txt.with_extension("body")).unwrap_or_default();
            out.push((request_line, headers, body));
        }
    }
    out
}

#[tokio::test]
async fn every_captured_request_is_served() {
    let h = common::emulator().await;
    // DescribeOrganization needs an organization; TestMetricFilter and the rest need nothing.
    let r = common::raw(
        &h,
        "POST",
        "/_orgwatch/organizations",
        &[("content-type", "application/json")],
        br#"{"account":"123456789012","role":"management"}"#,
    )
    .await;
    assert_eq!(r.status, 200);
    // The captured DescribeMetricFilters calls name this group; AWS answers ResourceNotFoundException without it.
    let auth = common::auth("logs");
    let r = common::raw(
        &h,
        "POST",
        "/",
        &[
            ("x-amz-target", "Logs_20140328.CreateLogGroup"),
            ("content-type", "application/x-amz-json-1.1"),
            ("authorization", &auth),
        ],
        br#"{"logGroupName":"CloudTrail/DefaultLogGroup"}"#,
    )
    .await;
    assert_eq!(r.status, 200);
    let all = captures();
    assert!(all.len() >= 14, "{} captures", all.len());
    for (line, headers, body) in all {
        let mut parts = line.split(' ');
        let (method, path) = (parts.next().unwrap(), parts.next().unwrap());
        let hs: Vec<(&str, &str)> = headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let r = common::raw(&h, method, path, &hs, &body).await;
        assert_eq!(r.status, 200, "{line}: {}", r.text());
    }
}
