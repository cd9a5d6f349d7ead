#!/usr/bin/env python3
"""Writes the seed corpora of the waivers and rule_tests fuzz targets: the repository's real
waivers and rule test files, then hostile variants of them. Usage: fuzz/seeds.py (from anywhere).
Seeds the fuzzers found are added by hand under names starting with "found-"; this script leaves
them alone."""
import json
import pathlib
import re

root = pathlib.Path(__file__).resolve().parent.parent
out_w = root / "fuzz/corpus/waivers"
out_t = root / "fuzz/corpus/rule_tests"
out_w.mkdir(parents=True, exist_ok=True)
out_t.mkdir(parents=True, exist_ok=True)


def write(d, name, text):
    (d / name).write_bytes(text.encode() if isinstance(text, str) else text)


HOSTILE = r"\e]0;pwned\a\e[2J\u202e\u2066\x85\x9b\x7f\n::warning::forged\r\n  ::error::indented"

# --- waivers --------------------------------------------------------------------------------------
real = root / "examples/partnerships/northvale-waivers.yaml"
write(out_w, "northvale-waivers.yaml", real.read_text())
for p in sorted((root / "tests/cli/cases/waivers").iterdir()):
    write(out_w, "cli-" + p.name, p.read_text())

one = """waivers:
  - rule: integration.workforce.senior-leaver-replacement
    file: northvale-midway.yaml
    subject: "partnership.leavers[name=Karen Whiteley]"
    reason: "{reason}"
    approved_by: "{approved}"
    expires: {expires}
"""
write(out_w, "hostile-reason.yaml", one.format(reason=HOSTILE, approved="x", expires="2099-01-01"))
write(out_w, "hostile-approved-by.yaml", one.format(reason="r", approved=HOSTILE, expires="2099-01-01"))
write(out_w, "hostile-expired.yaml", one.format(reason=HOSTILE, approved=HOSTILE, expires="2020-01-01"))
write(out_w, "hostile-raw-bytes.yaml",
      one.format(reason="raw \x1b]0;t\x07 \u202e \u0085 \u009b", approved="a\x7f", expires="2099-01-01"))
write(out_w, "hostile-subject.yaml", """waivers:
  - rule: integration.workforce.senior-leaver-replacement
    subject: "partnership.leavers[name=\\e[2J\\n::warning::x]"
    reason: r
  - rule: "integration.teams.cross-cutting-team-size\\u202e"
    subject: "partnership.teams[0]"
    reason: r
  - rule: integration.teams.cross-cutting-team-size
    subject: "partnership.teams[99999999999999999999]"
    reason: r
""")
write(out_w, "by-position.yaml", """waivers:
  - {rule: integration.workforce.senior-leaver-replacement, subject: "partnership.leavers[0]", reason: p}
  - {rule: integration.teams.cross-cutting-team-size, subject: "partnership.teams[id=northvale-insight]", reason: q}
  - {rule: integration.teams.cross-cutting-team-size, files: ["*.yaml", "north[v]ale-*.yaml", "?"], reason: g}
""")
write(out_w, "duplicates-and-expiry.yaml", """waivers:
  - {rule: integration.money.pooled-budget-share, reason: old, expires: 2020-01-01}
  - {rule: integration.money.pooled-budget-share, reason: new, expires: 2030-01-01}
  - {rule: integration.money.pooled-budget-share, reason: same day, expires: 2026-11-21}
  - {rule: integration.money.pooled-budget-share, reason: day before, expires: 2026-11-20}
""")
write(out_w, "anchors.yaml", """waivers:
  - &w {rule: integration.teams.cross-cutting-team-size, reason: &r "a reason"}
  - *w
  - {rule: integration.strategy.pilot-past-end-date, reason: *r, approved_by: *r}
  - <<: *w
""")
laughs = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(8))
write(out_w, "alias-bomb.yaml", laughs + "waivers: []\n")
write(out_w, "bad-values.yaml", """waivers:
  - rule: ""
    reason: ""
  - rule: integration
    reason: [a, b]
  - rule: integration.money.pooled-budget-share
    reason: r
    expires: 2027-02-29
    file: ""
    files: []
  - rule: integration.money.pooled-budget-share
    reson: misspelt
    expries: 2027-01-01
  - 42
  - null
""")
write(out_w, "not-a-map.yaml", "- rule: a.b\n  reason: r\n")
write(out_w, "empty.yaml", "")
write(out_w, "bom-crlf.yaml", "\ufeffwaivers:\r\n  - rule: integration.money.pooled-budget-share\r\n    reason: r\r\n")
write(out_w, "lone-cr.yaml", "waivers: # c\r  - rule: integration.money.pooled-budget-share\r    reason: r\r")
write(out_w, "tabs-and-nul.yaml", b"waivers:\n\t- rule: a.b\n  - rule: a\x00b\n    reason: r\n")
write(out_w, "invalid-utf8.yaml", b"waivers:\n  - rule: integration.money.pooled-budget-share\n    reason: \"\xff\xfe\xc0\x80\"\n")
write(out_w, "deep.yaml", "waivers: " + "[" * 500 + "]" * 500 + "\n")
write(out_w, "json.json", json.dumps({"waivers": [
    {"rule": "integration.money.pooled-budget-share", "file": "northvale-midway.yaml",
     "reason": "json \u001b]0;x\u0007 \u202e", "approved_by": "\u0085", "expires": "2027-03-31"},
    {"rule": "integration.teams.cross-cutting-team-size", "subject": "partnership.teams[0]", "reason": "r"}]}))
write(out_w, "json-broken.json", '{"waivers": [{"rule": "a.b", "reason": "r"}, {"rule": 1, ')
write(out_w, "many.yaml", "waivers:\n" + "".join(
    f"  - {{rule: integration.teams.cross-cutting-team-size, subject: \"partnership.teams[{i}]\", reason: r{i}}}\n"
    for i in range(300)))

# --- rule tests -----------------------------------------------------------------------------------
for p in sorted((root / "rules/integration/tests").glob("*.test.yaml")):
    write(out_t, "integration-" + p.name.replace(".test.yaml", ".yaml"), p.read_text())  # not picked up by `joinup test`
# The command's own test files, their rules pointed at the standard pack (../workforce.jup).
cli_rules = "[../workforce.jup, ../teams.jup]"
for p in sorted((root / "tests/cli/test_runner").glob("*/*.yaml")):
    text = re.sub(r"rules: \[[^\]]*\]", "rules: " + cli_rules, p.read_text())
    text = text.replace("cli.workforce.", "integration.workforce.").replace("cli.teams.team-size",
                                                                             "integration.teams.cross-cutting-team-size")
    write(out_t, "cli-" + p.parent.name + "-" + p.name.replace(".test.yaml", ".yaml"), text)
head = "rules: [../workforce.jup]\ntests:\n"
leaver = "{partnership: {leavers: [{name: A, seniority: senior, replacement: {title: T, scope: single-organisation}}]}}"
write(out_t, "hostile-name.yaml", head + f"""  - name: "{HOSTILE}"
    input: {leaver}
    expect: []
""")
write(out_t, "hostile-expect.yaml", head + f"""  - name: missing and unexpected
    input: {{partnership: {{leavers: [{{name: "{HOSTILE}", seniority: senior, replacement: {{title: "{HOSTILE}", scope: single-organisation}}}}]}}}}
    expect:
      - {{rule: integration.workforce.senior-leaver-replacement, subject: "{HOSTILE}"}}
""")
write(out_t, "hostile-raw-bytes.yaml", head + "  - name: \"raw \x1b[2J \u202e \u0085\"\n    input: {a: \"\x07\"}\n    expect: []\n")
write(out_t, "hostile-rule-id.yaml", head + f"""  - name: t
    input: {{}}
    only: ["integration.workforce.senior-leaver-replacement{HOSTILE}"]
    expect:
      - {{rule: "{HOSTILE}", subject: "", outcome: "fa\\u202eil"}}
""")
write(out_t, "inputs.yaml", """rules: [../workforce.jup, ../money.jup]
tests:
  - {name: file, input_file: ../data/plan.yaml, expect: []}
  - {name: a directory, input_file: .., expect: []}
  - {name: a rule file as data, input_file: ../money.jup, expect: []}
  - {name: missing, input_file: nope.yaml, expect: []}
  - {name: both, input: {}, input_file: ../data/plan.yaml, expect: []}
  - {name: as_of, input: {}, as_of: 2026-02-30, expect: []}
  - {name: as_of string, input: {}, as_of: "2026-02-28", expect: []}
""")
write(out_t, "rules-folder.yaml", "rules: ..\ntests: []\n")
write(out_t, "rules-missing.yaml", "rules: [nope.jup, ../nope/, '']\ntests: []\n")
write(out_t, "undetermined.yaml", head + """  - name: undetermined
    input: {partnership: {leavers: [{name: B, seniority: senior}]}}
    expect:
      - {rule: integration.workforce.senior-leaver-replacement, subject: "partnership.leavers[0]", outcome: undetermined}
      - {rule: integration.workforce.senior-leaver-replacement, subject: "partnership.leavers[0]", outcome: undetermind}
""")
write(out_t, "anchors.yaml", head + """  - &t
    name: anchored
    input: &i {partnership: {leavers: [{name: A, seniority: senior, replacement: {title: T, scope: joint}}]}}
    expect: []
  - *t
  - {name: aliased input, input: *i, expect: [], only: integration.workforce.senior-leaver-replacement}
""")
write(out_t, "alias-bomb.yaml", head.replace("tests:\n", "") + laughs.replace("a:", "x:", 1) +
      "tests:\n  - {name: bomb, input: {partnership: {leavers: *i}}, expect: []}\n")
write(out_t, "empty.yaml", "")
write(out_t, "not-a-map.yaml", "- rules: [../money.jup]\n")
write(out_t, "bom-crlf.yaml", "\ufeff" + head.replace("\n", "\r\n") + "  - {name: t, input: {}, expect: []}\r\n")
write(out_t, "lone-cr.yaml", head.replace("\n", "\r") + "  - {name: t, input: {}, expect: []} # c\r  - {name: u, input: {}, expect: []}\r")
write(out_t, "tabs-nul-utf8.yaml", (head + "  - name: \"").encode() + b"\xff\xfe\"\n\tinput: {}\n  - name: a\x00b\n")
write(out_t, "deep-input.yaml", head + "  - name: deep\n    input: {a: " + "[" * 400 + "]" * 400 + "}\n    expect: []\n")
write(out_t, "many-tests.yaml", head + "".join(f"  - {{name: t{i}, input: {{}}, expect: []}}\n" for i in range(400)))
