//! The workspace is laid out in one-way layers: no module imports another that imports it back, directly or
//! through others. This test reads every crate's sources, draws the module graph from the paths each file
//! names (`crate::a::b`, `super::x`, a group `super::{x, y}`, a parent's `child::item`), and fails on any
//! cycle, naming it.
//!
//! The graph is read from the text (what a contributor reads when drawing the imports), not from the
//! compiler; test modules (`#[cfg(test)]` onwards) and comments are left out.

use regex::Regex;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const CRATES: &[&str] = &[
    "pattern/src",
    "policy/src",
    "emulator/src",
    "checker/src",
    "drill/src",
    "scenarios/src",
    "formats/src",
    "src",
];

type Module = Vec<String>;

fn modules(src: &Path) -> BTreeMap<Module, PathBuf> {
    let mut out = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            if p.extension().is_none_or(|x| x != "rs") {
                continue;
            }
            let rel = p.strip_prefix(src).unwrap_or(&p).with_extension("");
            let mut parts: Module = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if matches!(
                parts.last().map(String::as_str),
                Some("mod" | "lib" | "main")
            ) {
                parts.pop();
            }
            out.insert(parts, p);
        }
    }
    out
}

/// The source without comments and without the test module at the end of a file.
fn code(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap_or_default();
    text.lines()
        .map(|l| l.split("//").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The longest known module that `path` starts with.
fn resolve(mods: &BTreeMap<Module, PathBuf>, path: &[String]) -> Option<Module> {
    (0..=path.len())
        .rev()
        .map(|k| path[..k].to_vec())
        .find(|m| mods.contains_key(m))
}

fn graph(mods: &BTreeMap<Module, PathBuf>) -> BTreeMap<Module, BTreeSet<Module>> {
    let anchored = Regex::new(r"\b(crate|super|self)((?:::\w+)+)").expect("regex");
    let relative = Regex::new(r"(?:^|[^:\w])(\w+)::").expect("regex");
    let grouped = Regex::new(r"\b(crate|super|self)((?:::\w+)*)::\{([^{}]*)\}").expect("regex");
    let mut g = BTreeMap::new();
    for (m, path) in mods {
        let text = code(&std::fs::read_to_string(path).unwrap_or_default());
        let mut edges = BTreeSet::new();
        let parent: Module = m[..m.len().saturating_sub(1)].to_vec();
        for c in anchored.captures_iter(&text) {
            let mut segs: Vec<String> = c[2]
                .split("::")
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            let mut base = match &c[1] {
                "crate" => Vec::new(),
                "super" => parent.clone(),
                _ => m.clone(),
            };
            while segs.first().is_some_and(|s| s == "super") {
                base.pop();
                segs.remove(0);
            }
            base.extend(segs);
            if let Some(r) = resolve(mods, &base) {
                edges.insert(r);
            }
        }
        // A group (`use super::{a, b::c}`): each member is a path of its own.
        for c in grouped.captures_iter(&text) {
            let mut base = match &c[1] {
                "crate" => Vec::new(),
                "super" => parent.clone(),
                _ => m.clone(),
            };
            let mut segs: Vec<String> = c[2]
                .split("::")
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            while segs.first().is_some_and(|s| s == "super") {
                base.pop();
                segs.remove(0);
            }
            base.extend(segs);
            for member in c[3].split(',') {
                let mut path = base.clone();
                path.extend(
                    member
                        .split("::")
                        .map(str::trim)
                        .filter(|s| !s.is_empty() && *s != "self")
                        .map(str::to_string),
                );
                if let Some(r) = resolve(mods, &path) {
                    edges.insert(r);
                }
            }
        }
        // A module naming its own child (`sns::dispatch` in `services/mod.rs`).
        for c in relative.captures_iter(&text) {
            let mut child = m.clone();
            child.push(c[1].to_string());
            if mods.contains_key(&child) {
                edges.insert(child);
            }
        }
        edges.remove(m);
        g.insert(m.clone(), edges);
    }
    g
}

/// A cycle through `start`, if there is one (depth-first search for a path back to it).
fn cycle_through(g: &BTreeMap<Module, BTreeSet<Module>>, start: &Module) -> Option<Vec<Module>> {
    let mut stack = vec![(start.clone(), vec![start.clone()])];
    let mut seen = BTreeSet::new();
    while let Some((node, path)) = stack.pop() {
        for next in g.get(&node).into_iter().flatten() {
            if next == start {
                let mut p = path.clone();
                p.push(start.clone());
                return Some(p);
            }
            if seen.insert(next.clone()) {
                let mut p = path.clone();
                p.push(next.clone());
                stack.push((next.clone(), p));
            }
        }
    }
    None
}

fn name(m: &Module) -> String {
    if m.is_empty() {
        "(crate root)".into()
    } else {
        m.join("::")
    }
}

#[test]
fn no_module_imports_one_that_imports_it_back() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut cycles = Vec::new();
    let mut checked = 0;
    for krate in CRATES {
        let src = root.join(krate);
        if !src.is_dir() {
            continue;
        }
        let mods = modules(&src);
        checked += mods.len();
        let g = graph(&mods);
        let mut reported = BTreeSet::new();
        for m in g.keys() {
            if reported.contains(m) {
                continue;
            }
            if let Some(c) = cycle_through(&g, m) {
                reported.extend(c.iter().cloned());
                let names: Vec<String> = c.iter().map(name).collect();
                cycles.push(format!("{krate}: {}", names.join(" → ")));
            }
        }
    }
    assert!(
        checked > 50,
        "only {checked} modules found: is the layout read right?"
    );
    assert!(cycles.is_empty(), "import cycles:\n{}", cycles.join("\n"));
}

#[test]
fn the_cycle_finder_finds_a_cycle() {
    let m = |s: &str| -> Module { s.split("::").map(str::to_string).collect() };
    let mut g: BTreeMap<Module, BTreeSet<Module>> = BTreeMap::new();
    g.insert(m("a"), [m("b")].into());
    g.insert(m("b"), [m("c")].into());
    g.insert(m("c"), [m("a")].into());
    g.insert(m("d"), [m("a")].into());
    let c = cycle_through(&g, &m("a")).expect("a cycle");
    assert_eq!(c, vec![m("a"), m("b"), m("c"), m("a")]);
    assert_eq!(cycle_through(&g, &m("d")), None);
}
