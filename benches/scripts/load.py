"""What the bench scripts share: a free port, the five-filter log group, wrk of DescribeMetricFilters on it,
a process's RSS, and the spread of a set of figures (median, min, max)."""

import json
import os
import re
import socket
import statistics
import subprocess
import tempfile
import urllib.request

AUTH = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261207/us-east-1/logs/aws4_request, SignedHeaders=host, Signature=0"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def until_ready(proc):
    for line in proc.stdout:
        if line.strip() == "Ready.":
            return True
    return False


def spread(xs, digits=0):
    xs = sorted(xs)
    return f"median {statistics.median(xs):.{digits}f} (min {xs[0]:.{digits}f}, max {xs[-1]:.{digits}f})"


def call(port, op, body, host="127.0.0.1"):
    req = urllib.request.Request(f"http://{host}:{port}/", data=json.dumps(body).encode(), headers={
        "x-amz-target": f"Logs_20140328.{op}", "content-type": "application/x-amz-json-1.1",
        "authorization": AUTH})
    urllib.request.urlopen(req).read()


def five_filters(port):
    call(port, "CreateLogGroup", {"logGroupName": "g"})
    for k in range(5):
        call(port, "PutMetricFilter", {"logGroupName": "g", "filterName": f"f{k}",
                                       "filterPattern": '{ $.eventSource = "organizations.amazonaws.com" }',
                                       "metricTransformations": [{"metricName": f"M{k}", "metricNamespace": "CISBenchmark", "metricValue": "1"}]})


def wrk(port, host="127.0.0.1", seconds=6):
    """Requests/s of `wrk -t1 -c16` DescribeMetricFilters on the group `five_filters` made."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write('wrk.method = "POST"\nwrk.body = \'{"logGroupName":"g"}\'\n'
                'wrk.headers["x-amz-target"] = "Logs_20140328.DescribeMetricFilters"\n'
                'wrk.headers["content-type"] = "application/x-amz-json-1.1"\n'
                f'wrk.headers["authorization"] = "{AUTH}"\n')
    out = subprocess.run(["wrk", "-t1", "-c16", f"-d{seconds}s", "-s", f.name, f"http://{host}:{port}/"],
                         capture_output=True, text=True).stdout
    os.unlink(f.name)
    m = re.search(r"Requests/sec:\s+([\d.]+)", out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    assert m and not errors, out
    return float(m.group(1))


def rss_mb(pid):
    status = open(f"/proc/{pid}/status").read()
    return int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1000


def cpu_seconds(pid):
    """User + system CPU time a process has used (/proc/PID/stat, in clock ticks)."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
