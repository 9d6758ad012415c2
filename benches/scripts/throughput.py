#!/usr/bin/env python3
"""Requests/s as users run the emulator, beside moto, A/B between builds, interleaved on one machine.

For each round, in turn: each binary given in its default configuration (an INFO line per request on
standard error, read through a pipe as `docker logs` or a CI log reads it), each binary with the log off
(`ORGWATCH_LOG=off`), and moto's server; each measured with `wrk -t1 -c16 -d6s` (Debian's wrk) of
DescribeMetricFilters on a group with 5 filters. Then the spread of each, the ratio to moto, and the
emulator's own CPU time per request (user + system, from /proc: less noisy than requests/s on a shared
machine, where wrk and the emulator share two cores).

Usage: benches/scripts/throughput.py [BINARY ...]   (default: the dist binary of this tree)
Environment: ROUNDS (default 3); MOTO_SERVER, moto's `moto_server` (default: the one on PATH; without it
moto is reported as not measured).
"""

import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from load import cpu_seconds, five_filters, free_port, spread, until_ready, wrk  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
BINARIES = sys.argv[1:] or [os.path.join(TARGET, "dist", "orgwatch")]
ROUNDS = int(os.environ.get("ROUNDS", "3"))
MOTO = os.environ.get("MOTO_SERVER") or shutil.which("moto_server")
SECONDS = 6  # each wrk run


def drain(stream, counter):
    """Reads the log as a pipe's reader does, counting its lines."""
    for _ in stream:
        counter[0] += 1


def orgwatch(binary, log):
    port = free_port()
    env = dict(os.environ)
    env.pop("RUST_LOG", None)
    env.pop("ORGWATCH_LOG", None)
    if log == "off":
        # Both spellings, so a build from before ORGWATCH_LOG existed is measured the same way.
        env["ORGWATCH_LOG"] = "off"
        env["RUST_LOG"] = "off"
    p = subprocess.Popen([binary, "emulator", "--port", str(port)], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, env=env)
    lines = [0]
    reader = threading.Thread(target=drain, args=(p.stderr, lines), daemon=True)
    reader.start()
    assert until_ready(p), f"{binary} never said Ready."
    five_filters(port)
    cpu = cpu_seconds(p.pid)
    rps = wrk(port, seconds=SECONDS)
    cpu = cpu_seconds(p.pid) - cpu
    p.terminate()
    p.wait()
    reader.join(timeout=10)
    return rps, lines[0], cpu * 1e6 / (rps * SECONDS)


def moto():
    port = free_port()
    p = subprocess.Popen([MOTO, "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/moto-api/").read()
            break
        except (urllib.error.URLError, ConnectionError):
            assert time.time() < deadline, "moto_server never answered"
            time.sleep(0.2)
    five_filters(port)
    rps = wrk(port, seconds=SECONDS)
    p.terminate()
    p.wait()
    return rps


def main():
    figures = {}
    cpu = {}
    logged = {}
    for r in range(ROUNDS):
        for i, binary in enumerate(BINARIES):
            for log in ("default", "off"):
                rps, lines, cpu_us = orgwatch(binary, log)
                figures.setdefault((i, log), []).append(rps)
                cpu.setdefault((i, log), []).append(cpu_us)
                if log == "default":
                    logged.setdefault(i, []).append((rps, lines))
        if MOTO:
            figures.setdefault(("moto", ""), []).append(moto())
        print(f"round {r + 1} of {ROUNDS} done", file=sys.stderr)
    print(f"DescribeMetricFilters (5 filters), wrk -t1 -c16 -d{SECONDS}s, requests/s, {ROUNDS} rounds interleaved:")
    moto_median = sorted(figures[("moto", "")])[ROUNDS // 2] if MOTO else None
    for i, binary in enumerate(BINARIES):
        for log in ("default", "off"):
            xs = figures[(i, log)]
            ratio = f", {sorted(xs)[ROUNDS // 2] / moto_median:.0f}x moto" if moto_median else ""
            label = "default (INFO per request, to a pipe)" if log == "default" else "log off (ORGWATCH_LOG=off)"
            print(f"  {binary}  {label}: {spread(xs)}{ratio}")
            print(f"    the emulator's CPU time per request, microseconds: {spread(cpu[(i, log)], 1)}")
        lines = ", ".join(f"{n} lines for {rps * SECONDS:.0f} requests" for rps, n in logged[i])
        print(f"    log lines read from the pipe: {lines}")
    if MOTO:
        print(f"  moto ({MOTO}): {spread(figures[('moto', '')])}")
    else:
        print("  moto: not measured (no moto_server; set MOTO_SERVER or pip install 'moto[server]')")


if __name__ == "__main__":
    main()
