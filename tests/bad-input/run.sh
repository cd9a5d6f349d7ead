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
# Inputs that are not regular files, or past a limit without being read: every reader refuses
# them within the memory limit and without waiting (a named pipe without a writer would block a
# reader that opened it for reading). NAME EXPECTED_STDERR [STDIN] -- JOINUP_ARGS...
special() {
  local name="$1" expected="$2" input=/dev/null; shift 2
  if [ "$1" != "--" ]; then input="$1"; shift; fi
  shift
  count=$((count + 1))
  local code
  bash -c 'if [ "$1" != 0 ]; then ulimit -v "$1"; fi; shift; exec timeout 10 "$@"' _ "$mem" \
       "${as_user[@]}" "$bin" "$@" <"$input" 2>"$stderr_file" >/dev/null
  code=$?
  if [ "$code" = 124 ]; then echo "bad-input: $name: timed out" >&2; status=1; return; fi
  if [ "$code" != 2 ]; then echo "bad-input: $name: exit code $code, expected 2" >&2; status=1; fi
  if [ "$(cat "$stderr_file")" != "$expected" ]; then
    printf 'bad-input: %s: stderr differs\n--- expected\n%s\n--- actual\n' "$name" "$expected" >&2
    head -c 2000 "$stderr_file" >&2; status=1
  fi
}
# Inputs that once took time or memory out of proportion to their size, generated here: each must
# end with CODE within SECONDS (a fraction of what it took) and the memory limit, its stderr
# starting with FIRST_LINE. NAME CODE SECONDS FIRST_LINE -- JOINUP_ARGS...
bounded() {
  local name="$1" want="$2" seconds="$3" first="$4"; shift 5
  # A sanitizer build (no memory limit given) runs several times slower: the bound is scaled, and
  # still far below the quadratic times these cases once took.
  if [ "$mem" = 0 ]; then seconds=$((seconds * 8)); fi
  count=$((count + 1))
  local code
  bash -c 'if [ "$1" != 0 ]; then ulimit -v "$1"; fi; shift; exec timeout "$@"' _ "$mem" "$seconds" \
       "$bin" "$@" </dev/null 2>"$stderr_file" >/dev/null
  code=$?
  if [ "$code" = 124 ]; then echo "bad-input: $name: took more than $seconds s" >&2; status=1; return; fi
  if [ "$code" != "$want" ]; then echo "bad-input: $name: exit code $code, expected $want" >&2; status=1; fi
  if [ "$(head -n1 "$stderr_file" | cut -c1-200)" != "$first" ]; then
    printf 'bad-input: %s: stderr differs\n--- expected first line\n%s\n--- actual\n' "$name" "$first" >&2
    head -c 600 "$stderr_file" >&2; status=1
  fi
}

as_user=()   # special runs joinup as a user the permissions apply to (see below)
special_dir=$(mktemp -d)
cd "$special_dir" || exit 2
mkfifo pipe.jup pipe.yaml
mkdir -p set && mkfifo set/pipe.jup
truncate -s 3G sparse.jup sparse.yaml   # no disk space used; refused by its size, not read
regular="help: joinup reads regular files only"
for what in "rule file:--rules /dev/zero $empty" "data file:--rules $dir/rules.jup /dev/zero" \
            "waivers file:--rules $dir/rules.jup --waivers /dev/zero $empty"; do
  special "check ${what#*:}" "/dev/zero: error: is a character device, not a ${what%%:*}
  $regular" -- check ${what#*:}
done
special "check --rules FIFO" "pipe.jup: error: is a named pipe, not a rule file
  $regular" -- check --rules pipe.jup "$empty"
special "check DATA-FIFO" "pipe.yaml: error: is a named pipe, not a data file
  $regular" -- check --rules "$dir/rules.jup" pipe.yaml
special "check --waivers FIFO" "pipe.yaml: error: is a named pipe, not a waivers file
  $regular" -- check --rules "$dir/rules.jup" --waivers pipe.yaml "$empty"
special "rule directory holding a FIFO" "set/pipe.jup: error: is a named pipe, not a rule file
  $regular" -- check --rules set "$empty"
special "test /dev/zero" "/dev/zero: error: is a character device, not a test file
  $regular" -- test /dev/zero
special "test FIFO" "pipe.yaml: error: is a named pipe, not a test file
  $regular" -- test pipe.yaml
for cmd in fmt lint; do
  special "$cmd /dev/zero" "/dev/zero: error: is a character device, not a rule file
  $regular" -- $cmd /dev/zero
  special "$cmd FIFO" "pipe.jup: error: is a named pipe, not a rule file
  $regular" -- $cmd pipe.jup
done
special "lint --schema /dev/zero" "/dev/zero: error: is a character device, not a schema file
  $regular" -- lint --schema /dev/zero "$dir/rules.jup"
special "lint --schema DIRECTORY" "set: error: is a directory, not a schema file" -- lint --schema set "$dir/rules.jup"
special "3 GiB rule file, --max-rule-bytes 1K" "sparse.jup: error: rule file is 3072 MiB, more than the limit of 1 KiB
  help: raise compile_options::max_file_bytes (--max-rule-bytes) to read it" -- check --rules sparse.jup --max-rule-bytes 1K "$empty"
special "3 GiB data file, --max-data-bytes 1K" "sparse.yaml: error: data file is 3072 MiB, more than the limit of 1 KiB
  help: raise load_options::max_bytes to load it" -- check --rules "$dir/rules.jup" --max-data-bytes 1K sparse.yaml
special "standard input /dev/zero, --max-data-bytes 1K" "-: error: standard input is more than the limit of 1 KiB
  help: raise the limit (--max-data-bytes) to read it" /dev/zero -- check --rules "$dir/rules.jup" --max-data-bytes 1K -
special "standard input /dev/zero, default limit" "-: error: standard input is more than the limit of 256 MiB
  help: raise the limit (--max-data-bytes) to read it" /dev/zero -- check --rules "$dir/rules.jup" -

# 100,000 lets in one rule: names are bound in linear time (under a second; 14 s before).
python3 -c "
import sys
n = 100_000
sys.stdout.write('package p\\nrule r \"t\" {\\n' + ''.join(f'  let v{i} = {f\"v{i-1} + 1\" if i else 1}\\n' for i in range(n)) + f'  require v{n-1} > 0\\n}}\\n')
" >lets.jup
bounded "100,000 lets" 0 8 "" -- check --rules lets.jup --max-rule-bytes 10M "$empty"
bounded "100,000 lets, lint" 0 8 "" -- lint --max-rule-bytes 10M lets.jup
# ... read by a message hole (lint follows lets into their values a bounded number of times), and
# 2,000 lets that each read the one before twice.
python3 -c "
import sys
n = 100_000
sys.stdout.write('package p\\nuses d\\nrule r \"t\" {\\n' + ''.join(f'  let v{i} = {f\"v{i-1} + 1\" if i else \"d.x\"}\\n' for i in range(n)) + f'  require v{n-1} > 0\\n  message \"{{v{n-1}}}\"\\n}}\\n')
" >lets-hole.jup
bounded "100,000 lets read by a message hole, lint" 0 8 "" -- lint --max-rule-bytes 10M lets-hole.jup
python3 -c "
import sys
n = 2000
sys.stdout.write('package p\\nuses d\\nrule r \"t\" {\\n' + ''.join(f'  let v{i} = {f\"v{i-1} + v{i-1}\" if i else \"d.x\"}\\n' for i in range(n)) + f'  require d.z\\n  message \"{{v{n-1}}}\"\\n}}\\n')
" >lets-twice.jup
bounded "2,000 lets that each read the one before twice, lint" 0 8 "" -- lint lets-twice.jup
# ... and looked up in linear time: each of 100,000 lets reads the first (the scope was scanned
# from the innermost name for every use before, about 5 * 10^9 comparisons).
python3 -c "
import sys
n = 100_000
sys.stdout.write('package p\\nrule r \"t\" {\\n  let v0 = 1\\n' + ''.join(f'  let v{i} = v0 + {i}\\n' for i in range(1, n)) + f'  require v{n-1} > 0\\n}}\\n')
" >lets-first.jup
bounded "100,000 lets that read the first" 0 8 "" -- check --rules lets-first.jup --max-rule-bytes 10M "$empty"
# 20,000 rule tests in one file: each test's input keeps the lines it spans, not an index of the
# whole file (4.8 GB and 9 s before).
printf 'package t\nuses partnership\nrule r "t" {\n  require partnership.name != ""\n}\n' >tr.jup
python3 -c "
import sys
sys.stdout.write('rules: [tr.jup]\\ntests:\\n' + ''.join(f'  - name: test {i}\\n    input: {{partnership: {{name: x{i}}}}}\\n    expect: []\\n' for i in range(20_000)))
" >many.test.yaml
bounded "20,000 rule tests" 0 8 "" -- test many.test.yaml
# A one-line JSON file of 200 MB with an error at 1:2: the caret is placed from a window around
# the column (2.4 GB before, past the memory limit).
python3 -c "
import sys
sys.stdout.write('[x' + ' ' * 200_000_000 + ']')
" >one-line.json
bounded "one-line JSON of 200 MB, error at 1:2" 2 10 "one-line.json:1:2: error: unexpected 'x' where a value was expected" \
  -- check --rules "$dir/rules.jup" one-line.json
rm -f one-line.json

# Standard input that is a terminal: joinup says it is reading it before it waits (script gives
# it a terminal, which ends at once).
if command -v script >/dev/null; then
  count=$((count + 1))
  out=$(timeout 10 script -qec "'$bin' check --color never --rules '$dir/rules.jup' - 2>&1 >/dev/null" /dev/null </dev/null)
  if ! grep -q "^joinup: reading data from standard input (a terminal); end it with Ctrl-D" <<<"$out"; then
    echo "bad-input: standard input on a terminal: no word that it is read; got: $out" >&2; status=1
  fi
else
  echo "bad-input: SKIPPED (not counted): standard input on a terminal: no 'script' command here" >&2
fi

# A rule set's subdirectory that cannot be read is an error, as a file that cannot be read is:
# skipping it would pass the set without its rules. Root reads a directory of mode 000, so as root
# joinup runs as the user nobody (setpriv); where that cannot be done the case is skipped, said
# so, and not counted.
mkdir -p unreadable/sub
printf 'package a\nrule r "t" {\n  require true\n}\n' >unreadable/a.jup
printf 'package b\nrule r "t" {\n  require false\n}\n' >unreadable/sub/b.jup
# Tests beside them: the readable one passes, the unreadable one would fail.
printf 'rules: [a.jup]\ntests:\n  - name: t\n    input: {}\n    expect: []\n' >unreadable/a.test.yaml
printf 'rules: [b.jup]\ntests:\n  - name: t\n    input: {}\n    expect: []\n' >unreadable/sub/b.test.yaml
chmod 000 unreadable/sub
if [ "$(id -u)" = 0 ]; then
  as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
  chmod 755 "$special_dir"; chmod 644 "$empty"
  if ! "${as_user[@]}" "$bin" --help >/dev/null 2>&1; then as_user=(skip); fi
fi
if [ "${as_user[0]:-}" = skip ]; then
  echo "bad-input: SKIPPED (not counted): unreadable rule subdirectory: running as root, and joinup cannot be run as nobody here" >&2
else
  special "unreadable rule subdirectory" "unreadable/sub: error: cannot read the rule directory: Permission denied
  help: every directory of a rule set must be readable" -- check --rules unreadable "$empty"
  special "unreadable test subdirectory" "unreadable/sub: error: cannot read the test directory: Permission denied
  help: every directory of the tests must be readable" -- test unreadable
fi
as_user=()
chmod 755 unreadable/sub
rm -rf "$special_dir"

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
