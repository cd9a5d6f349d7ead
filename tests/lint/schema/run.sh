#!/usr/bin/env bash
# Checking rules against the data's schema: `joinup lint` of each NAME.jup here (which declares the
# schema) prints exactly NAME.expected and exits 1; `joinup check --schema` of it (NAME.schema.json,
# or the partnership schema) stops with exit 2: each file has an error.
# Usage: run.sh JOINUP_BINARY DIR [--update]
set -u
bin="$1"; dir="$2"; update="${3:-}"
cd "$dir" || exit 2
shopt -s nullglob
status=0; count=0
for f in *.jup; do
  count=$((count + 1))
  exp="${f%.jup}.expected"
  out=$("$bin" lint --color never "$f")
  code=$?
  if [ "$update" = "--update" ]; then printf '%s\n' "$out" > "$exp"; continue; fi
  if [ "$code" != 1 ]; then echo "schema: lint $f: exit code $code, expected 1" >&2; status=1; fi
  if ! diff -u "$exp" <(printf '%s\n' "$out"); then echo "schema: lint $f: output differs" >&2; status=1; fi
  schema="${f%.jup}.schema.json"; [ -e "$schema" ] || schema=../../../schemas/partnership.schema.json
  "$bin" check --color never --schema "$schema" --rules "$f" \
    ../../../examples/partnerships/northvale-midway.yaml >/dev/null 2>&1
  code=$?
  if [ "$code" != 2 ]; then echo "schema: check --schema $f: exit code $code, expected 2" >&2; status=1; fi
done
echo "schema: $count rule files checked against the schema"
[ "$count" -gt 0 ] || status=1
exit $status
