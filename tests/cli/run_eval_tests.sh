#!/usr/bin/env bash
# End-to-end tests of `joinup eval`: an expression's value and explanation over a data file, its
# errors pointed into '<expression>', undetermined results, and one rule's judgement of each
# subject; and of `joinup test --coverage`.
#
# usage: tests/cli/run_eval_tests.sh JOINUP_BINARY
set -u

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=harness.sh
. "$here/harness.sh" "$@"
cd "$here" || exit 2

out_is() { [ "$(cat "$tmp/out")" = "$1" ] && ok || bad "stdout is not: $1"; }
err_has() { grep -qE -- "$1" "$tmp/err" && ok || bad "stderr has no line matching: $1"; }
out_has() { grep -qE -- "$1" "$tmp/out" && ok || bad "stdout has no line matching: $1"; }
json_is() { # PYTHON-EXPRESSION over `j`, the JSON on stdout: must be true
  /usr/bin/python3 -c "import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if ($1) else 1)" "$tmp/out" &&
    ok || bad "JSON on stdout does not satisfy: $1"
}

D=cases/data
R=(--rules cases/rules)

###############################################################################################
# An expression

t "eval: value and sub-expressions" eval 'count(partnership.teams[0].members) + 1 > 2' $D/plan.yaml
code_is 0
err_empty
out_is 'true
  count(partnership.teams[0].members) + 1 = 5
  count(partnership.teams[0].members) = 4
  partnership.teams[0].members = ["m1", "m2", "m3", "m4"]'

t "eval: a constant still has its value" eval '1 + 2' $D/plan.yaml
code_is 0
out_is '3'

t "eval: a list" eval '[o.id for o in partnership.organisations]' $D/plan.yaml
code_is 0
out_has '^\["leeds-city-council", "leeds-teaching-hospitals"\]$'

t "eval: today() is --as-of" eval --as-of 2026-03-04 'today()' $D/plan.yaml
code_is 0
out_is '2026-03-04'

t "eval: undetermined says why" eval 'count(partnership.teamz)' $D/plan.yaml
code_is 1
out_is 'undetermined: partnership.teamz is missing (did you mean '"'"'teams'"'"'?)
  partnership.teamz = (missing)'

t "eval: json" eval --format json --as-of 2026-01-01 'count(partnership.leavers) * 2' $D/plan.yaml
code_is 0
json_is 'j["value"] == "4" and j["undetermined"] is False and j["as_of"] == "2026-01-01"'
json_is 'j["explanation"] == [{"expression": "count(partnership.leavers)", "value": "2"}, {"expression": "partnership.leavers", "value": j["explanation"][1]["value"]}]'

t "eval: json, undetermined" eval --format json 'partnership.teams[0].leader' $D/plan.yaml
code_is 1
json_is 'j["undetermined"] is True and "missing" in j["reason"] and "value" not in j'

t "eval: unknown function, at its character" eval 'count(partnership.teams) + cont(partnership.leavers)' $D/plan.yaml
code_is 2
out_is ''
err_is "<expression>:1:28: error: unknown function 'cont'
  count(partnership.teams) + cont(partnership.leavers)
                             ^^^^
  help: did you mean 'count'?"

t "eval: names are the data's top-level keys" eval 'partnershp.name' $D/plan.yaml
code_is 2
err_has "^<expression>:1:1: error: unknown name 'partnershp'"
err_has "did you mean 'partnership'"
t "eval: an undeclared name names the keys" eval 'leavers' $D/plan.yaml
code_is 2
err_has "^  help: the names an expression may use are the data's top-level keys: partnership$"

t "eval: an unclosed bracket points at the end" eval 'count(partnership.teams' $D/plan.yaml
code_is 2
err_is "<expression>:1:24: error: '(' is never closed
  count(partnership.teams
                         ^"

t "eval: a bracket it does not open" eval '"a)é" + "b" )' $D/plan.yaml
code_is 2
err_is "<expression>:1:13: error: unmatched ')'
  \"a)é\" + \"b\" )
              ^
  help: remove it, or open it earlier with '('"
t "eval: cannot close the rule's own list" eval '1] == [2' $D/plan.yaml
code_is 2
err_has "^<expression>:1:2: error: unmatched '\]'$"

t "eval: second line of an expression" eval $'count(partnership.teams)\n  + cont(1)' $D/plan.yaml
code_is 2
err_has "^<expression>:2:5: error: unknown function 'cont'"

STDIN=$D/plan.yaml t "eval: data from standard input" eval 'partnership.name' -
code_is 0
out_is '"Leeds Place Partnership"'

t "eval: empty expression" eval ' ' $D/plan.yaml
code_is 2
err_is "joinup: the expression is empty"
t "eval: no data" eval '1'
code_is 2
err_has "^joinup: eval takes an expression and one data file"
t "eval: data not found" eval '1' $D/nothing.yaml
code_is 2
err_is "$D/nothing.yaml: error: data file not found"
t "eval: bad format" eval --format jsn '1' $D/plan.yaml
code_is 2
err_has "unknown format 'jsn'.*did you mean 'json'"
t "eval: help" eval --help
code_is 0
out_has '^usage: joinup eval \[OPTIONS\] EXPR DATA$'

###############################################################################################
# test --coverage (here with eval, both being the author's tools for trying rules)

cat >"$tmp/cov.test.yaml" <<YAML
rules: [$here/cases/rules]
tests:
  - name: a small team
    input: {partnership: {teams: [{id: a, cross_cutting: true, members: [m1]}, {id: b, cross_cutting: false}]}}
    expect: [{rule: cli.teams.team-size, subject: "partnership.teams[0]"}]
    only: [cli.teams.team-size]
  - name: a team of twelve
    input: {partnership: {teams: [{id: c, cross_cutting: true, members: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]}]}}
    expect: []
    only: [cli.teams.team-size]
  - name: no leavers
    input: {partnership: {leavers: []}}
    expect: []
    only: [cli.workforce.senior-leaver-replacement]
YAML
t "test --coverage: text" test --coverage "$tmp/cov.test.yaml"
code_is 0
out_has '^3 passed, 0 failed$'
out_has '^  cli\.housing\.housing-at-the-table: not evaluated by any test$'
out_has '^  cli\.workforce\.senior-leaver-replacement: evaluated, but no test gave it a subject$'
out_has '^  cli\.teams\.team-size: exercised$'
out_has '^    2 tests, 2 subjects: 1 passed every require, 1 failed, 0 undetermined$'
out_has '^    .*cases/rules/teams\.jup:11:11: where team\.cross_cutting: true for 2, false for 1$'
out_has '^    .*cases/rules/teams\.jup:12:11: require count\(team\.members\) between 10 and 20: passed for 1, failed for 1$'
out_has '^    .*cases/rules/workforce\.jup:14:11: require .*: passed for 0, failed for 0 \(no test made it pass or fail\)$'
out_has '^1 of 3 rules exercised$'
t "test --coverage: json" test --coverage-format json "$tmp/cov.test.yaml"
code_is 0
err_has '^3 passed, 0 failed$'
json_is '[r["rule"] for r in j["rules"]] == ["cli.housing.housing-at-the-table", "cli.teams.team-size", "cli.workforce.senior-leaver-replacement"]'
json_is 'j["rules"][0]["tests"] == 0 and j["rules"][2]["tests"] == 1 and j["rules"][2]["subjects"] == 0'
json_is 'j["rules"][1]["clauses"] == [{"clause": "where", "text": "team.cross_cutting", "line": 11, "column": 11, "held": 2, "failed": 1, "undetermined": 0}, {"clause": "require", "text": "count(team.members) between 10 and 20", "line": 12, "column": 11, "held": 1, "failed": 1, "undetermined": 0}]'
json_is 'j["rules"][0]["clauses"] == []'
json_is 'j["rules"][1]["subjects"] == 2 and j["rules"][1]["passed"] == 1 and j["rules"][1]["failing"] == 1 and j["rules"][1]["failed_clauses"] == ["12:11: require count(team.members) between 10 and 20"]'
t "test: no coverage unless asked" test "$tmp/cov.test.yaml"
code_is 0
out_is '3 passed, 0 failed'
t "test --coverage-format: bad value" test --coverage-format xml "$tmp/cov.test.yaml"
code_is 2
err_has "^joinup: invalid value 'xml' for --coverage-format: expected text or json"

###############################################################################################
# A rule

t "eval --rule: each failing subject" eval "${R[@]}" --rule cli.teams.team-size --as-of 2026-01-01 $D/plan.yaml
code_is 0
err_empty
out_is 'cli.teams.team-size: Cross-cutting teams of ten to twenty
  fail on cases/data/plan.yaml as of 2026-01-01: 1 subject judged, 0 passed

cases/data/plan.yaml:15:7: partnership.teams[0]: fail
  team frailty has 4 members
  cases/rules/teams.jup:12:11: require count(team.members) between 10 and 20
      count(team.members) = 4
      team.members = ["m1", "m2", "m3", "m4"]'

t "eval --rule: a short id" eval "${R[@]}" --rule senior-leaver-replacement --as-of 2026-01-01 $D/plan.yaml
code_is 0
out_has '^cli\.workforce\.senior-leaver-replacement: '
out_has '^  fail on cases/data/plan\.yaml as of 2026-01-01: 1 subject judged, 0 passed$'

t "eval --rule: passing" eval "${R[@]}" --rule cli.teams.team-size --as-of 2026-01-01 $D/clean.yaml
code_is 0
out_has '^  pass on cases/data/clean\.yaml as of 2026-01-01: [0-9]+ subjects? judged, [0-9]+ passed$'

t "eval --rule: json" eval "${R[@]}" --rule team-size --format json --as-of 2026-01-01 $D/plan.yaml
code_is 0
json_is 'j["rule"] == "cli.teams.team-size" and j["outcome"] == "fail" and j["subjects"] == 1 and j["passed"] == 0'
json_is 'j["violations"][0]["subject"] == "partnership.teams[0]" and j["violations"][0]["message"] == "team frailty has 4 members"'
json_is 'j["violations"][0]["explanation"][0] == {"expression": "count(team.members)", "value": "4"}'

t "eval --rule: a misspelt id" eval "${R[@]}" --rule team-sise $D/plan.yaml
code_is 2
err_is "joinup: unknown rule 'team-sise' (did you mean 'cli.teams.team-size'?)"

mkdir -p "$tmp/two"
printf 'package one\nuses partnership\nrule same "One" {\n  require true\n}\n' >"$tmp/two/one.jup"
printf 'package two\nuses partnership\nrule same "Two" {\n  require true\n}\n' >"$tmp/two/two.jup"
t "eval --rule: an ambiguous short id" eval --rules "$tmp/two" --rule same $D/plan.yaml
code_is 2
err_is "joinup: rule id 'same' is ambiguous: it could be 'one.same' or 'two.same'"
t "eval --rule: its full id" eval --rules "$tmp/two" --rule two.same $D/plan.yaml
code_is 0
out_has '^two\.same: Two$'

t "eval --rules without --rule" eval "${R[@]}" '1' $D/plan.yaml
code_is 2
err_has "^joinup: --rules needs --rule RULE-ID"

finish
