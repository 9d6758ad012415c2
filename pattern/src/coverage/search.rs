//! The search for a record that makes a formula true, and the rendering of that record.
//!
//! Depth-first over the fields in pre-order, trying each candidate value; after every choice the formula is
//! evaluated in three-valued logic and the branch is cut as soon as its value is known. Because every
//! field's candidates represent all of its possible values (see [`super::domain`]), an exhausted search is
//! a proof that no record exists. A step budget keeps pathological patterns bounded: past it, the answer is
//! "unknown", which the analyzer reports as `unproven`.

use super::domain::Choice;
use super::model::{Assignment, Edge, Formula, Model, Tri};
use serde_json::{Map, Number, Value};

/// Search steps allowed per question.
pub const STEP_BUDGET: usize = 300_000;

/// The outcome of one search.
pub enum Found<'m> {
    Yes(Assignment<'m>),
    No,
    GaveUp,
}

/// Looks for an assignment that makes `formula` true, assigning fields in `order`.
pub fn find<'m>(model: &'m Model, order: &[usize], formula: &Formula) -> Found<'m> {
    let mut s = Search {
        model,
        order,
        formula,
        steps: 0,
        a: Assignment::new(model),
    };
    match s.dfs(0) {
        Some(true) => Found::Yes(s.a),
        Some(false) => Found::No,
        None => Found::GaveUp,
    }
}

struct Search<'m, 'o> {
    model: &'m Model,
    order: &'o [usize],
    formula: &'o Formula,
    steps: usize,
    a: Assignment<'m>,
}

impl Search<'_, '_> {
    fn domain(&self, n: usize) -> &[Choice] {
        &self.model.nodes[n].domain
    }

    /// `Some(true)`: found (the assignment is left in place); `Some(false)`: none; `None`: over budget.
    fn dfs(&mut self, k: usize) -> Option<bool> {
        self.steps += 1;
        if self.steps > STEP_BUDGET {
            return None;
        }
        match self.a.eval(self.formula) {
            Tri::True => return Some(true),
            Tri::False => return Some(false),
            Tri::Unknown => {}
        }
        let Some(&n) = self.order.get(k) else {
            // Every field assigned yet unknown cannot happen; treat as no.
            return Some(false);
        };
        if self.a.parent_allows(n) == Some(false) {
            self.a.values[n] = Some(Choice::Missing);
            let r = self.dfs(k + 1);
            if r != Some(true) {
                self.a.values[n] = None;
            }
            return r;
        }
        let domain: Vec<Choice> = self.domain(n).to_vec();
        for c in domain {
            self.a.values[n] = Some(c);
            match self.dfs(k + 1) {
                Some(false) => {}
                other => return other,
            }
        }
        self.a.values[n] = None;
        Some(false)
    }
}

/// The record an assignment describes, built on the template. A field the search left unassigned keeps
/// the template's value (or stays absent): the formula's value did not depend on it, and a realistic
/// record is the clearer witness.
pub fn render(a: &Assignment<'_>, template: &Value) -> Value {
    render_node(a, 0, Some(template)).unwrap_or(Value::Null)
}

fn number(v: f64) -> Value {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        Value::from(v as i64)
    } else {
        Number::from_f64(v).map_or(Value::Null, Value::Number)
    }
}

fn render_node(a: &Assignment<'_>, n: usize, template: Option<&Value>) -> Option<Value> {
    let node = &a.model.nodes[n];
    let Some(choice) = a.values[n].clone() else {
        return template.cloned();
    };
    Some(match choice {
        Choice::Missing => return None,
        Choice::Null => Value::Null,
        Choice::Bool(b) => Value::Bool(b),
        Choice::Num(v) => number(v),
        Choice::Str(s) => Value::String(s),
        Choice::Obj => {
            let mut m = match template {
                Some(Value::Object(m)) if !node.all_keys => m.clone(),
                _ => Map::new(),
            };
            for (k, c) in &node.keys {
                let t = template.and_then(|t| t.get(k));
                match render_node(a, *c, t) {
                    Some(v) => {
                        m.insert(k.clone(), v);
                    }
                    None => {
                        m.shift_remove(k);
                    }
                }
            }
            Value::Object(m)
        }
        Choice::Arr => {
            if node.indices.is_empty() && node.rest.is_empty() {
                return Some(match template {
                    Some(Value::Array(v)) => Value::Array(v.clone()),
                    _ => Value::Array(Vec::new()),
                });
            }
            let mut out = Vec::new();
            for (i, &c) in node.indices.iter().chain(node.rest.iter()).enumerate() {
                let t = template.and_then(|t| t.get(i));
                match render_node(a, c, t) {
                    Some(v) => out.push(v),
                    None => break,
                }
            }
            Value::Array(out)
        }
    })
}

/// A short description of a field, for messages (`$.userIdentity.type`).
pub fn path_of(model: &Model, mut n: usize) -> String {
    let mut parts = Vec::new();
    while let Some(p) = model.nodes[n].parent {
        parts.push(match &model.nodes[n].edge {
            Edge::Key(k) => format!(".{k}"),
            Edge::Index(i) => format!("[{i}]"),
            Edge::Rest(j) => format!("[+{j}]"),
            Edge::Root => String::new(),
        });
        n = p;
    }
    parts.reverse();
    format!("${}", parts.concat())
}
