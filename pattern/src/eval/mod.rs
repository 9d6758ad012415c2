//! Matching and value extraction: the compiled form of a pattern.
//!
//! [`Program`] is what a [`crate::Pattern`] runs: one compiled matcher per kind of pattern. Extraction of
//! metric values and dimensions (`$.field`, `$name`, `$N`) goes through [`ValueRef`].

pub mod delimited;
pub mod json;
pub(crate) mod scan;
pub mod terms;

use crate::syntax::ast::{Ast, Selector, Step};
use crate::syntax::error::PatternError;
use std::collections::BTreeMap;

#[derive(Debug, Clone)]
pub enum Program {
    All,
    Terms(terms::TermsProgram),
    Regex(::regex::Regex),
    Json(Box<json::JsonProgram>),
    Delimited(delimited::DelimitedProgram),
}

impl Program {
    pub fn compile(ast: &Ast) -> Result<Self, PatternError> {
        Ok(match ast {
            Ast::MatchAll { .. } => Program::All,
            Ast::Terms(t) => Program::Terms(terms::TermsProgram::compile(t)),
            Ast::Regex(r) => Program::Regex(crate::regex::compile(r)?),
            Ast::Json(e) => Program::Json(Box::new(json::JsonProgram::compile(e)?)),
            Ast::Delimited(f) => Program::Delimited(delimited::DelimitedProgram::compile(f)?),
        })
    }

    pub fn matches(&self, msg: &str) -> bool {
        match self {
            Program::All => true,
            Program::Terms(t) => t.matches(msg),
            Program::Regex(r) => r.is_match(msg),
            Program::Json(j) => j.matches(msg),
            Program::Delimited(d) => d.extract(msg).is_some(),
        }
    }

    /// TestMetricFilter's view of one message: `None` if it does not match, else the extracted values.
    pub fn extract(&self, msg: &str) -> Option<BTreeMap<String, String>> {
        match self {
            Program::Delimited(d) => d.extract(msg),
            _ => self.matches(msg).then(BTreeMap::new),
        }
    }
}

/// Where a metric value or a dimension value comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum ValueRef {
    /// A literal number, such as `1`.
    Literal(f64),
    /// `$.a.b` in a JSON pattern.
    Json(Selector),
    /// `$name` or `$N` in a space-delimited pattern.
    Field(String),
}

impl ValueRef {
    /// Parses a `metricValue` (or a dimension value): a number or a `$` reference.
    pub fn parse(text: &str) -> Result<Self, String> {
        let t = text.trim();
        if let Some(v) = crate::number::parse_number(t) {
            return Ok(ValueRef::Literal(v));
        }
        if t.starts_with("$.") || t.starts_with("$[") {
            let ast =
                crate::syntax::parse(&format!("{{ {t} NOT EXISTS }}")).map_err(|e| e.message)?;
            if let Ast::Json(crate::syntax::ast::JsonExpr::Cond(c)) = ast {
                if c.selector.wildcards() > 0 {
                    return Err(format!(
                        "'{t}' has a wildcard; a metric value needs one field"
                    ));
                }
                return Ok(ValueRef::Json(c.selector));
            }
        }
        if let Some(name) = t.strip_prefix('$') {
            if !name.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
            {
                return Ok(ValueRef::Field(t.to_string()));
            }
        }
        Err(format!(
            "'{t}' is neither a number nor a '$' field reference"
        ))
    }

    /// The value's text for one message (the message is assumed to match the filter).
    pub fn resolve(&self, program: &Program, msg: &str) -> Option<String> {
        match self {
            ValueRef::Literal(v) => Some(format_number(*v)),
            ValueRef::Field(key) => program.extract(msg)?.remove(key),
            ValueRef::Json(sel) => {
                let path: Vec<scan::PathStep> = sel
                    .steps
                    .iter()
                    .filter_map(|s| match s {
                        Step::Key(k) => Some(scan::PathStep::Key(k.clone())),
                        Step::Index(i) => Some(scan::PathStep::Index(*i)),
                        _ => None,
                    })
                    .collect();
                let trie = scan::PathTrie::new(&[path]);
                let mut out = [None];
                if !trie.scan(msg.as_bytes(), &mut out) {
                    return None;
                }
                let raw = &msg[out[0].clone()?];
                match json::leaf_from_raw(raw)? {
                    crate::semantics::Leaf::Str(s) => Some(s.into_owned()),
                    crate::semantics::Leaf::Num(_) => Some(raw.to_string()),
                    crate::semantics::Leaf::Bool(b) => Some(b.to_string()),
                    _ => None,
                }
            }
        }
    }
}

/// Formats a number the way AWS prints doubles in JSON (`1.0`).
pub fn format_number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.1}")
    } else {
        format!("{v}")
    }
}
