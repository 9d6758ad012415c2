//! Parsing and validation: pattern text to an [`Ast`], with AWS's limits enforced.
//!
//! The first non-blank character picks the kind of pattern (`{` JSON, `[` space-delimited, a lone `%...%`
//! regex, anything else a list of terms). After parsing, the limits AWS documents are checked: 1024
//! characters, two regular expressions per pattern, one wildcard per selector and three per pattern, and
//! every regex within AWS's subset ([`crate::regex`]).

pub mod ast;
mod cursor;
mod delimited;
pub mod error;
mod json;
mod terms;

use ast::{Ast, Field, FieldCond, JsonExpr, RegexLit, Test, Value};
use cursor::Cursor;
use error::{ErrorKind, PatternError};

/// AWS's limit on `filterPattern`, in characters.
pub const MAX_PATTERN_CHARS: usize = 1024;
/// "a limit of 2 regex for each filter pattern" (FilterAndPatternSyntax).
pub const MAX_REGEXES: usize = 2;
/// "up to three wildcard selectors in a filter pattern with compound expressions".
pub const MAX_WILDCARD_SELECTORS: usize = 3;

/// Parses and validates a filter pattern.
pub fn parse(src: &str) -> Result<Ast, PatternError> {
    if src.chars().count() > MAX_PATTERN_CHARS {
        return Err(PatternError::new(
            ErrorKind::TooLong,
            0..src.len(),
            format!(
                "the pattern is {} characters long; AWS allows at most {MAX_PATTERN_CHARS}",
                src.chars().count()
            ),
        ));
    }
    let start = src.len() - src.trim_start().len();
    let end = src.trim_end().len();
    let trimmed = &src[start..end.max(start)];
    let ast = if trimmed.is_empty() {
        Ast::MatchAll { span: 0..src.len() }
    } else if trimmed.starts_with('{') {
        if !trimmed.ends_with('}') || trimmed.len() < 2 {
            return Err(PatternError::new(
                ErrorKind::UnclosedJson,
                start..end,
                "a pattern that starts with '{' must end with '}'",
            ));
        }
        let mut c = Cursor::new(src, start + 1);
        Ast::Json(json::parse(&mut c, end - 1)?)
    } else if trimmed.starts_with('[') {
        if !trimmed.ends_with(']') || trimmed.len() < 2 {
            return Err(PatternError::syntax(
                start..end,
                "a pattern that starts with '[' must end with ']'",
            ));
        }
        let mut c = Cursor::new(src, start + 1);
        Ast::Delimited(delimited::parse(&mut c, end - 1)?)
    } else if trimmed.len() >= 2
        && trimmed.starts_with('%')
        && trimmed.ends_with('%')
        && trimmed.matches('%').count() == 2
    {
        Ast::Regex(RegexLit {
            source: trimmed[1..trimmed.len() - 1].to_string(),
            span: start..end,
        })
    } else {
        let mut c = Cursor::new(src, 0);
        let terms = terms::parse(&mut c)?;
        if crate::semantics::quoted_blank_is_match_all(&terms) {
            Ast::MatchAll { span: 0..src.len() }
        } else {
            Ast::Terms(terms)
        }
    };
    validate(&ast)?;
    Ok(ast)
}

/// The limits that need the whole tree.
fn validate(ast: &Ast) -> Result<(), PatternError> {
    let regexes = regexes(ast);
    if let Some(third) = regexes.get(MAX_REGEXES) {
        return Err(PatternError::new(
            ErrorKind::TooManyRegexes,
            third.span.clone(),
            format!("a filter pattern may contain at most {MAX_REGEXES} regular expressions"),
        ));
    }
    for r in &regexes {
        crate::regex::compile(r)?;
    }
    if let Ast::Json(e) = ast {
        let mut wild = Vec::new();
        each_condition(e, &mut |c| {
            if c.selector.wildcards() > 0 {
                wild.push(c.span.clone());
            }
        });
        if let Some(fourth) = wild.get(MAX_WILDCARD_SELECTORS) {
            return Err(PatternError::new(
                ErrorKind::TooManyWildcards,
                fourth.clone(),
                format!("a filter pattern may contain at most {MAX_WILDCARD_SELECTORS} wildcard selectors"),
            ));
        }
        let mut bad = None;
        each_condition(e, &mut |c| {
            if let Test::Compare(op, v) = &c.test {
                if op.is_ordering() && !matches!(v, Value::Num { .. }) && bad.is_none() {
                    bad = Some(PatternError::syntax(
                        v.span(),
                        format!(
                            "'{}' compares numbers; this value is not a number",
                            op.as_str()
                        ),
                    ));
                }
            }
        });
        if let Some(e) = bad {
            return Err(e);
        }
    }
    if let Ast::Delimited(fields) = ast {
        let ellipses: Vec<_> = fields
            .iter()
            .filter(|f| matches!(f, Field::Ellipsis { .. }))
            .collect();
        if let Some(Field::Ellipsis { span }) = ellipses.get(1) {
            return Err(PatternError::syntax(
                span.clone(),
                "a space-delimited pattern may contain only one '...'",
            ));
        }
    }
    Ok(())
}

/// Every regular expression in the pattern, in source order.
pub fn regexes(ast: &Ast) -> Vec<&RegexLit> {
    let mut out = Vec::new();
    match ast {
        Ast::Regex(r) => out.push(r),
        Ast::Json(e) => each_condition(e, &mut |c| {
            if let Test::Compare(_, Value::Regex(r)) = &c.test {
                out.push(r);
            }
        }),
        Ast::Delimited(fields) => {
            for f in fields {
                if let Field::Slot {
                    cond: Some(cond), ..
                } = f
                {
                    field_regexes(cond, &mut out);
                }
            }
        }
        Ast::MatchAll { .. } | Ast::Terms(_) => {}
    }
    out
}

fn field_regexes<'a>(c: &'a FieldCond, out: &mut Vec<&'a RegexLit>) {
    match c {
        FieldCond::And(v) | FieldCond::Or(v) => v.iter().for_each(|c| field_regexes(c, out)),
        FieldCond::Cmp(_, Value::Regex(r)) => out.push(r),
        FieldCond::Cmp(..) => {}
    }
}

/// Calls `f` on every condition of a JSON expression, in source order.
pub fn each_condition<'a>(e: &'a JsonExpr, f: &mut impl FnMut(&'a ast::Condition)) {
    match e {
        JsonExpr::And(v, _) | JsonExpr::Or(v, _) => v.iter().for_each(|e| each_condition(e, f)),
        JsonExpr::Cond(c) => f(c),
    }
}
