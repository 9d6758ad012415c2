//! Persistence across a real process restart: state written through the APIs, the emulator stopped with
//! SIGTERM, restarted with the same `--state`, and every resource is back.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn spawn(port: u16, state: &std::path::Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_orgwatch"))
        .args(["emulator", "--port", &port.to_string(), "--state"])
        .arg(state)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the orgwatch binary starts")
}

fn request(port: u16, headers: &[(&str, &str)], body: &str) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let mut req = format!(
        "POST / HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-length: {}\r\nconnection: close\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    req.push_str(body);
    s.write_all(req.as_bytes()).unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let status = out
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, out)
}

fn logs(port: u16, op: &str, body: &str) -> (u16, String) {
    let target = format!("Logs_20140328.{op}");
    let auth = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261127/eu-west-1/logs/aws4_request, SignedHeaders=host, Signature=0";
    request(
        port,
        &[
            ("x-amz-target", &target),
            ("content-type", "application/x-amz-json-1.1"),
            ("authorization", auth),
        ],
        body,
    )
}

fn wait_ready(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("the emulator did not start");
}

fn terminate(mut child: Child) {
    let pid = child.id().to_string();
    let status = Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let code = child.wait().expect("the emulator exits");
    assert!(code.success(), "graceful exit after SIGTERM: {code:?}");
}

#[test]
fn state_survives_sigterm_and_restart() {
    let dir = std::env::temp_dir().join(format!("orgwatch-persist-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let state = dir.join("state.json");
    let _ = std::fs::remove_file(&state);
    let port = free_port();
    let child = spawn(port, &state);
    wait_ready(port);
    assert_eq!(
        logs(port, "CreateLogGroup", r#"{"logGroupName":"kept"}"#).0,
        200
    );
    let filter = r#"{"logGroupName":"kept","filterName":"f","filterPattern":"{ $.eventSource = \"organizations.amazonaws.com\" }","metricTransformations":[{"metricName":"M","metricNamespace":"CISBenchmark","metricValue":"1"}]}"#;
    assert_eq!(logs(port, "PutMetricFilter", filter).0, 200);
    terminate(child);
    let saved = std::fs::read_to_string(&state).expect("the state file was written");
    assert!(saved.contains("\"version\""));

    let port = free_port();
    let child = spawn(port, &state);
    wait_ready(port);
    let (status, body) = logs(port, "DescribeMetricFilters", r#"{"logGroupName":"kept"}"#);
    assert_eq!(status, 200, "{body}");
    assert!(
        body.contains("organizations.amazonaws.com") && body.contains("\"filterName\":\"f\""),
        "{body}"
    );
    terminate(child);
    let _ = std::fs::remove_dir_all(&dir);
}
