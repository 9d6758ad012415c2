//! A validating, allocation-free JSON scanner that captures only the values a pattern needs.
//!
//! A JSON pattern usually reads two or three fields of a 1–2 KB record. Building a `serde_json::Value`
//! for every event would spend most of its time allocating the parts nobody reads. Instead the selectors
//! are compiled into a [`PathTrie`]; the scanner walks the message once, checks that it is well-formed
//! JSON, descends only into keys and indices on the trie and records the byte span of each captured value.
//! Strings are skipped with `memchr`. Values are decoded later, and only when a condition asks for them.

use std::ops::Range;

/// Nesting deeper than this is refused (serde_json's default recursion limit).
const MAX_DEPTH: usize = 128;

#[derive(Debug, Default, Clone)]
struct Node {
    keys: Vec<(Box<[u8]>, usize)>,
    indices: Vec<(usize, usize)>,
    slot: Option<usize>,
    /// Every slot in this node's subtree, cleared when a duplicate key replaces it.
    subtree_slots: Vec<usize>,
}

/// The selector prefixes to capture, as a trie over keys and array indices.
#[derive(Debug, Clone)]
pub struct PathTrie {
    nodes: Vec<Node>,
    slots: usize,
}

/// A step of a concrete (wildcard-free) path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PathStep {
    Key(String),
    Index(usize),
}

impl PathTrie {
    /// A trie capturing each path; slot `i` of a scan holds the value at `paths[i]`.
    pub fn new(paths: &[Vec<PathStep>]) -> Self {
        let mut t = PathTrie {
            nodes: vec![Node::default()],
            slots: paths.len(),
        };
        for (slot, path) in paths.iter().enumerate() {
            let mut n = 0;
            for step in path {
                n = t.child_or_insert(n, step);
            }
            t.nodes[n].slot = Some(slot);
        }
        t.fill_subtrees(0);
        t
    }

    fn child_or_insert(&mut self, n: usize, step: &PathStep) -> usize {
        let found = match step {
            PathStep::Key(k) => self.nodes[n]
                .keys
                .iter()
                .find(|(kk, _)| **kk == *k.as_bytes())
                .map(|x| x.1),
            PathStep::Index(i) => self.nodes[n]
                .indices
                .iter()
                .find(|(ii, _)| ii == i)
                .map(|x| x.1),
        };
        if let Some(c) = found {
            return c;
        }
        let c = self.nodes.len();
        self.nodes.push(Node::default());
        match step {
            PathStep::Key(k) => self.nodes[n].keys.push((k.as_bytes().into(), c)),
            PathStep::Index(i) => self.nodes[n].indices.push((*i, c)),
        }
        c
    }

    fn fill_subtrees(&mut self, n: usize) -> Vec<usize> {
        let children: Vec<usize> = self.nodes[n]
            .keys
            .iter()
            .map(|x| x.1)
            .chain(self.nodes[n].indices.iter().map(|x| x.1))
            .collect();
        let mut all: Vec<usize> = self.nodes[n].slot.into_iter().collect();
        for c in children {
            all.extend(self.fill_subtrees(c));
        }
        self.nodes[n].subtree_slots = all.clone();
        all
    }

    pub fn slots(&self) -> usize {
        self.slots
    }

    /// Scans `msg`; on success `out[i]` holds the span of the value at path `i`, or `None` when absent.
    /// Returns false when `msg` is not a single JSON object.
    pub fn scan(&self, msg: &[u8], out: &mut [Option<Range<usize>>]) -> bool {
        out.iter_mut().for_each(|s| *s = None);
        let mut s = Scanner {
            b: msg,
            trie: self,
            out,
        };
        let i = skip_ws(msg, 0);
        if msg.get(i) != Some(&b'{') {
            return false;
        }
        match s.value(i, Some(0), 0) {
            Some(end) => {
                s.record(Some(0), i..end);
                skip_ws(msg, end) == msg.len()
            }
            None => false,
        }
    }
}

struct Scanner<'a, 'o> {
    b: &'a [u8],
    trie: &'a PathTrie,
    out: &'o mut [Option<Range<usize>>],
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r') {
        i += 1;
    }
    i
}

impl Scanner<'_, '_> {
    /// Scans the value at `i`; returns the index just after it.
    fn value(&mut self, i: usize, node: Option<usize>, depth: usize) -> Option<usize> {
        match *self.b.get(i)? {
            b'{' => self.object(i, node, depth + 1),
            b'[' => self.array(i, node, depth + 1),
            b'"' => string_end(self.b, i),
            b't' => literal(self.b, i, b"true"),
            b'f' => literal(self.b, i, b"false"),
            b'n' => literal(self.b, i, b"null"),
            b'-' | b'0'..=b'9' => number_end(self.b, i),
            _ => None,
        }
    }

    /// A key seen again replaces everything captured under its previous value (last duplicate wins).
    fn clear_subtree(&mut self, child: Option<usize>) {
        if let Some(c) = child {
            for &s in &self.trie.nodes[c].subtree_slots {
                self.out[s] = None;
            }
        }
    }

    fn record(&mut self, child: Option<usize>, span: Range<usize>) {
        if let Some(slot) = child.and_then(|c| self.trie.nodes[c].slot) {
            self.out[slot] = Some(span);
        }
    }

    fn object(&mut self, i: usize, node: Option<usize>, depth: usize) -> Option<usize> {
        if depth > MAX_DEPTH {
            return None;
        }
        let mut i = skip_ws(self.b, i + 1);
        if self.b.get(i) == Some(&b'}') {
            return Some(i + 1);
        }
        loop {
            if self.b.get(i) != Some(&b'"') {
                return None;
            }
            let key_end = string_end(self.b, i)?;
            let child = match node {
                Some(n) if !self.trie.nodes[n].keys.is_empty() => {
                    self.key_child(n, &self.b[i + 1..key_end - 1])
                }
                _ => None,
            };
            i = skip_ws(self.b, key_end);
            if self.b.get(i) != Some(&b':') {
                return None;
            }
            i = skip_ws(self.b, i + 1);
            self.clear_subtree(child);
            let end = self.value(i, child, depth)?;
            self.record(child, i..end);
            i = skip_ws(self.b, end);
            match self.b.get(i)? {
                b',' => i = skip_ws(self.b, i + 1),
                b'}' => return Some(i + 1),
                _ => return None,
            }
        }
    }

    fn key_child(&self, n: usize, raw: &[u8]) -> Option<usize> {
        let keys = &self.trie.nodes[n].keys;
        if memchr::memchr(b'\\', raw).is_none() {
            return keys.iter().find(|(k, _)| **k == *raw).map(|x| x.1);
        }
        let mut quoted = Vec::with_capacity(raw.len() + 2);
        quoted.push(b'"');
        quoted.extend_from_slice(raw);
        quoted.push(b'"');
        let key: String = serde_json::from_slice(&quoted).ok()?;
        keys.iter()
            .find(|(k, _)| **k == *key.as_bytes())
            .map(|x| x.1)
    }

    fn array(&mut self, i: usize, node: Option<usize>, depth: usize) -> Option<usize> {
        if depth > MAX_DEPTH {
            return None;
        }
        let mut i = skip_ws(self.b, i + 1);
        if self.b.get(i) == Some(&b']') {
            return Some(i + 1);
        }
        let mut index = 0;
        loop {
            let child = node.and_then(|n| {
                self.trie.nodes[n]
                    .indices
                    .iter()
                    .find(|(ix, _)| *ix == index)
                    .map(|x| x.1)
            });
            let end = self.value(i, child, depth)?;
            self.record(child, i..end);
            index += 1;
            i = skip_ws(self.b, end);
            match self.b.get(i)? {
                b',' => i = skip_ws(self.b, i + 1),
                b']' => return Some(i + 1),
                _ => return None,
            }
        }
    }
}

/// The index just after the string starting at `b[i] == '"'`.
pub(crate) fn string_end(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 1;
    loop {
        let k = j + memchr::memchr2(b'"', b'\\', b.get(j..)?)?;
        if b[k] == b'"' {
            return Some(k + 1);
        }
        // A backslash escapes exactly one character (`\uXXXX` needs no special case to find the end).
        if k + 1 >= b.len() {
            return None;
        }
        j = k + 2;
    }
}

fn literal(b: &[u8], i: usize, word: &[u8]) -> Option<usize> {
    (b.get(i..i + word.len())? == word).then_some(i + word.len())
}

fn number_end(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i;
    if b.get(j) == Some(&b'-') {
        j += 1;
    }
    match b.get(j)? {
        b'0' => j += 1,
        b'1'..=b'9' => {
            while b.get(j).is_some_and(u8::is_ascii_digit) {
                j += 1;
            }
        }
        _ => return None,
    }
    if b.get(j) == Some(&b'.') {
        j += 1;
        let s = j;
        while b.get(j).is_some_and(u8::is_ascii_digit) {
            j += 1;
        }
        if j == s {
            return None;
        }
    }
    if matches!(b.get(j), Some(b'e' | b'E')) {
        j += 1;
        if matches!(b.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        let s = j;
        while b.get(j).is_some_and(u8::is_ascii_digit) {
            j += 1;
        }
        if j == s {
            return None;
        }
    }
    Some(j)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(msg: &str, paths: &[&[&str]]) -> Option<Vec<Option<String>>> {
        let paths: Vec<Vec<PathStep>> = paths
            .iter()
            .map(|p| {
                p.iter()
                    .map(|s| {
                        s.parse::<usize>()
                            .map(PathStep::Index)
                            .unwrap_or_else(|_| PathStep::Key(s.to_string()))
                    })
                    .collect()
            })
            .collect();
        let t = PathTrie::new(&paths);
        let mut out = vec![None; t.slots()];
        t.scan(msg.as_bytes(), &mut out).then(|| {
            out.into_iter()
                .map(|s| s.map(|r| msg[r].to_string()))
                .collect()
        })
    }

    #[test]
    fn captures_and_validates() {
        let m = r#" {"a": {"b": [1, {"c": "x\"y"}]}, "d": -1.5e3, "e": null} "#;
        let got = scan(m, &[&["a", "b", "1", "c"], &["d"], &["e"], &["zz"]]).unwrap();
        assert_eq!(
            got,
            vec![
                Some(r#""x\"y""#.into()),
                Some("-1.5e3".into()),
                Some("null".into()),
                None
            ]
        );
        assert!(scan("[1]", &[&["a"]]).is_none());
        assert!(scan(r#"{"a":1} x"#, &[&["a"]]).is_none());
        assert!(scan(r#"{"a":01}"#, &[&["a"]]).is_none());
        assert!(scan(r#"{"a":1,}"#, &[&["a"]]).is_none());
        assert!(scan(r#"{"a" 1}"#, &[&["a"]]).is_none());
        assert!(scan(r#"{"a":tru}"#, &[&["a"]]).is_none());
        assert!(scan(r#"{"a":"unterminated}"#, &[&["a"]]).is_none());
        assert!(scan(&"[".repeat(200), &[&["a"]]).is_none());
    }

    #[test]
    fn duplicate_keys_last_wins_with_subtrees_cleared() {
        let got = scan(r#"{"a":{"b":1},"a":2}"#, &[&["a", "b"], &["a"]]).unwrap();
        assert_eq!(got, vec![None, Some("2".into())]);
        let got = scan(r#"{"k\u0061":1}"#, &[&["ka"]]).unwrap();
        assert_eq!(got, vec![Some("1".into())]);
    }
}
