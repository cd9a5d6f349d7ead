#!/usr/bin/env bash
# End-to-end tests of mistakes an author makes that used to pass silently: a filter that matches
# nothing, a misspelt key, a date in another layout, a short rule id, a working folder given as
# --rules, YAML syntax errors. usage: tests/cli/run_mistakes_tests.sh JOINUP_BINARY
set -u
bin="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cd "$here/mistakes" || exit 2
unset NO_COLOR JOINUP_RULES

# shellcheck source=harness.sh
. "$here/harness.sh"
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

finish
