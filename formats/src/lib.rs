//! The checker's and the drill's reports in the formats the places that look at findings take: text and
//! JSON (the reports' own), SARIF 2.1.0 (code scanning), OCSF Compliance Findings (security lakes,
//! SIEMs), ASFF (Security Hub's `BatchImportFindings`), JUnit XML (test dashboards) and a self-contained
//! HTML evidence page (auditors).
//!
//! Pure: a report and [`Meta`] in, a string out, no I/O and no clock of its own, so the same report
//! renders the same bytes (the snapshots rely on it). The machine formats are writings of one
//! [`digest::Digest`]; the HTML page also draws from the reports themselves.

mod asff;
pub mod digest;
mod html;
mod input;
mod junit;
mod ocsf;
mod sarif;
pub mod xml;

pub use input::{Meta, Subject, Terraform, TOOL, TOOL_URI};

/// A report format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    Text,
    Json,
    Sarif,
    Ocsf,
    Asff,
    Junit,
    Html,
}

impl Format {
    pub const ALL: &'static [Format] = &[
        Format::Text,
        Format::Json,
        Format::Sarif,
        Format::Ocsf,
        Format::Asff,
        Format::Junit,
        Format::Html,
    ];

    /// The name `--format` takes.
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Ocsf => "ocsf",
            Format::Asff => "asff",
            Format::Junit => "junit",
            Format::Html => "html",
        }
    }

    /// The file name `--output-dir` writes it to: `orgwatch.<extension>`.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Text => "txt",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Ocsf => "ocsf.json",
            Format::Asff => "asff.json",
            Format::Junit => "junit.xml",
            Format::Html => "html",
        }
    }

    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL.iter().copied().find(|f| f.name() == name)
    }
}

/// Renders `subject` in `format`.
pub fn render(format: Format, subject: &Subject<'_>, meta: &Meta) -> String {
    match format {
        Format::Text => match subject {
            Subject::Check {
                report,
                calls,
                terraform,
            } => with_terraform(report.to_text(*calls), *terraform),
            Subject::Family {
                report,
                calls,
                terraform,
            } => with_terraform(report.to_text(*calls), *terraform),
            Subject::Drill(d) => d.to_text(),
        },
        Format::Json => {
            let mut v = match subject {
                Subject::Check { report, .. } => serde_json::to_value(report),
                Subject::Family { report, .. } => serde_json::to_value(report),
                Subject::Drill(d) => serde_json::to_value(d),
            }
            .unwrap_or_default();
            let extras = match subject {
                Subject::Check {
                    calls, terraform, ..
                }
                | Subject::Family {
                    calls, terraform, ..
                } => Some((calls, terraform)),
                Subject::Drill(_) => None,
            };
            if let Some((calls, terraform)) = extras {
                if let Some(calls) = calls {
                    v["apiCallsByOperation"] = serde_json::to_value(calls).unwrap_or_default();
                }
                if let Some(t) = terraform {
                    v["terraform"] = serde_json::to_value(t).unwrap_or_default();
                }
            }
            pretty(&v)
        }
        Format::Sarif => {
            let terraform = match subject {
                Subject::Check { terraform, .. } | Subject::Family { terraform, .. } => *terraform,
                Subject::Drill(_) => None,
            };
            pretty(&sarif::render(
                &digest::Digest::of(subject),
                meta,
                terraform,
            ))
        }
        Format::Ocsf => pretty(&ocsf::render(&digest::Digest::of(subject), meta)),
        Format::Asff => pretty(&asff::render(&digest::Digest::of(subject), meta)),
        Format::Junit => junit::render(&digest::Digest::of(subject), meta),
        Format::Html => html::render(subject, &digest::Digest::of(subject), meta),
    }
}

/// A check's text, then what Terraform did (and the drill it ran), when the account was a configuration.
fn with_terraform(mut text: String, terraform: Option<&Terraform>) -> String {
    let Some(t) = terraform else {
        return text;
    };
    text.push_str(&format!(
        "\nterraform: {} resources applied; re-plan {}; {}; {:.1} s, of which the emulator {:.3} s over {} requests\n",
        t.resources,
        if t.replan_empty { "empty" } else { "NOT empty" },
        if t.destroyed {
            "destroyed"
        } else {
            "NOT destroyed"
        },
        t.wall_seconds,
        t.emulator_seconds,
        t.requests
    ));
    if let Some(d) = &t.drill {
        text.push('\n');
        text.push_str(&d.to_text());
    }
    text
}

fn pretty(v: &serde_json::Value) -> String {
    format!("{}\n", serde_json::to_string_pretty(v).unwrap_or_default())
}
