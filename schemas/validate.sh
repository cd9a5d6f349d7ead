#!/usr/bin/env bash
# Validates partnership descriptions against schemas/partnership.schema.json.
#
#   schemas/validate.sh examples/partnerships/*.yaml
#   schemas/validate.sh rules/integration/tests/*.test.yaml    # checks every inline test input
#
# Needs python3 with PyYAML and jsonschema (pip install pyyaml jsonschema). YAML dates are turned
# back into ISO strings before validation, as the schema describes them as strings with
# format "date". Without Python, ajv works too (npx ajv-cli validate --spec=draft2020 -c ajv-formats
# -s schemas/partnership.schema.json -d FILE), but js-yaml reads dates as timestamps, so convert
# the YAML to JSON with dates as strings first.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec python3 - "$here/partnership.schema.json" "$@" <<'PY'
import datetime, json, sys
import yaml, jsonschema

def plain(v):
    if isinstance(v, dict): return {str(k): plain(x) for k, x in v.items()}
    if isinstance(v, list): return [plain(x) for x in v]
    if isinstance(v, (datetime.date, datetime.datetime)): return v.isoformat()
    return v

schema = json.load(open(sys.argv[1]))
validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
bad = 0
for path in sys.argv[2:]:
    before = bad
    doc = yaml.safe_load(open(path, encoding="utf-8"))
    if path.endswith(".test.yaml"):
        cases = [(f"{path}: {t['name']}", t["input"]) for t in doc.get("tests", []) if "input" in t]
    else:
        cases = [(path, doc)]
    for name, data in cases:
        errors = sorted(validator.iter_errors(plain(data)), key=lambda e: list(e.absolute_path))
        for e in errors:
            where = "/".join(str(p) for p in e.absolute_path) or "(root)"
            print(f"{name}: {where}: {e.message}")
        bad += bool(errors)
    if bad == before: print(f"{path}: ok")
sys.exit(1 if bad else 0)
PY
