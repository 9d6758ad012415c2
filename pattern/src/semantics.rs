//! Every reading of the language that AWS's sources leave open, in one place.
//!
//! The reference (`shared/reference/filter-patterns.md` §16–17) lists the points where AWS's documents
//! disagree or are silent. Each choice below names the point, the reading chosen and why, and is the only
//! place the rest of the crate consults; flipping a reading after a probe against real AWS touches this
//! file and its tests. The coverage analyzer reasons with these same functions, so its verdicts follow any
//! change automatically.

use crate::glob::Glob;
use crate::syntax::ast::{CmpOp, Term, TermKind};

/// §16.1 — `" "` (a quoted blank phrase standing alone) matches every event.
///
/// The 2025 user guide says `" "` "returns all log events"; read literally it would need a space in the
/// event. We follow the guide: a pattern made of one quoted phrase that is empty or blank is match-all,
/// like the empty and the whitespace-only pattern.
pub fn quoted_blank_is_match_all(terms: &[Term]) -> bool {
    matches!(terms, [t] if t.kind == TermKind::Required && t.quoted && t.text.trim().is_empty())
}

/// §16.2 — when a plain term is present, `?` terms are ignored (UG-2025: `?ERROR ?ARGUMENTS REQUEST`
/// behaves like `REQUEST`). With no plain term, at least one `?` term must be present. `-` terms always
/// exclude. A pattern of only `-` terms matches events that contain none of them (Lightsail's `-ERROR`).
pub const OPTIONAL_TERMS_IGNORED_WITH_REQUIRED: bool = true;

/// §17.3 — an unquoted `-` or `?` inside a word starts a new excluded/optional item: `request-id-123` is
/// `request -id -123`. This fits the one report (an unquoted dashed id returned nothing, not an error).
/// Other punctuation in an unquoted term (`foo.bar`, `a:b`) is taken literally.
pub const UNQUOTED_OPERATORS_SPLIT: bool = true;

/// §16.3 — `*` is a wildcard anywhere in a value, mid-string included (`Ev*ent` matches `EvXent`).
///
/// The 2018–2021 guide said a mid-string `*` is literal; a 2026 real-AWS run (azul PR #8228) behaved as a
/// wildcard. We follow the newer observation. A backslash inside a quoted value makes `*` literal.
pub const MID_STRING_STAR_IS_WILDCARD: bool = true;

/// §16.4 — unquoted values may contain `.`, `-`, `:`, `/`, `@`, `+`, `#` and `*` (AWS's own controls use
/// `kms.amazonaws.com` and `123.123.*` unquoted); quoted and unquoted values mean the same.
pub const UNQUOTED_VALUES_MAY_HOLD_PUNCTUATION: bool = true;

/// §16.5 — in a space-delimited pattern the last field takes the rest of the line when the event has more
/// fields than the pattern (the 2022+ guide's `[w1=ERROR, w2]` matching multi-word lines); with `...` the
/// fields after it align with the end of the event. An event with fewer fields never matches.
pub const LAST_FIELD_ABSORBS_REST: bool = true;

/// §16.6 — TestMetricFilter numbers events from 1 (the AWS CLI example, captured from the service; the
/// API reference's 0-based example dates from 2014 and looks hand-written).
pub const TEST_METRIC_FILTER_FIRST_EVENT_NUMBER: u64 = 1;

/// §16.7 — how `defaultValue` is emitted: once for every ingested event the filter does not match (the API
/// model's wording, "the value to emit when a filter pattern does not match a log event").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DefaultValueEmission {
    PerNonMatchingEvent,
    PerQuietMinute,
}
pub const DEFAULT_VALUE_EMISSION: DefaultValueEmission = DefaultValueEmission::PerNonMatchingEvent;

/// §16.8 — dimensions together with a defaultValue are rejected, with the 2026 message (the current docs
/// say "you can't specify default values" with dimensions).
pub const DIMENSIONS_WITH_DEFAULT_VALUE_ERROR: &str =
    "Invalid metric transformation: dimensions and default value are mutually exclusive properties";

/// §17.8 — TestMetricFilter reports no extracted values for JSON patterns (`{}`), as for term patterns.
pub const JSON_EXTRACTED_VALUES_EMPTY: bool = true;

/// §17.9 — a JSON pattern only matches a message that is, as a whole, one JSON object (surrounding
/// whitespace aside). Prefixed lines and top-level arrays never match. With duplicate keys the last wins.
/// Raw control characters inside strings are tolerated (no CloudTrail record has them; checking costs a
/// pass over every string).
pub const JSON_MESSAGE_MUST_BE_OBJECT: bool = true;

/// §4.1 — `IS NULL`, `IS TRUE`, `IS FALSE` and `NOT EXISTS` are accepted in any letter case (every AWS
/// example is upper-case; nothing says lower case is rejected).
pub const KEYWORDS_CASE_INSENSITIVE: bool = true;

/// §17.7 — space-delimited fields are separated by runs of spaces and tabs.
pub fn is_field_separator(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// A JSON value reached by a selector, as the comparison rules see it.
#[derive(Debug, Clone, PartialEq)]
pub enum Leaf<'a> {
    Str(std::borrow::Cow<'a, str>),
    Num(f64),
    Bool(bool),
    Null,
    Object,
    Array,
}

/// A compiled right-hand side of a comparison.
#[derive(Debug, Clone)]
pub enum ValueMatcher {
    Glob(Glob),
    Num(f64, String),
    Regex(::regex::Regex),
}

/// §17.5/§17.6 — how one JSON value compares (the typing rules AWS does not document).
///
/// * Strings (with wildcards) and regexes compare with JSON strings; numbers compare with JSON numbers by
///   value (`1e3` equals `1000`). A lone `*` matches any string or number: AWS's `{ $.latency = * }`
///   example matches `50`. Across types nothing is equal: `= 400` does not match `"400"`, `= "400"`
///   does not match `400`.
/// * `!=` is true only for a value of a comparable type that is not equal: `!=` on a missing field is
///   false (real AWS, azul#5884), and so is `!=` on null, a boolean, an object or an array (AWS documents
///   the last two).
/// * `<`, `<=`, `>`, `>=` compare numbers only.
/// * Booleans answer only `IS TRUE`/`IS FALSE` and null only `IS NULL`; `= true` is the string `true`.
pub fn json_compare(op: CmpOp, value: &ValueMatcher, leaf: &Leaf<'_>) -> bool {
    let equal = match (value, leaf) {
        (ValueMatcher::Glob(g), Leaf::Str(s)) => g.is_match(s),
        (ValueMatcher::Glob(g), Leaf::Num(_)) if g.is_any() => true,
        (ValueMatcher::Regex(r), Leaf::Str(s)) => r.is_match(s),
        (ValueMatcher::Num(v, _), Leaf::Num(n)) => return numeric(op, *n, *v),
        _ => return false,
    };
    match op {
        CmpOp::Eq => equal,
        CmpOp::Ne => !equal,
        _ => false,
    }
}

/// Wildcard selectors (`[*]`, `.*`) are existential for every test, `!=` included: `$.a[*] != "v"` is
/// true when some element is a string other than `v` (§17.6). `NOT EXISTS` is true when the selector
/// reaches nothing at all.
pub const WILDCARDS_ARE_EXISTENTIAL: bool = true;

/// §5.1 — comparisons in space-delimited fields, where every field is text. A number compares numerically
/// with a field that reads as a number and otherwise by exact text (`=`, `!=`); strings with wildcards and
/// regexes compare the text.
pub fn field_compare(op: CmpOp, value: &ValueMatcher, field: &str) -> bool {
    let equal = match value {
        ValueMatcher::Glob(g) => g.is_match(field),
        ValueMatcher::Regex(r) => r.is_match(field),
        ValueMatcher::Num(v, text) => match crate::number::parse_number(field) {
            Some(n) => return numeric(op, n, *v),
            None => field == text,
        },
    };
    match op {
        CmpOp::Eq => equal,
        CmpOp::Ne => !equal,
        _ => false,
    }
}

fn numeric(op: CmpOp, n: f64, v: f64) -> bool {
    match op {
        CmpOp::Eq => n == v,
        CmpOp::Ne => n != v,
        CmpOp::Lt => n < v,
        CmpOp::Le => n <= v,
        CmpOp::Gt => n > v,
        CmpOp::Ge => n >= v,
    }
}
