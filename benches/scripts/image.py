#!/usr/bin/env python3
"""The container image's figures, each beside the same binary run on the host in the same session:

- image size (`docker image inspect`; LocalStack's is over 1 GB);
- `docker run` to `Ready.` on stdout: median (and spread) of N runs, the clock started just before
  `docker run` and stopped when the line is read; the host binary from exec to the same line; and the
  engine's own floor, `docker run --rm IMAGE --version` to its exit (no listener, no init);
- idle RSS: `docker stats` of the container a second after `Ready.`, /proc of the host process;
- requests/s: `wrk -t1 -c16 -d6s` (Debian's wrk) of DescribeMetricFilters on a group with 5 filters,
  against the host binary (RUST_LOG=warn, as benches/emulator.rs runs it) and the container with the
  same setting, through its published port (Docker's userland proxy) and to its own address on the
  bridge; and the container as it ships (an INFO line per request, which Docker's log driver takes),
  interleaved ROUNDS times.

Usage: benches/scripts/image.py [IMAGE] [HOST_BINARY]   (defaults: orgwatch:<version>, the dist binary)
Environment: RUNS (default 20), ROUNDS (default 3).
"""

import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from load import five_filters, free_port, rss_mb, spread, until_ready, wrk  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VERSION = re.search(r'^version = "(.*)"', open(os.path.join(ROOT, "Cargo.toml")).read(), re.M).group(1)
IMAGE = sys.argv[1] if len(sys.argv) > 1 else f"orgwatch:{VERSION}"
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
BINARY = sys.argv[2] if len(sys.argv) > 2 else os.path.join(TARGET, "dist", "orgwatch")
RUNS = int(os.environ.get("RUNS", "20"))
ROUNDS = int(os.environ.get("ROUNDS", "3"))


def docker_start(port, name, *env):
    env_args = [a for e in env for a in ("-e", e)]
    return subprocess.Popen(
        ["docker", "run", "--rm", "--name", name, "-p", f"127.0.0.1:{port}:4566", *env_args, IMAGE],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)


def host_start(port):
    env = dict(os.environ, RUST_LOG="warn")
    return subprocess.Popen([BINARY, "emulator", "--port", str(port)], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, env=env)


def main():
    size = int(subprocess.check_output(["docker", "image", "inspect", IMAGE, "--format", "{{.Size}}"]))
    print(f"image {IMAGE}: {size / 1e6:.1f} MB ({size} bytes)")
    print(f"host binary {BINARY}: {os.path.getsize(BINARY) / 1e6:.1f} MB")

    container_ms, host_ms = [], []
    for i in range(RUNS):
        port = free_port()
        name = f"orgwatch-bench-{os.getpid()}-{i}"
        t = time.perf_counter()
        p = docker_start(port, name)
        assert until_ready(p), "the container never said Ready."
        container_ms.append((time.perf_counter() - t) * 1000)
        subprocess.run(["docker", "kill", name], capture_output=True)
        p.wait()
        port = free_port()
        t = time.perf_counter()
        p = host_start(port)
        assert until_ready(p), "the binary never said Ready."
        host_ms.append((time.perf_counter() - t) * 1000)
        p.kill()
        p.wait()
    floor_ms = []
    for _ in range(RUNS):
        t = time.perf_counter()
        subprocess.run(["docker", "run", "--rm", IMAGE, "--version"], capture_output=True, check=True)
        floor_ms.append((time.perf_counter() - t) * 1000)
    print(f"docker run -> Ready.: {spread(container_ms)} ms over {RUNS} runs")
    print(f"docker run --rm IMAGE --version -> exit (the engine's floor): {spread(floor_ms)} ms over {RUNS} runs")
    print(f"host binary -> Ready.: {spread(host_ms)} ms over {RUNS} runs")

    rss_container, rss_host = [], []
    rps = {"host": [], "published": [], "bridge": [], "default": []}
    for r in range(ROUNDS):
        port = free_port()
        name = f"orgwatch-bench-{os.getpid()}-load-{r}"
        p = docker_start(port, name)
        assert until_ready(p)
        time.sleep(1)
        mem = subprocess.check_output(["docker", "stats", "--no-stream", "--format", "{{.MemUsage}}", name], text=True)
        value, unit = re.match(r"([\d.]+)\s*([KMG]i?B)", mem.strip()).groups()
        rss_container.append(float(value) * {"KiB": 1 / 1024, "MiB": 1, "GiB": 1024}.get(unit, 1) * 1.048576)
        five_filters(port)
        rps["default"].append(wrk(port))
        subprocess.run(["docker", "kill", name], capture_output=True)
        p.wait()

        port = free_port()
        p = docker_start(port, name, "RUST_LOG=warn")
        assert until_ready(p)
        five_filters(port)
        rps["published"].append(wrk(port))
        address = subprocess.check_output(
            ["docker", "inspect", "--format", "{{.NetworkSettings.IPAddress}}", name], text=True).strip()
        rps["bridge"].append(wrk(4566, address))
        subprocess.run(["docker", "kill", name], capture_output=True)
        p.wait()

        port = free_port()
        p = host_start(port)
        assert until_ready(p)
        time.sleep(1)
        rss_host.append(rss_mb(p.pid))
        five_filters(port)
        rps["host"].append(wrk(port))
        p.kill()
        p.wait()
    print(f"idle memory: container {spread(rss_container)} MB (docker stats), host {spread(rss_host)} MB (VmRSS)")
    print(f"DescribeMetricFilters, wrk -t1 -c16 -d6s, requests/s, {ROUNDS} rounds interleaved:")
    print(f"  host binary, RUST_LOG=warn:                    {spread(rps['host'])}")
    print(f"  container, RUST_LOG=warn, its bridge address:  {spread(rps['bridge'])}")
    print(f"  container, RUST_LOG=warn, the published port:  {spread(rps['published'])}")
    print(f"  container as shipped (INFO per request), port: {spread(rps['default'])}")


if __name__ == "__main__":
    main()
