#!/usr/bin/env python3
"""Seed corpora for the coverage-guided targets, taken from the tests: the recorded requests of the AWS CLI
and the AWS SDK for Rust (emulator/tests/data/captures), the AWS-sourced filter-pattern vectors, and the
scenario catalogue with the policies, filter policies and patterns it holds. Written under the folder
given (default fuzz/corpus, which is not committed: the seeds follow the tests as they change)."""

import json
import os
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "fuzz" / "corpus")
counts = {}


def put(target, data):
    if isinstance(data, str):
        data = data.encode()
    d = OUT / target
    d.mkdir(parents=True, exist_ok=True)
    n = counts.get(target, 0)
    (d / ("seed-%04d" % n)).write_bytes(data)
    counts[target] = n + 1


def walk(v, key=""):
    """Every (key, value) pair in a JSON document."""
    if isinstance(v, dict):
        for k, x in v.items():
            yield k, x
            yield from walk(x, k)
    elif isinstance(v, list):
        for x in v:
            yield from walk(x, key)


# Recorded requests, one seed per body, shaped as each target reads its input.
for txt in sorted((ROOT / "emulator/tests/data/captures").glob("*/*.txt")):
    body_file = txt.with_suffix(".body")
    body = body_file.read_bytes() if body_file.exists() else b""
    head = txt.read_text(errors="replace").lower()
    first = head.splitlines()[0] if head else ""
    if "application/cbor" in head:
        put("cbor_codec", body)
    elif "x-amz-target" in head:
        put("json_codec", bytes([0]) + body)
        put("json_codec", bytes([1]) + body)
    elif "x-www-form-urlencoded" in head:
        put("query_codec", body)
    else:
        target = first.split(" ")[1] if " " in first else "/"
        put("rest_xml_codec", bytes([1]) + target.encode() + b"\n" + body)

# S3 requests as the S3 tests send them (no capture records S3): the method byte, the target line, the body.
for pick, line, body in [
    (0, "/trail-bucket?list-type=2&prefix=AWSLogs/&encoding-type=url", b""),
    (1, "/trail-bucket?policy", b'{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:GetBucketAcl","Resource":"arn:aws:s3:::trail-bucket"}]}'),
    (2, "/trail-bucket?delete", b"<Delete><Object><Key>a</Key></Object><Quiet>true</Quiet></Delete>"),
    (9, "/trail-bucket/AWSLogs/1/x.json.gz", b"5;chunk-signature=ab\r\nhello\r\n0\r\n\r\n"),
    (1, "/trail-bucket?versioning", b'<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Status>Enabled</Status></VersioningConfiguration>'),
]:
    put("rest_xml_codec", bytes([pick]) + line.encode() + b"\n" + body)

# The AWS-sourced pattern vectors: the pattern, then a message it is tested on.
vectors = json.loads((ROOT / "pattern/tests/data/filter-patterns.json").read_text())
for k, v in walk(vectors):
    if k in ("pattern", "filterPattern") and isinstance(v, str):
        put("filter_pattern", v)

# The scenario catalogue: each file whole, and what it holds.
for f in sorted(ROOT.glob("scenarios/*.json")):
    text = f.read_text()
    put("scenario", text)
    try:
        doc = json.loads(text)
    except ValueError:
        continue
    for k, v in walk(doc):
        lk = k.lower()
        if "pattern" in lk and isinstance(v, str):
            put("filter_pattern", v)
        if "filter_policy" in lk or "filterpolicy" in lk:
            put("filter_policy", v if isinstance(v, str) else json.dumps(v))
        if isinstance(v, dict) and "Statement" in v:
            put("iam_policy", json.dumps(v))
        if isinstance(v, str) and '"Statement"' in v:
            put("iam_policy", v)

# Composite alarm rules as the alarm_rule tests write them.
for rule in [
    'ALARM("a") OR ALARM(b) AND NOT OK(b)',
    '(ALARM("a") OR ALARM(b)) AND OK(b)',
    "NOT TRUE",
    "INSUFFICIENT_DATA(c)",
    'ALARM("arn:aws:cloudwatch:us-east-1:1:alarm:a")',
]:
    put("alarm_rule", rule)

for target, n in sorted(counts.items()):
    print("%s: %d seeds" % (target, n))
