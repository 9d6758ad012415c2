//! AWS's regular-expression subset, translated onto the linear-time `regex` crate.
//!
//! AWS allows letters, digits, `: _ # = @ / ; , -` and space as literals, the operators
//! `^ $ ? [ ] { } | \ * + .`, the classes `\d \D \s \S \w \W` and `\xhh`; it forbids parentheses (no
//! groups, hence no inline flags) and multi-byte characters, and matching is a case-sensitive unanchored
//! search. The translation rewrites the shorthand classes to their ASCII meaning (the `regex` crate's are
//! Unicode-aware), turns `{,n}` into `{0,n}`, and escapes class members so that the crate's class set
//! operators (`&&`, `--`, `~~`) can never appear by accident. Anything outside the subset is rejected
//! with a message naming the character.

use crate::syntax::ast::RegexLit;
use crate::syntax::error::{ErrorKind, PatternError};

/// The compiled-program size above which a regex is refused, standing in for AWS's
/// "Regular expression evaluation time exceeded allowed limit".
const SIZE_LIMIT: usize = 1 << 20;

/// Compiles an AWS regex for unanchored search.
pub fn compile(lit: &RegexLit) -> Result<::regex::Regex, PatternError> {
    let translated = translate(&lit.source).map_err(|(at, msg)| {
        // +1 for the opening '%'
        let pos = lit.span.start + 1 + at;
        PatternError::new(ErrorKind::Regex, pos..pos + 1, msg)
    })?;
    ::regex::RegexBuilder::new(&translated)
        .size_limit(SIZE_LIMIT)
        .build()
        .map_err(|e| {
            PatternError::new(
                ErrorKind::Regex,
                lit.span.clone(),
                format!("invalid regular expression: {}", first_line(&e.to_string())),
            )
        })
}

fn first_line(s: &str) -> &str {
    s.lines()
        .rev()
        .find(|l| l.starts_with("error:"))
        .unwrap_or_else(|| s.lines().next().unwrap_or(s))
}

const LITERALS: &[u8] = b":_#=@/;,- ";

/// Translates AWS syntax to `regex` crate syntax; on failure, the byte offset and a message.
pub fn translate(src: &str) -> Result<String, (usize, String)> {
    if src.is_empty() {
        return Err((0, "a regular expression cannot be empty".to_string()));
    }
    let b = src.as_bytes();
    let mut out = String::with_capacity(src.len() + 8);
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            b'(' | b')' => {
                return Err((
                    i,
                    "parentheses are not supported in AWS regular expressions".to_string(),
                ))
            }
            b'\\' => {
                let (s, n) = escape(b, i, false)?;
                out.push_str(&s);
                i += n;
                continue;
            }
            b'[' => {
                let n = class(b, i, &mut out)?;
                i += n;
                continue;
            }
            b'{' => {
                let n = repetition(b, i, &mut out)?;
                i += n;
                continue;
            }
            b'^' | b'$' | b'?' | b'|' | b'*' | b'+' | b'.' => out.push(c as char),
            b']' | b'}' => return Err((i, format!("unbalanced '{}'", c as char))),
            _ if c.is_ascii_alphanumeric() => out.push(c as char),
            _ if LITERALS.contains(&c) => {
                if c == b'#' || c == b'-' {
                    out.push('\\');
                }
                out.push(c as char)
            }
            _ if c >= 0x80 => {
                return Err((
                    i,
                    "multi-byte characters are not supported in AWS regular expressions"
                        .to_string(),
                ))
            }
            _ => {
                return Err((
                    i,
                    format!(
                        "'{}' is not supported in AWS regular expressions",
                        c as char
                    ),
                ))
            }
        }
        i += 1;
    }
    Ok(out)
}

/// `\d`, `\xhh`, `\.` ... at `b[i]`; returns the translation and the bytes consumed.
fn escape(b: &[u8], i: usize, in_class: bool) -> Result<(String, usize), (usize, String)> {
    let Some(&n) = b.get(i + 1) else {
        return Err((i, "a regular expression cannot end with '\\'".to_string()));
    };
    let class = |pos: &str, neg: &str| -> Result<(String, usize), (usize, String)> {
        if in_class {
            if neg.is_empty() {
                Ok((pos.to_string(), 2))
            } else {
                Err((
                    i,
                    format!("'\\{}' is not supported inside '[...]'", n as char),
                ))
            }
        } else if neg.is_empty() {
            Ok((format!("[{pos}]"), 2))
        } else {
            Ok((format!("[^{pos}]"), 2))
        }
    };
    const DIGIT: &str = "0-9";
    const WORD: &str = "A-Za-z0-9_";
    const SPACE: &str = "\\t\\n\\x0B\\x0C\\r ";
    match n {
        b'd' => class(DIGIT, ""),
        b'D' => class(DIGIT, "^"),
        b'w' => class(WORD, ""),
        b'W' => class(WORD, "^"),
        b's' => class(SPACE, ""),
        b'S' => class(SPACE, "^"),
        b'x' => {
            let hex = b
                .get(i + 2..i + 4)
                .filter(|h| h.iter().all(u8::is_ascii_hexdigit));
            match hex {
                Some(h) => Ok((format!("\\x{}", String::from_utf8_lossy(h)), 4)),
                None => Err((
                    i,
                    "'\\x' must be followed by two hexadecimal digits".to_string(),
                )),
            }
        }
        _ if n.is_ascii_punctuation() || n == b' ' => Ok((format!("\\{}", n as char), 2)),
        _ => Err((i, format!("'\\{}' is not a supported escape", n as char))),
    }
}

/// A `[...]` class starting at `b[i]`; returns the bytes consumed.
fn class(b: &[u8], i: usize, out: &mut String) -> Result<usize, (usize, String)> {
    let mut j = i + 1;
    out.push('[');
    if b.get(j) == Some(&b'^') {
        out.push('^');
        j += 1;
    }
    let mut members = 0;
    let mut prev_single = false;
    loop {
        let Some(&c) = b.get(j) else {
            return Err((i, "this '[' is never closed".to_string()));
        };
        match c {
            b']' if members > 0 => {
                out.push(']');
                return Ok(j + 1 - i);
            }
            b'\\' => {
                let (s, n) = escape(b, j, true)?;
                prev_single = s.len() <= 2 && !matches!(b.get(j + 1), Some(b'd' | b'w' | b's'));
                out.push_str(&s);
                j += n;
            }
            b'-' if prev_single && b.get(j + 1).is_some_and(|n| *n != b']') => {
                out.push('-');
                prev_single = false;
                j += 1;
                continue;
            }
            b'(' | b')' => {
                return Err((
                    j,
                    "parentheses are not supported in AWS regular expressions".to_string(),
                ))
            }
            _ if c >= 0x80 => {
                return Err((
                    j,
                    "multi-byte characters are not supported in AWS regular expressions"
                        .to_string(),
                ))
            }
            _ if c.is_ascii_alphanumeric() => {
                out.push(c as char);
                prev_single = true;
                j += 1;
            }
            _ if LITERALS.contains(&c) || b"^$?[]{}|*+.".contains(&c) => {
                out.push('\\');
                out.push(c as char);
                prev_single = true;
                j += 1;
            }
            _ => {
                return Err((
                    j,
                    format!(
                        "'{}' is not supported in AWS regular expressions",
                        c as char
                    ),
                ))
            }
        }
        members += 1;
    }
}

/// A `{m,n}` repetition at `b[i]`; `{,n}` becomes `{0,n}`.
fn repetition(b: &[u8], i: usize, out: &mut String) -> Result<usize, (usize, String)> {
    let close = b[i..]
        .iter()
        .position(|&c| c == b'}')
        .ok_or((i, "this '{' is never closed".to_string()))?;
    let inner = std::str::from_utf8(&b[i + 1..i + close]).unwrap_or("");
    let bad = || {
        (
            i,
            "expected a repetition such as {3}, {3,5}, {3,} or {,5}".to_string(),
        )
    };
    let (lo, hi) = match inner.split_once(',') {
        None => (inner, Some(inner)),
        Some((lo, hi)) => (lo, if hi.is_empty() { None } else { Some(hi) }),
    };
    let num = |s: &str| {
        s.parse::<u32>()
            .ok()
            .filter(|_| s.bytes().all(|c| c.is_ascii_digit()))
    };
    let lo = if lo.is_empty() { Some(0) } else { num(lo) };
    let lo = lo.ok_or_else(bad)?;
    match hi {
        Some(h) if inner.contains(',') || !h.is_empty() => {
            let h = num(h).ok_or_else(bad)?;
            if h < lo {
                return Err((
                    i,
                    "the repetition's upper bound is below its lower bound".to_string(),
                ));
            }
            if inner.contains(',') {
                out.push_str(&format!("{{{lo},{h}}}"));
            } else {
                out.push_str(&format!("{{{lo}}}"));
            }
        }
        _ => out.push_str(&format!("{{{lo},}}")),
    }
    Ok(close + 1)
}
