#!/usr/bin/env bash
# Hostile and broken inputs: every file of data/ is checked as data (against rules.jup here), every
# file of rules/ as a rule file (against empty data). Each must end with exit code 2 and exactly
# the stderr in data/NAME.expected or rules/NAME.expected here, within 10 seconds and the memory
# limit. The small inputs are committed here; the large ones are written by generate.py: the build
# writes them into the build tree and names it in $BAD_INPUT_GENERATED; without it they are
# written into a temporary directory. They are read from there under the same relative names
# (data/NAME, rules/NAME), so messages name them the same way.
# Usage: run.sh JOINUP_BINARY [MEMORY_KB|0] [--update]
set -u
bin="$1"; mem="${2:-2000000}"; update="${3:-}"
case "$bin" in /*) ;; *) bin="$(pwd)/$bin" ;; esac
dir="$(cd "$(dirname "$0")" && pwd)"
gen="${BAD_INPUT_GENERATED:-}"
if [ -z "$gen" ] || [ ! -e "$gen/stamp" ]; then
  gen=$(mktemp -d); trap 'rm -rf "$gen"' EXIT
  python3 "$dir/generate.py" "$gen" || { echo "bad-input: generate.py failed" >&2; exit 1; }
fi
cd "$dir" || exit 2
empty=$(mktemp --suffix=.yaml); echo "{}" > "$empty"
stderr_file=$(mktemp)
status=0; count=0

run() {  # FILE EXPECTED ARGS...
  local f="$1" exp="$2"; shift 2
  count=$((count + 1))
  local code
  # stderr goes to a file, not through $(...), which would drop NUL bytes (a message may quote a
  # source line holding one, as it is).
  bash -c 'if [ "$1" != 0 ]; then ulimit -v "$1"; fi; shift; exec timeout 10 "$@"' _ "$mem" \
       "$bin" check --color never "$@" 2>"$stderr_file" >/dev/null
  code=$?
  if [ "$update" = "--update" ]; then cp "$stderr_file" "$exp"; fi
  if [ "$code" = 124 ]; then echo "bad-input: $f: timed out" >&2; status=1; return; fi
  if [ "$code" != 2 ]; then echo "bad-input: $f: exit code $code, expected 2" >&2; status=1; fi
  # (Not `diff | head`: the status of a pipeline is head's, and a difference would pass.)
  if [ "$update" != "--update" ] && ! cmp -s "$exp" "$stderr_file"; then
    diff -u -a "$exp" "$stderr_file" | head -40
    echo "bad-input: $f: stderr differs" >&2; status=1
  fi
}

shopt -s nullglob
for base in "$dir" "$gen"; do
  cd "$base" || exit 2
  for f in data/*; do
    case "$f" in *.expected) continue ;; esac
    run "$f" "$dir/$f.expected" --rules "$dir/rules.jup" "$f"
  done
  for f in rules/*; do
    case "$f" in *.expected) continue ;; esac
    run "$f" "$dir/$f.expected" --rules "$f" "$empty"
  done
done
cd "$dir" || exit 2
# Every expected file belongs to an input, committed or generated.
for e in data/*.expected rules/*.expected; do
  f="${e%.expected}"
  if [ ! -e "$f" ] && [ ! -e "$gen/$f" ]; then echo "bad-input: $e has no input" >&2; status=1; fi
done
rm -f "$empty" "$stderr_file"
echo "bad-input: $count hostile inputs checked"
[ "$count" -ge 60 ] || status=1
exit $status
