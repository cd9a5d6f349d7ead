#!/usr/bin/env bash
# End-to-end tests of `joinup test`, the rule-test runner (language spec section 9).
#
# usage: tests/cli/run_test_runner_tests.sh JOINUP_BINARY
#
# Fixtures in tests/cli/test_runner/:
#   pass/   *.test.yaml files whose tests all pass (found by searching the directory)
#   fail/   failing.yaml: tests that fail in every way; stdout and exit code 1 are checked exactly
#   bad/    NAME.yaml: malformed test files; stderr must be exactly NAME.expected, exit code 2
# The fail/ and bad/ files are not named *.test.yaml so that `joinup test` over the source tree
# does not pick them up. Exits 0 when every check passed, 1 otherwise.
set -u

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=harness.sh
. "$here/harness.sh" "$@"
# Paths in messages are as given, so run from the directory holding test_runner/.
cd "$here" || exit 2

out_is() { diff -u <(printf '%s\n' "$1") "$tmp/out" >"$tmp/diff" && ok || { bad "stdout differs"; cat "$tmp/diff"; }; }

###############################################################################################
# Passing tests

t "passing file" test test_runner/pass/clean.test.yaml
code_is 0
out_is "7 passed, 0 failed"
err_empty

t "passing directory, --verbose" test --verbose test_runner/pass
code_is 0
out_is "ok   test_runner/pass/clean.test.yaml:4: a clean partnership has no violations
ok   test_runner/pass/clean.test.yaml:13: a single-organisation replacement is caught
ok   test_runner/pass/clean.test.yaml:21: the same violation twice is expected twice
ok   test_runner/pass/clean.test.yaml:31: a subject that cannot be judged is expected as undetermined
ok   test_runner/pass/clean.test.yaml:38: input from a data file, relative to this file
ok   test_runner/pass/clean.test.yaml:44: without as_of, today() is 2026-01-01
ok   test_runner/pass/clean.test.yaml:49: as_of sets today()
ok   test_runner/pass/nested/string-rules.test.yaml:4: housing at the table
8 passed, 0 failed"
err_empty

# The default PATH is the current directory; a file named twice runs once.
(cd test_runner/pass && "$bin" test >"$tmp/out" 2>"$tmp/err")
code=$?
name="default path"
code_is 0
out_is "8 passed, 0 failed"
t "a file named twice" test test_runner/pass/clean.test.yaml test_runner/pass
code_is 0
out_is "8 passed, 0 failed"

###############################################################################################
# Failing tests: the report and exit code 1, exactly

expected_failures="FAIL test_runner/fail/failing.yaml:11:5: the wrong subject is expected
  missing:    cli.workforce.senior-leaver-replacement at partnership.leavers[1]
  unexpected: cli.workforce.senior-leaver-replacement at partnership.leavers[0] (fail): A left a senior post and was replaced by a single-organisation role (T)
FAIL test_runner/fail/failing.yaml:19:5: a violation that is not expected
  unexpected: cli.teams.team-size at partnership.teams[0] (fail): team frailty has 3 members
FAIL test_runner/fail/failing.yaml:25:5: undetermined is not fail
  missing:    cli.workforce.senior-leaver-replacement at partnership.leavers[0]
  unexpected: cli.workforce.senior-leaver-replacement at partnership.leavers[0] (undetermined): partnership.leavers[0].replacement is missing
FAIL test_runner/fail/failing.yaml:32:5: expected twice, found once
  missing:    cli.housing.housing-at-the-table at the document root"

t "failing file" test test_runner/fail/failing.yaml
code_is 1
out_is "$expected_failures
1 passed, 4 failed"
err_empty

t "failing file, --verbose" test --verbose test_runner/fail/failing.yaml
code_is 1
out_is "ok   test_runner/fail/failing.yaml:5: passes
$expected_failures
1 passed, 4 failed"

t "passing and failing together" test test_runner/pass test_runner/fail/failing.yaml
code_is 1
out_is "$expected_failures
9 passed, 4 failed"

t "--color always" test --color always test_runner/fail/failing.yaml
code_is 1
grep -q $'^\x1b\\[1;31mFAIL\x1b\\[0m \x1b\\[1mtest_runner/fail/failing.yaml:11:5\x1b\\[0m: ' "$tmp/out" && ok ||
  bad "no coloured FAIL header"
t "--color never" test --color never test_runner/fail/failing.yaml
grep -q $'\x1b' "$tmp/out" && bad "colour with --color never" || ok

###############################################################################################
# Test files that cannot be loaded: exit 2, nothing on stdout, every problem on stderr

for f in test_runner/bad/*.yaml; do
  t "$f" test "$f"
  code_is 2
  out_empty
  expected="$(cat "${f%.yaml}.expected")"
  [ "$(cat "$tmp/err")" = "$expected" ] && ok || {
    bad "stderr differs from ${f%.yaml}.expected"
    diff -u "${f%.yaml}.expected" "$tmp/err"
  }
done

# A broken file stops the whole run before any test is reported.
t "a broken file among good ones" test test_runner/pass test_runner/bad/no-rules.yaml
code_is 2
out_empty

t "no such path" test test_runner/no-such-dir
code_is 2
out_empty
err_is "test_runner/no-such-dir: error: test file or directory not found"

t "no test files" test test_runner/bad
code_is 2
out_empty
err_is "joinup: no test files (*.test.yaml) found in 'test_runner/bad'"

t "unknown option" test --verbos test_runner/pass
code_is 2
err_is "joinup: unknown option '--verbos' (did you mean '--verbose'?)"

t "bad --color" test --color sometimes test_runner/pass
code_is 2
err_is "joinup: invalid value 'sometimes' for --color: expected auto, always or never"

t "help test" help test
code_is 0
grep -q '^usage: joinup test \[OPTIONS\] \[PATH...\]' "$tmp/out" && ok || bad "no usage line"
t "test --help" test --help
code_is 0
grep -q '^usage: joinup test' "$tmp/out" && ok || bad "no usage line"

finish
