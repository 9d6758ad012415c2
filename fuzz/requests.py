#!/usr/bin/env python3
"""The request-level fuzzer: drives a running emulator over HTTP as a hostile client would.

Requests come from botocore's own service models (the ten services the emulator serves, every
operation): an input generated from the operation's input shape, serialized by botocore's serializer for
the service's protocol and signed with SigV4, as a real client sends it; then, for most of them, mutated
the ways clients break: wrong types, huge and deep values, broken encodings, characters XML cannot carry,
garbled headers and methods, truncated and flipped bodies, gzip bombs. Every answer is judged:

- the connection is never dropped and the process never dies;
- no 5xx, except the ones AWS itself gives (S3's `501 NotImplemented` for an operation this emulator does
  not serve);
- every body is well-formed in its protocol (XML 1.0 by expat, JSON, CBOR) and an error carries its code;
- the emulator's peak RSS (VmHWM) stays under the bound.

A seed fixes every choice, so a finding reproduces from its seed and index; each is written with the
request that caused it (method, path, headers, body) to the report. Usage:

    fuzz/requests.py --bin target/debug/orgwatch --seeds 1,2,3 --count 20000 [--time-limit 600]
"""

import argparse
import base64
import datetime
import gzip
import http.client
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
import xml.etree.ElementTree as ET

import botocore.session
from botocore.auth import S3SigV4Auth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.serialize import create_serializer

try:
    import cbor2
except ImportError:  # judged by length only, said in the report
    cbor2 = None

SERVICES = ["cloudtrail", "logs", "cloudwatch", "sns", "sqs", "sts", "s3", "iam", "kms", "organizations"]
NAMES = ["a", "b", "trail", "org-trail-bucket", "cloudtrail-logs", "alarms", "q"]
REGION = "us-east-1"
CREDS = Credentials("AKIDEXAMPLE", "orgwatch")
# 256 MiB of zeros, gzip: about 250 KB on the wire (made once).
BOMB = None


def bomb():
    global BOMB
    if BOMB is None:
        BOMB = gzip.compress(b"\0" * (256 * 1024 * 1024), compresslevel=9)
    return BOMB


class Gen:
    """Values for a botocore shape: mostly valid, sometimes at or past the model's bounds."""

    def __init__(self, rng):
        self.rng = rng

    def string(self, shape):
        r = self.rng
        enum = getattr(shape, "enum", None) or []
        if enum and r.random() < 0.7:
            return r.choice(enum)
        roll = r.random()
        if roll < 0.35:
            return r.choice(NAMES)
        if roll < 0.5:
            return "arn:aws:%s:us-east-1:123456789012:%s" % (r.choice(SERVICES), r.choice(NAMES))
        if roll < 0.6:
            return "".join(chr(r.choice([0x41, 0xe9, 0x4e2d, 0x1f600, 0x20, 0x2f])) for _ in range(r.randint(1, 20)))
        if roll < 0.65:
            return ""
        lo = shape.metadata.get("min", 1)
        hi = min(shape.metadata.get("max", 64), 64)
        return "".join(r.choice("abcdefghijklmnopqrstuvwxyz0123456789-_") for _ in range(r.randint(lo, max(lo, hi))))

    def number(self, shape, integer):
        r = self.rng
        lo = shape.metadata.get("min", 0 if integer else -1e6)
        hi = shape.metadata.get("max", 1000)
        if r.random() < 0.1:
            return r.choice([lo - 1, hi + 1, 0, -1, 2**31, 2**63 - 1]) if integer else r.choice([1e308, -0.0, 1e-300])
        return r.randint(int(lo), int(max(lo, hi))) if integer else r.uniform(lo, hi)

    def value(self, shape, depth=0):
        r = self.rng
        t = shape.type_name
        if t == "structure":
            out = {}
            if depth > 5:
                return out
            for name, member in shape.members.items():
                if name in shape.required_members or r.random() < 0.4:
                    out[name] = self.value(member, depth + 1)
            return out
        if t == "list":
            return [self.value(shape.member, depth + 1) for _ in range(r.randint(0, 3 if depth < 4 else 0))]
        if t == "map":
            return {self.string(shape.key): self.value(shape.value, depth + 1) for _ in range(r.randint(0, 2))}
        if t == "string":
            return self.string(shape)
        if t in ("integer", "long"):
            return self.number(shape, True)
        if t in ("double", "float"):
            return self.number(shape, False)
        if t == "boolean":
            return r.random() < 0.5
        if t == "timestamp":
            return datetime.datetime(2026, 12, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(minutes=r.randint(-10**5, 10**5))
        if t == "blob":
            return bytes(r.randint(0, 255) for _ in range(r.randint(0, 32)))
        return None


def deep_query_name(rng):
    return "X" + ".a" * rng.choice([31, 32, 33, 200, 2400, 20000])


MUTATIONS = [
    "none", "none", "none", "flip", "truncate", "control", "huge", "deep", "wrong_type",
    "bad_utf8", "content_type", "method", "target", "bomb", "percent", "scope",
]


def mutate(rng, kind, req, protocol):
    """Breaks a serialized request dict ({method, url_path, query_string, headers, body}) in place."""
    body = req["body"]
    if isinstance(body, dict):  # query protocol: form fields
        body = urllib.parse.urlencode(body, doseq=True).encode()
    elif isinstance(body, str):
        body = body.encode()
    body = body or b""
    h = req["headers"]
    if kind == "flip" and body:
        b = bytearray(body)
        for _ in range(rng.randint(1, 8)):
            b[rng.randrange(len(b))] = rng.randrange(256)
        body = bytes(b)
    elif kind == "truncate" and body:
        body = body[: rng.randrange(len(body))]
    elif kind == "control":
        c = chr(rng.choice([0, 1, 7, 8, 0x1b, 0x1f, 0xfffe]))
        if protocol in ("query", "ec2"):
            body += ("&Name=a%s&X%s=1" % (urllib.parse.quote(c), urllib.parse.quote(c))).encode()
        elif protocol == "rest-xml":
            req["url_path"] = req["url_path"].rstrip("/") + "/" + urllib.parse.quote("k" + c)
        else:
            body = body.replace(b'"a"', json.dumps("a" + c).encode()) or json.dumps({"Name": "a" + c}).encode()
    elif kind == "huge":
        big = "x" * rng.choice([300 * 1024, 1024 * 1024 + 70 * 1024])
        if protocol in ("query", "ec2"):
            body += b"&Message=" + big.encode()
        elif protocol == "rest-xml":
            body = big.encode()
        elif protocol == "smithy-rpc-v2-cbor" and cbor2:
            body = cbor2.dumps({"Namespace": big})
        else:
            body = json.dumps({"name": big, "logGroupName": big}).encode()
    elif kind == "deep":
        n = rng.choice([60, 64, 65, 127, 129, 5000, 100000])
        if protocol in ("query", "ec2"):
            body += ("&%s=1" % deep_query_name(rng)).encode()
        elif protocol == "rest-xml":
            body = b"<a>" * n + b"</a>" * n
        elif protocol == "smithy-rpc-v2-cbor":
            body = b"\xa1\x61x" + b"\x81" * n + b"\x01"
        else:
            body = b'{"x":' + b"[" * n + b"1" + b"]" * n + b"}"
    elif kind == "wrong_type" and protocol in ("json", "rest-json"):
        try:
            doc = json.loads(body or b"{}")
            if isinstance(doc, dict) and doc:
                k = rng.choice(list(doc))
                doc[k] = rng.choice([[], {}, 1, "1", None, True, 1.5, [[{}]]])
            body = json.dumps(doc).encode()
        except ValueError:
            pass
    elif kind == "wrong_type" and protocol in ("query", "ec2"):
        body += b"&MaxItems=five&Threshold=NaN&ActionsEnabled=yes&Period=1e400"
    elif kind == "bad_utf8":
        body += b"\xff\xfe\xc3\x28"
    elif kind == "content_type":
        h["Content-Type"] = rng.choice(["text/plain", "application/cbor", "application/x-amz-json-1.1", "", "multipart/form-data; boundary=x"])
    elif kind == "method":
        req["method"] = rng.choice(["PATCH", "GET", "DELETE", "HEAD", "OPTIONS", "PUT", "POST"])
    elif kind == "target":
        h["X-Amz-Target"] = rng.choice(["Logs_20140328.", ".", "NoSuchService.Op", "Logs_20140328.MakeCoffee", "a" * 4000])
    elif kind == "bomb":
        body = bomb()
        h["Content-Encoding"] = "gzip"
    elif kind == "percent":
        if protocol in ("query", "ec2"):
            body += b"&Name=%zz%&%%%=%"
        else:
            req["url_path"] = req["url_path"] + "%zz%"
    elif kind == "scope":
        req["scope"] = rng.choice(SERVICES + ["s3", "monitoring", "nothing"])
    req["body"] = body


# A character reference to a character XML 1.0 cannot carry (`&#x1;`).
CHAR_REF = re.compile(rb"&#(x[0-9A-Fa-f]+|[0-9]+);")


def xml_char(n):
    return n in (0x9, 0xA, 0xD) or 0x20 <= n <= 0xD7FF or 0xE000 <= n <= 0xFFFD or 0x10000 <= n <= 0x10FFFF


def s3_listing_refs(body):
    """An S3 listing asked for without `encoding-type` writes a key's characters XML cannot carry as
    character references, as S3 documents (and expat refuses): judged with them read as `?`."""
    if b"<EncodingType>" in body or not re.search(rb"<(ListBucketResult|ListVersionsResult)\b", body):
        return body

    def ref(m):
        v = m.group(1)
        n = int(v[1:], 16) if v[:1] == b"x" else int(v)
        return m.group(0) if xml_char(n) else b"?"

    return CHAR_REF.sub(ref, body)


def well_formed(protocol_hint, resp_headers, body):
    """Why an answer is not well-formed for its protocol, or None."""
    ct = (resp_headers.get("content-type") or "").split(";")[0].strip()
    if not body:
        return None
    try:
        if "xml" in ct:
            root = ET.fromstring(s3_listing_refs(body) if protocol_hint == "rest-xml" else body)
            return None if root is not None else "no root"
        if "json" in ct:
            json.loads(body)
            return None
        if ct == "application/cbor":
            if cbor2:
                cbor2.loads(body)
            return None
        if ct in ("binary/octet-stream", "application/octet-stream", "text/plain", ""):
            return None
        return "unexpected content-type %r" % ct
    except Exception as e:  # noqa: BLE001 - any parse failure is the finding
        return "%s: %s" % (type(e).__name__, e)


def aws_own_5xx(status, body, protocol):
    """The 5xx answers AWS itself gives for the request: S3's NotImplemented."""
    return status == 501 and protocol == "rest-xml" and b"<Code>NotImplemented</Code>" in body


def status_kib(pid, field):
    """A memory figure of /proc/PID/status (`VmHWM`: peak RSS; `VmRSS`: now), in KiB."""
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def prepare(models, rng, endpoint, mutations=MUTATIONS):
    """One request: (service, operation, protocol, kind, method, path, headers, body)."""
    service = rng.choice(SERVICES)
    model = models[service]
    op_name = rng.choice(model.operation_names)
    op = model.operation_model(op_name)
    # A service served in several protocols (CloudWatch: CBOR, JSON 1.0, Query) is fuzzed in each.
    protocol = rng.choice(model.metadata.get("protocols") or [model.protocol])
    gen = Gen(rng)
    params = gen.value(op.input_shape) if op.input_shape is not None else {}
    if op_name == "ReceiveMessage":
        params["WaitTimeSeconds"] = 0
    req = None
    for attempt in (params, {}):
        try:
            req = create_serializer(protocol, include_validation=False).serialize_to_request(attempt, op)
            break
        except Exception:  # noqa: BLE001 - a value botocore will not write: the empty input, then another
            continue
    if req is None:
        return prepare(models, rng, endpoint, mutations)
    if op_name in ("ListObjects", "ListObjectsV2", "ListObjectVersions"):
        req["query_string"]["encoding-type"] = "url"  # as botocore's handler always adds
    kind = rng.choice(mutations)
    # The length is the prepared body's, whatever a mutation makes of it.
    req["headers"] = {k: v for k, v in req["headers"].items() if k.lower() != "content-length"}
    mutate(rng, kind, req, protocol)
    qs = req["query_string"]
    if isinstance(qs, dict):
        qs = urllib.parse.urlencode(qs, doseq=True)
    path = req["url_path"] or "/"
    url = endpoint + path + ("?" + qs if qs else "")
    scope = req.get("scope") or model.signing_name or model.endpoint_prefix
    aws = AWSRequest(method=req["method"], url=url, data=req["body"], headers=req["headers"])
    try:
        (S3SigV4Auth if scope == "s3" else SigV4Auth)(CREDS, scope, REGION).add_auth(aws)
    except Exception:  # noqa: BLE001
        pass
    p = aws.prepare()
    target = p.url[len(endpoint):] or "/"
    # Header values go out as bytes: UTF-8 where they are not Latin-1, as a careless client sends them.
    headers = {k: (v if isinstance(v, bytes) else v.encode("utf-8")) for k, v in p.headers.items()}
    return service, op_name, protocol, kind, p.method, target, headers, p.body or b""


def run_seed(args, seed, models):
    port = args.port
    log = tempfile.NamedTemporaryFile(prefix="orgwatch-fuzz-", suffix=".log", delete=False)
    env = dict(os.environ, RUST_LOG=os.environ.get("RUST_LOG", "warn"))
    proc = subprocess.Popen([args.bin, "emulator", "--port", str(port)], stdout=log, stderr=subprocess.STDOUT, env=env)
    endpoint = "http://127.0.0.1:%d" % port
    for _ in range(200):
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", "/_orgwatch/health")
            if c.getresponse().status == 200:
                break
        except OSError:
            time.sleep(0.05)
    if proc.poll() is not None:
        sys.exit("the emulator did not start: see %s" % log.name)
    rng = random.Random(seed)
    findings, statuses, kinds = [], {}, {}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    started = time.monotonic()
    sent, previous, status = 0, "nothing", 0
    for i in range(args.count):
        if args.time_limit and time.monotonic() - started > args.time_limit:
            break
        service, op, protocol, kind, method, target, headers, body = prepare(models, rng, endpoint, args.mutations)
        kinds[kind] = kinds.get(kind, 0) + 1
        finding = None
        try:
            conn.request(method, target, body=body, headers=headers)
            resp = conn.getresponse()
            status = 0
            data = resp.read()
            status = resp.status
            statuses[status] = statuses.get(status, 0) + 1
            if status >= 500 and not aws_own_5xx(status, data, protocol):
                finding = "HTTP %d: %s" % (status, data[:300].decode("utf-8", "replace"))
            elif method != "HEAD":
                why = well_formed(protocol, {k.lower(): v for k, v in resp.getheaders()}, data)
                if why:
                    finding = "not well-formed: " + why
            if resp.getheader("connection", "").lower() == "close" or resp.will_close:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        except (ValueError, UnicodeError) as e:
            # http.client itself will not send it (a newline in a header, a space in the path).
            kinds["unsendable"] = kinds.get("unsendable", 0) + 1
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            continue
        except (http.client.HTTPException, OSError) as e:
            finding = "connection lost: %s: %s (after %s)" % (type(e).__name__, e, previous)
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        sent += 1
        previous = "%s %s %s -> %s" % (service, op, kind, status if not finding else "?")
        if proc.poll() is not None:
            finding = "the emulator exited with %s" % proc.returncode
        if finding:
            findings.append({
                "seed": seed, "index": i, "service": service, "operation": op, "mutation": kind,
                "finding": finding, "method": method, "target": target[:2000],
                "headers": {k: v.decode("latin-1") for k, v in headers.items()}, "body_base64": base64.b64encode(body[:4096]).decode(),
                "body_length": len(body),
            })
            if proc.poll() is not None:
                break
    elapsed = time.monotonic() - started
    rss = status_kib(proc.pid, "VmHWM")
    rss_now = status_kib(proc.pid, "VmRSS")
    alive = proc.poll() is None
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    if rss is not None and rss > args.max_rss_mib * 1024:
        findings.append({"seed": seed, "finding": "peak RSS %.1f MiB over %d MiB" % (rss / 1024, args.max_rss_mib)})
    return {
        "seed": seed, "requests": sent, "seconds": round(elapsed, 1), "requests_per_second": round(sent / elapsed, 1),
        "peak_rss_mib": round(rss / 1024, 1) if rss else None,
        "rss_at_end_mib": round(rss_now / 1024, 1) if rss_now else None, "alive_at_end": alive,
        "statuses": dict(sorted(statuses.items())), "mutations": dict(sorted(kinds.items())),
        "findings": findings, "emulator_log": log.name,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", required=True, help="the orgwatch binary")
    ap.add_argument("--seeds", default="1,2,3")
    ap.add_argument("--count", type=int, default=20000, help="requests per seed")
    ap.add_argument("--time-limit", type=float, default=0, help="seconds per seed at most (0: none)")
    ap.add_argument("--port", type=int, default=4577)
    ap.add_argument("--max-rss-mib", type=int, default=64)
    ap.add_argument("--report", default="", help="write the JSON report here")
    ap.add_argument("--mutations", default="", help="only these mutation kinds, comma-separated (to find what costs memory)")
    args = ap.parse_args()
    args.mutations = args.mutations.split(",") if args.mutations else MUTATIONS
    session = botocore.session.get_session()
    models = {s: session.get_service_model(s) for s in SERVICES}
    results = [run_seed(args, int(s), models) for s in args.seeds.split(",")]
    report = {"botocore": botocore.__version__, "cbor_checked": cbor2 is not None, "runs": results}
    if args.report:
        with open(args.report, "w") as f:
            json.dump(report, f, indent=1)
    bad = 0
    for r in results:
        print("seed %(seed)s: %(requests)d requests in %(seconds)ss (%(requests_per_second)s/s), peak RSS %(peak_rss_mib)s MiB "
              "(%(rss_at_end_mib)s at the end), "
              "alive %(alive_at_end)s, statuses %(statuses)s" % r)
        for f in r["findings"][:20]:
            print("  FINDING", json.dumps(f)[:1500])
        bad += len(r["findings"])
    print("findings: %d" % bad)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
