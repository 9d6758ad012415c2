"""Counts a recorded-suite report by service, LocalStack's AWS marker and outcome.

LocalStack marks each test `aws.validated` (its snapshot was recorded against AWS), `aws.manual_setup_required`
(validated, with setup done by hand), `aws.needs_fixing` (known not to run against AWS as written) or
`aws.only_localstack` (never run against AWS: it tests LocalStack's own endpoints or behaviour). Only the
first three carry AWS's answers, so this split is the automated part of the suite's denominator.

    python .ci/recorded-suite-markers.py REPORT LOCALSTACK_DIR [--list]
"""
import collections
import re
import sys

report, root = sys.argv[1], sys.argv[2]
outcomes = {}
for line in open(report, encoding="utf-8"):
    m = re.match(r"^(PASSED|FAILED|ERROR) (tests/\S+?)(?: - .*)?$", line.rstrip("\n"))
    if m:
        state, node = m.groups()
        # A test that passed and then errored in teardown counts as an error.
        if outcomes.get(node) in (None, "PASSED") and (node not in outcomes or state == "ERROR"):
            outcomes[node] = state

sources = {}


def marker(node):
    path, rest = node.split("::", 1)
    name = re.sub(r"\[.*\]$", "", rest.split("::")[-1])
    if path not in sources:
        sources[path] = open(f"{root}/{path}", encoding="utf-8").read().splitlines()
    lines = sources[path]
    for i, line in enumerate(lines):
        if re.match(r"\s*(async )?def " + re.escape(name) + r"\(", line):
            j = i - 1
            # Decorators (possibly spread over several lines) sit directly above the def.
            while j >= 0 and lines[j].strip() and not re.match(r"\s*(async )?def |\s*class ", lines[j]):
                m = re.search(r"markers\.aws\.(\w+)", lines[j])
                if m:
                    return m.group(1)
                j -= 1
            return "unmarked"
    return "unmarked"


counts = collections.Counter()
for node, state in sorted(outcomes.items()):
    service = node.split("/")[3]
    kind = marker(node)
    counts[(service, kind, state)] += 1
    if "--list" in sys.argv and state != "PASSED":
        print(f"{state:7} {kind:22} {node}")
for (service, kind, state), n in sorted(counts.items()):
    print(f"{n:5} {service:11} {kind:22} {state}")
total = sum(counts.values())
aws = sum(n for (_, kind, _), n in counts.items() if kind != "only_localstack")
passed = sum(n for (_, kind, state), n in counts.items() if kind != "only_localstack" and state == "PASSED")
print(f"{total} tests; {aws} carry AWS's answers (not only_localstack), of which {passed} passed")
