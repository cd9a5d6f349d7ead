#!/usr/bin/env bash
# End-to-end tests of the rule author's commands: `joinup lint`, `joinup fmt`, `check --schema`
# and YAML rule files given to `check`. usage: tests/cli/run_author_tests.sh JOINUP_BINARY
set -u

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# shellcheck source=harness.sh
. "$here/harness.sh" "$@"
cd "$here/author" || exit 2

out_is_file() { diff -u "$1" "$tmp/out" >/dev/null && ok || bad "stdout differs from $1"; }
err_is_file() { diff -u "$1" "$tmp/err" >/dev/null && ok || bad "stderr differs from $1"; }
out_is() { [ "$(cat "$tmp/out")" = "$1" ] && ok || bad "stdout is not: $1"; }

# lint
t "lint: findings" lint --color never --schema "$root/schemas/partnership.schema.json" messy.jup
code_is 1
out_is_file lint.expected
err_empty
t "lint: the standard pack is clean" lint --schema "$root/schemas/partnership.schema.json" "$root/rules"
code_is 0
out_empty
t "lint: rules that do not load" lint --color never broken.yaml
code_is 2
out_empty
err_is_file broken.expected
t "lint: a schema that is missing" lint --schema nowhere.json messy.jup
code_is 2
out_empty

# check with YAML rule files and --schema
t "check: YAML rules" check --color never --rules housing.yaml --as-of 2026-01-01 data.yaml
code_is 1
out_is_file check-yaml.expected
err_empty
t "check: YAML rules that do not load" check --color never --rules broken.yaml data.yaml
code_is 2
out_empty
err_is_file broken.expected
t "check --schema: warnings on stderr, exit code unchanged" \
  check --color never --quiet --fail-on never --schema "$root/schemas/partnership.schema.json" --rules messy.jup data.yaml
code_is 0
err_is_file check-schema.expected

# fmt
t "fmt: prints the canonical layout" fmt messy.jup
code_is 0
out_is_file messy.formatted
t "fmt --check: names the files that would change" fmt --check messy.jup messy.formatted.jup
code_is 1
out_is "messy.jup"
cp messy.jup "$tmp/w.jup"
t "fmt --write: rewrites in place" fmt --write "$tmp/w.jup"
code_is 0
out_empty
diff -q messy.formatted "$tmp/w.jup" >/dev/null && ok || bad "--write did not write the canonical layout"
t "fmt --check: clean after --write" fmt --check "$tmp/w.jup"
code_is 0
t "fmt --to yaml" fmt --to yaml messy.jup
code_is 0
out_is_file messy.yaml
t "fmt --to dsl" fmt --to dsl messy.yaml
code_is 0
out_is_file messy.formatted
t "fmt: a YAML file without --to" fmt messy.yaml
code_is 2
t "fmt: a file that does not parse" fmt "$here/cases/broken/broken.jup"
code_is 2
out_empty

finish
