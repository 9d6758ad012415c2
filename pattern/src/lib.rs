//! The CloudWatch Logs filter-pattern language, exact to AWS, and a coverage analyzer that proves what a
//! pattern matches.
//!
//! Layers, each its own module: [`syntax`] parses text into an [`Ast`] with spans and enforces AWS's
//! limits; [`regex`] maps AWS's regex subset onto the linear-time `regex` crate; [`eval`] compiles the tree
//! into a matcher over raw messages (JSON is scanned lazily, never parsed into a tree for the common case)
//! and extracts metric and dimension values; [`semantics`] holds every reading the AWS sources leave open;
//! [`coverage`] decides, for a class of CloudTrail records, whether a pattern matches all, some or none of
//! them, with witness records. [`cis`] holds the control's names and pattern. No I/O anywhere.
//!
//! ```
//! use orgwatch_pattern::Pattern;
//! let p = Pattern::parse(r#"{ $.eventSource = "organizations.amazonaws.com" }"#).unwrap();
//! assert!(p.matches(r#"{"eventSource":"organizations.amazonaws.com"}"#));
//! ```

pub mod cis;
pub mod coverage;
pub mod eval;
pub mod family;
pub mod glob;
mod number;
pub mod regex;
pub mod semantics;
pub mod syntax;

use std::collections::BTreeMap;

pub use eval::ValueRef;
pub use syntax::ast::{self, Ast};
pub use syntax::error::{AwsError, Context, ErrorKind, PatternError};

/// A parsed, validated and compiled filter pattern.
#[derive(Debug, Clone)]
pub struct Pattern {
    source: String,
    ast: Ast,
    program: eval::Program,
}

/// One matching event, as TestMetricFilter reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestMatch {
    pub event_number: u64,
    pub event_message: String,
    pub extracted_values: BTreeMap<String, String>,
}

impl Pattern {
    pub fn parse(source: &str) -> Result<Self, PatternError> {
        let ast = syntax::parse(source)?;
        let program = eval::Program::compile(&ast)?;
        Ok(Pattern {
            source: source.to_string(),
            ast,
            program,
        })
    }

    pub fn source(&self) -> &str {
        &self.source
    }

    pub fn ast(&self) -> &Ast {
        &self.ast
    }

    pub fn program(&self) -> &eval::Program {
        &self.program
    }

    /// Whether the raw log message matches.
    pub fn matches(&self, message: &str) -> bool {
        self.program.matches(message)
    }

    /// The values TestMetricFilter reports for one message, or `None` if it does not match.
    pub fn extract(&self, message: &str) -> Option<BTreeMap<String, String>> {
        self.program.extract(message)
    }

    /// TestMetricFilter: the matching messages, numbered as AWS numbers them.
    pub fn test_messages<S: AsRef<str>>(&self, messages: &[S]) -> Vec<TestMatch> {
        messages
            .iter()
            .enumerate()
            .filter_map(|(i, m)| {
                let m = m.as_ref();
                self.extract(m).map(|extracted_values| TestMatch {
                    event_number: i as u64 + semantics::TEST_METRIC_FILTER_FIRST_EVENT_NUMBER,
                    event_message: m.to_string(),
                    extracted_values,
                })
            })
            .collect()
    }

    /// Whether the pattern is a JSON or space-delimited pattern (the kinds that allow dimensions).
    pub fn supports_dimensions(&self) -> bool {
        matches!(self.ast, Ast::Json(_) | Ast::Delimited(_))
    }
}
