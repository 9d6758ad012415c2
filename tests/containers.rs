//! orgwatch as a container: the image `./build-image.sh` builds, started by the testcontainers module
//! (`orgwatch-testcontainers`) or by the Docker command line, and used as a CI job would use it: the AWS
//! SDK for Rust builds a chain in it, the checker (the library) judges it, the drill fires through its
//! admin API to a queue inside it and to an HTTP subscriber on this host reached by host name; Terraform
//! applies a stack to it; init scenarios are there at `Ready.` (a broken one stops it, never `Ready.`);
//! its state survives `docker kill`; two containers are isolated; `docker stop` ends it at once.
//!
//! A machine without a Docker engine or without the image says `SKIPPED` and why on stderr; with
//! `ORGWATCH_REQUIRE_CONTAINERS=1` (CI) that fails instead.

use orgwatch_testcontainers::{admin, endpoint_url, sdk_config, start, Orgwatch};
use std::path::{Path, PathBuf};
use testcontainers::core::Host;
use testcontainers::ImageExt;

mod common;
#[path = "common/engine.rs"]
mod engine;
#[path = "common/terraform.rs"]
mod terraform;

fn catalogue(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(format!("{name}.json"))
}

/// A folder the container's user (uid 65532) can read, holding one file.
fn init_folder(file: &str, text: &str) -> tempfile::TempDir {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("a folder");
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let path = dir.path().join(file);
    std::fs::write(&path, text).expect("written");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    dir
}

/// Notifications an HTTP subscriber on this host received: each POST's body, answered 200.
async fn http_subscriber() -> (u16, tokio::sync::mpsc::UnboundedReceiver<String>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("0.0.0.0:0")
        .await
        .expect("bound");
    let port = listener.local_addr().expect("an address").port();
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        loop {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            let tx = tx.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 8192];
                // One request per connection: read the head, then Content-Length bytes of body.
                loop {
                    let Ok(n) = stream.read(&mut chunk).await else {
                        return;
                    };
                    if n == 0 {
                        return;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    let text = String::from_utf8_lossy(&buf).into_owned();
                    let Some(end) = text.find("\r\n\r\n") else {
                        continue;
                    };
                    let length = text[..end]
                        .lines()
                        .find_map(|l| {
                            let (k, v) = l.split_once(':')?;
                            k.eq_ignore_ascii_case("content-length")
                                .then(|| v.trim().parse::<usize>().ok())?
                        })
                        .unwrap_or(0);
                    if buf.len() >= end + 4 + length {
                        let body =
                            String::from_utf8_lossy(&buf[end + 4..end + 4 + length]).into_owned();
                        let _ = stream
                            .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
                            .await;
                        let _ = tx.send(body);
                        return;
                    }
                }
            });
        }
    });
    (port, rx)
}

/// Whether a body is an SNS notification (the envelope SNS sends to HTTP and SQS subscribers) whose
/// message is CloudWatch's alarm message for a change to ALARM.
fn is_alarm_notification(body: &str) -> bool {
    let Ok(envelope) = serde_json::from_str::<serde_json::Value>(body) else {
        return false;
    };
    let message = envelope["Message"].as_str().unwrap_or_default();
    envelope["Type"] == "Notification"
        && serde_json::from_str::<serde_json::Value>(message)
            .is_ok_and(|m| m["NewStateValue"] == "ALARM")
}

/// One GET, its body (whatever the status).
async fn get(url: &str) -> Vec<u8> {
    use http_body_util::BodyExt;
    let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .build_http::<http_body_util::Empty<bytes::Bytes>>();
    let response = client
        .get(url.parse().expect("a URL"))
        .await
        .unwrap_or_else(|e| panic!("{url}: {e}"));
    response
        .into_body()
        .collect()
        .await
        .expect("a body")
        .to_bytes()
        .to_vec()
}

/// `orgwatch ARGS` as a CI job runs it against the container: test credentials in the environment.
fn orgwatch_against(args: &[&str]) -> (i32, String, String) {
    common::orgwatch_with_env(
        args,
        &[
            ("AWS_ACCESS_KEY_ID", "test"),
            ("AWS_SECRET_ACCESS_KEY", "test"),
            ("AWS_REGION", "us-east-1"),
        ],
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sdk_builds_a_chain_the_checker_passes_and_the_drill_reaches_a_queue_and_this_host() {
    if !engine::ready(
        "the_sdk_builds_a_chain_the_checker_passes_and_the_drill_reaches_a_queue_and_this_host",
    ) {
        return;
    }
    let container = start(
        Orgwatch::default()
            .with_auto_confirm()
            .with_host("host.docker.internal", Host::HostGateway),
    )
    .await
    .expect("the container starts");
    let endpoint = endpoint_url(&container).await.expect("an endpoint");
    let conf = sdk_config(&container).await.expect("an SDK configuration");
    // The chain, made through the AWS APIs by the SDK: a queue inside the container is its subscriber,
    // with the policy AWS's SNS guide gives so the topic may send to it.
    let topic = "arn:aws:sns:us-east-1:123456789012:cis-alarms";
    let sqs = aws_sdk_sqs::Client::new(&conf);
    let policy = serde_json::json!({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"},
        "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:us-east-1:123456789012:security-alerts",
        "Condition": {"ArnEquals": {"aws:SourceArn": topic}}
    }]});
    let queue = sqs
        .create_queue()
        .queue_name("security-alerts")
        .attributes(
            aws_sdk_sqs::types::QueueAttributeName::Policy,
            policy.to_string(),
        )
        .send()
        .await
        .expect("the queue")
        .queue_url
        .expect("a URL");
    let scenario = orgwatch_scenarios::load(&catalogue("subscription-sqs")).expect("a scenario");
    orgwatch_scenarios::apply::apply(&endpoint, &scenario)
        .await
        .expect("the SDK builds the chain");
    // And an HTTP subscriber on this host, reached by host name from inside the container.
    let (port, mut received) = http_subscriber().await;
    let sns = aws_sdk_sns::Client::new(&conf);
    sns.subscribe()
        .topic_arn(topic)
        .protocol("http")
        .endpoint(format!("http://host.docker.internal:{port}/alarms"))
        .send()
        .await
        .expect("subscribed");

    let (_, report) = orgwatch_checker::check_config(&conf, false).await;
    assert_eq!(report.status.as_str(), "PASS", "{:?}", report.reasons());

    let drill = orgwatch_drill::drill(&endpoint, &conf)
        .await
        .expect("the drill runs");
    assert_eq!(drill.status, "PASS");
    assert_eq!(drill.notified, 18, "every event notified");

    // The queue holds an ALARM notification per event.
    let mut alarms = 0;
    loop {
        let batch = sqs
            .receive_message()
            .queue_url(&queue)
            .max_number_of_messages(10)
            .send()
            .await
            .expect("received");
        let messages = batch.messages();
        if messages.is_empty() {
            break;
        }
        alarms += messages
            .iter()
            .filter(|m| m.body().is_some_and(is_alarm_notification))
            .count();
        for m in messages {
            sqs.delete_message()
                .queue_url(&queue)
                .receipt_handle(m.receipt_handle().unwrap_or_default())
                .send()
                .await
                .expect("deleted");
        }
    }
    assert!(alarms >= 18, "{alarms} ALARM notifications in the queue");

    // The host subscriber: the same notifications, POSTed by the container to host.docker.internal.
    let mut host_alarms = 0;
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(30);
    while host_alarms < 18 {
        match tokio::time::timeout_at(deadline, received.recv()).await {
            Ok(Some(body)) if is_alarm_notification(&body) => host_alarms += 1,
            Ok(Some(_)) => {}
            _ => break,
        }
    }
    assert!(
        host_alarms >= 18,
        "{host_alarms} ALARM notifications reached this host"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_init_scenario_is_there_at_ready() {
    if !engine::ready("an_init_scenario_is_there_at_ready") {
        return;
    }
    let container =
        start(Orgwatch::default().with_scenario(catalogue("compliant-as-the-control-prints-it")))
            .await
            .expect("the container starts");
    // Asked the moment `Ready.` was printed: the configuration is whole.
    let conf = sdk_config(&container).await.expect("an SDK configuration");
    let (_, report) = orgwatch_checker::check_config(&conf, false).await;
    assert_eq!(report.status.as_str(), "PASS", "{:?}", report.reasons());
    let health = admin(&container)
        .await
        .expect("admin")
        .health()
        .await
        .expect("health");
    assert_eq!(health.status, "ready");
}

#[test]
fn a_broken_init_scenario_stops_the_container_with_the_file_line_and_reason() {
    if !engine::ready("a_broken_init_scenario_stops_the_container_with_the_file_line_and_reason") {
        return;
    }
    let dir = init_folder(
        "broken.json",
        "{\n  \"name\": \"broken\",\n  \"given\": {\"accounts\": [}\n}\n",
    );
    let out = engine::docker_command()
        .args(["run", "--rm", "-v"])
        .arg(format!("{}:/etc/orgwatch/init:ro", dir.path().display()))
        .arg(engine::image())
        .output()
        .expect("docker runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(2),
        "stdout: {stdout}\nstderr: {stderr}"
    );
    assert!(!stdout.contains("Ready."), "never Ready.: {stdout}");
    assert!(
        stderr.contains("/etc/orgwatch/init/broken.json:3:"),
        "the file and line on stderr: {stderr}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_container_loses_nothing_it_answered() {
    if !engine::ready("a_killed_container_loses_nothing_it_answered") {
        return;
    }
    let volume = format!("orgwatch-test-state-{}", std::process::id());
    let image = Orgwatch::default().with_state_volume(&volume);
    let first = start(image.clone()).await.expect("the container starts");
    let logs = aws_sdk_cloudwatchlogs::Client::new(&sdk_config(&first).await.expect("SDK"));
    let names: Vec<String> = (0..25).map(|i| format!("kept-{i:02}")).collect();
    for name in &names {
        logs.create_log_group()
            .log_group_name(name)
            .send()
            .await
            .expect("created");
    }
    // No chance to save: SIGKILL.
    engine::docker(&["kill", first.id()]).expect("killed");
    first.rm().await.expect("removed");

    let second = start(image)
        .await
        .expect("a new container on the same volume");
    let logs = aws_sdk_cloudwatchlogs::Client::new(&sdk_config(&second).await.expect("SDK"));
    let groups = logs
        .describe_log_groups()
        .log_group_name_prefix("kept-")
        .send()
        .await
        .expect("listed");
    let found: Vec<String> = groups
        .log_groups()
        .iter()
        .filter_map(|g| g.log_group_name().map(str::to_string))
        .collect();
    second.rm().await.expect("removed");
    engine::docker(&["volume", "rm", &volume]).expect("the volume removed");
    assert_eq!(found, names);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_containers_are_isolated() {
    if !engine::ready("two_containers_are_isolated") {
        return;
    }
    let (a, b) = tokio::join!(start(Orgwatch::default()), start(Orgwatch::default()));
    let (a, b) = (a.expect("a starts"), b.expect("b starts"));
    assert_ne!(
        endpoint_url(&a).await.expect("a"),
        endpoint_url(&b).await.expect("b")
    );
    let sns_a = aws_sdk_sns::Client::new(&sdk_config(&a).await.expect("SDK"));
    let sns_b = aws_sdk_sns::Client::new(&sdk_config(&b).await.expect("SDK"));
    sns_a
        .create_topic()
        .name("only-in-a")
        .send()
        .await
        .expect("created");
    let in_a = sns_a.list_topics().send().await.expect("listed");
    let in_b = sns_b.list_topics().send().await.expect("listed");
    assert_eq!(in_a.topics().len(), 1);
    assert!(in_b.topics().is_empty(), "{:?}", in_b.topics());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn docker_stop_ends_it_by_sigterm_and_it_reports_healthy_both_ways() {
    if !engine::ready("docker_stop_ends_it_by_sigterm_and_it_reports_healthy_both_ways") {
        return;
    }
    let container = start(Orgwatch::default())
        .await
        .expect("the container starts");
    let endpoint = endpoint_url(&container).await.expect("an endpoint");
    // LocalStack's health route, as other languages' LocalStack modules poll it.
    let health: serde_json::Value =
        serde_json::from_slice(&get(&format!("{endpoint}/_localstack/health")).await)
            .expect("JSON");
    for service in ["cloudtrail", "logs", "cloudwatch", "sns", "sqs", "sts"] {
        assert_eq!(health["services"][service], "running", "{health}");
    }
    // The image's own HEALTHCHECK (the binary asking itself) turns the container healthy.
    let mut status = String::new();
    for _ in 0..100 {
        status = engine::docker(&[
            "inspect",
            "--format",
            "{{.State.Health.Status}}",
            container.id(),
        ])
        .expect("inspected");
        if status == "healthy" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(status, "healthy");
    // A long poll in flight must not hold the stop up: SIGTERM ends it, exit 0 (a SIGKILL would be 137).
    let sqs = aws_sdk_sqs::Client::new(&sdk_config(&container).await.expect("SDK"));
    let queue = sqs
        .create_queue()
        .queue_name("waiting")
        .send()
        .await
        .expect("queue");
    let url = queue.queue_url().unwrap_or_default().to_string();
    let poll = tokio::spawn(async move {
        let _ = sqs
            .receive_message()
            .queue_url(url)
            .wait_time_seconds(20)
            .send()
            .await;
    });
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    engine::docker(&["stop", "--time", "10", container.id()]).expect("stopped");
    let code = engine::docker(&["inspect", "--format", "{{.State.ExitCode}}", container.id()])
        .expect("inspected");
    assert_eq!(code, "0", "ended by its own SIGTERM handling, not killed");
    poll.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn terraform_applies_a_full_stack_to_the_container_replans_empty_and_destroys_it() {
    let test = "terraform_applies_a_full_stack_to_the_container_replans_empty_and_destroys_it";
    if !engine::ready(test) || !terraform::ready(test) {
        return;
    }
    let container = start(Orgwatch::default().with_auto_confirm())
        .await
        .expect("the container starts");
    let endpoint = endpoint_url(&container).await.expect("an endpoint");
    // A copy: Terraform writes its working files beside the configuration.
    let dir = tempfile::tempdir().expect("a folder");
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/terraform/full-stack");
    for entry in std::fs::read_dir(&source).expect("listed") {
        let path = entry.expect("an entry").path();
        if path.extension().is_some_and(|x| x == "tf") {
            std::fs::copy(&path, dir.path().join(path.file_name().expect("a name")))
                .expect("copied");
        }
    }
    let dir_arg = dir.path().display().to_string();
    let terraform = |args: &[&str]| {
        let mut all = vec![
            "terraform",
            "--endpoint-url",
            &endpoint,
            "--dir",
            &dir_arg,
            "--",
        ];
        all.extend_from_slice(args);
        common::orgwatch(&all)
    };
    let (code, out, err) = terraform(&["init", "-input=false"]);
    assert_eq!(code, 0, "init: {out}{err}");
    let (code, out, err) = terraform(&["apply", "-auto-approve", "-input=false"]);
    assert_eq!(code, 0, "apply: {out}{err}");
    let (code, out, err) = terraform(&["plan", "-detailed-exitcode", "-input=false"]);
    assert_eq!(code, 0, "the re-plan is empty: {out}{err}");
    // The checker, as a CI job would run it against the service container.
    let (code, out, err) = orgwatch_against(&["check", "--endpoint-url", &endpoint]);
    assert_eq!(code, 0, "PASS: {out}{err}");
    let (code, out, err) = terraform(&["destroy", "-auto-approve", "-input=false"]);
    assert_eq!(code, 0, "destroy: {out}{err}");
    let (_, out, _) = orgwatch_against(&["check", "--endpoint-url", &endpoint, "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&out).expect("a JSON report");
    assert_eq!(
        report["status"], "FAIL",
        "nothing left after destroy: {report}"
    );
}
