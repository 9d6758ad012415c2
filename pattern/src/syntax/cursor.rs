//! A byte cursor over pattern text, shared by the three sub-parsers.
//!
//! Every significant character of the language is ASCII, so the cursor works on bytes and treats any
//! non-ASCII byte as part of a word; spans are byte offsets into the original pattern.

use super::ast::{Span, Value};
use super::error::PatternError;
use crate::number::parse_number;

pub(crate) struct Cursor<'a> {
    pub src: &'a str,
    pub pos: usize,
}

impl<'a> Cursor<'a> {
    pub fn new(src: &'a str, pos: usize) -> Self {
        Cursor { src, pos }
    }

    pub fn bytes(&self) -> &'a [u8] {
        self.src.as_bytes()
    }

    pub fn peek(&self) -> Option<u8> {
        self.bytes().get(self.pos).copied()
    }

    pub fn rest(&self) -> &'a str {
        self.src.get(self.pos..).unwrap_or("")
    }

    pub fn at_end(&self) -> bool {
        self.pos >= self.src.len()
    }

    pub fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b) if b.is_ascii_whitespace()) {
            self.pos += 1;
        }
    }

    pub fn eat(&mut self, s: &str) -> bool {
        if self.rest().starts_with(s) {
            self.pos += s.len();
            true
        } else {
            false
        }
    }

    /// Consumes a keyword (ASCII case-insensitive) that is not followed by a word character.
    pub fn eat_keyword(&mut self, kw: &str) -> bool {
        let rest = self.rest().as_bytes();
        if rest.len() >= kw.len()
            && rest[..kw.len()].eq_ignore_ascii_case(kw.as_bytes())
            && !rest
                .get(kw.len())
                .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
        {
            self.pos += kw.len();
            true
        } else {
            false
        }
    }

    pub fn span_from(&self, start: usize) -> Span {
        start..self.pos
    }

    pub fn error_here(&self, message: impl Into<String>) -> PatternError {
        let end = (self.pos + 1).min(self.src.len()).max(self.pos);
        PatternError::syntax(self.pos..end, message)
    }

    /// A short description of what is at the cursor, for messages.
    pub fn found(&self) -> String {
        match self.rest().chars().next() {
            None => "the end of the pattern".to_string(),
            Some(c) => format!("'{c}'"),
        }
    }

    /// Reads a `"..."` string; a backslash makes the next character literal. Returns the glob pieces (the
    /// text split at unescaped `*`) and the span including the quotes.
    pub fn quoted(&mut self) -> Result<(Vec<String>, Span), PatternError> {
        let start = self.pos;
        self.pos += 1;
        let mut pieces = vec![String::new()];
        loop {
            let Some(c) = self.rest().chars().next() else {
                return Err(PatternError::syntax(
                    start..self.pos,
                    "this quoted string is never closed",
                ));
            };
            self.pos += c.len_utf8();
            match c {
                '"' => return Ok((pieces, start..self.pos)),
                '\\' => {
                    let Some(n) = self.rest().chars().next() else {
                        return Err(PatternError::syntax(
                            start..self.pos,
                            "this quoted string is never closed",
                        ));
                    };
                    self.pos += n.len_utf8();
                    push_char(&mut pieces, n);
                }
                '*' => pieces.push(String::new()),
                _ => push_char(&mut pieces, c),
            }
        }
    }

    /// Reads a `%...%` regular expression; the cursor is on the opening `%`.
    pub fn regex(&mut self) -> Result<super::ast::RegexLit, PatternError> {
        let start = self.pos;
        self.pos += 1;
        match self.rest().find('%') {
            Some(i) => {
                let source = self.rest()[..i].to_string();
                self.pos += i + 1;
                Ok(super::ast::RegexLit {
                    source,
                    span: start..self.pos,
                })
            }
            None => Err(PatternError::syntax(
                start..self.src.len(),
                "this regular expression has no closing '%'",
            )),
        }
    }

    /// Reads a value: quoted string, regex, number or bare word. `stop` lists the bytes that end a bare word.
    pub fn value(&mut self, stop: &[u8]) -> Result<Value, PatternError> {
        let start = self.pos;
        match self.peek() {
            Some(b'"') => {
                let (pieces, span) = self.quoted()?;
                Ok(Value::Str {
                    text: pieces.join("*"),
                    quoted: true,
                    span,
                    pieces,
                })
            }
            Some(b'%') => Ok(Value::Regex(self.regex()?)),
            Some(b'\'') => {
                Err(self
                    .error_here("single quotes are not valid here; put the value in double quotes"))
            }
            _ => {
                while let Some(b) = self.peek() {
                    if b.is_ascii_whitespace() || stop.contains(&b) {
                        break;
                    }
                    if b"\"'(){}[]<>=!%,".contains(&b) {
                        return Err(self.error_here(format!(
                            "unquoted value contains {}; put the value in double quotes",
                            self.found()
                        )));
                    }
                    self.pos += 1;
                }
                let text = &self.src[start..self.pos];
                if text.is_empty() {
                    return Err(
                        self.error_here(format!("expected a value, found {}", self.found()))
                    );
                }
                let span = self.span_from(start);
                if let Some(value) = parse_number(text) {
                    return Ok(Value::Num {
                        text: text.to_string(),
                        value,
                        span,
                    });
                }
                let pieces = text.split('*').map(str::to_string).collect();
                Ok(Value::Str {
                    text: text.to_string(),
                    quoted: false,
                    span,
                    pieces,
                })
            }
        }
    }
}

fn push_char(pieces: &mut [String], c: char) {
    if let Some(last) = pieces.last_mut() {
        last.push(c);
    }
}
