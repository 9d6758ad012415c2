//! The Docker engine the container tests run the image on, reached the way testcontainers reaches it.
//!
//! testcontainers 0.28 speaks Docker API 1.53 (bollard's default) and does not negotiate: an engine
//! older than that (Debian 12's docker.io 20.10 answers up to 1.41, as on this project's machines)
//! refuses every call ("client version 1.53 is too new"). For such an engine the tests start a
//! pass-through on a Unix socket of their own, which forwards each request unchanged but for the version
//! in its path, lowered to the engine's, and answers with the engine's own response, streamed; then
//! `DOCKER_HOST` names it. Nothing is answered by the pass-through itself. With an engine that speaks
//! 1.53, `DOCKER_HOST` is left alone.

use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::server::conn::http1 as server;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use tokio::net::{UnixListener, UnixStream};

/// The API version testcontainers' bollard asks for.
const CLIENT_API: (u32, u32) = (1, 53);

/// The image the tests run: the one `./build-image.sh` tags.
pub fn image() -> String {
    format!("orgwatch:{}", env!("CARGO_PKG_VERSION"))
}

/// Whether the engine and the image are here; otherwise `SKIPPED` and why on stderr, or, with
/// `ORGWATCH_REQUIRE_CONTAINERS=1` (CI), a failure: a machine without them cannot pass as if it had run.
pub fn ready(test: &str) -> bool {
    let why = match docker(&["version", "--format", "{{.Server.APIVersion}}"]) {
        Err(e) => Some(format!("no Docker engine answers: {e}")),
        Ok(_) => match docker(&["image", "inspect", "--format", "{{.Id}}", &image()]) {
            Err(_) => Some(format!(
                "the engine has no image {} (build it with ./build-image.sh)",
                image()
            )),
            Ok(_) => None,
        },
    };
    match why {
        None => {
            compatible();
            true
        }
        Some(why) if std::env::var("ORGWATCH_REQUIRE_CONTAINERS").as_deref() == Ok("1") => {
            panic!("{test}: containers are required here (ORGWATCH_REQUIRE_CONTAINERS=1) but {why}")
        }
        Some(why) => {
            eprintln!("SKIPPED {test}: {why}");
            false
        }
    }
}

/// The pass-through's socket, once started: `DOCKER_HOST` names it for testcontainers only.
static PASS_THROUGH: OnceLock<PathBuf> = OnceLock::new();

/// The Docker command line, talking to the engine itself: it negotiates its version, and `docker run`
/// attaches through a connection upgrade the pass-through does not carry.
pub fn docker_command() -> Command {
    let mut command = Command::new("docker");
    if PASS_THROUGH.get().is_some() {
        command.env_remove("DOCKER_HOST");
    }
    command
}

/// Runs the Docker command line; its standard output, or its standard error as the reason.
pub fn docker(args: &[&str]) -> Result<String, String> {
    let out = docker_command()
        .args(args)
        .output()
        .map_err(|e| format!("docker: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
    }
}

/// Makes testcontainers reach the engine: once per test process, before its first call.
fn compatible() {
    static DONE: OnceLock<()> = OnceLock::new();
    DONE.get_or_init(|| {
        let Ok(version) = docker(&["version", "--format", "{{.Server.APIVersion}}"]) else {
            return;
        };
        let Some(engine) = parse_version(&version) else {
            return;
        };
        if engine >= CLIENT_API || std::env::var_os("DOCKER_HOST").is_some() {
            return;
        }
        let socket =
            std::env::temp_dir().join(format!("orgwatch-docker-{}.sock", std::process::id()));
        let _ = std::fs::remove_file(&socket);
        let listening = socket.clone();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()
                .expect("a runtime for the pass-through");
            rt.block_on(pass_through(listening, engine, tx));
        });
        rx.recv().expect("the pass-through listens");
        let _ = PASS_THROUGH.set(socket.clone());
        // Set before testcontainers makes its client, on the test thread that is about to.
        std::env::set_var("DOCKER_HOST", format!("unix://{}", socket.display()));
    });
}

fn parse_version(v: &str) -> Option<(u32, u32)> {
    let (major, minor) = v.trim().split_once('.')?;
    Some((major.parse().ok()?, minor.parse().ok()?))
}

/// `/v1.53/containers/create` → `/v1.41/containers/create` (paths without a version are kept).
fn lowered(path_and_query: &str, engine: (u32, u32)) -> String {
    if let Some(rest) = path_and_query.strip_prefix("/v") {
        if let Some((version, tail)) = rest.split_once('/') {
            if parse_version(version).is_some() {
                return format!("/v{}.{}/{tail}", engine.0, engine.1);
            }
        }
    }
    path_and_query.to_string()
}

async fn pass_through(socket: PathBuf, engine: (u32, u32), ready: std::sync::mpsc::Sender<()>) {
    let listener = UnixListener::bind(&socket).expect("the pass-through binds its socket");
    let _ = ready.send(());
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req| forward(req, engine));
            let _ = server::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

/// One request to the engine on a connection of its own; the engine's response, streamed back.
async fn forward(
    req: Request<Incoming>,
    engine: (u32, u32),
) -> Result<
    Response<http_body_util::combinators::BoxBody<bytes::Bytes, hyper::Error>>,
    std::io::Error,
> {
    let (mut parts, body) = req.into_parts();
    let path = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    parts.uri = lowered(path, engine)
        .parse()
        .map_err(std::io::Error::other)?;
    let stream = UnixStream::connect(engine_socket()).await?;
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(std::io::Error::other)?;
    tokio::spawn(connection);
    let response = sender
        .send_request(Request::from_parts(parts, body))
        .await
        .map_err(std::io::Error::other)?;
    Ok(response.map(|b| b.boxed()))
}

fn engine_socket() -> &'static Path {
    Path::new("/var/run/docker.sock")
}

#[test]
fn a_versioned_path_is_lowered_to_the_engines_version() {
    assert_eq!(
        lowered("/v1.53/containers/create?name=x", (1, 41)),
        "/v1.41/containers/create?name=x"
    );
    assert_eq!(lowered("/_ping", (1, 41)), "/_ping");
    assert_eq!(lowered("/volumes/v1.2", (1, 41)), "/volumes/v1.2");
}
