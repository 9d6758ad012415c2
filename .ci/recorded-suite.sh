#!/usr/bin/env bash
# Runs LocalStack's AWS-validated tests for CloudWatch Logs, CloudWatch and SNS (their expected answers were
# recorded from real AWS; every recorded field is compared) against `orgwatch emulator`, unchanged, and prints
# the pass counts. Not part of .ci/run: it needs a clone of github.com/localstack/localstack (CI reaches no
# GitHub) and takes about 15 minutes.
#
#   LOCALSTACK_DIR=~/src/localstack bash .ci/recorded-suite.sh [pytest paths...]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
: "${LOCALSTACK_DIR:?set LOCALSTACK_DIR to a clone of github.com/localstack/localstack}"
port=${ORGWATCH_SUITE_PORT:-4577}
bin=${ORGWATCH_BIN:-$here/target/debug/orgwatch}
venv=${ORGWATCH_SUITE_VENV:-${TMPDIR:-/tmp}/orgwatch-recorded-suite}
[ -x "$bin" ] || (cd "$here" && cargo build --bin orgwatch)
if [ ! -x "$venv/bin/pytest" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q -r "$LOCALSTACK_DIR/requirements-test.txt"
  SETUPTOOLS_SCM_PRETEND_VERSION=0.0.0 "$venv/bin/pip" install -q --no-deps -e "$LOCALSTACK_DIR"
fi
# Some tests build https://$LOCALSTACK_HOST URLs themselves (CloudWatch's multi-protocol client): the
# emulator serves TLS on the same port with a throwaway certificate for localhost, which their client
# (requests) is told to trust.
tls=("--tls-cert" "$venv/tls-cert.pem" "--tls-key" "$venv/tls-key.pem")
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=localhost \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -addext "basicConstraints=critical,CA:FALSE" \
  -addext "extendedKeyUsage=serverAuth" -keyout "${tls[3]}" -out "${tls[1]}" 2>/dev/null
# LocalStack's tests use access key "test", which LocalStack maps to account 000000000000.
"$bin" emulator --port "$port" --default-account 000000000000 "${tls[@]}" >"$venv/emulator.log" 2>&1 &
emu=$!
trap 'kill $emu 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/_orgwatch/health" >/dev/null && break; sleep 0.1; done
if [ $# -eq 0 ]; then
  set -- tests/aws/services/logs tests/aws/services/cloudwatch tests/aws/services/sns
fi
cd "$LOCALSTACK_DIR"
TEST_SKIP_LOCALSTACK_START=1 TEST_AWS_ENDPOINT_URL="http://127.0.0.1:$port" AWS_DEFAULT_REGION=us-east-1 \
  LOCALSTACK_HOST="localhost:$port" GATEWAY_LISTEN="127.0.0.1:$port" REQUESTS_CA_BUNDLE="${tls[1]}" \
  "$venv/bin/python" -m pytest "$@" -p no:cacheprovider -q -rA --tb=line -p no:logging | tee "$venv/report.txt" || true
grep -E "^(PASSED|FAILED|ERROR|SKIPPED)" "$venv/report.txt" | sed -E 's#^([A-Z]+) tests/aws/services/([a-z]+)/.*#\2 \1#' | sort | uniq -c
# By LocalStack's marker: which tests carry AWS's recorded answers (the denominator that counts).
"$venv/bin/python" "$here/.ci/recorded-suite-markers.py" "$venv/report.txt" "$LOCALSTACK_DIR"
