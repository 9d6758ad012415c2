#!/usr/bin/env bash
# Builds the orgwatch container image from nothing (FROM scratch; no image is pulled):
#   ./build-image.sh            # tags orgwatch:<crate version> and orgwatch:latest
#   ./build-image.sh NAME:TAG   # another name
# The binary is the `dist` profile (optimized, no debug info, stripped), dynamically linked against the
# machine's glibc: the image carries the loader and the libraries `ldd` lists, so name resolution works
# as on the host (glibc's files and dns lookups are part of libc.so.6; a static glibc cannot load them),
# and an nsswitch.conf that reads /etc/hosts first (`--add-host` names, `host.docker.internal`).
set -euo pipefail
cd "$(dirname "$0")"
target=${CARGO_TARGET_DIR:-target}

cargo build --locked --profile dist --bin orgwatch
bin="$target/dist/orgwatch"
version=$("$bin" --version | awk '{print $2}')
tag=${1:-orgwatch:$version}
revision=$(git rev-parse HEAD 2>/dev/null || echo unknown)
# Where the source is: the clone's origin when it has one (no address is made up).
source=$(git remote get-url origin 2>/dev/null || echo unknown)

ctx=$(mktemp -d)
trap 'rm -rf "$ctx"' EXIT
root="$ctx/rootfs"
mkdir -p "$root/tmp" "$root/etc/orgwatch/init" "$ctx/state"
chmod 1777 "$root/tmp"
cp "$bin" "$root/orgwatch"

# The loader (`/lib64/ld-linux-x86-64.so.2`, printed without an arrow) and each library by the path it
# resolves to here, so the loader finds it at the same path in the image.
ldd "$bin" | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' | sort -u |
  while read -r lib; do
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
  done

printf 'root:x:0:0:root:/root:/sbin/nologin\norgwatch:x:65532:65532:orgwatch:/var/lib/orgwatch:/sbin/nologin\n' >"$root/etc/passwd"
printf 'root:x:0:\norgwatch:x:65532:\n' >"$root/etc/group"
printf 'hosts: files dns\n' >"$root/etc/nsswitch.conf"
# `orgwatch check` against real AWS verifies TLS with the system's roots.
if [ -f /etc/ssl/certs/ca-certificates.crt ]; then
  mkdir -p "$root/etc/ssl/certs"
  cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/"
fi

docker build --quiet -f Dockerfile --build-arg "VERSION=$version" --build-arg "REVISION=$revision" \
  --build-arg "SOURCE=$source" \
  -t "$tag" -t "${tag%%:*}:latest" "$ctx" >/dev/null
docker image inspect "$tag" --format "built $tag: {{.Size}} bytes"
