#!/usr/bin/env bash
# Hostile and broken inputs: every file of data/ is checked as data (against rules.jup here), every
# file of rules/ as a rule file (against empty data). Each must end with exit code 2 and exactly
# the stderr in its sibling NAME.expected (NAME.EXT -> NAME.EXT.expected), within 10 seconds and
# the memory limit. Usage: run.sh JOINUP_BINARY [MEMORY_KB|0] [--update]
set -u
bin="$1"; mem="${2:-2000000}"; update="${3:-}"
dir="$(cd "$(dirname "$0")" && pwd)"
cd "$dir" || exit 2
empty=$(mktemp --suffix=.yaml); echo "{}" > "$empty"
status=0; count=0

run() {  # FILE EXPECTED ARGS...
  local f="$1" exp="$2"; shift 2
  count=$((count + 1))
  local out code
  out=$(bash -c 'if [ "$1" != 0 ]; then ulimit -v "$1"; fi; shift; exec timeout 10 "$@"' _ "$mem" \
        "$bin" check --color never "$@" 2>&1 >/dev/null)
  code=$?
  if [ "$update" = "--update" ]; then printf '%s\n' "$out" > "$exp"; fi
  if [ "$code" = 124 ]; then echo "bad-input: $f: timed out" >&2; status=1; return; fi
  if [ "$code" != 2 ]; then echo "bad-input: $f: exit code $code, expected 2" >&2; status=1; fi
  if [ "$update" != "--update" ] && ! diff -u "$exp" <(printf '%s\n' "$out") | head -40; then
    echo "bad-input: $f: stderr differs" >&2; status=1
  fi
}

shopt -s nullglob
for f in data/*; do
  case "$f" in *.expected) continue ;; esac
  run "$f" "$f.expected" --rules rules.jup "$f"
done
for f in rules/*; do
  case "$f" in *.expected) continue ;; esac
  run "$f" "$f.expected" --rules "$f" "$empty"
done
rm -f "$empty"
echo "bad-input: $count hostile inputs checked"
[ "$count" -ge 60 ] || status=1
exit $status
