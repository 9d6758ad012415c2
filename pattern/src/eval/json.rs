//! Evaluation of JSON patterns over raw messages.
//!
//! Each distinct selector becomes a capture slot of a [`PathTrie`]: the selector itself when it has no
//! wildcard, or its prefix up to the wildcard, whose captured text is then parsed with serde_json and
//! expanded (wildcards are rare, so only they pay for a tree). A literal that every match must contain is
//! searched for first with `memmem`, so most non-matching CloudTrail records are rejected without a parse.

use super::scan::{PathStep, PathTrie};
use crate::semantics::{json_compare, Leaf, ValueMatcher};
use crate::syntax::ast::{CmpOp, JsonExpr, Selector, Step, Test, Value};
use crate::syntax::error::PatternError;
use memchr::memmem;
use std::borrow::Cow;
use std::ops::Range;

/// A compiled JSON condition.
#[derive(Debug, Clone)]
pub enum CTest {
    Cmp(CmpOp, ValueMatcher),
    IsNull,
    IsTrue,
    IsFalse,
    NotExists,
}

#[derive(Debug, Clone)]
pub(crate) enum Expr {
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Cond { sel: usize, test: CTest },
}

/// A compiled selector: the captured prefix and the steps after the first wildcard, if any.
#[derive(Debug, Clone)]
pub(crate) struct CSelector {
    pub selector: Selector,
    /// Steps from the wildcard on (empty when the selector has no wildcard).
    tail: Vec<Step>,
}

#[derive(Debug, Clone)]
pub struct JsonProgram {
    pub(crate) expr: Expr,
    pub(crate) selectors: Vec<CSelector>,
    trie: PathTrie,
    prefilter: Option<memmem::Finder<'static>>,
}

pub(crate) fn compile_value(v: &Value) -> Result<ValueMatcher, PatternError> {
    Ok(match v {
        Value::Str { pieces, .. } => ValueMatcher::Glob(crate::glob::Glob::new(pieces.clone())),
        Value::Num { value, text, .. } => ValueMatcher::Num(*value, text.clone()),
        Value::Regex(r) => ValueMatcher::Regex(crate::regex::compile(r)?),
    })
}

fn prefix_path(sel: &Selector) -> (Vec<PathStep>, Vec<Step>) {
    let mut prefix = Vec::new();
    for (i, s) in sel.steps.iter().enumerate() {
        match s {
            Step::Key(k) => prefix.push(PathStep::Key(k.clone())),
            Step::Index(n) => prefix.push(PathStep::Index(*n)),
            Step::AnyKey | Step::AnyIndex => return (prefix, sel.steps[i..].to_vec()),
        }
    }
    (prefix, Vec::new())
}

impl JsonProgram {
    pub fn compile(e: &JsonExpr) -> Result<Self, PatternError> {
        let mut selectors: Vec<CSelector> = Vec::new();
        let expr = compile_expr(e, &mut selectors)?;
        let paths: Vec<Vec<PathStep>> = selectors
            .iter()
            .map(|s| prefix_path(&s.selector).0)
            .collect();
        let trie = PathTrie::new(&paths);
        let prefilter = required_literal(&expr)
            .filter(|l| {
                l.len() >= 3
                    && l.bytes()
                        .all(|b| (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\')
            })
            .map(|l| memmem::Finder::new(l.as_bytes()).into_owned());
        Ok(JsonProgram {
            expr,
            selectors,
            trie,
            prefilter,
        })
    }

    pub fn matches(&self, msg: &str) -> bool {
        let b = msg.as_bytes();
        if let Some(f) = &self.prefilter {
            // Without a backslash the message cannot spell the literal with escapes, so its absence is proof.
            if f.find(b).is_none() && memchr::memchr(b'\\', b).is_none() {
                return false;
            }
        }
        let mut slots = vec![None; self.trie.slots()];
        if !self.trie.scan(b, &mut slots) {
            return false;
        }
        self.eval(&self.expr, msg, &slots)
    }

    /// The naive evaluation: parse the whole message into a `serde_json::Value` and walk it. The lazy
    /// matcher must agree with it on every message (a differential test), and the benchmark measures
    /// the speed-up against it.
    pub fn matches_tree(&self, msg: &str) -> bool {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(msg) else {
            return false;
        };
        if !v.is_object() {
            return false;
        }
        self.eval_tree(&self.expr, &v)
    }

    fn eval_tree(&self, e: &Expr, v: &serde_json::Value) -> bool {
        match e {
            Expr::And(items) => items.iter().all(|e| self.eval_tree(e, v)),
            Expr::Or(items) => items.iter().any(|e| self.eval_tree(e, v)),
            Expr::Cond { sel, test } => {
                let mut leaves = Vec::new();
                expand(v, &self.selectors[*sel].selector.steps, &mut leaves);
                test_leaves(test, &leaves)
            }
        }
    }

    fn eval(&self, e: &Expr, msg: &str, slots: &[Option<Range<usize>>]) -> bool {
        match e {
            Expr::And(v) => v.iter().all(|e| self.eval(e, msg, slots)),
            Expr::Or(v) => v.iter().any(|e| self.eval(e, msg, slots)),
            Expr::Cond { sel, test } => {
                let leaves = self.leaves(*sel, msg, slots);
                test_leaves(test, &leaves)
            }
        }
    }

    fn leaves<'m>(
        &self,
        sel: usize,
        msg: &'m str,
        slots: &[Option<Range<usize>>],
    ) -> Vec<Leaf<'m>> {
        let Some(span) = slots[sel].clone() else {
            return Vec::new();
        };
        let raw = &msg[span];
        let tail = &self.selectors[sel].tail;
        if tail.is_empty() {
            return leaf_from_raw(raw).into_iter().collect();
        }
        let Ok(v) = serde_json::from_str::<serde_json::Value>(raw) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        expand(&v, tail, &mut out);
        out
    }
}

/// Applies a test to the values a selector reached (none: the field does not exist).
pub(crate) fn test_leaves(test: &CTest, leaves: &[Leaf<'_>]) -> bool {
    match test {
        CTest::NotExists => leaves.is_empty(),
        CTest::IsNull => leaves.contains(&Leaf::Null),
        CTest::IsTrue => leaves.contains(&Leaf::Bool(true)),
        CTest::IsFalse => leaves.contains(&Leaf::Bool(false)),
        CTest::Cmp(op, v) => leaves.iter().any(|l| json_compare(*op, v, l)),
    }
}

fn compile_expr(e: &JsonExpr, sels: &mut Vec<CSelector>) -> Result<Expr, PatternError> {
    Ok(match e {
        JsonExpr::And(v, _) => Expr::And(
            v.iter()
                .map(|e| compile_expr(e, sels))
                .collect::<Result<_, _>>()?,
        ),
        JsonExpr::Or(v, _) => Expr::Or(
            v.iter()
                .map(|e| compile_expr(e, sels))
                .collect::<Result<_, _>>()?,
        ),
        JsonExpr::Cond(c) => {
            let sel = match sels.iter().position(|s| s.selector == c.selector) {
                Some(i) => i,
                None => {
                    let (_, tail) = prefix_path(&c.selector);
                    sels.push(CSelector {
                        selector: c.selector.clone(),
                        tail,
                    });
                    sels.len() - 1
                }
            };
            let test = match &c.test {
                Test::Compare(op, v) => CTest::Cmp(*op, compile_value(v)?),
                Test::IsNull => CTest::IsNull,
                Test::IsTrue => CTest::IsTrue,
                Test::IsFalse => CTest::IsFalse,
                Test::NotExists => CTest::NotExists,
            };
            Expr::Cond { sel, test }
        }
    })
}

/// A literal every matching message contains: the longest piece of an `=` string value that the whole
/// expression requires (through `&&` only).
fn required_literal(e: &Expr) -> Option<String> {
    match e {
        Expr::Cond {
            test: CTest::Cmp(CmpOp::Eq, ValueMatcher::Glob(g)),
            ..
        } => Some(g.longest_piece().to_string()).filter(|s| !s.is_empty()),
        Expr::Cond { .. } => None,
        Expr::And(v) => v
            .iter()
            .filter_map(required_literal)
            .max_by_key(String::len),
        Expr::Or(_) => None,
    }
}

/// Decodes one captured raw JSON value.
pub(crate) fn leaf_from_raw(raw: &str) -> Option<Leaf<'_>> {
    Some(match raw.as_bytes().first()? {
        b'"' => {
            let inner = &raw[1..raw.len() - 1];
            if inner.contains('\\') {
                Leaf::Str(Cow::Owned(serde_json::from_str::<String>(raw).ok()?))
            } else {
                Leaf::Str(Cow::Borrowed(inner))
            }
        }
        b'{' => Leaf::Object,
        b'[' => Leaf::Array,
        b't' => Leaf::Bool(true),
        b'f' => Leaf::Bool(false),
        b'n' => Leaf::Null,
        _ => Leaf::Num(raw.parse::<f64>().ok()?),
    })
}

pub(crate) fn leaf_from_value(v: &serde_json::Value) -> Leaf<'static> {
    match v {
        serde_json::Value::Null => Leaf::Null,
        serde_json::Value::Bool(b) => Leaf::Bool(*b),
        serde_json::Value::Number(n) => Leaf::Num(n.as_f64().unwrap_or(f64::NAN)),
        serde_json::Value::String(s) => Leaf::Str(Cow::Owned(s.clone())),
        serde_json::Value::Array(_) => Leaf::Array,
        serde_json::Value::Object(_) => Leaf::Object,
    }
}

/// Every value reached by `steps` from `v`; wildcards fan out.
pub(crate) fn expand(v: &serde_json::Value, steps: &[Step], out: &mut Vec<Leaf<'static>>) {
    let Some((step, rest)) = steps.split_first() else {
        out.push(leaf_from_value(v));
        return;
    };
    match (step, v) {
        (Step::Key(k), serde_json::Value::Object(m)) => {
            if let Some(c) = m.get(k) {
                expand(c, rest, out)
            }
        }
        (Step::Index(i), serde_json::Value::Array(a)) => {
            if let Some(c) = a.get(*i) {
                expand(c, rest, out)
            }
        }
        (Step::AnyKey, serde_json::Value::Object(m)) => {
            m.values().for_each(|c| expand(c, rest, out))
        }
        (Step::AnyIndex, serde_json::Value::Array(a)) => {
            a.iter().for_each(|c| expand(c, rest, out))
        }
        _ => {}
    }
}
