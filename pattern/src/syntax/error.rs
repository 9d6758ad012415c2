//! Errors: a precise diagnostic for our own tools, and the error AWS itself would return.
//!
//! AWS answers every bad pattern with `InvalidParameterException` and a terse message that depends on the
//! operation ("Invalid metric filter pattern" for PutMetricFilter, "Invalid filter pattern" for
//! FilterLogEvents, ...). Users of our CLI deserve better, so a [`PatternError`] carries both: the span and a
//! sentence saying what is wrong, and [`PatternError::aws`] for the emulator to answer exactly as AWS does.

use super::ast::Span;
use std::fmt;

/// Which AWS operation a pattern was given to; it selects AWS's error text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// PutMetricFilter and TestMetricFilter.
    MetricFilter,
    /// FilterLogEvents, subscription filters and Live Tail.
    FilterLogEvents,
}

/// The error an AWS API returns for a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsError {
    pub code: &'static str,
    pub message: String,
}

/// What kind of problem a pattern has; it decides AWS's message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Any syntax error.
    Syntax,
    /// A pattern that starts with `{` and does not end with `}`.
    UnclosedJson,
    /// Longer than 1024 characters.
    TooLong,
    /// More than two regular expressions.
    TooManyRegexes,
    /// More than one wildcard in a selector, or more than three in a pattern.
    TooManyWildcards,
    /// A regular expression outside AWS's subset.
    Regex,
}

/// A pattern that cannot be used, with where and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError {
    pub kind: ErrorKind,
    pub span: Span,
    pub message: String,
}

impl PatternError {
    pub(crate) fn syntax(span: Span, message: impl Into<String>) -> Self {
        PatternError {
            kind: ErrorKind::Syntax,
            span,
            message: message.into(),
        }
    }

    pub(crate) fn new(kind: ErrorKind, span: Span, message: impl Into<String>) -> Self {
        PatternError {
            kind,
            span,
            message: message.into(),
        }
    }

    /// The error AWS returns for this problem in the given operation.
    ///
    /// The length message is AWS's generic validation text (recorded against AWS); the `{`/`}` text was
    /// reported from FilterLogEvents; every other problem gets the operation's generic message, because AWS
    /// publishes nothing more specific.
    pub fn aws(&self, context: Context, pattern: &str) -> AwsError {
        let message = match self.kind {
            ErrorKind::TooLong => format!(
                "1 validation error detected: Value '{pattern}' at 'filterPattern' failed to satisfy constraint: \
                 Member must have length less than or equal to 1024"
            ),
            ErrorKind::UnclosedJson => "If a filter pattern starts with '{' it must end with '}'".to_string(),
            _ => match context {
                Context::MetricFilter => "Invalid metric filter pattern".to_string(),
                Context::FilterLogEvents => "Invalid filter pattern".to_string(),
            },
        };
        AwsError {
            code: "InvalidParameterException",
            message,
        }
    }

    /// `line:column` (1-based, in characters) of the start of the span within `source`.
    pub fn line_col(&self, source: &str) -> (usize, usize) {
        line_col(source, self.span.start)
    }

    /// A one-line diagnostic: `line:col: message`.
    pub fn render(&self, source: &str) -> String {
        let (l, c) = self.line_col(source);
        format!("{l}:{c}: {}", self.message)
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(source.len());
    let before = source.get(..offset).unwrap_or(source);
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "at {}..{}: {}",
            self.span.start, self.span.end, self.message
        )
    }
}

impl std::error::Error for PatternError {}
