#!/usr/bin/env bash
# The longer hostile-input run (CI's is .ci/fuzz.sh, bounded): the request-level fuzzer with ten seeds of
# 100,000 requests each against the `dist` binary, then each coverage-guided target for SECONDS (default
# 600, the issue's bar), two at a time. Prints each seed's requests, rate and peak RSS, and each target's
# executions and rate; a finding leaves its request in the report or its input under fuzz/artifacts/.
#   benches/scripts/fuzz-long.sh [SECONDS]      (about 20 minutes for the requests, 45 for the targets)
set -euo pipefail
cd "$(dirname "$0")/../.."
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/orgwatch
BIN=${ORGWATCH_DIST_BIN:-${CARGO_TARGET_DIR:-$CACHE/target}/dist/orgwatch}
[ -x "$BIN" ] || { echo "build the dist binary first (./build-image.sh, or cargo build --profile dist)"; exit 2; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
python3 -m venv "$WORK/venv"
"$WORK/venv/bin/pip" install -q --disable-pip-version-check "botocore==1.44.18" "cbor2==6.3.0"
status=0
"$WORK/venv/bin/python" fuzz/requests.py --bin "$BIN" --seeds 1,2,3,4,5,6,7,8,9,10 --count 100000 --max-rss-mib 64 \
  --report "$CACHE/requests-fuzz-long-report.json" || status=1
PATH="$CACHE/tools/bin:$PATH" fuzz/run.sh "${1:-600}" || status=1
exit $status
