#!/usr/bin/env python3
"""The standard pack's findings read as plain English on the example partnerships.

  python3 tests/cli/check_pack_words.py JOINUP [REPO_ROOT]

Runs `joinup check --format json` on each partnership in examples/partnerships/ (the files of
waivers aside) and checks every finding's message (a failure's message or an undetermined
subject's text) for what a board member should never read:
- an id of the data (every `id:` value of the YAML: organisations, people, teams, …, and every
  area's short name, `area:`);
- the data's paths (`partnership.`) or a list printed as a list (`[`);
- "(s)" instead of a plural that agrees with its number;
- a wrong plural ("1 members", "1 of 1 senior posts have");
- a partnership's own words cut in the middle ("more bytes)").
Exit code 0 when every message passed, 1 when one failed (each failure is printed).
"""
import json
import re
import subprocess
import sys
from pathlib import Path

# Nouns the pack counts; "1 <noun>s" is a wrong plural.
NOUNS = ["member", "organisation", "partner", "person", "post", "initiative", "time", "year",
         "month", "chief executive", "team", "service", "function", "leader", "level", "system",
         "seat"]
# An `id:` (of organisations, people, teams, …) or an `area:` short name, in block or flow style.
ID_VALUE = re.compile(r"(?:^|[\s{,])(?:id|area):\s*['\"]?([A-Za-z0-9][\w-]*)")


def ids_of(text):
    """Every `id:` and `area:` value written in a YAML document."""
    return {m.group(1) for m in ID_VALUE.finditer(text)}


def problems(message, ids):
    out = []
    for i in sorted(ids):
        # An id counts only as a whole word: "data" the id is not "data" inside "database".
        if re.search(r"(?<![\w-])" + re.escape(i) + r"(?![\w-])", message):
            out.append(f"names the id '{i}'")
    if "partnership." in message:
        out.append("shows a data path")
    if "[" in message:
        out.append("shows a list in brackets")
    if "(s)" in message:
        out.append("writes '(s)'")
    for noun in NOUNS:
        if re.search(r"(?<![\d.,])\b1 " + noun + r"s\b", message):
            out.append(f"writes '1 {noun}s'")
    if re.search(r"\b1 of 1 [a-z ]+s have\b", message):
        out.append("writes '1 of 1 … have'")
    if "more bytes)" in message:
        out.append("cuts the partnership's words")
    return out


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    joinup = sys.argv[1]
    root = Path(sys.argv[2] if len(sys.argv) > 2 else Path(__file__).resolve().parents[2])
    examples = sorted(p for p in (root / "examples" / "partnerships").glob("*.yaml")
                      if "waiver" not in p.name)
    failed = 0
    checked = 0
    for example in examples:
        ids = ids_of(example.read_text(encoding="utf-8"))
        if not ids:
            print(f"FAIL {example.name}: no ids found in the example (the test reads none)")
            failed += 1
        p = subprocess.run([joinup, "check", "--format", "json", str(example)], cwd=root,
                           capture_output=True, text=True, timeout=120)
        if p.returncode not in (0, 1):
            print(f"FAIL {example.name}: joinup exited {p.returncode}: {p.stderr.strip()}")
            failed += 1
            continue
        report = json.loads(p.stdout)
        for result in report["results"]:
            for rule in result["rules"]:
                for finding in rule["violations"]:
                    message = finding.get("message") or ""
                    checked += 1
                    for problem in problems(message, ids):
                        print(f"FAIL {example.name}: {finding['rule']} {problem}: {message}")
                        failed += 1
    if checked == 0:
        print("FAIL: no findings at all on the examples (nothing was checked)")
        failed += 1
    print(f"{checked} messages checked on {len(examples)} examples, {failed} problems")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
