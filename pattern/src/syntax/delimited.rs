//! The parser for space-delimited patterns `[ ... ]`.
//!
//! `[ field ("," field)* ]` where a field is `...`, a name, a name with a condition chain
//! (`status_code = 404 || status_code = 410`), or nothing (an unnamed field, e.g. after a trailing comma).
//! A chain may only name its own field: AWS rejects `status_code = 4* && bytes > 1000` in one slot.

use super::ast::{Field, FieldCond};
use super::cursor::Cursor;
use super::error::PatternError;
use super::json::operator;

/// Bytes that end a bare value inside a delimited pattern.
const STOP: &[u8] = b",]&|";

pub(crate) fn parse(c: &mut Cursor<'_>, end: usize) -> Result<Vec<Field>, PatternError> {
    c.skip_ws();
    if c.pos >= end {
        return Ok(Vec::new());
    }
    let mut fields = Vec::new();
    loop {
        fields.push(field(c, end)?);
        c.skip_ws();
        if c.pos >= end {
            return Ok(fields);
        }
        if !c.eat(",") {
            return Err(c.error_here(format!("expected ',' or ']', found {}", c.found())));
        }
    }
}

fn name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b >= 0x80
}

fn field(c: &mut Cursor<'_>, end: usize) -> Result<Field, PatternError> {
    c.skip_ws();
    let start = c.pos;
    if c.eat("...") {
        return Ok(Field::Ellipsis {
            span: c.span_from(start),
        });
    }
    if c.pos >= end || c.peek() == Some(b',') {
        return Ok(Field::Slot {
            name: None,
            cond: None,
            span: start..start,
        });
    }
    let name = read_name(c);
    if name.is_empty() {
        return Err(c.error_here(format!(
            "expected a field name, '...' or ',', found {}",
            c.found()
        )));
    }
    c.skip_ws();
    let cond = if c.pos < end && matches!(c.peek(), Some(b'=' | b'!' | b'<' | b'>')) {
        Some(or_chain(c, end, &name)?)
    } else {
        None
    };
    Ok(Field::Slot {
        name: Some(name),
        cond,
        span: c.span_from(start),
    })
}

fn read_name(c: &mut Cursor<'_>) -> String {
    let s = c.pos;
    while c.peek().is_some_and(name_byte) {
        c.pos += 1;
    }
    c.src[s..c.pos].to_string()
}

fn or_chain(c: &mut Cursor<'_>, end: usize, name: &str) -> Result<FieldCond, PatternError> {
    let mut items = vec![and_chain(c, end, name)?];
    loop {
        c.skip_ws();
        if c.pos < end && c.eat("||") {
            c.skip_ws();
            expect_same_name(c, name)?;
            items.push(and_chain(c, end, name)?);
        } else {
            break;
        }
    }
    Ok(if items.len() == 1 {
        items.remove(0)
    } else {
        FieldCond::Or(items)
    })
}

fn and_chain(c: &mut Cursor<'_>, end: usize, name: &str) -> Result<FieldCond, PatternError> {
    let mut items = vec![comparison(c, end)?];
    loop {
        c.skip_ws();
        if c.pos < end && c.eat("&&") {
            c.skip_ws();
            expect_same_name(c, name)?;
            items.push(comparison(c, end)?);
        } else {
            break;
        }
    }
    Ok(if items.len() == 1 {
        items.remove(0)
    } else {
        FieldCond::And(items)
    })
}

fn expect_same_name(c: &mut Cursor<'_>, name: &str) -> Result<(), PatternError> {
    let s = c.pos;
    let other = read_name(c);
    if other != name {
        return Err(PatternError::syntax(
            s..c.pos.max(s + 1),
            format!("a condition in field '{name}' can only test '{name}', not '{other}'"),
        ));
    }
    c.skip_ws();
    Ok(())
}

fn comparison(c: &mut Cursor<'_>, end: usize) -> Result<FieldCond, PatternError> {
    c.skip_ws();
    let op = operator(c)?;
    c.skip_ws();
    if c.pos >= end {
        return Err(c.error_here(format!("expected a value after '{}'", op.as_str())));
    }
    let value = c.value(STOP)?;
    Ok(FieldCond::Cmp(op, value))
}
