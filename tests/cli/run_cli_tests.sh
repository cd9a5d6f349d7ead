#!/usr/bin/env bash
# End-to-end tests of the `joinup` command: exit codes, what goes to stdout and to stderr.
#
# usage: tests/cli/run_cli_tests.sh JOINUP_BINARY [--no-engine]
#
# Part 1 needs no rules: argument handling, help, --version, did-you-mean. Part 2 loads the small
# rule set and data files in tests/cli/cases/ and so needs the whole engine. --no-engine runs
# part 1 only. Exits 0 when every check passed, 1 otherwise; prints each failure with the
# command's output.
set -u

usage="[--no-engine]"
engine=1
[ "${2:-}" = "--no-engine" ] && engine=0
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=harness.sh
. "$here/harness.sh" "$@"
# Paths in messages are as given, so run from the directory holding cases/.
cd "$here" || exit 2

out_is() { [ "$(cat "$tmp/out")" = "$1" ] && ok || bad "stdout is not: $1"; }
out_has() { grep -qE -- "$1" "$tmp/out" && ok || bad "stdout has no line matching: $1"; }
err_has() { grep -qE -- "$1" "$tmp/err" && ok || bad "stderr has no line matching: $1"; }
out_has_line() { grep -qxF -- "$1" "$tmp/out" && ok || bad "stdout lacks the line: $1"; }
out_lacks() { grep -qE -- "$1" "$tmp/out" && bad "stdout should not match: $1" || ok; }
out_lines() { [ "$(grep -cE -- "$2" "$tmp/out")" = "$1" ] && ok || bad "expected $1 stdout lines matching: $2"; }

# An exit-2 error: the code, nothing on stdout, and exactly this message on stderr.
usage_error() {
  local message="$1"
  shift
  t "$*" "$@"
  code_is 2
  out_empty
  err_is "$message"
}

###############################################################################################
# Part 1: no rules needed

t "--version" --version
code_is 0
out_is "joinup 0.1.0"
err_empty

for args in "--help" "-h" "help"; do
  t "$args" $args
  code_is 0
  out_has "^usage: joinup COMMAND"
  out_has "^  check "
  err_empty
done

for cmd in check rules explain help; do
  t "help $cmd" help "$cmd"
  code_is 0
  out_has "^usage: joinup $cmd"
  err_empty
done

t "check --help" check --help
code_is 0
out_has "^usage: joinup check \[OPTIONS\] DATA"
out_has "--fail-on"
[ "$(cat "$tmp/out")" = "$("$bin" help check)" ] && ok || bad "check --help differs from help check"

t "rules -h" rules -h
code_is 0
out_has "^usage: joinup rules"

t "no arguments" 
code_is 2
out_empty
err_has "^usage: joinup COMMAND"

usage_error "joinup: unknown option '--formt' (did you mean '--format'?)" check --formt json plan.yaml
usage_error "joinup: unknown option '--fail-onn' (did you mean '--fail-on'?)" check --fail-onn error plan.yaml
usage_error "joinup: unknown option '-format' (did you mean '--format'?)" check -format json plan.yaml
usage_error "joinup: unknown option '--bogus'" check --bogus plan.yaml
usage_error "joinup: unknown option '--versoin' (did you mean '--version'?)" --versoin
usage_error "joinup: unknown command 'chek' (did you mean 'check'?)" chek plan.yaml
usage_error "joinup: unknown command 'explian' (did you mean 'explain'?)" explian x
usage_error "joinup: unknown command 'frobnicate'" frobnicate
usage_error "joinup: unknown command 'chekc' (did you mean 'check'?)" help chekc
usage_error "joinup: no rule files given (usage: joinup lint [--schema FILE] RULES...)" lint
usage_error "joinup: no files given (usage: joinup fmt [--check] [--write] FILE...)" fmt

usage_error "joinup: option '--format' needs a value" check plan.yaml --format
usage_error "joinup: option '--rules' needs a value" check --rules --quiet plan.yaml
usage_error "joinup: option '--quiet' takes no value" check --quiet=yes plan.yaml
usage_error "joinup: no data files given (usage: joinup check [OPTIONS] DATA...)" check --format json
usage_error "joinup: unknown format 'jsno': expected text, json, sarif, junit, github, html, markdown or codequality (did you mean 'json'?)" \
  check --format jsno plan.yaml
usage_error "joinup: unknown format 'sarf': expected text, json, sarif, junit, github, html, markdown or codequality (did you mean 'sarif'?)" \
  check --format=sarf plan.yaml
usage_error "joinup: invalid value 'warn' for --fail-on: expected error, warning, info or never (did you mean 'warning'?)" \
  check --fail-on warn plan.yaml
usage_error "joinup: invalid value 'maybe' for --undetermined: expected fail or pass" check --undetermined maybe plan.yaml
usage_error "joinup: invalid value 'sometimes' for --color: expected auto, always or never" check --color sometimes plan.yaml
usage_error "joinup: invalid value '2026-02-30' for --as-of: expected a date as YYYY-MM-DD" check --as-of 2026-02-30 plan.yaml
usage_error "joinup: invalid value '21/11/2026' for --as-of: expected a date as YYYY-MM-DD" check --as-of 21/11/2026 plan.yaml
usage_error "joinup: option '--waivers' needs a file name" check --waivers= plan.yaml
usage_error "joinup: standard input ('-') given more than once" check - -
usage_error "joinup: no rule id given (usage: joinup explain RULE-ID... [--rules PATH]...)" explain

# A rule path that does not exist is refused before any rule is compiled.
usage_error "cases/no-such-rules: error: rule file or directory not found" check --rules cases/no-such-rules x.yaml
usage_error "cases/no-such-rules: error: rule file or directory not found" rules --rules cases/no-such-rules
JOINUP_RULES=cases/no-such-pack t "JOINUP_RULES that does not exist" check x.yaml
code_is 2
err_is "cases/no-such-pack: error: rule file or directory not found"

###############################################################################################
# Part 2: the rule set and data files in cases/ (needs the engine)

if [ "$engine" = 1 ]; then
  R=(--rules cases/rules)
  D=cases/data
  workforce="cli.workforce.senior-leaver-replacement"

  t "clean plan" check "${R[@]}" $D/clean.yaml
  code_is 0
  out_is "0 rules failed, 3 passed"
  err_empty

  t "clean plan, quiet: nothing at all" check "${R[@]}" --quiet $D/clean.yaml
  code_is 0
  out_empty
  err_empty

  t "a violation of each severity" check "${R[@]}" $D/plan.yaml
  code_is 1
  err_empty
  out_has "^cases/data/plan\.yaml:[0-9]+:[0-9]+: error: $workforce\$"
  out_has_line "  Dr A. Okafor left a senior post and was replaced by a single-organisation role (Trust Finance Director)"
  out_has "^  cases/rules/workforce\.jup:14:[0-9]+: require leaver\.replacement\.scope != \"single-organisation\"\$"
  out_has_line '      leaver.replacement.scope = "single-organisation"'
  out_has "^cases/data/plan\.yaml:[0-9]+:[0-9]+: warning: cli\.teams\.team-size\$"
  out_has_line "  team frailty has 4 members"
  out_has "^cases/data/plan\.yaml(:[0-9]+:[0-9]+)?: info: cli\.housing\.housing-at-the-table\$"
  out_has_line "  no housing organisation is part of Leeds Place Partnership"
  out_lacks "J\. Smith"
  out_has "^3 rules failed \(1 error, 1 warning, 1 info\)\$"

  t "--quiet: violations only" check "${R[@]}" --quiet $D/plan.yaml
  code_is 1
  out_lacks "rules failed"
  out_has ": error: $workforce\$"

  # Exit codes against --fail-on and --undetermined.
  for c in "plan.yaml error 1" "plan.yaml never 0" "warning-only.yaml error 0" "warning-only.yaml warning 1" \
    "warning-only.yaml info 1" "info-only.yaml error 0" "info-only.yaml warning 0" "info-only.yaml info 1" \
    "clean.yaml info 0" "plan.json error 1"; do
    set -- $c
    t "--fail-on $2 $1" check "${R[@]}" --fail-on "$2" "$D/$1"
    code_is "$3"
    err_empty
  done

  t "undetermined counts as failing by default" check "${R[@]}" $D/undetermined.yaml
  code_is 1
  out_has "^cases/data/undetermined\.yaml(:[0-9]+:[0-9]+)?: undetermined: $workforce\$"
  out_has "1 undetermined"
  t "--undetermined pass" check "${R[@]}" --undetermined pass $D/undetermined.yaml
  code_is 0
  t "--undetermined pass --fail-on never" check "${R[@]}" --undetermined pass --fail-on never $D/undetermined.yaml
  code_is 0

  # Selection.
  t "--only a warning rule" check "${R[@]}" --only cli.teams.team-size $D/plan.yaml
  code_is 0
  out_lacks "$workforce"
  out_has "^1 rule failed \(1 warning\)\$"
  t "--only a warning rule, --fail-on warning" check "${R[@]}" --only cli.teams.team-size --fail-on warning $D/plan.yaml
  code_is 1
  t "--only twice" check "${R[@]}" --only cli.teams.team-size --only "$workforce" $D/plan.yaml
  code_is 1
  out_has "^2 rules failed \(1 error, 1 warning\)\$"
  t "--tag" check "${R[@]}" --tag teams $D/plan.yaml
  code_is 0
  out_has "^1 rule failed \(1 warning\)\$"
  t "--tag that no rule has" check "${R[@]}" --tag nosuchtag $D/clean.yaml
  code_is 0
  err_is "joinup: warning: no rule has the tag 'nosuchtag'"
  usage_error "joinup: unknown rule 'cli.teams.team-sise' in --only (did you mean 'cli.teams.team-size'?)" \
    check "${R[@]}" --only cli.teams.team-sise $D/plan.yaml
  # A short id that names one rule is taken.
  t "--only by a short id" check --color never "${R[@]}" --only team-size $D/plan.yaml
  code_is 0
  grep -qF "warning: cli.teams.team-size" "$tmp/out" && ok || bad "the short id did not select cli.teams.team-size"

  # Several files: a block per violation of each, one combined summary.
  t "several files" check "${R[@]}" $D/plan.yaml $D/clean.yaml $D/warning-only.yaml
  code_is 1
  out_lines 1 "rules? failed"
  out_has "^4 rules failed \(1 error, 2 warnings, 1 info\), 5 passed\$"
  out_has "^cases/data/warning-only\.yaml:[0-9]+:[0-9]+: warning: cli\.teams\.team-size\$"

  # Standard input.
  STDIN=$D/plan.yaml t "data from stdin" check "${R[@]}" -
  code_is 1
  out_has "^-:[0-9]+:[0-9]+: error: $workforce\$"

  # JSON.
  t "json" check "${R[@]}" --format json --as-of 2026-03-31 $D/plan.yaml $D/clean.yaml
  code_is 1
  err_empty
  out_has '^  "as_of": "2026-03-31",$'
  out_has '^    "files": 2,$'
  out_has "\"rule\": \"$workforce\","
  if command -v python3 >/dev/null; then
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d["results"]) == 2' "$tmp/out" &&
      ok || bad "the JSON report does not parse or lacks a result per file"
  fi
  t "json, clean" check "${R[@]}" --format json $D/clean.yaml
  code_is 0
  out_has '"failed": 0,'

  # --output: the report goes to the file, stdout stays empty; the exit code is unchanged.
  t "--output" check "${R[@]}" --output "$tmp/report.txt" $D/plan.yaml
  code_is 1
  out_empty
  err_empty
  grep -q "^3 rules failed" "$tmp/report.txt" && ok || bad "--output file lacks the summary line"
  t "--output, json" check "${R[@]}" --format json --output "$tmp/report.json" $D/plan.yaml
  code_is 1
  out_empty
  grep -q '"tool"' "$tmp/report.json" && ok || bad "--output file lacks the JSON report"
  usage_error "joinup: cannot write '$tmp/no/such/dir/r.txt': no such file or directory" \
    check "${R[@]}" --output "$tmp/no/such/dir/r.txt" $D/plan.yaml

  # Colour: never in a file or a pipe unless asked; NO_COLOR does not override --color always.
  t "--color auto into a pipe" check "${R[@]}" $D/plan.yaml
  out_lacks $'\x1b'
  t "--color always" check "${R[@]}" --color always $D/plan.yaml
  out_has $'\x1b\\[1;31merror:'
  NO_COLOR=1 t "--color always with NO_COLOR" check "${R[@]}" --color always $D/plan.yaml
  out_has $'\x1b\\['
  t "--color never" check "${R[@]}" --color never $D/plan.yaml
  out_lacks $'\x1b'

  # Files that do not load: exit 2, the file named, nothing on stdout.
  t "missing data file" check "${R[@]}" $D/no-such-plan.yaml
  code_is 2
  out_empty
  err_is "cases/data/no-such-plan.yaml: error: data file not found"
  # A directory is read for its data files (tests/cli/run_ci_tests.sh); an empty one is an error.
  mkdir -p "$tmp/empty-dir"
  t "an empty directory as data" check "${R[@]}" "$tmp/empty-dir"
  code_is 2
  err_is "$tmp/empty-dir: error: no data files (.yaml, .yml, .json) in directory '$tmp/empty-dir'"
  t "data that does not parse" check "${R[@]}" $D/broken.yaml
  code_is 2
  out_empty
  err_has "^cases/data/broken\.yaml:[0-9]+:[0-9]+: error: "
  t "a missing file among good ones: the good ones are still reported" check "${R[@]}" $D/plan.yaml $D/no-such-plan.yaml
  code_is 2
  out_has "^cases/data/plan\.yaml:[0-9]+:[0-9]+: error: $workforce\$"
  err_is "cases/data/no-such-plan.yaml: error: data file not found"
  t "rules that do not load" check --rules cases/broken $D/clean.yaml
  code_is 2
  out_empty
  err_has "^cases/broken/broken\.jup:5:[0-9]+: error: "
  t "rules that do not load, for rules" rules --rules cases/broken
  code_is 2
  err_has "^cases/broken/broken\.jup:5:[0-9]+: error: "

  # The standard pack: JOINUP_RULES points at it.
  JOINUP_RULES=cases/rules t "JOINUP_RULES" check $D/plan.yaml
  code_is 1
  out_has "^3 rules failed"

  # rules and explain.
  t "rules" rules "${R[@]}"
  code_is 0
  err_empty
  out_is "$(printf '%-41s%-9s%s\n' cli.housing.housing-at-the-table info "Housing is a partner" \
    cli.teams.team-size warning "Cross-cutting teams of ten to twenty" \
    "$workforce" error "Never replace a senior leaver with a single-organisation role")"

  t "explain" explain "$workforce" "${R[@]}"
  code_is 0
  err_empty
  out_has_line "$workforce"
  out_has_line "  Never replace a senior leaver with a single-organisation role"
  out_has_line "  severity  error"
  out_has_line "  tags      leadership, workforce"
  out_has "^  defined   cases/rules/workforce\.jup:5:1\$"
  out_has_line "  A senior post refilled with a single-organisation focus pulls the system back into silos."
  out_has_line "  Recruit to a system-wide or joint post."
  out_has_line '    require leaver.replacement.scope != "single-organisation"'
  # A short id that names one rule is taken.
  t "explain by a short id" explain senior-leaver-replacement "${R[@]}"
  code_is 0
  out_has "^$workforce\$"
  usage_error "joinup: unknown rule 'cli.teams.teamsize' (did you mean 'cli.teams.team-size'?)" \
    explain cli.teams.teamsize "${R[@]}"
fi

###############################################################################################
# Waivers (language spec section 10): tests/cli/cases/waivers/

if [ "$engine" = 1 ]; then
  W=cases/waivers
  t "waivers: every finding waived" check "${R[@]}" --as-of 2026-11-21 --waivers $W/all.yaml $D/plan.yaml
  code_is 0
  err_empty
  out_has "^cases/data/plan\.yaml:[0-9]+:[0-9]+: waived: $workforce\$"
  out_has "^cases/data/plan\.yaml:[0-9]+:[0-9]+: waived: cli\.teams\.team-size\$"
  out_has_line "  waived by cases/waivers/all.yaml:4:5 (error); approved by Joint Committee, 2026-10-02; expires 2027-03-31"
  out_has_line "      Interim cover while the joint post is advertised"
  out_has_line "  waived by cases/waivers/all.yaml:11:5 (info); expires 2027-04-01"
  out_has_line "  Dr A. Okafor left a senior post and was replaced by a single-organisation role (Trust Finance Director)"
  out_lacks ": error: "
  out_lacks "unused waiver|expired waiver"
  out_has "^0 rules failed, 3 waived\$"
  t "waivers: waived findings do not count at --fail-on info" check "${R[@]}" --as-of 2026-11-21 --fail-on info \
    --waivers $W/all.yaml $D/plan.yaml
  code_is 0

  t "waivers: the error waived, the rest counts" check "${R[@]}" --as-of 2026-11-21 --waivers $W/error-only.yaml $D/plan.yaml
  code_is 0
  out_has "^2 rules failed \(1 warning, 1 info\), 1 waived\$"
  t "waivers: the error waived, --fail-on warning" check "${R[@]}" --as-of 2026-11-21 --fail-on warning \
    --waivers $W/error-only.yaml $D/plan.yaml
  code_is 1
  t "waivers: on the expiry date itself it still waives" check "${R[@]}" --as-of 2026-12-31 --waivers $W/error-only.yaml $D/plan.yaml
  code_is 0
  out_lacks "expired waiver"

  t "waivers: expired" check "${R[@]}" --as-of 2027-01-01 --waivers $W/error-only.yaml $D/plan.yaml
  code_is 1
  err_empty
  out_has "^cases/data/plan\.yaml:[0-9]+:[0-9]+: error: $workforce\$"
  out_has_line "  the waiver at cases/waivers/error-only.yaml:2:5 expired on 2026-12-31, so this finding counts again"
  out_has_line "cases/waivers/error-only.yaml:2:5: warning: expired waiver"
  out_has_line "  the waiver of '$workforce' at partnership.leavers[name=Dr A. Okafor] expired on 2026-12-31 (as of 2027-01-01): 1 finding counts again"
  out_has "^3 rules failed \(1 error, 1 warning, 1 info\)\$"
  t "waivers: expired, --quiet still names the expired waiver" check "${R[@]}" --quiet --as-of 2027-01-01 \
    --waivers $W/error-only.yaml $D/plan.yaml
  out_has_line "cases/waivers/error-only.yaml:2:5: warning: expired waiver"

  t "waivers: unused, misspelt and shadowed" check "${R[@]}" --as-of 2026-11-21 --waivers $W/unused.yaml $D/plan.yaml
  code_is 0
  err_empty
  out_has "^cases/data/plan\.yaml:[0-9]+:[0-9]+: waived: $workforce\$"
  out_has_line "cases/waivers/unused.yaml:2:5: warning: unused waiver"
  out_has_line "  the waiver of '$workforce' at partnership.leavers[name=J. Smith] matches no finding: the rule found nothing at that subject (it found 'partnership.leavers[name=Dr A. Okafor]')"
  out_has_line "  the waiver names the rule 'cli.teams.team-sise', which the rule set does not have (did you mean 'cli.teams.team-size'?)"
  out_has_line "  the waiver of '$workforce' matches only findings already waived by cases/waivers/unused.yaml:7:5"
  out_lines 3 "warning: unused waiver\$"
  out_has "^2 rules failed \(1 warning, 1 info\), 1 waived\$"
  t "waivers: unused waivers are warnings for --fail-on warning" check "${R[@]}" --as-of 2026-11-21 --fail-on warning \
    --only "$workforce" --waivers $W/unused.yaml $D/plan.yaml
  code_is 1
  t "waivers: a rule left out by --only makes no unused waiver" check "${R[@]}" --as-of 2026-11-21 --only cli.teams.team-size \
    --waivers $W/all.yaml $D/plan.yaml
  code_is 0
  out_lacks "unused waiver"
  out_has "^0 rules failed, 1 waived\$"

  t "waivers: an empty JSON waivers file" check "${R[@]}" --waivers $W/empty.json $D/clean.yaml
  code_is 0
  out_is "0 rules failed, 3 passed"

  # A waiver that names no data file would waive the same rule in every plan: refused (exit 2)
  # when several are checked; tests/cli/run_ci_tests.sh has the waivers that name their files.
  t "waivers: several files, waivers that name none" check "${R[@]}" --as-of 2026-11-21 --waivers $W/all.yaml \
    $D/plan.yaml $D/warning-only.yaml $D/clean.yaml
  code_is 2
  out_empty
  err_has "^cases/waivers/all.yaml:4:5: error: the waiver of '$workforce' names no data file, and 3 data files are checked: it would waive the rule's findings in every one of them"
  err_has "^cases/waivers/all.yaml:11:5: error: "

  t "waivers: json" check "${R[@]}" --as-of 2027-01-01 --format json --waivers $W/unused.yaml $D/plan.yaml
  code_is 0
  err_empty
  python3 - "$tmp/out" <<'PY' && ok || bad "the JSON report lacks the waiver fields"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["summary"]["waived"] == 1 and d["summary"]["waived_violations"] == 1, d["summary"]
rules = {r["id"]: r for r in d["results"][0]["rules"]}
w = rules["cli.workforce.senior-leaver-replacement"]
assert w["waived"] is True and w["outcome"] == "fail"
v = w["violations"][0]
assert v["waived"] is True and v["waiver"]["reason"] == "The real one" and v["waiver"]["expired"] is False
assert v["waiver"]["location"] == {"file": "cases/waivers/unused.yaml", "line": 7, "column": 5}
assert v["waiver"]["subject"] == "partnership.leavers[name=Dr A. Okafor]" and v["waiver"]["expires"] is None
assert rules["cli.teams.team-size"]["violations"][0]["waiver"] is None
states = [(x["rule"], x["subject"], x["status"], x["matched"]) for x in d["waivers"]]
assert states == [
    ("cli.workforce.senior-leaver-replacement", "partnership.leavers[name=J. Smith]", "unused", 0),
    ("cli.teams.team-sise", None, "unused", 0),
    ("cli.workforce.senior-leaver-replacement", "partnership.leavers[name=Dr A. Okafor]", "used", 1),
    ("cli.workforce.senior-leaver-replacement", None, "unused", 0)], states
PY

  # The Northvale example with its waivers, end to end (the standard rule pack).
  N=../../examples/partnerships
  t "northvale without waivers" check --as-of 2026-11-21 $N/northvale-midway.yaml
  code_is 1
  out_has "^14 rules failed \(1 error, 9 warnings, 4 info\), 40 passed\$"
  t "northvale with its waivers: the error is waived" check --as-of 2026-11-21 --waivers $N/northvale-waivers.yaml \
    $N/northvale-midway.yaml
  code_is 0
  err_empty
  out_has "^9 rules failed \(5 warnings, 4 info\), 40 passed, 5 waived\$"
  out_lines 6 ": waived: integration\."
  out_lacks "unused waiver|expired waiver"
  t "northvale with its waivers, --fail-on warning" check --as-of 2026-11-21 --fail-on warning \
    --waivers $N/northvale-waivers.yaml $N/northvale-midway.yaml
  code_is 1
  t "northvale after the pilot's waiver expired" check --as-of 2027-01-05 --waivers $N/northvale-waivers.yaml \
    $N/northvale-midway.yaml
  code_is 0
  out_has "^10 rules failed \(6 warnings, 4 info\), 40 passed, 4 waived\$"
  out_has_line "../../examples/partnerships/northvale-waivers.yaml:56:5: warning: expired waiver"
  t "northvale after the finance waiver expired: the error counts again" check --as-of 2027-04-01 \
    --waivers $N/northvale-waivers.yaml $N/northvale-midway.yaml
  code_is 1
  out_has ": error: integration\.workforce\.senior-leaver-replacement\$"
  for f in json sarif junit github html; do
    t "northvale with its waivers, --format $f" check --as-of 2026-11-21 --format $f \
      --waivers $N/northvale-waivers.yaml $N/northvale-midway.yaml
    code_is 0
    err_empty
  done

  # Standard input in every format, with other files: one report, clean streams.
  for f in text json sarif junit github html; do
    STDIN=$D/plan.yaml t "stdin and a file, --format $f" check "${R[@]}" --format $f - $D/clean.yaml
    code_is 1
    err_empty
  done

  # Waivers files that cannot be used: exit 2, file:line:col on stderr, nothing on stdout.
  t "waivers: missing file" check "${R[@]}" --waivers $W/no-such.yaml $D/plan.yaml
  code_is 2
  out_empty
  err_is "cases/waivers/no-such.yaml: error: waivers file not found"
  t "waivers: unknown key, no rule, bad date" check "${R[@]}" --waivers $W/bad.yaml $D/plan.yaml
  code_is 2
  out_empty
  err_has "^cases/waivers/bad\.yaml:3:5: error: unknown key 'reasn' in a waiver \(expected 'rule', 'file', 'files', 'subject', 'reason', 'approved_by' or 'expires'\)\$"
  err_has "^  help: did you mean 'reason'\?\$"
  err_has "^cases/waivers/bad\.yaml:4:5: error: waiver has no 'rule'"
  err_has "^cases/waivers/bad\.yaml:8:14: error: 'expires' must be a date as YYYY-MM-DD"
  [ "$(grep -c ': error: ' "$tmp/err")" = 3 ] && ok || bad "expected exactly three errors"
  t "waivers: not YAML" check "${R[@]}" --waivers $W/broken.yaml $D/plan.yaml
  code_is 2
  out_empty
  err_has "^cases/waivers/broken\.yaml:[0-9]+:[0-9]+: error: "
  t "waivers: not a list" check "${R[@]}" --waivers $W/not-a-list.yaml $D/plan.yaml
  code_is 2
  err_has "^cases/waivers/not-a-list\.yaml:1:10: error: 'waivers' must be a list of waivers, not a string\$"
  printf 'waivers:\n  - rule: cli.teams.team-size\n' >"$tmp/no-reason.yaml"
  t "waivers: missing reason" check "${R[@]}" --waivers "$tmp/no-reason.yaml" $D/plan.yaml
  code_is 2
  err_has ":2:5: error: waiver has no 'reason'"
fi

###############################################################################################

finish
