#!/usr/bin/env bash
# Applies and destroys the full stack (tests/terraform/full-stack) against orgwatch's emulator and against
# moto's server in one run, and prints both wall times and what each refused.
#
#   ORGWATCH_PLUGIN_DIR=/path/to/mirror benches/scripts/terraform-vs-moto.sh [path/to/orgwatch] [path/to/moto_server]
#
# moto_server comes from `pip install "moto[server]"` (a venv). Both servers run on this machine; Terraform
# runs through `orgwatch terraform`, which aims the provider at the endpoint given.
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
orgwatch="${1:-$here/target/debug/orgwatch}"
moto="${2:-moto_server}"
: "${ORGWATCH_PLUGIN_DIR:?set ORGWATCH_PLUGIN_DIR to the provider mirror}"
work="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

"$orgwatch" emulator --port 4610 > "$work/emulator.log" 2>&1 &
"$moto" -p 4611 > "$work/moto.log" 2>&1 &
for port in 4610 4611; do
  for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done
done

run() { # name port
  local dir="$work/$1"
  mkdir -p "$dir" && cp "$here/tests/terraform/full-stack/main.tf" "$dir/"
  local vars=(-var subscription_protocol=sqs -var subscription_endpoint=arn:aws:sqs:us-east-1:123456789012:security-alerts)
  "$orgwatch" terraform --endpoint-url "http://127.0.0.1:$2" --dir "$dir" -- init -input=false > "$dir/init.log" 2>&1
  local t0 t1 t2 status=ok
  t0=$(date +%s.%N)
  "$orgwatch" terraform --endpoint-url "http://127.0.0.1:$2" --dir "$dir" -- apply -auto-approve -input=false "${vars[@]}" > "$dir/apply.log" 2>&1 || status="apply failed"
  t1=$(date +%s.%N)
  "$orgwatch" terraform --endpoint-url "http://127.0.0.1:$2" --dir "$dir" -- destroy -auto-approve -input=false "${vars[@]}" > "$dir/destroy.log" 2>&1 || status="$status; destroy failed"
  t2=$(date +%s.%N)
  printf '%-9s apply %6.1f s  destroy %6.1f s  (%s)\n' "$1" "$(echo "$t1 - $t0" | bc)" "$(echo "$t2 - $t1" | bc)" "$status"
  grep -h "Error:" "$dir/apply.log" "$dir/destroy.log" | sort | uniq -c | sed 's/^/          /' || true
}

run orgwatch 4610
run moto 4611
echo "moto answered with errors (status >= 400):"
grep -E '" (4|5)[0-9]{2} ' "$work/moto.log" | awk '{print $6, $7, $9}' | sort | uniq -c | sed 's/^/  /' || true
