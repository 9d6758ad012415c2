//! Emulator figures: start-up (process start to first successful API response, median of 20), idle RSS,
//! and DescribeMetricFilters throughput on a group with 5 filters from 16 keep-alive clients, each in the
//! configuration users run (the default: an INFO line per request on standard error, read through a pipe
//! as `docker logs` or a CI log reads it) and with the log off (`ORGWATCH_LOG=off`).
//!
//! `cargo bench --bench emulator` (builds and runs the release binary). The load generator is this
//! program: 16 tokio tasks, each with one keep-alive HTTP/1.1 connection, sending signed-shape AWS JSON 1.1
//! requests for a fixed time; it shares the machine's two cores with the emulator.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const AUTH: &str = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261127/us-east-1/logs/aws4_request, SignedHeaders=host, Signature=0";

/// The binary to measure: `ORGWATCH_BENCH_BINARY` when set (to compare two builds on the same machine, run
/// after run), else the release build of this tree.
fn binary() -> std::path::PathBuf {
    if let Some(given) = std::env::var_os("ORGWATCH_BENCH_BINARY") {
        return given.into();
    }
    let status = Command::new(env!("CARGO"))
        .args(["build", "--release", "--bin", "orgwatch"])
        .status()
        .expect("cargo build");
    assert!(status.success());
    // Where cargo put it: CARGO_TARGET_DIR when set (CI keeps its cache outside the clone), else ./target.
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    let target = if target.is_absolute() {
        target
    } else {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(target)
    };
    target.join("release/orgwatch")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn request(op: &str, body: &str) -> String {
    format!(
        "POST / HTTP/1.1\r\nhost: 127.0.0.1\r\nx-amz-target: Logs_20140328.{op}\r\ncontent-type: application/x-amz-json-1.1\r\nauthorization: {AUTH}\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
}

/// One blocking request on a fresh connection; the status code.
fn once(port: u16, op: &str, body: &str) -> Option<u16> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.write_all(
        request(op, body)
            .replace("\r\n\r\n", "\r\nconnection: close\r\n\r\n")
            .as_bytes(),
    )
    .ok()?;
    let mut out = String::new();
    s.read_to_string(&mut out).ok()?;
    out.split(' ').nth(1)?.parse().ok()
}

/// How the emulator is run: as it ships, or with its log off.
#[derive(Clone, Copy, PartialEq)]
enum Log {
    Default,
    Off,
}

fn spawn(bin: &std::path::Path, port: u16, log: Log) -> Child {
    let mut command = Command::new(bin);
    command
        .args(["emulator", "--port", &port.to_string()])
        .env_remove("RUST_LOG")
        .env_remove("ORGWATCH_LOG")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    if log == Log::Off {
        command.env("ORGWATCH_LOG", "off");
    }
    let mut child = command.spawn().unwrap();
    // The log's reader: a pipe drained as fast as it is written, as a log collector does.
    let mut stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
    child
}

fn rss_kib(pid: u32) -> u64 {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    s.lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn main() {
    let bin = binary();
    for (log, label) in [
        (Log::Default, "default (INFO per request, to a pipe)"),
        (Log::Off, "log off (ORGWATCH_LOG=off)"),
    ] {
        println!("{label}:");
        measure(&bin, log);
    }
}

fn measure(bin: &std::path::Path, log: Log) {
    // Start-up.
    let mut times = Vec::new();
    for _ in 0..20 {
        let port = free_port();
        let t = Instant::now();
        let mut child = spawn(bin, port, log);
        while once(port, "DescribeLogGroups", "{}") != Some(200) {
            std::thread::sleep(Duration::from_micros(200));
        }
        times.push(t.elapsed());
        let _ = child.kill();
        let _ = child.wait();
    }
    times.sort();
    println!(
        "  start-up to first API response: median {:.1} ms (min {:.1}, max {:.1}) over 20 runs",
        ms(times[10]),
        ms(times[0]),
        ms(times[19])
    );

    // Idle memory and throughput.
    let port = free_port();
    let mut child = spawn(bin, port, log);
    while once(port, "DescribeLogGroups", "{}") != Some(200) {
        std::thread::sleep(Duration::from_millis(1));
    }
    std::thread::sleep(Duration::from_millis(300));
    println!("  idle RSS: {:.1} MB", rss_kib(child.id()) as f64 / 1024.0);
    once(port, "CreateLogGroup", r#"{"logGroupName":"g"}"#);
    for k in 0..5 {
        let body = format!(
            r#"{{"logGroupName":"g","filterName":"f{k}","filterPattern":"{{ $.eventSource = \"organizations.amazonaws.com\" }}","metricTransformations":[{{"metricName":"M{k}","metricNamespace":"CISBenchmark","metricValue":"1"}}]}}"#
        );
        assert_eq!(once(port, "PutMetricFilter", &body), Some(200));
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let secs = 5.0;
    let total: u64 = rt.block_on(async move {
        let req = request("DescribeMetricFilters", r#"{"logGroupName":"g"}"#).into_bytes();
        let deadline = Instant::now() + Duration::from_secs_f64(secs);
        let mut tasks = Vec::new();
        for _ in 0..16 {
            let req = req.clone();
            tasks.push(tokio::spawn(async move {
                let mut s = tokio::net::TcpStream::connect(("127.0.0.1", port))
                    .await
                    .unwrap();
                s.set_nodelay(true).unwrap();
                let mut buf = vec![0u8; 64 * 1024];
                let mut n = 0u64;
                while Instant::now() < deadline {
                    s.write_all(&req).await.unwrap();
                    read_response(&mut s, &mut buf).await;
                    n += 1;
                }
                n
            }));
        }
        let mut total = 0;
        for t in tasks {
            total += t.await.unwrap();
        }
        total
    });
    println!("  DescribeMetricFilters (5 filters), 16 keep-alive clients: {:.0} requests/s ({total} in {secs} s)", total as f64 / secs);
    println!(
        "  RSS after load: {:.1} MB",
        rss_kib(child.id()) as f64 / 1024.0
    );
    let _ = child.kill();
    let _ = child.wait();
}

/// Reads one HTTP/1.1 response with a content-length body.
async fn read_response(s: &mut tokio::net::TcpStream, buf: &mut [u8]) {
    let mut have = 0;
    loop {
        let n = s.read(&mut buf[have..]).await.unwrap();
        assert!(n > 0, "connection closed");
        have += n;
        if let Some(end) = buf[..have].windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let len: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            if have >= end + 4 + len {
                return;
            }
        }
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
