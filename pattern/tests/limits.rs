//! The pattern language's only bound on nesting is AWS's 1,024 characters: the deepest pattern that fits
//! is parsed, matched, extracted and analysed for coverage on a thread with a tokio worker's stack (2 MiB),
//! where the emulator and the checker run it, without exhausting it.

use orgwatch_pattern::coverage::{analyze, EventClass};
use orgwatch_pattern::syntax::MAX_PATTERN_CHARS;
use orgwatch_pattern::Pattern;

fn deepest(cond: &str, joiner: &str) -> String {
    let room = MAX_PATTERN_CHARS - "{  }".len() - cond.len();
    let n = room / (2 + joiner.len());
    let mut s = String::from("{ ");
    for _ in 0..n {
        s.push('(');
        s.push_str(joiner);
    }
    s.push_str(cond);
    s.push_str(&")".repeat(n));
    s.push_str(" }");
    assert!(s.chars().count() <= MAX_PATTERN_CHARS);
    s
}

fn on_a_worker_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(f)
        .expect("thread")
        .join()
        .expect("no stack overflow");
}

#[test]
fn the_deepest_pattern_aws_takes_runs_within_a_workers_stack() {
    for (cond, joiner) in [
        ("$.eventName = CreateAccount", ""),
        ("$.eventName = CreateAccount", "$.a NOT EXISTS || "),
    ] {
        let text = deepest(cond, joiner);
        on_a_worker_stack(move || {
            let p = Pattern::parse(&text).expect("within AWS's limits");
            let record =
                r#"{"eventSource":"organizations.amazonaws.com","eventName":"CreateAccount"}"#;
            assert!(p.matches(record));
            assert!(p.extract(record).is_some());
            let _ = analyze(&p, &EventClass::organizations());
        });
    }
    // One character past the limit is AWS's error, not a parse.
    let mut long = deepest("$.eventName = CreateAccount", "");
    long.insert(2, ' ');
    while long.chars().count() <= MAX_PATTERN_CHARS {
        long.insert(2, ' ');
    }
    assert!(Pattern::parse(&long).is_err());
}
