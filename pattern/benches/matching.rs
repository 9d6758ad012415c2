//! Throughput of the CIS Organizations pattern over realistic CloudTrail records, against the naive
//! approach (a full `serde_json::Value` parse, then evaluation), and the analyzer's time on the CIS pattern.
//!
//! `cargo bench -p orgwatch-pattern --bench matching`; criterion prints MiB/s for each corpus.

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use orgwatch_pattern::cis::{EVENT_NAMES, PATTERN};
use orgwatch_pattern::coverage::{analyze, EventClass};
use orgwatch_pattern::eval::Program;
use orgwatch_pattern::family::{Benchmark, CONTROLS};
use orgwatch_pattern::Pattern;
use serde_json::json;

/// A small deterministic generator (no dependency, stable across runs).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[(self.next() as usize) % xs.len()]
    }
}

/// A CloudTrail record of 1–2 KB, as CloudTrail writes it to CloudWatch Logs (compact JSON).
fn record(rng: &mut Lcg, org_share: u64) -> String {
    let (source, name) = if rng.next() % 100 < org_share {
        ("organizations.amazonaws.com", rng.pick(&EVENT_NAMES))
    } else {
        let s = rng.pick(&[
            "ec2.amazonaws.com",
            "s3.amazonaws.com",
            "iam.amazonaws.com",
            "sts.amazonaws.com",
            "kms.amazonaws.com",
            "lambda.amazonaws.com",
        ]);
        (
            s,
            rng.pick(&[
                "DescribeInstances",
                "GetObject",
                "AssumeRole",
                "Decrypt",
                "ListFunctions",
                "PutObject",
                "CreateRole",
                "RunInstances",
            ]),
        )
    };
    let n = rng.next();
    let tags: Vec<_> = (0..(n % 12))
        .map(|i| json!({"key": format!("tag-{i}"), "value": format!("value-{}", rng.next())}))
        .collect();
    json!({
        "eventVersion": "1.11",
        "userIdentity": {
            "type": rng.pick(&["AssumedRole", "IAMUser", "Root", "AWSService"]),
            "principalId": format!("AROA{:016X}:session-{}", n, n % 977),
            "arn": format!("arn:aws:sts::{:012}:assumed-role/Role{}/session", n % 1_000_000_000_000, n % 37),
            "accountId": format!("{:012}", n % 1_000_000_000_000),
            "accessKeyId": format!("ASIA{:016X}", n.rotate_left(7)),
            "sessionContext": {"sessionIssuer": {"type": "Role", "principalId": format!("AROA{:016X}", n), "arn": format!("arn:aws:iam::{:012}:role/Role{}", n % 1_000_000_000_000, n % 37), "accountId": format!("{:012}", n % 1_000_000_000_000), "userName": format!("Role{}", n % 37)}, "attributes": {"creationDate": "2026-11-27T01:00:00Z", "mfaAuthenticated": "false"}}
        },
        "eventTime": "2026-11-27T01:02:03Z",
        "eventSource": source,
        "eventName": name,
        "awsRegion": rng.pick(&["us-east-1", "eu-west-1", "ap-southeast-2"]),
        "sourceIPAddress": format!("203.0.113.{}", n % 255),
        "userAgent": rng.pick(&["aws-cli/2.17.0 md/Botocore#1.35.0 ua/2.0 os/linux#6.1 md/arch#x86_64 lang/python#3.11.9", "aws-sdk-rust/1.3.0 os/linux lang/rust/1.80.0", "console.amazonaws.com"]),
        "requestParameters": {"resourceArn": format!("arn:aws:s3:::bucket-{}/path/to/object-{}.json", n % 91, n), "tags": tags, "filters": [{"name": "instance-state-name", "values": ["running", "stopped"]}]},
        "responseElements": null,
        "requestID": format!("{:08x}-0000-4000-8000-{:012x}", n as u32, n),
        "eventID": format!("{:08x}-1111-4000-8000-{:012x}", (n >> 3) as u32, n),
        "readOnly": n.is_multiple_of(3),
        "eventType": "AwsApiCall",
        "managementEvent": true,
        "recipientAccountId": format!("{:012}", n % 1_000_000_000_000),
        "eventCategory": "Management",
        "tlsDetails": {"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256", "clientProvidedHostHeader": format!("{source}")}
    })
    .to_string()
}

fn corpus(org_share: u64) -> Vec<String> {
    let mut rng = Lcg(42);
    (0..4000).map(|_| record(&mut rng, org_share)).collect()
}

fn matching(c: &mut Criterion) {
    let p = Pattern::parse(PATTERN).expect("CIS pattern parses");
    let Program::Json(json) = p.program() else {
        panic!("CIS pattern is JSON")
    };
    let mut g = c.benchmark_group("cis-pattern");
    for (label, share) in [("5pct-org", 5u64), ("all-org", 100)] {
        let events = corpus(share);
        let bytes: usize = events.iter().map(String::len).sum();
        eprintln!(
            "{label}: {} records, mean {} bytes",
            events.len(),
            bytes / events.len()
        );
        g.throughput(Throughput::Bytes(bytes as u64));
        g.bench_with_input(BenchmarkId::new("lazy", label), &events, |b, ev| {
            b.iter(|| ev.iter().filter(|e| p.matches(black_box(e))).count())
        });
        g.bench_with_input(
            BenchmarkId::new("naive-serde-value", label),
            &events,
            |b, ev| {
                b.iter(|| {
                    ev.iter()
                        .filter(|e| json.matches_tree(black_box(e)))
                        .count()
                })
            },
        );
        // The two must agree on the whole corpus.
        assert_eq!(
            events.iter().filter(|e| p.matches(e)).count(),
            events.iter().filter(|e| json.matches_tree(e)).count()
        );
    }
    g.finish();
}

fn analyzer(c: &mut Criterion) {
    let p = Pattern::parse(PATTERN).expect("CIS pattern parses");
    let class = EventClass::organizations();
    c.bench_function("analyze-cis-pattern", |b| {
        b.iter(|| analyze(black_box(&p), &class))
    });
}

/// Each control of the family, its v6.0 reference filter against its intent (the goal is under 5 ms a
/// control; the class is built outside the loop, as `check --control` builds it once per control).
fn family(c: &mut Criterion) {
    let mut g = c.benchmark_group("analyze-family-v6.0");
    for control in &CONTROLS {
        let p = Pattern::parse(control.fix_pattern(Benchmark::V6_0)).expect("reference parses");
        let class = control.class(Benchmark::V6_0);
        assert!(analyze(&p, &class).complete(), "{}", control.slug);
        g.bench_function(control.slug, |b| b.iter(|| analyze(black_box(&p), &class)));
    }
    g.finish();
}

criterion_group!(benches, matching, analyzer, family);
criterion_main!(benches);
