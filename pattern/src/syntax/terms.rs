//! The parser for unstructured patterns: terms, quoted phrases, `?optional` and `-excluded` items.
//!
//! An unquoted `-` or `?` inside a word starts a new item (AWS returns nothing for an unquoted
//! `request-id-123`, which fits `request -id -123`); see [`crate::semantics::UNQUOTED_OPERATORS_SPLIT`].

use super::ast::{Term, TermKind};
use super::cursor::Cursor;
use super::error::PatternError;

pub(crate) fn parse(c: &mut Cursor<'_>) -> Result<Vec<Term>, PatternError> {
    let mut terms = Vec::new();
    loop {
        c.skip_ws();
        if c.at_end() {
            return Ok(terms);
        }
        let start = c.pos;
        let kind = if c.eat("?") {
            TermKind::Optional
        } else if c.eat("-") {
            TermKind::Excluded
        } else {
            TermKind::Required
        };
        if kind != TermKind::Required {
            // The 2018 guide writes `"ERROR" - "Exiting"`: a space may follow the operator.
            c.skip_ws();
        }
        match c.peek() {
            None => return Err(PatternError::syntax(start..c.pos, "an operator needs a term after it")),
            Some(b'"') => {
                let (pieces, _) = c.quoted()?;
                terms.push(Term { kind, text: pieces.join("*"), quoted: true, span: c.span_from(start) });
            }
            Some(b'%') => {
                return Err(c.error_here(
                    "a regular expression must stand alone, or be a value in a JSON or space-delimited pattern",
                ))
            }
            Some(b'?' | b'-') => return Err(c.error_here("an operator needs a term after it")),
            Some(_) => {
                let s = c.pos;
                while let Some(b) = c.peek() {
                    if b.is_ascii_whitespace() || b == b'"' || b == b'%' || ((b == b'-' || b == b'?') && c.pos > s) {
                        break;
                    }
                    c.pos += 1;
                }
                terms.push(Term { kind, text: c.src[s..c.pos].to_string(), quoted: false, span: c.span_from(start) });
            }
        }
    }
}
