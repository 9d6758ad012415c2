//! Prints the coverage of a pattern (the CIS pattern by default) over the 18 Organizations events.
use orgwatch_pattern::{cis, coverage, Pattern};

fn main() {
    let src = std::env::args()
        .nth(1)
        .unwrap_or_else(|| cis::PATTERN.to_string());
    let p = match Pattern::parse(&src) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{}", e.render(&src));
            std::process::exit(2);
        }
    };
    let t = std::time::Instant::now();
    let c = coverage::analyze(&p, &coverage::EventClass::organizations());
    let el = t.elapsed();
    println!("{}", serde_json::to_string_pretty(&c).unwrap());
    eprintln!("analyzed in {el:?}");
}
