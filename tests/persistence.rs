//! Persistence across a real process restart: state written through the APIs, the emulator stopped with
//! SIGTERM, restarted with the same `--state`, and every resource is back.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A port nothing listens on, never one handed out before in this run: the tests run in parallel, and two
/// of them given the same port would talk to one emulator (a clean-clone CI run once saw a writer's requests
/// reset by the other test's restart, and no write answered).
fn free_port() -> u16 {
    static GIVEN: std::sync::Mutex<Vec<u16>> = std::sync::Mutex::new(Vec::new());
    let mut given = GIVEN.lock().unwrap_or_else(|e| e.into_inner());
    loop {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        if !given.contains(&port) {
            given.push(port);
            return port;
        }
    }
}

/// Starts the emulator; its log goes to `STATE.log`, which a failing test prints.
fn spawn(port: u16, state: &std::path::Path) -> Child {
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(state.with_extension("log"))
        .expect("the log file opens");
    Command::new(env!("CARGO_BIN_EXE_orgwatch"))
        .args(["emulator", "--port", &port.to_string(), "--state"])
        .arg(state)
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("the orgwatch binary starts")
}

fn request(port: u16, headers: &[(&str, &str)], body: &str) -> (u16, String) {
    http(port, "POST", "/", headers, body)
}

/// One HTTP/1.1 exchange: the status and the whole response.
fn http(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-length: {}\r\nconnection: close\r\n",
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

/// `kill -9` in the middle of a load: every log group whose creation was answered 200 is there after a
/// restart. Four writers create groups as fast as they are answered; the process is killed while they
/// run, so some requests are in flight (those may or may not have landed; none may be answered and lost).
#[test]
fn acknowledged_writes_survive_kill_9() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Arc, Mutex};
    let dir = std::env::temp_dir().join(format!("orgwatch-kill9-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let state = dir.join("state.json");
    let _ = std::fs::remove_file(&state);
    let port = free_port();
    let mut child = spawn(port, &state);
    wait_ready(port);
    let acknowledged = Arc::new(Mutex::new(Vec::<String>::new()));
    let refused = Arc::new(Mutex::new(Vec::<u16>::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let (acknowledged, refused, stop) =
                (acknowledged.clone(), refused.clone(), stop.clone());
            std::thread::spawn(move || {
                for i in 0.. {
                    if stop.load(Ordering::SeqCst) {
                        return;
                    }
                    let name = format!("g-{w}-{i}");
                    let body = format!(r#"{{"logGroupName":"{name}"}}"#);
                    // A killed process answers nothing (a refused or reset connection panics the
                    // helper), which ends this writer.
                    let Ok((status, _)) =
                        std::panic::catch_unwind(|| logs(port, "CreateLogGroup", &body))
                    else {
                        return;
                    };
                    if status == 200 {
                        acknowledged.lock().unwrap().push(name);
                    } else {
                        refused.lock().unwrap().push(status);
                    }
                }
            })
        })
        .collect();
    // Kill once a good number of writes has been answered, while the writers are still going.
    let deadline = Instant::now() + Duration::from_secs(30);
    while acknowledged.lock().unwrap().len() < 200 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().expect("SIGKILL");
    let _ = child.wait();
    stop.store(true, Ordering::SeqCst);
    for w in writers {
        let _ = w.join();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(
        acknowledged.len() >= 200,
        "only {} writes answered 200; other statuses: {:?}; the emulator's log:\n{}",
        acknowledged.len(),
        refused.lock().unwrap(),
        std::fs::read_to_string(state.with_extension("log")).unwrap_or_default()
    );

    let port = free_port();
    let child = spawn(port, &state);
    wait_ready(port);
    let mut found = std::collections::HashSet::new();
    let mut token: Option<String> = None;
    loop {
        let body = match &token {
            Some(t) => format!(r#"{{"nextToken":"{t}"}}"#),
            None => "{}".to_string(),
        };
        let (status, out) = logs(port, "DescribeLogGroups", &body);
        assert_eq!(status, 200, "{out}");
        let json_start = out.find("\r\n\r\n").map_or(0, |p| p + 4);
        let v: serde_json::Value = serde_json::from_str(&out[json_start..]).expect("JSON");
        for g in v["logGroups"].as_array().into_iter().flatten() {
            found.insert(g["logGroupName"].as_str().unwrap_or_default().to_string());
        }
        match v["nextToken"].as_str() {
            Some(t) => token = Some(t.to_string()),
            None => break,
        }
    }
    terminate(child);
    let lost: Vec<&String> = acknowledged
        .iter()
        .filter(|n| !found.contains(*n))
        .collect();
    assert!(
        lost.is_empty(),
        "{} of {} acknowledged log groups lost to kill -9: {:?}",
        lost.len(),
        acknowledged.len(),
        &lost[..lost.len().min(10)]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// An admin request: the status and the body.
fn admin(port: u16, method: &str, path: &str, body: &str) -> (u16, String) {
    let json = [("content-type", "application/json")];
    let (status, out) = http(port, method, &format!("/_orgwatch{path}"), &json, body);
    let body = out
        .find("\r\n\r\n")
        .map_or(String::new(), |p| out[p + 4..].to_string());
    (status, body)
}

/// An admin change to the model (an account's organization role) is on disk once answered, like an API
/// write: `kill -9` right after the answer loses nothing.
#[test]
fn an_acknowledged_admin_change_survives_kill_9() {
    let dir = std::env::temp_dir().join(format!("orgwatch-admin-kill9-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let state = dir.join("state.json");
    let port = free_port();
    let mut child = spawn(port, &state);
    wait_ready(port);
    let (status, body) = admin(
        port,
        "POST",
        "/organizations",
        r#"{"account":"210987654321","role":"management","organizationId":"o-kill9"}"#,
    );
    assert_eq!(status, 200, "{body}");
    child.kill().expect("SIGKILL");
    let _ = child.wait();

    let port = free_port();
    let child = spawn(port, &state);
    wait_ready(port);
    let (status, body) = admin(port, "GET", "/state", "");
    // The same path takes the exported state back (PUT, a change that waits for the disk), and refuses
    // a version it does not write.
    let (put, answer) = admin(port, "PUT", "/state", &body);
    let wrong = body.replacen("\"version\":1", "\"version\":99", 1);
    let (refused, reason) = admin(port, "PUT", "/state", &wrong);
    terminate(child);
    assert_eq!(put, 200, "{answer}");
    assert_eq!(refused, 400, "{reason}");
    assert!(reason.contains("version 99"), "{reason}");
    assert_eq!(status, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).expect("the state is JSON");
    assert_eq!(
        v["accounts"]["210987654321"]["organization"],
        serde_json::json!({"role": "management", "organization_id": "o-kill9"}),
        "{body}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
