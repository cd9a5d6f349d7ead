#!/usr/bin/env bash
# End-to-end tests of mistakes an author makes that used to pass silently: a filter that matches
# nothing, a misspelt key, a date in another layout, a short rule id, a working folder given as
# --rules, YAML syntax errors. usage: tests/cli/run_mistakes_tests.sh JOINUP_BINARY
set -u

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=harness.sh
. "$here/harness.sh" "$@"
cd "$here/mistakes" || exit 2

out_is() { [ "$(cat "$tmp/out")" = "$1" ] && ok || bad "stdout is not: $1"; }
out_has() { grep -qF -- "$1" "$tmp/out" && ok || bad "stdout lacks: $1"; }
err_has() { grep -qF -- "$1" "$tmp/err" && ok || bad "stderr lacks: $1"; }

# A filter that matches nothing
t "check: a rule that judged no subject is named under the summary" check --color never --rules teams.jup data.yaml
code_is 0
out_is "0 rules failed, 2 passed
1 rule judged no subject (its list was empty or its filter matched nothing): mistakes.staffed-mental-health"
t "check --verbose: every rule with its outcome and subject count" check --color never --verbose --rules teams.jup data.yaml
code_is 0
out_is "data.yaml: pass mistakes.staffed-mental-health (0 subjects)
data.yaml: pass mistakes.named-teams (2 subjects)

0 rules failed, 2 passed
1 rule judged no subject (its list was empty or its filter matched nothing): mistakes.staffed-mental-health"
t "check --format json: unjudged_rules" check --format json --rules teams.jup data.yaml
code_is 0
/usr/bin/python3 -c 2>/dev/null 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(d["unjudged_rules"] != ["mistakes.staffed-mental-health"])' "$tmp/out" && ok || bad "unjudged_rules is wrong"
t "check --format sarif: properties.unjudgedRules" check --format sarif --rules teams.jup data.yaml
code_is 0
/usr/bin/python3 -c 2>/dev/null 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(d["runs"][0]["properties"]["unjudgedRules"] != ["mistakes.staffed-mental-health"])' "$tmp/out" && ok || bad "unjudgedRules is wrong"

# A misspelt key
t "check: a missing key suggests the key the map has" check --color never --rules staff.jup data.yaml
code_is 1
out_has "partnership.teams[0].staf is missing (did you mean 'staff'?)"

# Dates in another layout
t "check: a date written another way gets the hint" check --color never --rules dates.jup dates.yaml
code_is 1
[ "$(grep -c 'write dates as YYYY-MM-DD' "$tmp/out")" = 3 ] && ok || bad "expected the hint three times"
out_has '("01/04/2016" and 2020-01-01) (write dates as YYYY-MM-DD)'
out_has '("1 April 2016" and 2020-01-01) (write dates as YYYY-MM-DD)'
grep -F '"not yet"' "$tmp/out" | grep -qv 'YYYY' && ok || bad "a string that is no date got the hint"

# Short rule ids
t "explain: a short id that names one rule" explain staffed --rules staff.jup
code_is 0
out_has "mistakes.staffed"
t "explain: an ambiguous short id names the candidates" explain named --rules twice
code_is 2
err_has "the rule id 'named' is ambiguous: it names 'one.named' and 'two.named'"
t "check --only: a short id" check --color never --only staffed --rules staff.jup --rules teams.jup data.yaml
code_is 1
out_has "0 rules failed, 1 undetermined"
t "check --only: an ambiguous short id" check --only named --rules twice data.yaml
code_is 2
err_has "ambiguous"
t "test: 'only' and 'expect' by a short id" test teams.test.yaml
code_is 0
t "waivers: a short id waives its rule" check --color never --rules staff.jup --waivers waivers.yaml data.yaml
code_is 0
out_has "0 rules failed, 1 waived"

# A working folder given as --rules: its data, waivers and other YAML files that are not rule
# files (by their top-level keys) are skipped with a note; a broken rule file is still an error.
mkdir -p "$tmp/work/sub"
cp staff.jup data.yaml waivers.yaml "$tmp/work/"
printf -- '- one\n- two\n' >"$tmp/work/sub/list.yaml"
printf 'rules: [staff.jup]\ntests:\n  - name: by content\n    input: {partnership: {teams: [{name: A, staf: 2}]}}\n    expect: []\n' \
  >"$tmp/work/work.test.yaml"
skipped="./data.yaml: note: not a rule file (it has no 'rules' key, nor any other key of a rule file): skipped
  help: name the file with --rules to read it as a rule file
./sub/list.yaml: note: not a rule file (it is a list, not a map with 'rules'): skipped
  help: name the file with --rules to read it as a rule file
./waivers.yaml: note: not a rule file (it has no 'rules' key, nor any other key of a rule file): skipped
  help: name the file with --rules to read it as a rule file"
cd "$tmp/work" || exit 2
t "check --rules .: data and waivers files are skipped with a note" check --color never --rules . data.yaml
code_is 1
err_is "$skipped"
out_has "0 rules failed, 1 undetermined"
t "check --rules . --waivers: the waivers still apply" check --color never --rules . --waivers waivers.yaml data.yaml
code_is 0
err_is "$skipped"
out_has "0 rules failed, 1 waived"
t "rules --rules .: the same note" rules --rules .
code_is 0
err_is "$skipped"
out_has "mistakes.staffed"
t "explain --rules .: the same note" explain staffed --rules .
code_is 0
err_is "$skipped"
t "lint .: the same note on standard error, the findings on standard output" lint --color never .
code_is 1
err_is "$skipped"
out_has "this hole reads team.name"
t "eval --rules .: the same note" eval --rules . --rule staffed data.yaml
err_has "./waivers.yaml: note: not a rule file"
printf 'rules: [.]\ntests:\n  - name: by content\n    input: {partnership: {teams: [{name: A, staf: 2}]}}\n    expect: []\n' \
  >"$tmp/work/sub/dot.test.yaml"
cp staff.jup sub/
t "test: a test file whose rules are its folder" test --color never sub/dot.test.yaml
code_is 0
err_has "sub/list.yaml: note: not a rule file (it is a list, not a map with 'rules'): skipped"
rm sub/staff.jup sub/dot.test.yaml
t "check --rules FILE: a file named as rules is never skipped" check --color never --rules data.yaml data.yaml
code_is 2
err_has "data.yaml:1:1: error: unknown key 'partnership' in a YAML rule file"
printf 'package: broken\nrules: 3\n' >"$tmp/work/broken.yaml"
t "check --rules .: a YAML file with a rule file's keys is read, and its errors reported" check --color never --rules . data.yaml
code_is 2
err_has "'rules' must be a list of rules"
err_has "./data.yaml: note: not a rule file"
printf 'partnership: [unclosed\n' >"$tmp/work/broken.yaml"
t "check --rules .: a YAML file that does not parse is an error, not skipped" check --color never --rules . data.yaml
code_is 2
err_has "broken.yaml:"
rm "$tmp/work/broken.yaml"
mkdir -p "$tmp/data-only"
cp data.yaml "$tmp/data-only/"
t "check --rules DIR: a folder of data files only has no rule files" check --color never --rules "$tmp/data-only" data.yaml
code_is 2
err_has "no rule files (.jup, .yaml) in directory '$tmp/data-only': 1 YAML file was skipped as not a rule file"
cd "$here/mistakes" || exit 2

finish
