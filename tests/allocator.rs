//! The binary's allocator gives memory back (`src/allocator.rs`): its options are set before mimalloc
//! reads them, and the environment still overrides them. mimalloc prints the options it reads with
//! `MIMALLOC_VERBOSE=1`, so the binary's own start-up says which were in force.

use std::process::Command;

/// The options mimalloc read when `orgwatch --version` started, as it prints them.
fn options_read(env: &[(&str, &str)]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_orgwatch"))
        .arg("--version")
        .env("MIMALLOC_VERBOSE", "1")
        .envs(env.iter().copied())
        .output()
        .expect("runs");
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn arenas_commit_on_demand_and_freed_pages_are_purged_at_once() {
    let printed = options_read(&[]);
    assert!(
        printed.contains("option 'arena_eager_commit': 0"),
        "{printed}"
    );
    assert!(printed.contains("option 'purge_delay': 0"), "{printed}");
}

#[test]
fn the_environment_still_wins() {
    let printed = options_read(&[("MIMALLOC_PURGE_DELAY", "250")]);
    assert!(printed.contains("option 'purge_delay': 250"), "{printed}");
}
