//! One full check against the in-process emulator holding the compliant configuration: wall time per
//! check (excluding process start) and the number of API calls. `cargo bench -p orgwatch-checker`.

use orgwatch_checker::{check, Target};
use std::time::{Duration, Instant};

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        // The compliant chain with a confirmed SQS subscriber, booted by the scenario harness.
        let booted = orgwatch_scenarios::boot_catalogue("subscription-sqs").await.unwrap();
        let h = booted.emulator;
        let target = Target { endpoint_url: Some(h.endpoint.clone()), region: Some("us-east-1".into()), profile: None };
        let mut times: Vec<Duration> = Vec::new();
        let mut calls = 0;
        for _ in 0..21 {
            let t = Instant::now();
            let (inv, r) = check(&target).await;
            times.push(t.elapsed());
            assert_eq!(r.status.as_str(), "PASS");
            calls = inv.calls.values().sum::<u32>();
        }
        times.sort();
        println!("full check of the compliant configuration: median {:.1} ms (min {:.1}, max {:.1}) over 21 runs; {calls} API calls", times[10].as_secs_f64() * 1e3, times[0].as_secs_f64() * 1e3, times[20].as_secs_f64() * 1e3);
    });
}
