#!/usr/bin/env python3
"""The outputs the README quotes are what joinup prints.

  python3 tests/cli/check_readme.py JOINUP [REPO_ROOT]

- the quickstart: `joinup check --rules examples/quickstart/rules.jup
  examples/quickstart/partnership.yaml` prints exactly the README's block (exit 1);
- the rule mistakes: the README's `bad.jup` errors are what joinup prints for a rule file whose
  line 4 is the one the README shows (exit 2);
- the first command's check of the Northvale example exits 1, as the README says.
Exit code 0 when every check passed, 1 when one failed.
"""
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path


def blocks(text):
    """The README's fenced code blocks, in order."""
    return [m.group(1) for m in re.finditer(r"^```[a-z]*\n(.*?)^```", text, re.S | re.M)]


def run(joinup, args, cwd):
    p = subprocess.run([joinup, *args], cwd=cwd, capture_output=True, text=True, timeout=60,
                       env={**os.environ, "NO_COLOR": "1"})
    return p.returncode, p.stdout + p.stderr


def main():
    joinup = os.path.abspath(sys.argv[1])
    root = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(__file__).resolve().parents[2]
    readme = (root / "README.md").read_text(encoding="utf-8")
    failures = 0

    def check(ok, what, detail=""):
        nonlocal failures
        print(f"{'ok  ' if ok else 'FAIL'} {what}" + (f"\n{detail}" if not ok and detail else ""))
        failures += not ok

    quick = [b for b in blocks(readme) if b.startswith("examples/quickstart/partnership.yaml:")]
    check(len(quick) == 1, "the README quotes the quickstart's output once")
    if quick:
        code, out = run(joinup, ["check", "--rules", "examples/quickstart/rules.jup",
                                 "examples/quickstart/partnership.yaml"], root)
        check(code == 1 and out == quick[0], "the quickstart prints the README's block and exits 1",
              f"exit {code}; printed:\n{out}")

    bad = [b for b in blocks(readme) if b.startswith("bad.jup:")]
    check(len(bad) == 1, "the README quotes the errors of bad.jup once")
    if bad:
        line4 = bad[0].splitlines()[1][2:]  # the source line, as the diagnostic shows it (indented by 2)
        with tempfile.TemporaryDirectory() as d:
            Path(d, "bad.jup").write_text(
                "package quickstart\nuses partnership\nrule leavers { for each leaver in partnership.leavers\n"
                f"{line4}\n}}\n", encoding="utf-8")
            code, out = run(joinup, ["check", "--rules", "bad.jup", str(root / "examples/quickstart/partnership.yaml")], d)
        check(code == 2 and out == bad[0], "bad.jup prints the README's errors and exits 2", f"exit {code}; printed:\n{out}")

    code, _ = run(joinup, ["check", "examples/partnerships/northvale-midway.yaml"], root)
    check(code == 1 and "It exits 1 because Northvale has findings" in readme,
          "the first command's check of Northvale exits 1, as the README says", f"exit {code}")
    print(f"readme check: {'all passed' if not failures else f'{failures} failed'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
