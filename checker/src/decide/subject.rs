//! The control a chain is judged for: its intent in the chosen benchmark version, and the words the
//! findings use for its records (`the 18 Organizations events`, `root user calls`).

use orgwatch_pattern::cis;
use orgwatch_pattern::coverage::EventClass;
use orgwatch_pattern::family::{intent, Benchmark, Control};

/// The control a chain is judged for: its intent in the chosen benchmark version, and how messages name
/// its records.
pub struct Subject {
    pub control: &'static Control,
    /// `None`: the single-control check of old, which names no version.
    pub benchmark: Option<Benchmark>,
    pub class: EventClass,
}

impl Subject {
    pub fn new(control: &'static Control, benchmark: Option<Benchmark>) -> Subject {
        Subject {
            control,
            benchmark,
            class: control.class(benchmark.unwrap_or(Benchmark::LATEST)),
        }
    }

    pub(super) fn version(&self) -> Benchmark {
        self.benchmark.unwrap_or(Benchmark::LATEST)
    }

    /// The service whose events the control watches, when it is one.
    pub(crate) fn source(&self) -> Option<&'static str> {
        intent::event_source(self.control, self.version())
    }

    /// Whether the intent's cases are events (`DeletePolicy`) rather than conditions.
    pub(crate) fn unit(&self) -> &'static str {
        if self.source().is_some() {
            "events"
        } else {
            "cases"
        }
    }

    /// The intent's records in a sentence: `the 18 Organizations events`, `root user calls`.
    pub(crate) fn what(&self) -> String {
        if self.source().is_some() {
            format!("the {} {}", self.class.cases.len(), self.control.noun)
        } else {
            self.control.noun.to_string()
        }
    }

    /// How the report names the control.
    pub(super) fn heading(&self) -> String {
        match self.benchmark {
            None if self.control == Control::ORGANIZATIONS => format!(
                "{}: a log metric filter and alarm exist for AWS Organizations changes",
                cis::CONTROL_IDS
            ),
            _ => {
                let b = self.version();
                let ids: Vec<String> = [
                    self.control
                        .cis_id(b)
                        .map(|id| format!("{} {id}", b.title())),
                    self.control
                        .securityhub
                        .map(|s| format!("Security Hub {s}")),
                ]
                .into_iter()
                .flatten()
                .collect();
                format!("{}: {}", ids.join(" / "), self.control.full_title())
            }
        }
    }
}
