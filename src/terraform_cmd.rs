//! `orgwatch terraform [--endpoint-url URL] [--dir DIR] -- ARGS...`: one Terraform (or OpenTofu) command
//! with every aws provider of the root module aimed at a running orgwatch emulator, through an override
//! file removed afterwards. Exit code: Terraform's, or 2 for a usage error.

use clap::Args;
use orgwatch_scenarios::tfrun;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct TerraformArgs {
    /// The emulator to aim at.
    #[arg(long, default_value = "http://127.0.0.1:4566")]
    endpoint_url: String,
    /// The configuration's directory.
    #[arg(long, value_name = "DIR", default_value = ".")]
    dir: PathBuf,
    /// The account to act as (an access key of 12 digits selects it); default: the emulator's own.
    #[arg(long)]
    account: Option<String>,
    /// The region of a provider block that names none.
    #[arg(long, default_value = "us-east-1")]
    region: String,
    /// For `init`: install providers from this local mirror (`-plugin-dir`).
    #[arg(long, value_name = "DIR", env = "ORGWATCH_PLUGIN_DIR")]
    plugin_dir: Option<PathBuf>,
    /// `terraform`, `tofu`, or a path.
    #[arg(long, value_name = "BINARY", default_value = "terraform")]
    binary: String,
    /// The Terraform command and its arguments (after `--`).
    #[arg(last = true, required = true, value_name = "ARGS")]
    args: Vec<String>,
}

pub fn run(a: TerraformArgs) -> ExitCode {
    let rt = match crate::pattern_cmd::runtime() {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    let opts = tfrun::Options {
        binary: a.binary,
        plugin_dir: a.plugin_dir,
        vars: vec![],
        var_files: vec![],
        region: a.region,
    };
    let key = a.account.unwrap_or_else(|| "orgwatch".into());
    match rt.block_on(tfrun::passthrough(
        &a.dir,
        &opts,
        &a.endpoint_url,
        &key,
        &a.args,
    )) {
        Ok(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
        Err(e) => {
            eprintln!("orgwatch: {e}");
            ExitCode::from(2)
        }
    }
}
