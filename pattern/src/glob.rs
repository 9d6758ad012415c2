//! `*` wildcards in string values.
//!
//! A value is kept as the pieces between its unescaped `*`s; one piece is a plain literal. Matching is the
//! classic greedy algorithm: the first piece is a prefix, the last a suffix, and each middle piece is found
//! leftmost after the previous one, which is exact for `*`-only globs.

/// A string value with `*` wildcards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Glob {
    pieces: Vec<String>,
}

impl Glob {
    pub fn new(pieces: Vec<String>) -> Self {
        let pieces = if pieces.is_empty() {
            vec![String::new()]
        } else {
            pieces
        };
        Glob { pieces }
    }

    pub fn literal(s: &str) -> Self {
        Glob {
            pieces: vec![s.to_string()],
        }
    }

    pub fn pieces(&self) -> &[String] {
        &self.pieces
    }

    /// The literal text, when the value has no wildcard.
    pub fn as_literal(&self) -> Option<&str> {
        match self.pieces.as_slice() {
            [one] => Some(one),
            _ => None,
        }
    }

    /// True for `*` alone (any string, including the empty one).
    pub fn is_any(&self) -> bool {
        self.pieces.len() >= 2 && self.pieces.iter().all(String::is_empty)
    }

    /// The longest piece; every matching string contains it.
    pub fn longest_piece(&self) -> &str {
        self.pieces
            .iter()
            .max_by_key(|p| p.len())
            .map_or("", String::as_str)
    }

    pub fn is_match(&self, s: &str) -> bool {
        let p = &self.pieces;
        if p.len() == 1 {
            return s == p[0];
        }
        let (first, last) = (&p[0], &p[p.len() - 1]);
        if s.len() < first.len() + last.len()
            || !s.starts_with(first.as_str())
            || !s.ends_with(last.as_str())
        {
            return false;
        }
        let mut rest = &s[first.len()..s.len() - last.len()];
        for mid in &p[1..p.len() - 1] {
            match rest.find(mid.as_str()) {
                Some(i) => rest = &rest[i + mid.len()..],
                None => return false,
            }
        }
        true
    }

    /// An anchored `regex` crate pattern with the same meaning, for automata.
    pub fn to_regex(&self) -> String {
        let parts: Vec<String> = self.pieces.iter().map(|p| ::regex::escape(p)).collect();
        format!("^{}$", parts.join("(?s:.*)"))
    }
}

impl std::fmt::Display for Glob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.pieces.join("*"))
    }
}

#[cfg(test)]
mod tests {
    use super::Glob;

    fn g(s: &str) -> Glob {
        Glob::new(s.split('*').map(str::to_string).collect())
    }

    #[test]
    fn globs() {
        assert!(g("*").is_match(""));
        assert!(g("AccessDenied*").is_match("AccessDeniedException"));
        assert!(!g("AccessDenied*").is_match("xAccessDenied"));
        assert!(g("*UnauthorizedOperation").is_match("Client.UnauthorizedOperation"));
        assert!(g("a*b*c").is_match("abc"));
        assert!(g("a*b*c").is_match("axxbyyc"));
        assert!(!g("a*b*c").is_match("acb"));
        assert!(!g("ab*ba").is_match("aba"));
        assert!(g("Ev*ent").is_match("Ev*ent"));
        assert!(g("Ev*ent").is_match("EvXent"));
        assert!(g("lit").is_match("lit") && !g("lit").is_match("lit2"));
    }
}
