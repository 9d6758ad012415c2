//! Runs a Terraform (or OpenTofu) configuration against an emulator the way a provider's acceptance test
//! does: init, apply, re-plan (which must be empty), then — while it stands — whatever the caller checks,
//! then destroy. Every `provider "aws"` block (aliases included; one is added when there is none) is
//! aimed at the emulator by an override file, with only the endpoint keys the installed provider's schema
//! accepts; a backend becomes a local one whose state lives in a temporary directory, as does Terraform's
//! data directory. The user's directory is left as it was found: the override and a lock file that init
//! created are removed, a lock file that was there is restored, whatever happens.

use crate::tfconfig::{self, Config, Location};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tokio::process::Command;

/// The override file's name (Terraform merges `*_override.tf` into the blocks it names).
pub const OVERRIDE: &str = "orgwatch_override.tf";
/// The provider block added when the configuration has none (an override needs a block to merge into).
pub const PROVIDER: &str = "orgwatch_provider.tf";
const LOCK: &str = ".terraform.lock.hcl";

/// The endpoint keys aimed at the emulator when the provider accepts them: the services it serves and
/// those a real stack also calls (so that a call it does not serve fails here, never reaches AWS).
const ENDPOINT_KEYS: &[&str] = &[
    "cloudtrail",
    "cloudwatch",
    "logs",
    "sns",
    "sts",
    "organizations",
    "iam",
    "s3",
    "kms",
    "ec2",
    "sqs",
];

/// How to run Terraform.
#[derive(Debug, Clone)]
pub struct Options {
    /// `terraform` or `tofu`, or a path.
    pub binary: String,
    /// A local provider mirror to install from (`-plugin-dir`), for machines without the registry.
    pub plugin_dir: Option<PathBuf>,
    /// `NAME=VALUE`, as `-var` takes them.
    pub vars: Vec<String>,
    pub var_files: Vec<PathBuf>,
    /// The region of a provider block that names none.
    pub region: String,
}

/// What a run did, as the JSON report's `terraform` member says it.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    /// Managed resources in the state after apply.
    pub resources: usize,
    /// Whether a plan right after apply proposed nothing.
    pub replan_empty: bool,
    pub destroyed: bool,
    /// What the re-plan would change, when it was not empty.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replan: Option<String>,
    /// Where the block that made each resource stands, by the resource's ARN or id.
    #[serde(skip)]
    pub locations: BTreeMap<String, Location>,
    /// The ARNs and ids of the managed resources applied.
    #[serde(skip)]
    pub ids: Vec<String>,
}

/// Why a run stopped.
#[derive(Debug)]
pub enum Failure {
    /// Nothing ran: no configuration, a syntax error, no Terraform (exit code 2).
    Usage(String),
    /// `init` or `apply` failed (exit code 4): Terraform's own error, which names AWS's exception, and
    /// how the clean-up went.
    Apply {
        stage: Stage,
        error: String,
        cleanup: String,
    },
}

/// The Terraform command that failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Init,
    Apply,
}

impl std::fmt::Display for Stage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Stage::Init => "init",
            Stage::Apply => "apply",
        })
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Usage(e) => f.write_str(e),
            Failure::Apply {
                stage,
                error,
                cleanup,
            } => write!(f, "terraform {stage} failed:\n{error}\n{cleanup}"),
        }
    }
}

/// A configuration applied to the emulator; [`Applied::destroy`] ends it.
pub struct Applied {
    run: Runner,
    pub summary: Summary,
}

struct Runner {
    dir: PathBuf,
    opts: Options,
    data: tempfile::TempDir,
    /// In place (`check --terraform`): puts the user's directory back.
    guard: Option<Guard>,
}

/// Puts the user's directory back as it was, on every path out (`Drop`).
struct Guard {
    dir: PathBuf,
    lock: Option<Vec<u8>>,
    /// A pass-through run keeps the lock file `init` writes, as Terraform itself does.
    keep_lock: bool,
}

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(self.dir.join(OVERRIDE));
        let _ = std::fs::remove_file(self.dir.join(PROVIDER));
        let lock = self.dir.join(LOCK);
        if self.keep_lock {
            return;
        }
        match &self.lock {
            Some(bytes) => {
                let _ = std::fs::write(&lock, bytes);
            }
            None => {
                let _ = std::fs::remove_file(&lock);
            }
        }
    }
}

impl Runner {
    async fn terraform(&self, args: &[&str]) -> Result<(bool, String, String), Failure> {
        let out = Command::new(&self.opts.binary)
            .args(args)
            .current_dir(&self.dir)
            .env("TF_DATA_DIR", self.data.path().join("data"))
            .env("TF_IN_AUTOMATION", "1")
            .env("TF_INPUT", "0")
            .env("CHECKPOINT_DISABLE", "1")
            .env("AWS_REGION", &self.opts.region)
            .output()
            .await
            .map_err(|e| {
                Failure::Usage(format!(
                    "cannot run {:?}: {e} (is Terraform installed? --binary names another)",
                    self.opts.binary
                ))
            })?;
        Ok((
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        ))
    }

    fn var_args(&self) -> Vec<String> {
        let mut out: Vec<String> = self.opts.vars.iter().map(|v| format!("-var={v}")).collect();
        out.extend(
            self.opts
                .var_files
                .iter()
                .map(|f| format!("-var-file={}", absolute(f).display())),
        );
        out
    }

    async fn with_vars(&self, cmd: &[&str]) -> Result<(bool, String, String), Failure> {
        let vars = self.var_args();
        let mut args: Vec<&str> = cmd.to_vec();
        args.extend(vars.iter().map(String::as_str));
        self.terraform(&args).await
    }

    async fn destroy(&self) -> Result<(), String> {
        match self
            .with_vars(&["destroy", "-auto-approve", "-input=false", "-no-color"])
            .await
        {
            Ok((true, _, _)) => Ok(()),
            Ok((false, _, err)) => Err(err),
            Err(e) => Err(e.to_string()),
        }
    }
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

fn hcl_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

/// The backend override: a local state in `state` (a configuration's own backend is replaced, and one
/// without a backend gets this one).
fn backend_override(state: &Path) -> String {
    format!(
        "# Written by orgwatch for one run against its emulator, and removed after it.\nterraform {{\n  backend \"local\" {{\n    path = {}\n  }}\n}}\n",
        hcl_string(&state.display().to_string())
    )
}

/// Every aws provider block of the configuration (or one default block when it has none) aimed at
/// `endpoint` as `account`, with only the keys the installed provider's `schema` accepts.
fn provider_blocks(
    config: &Config,
    schema: &serde_json::Value,
    endpoint: &str,
    account: &str,
    region: &str,
) -> String {
    let provider = schema["provider_schemas"]
        .as_object()
        .and_then(|m| {
            m.iter()
                .find(|(k, _)| k.ends_with("/hashicorp/aws"))
                .map(|(_, v)| v)
        })
        .map(|v| v["provider"]["block"].clone())
        .unwrap_or_default();
    // Without a schema (before `init`, when no provider is installed yet) every key is kept: each is
    // accepted by hashicorp/aws 5.x, and `init` itself configures no provider.
    let known = !provider.is_null();
    let accepts = |k: &str| !known || !provider["attributes"][k].is_null();
    let endpoint_keys: Vec<&str> = ENDPOINT_KEYS
        .iter()
        .copied()
        .filter(|k| {
            !known || !provider["block_types"]["endpoints"]["block"]["attributes"][k].is_null()
        })
        .collect();
    let mut providers = config.aws_providers.clone();
    let added = providers.is_empty();
    if added {
        providers.push(None);
    }
    let mut o = String::new();
    for alias in providers {
        o.push_str("\nprovider \"aws\" {\n");
        if let Some(a) = &alias {
            o.push_str(&format!("  alias = {}\n", hcl_string(a)));
        }
        if added {
            o.push_str(&format!("  region = {}\n", hcl_string(region)));
        }
        o.push_str(&format!(
            "  access_key = {}\n  secret_key = \"orgwatch\"\n",
            hcl_string(account)
        ));
        for (k, v) in [
            ("skip_credentials_validation", "true"),
            ("skip_metadata_api_check", "true"),
            ("skip_region_validation", "true"),
            ("s3_use_path_style", "true"),
        ] {
            if accepts(k) {
                o.push_str(&format!("  {k} = {v}\n"));
            }
        }
        o.push_str("  endpoints {\n");
        for k in &endpoint_keys {
            o.push_str(&format!("    {k} = {}\n", hcl_string(endpoint)));
        }
        o.push_str("  }\n}\n");
    }
    o
}

fn write(path: &Path, text: &str) -> Result<(), Failure> {
    std::fs::write(path, text).map_err(|e| Failure::Usage(format!("{}: {e}", path.display())))
}

impl Runner {
    /// Init and apply the configuration in the runner's directory against the emulator at `endpoint`
    /// as `account`, then re-plan. A failed apply is left as Terraform left it (the caller decides).
    async fn apply(
        &self,
        config: &Config,
        endpoint: &str,
        account: &str,
    ) -> Result<Summary, Failure> {
        let dir = &self.dir;
        let backend = backend_override(&self.data.path().join("terraform.tfstate"));
        // The backend must be local before init; the provider blocks need the schema, which needs init.
        let _ = std::fs::remove_file(dir.join(PROVIDER));
        write(&dir.join(OVERRIDE), &backend)?;
        let mut init: Vec<String> = vec!["init".into(), "-input=false".into(), "-no-color".into()];
        if let Some(p) = &self.opts.plugin_dir {
            init.push(format!("-plugin-dir={}", absolute(p).display()));
        }
        let init: Vec<&str> = init.iter().map(String::as_str).collect();
        let failed = |error: String| Failure::Apply {
            stage: Stage::Init,
            error,
            cleanup: "nothing was created".into(),
        };
        let (ok, out, err) = self.terraform(&init).await?;
        if !ok {
            return Err(failed(if err.is_empty() { out } else { err }));
        }
        let (ok, schema, err) = self.terraform(&["providers", "schema", "-json"]).await?;
        if !ok {
            return Err(failed(err));
        }
        let schema: serde_json::Value = serde_json::from_str(&schema).unwrap_or_default();
        let providers = provider_blocks(
            config,
            &schema,
            run_endpoint(endpoint),
            account,
            &self.opts.region,
        );
        if config.aws_providers.is_empty() {
            // An override must have a block to merge into: a provider the configuration lacks is a file
            // of its own.
            write(&dir.join(PROVIDER), &providers)?;
        } else {
            write(&dir.join(OVERRIDE), &format!("{backend}{providers}"))?;
        }
        let (ok, _, err) = self
            .with_vars(&["apply", "-auto-approve", "-input=false", "-no-color"])
            .await?;
        if !ok {
            return Err(Failure::Apply {
                stage: Stage::Apply,
                error: err,
                cleanup: String::new(),
            });
        }
        let mut summary = Summary::default();
        if let Ok((true, shown, _)) = self.terraform(&["show", "-json"]).await {
            let v: serde_json::Value = serde_json::from_str(&shown).unwrap_or_default();
            let mut resources = Vec::new();
            collect(&v["values"]["root_module"], &mut resources);
            summary.resources = resources.iter().filter(|r| r["mode"] == "managed").count();
            for r in &resources {
                let ids = resource_ids(r);
                if r["mode"] == "managed" {
                    summary.ids.extend(ids.iter().cloned());
                }
                let Some(at) = r["address"].as_str().and_then(|a| config.locate(a)) else {
                    continue;
                };
                for id in ids {
                    summary.locations.insert(id, at.clone());
                }
            }
        }
        let (ok, out, err) = self
            .with_vars(&["plan", "-detailed-exitcode", "-input=false", "-no-color"])
            .await?;
        summary.replan_empty = ok;
        if !ok {
            summary.replan = Some(if out.is_empty() { err } else { out });
        }
        Ok(summary)
    }
}

/// Init and apply `dir` in place against the emulator at `endpoint` as `account`, then re-plan; a
/// failed apply destroys what it had created. `dir` is put back as it was when the result is dropped.
pub async fn apply(
    dir: &Path,
    opts: &Options,
    endpoint: &str,
    account: &str,
) -> Result<Applied, Failure> {
    let config = read_in_place(dir)?;
    let run = Runner {
        dir: dir.to_path_buf(),
        opts: opts.clone(),
        guard: Some(Guard {
            dir: dir.to_path_buf(),
            lock: std::fs::read(dir.join(LOCK)).ok(),
            keep_lock: false,
        }),
        data: temporary()?,
    };
    match run.apply(&config, endpoint, account).await {
        Ok(summary) => Ok(Applied { run, summary }),
        Err(Failure::Apply {
            stage: Stage::Apply,
            error,
            ..
        }) => {
            let cleanup = match run.destroy().await {
                Ok(()) => "what the apply had created was destroyed".to_string(),
                Err(e) => format!("destroying what the apply had created failed too:\n{e}"),
            };
            Err(Failure::Apply {
                stage: Stage::Apply,
                error,
                cleanup,
            })
        }
        Err(e) => Err(e),
    }
}

/// Reads the configuration a run will write its files beside, refusing to start where one of them is
/// already there: first, so that a run already under way in this directory (whose override it would
/// be) is named, and a file of the user's is never overwritten.
fn read_in_place(dir: &Path) -> Result<Config, Failure> {
    for name in [OVERRIDE, PROVIDER] {
        if dir.join(name).exists() {
            return Err(Failure::Usage(format!(
                "{} already exists: orgwatch writes that file for its run (is another run under way here?); remove it",
                dir.join(name).display()
            )));
        }
    }
    tfconfig::read(dir).map_err(Failure::Usage)
}

fn temporary() -> Result<tempfile::TempDir, Failure> {
    tempfile::tempdir().map_err(|e| Failure::Usage(format!("a temporary directory: {e}")))
}

/// The Terraform steps of one scenario: one working directory and one state, so a later step with other
/// variables (or another configuration) is an update of what the earlier ones applied, as in a provider's
/// acceptance test. Each step's configuration is copied in (the scenario's files are never written).
pub struct Session {
    run: Runner,
    work: tempfile::TempDir,
    /// Everything any step applied (ARNs and ids), to prove that destroy left nothing behind.
    pub applied: std::collections::BTreeSet<String>,
}

impl Session {
    pub fn new(opts: &Options) -> Result<Session, Failure> {
        let work = temporary()?;
        Ok(Session {
            run: Runner {
                dir: work.path().to_path_buf(),
                opts: opts.clone(),
                guard: None,
                data: temporary()?,
            },
            work,
            applied: Default::default(),
        })
    }

    /// Applies `dir` (with these variables) over what earlier steps applied.
    pub async fn apply(
        &mut self,
        dir: &Path,
        vars: Vec<String>,
        var_files: Vec<PathBuf>,
        endpoint: &str,
        account: &str,
    ) -> Result<Summary, Failure> {
        let config = tfconfig::read(dir).map_err(Failure::Usage)?;
        let (root, rel) = module_root(dir).map_err(Failure::Usage)?;
        let at = self.work.path().join(&rel);
        replace_configuration(&root, self.work.path(), &self.run.dir, &at)
            .map_err(|e| Failure::Usage(format!("copying {}: {e}", root.display())))?;
        self.run.dir = at;
        self.run.opts.vars = vars;
        self.run.opts.var_files = var_files;
        let summary = self.run.apply(&config, endpoint, account).await?;
        self.applied.extend(summary.ids.iter().cloned());
        Ok(summary)
    }

    pub async fn destroy(&self) -> Result<(), String> {
        self.run.destroy().await
    }
}

/// Makes `work` hold `dir`'s configuration: its files (not Terraform's own: `.terraform`, states, the
/// lock file) replace the previous step's.
/// The directory to copy so that every local module the configuration calls (`../modules/x`, and the
/// modules those call) comes along, and where the configuration sits inside it.
fn module_root(dir: &Path) -> Result<(PathBuf, PathBuf), String> {
    let canon = |p: &Path| {
        p.canonicalize()
            .map_err(|e| format!("{}: {e}", p.display()))
    };
    let start = canon(dir)?;
    let mut root = start.clone();
    let mut todo = vec![start.clone()];
    let mut seen = std::collections::BTreeSet::new();
    while let Some(d) = todo.pop() {
        if !seen.insert(d.clone()) {
            continue;
        }
        for src in tfconfig::read(&d)?.local_modules {
            let m = canon(&d.join(&src))?;
            while !m.starts_with(&root) {
                root = root
                    .parent()
                    .ok_or_else(|| format!("module {src} lies outside any directory"))?
                    .to_path_buf();
            }
            todo.push(m);
        }
    }
    let rel = start
        .strip_prefix(&root)
        .map(Path::to_path_buf)
        .map_err(|e| e.to_string())?;
    Ok((root, rel))
}

/// Puts a fresh copy of `root` in `work`, the state and lock file of the last step (in `from`) moving to
/// the configuration's place in it (`to`), so a later step is an update of what the earlier ones applied.
fn replace_configuration(root: &Path, work: &Path, from: &Path, to: &Path) -> std::io::Result<()> {
    let kept: Vec<(String, Vec<u8>)> = ["terraform.tfstate", "terraform.tfstate.backup", LOCK]
        .iter()
        .filter_map(|n| Some((n.to_string(), std::fs::read(from.join(n)).ok()?)))
        .collect();
    for e in std::fs::read_dir(work)? {
        let p = e?.path();
        if p.is_dir() {
            std::fs::remove_dir_all(&p)?;
        } else {
            std::fs::remove_file(&p)?;
        }
    }
    copy_tree(root, work)?;
    std::fs::create_dir_all(to)?;
    for (n, bytes) in kept {
        std::fs::write(to.join(n), bytes)?;
    }
    Ok(())
}

fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    for e in std::fs::read_dir(from)? {
        let e = e?;
        let name = e.file_name();
        let n = name.to_string_lossy();
        if n == ".terraform"
            || n == LOCK
            || n.ends_with(".tfstate")
            || n.ends_with(".tfstate.backup")
        {
            continue;
        }
        let target = to.join(&name);
        if e.file_type()?.is_dir() {
            std::fs::create_dir_all(&target)?;
            copy_tree(&e.path(), &target)?;
        } else {
            std::fs::copy(e.path(), &target)?;
        }
    }
    Ok(())
}

/// `orgwatch terraform -- ARGS`: one Terraform command in `dir`, its every aws provider aimed at the
/// emulator at `endpoint` by an override that is removed afterwards (a backend becomes the default local
/// one, so state persists between commands as Terraform keeps it); output goes straight to the terminal.
/// Returns Terraform's exit code.
pub async fn passthrough(
    dir: &Path,
    opts: &Options,
    endpoint: &str,
    access_key: &str,
    args: &[String],
) -> Result<i32, Failure> {
    let config = read_in_place(dir)?;
    let _guard = Guard {
        dir: dir.to_path_buf(),
        lock: None,
        keep_lock: true,
    };
    let backend = if config.backend {
        "# Written by orgwatch for one command against its emulator, and removed after it.\nterraform {\n  backend \"local\" {}\n}\n".to_string()
    } else {
        String::new()
    };
    let schema = if dir.join(".terraform").is_dir() {
        let out = Command::new(&opts.binary)
            .args(["providers", "schema", "-json"])
            .current_dir(dir)
            .output()
            .await
            .map_err(|e| Failure::Usage(format!("cannot run {:?}: {e}", opts.binary)))?;
        serde_json::from_slice(&out.stdout).unwrap_or_default()
    } else {
        serde_json::Value::Null
    };
    let providers = provider_blocks(
        &config,
        &schema,
        run_endpoint(endpoint),
        access_key,
        &opts.region,
    );
    if config.aws_providers.is_empty() {
        write(&dir.join(PROVIDER), &providers)?;
        if !backend.is_empty() {
            write(&dir.join(OVERRIDE), &backend)?;
        }
    } else {
        write(&dir.join(OVERRIDE), &format!("{backend}{providers}"))?;
    }
    let mut args: Vec<String> = args.to_vec();
    if let (Some(p), Some("init")) = (&opts.plugin_dir, args.first().map(String::as_str)) {
        if !args.iter().any(|a| a.starts_with("-plugin-dir")) {
            args.insert(1, format!("-plugin-dir={}", absolute(p).display()));
        }
    }
    let status = Command::new(&opts.binary)
        .args(&args)
        .current_dir(dir)
        .env("AWS_REGION", &opts.region)
        .status()
        .await
        .map_err(|e| Failure::Usage(format!("cannot run {:?}: {e}", opts.binary)))?;
    Ok(status.code().unwrap_or(1))
}

fn run_endpoint(endpoint: &str) -> &str {
    endpoint.trim_end_matches('/')
}

fn collect(module: &serde_json::Value, out: &mut Vec<serde_json::Value>) {
    out.extend(
        module["resources"]
            .as_array()
            .into_iter()
            .flatten()
            .cloned(),
    );
    for child in module["child_modules"].as_array().into_iter().flatten() {
        collect(child, out);
    }
}

/// The names the checker's findings give a resource: its ARN (a log group's without `:*`), and a metric
/// filter's `group:filter`.
fn resource_ids(r: &serde_json::Value) -> Vec<String> {
    let v = &r["values"];
    let mut ids = Vec::new();
    if let Some(arn) = v["arn"].as_str() {
        ids.push(arn.trim_end_matches(":*").to_string());
    }
    if r["type"] == "aws_cloudwatch_log_metric_filter" {
        if let (Some(g), Some(n)) = (v["log_group_name"].as_str(), v["name"].as_str()) {
            ids.push(format!("{g}:{n}"));
        }
    }
    ids
}

impl Applied {
    /// Destroys what the apply made; whether it all went.
    pub async fn destroy(self) -> (Summary, Result<(), String>) {
        let mut summary = self.summary;
        let result = self.run.destroy().await;
        summary.destroyed = result.is_ok();
        drop(self.run.guard);
        (summary, result)
    }
}
