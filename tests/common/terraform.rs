//! Whether a test can run Terraform: the binary on PATH and the provider mirror `ORGWATCH_PLUGIN_DIR`
//! names (CI finds it). A test that cannot says `SKIPPED` and why on stderr; with
//! `ORGWATCH_REQUIRE_TERRAFORM=1` (CI) it fails instead, so a machine without Terraform cannot pass as if
//! it had run.

use std::path::Path;
use std::process::Command;

/// Whether Terraform and the provider mirror are here; the reason when not.
pub fn ready(test: &str) -> bool {
    let why = match std::env::var_os("ORGWATCH_PLUGIN_DIR") {
        None => Some("ORGWATCH_PLUGIN_DIR names no provider mirror".to_string()),
        Some(d) if !Path::new(&d).is_dir() => {
            Some(format!("ORGWATCH_PLUGIN_DIR {d:?} is not a directory"))
        }
        Some(_) => match Command::new("terraform").arg("version").output() {
            Ok(o) if o.status.success() => None,
            _ => Some("no terraform on PATH".to_string()),
        },
    };
    match why {
        None => true,
        Some(why) if std::env::var("ORGWATCH_REQUIRE_TERRAFORM").as_deref() == Ok("1") => {
            panic!("{test}: Terraform is required here (ORGWATCH_REQUIRE_TERRAFORM=1) but {why}")
        }
        Some(why) => {
            eprintln!("SKIPPED {test}: {why}");
            false
        }
    }
}
