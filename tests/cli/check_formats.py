#!/usr/bin/env python3
"""End-to-end checks of `joinup check --format sarif|junit|github|html` and of waivers in them.

- sarif: validated against the official SARIF 2.1.0 JSON schema (tests/schema/), with the
  schema's `uri` and `uri-reference` formats checked too; then its content: a result per
  violation with the right ruleId, level, kind, location and suppressions.
- junit: parsed with a real XML parser (xml.etree); structure and counts checked.
- github: every line a workflow command with escaped data and properties.
- html: well-formed enough for an XML parser is not asked of HTML, so it is checked for having no
  external resource and no script, and for naming every finding; tests/cli/check_html_browser.py
  loads it in a real browser.

usage: tests/cli/check_formats.py JOINUP_BINARY   (run from anywhere; needs python3-jsonschema)
Exit code 0 when every check passed, 1 when one failed, 2 when the check could not run.
"""
import json
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

from sarif_schema import import_jsonschema, sarif_validator

jsonschema = import_jsonschema("formats check")

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
failures = 0
passed = 0


def check(cond, what):
    global failures, passed
    if cond:
        passed += 1
    else:
        failures += 1
        print(f"FAIL: {what}")


def run(*args, stdin=None):
    p = subprocess.run([BIN, "check", "--color", "never", *args], cwd=HERE, capture_output=True,
                       input=stdin, text=True)
    return p.returncode, p.stdout, p.stderr


def validate_sarif(text, what):
    try:
        doc = json.loads(text)
    except ValueError as e:
        check(False, f"{what}: the SARIF report is not JSON: {e}")
        return None
    errors = sorted(VALIDATOR.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path)))
    for e in errors[:5]:
        print(f"  {what}: {'/'.join(map(str, e.absolute_path))}: {e.message}")
    check(not errors, f"{what}: the SARIF report validates against the SARIF 2.1.0 schema")
    return doc


R = ["--rules", "cases/rules"]
D = "cases/data"
W = "cases/waivers"
WORKFORCE = "cli.workforce.senior-leaver-replacement"


def sarif_tests():
    code, out, err = run(*R, "--format", "sarif", "--as-of", "2026-11-21", f"{D}/plan.yaml")
    check(code == 1 and err == "", "sarif: exit code 1 and nothing on stderr")
    doc = validate_sarif(out, "sarif: plan.yaml")
    if doc:
        run0 = doc["runs"][0]
        rules = run0["tool"]["driver"]["rules"]
        check([r["id"] for r in rules] == ["cli.housing.housing-at-the-table", "cli.teams.team-size", WORKFORCE],
              "sarif: tool.driver.rules lists the rule set")
        wf = next(r for r in rules if r["id"] == WORKFORCE)
        check(wf["shortDescription"]["text"] == "Never replace a senior leaver with a single-organisation role",
              "sarif: shortDescription is the title")
        check(wf["fullDescription"]["text"].startswith("A senior post refilled"), "sarif: fullDescription is the rationale")
        check(wf["help"]["text"] == "Recruit to a system-wide or joint post.", "sarif: help is the remedy")
        check(wf["properties"]["tags"] == ["leadership", "workforce"], "sarif: tags")
        check(wf["defaultConfiguration"]["level"] == "error", "sarif: default level")
        check("helpUri" not in wf, "sarif: no helpUri")
        results = run0["results"]
        check(len(results) == 3, "sarif: one result per violation")
        by_rule = {r["ruleId"]: r for r in results}
        check({r["level"] for r in results} == {"error", "warning", "note"}, "sarif: levels error, warning, note")
        w = by_rule[WORKFORCE]
        check(rules[w["ruleIndex"]]["id"] == WORKFORCE, "sarif: ruleIndex points at the rule")
        loc = w["locations"][0]["physicalLocation"]
        check(loc["artifactLocation"]["uri"] == "cases/data/plan.yaml", "sarif: relative artifact URI")
        check(loc["region"]["startLine"] == 11 and loc["region"]["startColumn"] == 7, "sarif: region of the subject")
        check(w["message"]["text"].startswith("Dr A. Okafor left a senior post"), "sarif: message text")
        check('leaver.replacement.scope = "single-organisation"' in w["message"]["text"], "sarif: explanation in the message")
        check(w["relatedLocations"][0]["physicalLocation"]["region"]["startLine"] == 14, "sarif: the require's location")
        check("suppressions" not in w, "sarif: no suppression without waivers")
        check(run0["columnKind"] == "unicodeCodePoints", "sarif: columnKind")

    code, out, err = run(*R, "--format", "sarif", "--as-of", "2026-11-21", f"{D}/undetermined.yaml")
    doc = validate_sarif(out, "sarif: undetermined")
    if doc:
        und = [r for r in doc["runs"][0]["results"] if r["properties"]["outcome"] == "undetermined"]
        check(und and all(r["kind"] == "review" and r["level"] == "none" for r in und),
              "sarif: undetermined results are kind review, level none")

    code, out, err = run(*R, "--format", "sarif", "--as-of", "2026-11-21", "--waivers", f"{W}/unused-scoped.yaml",
                         f"{D}/plan.yaml", f"{D}/clean.yaml")
    doc = validate_sarif(out, "sarif: waivers")
    if doc:
        run0 = doc["runs"][0]
        waived = [r for r in run0["results"] if r.get("suppressions")]
        check(len(waived) == 1, "sarif: one waived result")
        s = waived[0]["suppressions"][0]
        check(s["kind"] == "external" and s["status"] == "accepted" and s["justification"] == "The real one",
              "sarif: suppression kind, status and justification")
        check(s["location"]["physicalLocation"]["region"]["startLine"] == 9, "sarif: the waiver's location")
        notes = run0["invocations"][0]["toolConfigurationNotifications"]
        check(len(notes) == 3 and all(n["level"] == "warning" for n in notes), "sarif: unused waivers as notifications")
        check({n["descriptor"]["id"] for n in notes} == {"waiver-unused"}, "sarif: notification descriptor")
        check([a["location"]["uri"] for a in run0["artifacts"]] == ["cases/data/plan.yaml", "cases/data/clean.yaml"],
              "sarif: every data file is an artifact")

    code, out, err = run(*R, "--format", "sarif", "--as-of", "2027-01-01", "--waivers", f"{W}/error-only.yaml",
                         f"{D}/plan.yaml")
    doc = validate_sarif(out, "sarif: expired waiver")
    if doc:
        notes = doc["runs"][0]["invocations"][0]["toolConfigurationNotifications"]
        check([n["descriptor"]["id"] for n in notes] == ["waiver-expired"], "sarif: expired waiver notification")
        check(not any(r.get("suppressions") for r in doc["runs"][0]["results"]), "sarif: an expired waiver suppresses nothing")
        check(code == 1, "sarif: expired waiver, exit code 1")

    # Odd file names become valid URI references; standard input has no physical location.
    with tempfile.TemporaryDirectory() as tmp:
        odd = Path(tmp) / "north vale #1 [draft]:v2.yaml"
        odd.write_text((HERE / D / "plan.yaml").read_text(encoding="utf-8"), encoding="utf-8")
        code, out, err = run(*R, "--format", "sarif", str(odd))
        doc = validate_sarif(out, "sarif: odd file name")
        if doc:
            uri = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            check(uri.startswith("file:///") and "%20" in uri and "%23" in uri, f"sarif: absolute path as file URI ({uri})")
    code, out, err = run(*R, "--format", "sarif", "-", stdin=(HERE / D / "plan.yaml").read_text(encoding="utf-8"))
    doc = validate_sarif(out, "sarif: standard input")
    if doc:
        check(all("locations" not in r for r in doc["runs"][0]["results"]), "sarif: no location for standard input")

    code, out, err = run(*R, "--format", "sarif", f"{D}/clean.yaml")
    doc = validate_sarif(out, "sarif: clean")
    check(code == 0 and doc is not None and doc["runs"][0]["results"] == [], "sarif: a clean run has no results")


def junit_tests():
    code, out, err = run(*R, "--format", "junit", "--as-of", "2026-11-21", "--waivers", f"{W}/error-only-scoped.yaml",
                         f"{D}/plan.yaml", f"{D}/clean.yaml", f"{D}/undetermined.yaml")
    check(err == "", "junit: nothing on stderr")
    try:
        root = ET.fromstring(out)
    except ET.ParseError as e:
        check(False, f"junit: the report is well-formed XML ({e})")
        return
    check(root.tag == "testsuites", "junit: root is <testsuites>")
    suites = root.findall("testsuite")
    check([s.get("name") for s in suites] == ["cases/data/plan.yaml", "cases/data/clean.yaml",
                                                "cases/data/undetermined.yaml", "cases/waivers/error-only-scoped.yaml"],
          "junit: a suite per data file, then the waivers")
    total = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for s in suites:
        cases = s.findall("testcase")
        counts = {"tests": len(cases), "failures": sum(1 for c in cases if c.find("failure") is not None),
                  "errors": sum(1 for c in cases if c.find("error") is not None),
                  "skipped": sum(1 for c in cases if c.find("skipped") is not None)}
        for k, v in counts.items():
            check(int(s.get(k)) == v, f"junit: suite {s.get('name')}: {k}={s.get(k)} matches its test cases ({v})")
            total[k] += v
    for k, v in total.items():
        check(int(root.get(k)) == v, f"junit: <testsuites> {k} adds up")
    plan = suites[0]
    names = [c.get("name") for c in plan.findall("testcase")]
    check(f"{WORKFORCE} [partnership.leavers[1]]" in names, "junit: a test case per rule and failing subject")
    team = next(c for c in plan.findall("testcase") if c.get("name") == "cli.teams.team-size [partnership.teams[0]]")
    f = team.find("failure")
    check(f is not None and f.get("type") == "warning" and f.get("message") == "team frailty has 4 members",
          "junit: failure with the message and severity")
    check(f is not None and "count(team.members) = 4" in (f.text or ""), "junit: failure text has the explanation")
    waived = next(c for c in plan.findall("testcase") if c.get("name", "").startswith(WORKFORCE))
    check(waived.find("skipped") is not None and "Interim cover" in waived.find("skipped").get("message"),
          "junit: a waived subject is skipped, with the reason")
    clean = suites[1]
    check(all(len(c) == 0 for c in clean.findall("testcase")) and len(clean.findall("testcase")) == 3,
          "junit: passing rules are empty test cases")
    und = suites[2]
    check(any(c.find("error") is not None and c.find("error").get("type") == "undetermined" for c in und),
          "junit: an undetermined subject is an error")
    wsuite = suites[3]
    check(int(wsuite.get("tests")) == 1 and int(wsuite.get("failures")) == 0, "junit: a used waiver passes")
    check(plan.find("properties/property[@name='as_of']").get("value") == "2026-11-21", "junit: as_of property")


def junit_unused_tests():
    code, out, err = run(*R, "--format", "junit", "--as-of", "2026-11-21", "--waivers", f"{W}/unused.yaml", f"{D}/plan.yaml")
    root = ET.fromstring(out)
    wsuite = root.findall("testsuite")[-1]
    check(int(wsuite.get("failures")) == 3, "junit: unused waivers are failures in the waivers suite")
    f = wsuite.find("testcase/failure")
    check(f is not None and f.get("type") == "warning" and "matches no finding" in f.get("message"),
          "junit: an unused waiver's failure says why")


# Workflow commands: ::LEVEL key=value,...::data, with data escaping %, CR, LF and properties
# escaping those and ':' and ','.
GH_LINE = re.compile(r"^::(error|warning|notice) ((?:file|line|col|title)=[^,:\r\n]*)(,(?:file|line|col|title)=[^,:\r\n]*)*::[^\r\n]*$")


def github_tests():
    code, out, err = run(*R, "--format", "github", "--as-of", "2026-11-21", f"{D}/plan.yaml")
    lines = out.splitlines()
    check(code == 1 and err == "", "github: exit code 1, nothing on stderr")
    check(len(lines) == 4 and lines[-1].startswith("3 rules failed"), "github: three annotations, then the summary")
    for l in lines[:-1]:
        check(bool(GH_LINE.match(l)), f"github: a workflow command: {l}")
    # The most severe first: the error, the warning, then the info finding as a notice.
    check(lines[0].startswith(f"::error file=cases/data/plan.yaml,line=11,col=7,title={WORKFORCE}::Dr A. Okafor"),
          "github: error annotation with file, line, col and title")
    check("%0Arequire leaver.replacement.scope != \"single-organisation\"%0A" in lines[0], "github: newlines escaped")
    check(lines[1].startswith("::warning file=cases/data/plan.yaml,"), "github: the warning second")
    check(lines[2].startswith("::notice file=cases/data/plan.yaml,"), "github: info is a notice")

    # Escaping: a message with %, a colon and newlines; a file name with ':' and ','.
    with tempfile.TemporaryDirectory() as tmp:
        rules = Path(tmp) / "odd.jup"
        rules.write_text('package odd\nuses partnership\nrule r "R" {\n  severity warning\n'
                         '  require partnership.share >= 50\n  message "share: {partnership.share}%, then\\nmore\\u{D}"\n}\n',
                         encoding="utf-8")
        data = Path(tmp) / "a:b,c.yaml"
        data.write_text("partnership:\n  share: 10\n", encoding="utf-8")
        code, out, err = run("--rules", str(rules), "--format", "github", str(data))
        first = out.splitlines()[0] if out else ""
        check(f"file={str(Path(tmp)).replace(':', '%3A').replace(',', '%2C')}/a%3Ab%2Cc.yaml," in first,
              f"github: ':' and ',' escaped in the file property: {first}")
        check("::share: 10%25, then%0Amore%0D%0A" in first, f"github: %, CR and LF escaped in the message: {first}")
        check(bool(GH_LINE.match(first)), "github: the escaped line is still one workflow command")

    code, out, err = run(*R, "--format", "github", "--as-of", "2027-01-01", "--waivers", f"{W}/error-only.yaml",
                         f"{D}/plan.yaml")
    check(any(l.startswith("::warning file=cases/waivers/error-only.yaml,line=2,col=5,title=expired waiver::")
              for l in out.splitlines()), "github: an expired waiver is a warning on the waivers file")
    code, out, err = run(*R, "--format", "github", "--as-of", "2026-11-21", "--waivers", f"{W}/all.yaml", f"{D}/plan.yaml")
    check(code == 0 and all(l.startswith("::notice ") for l in out.splitlines()[:-1]) and "(waived)" in out,
          "github: waived findings are notices, exit 0")


def html_tests():
    code, out, err = run(*R, "--format", "html", "--as-of", "2026-11-21", "--waivers", f"{W}/unused-scoped.yaml",
                         f"{D}/plan.yaml", f"{D}/undetermined.yaml")
    check(code == 0 and err == "", "html: exit code 0 (the error and the undetermined subject are waived), nothing on stderr")
    check(out.startswith("<!DOCTYPE html>"), "html: a document")
    low = out.lower()
    check("<script" not in low, "html: no script")
    check(not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", low), "html: no external resources")
    check("@import" not in low and "url(" not in low, "html: no stylesheet imports or url()")
    check("<svg" in low, "html: an inline SVG chart")
    for text in ["team frailty has 4 members", "The real one", "Recruit to a system-wide or joint post.",
                 "cases/data/undetermined.yaml", "unused waiver"]:
        check(text in out, f"html: shows {text!r}")


def main():
    global BIN, VALIDATOR
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    BIN = str(Path(sys.argv[1]).resolve())
    VALIDATOR = sarif_validator(jsonschema)
    sarif_tests()
    junit_tests()
    junit_unused_tests()
    github_tests()
    html_tests()
    print(f"{passed} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
