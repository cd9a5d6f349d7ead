"""What the report-format checks (check_formats.py, check_ci.py) share: python3-jsonschema from
Debian's interpreter, and a validator of SARIF 2.1.0 against the schema kept in tests/schema/."""
import json
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def import_jsonschema(what):
    """jsonschema, re-running the script under Debian's /usr/bin/python3 (where python3-jsonschema
    is) when the interpreter it was started with does not have it; exit 2 when neither has it."""
    try:
        import jsonschema
        return jsonschema
    except ImportError as e:
        system = "/usr/bin/python3"
        if os.path.realpath(sys.executable) != os.path.realpath(system) and os.access(system, os.X_OK) \
                and not os.environ.get("JOINUP_JSONSCHEMA_REEXEC"):
            os.environ["JOINUP_JSONSCHEMA_REEXEC"] = "1"
            os.execv(system, [system, *sys.argv])
        print(f"{what}: cannot run: {e} (install the Debian package python3-jsonschema)", file=sys.stderr)
        sys.exit(2)


# RFC 3986 URI-reference: the characters it allows, and % only before two hex digits.
URI_REF = re.compile(r"^([A-Za-z0-9\-._~!$&'()*+,;=:@/?#\[\]]|%[0-9A-Fa-f]{2})*$")
URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:([A-Za-z0-9\-._~!$&'()*+,;=:@/?#\[\]]|%[0-9A-Fa-f]{2})*$")


def sarif_validator(jsonschema):
    schema = json.loads((ROOT / "tests" / "schema" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    formats = jsonschema.FormatChecker()
    formats.checks("uri-reference")(lambda s: not isinstance(s, str) or bool(URI_REF.match(s)))
    formats.checks("uri")(lambda s: not isinstance(s, str) or bool(URI.match(s)))
    return jsonschema.Draft4Validator(schema, format_checker=formats)
