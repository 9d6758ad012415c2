#!/usr/bin/env bash
# Hostile input on CI, bounded in count and time; any finding fails the run.
# 1. The request-level fuzzer (fuzz/requests.py) from botocore's models: three fixed seeds, 20,000
#    requests each, against the binary the image ships (the `dist` build ./build-image.sh made), with
#    the issue's 64 MiB bound on peak RSS. Its report is kept beside the build cache.
# 2. Each coverage-guided target (fuzz/run.sh: cargo fuzz, libFuzzer) for FUZZ_SECONDS (default 20) from
#    the seed corpus the tests give, with a fixed libFuzzer seed. cargo-fuzz is installed once into the
#    cache; the targets build in their own target folder there.
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/orgwatch
BIN=${ORGWATCH_DIST_BIN:-${CARGO_TARGET_DIR:-target}/dist/orgwatch}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

echo "-- the request-level fuzzer ($BIN)"
python3 -m venv "$WORK/venv"
"$WORK/venv/bin/pip" install -q --disable-pip-version-check "botocore==1.44.18" "cbor2==6.3.0"
"$WORK/venv/bin/python" fuzz/requests.py --bin "$BIN" --seeds 1,2,3 --count 20000 --max-rss-mib 64 \
  --report "$CACHE/requests-fuzz-report.json"

echo "-- the coverage-guided targets, ${FUZZ_SECONDS:-20} s each"
TOOLS=$CACHE/tools
if ! [ -x "$TOOLS/bin/cargo-fuzz" ]; then
  CARGO_TARGET_DIR="$CACHE/tools-target" cargo install --quiet --locked --root "$TOOLS" cargo-fuzz --version 0.13.2
fi
PATH="$TOOLS/bin:$PATH" fuzz/run.sh "${FUZZ_SECONDS:-20}"
