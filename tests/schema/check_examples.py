#!/usr/bin/env python3
"""Checks schemas/partnership.schema.json against the example partnership descriptions.

Each examples/partnerships/*.yaml (except the *-waivers.yaml files, which are not partnership
descriptions) must validate. Copies of each with one misspelt key must be rejected, and rejected
for that key:
  - `seniority` -> `senority` in the first person under partnership.people;
  - the first key of the partnership (`name`) -> `nmae`, a misspelt key at the partnership's top level;
  - the document's top-level key `partnership` -> `partnershp`.

Run from anywhere: python3 tests/schema/check_examples.py [REPO_ROOT]. Needs the Debian packages
python3-jsonschema and python3-yaml (scripts/bootstrap.sh installs them). Exit code 0 when every
check passed, 1 when one failed, 2 when the check could not run.
"""
import copy
import datetime
import json
import os
import sys
from pathlib import Path

try:
    import jsonschema
    import yaml
except ImportError as e:
    # A Python of its own on PATH (pyenv, a venv) may lack the Debian packages that the system's has.
    system = "/usr/bin/python3"
    if os.path.realpath(sys.executable) != os.path.realpath(system) and os.access(system, os.X_OK) \
            and not os.environ.get("JOINUP_SCHEMA_CHECK_REEXEC"):
        os.environ["JOINUP_SCHEMA_CHECK_REEXEC"] = "1"
        os.execv(system, [system, *sys.argv])
    print(f"schema check: cannot run: {e} (install the Debian packages python3-jsonschema and python3-yaml)",
          file=sys.stderr)
    sys.exit(2)


def plain(v):
    """YAML data as JSON data: dates back to ISO strings, as the schema describes them."""
    if isinstance(v, dict):
        return {str(k): plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [plain(x) for x in v]
    if isinstance(v, (datetime.date, datetime.datetime)):
        return v.isoformat()
    return v


def rename_key(d, old, new):
    """A copy of dict d with key `old` renamed to `new`, in the same place."""
    return {(new if k == old else k): v for k, v in d.items()}


def misspellings(doc):
    """(description, misspelt key, document) for each misspelt copy of an example."""
    out = []
    p = doc["partnership"]
    people = p.get("people") or []
    i = next((i for i, person in enumerate(people) if "seniority" in person), None)
    if i is not None:
        bad = copy.deepcopy(doc)
        bad["partnership"]["people"][i] = rename_key(people[i], "seniority", "senority")
        out.append((f"'seniority' misspelt 'senority' in partnership.people[{i}]", "senority", bad))
    first = next(iter(p))
    wrong = {"name": "nmae"}.get(first, first[:1] + first[2:1:-1] + first[1:2] + first[3:])  # swap letters
    out.append((f"'{first}' misspelt '{wrong}' in the partnership", wrong,
                {"partnership": rename_key(p, first, wrong)}))
    out.append(("'partnership' misspelt 'partnershp' at the top level", "partnershp", {"partnershp": p}))
    return out


def main():
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2]
    schema_path = root / "schemas" / "partnership.schema.json"
    examples = sorted(p for p in (root / "examples" / "partnerships").glob("*.yaml")
                      if not p.name.endswith("-waivers.yaml"))
    try:
        schema = json.loads(schema_path.read_text(encoding="utf-8"))
        jsonschema.Draft202012Validator.check_schema(schema)
    except (OSError, ValueError, jsonschema.SchemaError) as e:
        print(f"{schema_path}: error: not a valid JSON Schema (2020-12): {e}")
        return 1
    if not examples:
        print(f"{root / 'examples' / 'partnerships'}: error: no example partnership descriptions found")
        return 1
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())

    failures = 0
    seniority_checked = False
    for path in examples:
        name = path.relative_to(root)
        try:
            doc = plain(yaml.safe_load(path.read_text(encoding="utf-8")))
        except (OSError, yaml.YAMLError) as e:
            print(f"{name}: error: cannot read the example: {e}")
            failures += 1
            continue

        errors = sorted(validator.iter_errors(doc), key=lambda e: [str(p) for p in e.absolute_path])
        if errors:
            failures += 1
            print(f"FAIL {name}: the example does not validate against the schema:")
            for e in errors:
                where = ".".join(str(p) for p in e.absolute_path) or "(root)"
                print(f"  {where}: {e.message}")
        else:
            print(f"ok   {name}: validates")

        for what, key, bad in misspellings(doc):
            seniority_checked |= key == "senority"
            # Rejected, and for the misspelt key: an additionalProperties error that names it.
            found = [e for e in validator.iter_errors(bad)
                     if e.validator == "additionalProperties" and repr(key) in e.message]
            if found:
                print(f"ok   {name}: rejected with {what}")
            else:
                failures += 1
                print(f"FAIL {name}: the schema accepts the example with {what}")

    if not seniority_checked:
        failures += 1
        print("FAIL no example has a person with 'seniority': the misspelt 'senority' was not checked")
    print(f"schema check: {'all passed' if not failures else f'{failures} failed'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
