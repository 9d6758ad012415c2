//! Evaluation of space-delimited patterns: split the event into fields, align the pattern's fields
//! (around its `...`, if any), test conditions and report the extracted values.
//!
//! Fields are separated by runs of spaces and tabs; text between `"` and `"` or between `[` and `]` is one
//! field, and its value drops those delimiters. How surplus event fields are treated is a disputed point
//! ([`crate::semantics::LAST_FIELD_ABSORBS_REST`]).

use super::json::compile_value;
use crate::semantics::{field_compare, is_field_separator, ValueMatcher};
use crate::syntax::ast::{CmpOp, Field, FieldCond};
use crate::syntax::error::PatternError;
use std::collections::BTreeMap;

#[derive(Debug, Clone)]
enum Cond {
    And(Vec<Cond>),
    Or(Vec<Cond>),
    Cmp(CmpOp, ValueMatcher),
}

#[derive(Debug, Clone)]
struct Slot {
    name: Option<String>,
    cond: Option<Cond>,
}

#[derive(Debug, Clone)]
pub struct DelimitedProgram {
    /// Fields before the ellipsis (all of them when there is none).
    head: Vec<Slot>,
    /// Fields after the ellipsis; `None` when the pattern has no ellipsis.
    tail: Option<Vec<Slot>>,
}

/// One field of an event: its value and where its raw text starts.
#[derive(Debug, Clone, Copy)]
pub(crate) struct EventField<'a> {
    pub value: &'a str,
    pub start: usize,
}

/// Splits an event into fields.
pub(crate) fn split(msg: &str) -> Vec<EventField<'_>> {
    let b = msg.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && is_field_separator(b[i]) {
            i += 1;
        }
        if i >= b.len() {
            break;
        }
        let start = i;
        let close = match b[i] {
            b'"' => Some(b'"'),
            b'[' => Some(b']'),
            _ => None,
        };
        let (value, next) =
            match close.and_then(|c| memchr::memchr(c, &b[i + 1..]).map(|k| i + 1 + k)) {
                Some(end) => (&msg[i + 1..end], end + 1),
                None => {
                    let mut j = i;
                    while j < b.len() && !is_field_separator(b[j]) {
                        j += 1;
                    }
                    (&msg[i..j], j)
                }
            };
        out.push(EventField { value, start });
        i = next;
    }
    out
}

fn compile_cond(c: &FieldCond) -> Result<Cond, PatternError> {
    Ok(match c {
        FieldCond::And(v) => Cond::And(v.iter().map(compile_cond).collect::<Result<_, _>>()?),
        FieldCond::Or(v) => Cond::Or(v.iter().map(compile_cond).collect::<Result<_, _>>()?),
        FieldCond::Cmp(op, v) => Cond::Cmp(*op, compile_value(v)?),
    })
}

fn eval(c: &Cond, field: &str) -> bool {
    match c {
        Cond::And(v) => v.iter().all(|c| eval(c, field)),
        Cond::Or(v) => v.iter().any(|c| eval(c, field)),
        Cond::Cmp(op, m) => field_compare(*op, m, field),
    }
}

impl DelimitedProgram {
    pub fn compile(fields: &[Field]) -> Result<Self, PatternError> {
        let mut head = Vec::new();
        let mut tail = None;
        if fields.is_empty() {
            // `[]` extracts every field, like `[...]` (AWS's TestMetricFilter example).
            return Ok(DelimitedProgram {
                head,
                tail: Some(Vec::new()),
            });
        }
        for f in fields {
            match f {
                Field::Ellipsis { .. } => tail = Some(Vec::new()),
                Field::Slot { name, cond, .. } => {
                    let slot = Slot {
                        name: name.clone(),
                        cond: cond.as_ref().map(compile_cond).transpose()?,
                    };
                    match tail.as_mut() {
                        Some(t) => t.push(slot),
                        None => head.push(slot),
                    }
                }
            }
        }
        Ok(DelimitedProgram { head, tail })
    }

    /// The extracted values when the event matches (`$name` for named fields, `$N` for the others).
    pub fn extract(&self, msg: &str) -> Option<BTreeMap<String, String>> {
        let fields = split(msg);
        let mut assigned: Vec<(Option<&Slot>, usize, &str)> = Vec::with_capacity(fields.len());
        match &self.tail {
            None => {
                let n = self.head.len();
                if fields.len() < n || n == 0 {
                    return None;
                }
                for (i, slot) in self.head.iter().enumerate() {
                    let value = if i + 1 == n
                        && fields.len() > n
                        && crate::semantics::LAST_FIELD_ABSORBS_REST
                    {
                        msg[fields[i].start..]
                            .trim_end_matches(|c: char| c.is_ascii() && is_field_separator(c as u8))
                    } else {
                        fields[i].value
                    };
                    assigned.push((Some(slot), i + 1, value));
                }
            }
            Some(tail) => {
                let (h, t) = (self.head.len(), tail.len());
                if fields.len() < h + t {
                    return None;
                }
                let gap = fields.len() - t;
                for (i, f) in fields.iter().enumerate() {
                    let slot = if i < h {
                        Some(&self.head[i])
                    } else if i >= gap {
                        Some(&tail[i - gap])
                    } else {
                        None
                    };
                    assigned.push((slot, i + 1, f.value));
                }
            }
        }
        let mut out = BTreeMap::new();
        for (slot, pos, value) in assigned {
            if let Some(c) = slot.and_then(|s| s.cond.as_ref()) {
                if !eval(c, value) {
                    return None;
                }
            }
            let key = match slot.and_then(|s| s.name.as_deref()) {
                Some(name) => format!("${name}"),
                None => format!("${pos}"),
            };
            out.insert(key, value.to_string());
        }
        Some(out)
    }
}
