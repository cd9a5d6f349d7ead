#!/usr/bin/env bash
# Golden tests: each case directory holds rules (*.jup), data (data.yaml or data.json), an optional
# `args` file (extra arguments for `joinup check`, one line), and the expected outputs:
#   expected.txt (text format, stdout), expected.json (JSON format), expected.exit (exit code).
# Usage: run.sh JOINUP_BINARY CASE_DIR [--update]
# --update rewrites the expected files from the current output (review them by reading!).
set -u
bin="$1"; dir="$2"; update="${3:-}"
cd "$dir" || exit 2
data=$(ls data.* 2>/dev/null | head -n1)
args=()
[ -f args ] && read -r -a args < args
# Each rule file is passed by name: `--rules .` would also load data.yaml as a YAML rule file.
rules=()
for r in *.jup; do rules+=(--rules "$r"); done
status=0
run() {  # format expected-file
  local out code
  out=$("$bin" check --as-of 2026-11-21 --color never "${rules[@]}" "${args[@]}" --format "$1" "$data" 2>&1)
  code=$?
  if [ "$update" = "--update" ]; then
    printf '%s\n' "$out" > "$2"
    echo "$code" > expected.exit
    return
  fi
  if ! diff -u "$2" <(printf '%s\n' "$out"); then
    echo "golden: $dir: $1 output differs from $2" >&2
    status=1
  fi
  if [ "$code" != "$(cat expected.exit)" ]; then
    echo "golden: $dir: exit code $code, expected $(cat expected.exit)" >&2
    status=1
  fi
}
run text expected.txt
run json expected.json
exit $status
