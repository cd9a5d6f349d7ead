#!/usr/bin/env python3
"""Checks the JSON Schemas of the YAML files an author writes against every such file in the repository.

  schemas/rules.schema.json        YAML rule files (top-level `rules`, `package`, `uses`, ...)
  schemas/rule-tests.schema.json   rule tests (*.test.yaml)
  schemas/waivers.schema.json      waivers files (top-level `waivers`)

Every YAML file of the repository (outside build folders and node_modules) is sorted by its
content into one of these kinds (or none: data, CI configuration). Each must validate against its
kind's schema, except the files that are malformed on purpose (tests of joinup's error messages),
listed in MALFORMED below with the key or value the schema must reject them for. Then each schema
must reject a copy of a good file with one planted mistake (a misspelt key, a wrong value). Every
description in each schema is checked to be present on each property, so editors have something
to show on hover.

Run from anywhere: python3 tests/schema/check_authoring.py [REPO_ROOT]. Needs python3-jsonschema and
python3-yaml (Debian). Exit code 0 when every check passed, 1 when one failed, 2 when it could not run.
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
    system = "/usr/bin/python3"
    if os.path.realpath(sys.executable) != os.path.realpath(system) and os.access(system, os.X_OK) \
            and not os.environ.get("JOINUP_SCHEMA_CHECK_REEXEC"):
        os.environ["JOINUP_SCHEMA_CHECK_REEXEC"] = "1"
        os.execv(system, [system, *sys.argv])
    print(f"schema check: cannot run: {e} (install the Debian packages python3-jsonschema and python3-yaml)",
          file=sys.stderr)
    sys.exit(2)

SCHEMAS = {"rules": "rules.schema.json", "tests": "rule-tests.schema.json", "waivers": "waivers.schema.json"}

# Files malformed on purpose, each with a word the schema's error must contain (the key or value at fault).
MALFORMED = {
    "fuzz/corpus/yaml_rules/tests_cli_author_broken.yaml": "requre",
    "tests/cli/author/broken.yaml": "requre",
    "tests/bad-input/rules/long-package-name.yaml": "package",
    "tests/cli/cases/waivers/not-a-list.yaml": "not of type 'array'",
    "tests/cli/test_runner/bad/inputs.yaml": "tests.4.input",
    "tests/cli/test_runner/bad/no-rules.yaml": "'rules' is a required property",
    "tests/cli/test_runner/bad/rule-ids.yaml": "'failed' is not one of",
    "tests/cli/test_runner/bad/unknown-keys.yaml": "expcet",
    # The fuzz corpora keep copies of those and hostile variants, broken on purpose too.
    "fuzz/corpus/rule_tests/cli-bad-inputs.yaml": "tests.4.input",
    "fuzz/corpus/rule_tests/cli-bad-no-rules.yaml": "'rules' is a required property",
    "fuzz/corpus/rule_tests/cli-bad-rule-ids.yaml": "'failed' is not one of",
    "fuzz/corpus/rule_tests/cli-bad-unknown-keys.yaml": "expcet",
    "fuzz/corpus/rule_tests/found-misspelt-name.yaml": "nam~",
    "fuzz/corpus/rule_tests/hostile-rule-id.yaml": "is not one of",
    "fuzz/corpus/rule_tests/rules-missing.yaml": "rules",
    "fuzz/corpus/rule_tests/undetermined.yaml": "'undetermind' is not one of",
    "fuzz/corpus/waivers/cli-not-a-list.yaml": "not of type 'array'",
}

SKIP_DIRS = {".git", "node_modules"}


class TooLarge(Exception):
    pass


def plain(v, budget=None):
    """YAML data as JSON data: dates back to ISO strings, as the YAML language server reads them.
    Raises TooLarge past 100,000 values (aliases expanded: the bad-input tests hold an alias bomb)."""
    budget = budget if budget is not None else [100_000]
    budget[0] -= 1
    if budget[0] < 0:
        raise TooLarge()
    if isinstance(v, dict):
        return {str(k): plain(x, budget) for k, x in v.items()}
    if isinstance(v, list):
        return [plain(x, budget) for x in v]
    if isinstance(v, (datetime.date, datetime.datetime)):
        return v.isoformat()
    return v


def kind_of(path, doc):
    """'rules', 'tests', 'waivers' or None, by the file's name and top-level keys."""
    if path.name.endswith(".test.yaml") or path.name.endswith(".test.yml"):
        return "tests"
    if not isinstance(doc, dict):
        return None
    keys = set(doc)
    if "waivers" in keys:
        return "waivers"
    if "tests" in keys:
        return "tests"
    if "package" in keys or "definitions" in keys:
        return "rules"
    rules = doc.get("rules")
    if isinstance(rules, list) and rules and all(isinstance(r, dict) and "id" in r for r in rules):
        return "rules"
    return None


def yaml_files(root):
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames
                             if d not in SKIP_DIRS and not (Path(dirpath) == root and d.startswith("build")))
        for f in sorted(filenames):
            if f.endswith((".yaml", ".yml")):
                yield Path(dirpath) / f


def errors_of(validator, doc):
    return sorted(validator.iter_errors(doc), key=lambda e: [str(p) for p in e.absolute_path])


def where(e):
    return ".".join(str(p) for p in e.absolute_path) or "(root)"


def undescribed(schema):
    """Paths of properties (and $defs) that have no description, directly or through their $ref."""
    defs = schema.get("$defs", {})
    missing = []

    def described(s):
        return isinstance(s, dict) and ("description" in s or
                                        ("$ref" in s and "description" in defs.get(s["$ref"].split("/")[-1], {})))

    def walk(s, at):
        if not isinstance(s, dict):
            return
        for name, sub in s.get("properties", {}).items():
            if not described(sub):
                missing.append(f"{at}.properties.{name}")
            walk(sub, f"{at}.{name}")
        for key in ("items", "additionalProperties"):
            if isinstance(s.get(key), dict):
                walk(s[key], f"{at}.{key}")
        for key in ("oneOf", "anyOf"):
            for i, sub in enumerate(s.get(key, [])):
                walk(sub, f"{at}.{key}[{i}]")

    walk(schema, "(root)")
    for name, sub in defs.items():
        if "description" not in sub:
            missing.append(f"$defs.{name}")
        walk(sub, f"$defs.{name}")
    return missing


def planted(kind, doc):
    """(what, word the error must name, document) for each mistake planted in a copy of a good file."""
    out = []
    d = copy.deepcopy(doc)
    if kind == "rules":
        rule = d["rules"][0]
        d["rules"][0] = {("requre" if k == "require" else k): v for k, v in rule.items()}
        out.append(("'require' misspelt 'requre' in the first rule", "requre", d))
        d = copy.deepcopy(doc)
        d["rules"][0]["severity"] = "warn"
        out.append(("severity 'warn'", "warn", d))
        d = copy.deepcopy(doc)
        d["definitions"] = [{"def": "senior(p", "value": "p.seniority == \"senior\""}]
        out.append(("a def without its ')'", "senior(p", d))
    elif kind == "tests":
        test = d["tests"][0]
        d["tests"][0] = {("expected" if k == "expect" else k): v for k, v in test.items()}
        out.append(("'expect' misspelt 'expected' in the first test", "expected", d))
        d = copy.deepcopy(doc)
        d["tests"][0]["as_of"] = "01/04/2026"
        out.append(("as_of '01/04/2026'", "01/04/2026", d))
    elif kind == "waivers":
        w = d["waivers"][0]
        d["waivers"][0] = {("expiry" if k == "expires" else k): v for k, v in w.items()}
        d["waivers"][0].setdefault("expiry", "2027-01-01")
        out.append(("'expires' misspelt 'expiry' in the first waiver", "expiry", d))
        d = copy.deepcopy(doc)
        del d["waivers"][0]["reason"]
        out.append(("the first waiver without its 'reason'", "reason", d))
    return out


def main():
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2]
    failures = 0
    validators = {}
    for kind, name in SCHEMAS.items():
        path = root / "schemas" / name
        try:
            schema = json.loads(path.read_text(encoding="utf-8"))
            jsonschema.Draft202012Validator.check_schema(schema)
        except (OSError, ValueError, jsonschema.SchemaError) as e:
            print(f"{path}: error: not a valid JSON Schema (2020-12): {e}")
            return 1
        for m in undescribed(schema):
            failures += 1
            print(f"FAIL schemas/{name}: {m} has no description to show on hover")
        validators[kind] = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())

    counts = {kind: 0 for kind in SCHEMAS}
    good = {}
    seen_malformed = set()
    for path in yaml_files(root):
        rel = path.relative_to(root).as_posix()
        try:
            doc = plain(yaml.safe_load(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, yaml.YAMLError, TooLarge, RecursionError):
            continue  # not YAML, or hostile YAML (tests of joinup's errors and limits): no schema describes it
        kind = kind_of(path, doc)
        if kind is None:
            continue
        counts[kind] += 1
        errors = errors_of(validators[kind], doc)
        if rel in MALFORMED:
            seen_malformed.add(rel)
            word = MALFORMED[rel]
            if any(word in e.message or word in where(e) for e in errors):
                print(f"ok   {rel}: malformed on purpose, rejected for {word!r}")
            else:
                failures += 1
                print(f"FAIL {rel}: malformed on purpose, but not rejected for {word!r}:"
                      + "".join(f"\n  {where(e)}: {e.message}" for e in errors))
            continue
        if errors:
            failures += 1
            print(f"FAIL {rel}: does not validate against schemas/{SCHEMAS[kind]}:")
            for e in errors:
                print(f"  {where(e)}: {e.message[:300]}")
        else:
            print(f"ok   {rel}: validates against schemas/{SCHEMAS[kind]}")
            good.setdefault(kind, (rel, doc))

    for rel in sorted(set(MALFORMED) - seen_malformed):
        failures += 1
        print(f"FAIL {rel}: listed as malformed on purpose, but not found as a {', '.join(SCHEMAS)} file")
    for kind in SCHEMAS:
        if kind not in good:
            failures += 1
            print(f"FAIL no {kind} file of the repository validates: the planted mistakes were not checked")
            continue
        rel, doc = good[kind]
        for what, word, bad in planted(kind, doc):
            errors = errors_of(validators[kind], bad)
            if any(word in e.message or word in where(e) for e in errors):
                print(f"ok   {rel} with {what}: rejected")
            else:
                failures += 1
                print(f"FAIL {rel} with {what}: the schema accepts it")

    print(f"files checked: {counts['rules']} rule files, {counts['tests']} rule tests, {counts['waivers']} waivers files")
    print(f"schema check: {'all passed' if not failures else f'{failures} failed'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
