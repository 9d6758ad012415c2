//! `check --control all` against the embedded emulator holding the all-fifteen scenario: collection (the
//! SDK over HTTP) and the fifteen decisions, beside the single control on the same account, and the
//! fifteen decisions alone on the collected inventory. The emulator boots once, outside the loops.
//! Goal: the whole check under 50 ms, the analyzer under 5 ms a control
//! (`cargo bench -p orgwatch-pattern --bench matching -- analyze-family`).
//!
//! `cargo bench --bench check`

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use orgwatch_pattern::family::{Benchmark, Control, CONTROLS};

fn check(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/family-all-fifteen-as-v6-prints-them.json"
    );
    let scenario = orgwatch_scenarios::load(std::path::Path::new(path)).expect("scenario");
    let booted = rt
        .block_on(orgwatch_scenarios::boot(&scenario))
        .expect("boot");
    let all: Vec<&'static Control> = CONTROLS.iter().collect();
    let (inv, report) = rt.block_on(orgwatch_checker::check_family(
        &booted.sdk,
        &all,
        Benchmark::V6_0,
    ));
    assert_eq!(report.passed, 15, "the scenario no longer passes");
    let mut g = c.benchmark_group("check");
    g.bench_function("single-control", |b| {
        b.iter(|| rt.block_on(orgwatch_checker::check_config(&booted.sdk, false)))
    });
    g.bench_function("control-all", |b| {
        b.iter(|| {
            rt.block_on(orgwatch_checker::check_family(
                &booted.sdk,
                &all,
                Benchmark::V6_0,
            ))
        })
    });
    g.bench_function("decide-all-fifteen", |b| {
        b.iter(|| orgwatch_checker::decide::decide_family(black_box(&inv), &all, Benchmark::V6_0))
    });
    g.finish();
}

criterion_group!(benches, check);
criterion_main!(benches);
