#!/usr/bin/env bash
# Runs an example program and compares its standard output and exit code with the expected ones.
# Usage: run_example.sh EXPECTED_OUTPUT EXPECTED_EXIT PROGRAM [ARGS...]
set -uo pipefail
expected="$1" code="$2"
shift 2
actual="$(mktemp)"
trap 'rm -f "$actual"' EXIT
"$@" > "$actual"
got=$?
status=0
if [ "$got" != "$code" ]; then
  echo "FAIL: $1 exited with $got, expected $code" >&2
  status=1
fi
if ! diff -u "$expected" "$actual" >&2; then
  echo "FAIL: $1: output differs from $expected" >&2
  status=1
fi
[ $status = 0 ] && echo "ok: $(basename "$1")"
exit $status
