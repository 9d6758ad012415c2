//! The abstract syntax tree of a filter pattern.
//!
//! Every node keeps the byte span of the source text it came from, so that diagnostics and reports can point
//! at the exact clause (`pattern matches 17/18 events; the clause at 41..70 ...`). The tree is a faithful
//! record of what was written: quoting, the operator and the raw value text are kept, and the compiled
//! matchers live elsewhere ([`crate::eval`]).

use std::ops::Range;

/// A byte range in the pattern source.
pub type Span = Range<usize>;

/// A whole filter pattern.
#[derive(Debug, Clone, PartialEq)]
pub enum Ast {
    /// An empty or blank pattern (or a quoted blank phrase standing alone): every event matches.
    MatchAll { span: Span },
    /// A list of terms and quoted phrases.
    Terms(Vec<Term>),
    /// A `%regex%` standing alone.
    Regex(RegexLit),
    /// `{ ... }`
    Json(JsonExpr),
    /// `[ ... ]`
    Delimited(Vec<Field>),
}

/// How a term takes part in an unstructured pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermKind {
    /// A plain term: the event must contain it.
    Required,
    /// `?term`: one of the optional terms must be present.
    Optional,
    /// `-term`: the event must not contain it.
    Excluded,
}

/// One item of an unstructured pattern.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    pub kind: TermKind,
    /// The text to search for, quotes removed and escapes resolved.
    pub text: String,
    pub quoted: bool,
    pub span: Span,
}

/// A `%...%` regular expression in AWS's subset, as written (without the `%` delimiters).
#[derive(Debug, Clone, PartialEq)]
pub struct RegexLit {
    pub source: String,
    pub span: Span,
}

/// A boolean expression of a JSON pattern. `&&` binds tighter than `||`.
#[derive(Debug, Clone, PartialEq)]
pub enum JsonExpr {
    And(Vec<JsonExpr>, Span),
    Or(Vec<JsonExpr>, Span),
    Cond(Condition),
}

impl JsonExpr {
    pub fn span(&self) -> Span {
        match self {
            JsonExpr::And(_, s) | JsonExpr::Or(_, s) => s.clone(),
            JsonExpr::Cond(c) => c.span.clone(),
        }
    }
}

/// `selector op value`, `selector IS NULL|TRUE|FALSE` or `selector NOT EXISTS`.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub selector: Selector,
    pub test: Test,
    pub span: Span,
}

/// What a condition asks of the selected value.
#[derive(Debug, Clone, PartialEq)]
pub enum Test {
    Compare(CmpOp, Value),
    IsNull,
    IsTrue,
    IsFalse,
    NotExists,
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CmpOp {
    pub fn as_str(self) -> &'static str {
        match self {
            CmpOp::Eq => "=",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }

    /// True for the operators that only make sense on numbers.
    pub fn is_ordering(self) -> bool {
        matches!(self, CmpOp::Lt | CmpOp::Le | CmpOp::Gt | CmpOp::Ge)
    }
}

/// A property selector such as `$.userIdentity.type`, `$.a[0]`, `$.a[*]`, `$.*` or `$.['a.b']`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Selector {
    pub steps: Vec<Step>,
    /// The selector as written, for messages.
    pub text: String,
}

impl Selector {
    pub fn wildcards(&self) -> usize {
        self.steps
            .iter()
            .filter(|s| matches!(s, Step::AnyKey | Step::AnyIndex))
            .count()
    }
}

/// One step of a selector.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Step {
    Key(String),
    Index(usize),
    /// `.*`: any field of an object.
    AnyKey,
    /// `[*]`: any element of an array.
    AnyIndex,
}

/// The right-hand side of a comparison.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A string, quoted or bare; `*` is a wildcard in both forms (see [`crate::semantics`]). `pieces` is the
    /// text split at its wildcards (one piece: no wildcard); `text` is for display.
    Str {
        text: String,
        quoted: bool,
        span: Span,
        pieces: Vec<String>,
    },
    /// An unquoted number.
    Num {
        text: String,
        value: f64,
        span: Span,
    },
    /// `%regex%`
    Regex(RegexLit),
}

impl Value {
    pub fn span(&self) -> Span {
        match self {
            Value::Str { span, .. } | Value::Num { span, .. } => span.clone(),
            Value::Regex(r) => r.span.clone(),
        }
    }
}

/// One field of a space-delimited pattern.
#[derive(Debug, Clone, PartialEq)]
pub enum Field {
    /// `...`: any number of unnamed fields.
    Ellipsis { span: Span },
    /// A named or unnamed field, with an optional condition on it.
    Slot {
        name: Option<String>,
        cond: Option<FieldCond>,
        span: Span,
    },
}

/// A condition on one delimited field: `op value` clauses joined by `&&` (binding tighter) and `||`.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldCond {
    And(Vec<FieldCond>),
    Or(Vec<FieldCond>),
    Cmp(CmpOp, Value),
}
