#!/usr/bin/env bash
# Hostile input on CI: the request-level fuzzer from botocore's models with three fixed seeds, 20,000
# requests each, against the emulator this run built. Any finding fails the run; the report is kept beside
# the build cache. (The coverage-guided targets, fuzz/run.sh, are not run here yet: building them needs
# the SDK crates again under libFuzzer's instrumentation, longer than CI's budget allows today.) Not yet
# called by .ci/run: the README lists its open findings.
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/orgwatch
BIN=${ORGWATCH_BIN:-target/debug/orgwatch}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
python3 -m venv "$WORK/venv"
"$WORK/venv/bin/pip" install -q --disable-pip-version-check "botocore==1.44.18" "cbor2==6.3.0"
# The peak-RSS bound is what this debug build measures today with room (87 MiB at 4,000 requests of seed
# 2); the issue's 64 MiB is not met yet.
"$WORK/venv/bin/python" fuzz/requests.py --bin "$BIN" --seeds 1,2,3 --count 20000 --max-rss-mib 192 \
  --report "$CACHE/requests-fuzz-report.json"
