//! A Terraform configuration read as HCL (with `hcl-edit`, which keeps where each block stands): its
//! `provider "aws"` blocks (aliases included) that the emulator's override must aim, a `backend` that must
//! become local, a provider that sets its own endpoints (refused: the run would reach them), and where each
//! resource and module block is, so a finding can name the `.tf` line at fault. Root module only: a
//! resource made inside a module is located at the `module` block that calls it.

use hcl_edit::repr::Span;
use hcl_edit::structure::{Block, Body};
use std::collections::BTreeMap;
use std::path::Path;

/// Where a block stands: a file relative to the configuration's directory, and a 1-based line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: String,
    pub line: usize,
}

/// What running the configuration against the emulator needs to know about it.
#[derive(Debug, Default)]
pub struct Config {
    /// The alias of each `provider "aws"` block (`None` for the default one).
    pub aws_providers: Vec<Option<String>>,
    /// Whether a `terraform` block names a backend (it becomes a local one).
    pub backend: bool,
    /// `aws_cloudtrail.org`, `module.alarms` → where its block stands.
    pub blocks: BTreeMap<String, Location>,
    /// The `source` of every module block that names a local directory (`./x`, `../x`).
    pub local_modules: Vec<String>,
}

impl Config {
    /// Where the block behind a resource address stands (`module.a.aws_x.y["k"]` → `module.a`).
    pub fn locate(&self, address: &str) -> Option<&Location> {
        let mut parts = address.split('.');
        let first = parts.next()?;
        let second = parts.next()?;
        let key = strip_index(&format!("{first}.{second}")).to_string();
        self.blocks.get(&key)
    }
}

fn strip_index(s: &str) -> &str {
    s.split('[').next().unwrap_or(s)
}

fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

fn label(b: &Block, i: usize) -> Option<&str> {
    b.labels.get(i).map(|l| l.as_str())
}

/// Reads every `*.tf` file of `dir` (not its subdirectories: modules are read by Terraform). Errors name
/// the file, line and column of a syntax error, or say that there is no configuration at all.
pub fn read(dir: &Path) -> Result<Config, String> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "tf"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(format!(
            "{}: no Terraform configuration here (no .tf files)",
            dir.display()
        ));
    }
    let mut config = Config::default();
    for path in files {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let body: Body = hcl_edit::parser::parse_body(&text).map_err(|e| {
            let at = e.location();
            format!(
                "{}:{}:{}: {}",
                path.display(),
                at.line(),
                at.column(),
                e.to_string()
                    .lines()
                    .last()
                    .unwrap_or("syntax error")
                    .trim()
                    .trim_start_matches("= ")
            )
        })?;
        for b in body.blocks() {
            let at = |b: &Block| Location {
                file: name.clone(),
                line: b.span().map_or(1, |s| line_of(&text, s.start)),
            };
            match (b.ident.as_str(), label(b, 0), label(b, 1)) {
                ("provider", Some("aws"), _) => {
                    if let Some(e) = b.body.get_blocks("endpoints").next() {
                        return Err(format!(
                            "{}:{}: this provider \"aws\" block sets its own endpoints; remove them, orgwatch aims every aws provider at the emulator",
                            path.display(),
                            e.span().map_or(1, |s| line_of(&text, s.start))
                        ));
                    }
                    let alias = b
                        .body
                        .get_attribute("alias")
                        .and_then(|a| a.value.as_str())
                        .map(str::to_string);
                    config.aws_providers.push(alias);
                }
                ("terraform", _, _) if b.body.get_blocks("backend").next().is_some() => {
                    config.backend = true;
                }
                ("resource", Some(kind), Some(name)) => {
                    config.blocks.insert(format!("{kind}.{name}"), at(b));
                }
                ("data", Some(kind), Some(name)) => {
                    config.blocks.insert(format!("data.{kind}.{name}"), at(b));
                }
                ("module", Some(name), _) => {
                    config.blocks.insert(format!("module.{name}"), at(b));
                    let source = b
                        .body
                        .get_attribute("source")
                        .and_then(|a| a.value.as_str());
                    if let Some(src) =
                        source.filter(|s| s.starts_with("./") || s.starts_with("../"))
                    {
                        config.local_modules.push(src.to_string());
                    }
                }
                _ => {}
            }
        }
    }
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir_with(files: &[(&str, &str)]) -> tempfile::TempDir {
        let d = tempfile::tempdir().expect("a temporary directory");
        for (name, text) in files {
            std::fs::write(d.path().join(name), text).expect("written");
        }
        d
    }

    #[test]
    fn providers_backends_and_block_lines_are_read() {
        let d = dir_with(&[
            (
                "main.tf",
                "terraform {\n  backend \"s3\" {\n    bucket = \"b\"\n  }\n}\n\nprovider \"aws\" {\n  region = \"us-east-1\"\n}\n\nprovider \"aws\" {\n  alias = \"west\"\n}\n",
            ),
            (
                "alarms.tf",
                "# alarms\n\nresource \"aws_cloudwatch_metric_alarm\" \"org\" {\n  alarm_name = \"x\"\n}\n\nmodule \"cis\" {\n  source = \"./cis\"\n}\n",
            ),
            ("notes.txt", "not HCL {"),
        ]);
        let c = read(d.path()).expect("reads");
        assert_eq!(c.aws_providers, [None, Some("west".to_string())]);
        assert!(c.backend);
        let at = |file: &str, line| Location {
            file: file.into(),
            line,
        };
        assert_eq!(
            c.locate("aws_cloudwatch_metric_alarm.org"),
            Some(&at("alarms.tf", 3))
        );
        assert_eq!(
            c.locate("aws_cloudwatch_metric_alarm.org[\"k\"]"),
            Some(&at("alarms.tf", 3))
        );
        assert_eq!(
            c.locate("module.cis.aws_sns_topic.t"),
            Some(&at("alarms.tf", 7))
        );
        assert_eq!(c.locate("aws_sns_topic.nowhere"), None);
    }

    #[test]
    fn bad_configurations_are_refused_with_where() {
        let empty = dir_with(&[("README.md", "# nothing")]);
        assert!(read(empty.path())
            .expect_err("none")
            .contains("no .tf files"));
        let broken = dir_with(&[(
            "main.tf",
            "resource \"aws_sns_topic\" \"t\" {\n  name = \n}\n",
        )]);
        let e = read(broken.path()).expect_err("a syntax error");
        assert!(e.contains("main.tf:2:10: invalid expression"), "{e}");
        let aimed = dir_with(&[(
            "main.tf",
            "provider \"aws\" {\n  endpoints {\n    sns = \"https://sns.example\"\n  }\n}\n",
        )]);
        let e = read(aimed.path()).expect_err("its own endpoints");
        assert!(e.contains("main.tf:2") && e.contains("endpoints"), "{e}");
    }
}
