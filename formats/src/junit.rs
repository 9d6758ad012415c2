//! JUnit XML (the Jenkins schema most dashboards read): a test suite per chain (one for the drill), a
//! test case per link (per event for the drill). A broken link fails with its findings, a link that
//! could not be verified is an error (the test could not decide), and warnings on a passing link go to
//! its output.

use crate::digest::{CaseState, Digest};
use crate::input::{Meta, TOOL};
use crate::xml::escape;
use orgwatch_checker::Severity;
use std::fmt::Write as _;

pub fn render(d: &Digest, meta: &Meta) -> String {
    let command = d.kind.command();
    let count = |state: CaseState| {
        d.suites
            .iter()
            .flat_map(|s| &s.cases)
            .filter(|c| c.state == state)
            .count()
    };
    let tests: usize = d.suites.iter().map(|s| s.cases.len()).sum();
    let mut o = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        o,
        "<testsuites name=\"{TOOL} {command}\" tests=\"{tests}\" failures=\"{}\" errors=\"{}\" time=\"0\">",
        count(CaseState::Broken),
        count(CaseState::Unknown)
    );
    for (id, suite) in d.suites.iter().enumerate() {
        let n = |state: CaseState| suite.cases.iter().filter(|c| c.state == state).count();
        let _ = writeln!(
            o,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"0\" time=\"0\" timestamp=\"{}\" id=\"{id}\" package=\"{TOOL}.{command}\">",
            escape(&suite.name),
            suite.cases.len(),
            n(CaseState::Broken),
            n(CaseState::Unknown),
            escape(&meta.rfc3339()),
        );
        o.push_str("    <properties>\n");
        for (name, value) in [
            ("account", d.account.as_str()),
            ("region", d.region.as_str()),
            ("control", d.title.as_str()),
            ("verdict", d.status.as_str()),
            ("chain-verdict", suite.status.as_str()),
            ("tool-version", meta.tool_version.as_str()),
        ] {
            let _ = writeln!(
                o,
                "      <property name=\"{name}\" value=\"{}\"/>",
                escape(value)
            );
        }
        o.push_str("    </properties>\n");
        let classname = format!("{TOOL}.{command}.{}", suite.key);
        for case in &suite.cases {
            let _ = write!(
                o,
                "    <testcase name=\"{}\" classname=\"{}\" time=\"0\">",
                escape(&case.name),
                escape(&classname),
            );
            let (blocking, notes): (Vec<usize>, Vec<usize>) = case
                .findings
                .iter()
                .partition(|i| d.findings[**i].severity != Severity::Warning);
            let element = match case.state {
                CaseState::Broken => Some("failure"),
                CaseState::Unknown => Some("error"),
                CaseState::Passed => None,
            };
            if let Some(element) = element {
                let first = blocking.first().map(|i| &d.findings[*i]);
                let (kind, message) = match first {
                    Some(f) => (f.rule, format!("[{}] {}", f.rule, f.message)),
                    None => (
                        case.state.as_str(),
                        format!("{} is {}", case.name, case.state.as_str()),
                    ),
                };
                let _ = write!(
                    o,
                    "\n      <{element} type=\"{}\" message=\"{}\">",
                    escape(kind),
                    escape(&message)
                );
                for i in &blocking {
                    o.push_str(&escape(&detail(d, *i)));
                }
                let _ = write!(o, "</{element}>");
            }
            let mut out: Vec<String> = case.evidence.clone();
            if element.is_none() {
                out.extend(blocking.iter().map(|i| detail(d, *i)));
            }
            out.extend(notes.iter().map(|i| detail(d, *i)));
            if !out.is_empty() {
                let _ = write!(
                    o,
                    "\n      <system-out>{}</system-out>",
                    escape(&out.join("\n"))
                );
            }
            o.push_str(if element.is_some() || !out.is_empty() {
                "\n    </testcase>\n"
            } else {
                "</testcase>\n"
            });
        }
        o.push_str("  </testsuite>\n");
    }
    o.push_str("</testsuites>\n");
    o
}

/// A finding as the text of a failure: reason, message, resources, witness and fix.
fn detail(d: &Digest, i: usize) -> String {
    let f = &d.findings[i];
    let mut s = format!("[{}] ({}) {}\n", f.rule, f.severity.as_str(), f.message);
    if !f.resources.is_empty() {
        let _ = writeln!(s, "resources: {}", f.resources.join(", "));
    }
    if let Some(w) = &f.witness {
        let _ = writeln!(s, "witness: {w}");
    }
    for c in &f.fix {
        let _ = writeln!(s, "fix: {c}");
    }
    s
}
