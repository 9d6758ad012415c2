//! The abstract record: one variable per field the patterns can reach, each with its candidate values.
//!
//! Fields form a tree mirroring the selectors. A wildcard is expanded into every field it can reach: `.*`
//! into each known field of the object plus one extra field (when the object is open), `[*]` into the
//! explicit indices plus one further element. A record is then an assignment of a [`Choice`] to every
//! field, and a selector resolves to the values present under that assignment — or to "unknown" while a
//! field on its way is unassigned, which lets the search prune with three-valued logic.

use super::domain::{candidates, Choice, Incomplete};
use super::schema::Shape;
use crate::eval::json::{CTest, Expr, JsonProgram};
use crate::semantics::{Leaf, ValueMatcher};
use crate::syntax::ast::Step;
use std::borrow::Cow;

/// The key prefix used for "some other field" of an open object.
pub const EXTRA_KEY: &str = "orgwatchExtraField";

#[derive(Debug, Clone, PartialEq)]
pub enum Edge {
    Root,
    Key(String),
    Index(usize),
    /// The j-th element after the explicit indices.
    Rest(usize),
}

#[derive(Debug, Clone)]
pub struct Node {
    pub parent: Option<usize>,
    pub edge: Edge,
    pub shape: Shape,
    pub keys: Vec<(String, usize)>,
    pub indices: Vec<usize>,
    /// Elements after the explicit indices: one per wildcard condition, since each existential condition
    /// may need its own witness element.
    pub rest: Vec<usize>,
    /// `.*` was expanded here: the node's object holds exactly its key children.
    pub all_keys: bool,
    pub domain: Vec<Choice>,
}

/// A condition with its selector resolved against the model.
#[derive(Debug, Clone)]
pub struct Atom {
    pub steps: Vec<Step>,
    pub test: CTest,
}

/// A formula over atoms: each pattern's expression, and the questions the analyzer composes from them.
#[derive(Debug, Clone)]
pub enum Formula {
    And(Vec<Formula>),
    Or(Vec<Formula>),
    Not(Box<Formula>),
    Atom(usize),
}

#[derive(Debug, Clone)]
pub struct Model {
    pub nodes: Vec<Node>,
    pub atoms: Vec<Atom>,
    /// One formula per program, in the order given to [`Model::build`].
    pub parts: Vec<Formula>,
    /// How many extra fields or elements a wildcard expands into (the number of wildcard conditions).
    witnesses: usize,
}

impl Model {
    /// Builds the model of `programs` over records of `shape` (each program's formula is one of
    /// [`Model::parts`], for the caller to compose); `template` gives realistic values to prefer.
    pub fn build(
        programs: &[&JsonProgram],
        shape: &Shape,
        template: &serde_json::Value,
    ) -> Result<Model, Incomplete> {
        let root = Node {
            parent: None,
            edge: Edge::Root,
            shape: shape.clone(),
            keys: Vec::new(),
            indices: Vec::new(),
            rest: Vec::new(),
            all_keys: false,
            domain: vec![Choice::Obj],
        };
        let mut m = Model {
            nodes: vec![root],
            atoms: Vec::new(),
            parts: Vec::new(),
            witnesses: 1,
        };
        for p in programs {
            let f = m.formula_of(p, &p.expr);
            m.parts.push(f);
        }
        let atoms = m.atoms.clone();
        m.witnesses = atoms
            .iter()
            .filter(|a| {
                a.steps
                    .iter()
                    .any(|s| matches!(s, Step::AnyKey | Step::AnyIndex))
            })
            .count()
            .max(1);
        // Wildcards expand into the fields other selectors created, so iterate to a fixpoint.
        loop {
            let before = m.nodes.len();
            for a in &atoms {
                m.insert(&a.steps);
            }
            if m.nodes.len() == before {
                break;
            }
        }
        m.fill_domains(template)?;
        Ok(m)
    }

    fn formula_of(&mut self, p: &JsonProgram, e: &Expr) -> Formula {
        match e {
            Expr::And(v) => Formula::And(v.iter().map(|e| self.formula_of(p, e)).collect()),
            Expr::Or(v) => Formula::Or(v.iter().map(|e| self.formula_of(p, e)).collect()),
            Expr::Cond { sel, test } => {
                self.atoms.push(Atom {
                    steps: p.selectors[*sel].selector.steps.clone(),
                    test: test.clone(),
                });
                Formula::Atom(self.atoms.len() - 1)
            }
        }
    }

    fn child(&mut self, parent: usize, edge: Edge) -> usize {
        let existing = match &edge {
            Edge::Key(k) => self.nodes[parent]
                .keys
                .iter()
                .find(|(kk, _)| kk == k)
                .map(|x| x.1),
            Edge::Index(i) => self.nodes[parent].indices.get(*i).copied(),
            Edge::Rest(j) => self.nodes[parent].rest.get(*j).copied(),
            Edge::Root => Some(0),
        };
        if let Some(c) = existing {
            return c;
        }
        if let Edge::Index(i) = edge {
            // Element i exists only after elements 0..i, so they are fields of the model too.
            while self.nodes[parent].indices.len() < i {
                let j = self.nodes[parent].indices.len();
                self.child(parent, Edge::Index(j));
            }
        }
        let shape = match &edge {
            Edge::Key(k) if k.starts_with(EXTRA_KEY) => Shape::any(),
            Edge::Key(k) => self.nodes[parent].shape.field(k),
            Edge::Index(_) | Edge::Rest(_) => Shape {
                required: false,
                ..self.nodes[parent].shape.element()
            },
            Edge::Root => unreachable_root(),
        };
        let id = self.nodes.len();
        self.nodes.push(Node {
            parent: Some(parent),
            edge: edge.clone(),
            shape,
            keys: Vec::new(),
            indices: Vec::new(),
            rest: Vec::new(),
            all_keys: false,
            domain: Vec::new(),
        });
        match edge {
            Edge::Key(k) => self.nodes[parent].keys.push((k, id)),
            Edge::Index(_) => self.nodes[parent].indices.push(id),
            Edge::Rest(_) => self.nodes[parent].rest.push(id),
            Edge::Root => {}
        }
        id
    }

    /// Adds the fields a selector can reach.
    fn insert(&mut self, steps: &[Step]) {
        let mut frontier = vec![0usize];
        for step in steps {
            let mut next = Vec::new();
            for n in frontier {
                match step {
                    Step::Key(k) => next.push(self.child(n, Edge::Key(k.clone()))),
                    Step::Index(i) => next.push(self.child(n, Edge::Index(*i))),
                    Step::AnyKey => {
                        let known: Vec<String> =
                            self.nodes[n].shape.fields.keys().cloned().collect();
                        for k in known {
                            self.child(n, Edge::Key(k));
                        }
                        if self.nodes[n].shape.open {
                            for j in 0..self.witnesses {
                                self.child(n, Edge::Key(format!("{EXTRA_KEY}{}", j + 1)));
                            }
                        }
                        self.nodes[n].all_keys = true;
                        next.extend(self.nodes[n].keys.iter().map(|x| x.1));
                    }
                    Step::AnyIndex => {
                        for j in 0..self.witnesses {
                            self.child(n, Edge::Rest(j));
                        }
                        next.extend(self.nodes[n].indices.iter().copied());
                        next.extend(self.nodes[n].rest.iter().copied());
                    }
                }
            }
            frontier = next;
        }
    }

    fn fill_domains(&mut self, template: &serde_json::Value) -> Result<(), Incomplete> {
        // Which comparison values can reach each field.
        let mut reaching: Vec<Vec<ValueMatcher>> = vec![Vec::new(); self.nodes.len()];
        for a in &self.atoms {
            if let CTest::Cmp(_, v) = &a.test {
                for n in self.reachable(&a.steps) {
                    reaching[n].push(v.clone());
                }
            }
        }
        for (n, matchers) in reaching.iter().enumerate().skip(1) {
            let node = &self.nodes[n];
            let container =
                !node.keys.is_empty() || !node.indices.is_empty() || !node.rest.is_empty();
            let hint = self
                .template_value(n, template)
                .and_then(|v| v.as_str().map(str::to_string));
            let matchers: Vec<&ValueMatcher> = matchers.iter().collect();
            let domain = candidates(&node.shape, &matchers, hint.as_deref(), container)?;
            self.nodes[n].domain = domain;
        }
        Ok(())
    }

    /// The template's value at a field's position, if any.
    pub fn template_value<'t>(
        &self,
        n: usize,
        template: &'t serde_json::Value,
    ) -> Option<&'t serde_json::Value> {
        let mut path = Vec::new();
        let mut cur = n;
        while let Some(p) = self.nodes[cur].parent {
            path.push(self.nodes[cur].edge.clone());
            cur = p;
        }
        let mut v = template;
        for e in path.iter().rev() {
            v = match e {
                Edge::Key(k) => v.get(k)?,
                Edge::Index(i) => v.get(i)?,
                _ => return None,
            };
        }
        Some(v)
    }

    /// Every field a selector can land on, ignoring the values chosen.
    fn reachable(&self, steps: &[Step]) -> Vec<usize> {
        let mut frontier = vec![0usize];
        for step in steps {
            let mut next = Vec::new();
            for n in frontier {
                let node = &self.nodes[n];
                match step {
                    Step::Key(k) => {
                        next.extend(node.keys.iter().filter(|(kk, _)| kk == k).map(|x| x.1))
                    }
                    Step::Index(i) => next.extend(node.indices.get(*i).copied()),
                    Step::AnyKey => next.extend(node.keys.iter().map(|x| x.1)),
                    Step::AnyIndex => {
                        next.extend(node.indices.iter().copied());
                        next.extend(node.rest.iter().copied());
                    }
                }
            }
            frontier = next;
        }
        frontier
    }

    /// Pre-order of the fields, the subtrees of the `first` top-level fields first, in that order. A
    /// field the question does not read early is assigned late, so it is often left unassigned when the
    /// formula is decided, and the witness keeps the template's value there.
    pub fn order(&self, first: &[usize]) -> Vec<usize> {
        let mut out = Vec::with_capacity(self.nodes.len());
        let subtree = |root: usize, out: &mut Vec<usize>| {
            let mut stack = vec![root];
            while let Some(n) = stack.pop() {
                out.push(n);
                let node = &self.nodes[n];
                let mut kids: Vec<usize> = node.keys.iter().map(|x| x.1).collect();
                kids.extend(node.indices.iter().copied());
                kids.extend(node.rest.iter().copied());
                stack.extend(kids.into_iter().rev());
            }
        };
        for &n in first {
            subtree(n, &mut out);
        }
        for (_, n) in &self.nodes[0].keys {
            if !first.contains(n) {
                subtree(*n, &mut out);
            }
        }
        out
    }

    pub fn top_key(&self, key: &str) -> Option<usize> {
        self.nodes[0]
            .keys
            .iter()
            .find(|(k, _)| k == key)
            .map(|x| x.1)
    }
}

fn unreachable_root() -> Shape {
    Shape::any()
}

/// A (partial) record: the chosen value of each field, `None` while unassigned.
#[derive(Debug, Clone)]
pub struct Assignment<'m> {
    pub model: &'m Model,
    pub values: Vec<Option<Choice>>,
}

/// Three-valued truth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tri {
    True,
    False,
    Unknown,
}

impl<'m> Assignment<'m> {
    pub fn new(model: &'m Model) -> Self {
        let mut values = vec![None; model.nodes.len()];
        values[0] = Some(Choice::Obj);
        Assignment { model, values }
    }

    /// Whether field `n` can hold a value given its parent's choice (`None`: the parent is unassigned).
    pub fn parent_allows(&self, n: usize) -> Option<bool> {
        let node = &self.model.nodes[n];
        let p = node.parent?;
        let pv = self.values[p].as_ref()?;
        Some(match node.edge {
            Edge::Key(_) => *pv == Choice::Obj,
            Edge::Index(_) | Edge::Rest(_) => *pv == Choice::Arr,
            Edge::Root => true,
        })
    }

    /// The values a selector reaches; the flag says some field on the way is unassigned.
    fn resolve(&self, steps: &[Step]) -> (Vec<Leaf<'_>>, bool) {
        let mut unknown = false;
        let mut frontier = vec![0usize];
        for step in steps {
            let mut next = Vec::new();
            for n in frontier {
                let node = &self.model.nodes[n];
                match (step, self.values[n].as_ref()) {
                    (_, None) => unknown = true,
                    (Step::Key(k), Some(Choice::Obj)) => {
                        next.extend(node.keys.iter().filter(|(kk, _)| kk == k).map(|x| x.1))
                    }
                    (Step::AnyKey, Some(Choice::Obj)) => next.extend(node.keys.iter().map(|x| x.1)),
                    (Step::Index(i), Some(Choice::Arr)) => {
                        for (j, &c) in node.indices.iter().enumerate().take(i + 1) {
                            match self.values[c].as_ref() {
                                None => {
                                    unknown = true;
                                    break;
                                }
                                Some(Choice::Missing) => break,
                                Some(_) if j == *i => next.push(c),
                                Some(_) => {}
                            }
                        }
                    }
                    (Step::AnyIndex, Some(Choice::Arr)) => {
                        // The elements present: explicit indices, then the further one, up to the first gap.
                        for &c in node.indices.iter().chain(node.rest.iter()) {
                            match self.values[c].as_ref() {
                                None => {
                                    unknown = true;
                                    break;
                                }
                                Some(Choice::Missing) => break,
                                Some(_) => next.push(c),
                            }
                        }
                    }
                    _ => {}
                }
            }
            frontier = next;
        }
        let mut leaves = Vec::new();
        for n in frontier {
            match self.values[n].as_ref() {
                None => unknown = true,
                Some(c) => {
                    if let Some(l) = leaf(c) {
                        leaves.push(l)
                    }
                }
            }
        }
        (leaves, unknown)
    }

    fn atom(&self, a: &Atom) -> Tri {
        let (leaves, unknown) = self.resolve(&a.steps);
        let known = crate::eval::json::test_leaves(&a.test, &leaves);
        match (&a.test, known, unknown) {
            // NOT EXISTS turns false as soon as one value is present.
            (CTest::NotExists, false, _) => Tri::False,
            (CTest::NotExists, true, true) => Tri::Unknown,
            (_, true, _) => Tri::True,
            (_, false, true) => Tri::Unknown,
            (_, false, false) => Tri::False,
        }
    }

    pub fn eval(&self, f: &Formula) -> Tri {
        match f {
            Formula::Atom(i) => self.atom(&self.model.atoms[*i]),
            Formula::Not(f) => match self.eval(f) {
                Tri::True => Tri::False,
                Tri::False => Tri::True,
                Tri::Unknown => Tri::Unknown,
            },
            Formula::And(v) => {
                let mut out = Tri::True;
                for f in v {
                    match self.eval(f) {
                        Tri::False => return Tri::False,
                        Tri::Unknown => out = Tri::Unknown,
                        Tri::True => {}
                    }
                }
                out
            }
            Formula::Or(v) => {
                let mut out = Tri::False;
                for f in v {
                    match self.eval(f) {
                        Tri::True => return Tri::True,
                        Tri::Unknown => out = Tri::Unknown,
                        Tri::False => {}
                    }
                }
                out
            }
        }
    }
}

fn leaf(c: &Choice) -> Option<Leaf<'_>> {
    Some(match c {
        Choice::Missing => return None,
        Choice::Null => Leaf::Null,
        Choice::Bool(b) => Leaf::Bool(*b),
        Choice::Num(n) => Leaf::Num(*n),
        Choice::Str(s) => Leaf::Str(Cow::Borrowed(s)),
        Choice::Obj => Leaf::Object,
        Choice::Arr => Leaf::Array,
    })
}
