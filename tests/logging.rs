//! The emulator's log as the binary writes it (`src/logging.rs`): a line per request on standard error,
//! with no colour codes when standard error is a pipe, every line written by the time the process has
//! stopped (the writer thread is flushed), nothing with `ORGWATCH_LOG=off`, and a level that does not
//! parse refused at start.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

/// Starts `orgwatch emulator` on a free port with stderr piped; the child and its endpoint's address.
fn start(env: &[(&str, &str)]) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_orgwatch"))
        .args(["emulator", "--port", "0"])
        .env_remove("RUST_LOG")
        .env_remove("ORGWATCH_LOG")
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts");
    let stdout = child.stdout.take().expect("piped");
    let mut address = None;
    for line in BufReader::new(stdout).lines() {
        let line = line.expect("reads");
        if let Some(rest) = line.strip_prefix("orgwatch emulator listening on http://") {
            address = Some(rest.to_string());
        }
        if line == "Ready." {
            break;
        }
    }
    (child, address.expect("the endpoint is printed"))
}

/// One DescribeLogGroups call; its status line.
fn describe_log_groups(address: &str) -> String {
    let mut s = TcpStream::connect(address).expect("connects");
    let body = "{}";
    write!(
        s,
        "POST / HTTP/1.1\r\nhost: {address}\r\nx-amz-target: Logs_20140328.DescribeLogGroups\r\n\
         content-type: application/x-amz-json-1.1\r\nauthorization: AWS4-HMAC-SHA256 \
         Credential=AKIDEXAMPLE/20261207/us-east-1/logs/aws4_request, SignedHeaders=host, Signature=0\r\n\
         connection: close\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
    .expect("writes");
    let mut out = String::new();
    s.read_to_string(&mut out).expect("reads");
    out.lines().next().unwrap_or_default().to_string()
}

/// Stops the emulator as `docker stop` does and returns everything it wrote to standard error.
fn stop(mut child: Child) -> String {
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("piped")
        .read_to_string(&mut stderr)
        .expect("reads");
    assert!(child.wait().expect("waits").success(), "{stderr}");
    stderr
}

#[test]
fn each_request_is_logged_without_colour_codes_on_a_pipe_and_nothing_is_lost_at_stop() {
    let (child, address) = start(&[]);
    for _ in 0..50 {
        assert_eq!(describe_log_groups(&address), "HTTP/1.1 200 OK");
    }
    let log = stop(child);
    let requests = log
        .lines()
        .filter(|l| l.contains("request") && l.contains("operation=DescribeLogGroups"))
        .count();
    assert_eq!(requests, 50, "{log}");
    assert!(!log.contains('\u{1b}'), "colour codes on a pipe: {log:?}");
    assert!(log.contains("shutting down"), "{log}");
}

#[test]
fn json_lines_with_the_log_format_flag() {
    let (child, address) = start(&[("ORGWATCH_LOG_FORMAT", "json")]);
    assert_eq!(describe_log_groups(&address), "HTTP/1.1 200 OK");
    let log = stop(child);
    let line = log
        .lines()
        .find(|l| l.contains("DescribeLogGroups"))
        .unwrap_or_else(|| panic!("no request line: {log}"));
    let v: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
    assert_eq!(v["fields"]["operation"], "DescribeLogGroups");
    assert_eq!(v["fields"]["status"], 200);
}

#[test]
fn orgwatch_log_off_writes_nothing() {
    let (child, address) = start(&[("ORGWATCH_LOG", "off")]);
    assert_eq!(describe_log_groups(&address), "HTTP/1.1 200 OK");
    assert_eq!(stop(child), "");
}

#[test]
fn the_level_flag_wins_over_rust_log() {
    let (child, address) = start(&[("RUST_LOG", "info"), ("ORGWATCH_LOG", "warn")]);
    assert_eq!(describe_log_groups(&address), "HTTP/1.1 200 OK");
    let log = stop(child);
    assert!(!log.contains("DescribeLogGroups"), "{log}");
}

#[test]
fn a_level_that_does_not_parse_is_refused_at_start() {
    let out = Command::new(env!("CARGO_BIN_EXE_orgwatch"))
        .args(["emulator", "--port", "0", "--log-level", "loud=="])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("`loud==` is not a log level or filter"),
        "{err}"
    );
}
