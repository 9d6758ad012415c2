//! How a test run treats what it compares and runs: report snapshots (`--accept`) and Terraform (which
//! binary, which provider mirror).

/// Options of a test run.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Write report snapshots that differ or are missing, instead of failing.
    pub accept: bool,
    /// `terraform` (default) or `tofu`, or a path.
    pub terraform_binary: Option<String>,
    /// A local provider mirror for Terraform steps (`ORGWATCH_PLUGIN_DIR`).
    pub plugin_dir: Option<std::path::PathBuf>,
}

impl Options {
    pub fn terraform_binary(&self) -> &str {
        self.terraform_binary.as_deref().unwrap_or("terraform")
    }
}
