#!/usr/bin/env python3
"""End-to-end checks of `joinup check` as CI runs it over many plans (docs/ci.md):

- waivers bound to their plans and subjects: the Northvale waivers over all three example
  partnerships waive nothing in Eastmoor or Harrowfield; a waiver that names no plan is refused
  when several are checked; inserting a leaver never moves a waiver; a waiver whose leaver is gone
  is unused; a positional subject still waives, with a warning giving the stable spelling;
- a broken plan among good ones: results for the good ones, an error entry for each broken one,
  and exit code 2, in every format;
- baselines: an unchanged plan is all unchanged (exit 0), one new violation is new (exit 1) in
  JSON and SARIF, a resolved one is absent, and edits elsewhere keep fingerprints;
- SARIF: partialFingerprints always, rule locations never absolute, standard input located by
  --stdin-filename, and the whole validated against the SARIF 2.1.0 schema;
- GitLab Code Quality: every issue validated against GitLab's published issue schema
  (tests/schema/gitlab-codequality-issue.json), plus the severities and fields GitLab reads;
- markdown: counts, <details> by severity, within its size limit; github: GitHub's annotation
  limits with a notice for the rest;
- -q, directories as data, --min-severity.

usage: tests/cli/check_ci.py JOINUP_BINARY   (needs python3-jsonschema)
Exit code 0 when every check passed, 1 when one failed, 2 when the check could not run.
"""
import json
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

from sarif_schema import import_jsonschema, sarif_validator

jsonschema = import_jsonschema("ci check")

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
EX = "../../examples/partnerships"
AS_OF = "2026-11-21"
WORKFORCE = "integration.workforce.senior-leaver-replacement"
failures = 0
passed = 0


def check(cond, what):
    global failures, passed
    if cond:
        passed += 1
    else:
        failures += 1
        print(f"FAIL: {what}")


def run(*args, stdin=None, cwd=HERE):
    p = subprocess.run([BIN, "check", "--color", "never", "--as-of", AS_OF, *args], cwd=cwd,
                       capture_output=True, input=stdin, text=True)
    return p.returncode, p.stdout, p.stderr


def validators():
    sarif = sarif_validator(jsonschema)
    cq = json.loads((ROOT / "tests" / "schema" / "gitlab-codequality-issue.json").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(cq)
    return sarif, jsonschema.Draft7Validator(cq)


def valid_sarif(text, what):
    try:
        doc = json.loads(text)
    except ValueError as e:
        check(False, f"{what}: not JSON: {e}")
        return None
    errors = list(SARIF.iter_errors(doc))
    for e in errors[:5]:
        print(f"  {what}: {'/'.join(map(str, e.absolute_path))}: {e.message}")
    check(not errors, f"{what}: validates against SARIF 2.1.0")
    return doc


def valid_codequality(text, what):
    try:
        doc = json.loads(text)
    except ValueError as e:
        check(False, f"{what}: not JSON: {e}")
        return None
    check(isinstance(doc, list), f"{what}: an array of issues")
    if not isinstance(doc, list):
        return None
    for i, issue in enumerate(doc):
        errors = list(CODEQUALITY.iter_errors(issue))
        for e in errors[:3]:
            print(f"  {what}: [{i}]/{'/'.join(map(str, e.absolute_path))}: {e.message}")
        check(not errors, f"{what}: issue {i} validates against GitLab's Code Quality issue schema")
        # What GitLab's documentation asks beyond the schema: these fields and severities.
        check(isinstance(issue.get("check_name"), str) and issue["check_name"], f"{what}: issue {i} has a check_name")
        check(issue.get("severity") in ("info", "minor", "major", "critical", "blocker"), f"{what}: issue {i} severity")
        loc = issue.get("location", {})
        check(isinstance(loc.get("path"), str) and not loc["path"].startswith("/"), f"{what}: issue {i} relative path")
        check(isinstance(loc.get("lines", {}).get("begin"), int) and loc["lines"]["begin"] >= 1,
              f"{what}: issue {i} lines.begin")
    fps = [x.get("fingerprint") for x in doc]
    check(len(fps) == len(set(fps)), f"{what}: fingerprints are unique")
    return doc


def violations(report):
    return [v for f in report["results"] for r in f["rules"] for v in r["violations"]]


# --- waivers --------------------------------------------------------------------------------

def waiver_tests():
    code, out, err = run("--waivers", f"{EX}/northvale-waivers.yaml", f"{EX}/eastmoor-struggling.yaml",
                         f"{EX}/harrowfield-good.yaml", f"{EX}/northvale-midway.yaml")
    waived = [l for l in out.splitlines() if ": waived: " in l]
    check(len(waived) == 6 and all(l.startswith(f"{EX}/northvale-midway.yaml:") for l in waived),
          f"waivers over all three examples waive only Northvale's findings ({len(waived)} waived)")
    check(not any("eastmoor" in l or "harrowfield" in l for l in waived), "nothing waived in Eastmoor or Harrowfield")
    check("unused waiver" not in out and "expired waiver" not in out, "every Northvale waiver used")
    check(err == "", f"no warning: the example waivers name their subjects stably ({err.strip()})")

    # The issue's own command: every .yaml of the examples (the waivers file among them, as data).
    every = sorted(str(p.relative_to(HERE.parents[1]).as_posix()) for p in (ROOT / "examples/partnerships").glob("*.yaml"))
    code, out, err = run("--waivers", f"{EX}/northvale-waivers.yaml", *[f"../../{p}" for p in every])
    waived = [l for l in out.splitlines() if ": waived: " in l]
    check(len(every) == 4 and len(waived) == 6 and all("northvale-midway.yaml:" in l for l in waived),
          f"examples/partnerships/*.yaml with the Northvale waivers: only Northvale's findings waived ({len(waived)})")

    code, out, err = run("--format", "json", "--waivers", f"{EX}/northvale-waivers.yaml",
                         f"{EX}/eastmoor-struggling.yaml", f"{EX}/harrowfield-good.yaml", f"{EX}/northvale-midway.yaml")
    report = json.loads(out)
    for f in report["results"]:
        n = sum(v["waived"] for r in f["rules"] for v in r["violations"])
        expected = 6 if f["file"].endswith("northvale-midway.yaml") else 0
        check(n == expected, f"json: {f['file']} has {n} waived findings, expected {expected}")

    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        plan = (ROOT / "examples/partnerships/northvale-midway.yaml").read_text(encoding="utf-8")
        # A leaver inserted above Karen Whiteley, who is senior and replaced single-organisation too.
        inserted = plan.replace("  leavers:\n", "  leavers:\n    - name: Sam Inserted\n      organisation: dales-icb\n"
                                "      title: Director of Strategy\n      role: director\n      seniority: senior\n"
                                "      left: 2026-05-31\n      reason: moved-on\n"
                                "      replacement: {title: Interim Director, scope: single-organisation, status: interim}\n", 1)
        check(inserted != plan, "the plan has a leavers list to insert into")
        (t / "northvale-midway.yaml").write_text(inserted, encoding="utf-8")
        shutil.copy(ROOT / "examples/partnerships/northvale-waivers.yaml", t / "northvale-waivers.yaml")
        code, out, err = run("--format", "json", "--waivers", str(t / "northvale-waivers.yaml"),
                             str(t / "northvale-midway.yaml"))
        vs = [v for v in violations(json.loads(out)) if v["rule"] == WORKFORCE]
        by = {v["subject_key"]: v["waived"] for v in vs}
        check(by.get("partnership.leavers[name=Karen Whiteley]") is True, "inserted leaver: Karen Whiteley still waived")
        check(by.get("partnership.leavers[name=Sam Inserted]") is False, "inserted leaver: the new leaver is not waived")
        check(code == 1, "inserted leaver: the new error fails the run")

        # Karen Whiteley's entry gone: her waiver is unused.
        start = plan.index("    - name: Karen Whiteley")
        end = plan.index("    - name: Dr Philippa Crane")
        (t / "northvale-midway.yaml").write_text(plan[:start] + plan[end:], encoding="utf-8")
        code, out, err = run("--waivers", str(t / "northvale-waivers.yaml"), str(t / "northvale-midway.yaml"))
        check(re.search(r"northvale-waivers\.yaml:12:5: warning: unused waiver", out) is not None,
              "a waiver whose leaver is gone is unused")

        # A positional subject: still waives, with a warning giving the stable spelling.
        (t / "northvale-midway.yaml").write_text(plan, encoding="utf-8")
        (t / "old.yaml").write_text(f"waivers:\n  - rule: {WORKFORCE}\n    subject: \"partnership.leavers[1]\"\n"
                                    "    reason: interim\n", encoding="utf-8")
        code, out, err = run("--waivers", str(t / "old.yaml"), str(t / "northvale-midway.yaml"))
        check(f"{t}/old.yaml:2:5: warning: the waiver names its subject by position" in err,
              f"positional subject: a warning at the waiver ({err.strip()})")
        check('write subject: "partnership.leavers[name=Karen Whiteley]"' in err, "positional subject: the stable spelling")
        check(code == 0 and ": waived: " + WORKFORCE in out, "positional subject: still waives for this release")

        # A waiver without a file, over several plans: refused, naming the waiver.
        shutil.copy(ROOT / "examples/partnerships/eastmoor-struggling.yaml", t / "eastmoor.yaml")
        code, out, err = run("--waivers", str(t / "old.yaml"), str(t / "northvale-midway.yaml"), str(t / "eastmoor.yaml"))
        check(code == 2 and out == "", "a waiver without a file over two plans: exit 2, no report")
        check(f"{t}/old.yaml:2:5: error: the waiver of '{WORKFORCE}' names no data file, and 2 data files are checked" in err,
              f"the ambiguous waiver is named with file:line:col ({err.strip()})")

        # A waiver for a file, given through standard input named by --stdin-filename.
        (t / "scoped.yaml").write_text(f"waivers:\n  - rule: {WORKFORCE}\n    file: northvale-midway.yaml\n"
                                       "    subject: \"partnership.leavers[name=Karen Whiteley]\"\n    reason: interim\n",
                                       encoding="utf-8")
        code, out, err = run("--waivers", str(t / "scoped.yaml"), "--stdin-filename", str(t / "northvale-midway.yaml"),
                             "-", stdin=plan)
        check(code == 0 and f"{t}/northvale-midway.yaml:" in out and ": waived: " in out,
              "--stdin-filename: standard input is named, and its waiver applies")
        code, out, err = run("--waivers", str(t / "scoped.yaml"), "-", stdin=plan)
        check(code == 1 and "unused waiver" not in out and ": waived: " not in out,
              "standard input without a name: a waiver for a file does not apply (and is not reported unused)")


# --- broken plans among good ones -------------------------------------------------------------

def broken_tests():
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        shutil.copy(ROOT / "examples/partnerships/harrowfield-good.yaml", t / "good.yaml")
        shutil.copy(ROOT / "examples/partnerships/eastmoor-struggling.yaml", t / "east.yaml")
        (t / "broken.yaml").write_text("partnership:\n  name: [unclosed\n", encoding="utf-8")
        (t / "broken2.json").write_text('{"partnership": }\n', encoding="utf-8")
        files = ["good.yaml", "broken.yaml", "east.yaml", "broken2.json"]  # relative, as in a repository
        for fmt in ["text", "json", "sarif", "junit", "github", "html", "markdown", "codequality"]:
            out_file = t / f"report.{fmt}"
            code, out, err = run("--format", fmt, "--output", str(out_file), *files, cwd=t)
            what = f"broken plans, {fmt}"
            check(code == 2, f"{what}: exit code 2 ({code})")
            check(out_file.exists(), f"{what}: the report is still written")
            text = out_file.read_text(encoding="utf-8") if out_file.exists() else ""
            check(re.search(r"^broken\.yaml:\d+:\d+: error: ", err, re.M) and
                  re.search(r"^broken2\.json:\d+:\d+: error: ", err, re.M), f"{what}: every broken file on standard error")
            check("east.yaml" in text, f"{what}: the good plans are reported")
            if fmt == "json":
                d = json.loads(text)
                check([r["file"] for r in d["results"]] == [files[0], files[2]], "json: a result per good plan")
                check({e["file"] for e in d["errors"]} == {files[1], files[3]}, "json: an errors entry per broken plan")
                check(all(e["line"] >= 1 and e["message"] for e in d["errors"]), "json: errors located, with a message")
            elif fmt == "sarif":
                d = valid_sarif(text, what)
                if d:
                    inv = d["runs"][0]["invocations"][0]
                    notes = inv.get("toolExecutionNotifications", [])
                    check(inv["executionSuccessful"] is False, "sarif: executionSuccessful false")
                    uris = {n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for n in notes}
                    check(len(notes) >= 2 and uris == {"broken.yaml", "broken2.json"},
                          "sarif: a toolExecutionNotification located in each broken plan")
                    check(all(n["level"] == "error" for n in notes), "sarif: the notifications are errors")
                    check(len(d["runs"][0]["results"]) > 0, "sarif: the good plans have results")
            elif fmt == "junit":
                root = ET.fromstring(text)
                bad = [s for s in root.findall("testsuite") if s.get("name") in (files[1], files[3])]
                check(len(bad) == 2 and all(s.find("testcase/error") is not None for s in bad),
                      "junit: an error test case per broken plan")
                check(int(root.get("errors")) >= 2, "junit: the errors are counted")
            elif fmt == "codequality":
                d = valid_codequality(text, what)
                if d:
                    check(sum(1 for x in d if x["severity"] == "blocker") >= 2, "codequality: a blocker per broken plan")
            elif fmt == "github":
                check(text.startswith("::error file=") and "broken" in text.splitlines()[0],
                      "github: the broken plans are annotated first")
            else:
                check("broken.yaml" in text and "broken2.json" in text, f"{what}: names both broken plans")
        code, out, err = run(*files, cwd=t)
        check(code == 2 and "east.yaml" in out and "broken.yaml" not in out and
              "broken.yaml:2:9: error: invalid YAML: this '[' starts a list" in err,
              "text to standard output: results there, the errors on standard error")


# --- baselines --------------------------------------------------------------------------------

def baseline_tests():
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        plan_text = (ROOT / "examples/partnerships/northvale-midway.yaml").read_text(encoding="utf-8")
        plan = t / "plan.yaml"
        plan.write_text(plan_text, encoding="utf-8")
        code, out, err = run("--format", "json", "--output", str(t / "base.json"), str(plan))
        check(code == 1, "baseline: the plan has an error of its own")
        base = json.loads((t / "base.json").read_text(encoding="utf-8"))
        check(all(re.fullmatch(r"[0-9a-f]{32}", v["fingerprint"]) for v in violations(base)), "json: a fingerprint per finding")
        check(all(v["baseline"] is None for v in violations(base)), "json: no baseline state without a baseline")

        code, out, err = run("--format", "json", "--baseline", str(t / "base.json"), str(plan))
        d = json.loads(out)
        check(code == 0, f"baseline, unchanged plan: exit 0 ({code}, {err.strip()})")
        check(violations(d) and all(v["baseline"] == "unchanged" for v in violations(d)),
              "baseline, unchanged plan: every finding unchanged")
        check(d["baseline"] == {"new": 0, "absent": 0, "absent_findings": []}, "json: baseline counts")
        code, out, err = run("--format", "sarif", "--baseline", str(t / "base.json"), str(plan))
        s = valid_sarif(out, "baseline sarif")
        if s:
            check(all(r["baselineState"] == "unchanged" for r in s["runs"][0]["results"]), "sarif: every result unchanged")
        code, out, err = run("--baseline", str(t / "base.json"), str(plan))
        check("against the baseline: 0 new, " in out and ", 0 resolved" in out, "text: how many are new and resolved")

        # Edits elsewhere (a leaver inserted above the others, lines shifted): fingerprints hold.
        shifted = plan_text.replace("  leavers:\n", "  leavers:\n    - name: Jo Junior\n      organisation: dales-icb\n"
                                    "      title: Officer\n      role: officer\n      seniority: junior\n"
                                    "      left: 2026-01-31\n      reason: moved-on\n", 1)
        plan.write_text("# a comment that moves every line down\n" + shifted, encoding="utf-8")
        code, out, err = run("--format", "json", "--baseline", str(t / "base.json"), str(plan))
        d = json.loads(out)
        check(code == 0 and all(v["baseline"] == "unchanged" for v in violations(d)),
              f"baseline: lines moved and a leaver inserted, every finding still unchanged ({code})")

        # One new violation: exit 1, and that finding new in SARIF.
        new = plan_text.replace("  leavers:\n", "  leavers:\n    - name: Nina New\n      organisation: dales-icb\n"
                                "      title: Director of Nursing\n      role: director\n      seniority: senior\n"
                                "      left: 2026-09-30\n      reason: moved-on\n"
                                "      replacement: {title: Interim Director of Nursing, scope: single-organisation, status: interim}\n", 1)
        plan.write_text(new, encoding="utf-8")
        code, out, err = run("--format", "sarif", "--baseline", str(t / "base.json"), str(plan))
        check(code == 1, f"baseline, one new violation: exit 1 ({code})")
        s = valid_sarif(out, "baseline sarif, new")
        if s:
            fresh = [r for r in s["runs"][0]["results"] if r["baselineState"] == "new"]
            check(len(fresh) == 1 and fresh[0]["ruleId"] == WORKFORCE and "Nina New" in fresh[0]["message"]["text"],
                  "sarif: that finding is new, every other unchanged")
            check(all(r["baselineState"] == "unchanged" for r in s["runs"][0]["results"] if r not in fresh),
                  "sarif: the rest unchanged")
        code, out, err = run("--baseline", str(t / "base.json"), "--format", "html", str(plan))
        check("against the baseline: 1 new," in out, "html: how many are new")

        # A violation resolved: absent, and the run passes.
        start = plan_text.index("    - name: Karen Whiteley")
        end = plan_text.index("    - name: Dr Philippa Crane")
        plan.write_text(plan_text[:start] + plan_text[end:], encoding="utf-8")
        code, out, err = run("--format", "json", "--baseline", str(t / "base.json"), str(plan))
        d = json.loads(out)
        check(code == 0 and d["baseline"]["absent"] == 1 and d["baseline"]["absent_findings"][0]["rule"] == WORKFORCE,
              "baseline: a resolved finding is absent")
        code, out, err = run("--format", "sarif", "--baseline", str(t / "base.json"), str(plan))
        s = valid_sarif(out, "baseline sarif, absent")
        if s:
            check([r["ruleId"] for r in s["runs"][0]["results"] if r["baselineState"] == "absent"] == [WORKFORCE],
                  "sarif: the resolved finding is an absent result")

        (t / "not-a-report.json").write_text('{"a": 1}', encoding="utf-8")
        code, out, err = run("--baseline", str(t / "not-a-report.json"), str(plan))
        check(code == 2 and out == "" and "not a joinup JSON report" in err, "a baseline that is not a report: exit 2")
        code, out, err = run("--baseline", str(t / "missing.json"), str(plan))
        check(code == 2 and "baseline report not found" in err, "a missing baseline: exit 2")


# --- SARIF details ----------------------------------------------------------------------------

def sarif_tests():
    code, out, err = run("--format", "sarif", f"{EX}/northvale-midway.yaml")
    s = valid_sarif(out, "sarif, standard pack")
    if not s:
        return
    r0 = s["runs"][0]
    check(all(re.fullmatch(r"[0-9a-f]{32}", r["partialFingerprints"]["joinupFinding/v1"]) for r in r0["results"]),
          "sarif: partialFingerprints on every result")
    check(all("baselineState" not in r for r in r0["results"]), "sarif: no baselineState without a baseline")
    uris = [r["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in r0["results"]]
    check(all(not u.startswith("file:") and not u.startswith("/") for u in uris), "sarif: rule locations are relative")
    check("../../rules/integration/workforce.jup" not in out, "sarif: no path climbs out of the repository folder")
    defined = [r["properties"]["definedAt"] for r in r0["tool"]["driver"]["rules"]]
    check(all(not d.startswith("/") for d in defined), "sarif: definedAt is not a machine path")
    # From the repository root, the pack's rule files are inside it: plain relative URIs.
    code, out, err = run("--format", "sarif", "--rules-root", str(ROOT), f"{EX}/northvale-midway.yaml")
    s = valid_sarif(out, "sarif, --rules-root")
    if s:
        rel = s["runs"][0]["results"][0]["relatedLocations"][0]["physicalLocation"]["artifactLocation"]
        check(rel["uri"].startswith("rules/integration/") and "uriBaseId" not in rel,
              f"sarif: relative to --rules-root ({rel})")
    # Standard input, named.
    text = (ROOT / "examples/partnerships/northvale-midway.yaml").read_text(encoding="utf-8")
    code, out, err = run("--format", "sarif", "--stdin-filename", "plans/northvale.yaml", "-", stdin=text)
    s = valid_sarif(out, "sarif, named standard input")
    if s:
        locs = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in s["runs"][0]["results"]]
        check(locs and all(u == "plans/northvale.yaml" for u in locs), "sarif: standard input located by --stdin-filename")
    code, out, err = run("--stdin-filename", "x.yaml", f"{EX}/northvale-midway.yaml")
    check(code == 2 and "--stdin-filename" in err, "--stdin-filename without '-': a usage error")


# --- formats: codequality, markdown, github limits ------------------------------------------------

def format_tests():
    every = [f"{EX}/eastmoor-struggling.yaml", f"{EX}/harrowfield-good.yaml", f"{EX}/northvale-midway.yaml"]
    code, out, err = run("--format", "codequality", "--waivers", f"{EX}/northvale-waivers.yaml", *every)
    d = valid_codequality(out, "codequality")
    if d is not None:
        code_j, out_j, _ = run("--format", "json", "--waivers", f"{EX}/northvale-waivers.yaml", *every)
        unwaived = [v for v in violations(json.loads(out_j)) if not v["waived"]]
        check(len(d) == len(unwaived), f"codequality: an issue per finding not waived ({len(d)} vs {len(unwaived)})")
        check({x["fingerprint"] for x in d} == {v["fingerprint"] for v in unwaived}, "codequality: the findings' fingerprints")
        check({x["severity"] for x in d} <= {"critical", "major", "minor"}, "codequality: severities by the rules'")

    code, out, err = run("--format", "markdown", "--waivers", f"{EX}/northvale-waivers.yaml", *every)
    check(code == 1 and out.startswith("## joinup check\n"), "markdown: a heading")
    check("| errors | warnings | info |" in out, "markdown: the counts as a table")
    check("<details open><summary><b>Errors (" in out and "<details><summary><b>Warnings (" in out,
          "markdown: findings grouped by severity in <details>")
    check(out.count("<details") == out.count("</details>"), "markdown: every section closed")
    check(len(out.encode()) <= 1024 * 1024, "markdown: within 1 MiB")
    # A plan with thousands of findings: the summary stays within 1 MiB and says what it left out.
    with tempfile.TemporaryDirectory() as tmp:
        rules = Path(tmp) / "many.jup"
        rules.write_text('package many\nuses items\nrule r "Every item is big" {\n  severity warning\n'
                         '  for each item in items\n  require item.size > 100\n'
                         '  message "item {item.id} is too small: ' + "x" * 300 + '"\n}\n', encoding="utf-8")
        data = Path(tmp) / "many.yaml"
        data.write_text("items:\n" + "".join(f"  - {{id: i{i}, size: 1}}\n" for i in range(4000)), encoding="utf-8")
        code, out, err = run("--rules", str(rules), "--format", "markdown", str(data))
        check(len(out.encode()) <= 1024 * 1024, f"markdown: 4000 findings kept within 1 MiB ({len(out.encode())} bytes)")
        check(re.search(r"\*\d+ more findings are left out", out) is not None, "markdown: says how many it left out")
        check(out.count("<details") == out.count("</details>"), "markdown: sections closed when cut")

        code, out, err = run("--rules", str(rules), "--format", "github", str(data))
        lines = out.splitlines()
        ann = [l for l in lines if l.startswith("::")]
        check(len(ann) <= 50, f"github: at most 50 annotations ({len(ann)})")
        for kind in ("error", "warning", "notice"):
            check(sum(l.startswith(f"::{kind} ") for l in ann) <= 10, f"github: at most 10 {kind} annotations")
        more = [l for l in ann if "title=joinup%3A more findings" in l]
        check(len(more) == 1 and "3990 more findings are not shown" in more[0],
              f"github: one notice counting the rest ({more[:1]})")
        check(sum(1 for l in lines if ": warning: many.r: item " in l) == 3990, "github: the rest listed in the log")

    code, out, err = run("--format", "github", *every)
    ann = [l for l in out.splitlines() if l.startswith("::")]
    kinds = [l.split(" ", 1)[0] for l in ann if "joinup%3A more findings" not in l]
    order = {"::error": 0, "::warning": 1, "::notice": 2}
    check([order[k] for k in kinds] == sorted(order[k] for k in kinds), "github: the most severe first")
    check(sum(k == "::error" for k in kinds) == 10 and sum(k == "::warning" for k in kinds) == 10 and len(ann) <= 50,
          "github: ten errors and ten warnings of the examples' 86 findings shown")
    check(sum("joinup%3A more findings" in l for l in ann) == 1, "github: one notice for the rest")


# --- -q, directories, --min-severity ----------------------------------------------------------------

def option_tests():
    code, out, err = run("-q", f"{EX}/harrowfield-good.yaml")
    code2, out2, err2 = run("--quiet", f"{EX}/harrowfield-good.yaml")
    check(err == "" and out == out2 and "passed" not in out, "-q is --quiet")

    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        (t / "plans" / "north").mkdir(parents=True)
        (t / "plans" / ".hidden").mkdir()
        shutil.copy(ROOT / "examples/partnerships/northvale-midway.yaml", t / "plans" / "north" / "northvale.yaml")
        shutil.copy(ROOT / "examples/partnerships/eastmoor-struggling.yaml", t / "plans" / "eastmoor.yml")
        (t / "plans" / "quick.json").write_text(json.dumps({"partnership": {"name": "Quick"}}), encoding="utf-8")
        (t / "plans" / ".hidden" / "x.yaml").write_text("not: [valid\n", encoding="utf-8")
        (t / "plans" / "notes.txt").write_text("not data\n", encoding="utf-8")
        (t / "plans" / "plan.test.yaml").write_text("tests: []\n", encoding="utf-8")
        (t / "plans" / "extra.yaml").write_text("package: x\nrules: []\n", encoding="utf-8")
        (t / "plans" / "waivers.yaml").write_text(
            f"waivers:\n  - rule: {WORKFORCE}\n    file: north/northvale.yaml\n    reason: interim\n", encoding="utf-8")
        code, out, err = run("--format", "json", "--waivers", str(t / "plans" / "waivers.yaml"), str(t / "plans"), cwd=t)
        d = json.loads(out) if out else {"results": []}
        files = [r["file"] for r in d["results"]]
        check(files == [f"{t}/plans/eastmoor.yml", f"{t}/plans/north/northvale.yaml", f"{t}/plans/quick.json"],
              f"a directory: its .yaml, .yml and .json plans, sorted, less tests, rules, waivers and hidden files ({files})")
        check(err == "", f"a directory: nothing on standard error ({err.strip()})")
        waived = {r["file"]: sum(v["waived"] for x in r["rules"] for v in x["violations"]) for r in d["results"]}
        check(waived.get(f"{t}/plans/north/northvale.yaml", 0) > 0 and waived.get(f"{t}/plans/eastmoor.yml") == 0,
              "a directory: a waiver for one plan in it waives only that plan")

    code, out, err = run("--format", "json", "--min-severity", "error", f"{EX}/eastmoor-struggling.yaml")
    code_all, out_all, _ = run("--format", "json", f"{EX}/eastmoor-struggling.yaml")
    sev = {v["severity"] for v in violations(json.loads(out))}
    check(sev == {"error"}, f"--min-severity error: only errors in the report ({sev})")
    check(code == code_all == 1, "--min-severity does not change the exit code")
    code, out, err = run("--min-severity", "warning", "--fail-on", "info", f"{EX}/harrowfield-good.yaml")
    check(": info: " not in out, "--min-severity warning: no info findings shown")
    code, out, err = run("--min-severity", "warn", f"{EX}/harrowfield-good.yaml")
    check(code == 2 and "did you mean 'warning'" in err, "--min-severity: a bad value is a usage error")


def main():
    global BIN, SARIF, CODEQUALITY
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    BIN = str(Path(sys.argv[1]).resolve())
    SARIF, CODEQUALITY = validators()
    waiver_tests()
    broken_tests()
    baseline_tests()
    sarif_tests()
    format_tests()
    option_tests()
    print(f"{passed} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
