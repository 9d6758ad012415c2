#!/usr/bin/env bash
# The image as other tools start it (the Rust tests through the testcontainers module ran already):
# Compose (the emulator with an init scenario, then a one-shot `orgwatch check` once the image's own
# healthcheck says healthy) and Python's testcontainers package (its LocalStack module and a plain
# container), boto3 using each. Nothing is pulled: the image is the one ./build-image.sh built.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
IMAGE=orgwatch:$version
docker image inspect "$IMAGE" --format "image $IMAGE: {{.Size}} bytes" 
WORK=$(mktemp -d)

# Compose v2 (`docker compose`, with `up --wait`) where there is one; else v1 (`docker-compose`, as
# Debian 12 packages it), whose `up -d` does not wait: the health status is polled instead.
export COMPOSE_PROJECT_NAME=orgwatch-ci-$$
if docker compose version >/dev/null 2>&1; then
  compose=(docker compose)
else
  compose=(docker-compose)
fi
cleanup() {
  "${compose[@]}" down -v --remove-orphans >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
echo "== compose (${compose[*]})"
if [ "${compose[0]}" = docker ]; then
  "${compose[@]}" up --wait emulator
else
  "${compose[@]}" up -d emulator
  id=$("${compose[@]}" ps -q emulator)
  for _ in $(seq 1 100); do
    status=$(docker inspect --format '{{.State.Health.Status}}' "$id")
    [ "$status" = healthy ] && break
    sleep 0.2
  done
  [ "$status" = healthy ] || { docker logs "$id"; echo "the emulator is $status, not healthy" >&2; exit 1; }
fi
"${compose[@]}" run --rm check | tee "$WORK/check.txt"
grep -q "PASS" "$WORK/check.txt"

echo "== Python's testcontainers"
python3 -m venv "$WORK/venv"
"$WORK/venv/bin/pip" install -q --disable-pip-version-check "testcontainers==4.15.0" "boto3==1.40.61" "botocore==1.40.61"
TESTCONTAINERS_RYUK_DISABLED=true "$WORK/venv/bin/python" .ci/python_testcontainers.py "$IMAGE" \
  scenarios/compliant-as-the-control-prints-it.json
