#!/usr/bin/env bash
# The C API's JSON report is byte for byte the report of `joinup check --format json`, for the
# quickstart and every example partnership. Usage: json_report.sh JOINUP JSON_REPORT (from the source dir)
set -euo pipefail
joinup="$1" report="$2"
status=0
check() {
  local rules="$1" data="$2"
  local expected actual
  expected="$("$joinup" check --format json --as-of 2026-11-21 --rules "$rules" "$data" || true)"
  actual="$("$report" 2026-11-21 "$rules" "$data")"
  if [ "$expected" != "$actual" ]; then
    echo "FAIL: $data: the C API's JSON differs from joinup check --format json" >&2
    diff <(echo "$expected") <(echo "$actual") | head -20 >&2
    status=1
  else
    echo "ok: $data"
  fi
}
check examples/quickstart/rules.jup examples/quickstart/partnership.yaml
for f in examples/partnerships/*.yaml; do check rules "$f"; done
check examples/quickstart/rules.jup examples/c/event.json
exit $status
