#!/usr/bin/env bash
# Terminal and CI injection, and errors that must not pass.
#
# A data file, a rule file (.jup and YAML), a waivers file and data file names carry ESC, BEL, CR,
# DEL, C1 controls, bidirectional overrides and "\n::warning::forged". Through `check` (text,
# github, markdown, junit, html; and json, sarif, codequality by JSON's escapes), `rules`, `explain` and
# `test`, no such byte may reach standard output or standard error, and no line may start (after
# blanks) with "::" except the github format's own annotations, so that neither a terminal nor a
# CI runner acts on text from a file.
#
# Then: a report that cannot be written (--output /dev/full, a full standard output) exits 2 with
# a message in every format, even with --fail-on never; a closed standard input is an error, not
# an empty document; running out of memory names what ran out and the stage and file.
#
# usage: tests/cli/run_hostile_output_tests.sh JOINUP_BINARY [SANITIZED]
# SANITIZED=1 for a sanitizer build, which cannot run under `ulimit -v`: the out-of-memory case is
# then not run (and not counted).
set -u

usage="[SANITIZED]"
sanitized="${2:-0}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=harness.sh
. "$here/harness.sh" "$@"
cd "$tmp" || exit 2

out_has() { grep -qF -- "$1" "$tmp/out" && ok || bad "stdout lacks: $1"; }
err_has() { grep -qF -- "$1" "$tmp/err" && ok || bad "stderr lacks: $1"; }

# clean [github]: stdout and stderr hold no control character but tab and line feed, no C1
# control, no bidirectional control, and no line that starts with "::" (blanks before it too, as
# GitHub's runner skips them) except, with `github`, the tool's own annotations at the start of
# stdout's lines.
clean() {
  local mode="${1:-}" f
  for f in out err; do
    python3 - "$tmp/$f" "$mode" "$f" <<'PY' && ok || bad "$f is not clean (above)"
import re, sys
path, mode, which = sys.argv[1:4]
data = open(path, 'rb').read()
problems = []
for m in re.finditer(rb'[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]', data):
    problems.append('raw byte(s) %r at offset %d' % (m.group(0), m.start()))
for n, line in enumerate(data.split(b'\n'), 1):
    if not line.lstrip(b' \t').startswith(b'::'):
        continue
    own = mode == 'github' and which == 'out' and re.match(rb'::(error|warning|notice) (file|title)=', line)
    if not own:
        problems.append('line %d starts with "::": %r' % (n, line[:80]))
for p in problems[:10]:
    print('  ' + p)
sys.exit(1 if problems else 0)
PY
  done
}

# The hostile inputs. Every string of the rule is written with \u{..} escapes, so the rule file
# itself is plain ASCII; the values reach the outputs as the characters themselves.
python3 - <<'PY'
import json
hostile = "\u001b]0;pwned\u0007\u001b[2J"
values = {
    "name": hostile,
    "note": "x\n::warning::forged\r\n  ::error::indented",
    "bidi": "a\u202eb\u2066c\u2069d\u0085e\u009bf\u007fg",
}
json.dump({"d": values}, open("hostile.json", "w"))
json.dump({"d": {"name": "ok"}}, open("ok.json", "w"))
esc = r"\u{1b}]0;pwned\u{7}\u{1b}[2J\u{202e}\u{9b}"
rule = f'''package p
uses d
rule inject "Title {esc}" {{
  severity warning
  tags ["tag{esc}"]
  source "source {esc}"
  rationale "rationale {esc}\\n::warning::forged rationale"
  remedy "remedy {esc}\\n::error::forged remedy"
  require d.name == "ok"
  message "bad {{d.name}} {{d.note}} {{d.bidi}}"
}}
'''
open("rules.jup", "w").write(rule)
open("rules.yaml", "w").write(f'''package: y
uses: d
rules:
  - id: inject-yaml
    title: "Title \\u202e\\u0085\\u2066"
    severity: warning
    remedy: "remedy \\u009b\\n::error::forged yaml remedy"
    require: d.name == "ok"
    message: "yaml {{d.note}}"
''')
open("waivers.yaml", "w").write('''waivers:
  - rule: p.inject
    file: hostile.json
    reason: "reason \\e]0;pwned\\a\\n::warning::forged reason \\u202e"
    approved_by: "approver \\e[2J\\u2066"
    expires: 2099-01-01
''')
# Data files whose names hold ESC and a line feed, and "::" at the start.
for name in ["esc\u001b[2J.json", "nl\n::warning::forged.json", "::error::name.json"]:
    json.dump({"d": {"name": "x"}}, open(name, "w"))
open("inject.test.yaml", "w").write('''rules: rules.jup
tests:
  - name: "test \\e]0;pwned\\a\\n::warning::forged test"
    as_of: 2026-01-01
    input: {d: {name: "\\e[2J\\n::warning::forged input", note: "", bidi: ""}}
    expect: []
''')
PY

# JUnit and HTML escape as the text outputs do, before XML's own escapes (a JUnit file or a page is
# read in a terminal or a CI log too).
for format in text github markdown junit html; do
  t "check --format $format, hostile data" check --rules rules.jup --format "$format" --fail-on warning hostile.json
  code_is 1
  if [ "$format" = github ]; then clean github; else clean; fi
  out_has 'pwned\u{7}'
  t "check --format $format, hostile names, rules and waivers" check --rules rules.jup --rules rules.yaml \
    --format "$format" --waivers waivers.yaml --fail-on never hostile.json ./*error*name.json ./esc* ./nl*
  code_is 0
  if [ "$format" = github ]; then clean github; else clean; fi
done
# The JSON formats escape by JSON's syntax, C1 and bidirectional controls included.
for format in json sarif codequality; do
  t "check --format $format, hostile data and names" check --rules rules.jup --format "$format" --fail-on warning \
    hostile.json ./*error*name.json ./esc* ./nl*
  code_is 1
  clean
done
t "check, the text report's waiver" check --rules rules.jup --waivers waivers.yaml hostile.json
out_has 'approved by approver \u{1b}[2J\u{2066}'
out_has 'reason \u{1b}]0;pwned\u{7}'
clean
t "check, a data file name with ESC and a line feed" check --rules rules.jup ./esc* ./nl*
out_has './esc\u{1b}[2J.json'
out_has './nl\n::warning::forged.json'
clean
t "check --format github, the remedy" check --rules rules.jup --format github hostile.json
out_has 'remedy: remedy \u{1b}]0;pwned\u{7}\u{1b}[2J\u{202e}\u{9b}%0A\u{3a}:error::forged remedy'
clean github
t "check --format github, the properties" check --rules rules.jup --format github ./*error*name.json
out_has '::warning file=./%3A%3Aerror%3A%3Aname.json,'
clean github
t "rules" rules --rules rules.jup --rules rules.yaml
code_is 0
out_has 'Title \u{1b}]0;pwned\u{7}\u{1b}[2J\u{202e}\u{9b}'
clean
t "explain" explain p.inject y.inject-yaml --rules rules.jup --rules rules.yaml
code_is 0
out_has '\u{3a}:error::forged remedy'
clean
t "test" test --verbose inject.test.yaml
clean
t "a diagnostic quoting a line with control characters" check --rules rules.jup "$(printf 'bad\033[2J.json')"
code_is 2
clean
printf '{"d": {"name": "\033]0;x\007"' >"$(printf 'broken\033.json')"
t "a data file that does not parse" check --rules rules.jup ./broken*
code_is 2
clean

# Errors that pass. Every format, to a full disk and to a full standard output.
for format in text json sarif junit github html markdown codequality; do
  t "--output /dev/full, $format" check --rules rules.jup --format "$format" --fail-on never --output /dev/full ok.json
  code_is 2
  err_has "joinup: cannot write '/dev/full': no space left on device"
  name="a full standard output, $format"
  "$bin" check --rules rules.jup --format "$format" --fail-on never ok.json >/dev/full 2>"$tmp/err" </dev/null
  code=$?
  : >"$tmp/out"
  code_is 2
  err_has "joinup: cannot write to standard output: no space left on device"
done
name="a full standard output, rules"
"$bin" rules --rules rules.jup >/dev/full 2>"$tmp/err"
code=$?
code_is 2
err_has "joinup: cannot write to standard output"
name="a closed standard output"
"$bin" check --rules rules.jup --fail-on never ok.json >&- 2>"$tmp/err"
code=$?
code_is 2
err_has "joinup: cannot write to standard output"

name="a closed standard input"
"$bin" check --rules rules.jup --undetermined pass - <&- >"$tmp/out" 2>"$tmp/err"
code=$?
code_is 2
err_has "-: error: standard input is closed, so there is no data to read from '-'"
name="a closed standard input, named"
"$bin" check --rules rules.jup --stdin-filename plan.yaml --undetermined pass - <&- >"$tmp/out" 2>"$tmp/err"
code=$?
code_is 2
err_has "plan.yaml: error: standard input is closed"

# Out of memory: a data file of five million one-element lists (20 MB) loads into far more than
# the 200 MB of address space it is given.
if [ "$sanitized" = 1 ]; then
  echo "out of memory while reading a data file: not run in a sanitizer build (it cannot run under ulimit -v); not counted"
else
  python3 -c "import sys; sys.stdout.write('{\"d\": {\"name\": \"ok\", \"xs\": [' + ','.join(['[1]'] * 5000000) + ']}}')" >big.json
  name="out of memory while reading a data file"
  bash -c 'ulimit -v 200000; exec "$@"' _ "$bin" check --rules rules.jup --max-data-bytes 100M big.json \
    >"$tmp/out" 2>"$tmp/err"
  code=$?
  code_is 2
  err_has "joinup: out of memory while reading data file 'big.json': the process could not allocate more memory"
  grep -q "bad_alloc\|internal error" "$tmp/err" && bad "stderr names an internal error" || ok
fi

finish
