#!/usr/bin/env bash
# The coverage-guided targets (cargo fuzz, libFuzzer): each for SECONDS (default 60) from the seed
# corpus fuzz/seeds.py takes from the tests, with a fixed libFuzzer seed, two at a time. A finding
# (panic, stack overflow, one input running past 120 s, 2 GiB) fails the run and leaves its input under
# fuzz/artifacts/TARGET/, to be turned into a test. Prints each target's executions and rate.
#   fuzz/run.sh [SECONDS] [TARGET...]     (not on CI yet; the issue asks 600 s each)
# Needs cargo-fuzz (cargo install cargo-fuzz) and a nightly toolchain, or RUSTC_BOOTSTRAP on stable.
set -euo pipefail
cd "$(dirname "$0")"
SECONDS_EACH=${1:-60}
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || mapfile -t TARGETS < <(sed -n 's/^name = "\(.*\)"$/\1/p' Cargo.toml | grep -v orgwatch-fuzz)
export CARGO_TARGET_DIR="${FUZZ_TARGET_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/orgwatch/fuzz-target}"
TOOLCHAIN=()
if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then TOOLCHAIN=(+nightly); else export RUSTC_BOOTSTRAP=1; fi
# Safe Rust: no sanitizer (a panic, an overflow check or the stack guard is the finding); debug assertions on.
FLAGS=(-s none -a)
cargo "${TOOLCHAIN[@]}" fuzz build "${FLAGS[@]}"
rm -rf corpus && python3 seeds.py corpus >/dev/null
LOGS=$(mktemp -d)
run() {
  local t=$1
  mkdir -p "corpus/$t" "artifacts/$t"
  if cargo "${TOOLCHAIN[@]}" fuzz run "${FLAGS[@]}" "$t" "corpus/$t" -- -max_total_time="$SECONDS_EACH" \
      -seed=1 -timeout=120 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="artifacts/$t/" \
      >"$LOGS/$t.log" 2>&1; then
    local n rate
    n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$LOGS/$t.log")
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$LOGS/$t.log")
    echo "$t: no finding in ${SECONDS_EACH}s: $n executions, $rate/s"
  else
    echo "$t: FINDING (input under fuzz/artifacts/$t/)"; tail -30 "$LOGS/$t.log"; return 1
  fi
}
status=0
for ((i = 0; i < ${#TARGETS[@]}; i += 2)); do
  run "${TARGETS[i]}" & a=$!
  b=""
  if [ $((i + 1)) -lt ${#TARGETS[@]} ]; then run "${TARGETS[i + 1]}" & b=$!; fi
  wait $a || status=1
  [ -z "$b" ] || wait $b || status=1
done
exit $status
