//! Fuzzing without nightly: proptest drives parse, match, extract and analyze with arbitrary text,
//! with token soup of the language, and with mutations of the committed seeds
//! (`data/fuzz-seeds.txt`). Nothing may panic, and the analyzer must finish (its budget bounds it).
//! A differential check runs alongside: the lazy JSON matcher agrees with the naive tree walk.

use orgwatch_pattern::coverage::{analyze, EventClass};
use orgwatch_pattern::eval::Program;
use orgwatch_pattern::Pattern;
use proptest::prelude::*;

const EVENTS: &[&str] = &[
    r#"{"eventVersion":"1.11","eventSource":"organizations.amazonaws.com","eventName":"AttachPolicy","userIdentity":{"type":"Root"},"a":[1,"x",{"id":2}],"errorCode":"AccessDenied","latency":1500}"#,
    r#"{"eventType":"UpdateTrail","sourceIPAddress":"111.111.111.111","arrayKey":["value","another value"],"objectList":[{"name":"a","id":1},{"name":"b","id":2}],"SomeObject":null,"ThisFlag":true,"cluster.name":"c"}"#,
    r#"127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534"#,
    "[ERROR 400] BAD REQUEST",
    "",
    "  {\"a\":\"\\u00e9\\\"\"}  ",
    "{\"a\":1} trailing",
    "ümlaut \u{1F600} [unterminated \"quote",
];

const TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    "(",
    ")",
    "$.a",
    "$.eventName",
    "$.*",
    "$.a[*]",
    "$.a[0]",
    "$.['x.y']",
    "$",
    "=",
    "!=",
    "<",
    ">=",
    "==",
    "&&",
    "||",
    "\"x\"",
    "\"",
    "*",
    "a*b",
    "%a.b%",
    "%(%",
    "%",
    "IS NULL",
    "IS TRUE",
    "NOT EXISTS",
    "is",
    "...",
    ",",
    "-",
    "?",
    "1e5",
    "-2.5",
    " ",
    "\n",
    "w1",
    "\\",
    "'x'",
    "organizations.amazonaws.com",
    "é",
];

fn exercise(src: &str) {
    match Pattern::parse(src) {
        Err(e) => {
            let _ = e.render(src);
            let _ = e.aws(orgwatch_pattern::Context::MetricFilter, src);
            assert!(
                e.span.start <= src.len() && e.span.end <= src.len(),
                "span out of range for {src:?}"
            );
        }
        Ok(p) => {
            for ev in EVENTS {
                let m = p.matches(ev);
                assert_eq!(p.extract(ev).is_some(), m, "{src:?} on {ev:?}");
                if let Program::Json(j) = p.program() {
                    assert_eq!(
                        j.matches_tree(ev),
                        m,
                        "lazy and tree disagree: {src:?} on {ev:?}"
                    );
                }
            }
            let _ = p.test_messages(EVENTS);
            let class = EventClass::cloudtrail(
                "organizations.amazonaws.com",
                &["AttachPolicy", "CreateAccount"],
            )
            .expect("class");
            let _ = analyze(&p, &class);
        }
    }
}

fn seeds() -> Vec<String> {
    include_str!("data/fuzz-seeds.txt")
        .lines()
        .map(str::to_string)
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text(src in "\\PC{0,60}") {
        exercise(&src);
    }

    #[test]
    fn token_soup(tokens in prop::collection::vec(prop::sample::select(TOKENS), 0..16)) {
        exercise(&tokens.concat());
    }

    #[test]
    fn mutated_seeds(seed in prop::sample::select(seeds()), edits in prop::collection::vec((any::<prop::sample::Index>(), prop::sample::select(TOKENS), 0u8..3), 1..4)) {
        let mut s: Vec<char> = seed.chars().collect();
        for (at, tok, kind) in edits {
            let i = at.index(s.len() + 1);
            match kind {
                0 => { s.splice(i..i, tok.chars()); }
                1 if i < s.len() => { s.remove(i); }
                _ if i < s.len() => { s.truncate(i); }
                _ => {}
            }
        }
        exercise(&s.into_iter().collect::<String>());
    }
}

#[test]
fn every_seed_parses() {
    for s in seeds() {
        if let Err(e) = Pattern::parse(&s) {
            panic!("seed {s:?}: {}", e.render(&s));
        }
        exercise(&s);
    }
}
