#!/usr/bin/env bash
# Malformed rule files: each NAME.jup has NAME.expected, the exact stderr of
# `joinup check --rules NAME.jup` (exit code must be 2). Usage: run.sh JOINUP_BINARY DIR [--update]
set -u
bin="$1"; dir="$2"; update="${3:-}"
cd "$dir" || exit 2
data=$(mktemp); echo "{}" > "$data"
shopt -s nullglob
status=0; count=0
for f in *.jup; do
  count=$((count + 1))
  exp="${f%.jup}.expected"
  out=$("$bin" check --color never --rules "$f" "$data" 2>&1 >/dev/null)
  code=$?
  if [ "$update" = "--update" ]; then printf '%s\n' "$out" > "$exp"; continue; fi
  if [ "$code" != 2 ]; then echo "rule-diagnostics: $f: exit code $code, expected 2" >&2; status=1; fi
  if ! diff -u "$exp" <(printf '%s\n' "$out"); then echo "rule-diagnostics: $f: stderr differs" >&2; status=1; fi
done
rm -f "$data"
echo "rule-diagnostics: $count malformed rule files checked"
[ "$count" -gt 0 ] || status=1
exit $status
