//! The parser for JSON patterns `{ ... }`.
//!
//! Grammar (whitespace between tokens is optional, as in AWS's own control texts):
//! `expr := and ("||" and)*`, `and := primary ("&&" primary)*`, `primary := "(" expr ")" | condition`,
//! `condition := selector (op value | "IS" ("NULL"|"TRUE"|"FALSE") | "NOT" "EXISTS")`.
//! Precedence is AWS's documented `() > && > ||`.

use super::ast::{CmpOp, Condition, JsonExpr, Selector, Step, Test};
use super::cursor::Cursor;
use super::error::PatternError;

/// Bytes that end a bare value inside a JSON pattern.
const STOP: &[u8] = b")&|}";

pub(crate) fn parse(c: &mut Cursor<'_>, end: usize) -> Result<JsonExpr, PatternError> {
    c.skip_ws();
    if c.pos >= end {
        return Err(c.error_here("a JSON pattern needs at least one condition between '{' and '}'"));
    }
    let expr = or_expr(c, end)?;
    c.skip_ws();
    if c.pos < end {
        return Err(c.error_here(format!("expected '&&', '||' or '}}', found {}", c.found())));
    }
    Ok(expr)
}

fn or_expr(c: &mut Cursor<'_>, end: usize) -> Result<JsonExpr, PatternError> {
    let start = c.pos;
    let mut items = vec![and_expr(c, end)?];
    loop {
        c.skip_ws();
        if c.pos < end && c.eat("||") {
            items.push(and_expr(c, end)?);
        } else {
            break;
        }
    }
    Ok(if items.len() == 1 {
        items.remove(0)
    } else {
        JsonExpr::Or(items, c.span_from(start))
    })
}

fn and_expr(c: &mut Cursor<'_>, end: usize) -> Result<JsonExpr, PatternError> {
    let start = c.pos;
    let mut items = vec![primary(c, end)?];
    loop {
        c.skip_ws();
        if c.pos < end && c.eat("&&") {
            items.push(primary(c, end)?);
        } else {
            break;
        }
    }
    Ok(if items.len() == 1 {
        items.remove(0)
    } else {
        JsonExpr::And(items, c.span_from(start))
    })
}

fn primary(c: &mut Cursor<'_>, end: usize) -> Result<JsonExpr, PatternError> {
    c.skip_ws();
    if c.pos >= end {
        return Err(c.error_here("expected a condition, found the end of the pattern"));
    }
    if c.eat("(") {
        let e = or_expr(c, end)?;
        c.skip_ws();
        if c.pos >= end || !c.eat(")") {
            return Err(c.error_here(format!("expected ')', found {}", found_before(c, end))));
        }
        return Ok(e);
    }
    condition(c, end).map(JsonExpr::Cond)
}

fn found_before(c: &Cursor<'_>, end: usize) -> String {
    if c.pos >= end {
        "'}'".to_string()
    } else {
        c.found()
    }
}

fn condition(c: &mut Cursor<'_>, end: usize) -> Result<Condition, PatternError> {
    let start = c.pos;
    let selector = selector(c)?;
    c.skip_ws();
    let test = if c.eat_keyword("IS") {
        c.skip_ws();
        if c.eat_keyword("NULL") {
            Test::IsNull
        } else if c.eat_keyword("TRUE") {
            Test::IsTrue
        } else if c.eat_keyword("FALSE") {
            Test::IsFalse
        } else {
            return Err(c.error_here(format!(
                "expected NULL, TRUE or FALSE after IS, found {}",
                c.found()
            )));
        }
    } else if c.eat_keyword("NOT") {
        c.skip_ws();
        if !c.eat_keyword("EXISTS") {
            return Err(c.error_here(format!("expected EXISTS after NOT, found {}", c.found())));
        }
        Test::NotExists
    } else {
        let op = operator(c)?;
        c.skip_ws();
        if c.pos >= end {
            return Err(c.error_here(format!("expected a value after '{}'", op.as_str())));
        }
        let value = c.value(STOP)?;
        if c.pos > end {
            return Err(PatternError::syntax(
                value.span(),
                "the value runs past the closing '}'",
            ));
        }
        Test::Compare(op, value)
    };
    Ok(Condition {
        selector,
        test,
        span: c.span_from(start),
    })
}

pub(crate) fn operator(c: &mut Cursor<'_>) -> Result<CmpOp, PatternError> {
    for (s, op) in [
        ("!=", CmpOp::Ne),
        ("<=", CmpOp::Le),
        (">=", CmpOp::Ge),
        ("=", CmpOp::Eq),
        ("<", CmpOp::Lt),
        (">", CmpOp::Gt),
    ] {
        if c.eat(s) {
            if c.peek() == Some(b'=') {
                return Err(c.error_here("'==' is not an operator; use '='"));
            }
            return Ok(op);
        }
    }
    Err(c.error_here(format!(
        "expected an operator (=, !=, <, <=, >, >=), IS or NOT EXISTS, found {}",
        c.found()
    )))
}

fn name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'@' || b >= 0x80
}

fn selector(c: &mut Cursor<'_>) -> Result<Selector, PatternError> {
    let start = c.pos;
    if !c.eat("$") {
        return Err(c.error_here(format!(
            "expected a property selector starting with '$.', found {}",
            c.found()
        )));
    }
    let mut steps = Vec::new();
    loop {
        match c.peek() {
            Some(b'.') => {
                c.pos += 1;
                if c.eat("*") {
                    steps.push(Step::AnyKey);
                } else if c.peek() == Some(b'[') {
                    // `$.['a.b']`: a bracketed key after a dot.
                    steps.push(bracket(c)?);
                } else {
                    let s = c.pos;
                    while c.peek().is_some_and(name_byte) {
                        c.pos += 1;
                    }
                    if s == c.pos {
                        return Err(c.error_here(format!(
                            "expected a property name after '.', found {}",
                            c.found()
                        )));
                    }
                    steps.push(Step::Key(c.src[s..c.pos].to_string()));
                }
            }
            Some(b'[') => steps.push(bracket(c)?),
            _ => break,
        }
    }
    if steps.is_empty() {
        return Err(PatternError::syntax(
            start..c.pos,
            "a selector needs at least one property after '$', as in '$.field'",
        ));
    }
    let sel = Selector {
        steps,
        text: c.src[start..c.pos].to_string(),
    };
    if sel.wildcards() > 1 {
        return Err(PatternError::new(
            super::error::ErrorKind::TooManyWildcards,
            start..c.pos,
            "a selector may contain at most one wildcard ('*' or '[*]')",
        ));
    }
    Ok(sel)
}

fn bracket(c: &mut Cursor<'_>) -> Result<Step, PatternError> {
    c.pos += 1; // '['
    if c.eat("*]") {
        return Ok(Step::AnyIndex);
    }
    if c.peek() == Some(b'\'') {
        c.pos += 1;
        let s = c.pos;
        while c.peek().is_some_and(|b| b != b'\'') {
            c.pos += 1;
        }
        let key = c.src[s..c.pos].to_string();
        if !c.eat("']") {
            return Err(c.error_here("expected ']' after a quoted property name"));
        }
        return Ok(Step::Key(key));
    }
    let s = c.pos;
    while c.peek().is_some_and(|b| b.is_ascii_digit()) {
        c.pos += 1;
    }
    let digits = &c.src[s..c.pos];
    if digits.is_empty() || !c.eat("]") {
        return Err(c.error_here("expected an array index, '*' or a quoted name inside '[...]'"));
    }
    digits
        .parse::<usize>()
        .map(Step::Index)
        .map_err(|_| PatternError::syntax(s..c.pos, "this array index is too large"))
}
