//! The arguments `check` and `drill` share: which account and region to read, and how to write the report.

use crate::pattern_cmd::Format;
use clap::Args;
use std::path::PathBuf;

/// Where the checked account is reached from (with `--endpoint-url` or real AWS).
#[derive(Args)]
pub struct AccountArgs {
    #[arg(long)]
    pub region: Option<String>,
    /// A named profile from the AWS configuration files.
    #[arg(long)]
    pub profile: Option<String>,
}

/// How the report is written.
#[derive(Args)]
pub struct ReportArgs {
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Write the report to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}
