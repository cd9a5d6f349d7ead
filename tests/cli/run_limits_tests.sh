#!/usr/bin/env bash
# The limit flags of `joinup` (--max-steps, --max-data-bytes, …): bad values are usage errors, and
# each limit accepts input at the limit and refuses input one past it with its exact message.
# Also: messages quote long strings from data within a window in every report format, and a rule
# file's errors are printed at most 50 at a time. Inputs are generated into a temporary directory.
#
# usage: tests/cli/run_limits_tests.sh JOINUP_BINARY
set -u

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=harness.sh
. "$here/harness.sh" "$@"
cd "$tmp" || exit 2

out_has() { grep -qF -- "$1" "$tmp/out" && ok || bad "stdout lacks: $1"; }
out_lacks() { grep -qF -- "$1" "$tmp/out" && bad "stdout should not contain: $1" || ok; }
err_has() { grep -qF -- "$1" "$tmp/err" && ok || bad "stderr lacks: $1"; }
# Exit 0 with nothing on stderr; exit 2 with nothing on stdout and exactly this stderr.
accepted() { code_is 0; err_empty; }
refused() { code_is 2; out_empty; err_is "$1"; }

# Rules and data used below.
printf 'package t\nrule ok "always" {\n  require true\n}\n' >ok.jup
printf '{}\n' >empty.json
printf 'package p\nuses d\nrule r { require d matches "^[a-z]+$" }\n' >regex.jup   # an 8-byte pattern
printf 'package p\nuses d\nrule r { require d.s matches d.p }\n' >data-regex.jup
printf 'package p\nuses d\nrule r { require length(join(d.xs, "-")) > 0 }\n' >join.jup
printf 'package q\nuses d\nrule pairs { require all a in d.xs: all b in d.xs: a != b or true }\n' >quadratic.jup
printf 'package p\nuses d\nrule r { require d.name == "x" }\n' >name.jup

###############################################################################################
# Bad values: usage errors naming the flag, exit code 2.

usage() { t "usage: $*" "$@"; code_is 2; out_empty; }
usage check --rules ok.jup --max-steps x empty.json
err_is "joinup: invalid value 'x' for --max-steps: expected a whole number from 0 to 18446744073709551615"
usage check --rules ok.jup --max-steps -1 empty.json
err_is "joinup: invalid value '-1' for --max-steps: expected a whole number from 0 to 18446744073709551615"
usage check --rules ok.jup --max-data-bytes 12Q empty.json
err_is "joinup: invalid value '12Q' for --max-data-bytes: expected a size in bytes of at least 1, such as 65536, 512K, 64M or 1G"
usage check --rules ok.jup --max-data-bytes 0 empty.json
err_is "joinup: invalid value '0' for --max-data-bytes: expected a size in bytes of at least 1, such as 65536, 512K, 64M or 1G"
usage check --rules ok.jup --max-string-bytes 99999999999G empty.json
err_is "joinup: invalid value '99999999999G' for --max-string-bytes: expected a size in bytes of at least 1, such as 65536, 512K, 64M or 1G"
usage check --rules ok.jup --max-rule-bytes= empty.json
err_is "joinup: invalid value '' for --max-rule-bytes: expected a size in bytes of at least 1, such as 65536, 512K, 64M or 1G"
usage check --rules ok.jup --max-regex-bytes 1T empty.json
err_is "joinup: invalid value '1T' for --max-regex-bytes: expected a size in bytes of at least 1, such as 65536, 512K, 64M or 1G"
usage check --rules ok.jup --max-data-depth 0 empty.json
err_is "joinup: invalid value '0' for --max-data-depth: expected a whole number from 1 to 1000"
usage check --rules ok.jup --max-data-depth 1001 empty.json
err_is "joinup: invalid value '1001' for --max-data-depth: expected a whole number from 1 to 1000"
usage check --rules ok.jup --max-expression-depth 2x empty.json
err_is "joinup: invalid value '2x' for --max-expression-depth: expected a whole number from 1 to 1000"
usage check --rules ok.jup empty.json --max-steps
err_is "joinup: option '--max-steps' needs a value"
usage check --rules ok.jup --max-step 5 empty.json
err_is "joinup: unknown option '--max-step' (did you mean '--max-steps'?)"
usage rules --rules ok.jup --max-steps 5
err_is "joinup: unknown option '--max-steps'"
usage lint ok.jup --max-data-bytes 5
err_is "joinup: unknown option '--max-data-bytes' (did you mean '--max-rule-bytes'?)"

for cmd in check test; do
  t "help $cmd" help "$cmd"
  for flag in --max-rule-bytes --max-expression-depth --max-regex-bytes --max-data-bytes --max-data-depth \
              --max-string-bytes --max-steps --max-eval-bytes; do
    out_has "  $flag "
  done
done
for cmd in rules explain lint; do
  t "help $cmd" help "$cmd"
  for flag in --max-rule-bytes --max-expression-depth --max-regex-bytes; do out_has "  $flag "; done
  out_lacks "--max-steps"
done

###############################################################################################
# Data: size (plain and with a suffix), nesting, string length; hostile data.

printf '{"a": [1, 2, 3]}\n' >small.json   # 17 bytes
t "--max-data-bytes at the limit" check --rules ok.jup --max-data-bytes 17 small.json
accepted
t "--max-data-bytes past the limit" check --rules ok.jup --max-data-bytes 16 small.json
refused "small.json: error: data file is 17 bytes, more than the limit of 16 bytes
  help: raise load_options::max_bytes to load it"
python3 -c "import sys; sys.stdout.write('{\"a\": \"' + 'x' * 1015 + '\"}')" >kib.json   # 1024 bytes
t "--max-data-bytes 1K at the limit" check --rules ok.jup --max-data-bytes 1K kib.json
accepted
printf ' ' >>kib.json
t "--max-data-bytes 1K past the limit" check --rules ok.jup --max-data-bytes 1k kib.json
refused "kib.json: error: data file is 1025 bytes, more than the limit of 1 KiB
  help: raise load_options::max_bytes to load it"

printf '{"a": [[[1]]]}\n' >depth4.json
t "--max-data-depth at the limit" check --rules ok.jup --max-data-depth 4 depth4.json
accepted
t "--max-data-depth past the limit" check --rules ok.jup --max-data-depth 3 depth4.json
refused 'depth4.json:1:9: error: lists and maps are nested more than 3 levels deep
  {"a": [[[1]]]}
          ^
  help: raise load_options::max_depth to load it'

python3 -c "import sys; sys.stdout.write('[' * 100000 + ']' * 100000)" >deep.json
python3 -c "import sys; sys.stdout.write('[' * 100000 + ']' * 100000)" >deep.yaml
for f in deep.json deep.yaml; do
  t "100,000-deep $f" check --rules ok.jup "$f"
  code_is 2
  out_empty
  err_has "$f:1:257: error: lists and maps are nested more than 256 levels deep"
  t "100,000-deep $f with the highest --max-data-depth" check --rules ok.jup --max-data-depth 1000 "$f"
  code_is 2
  err_has "$f:1:1001: error: lists and maps are nested more than 1000 levels deep"
done

python3 - <<'EOF' >laughs.yaml
out = ['a0: &a0 "lol"']
for i in range(1, 10):
    out.append(f'a{i}: &a{i} [' + ', '.join([f'*a{i-1}'] * 10) + ']')
print('\n'.join(out))
EOF
t "billion laughs" check --rules ok.jup laughs.yaml
code_is 2
out_empty
err_has "laughs.yaml:"
err_has "error: the document has more than "
printf 'a: &x [1, *x]\n' >recursive.yaml
t "recursive alias" check --rules ok.jup recursive.yaml
code_is 2
err_has "refers to a value that contains it"

printf 'a: 1\nb: "0123456789"\n' >string.yaml
t "--max-string-bytes at the limit" check --rules ok.jup --max-string-bytes 10 string.yaml
accepted
t "--max-string-bytes past the limit" check --rules ok.jup --max-string-bytes 9 string.yaml
refused 'string.yaml:2:4: error: a string of 10 bytes is longer than the limit of 9 bytes
  b: "0123456789"
     ^
  help: raise load_options::max_string_bytes (--max-string-bytes) to load it'

###############################################################################################
# Rules: file size, expression nesting, pattern length.

size=$(wc -c <ok.jup)
t "--max-rule-bytes at the limit" check --rules ok.jup --max-rule-bytes "$size" empty.json
accepted
t "--max-rule-bytes past the limit" check --rules ok.jup --max-rule-bytes $((size - 1)) empty.json
refused "ok.jup: error: rule file is $size bytes, more than the limit of $((size - 1)) bytes
  help: raise compile_options::max_file_bytes (--max-rule-bytes) to read it"
for cmd in rules explain lint; do
  extra=(); [ "$cmd" = explain ] && extra=(t.ok)
  if [ "$cmd" = lint ]; then args=(lint ok.jup); else args=("$cmd" "${extra[@]}" --rules ok.jup); fi
  t "$cmd --max-rule-bytes at the limit" "${args[@]}" --max-rule-bytes "$size"
  if [ "$cmd" = lint ]; then code_is 1; else code_is 0; fi   # lint: 'require true' is constant
  t "$cmd --max-rule-bytes past the limit" "${args[@]}" --max-rule-bytes $((size - 1))
  refused "ok.jup: error: rule file is $size bytes, more than the limit of $((size - 1)) bytes
  help: raise compile_options::max_file_bytes (--max-rule-bytes) to read it"
done

printf 'package p\nrule r { require ((((((((((true)))))))))) }\n' >parens.jup   # 10 levels
t "--max-expression-depth at the limit" check --rules parens.jup --max-expression-depth 10 empty.json
accepted
t "--max-expression-depth past the limit" check --rules parens.jup --max-expression-depth 9 empty.json
refused 'parens.jup:2:27: error: too deeply nested
  rule r { require ((((((((((true)))))))))) }
                            ^
  help: brackets, '"'not'"', '"'-'"' and quantifiers may nest at most 9 levels deep'
t "lint --max-expression-depth past the limit" lint parens.jup --max-expression-depth 9
code_is 2
err_has "parens.jup:2:27: error: too deeply nested"

printf '{"d": "abc"}\n' >abc.json
t "--max-regex-bytes at the limit (rule)" check --rules regex.jup --max-regex-bytes 8 abc.json
accepted
t "--max-regex-bytes past the limit (rule)" check --rules regex.jup --max-regex-bytes 7 abc.json
refused 'regex.jup:3:28: error: a regular expression of 8 bytes is longer than the limit of 7 bytes
  rule r { require d matches "^[a-z]+$" }
                             ^^^^^^^^^^
  help: shorten the pattern, or raise compile_options::max_regex_bytes (--max-regex-bytes)'

printf '{"d": {"s": "abc", "p": "^[a-z]+$"}}\n' >pattern.json
t "--max-regex-bytes at the limit (data)" check --rules data-regex.jup --max-regex-bytes 8 pattern.json
accepted
t "--max-regex-bytes past the limit (data)" check --rules data-regex.jup --max-regex-bytes 7 --format json pattern.json
code_is 1
out_has '"outcome": "undetermined"'
out_has 'a regular expression of 8 bytes is longer than the limit of 7 bytes (evaluate_options::max_regex_bytes): \"^[a-z]+$\"'

###############################################################################################
# Evaluation: strings built by join(), and the step budget.

printf '{"d": {"xs": ["abcd", "efgh"]}}\n' >join.json   # join gives "abcd-efgh", 9 bytes
t "--max-string-bytes at the limit (join)" check --rules join.jup --max-string-bytes 9 join.json
accepted
t "--max-string-bytes past the limit (join)" check --rules join.jup --max-string-bytes 8 join.json
code_is 1
out_has "join() would make a string longer than the limit of 8 bytes (evaluate_options::max_string_bytes)"

python3 -c "print('{\"d\": {\"xs\": [' + ', '.join(str(i) for i in range(3000)) + ']}}')" >large.json
printf '{"d": {"xs": [1, 2, 3]}}\n' >three.json
t "--max-steps: a small document within the budget" check --rules quadratic.jup --max-steps 100000 three.json
accepted
t "--max-steps: a quadratic rule over a large document" check --rules quadratic.jup --max-steps 100000 large.json
refused "large.json: error: evaluation stopped in rule q.pairs: the step budget of 100000 was used up
  help: raise the budget, or simplify rules that loop over large lists inside other loops"
t "--max-steps 0 is unlimited" check --rules quadratic.jup --max-steps 0 three.json
accepted

# --max-eval-bytes: what one evaluation builds. A flatten of 10^4 elements (160 KiB of values)
# fits the default budget, not 64K.
printf 'uses d\nrule flat {\n  let xs = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]\n  let l2 = flatten([xs for a in xs])\n  let l4 = flatten([l2 for a in l2])\n  require count(l4) == 10000 + d.x - 1\n}\n' >flat.jup
printf '{"d": {"x": 1}}\n' >one.json
t "--max-eval-bytes: the default holds 10,000 elements" check --rules flat.jup one.json
accepted
t "--max-eval-bytes 64K stops the evaluation" check --rules flat.jup --max-eval-bytes 64K one.json
refused "one.json: error: evaluation stopped in rule flat.flat: the memory budget of 65536 bytes (max_memory_bytes) was used up by the strings and lists it built
  help: raise the budget, or simplify rules that build large lists or strings (flatten, join, comprehensions)"
t "--max-eval-bytes 0 is unlimited" check --rules flat.jup --max-eval-bytes 0 one.json
accepted
usage check --rules ok.jup --max-eval-bytes 12Q empty.json
err_is "joinup: invalid value '12Q' for --max-eval-bytes: expected a size in bytes such as 64M or 1G, or 0 for no limit"

# joinup test takes the same flags.
mkdir -p suite
cp quadratic.jup suite/
cat >suite/q.test.yaml <<'EOF'
rules: [quadratic.jup]
tests:
  - name: three elements
    input: {d: {xs: [1, 2, 3]}}
    expect: []
EOF
t "test --max-steps within the budget" test suite --max-steps 1000
code_is 0
t "test --max-steps past the budget" test suite --max-steps 5
code_is 2
err_has "evaluation stopped in rule q.pairs: the step budget of 5 was used up"
t "test --max-rule-bytes past the limit" test suite --max-rule-bytes 10
code_is 2
err_has "suite/quadratic.jup: error: rule file is "

###############################################################################################
# Bounded messages: a 300-character string from data is quoted as its first 100 characters and
# "… (200 more bytes)" in every report format.

long=$(printf 'n%.0s' $(seq 300))
printf '{"d": {"name": "%s"}}\n' "$long" >long.json
for format in text json sarif junit github html; do
  t "window in $format" check --rules name.jup --format "$format" long.json
  code_is 1
  out_has "$(printf 'n%.0s' $(seq 100))"
  out_has "… (200 more bytes)"
  out_lacks "$(printf 'n%.0s' $(seq 101))"
done

###############################################################################################
# At most 50 errors of one rule file are printed, then how many more there were.

python3 -c "
print('package p')
for i in range(60): print(f'rule r{i} {{ require = = }}')" >errors.jup
t "60 errors" check --rules errors.jup empty.json
code_is 2
out_empty
[ "$(grep -c ': error: ' "$tmp/err")" = 50 ] && ok || bad "expected 50 errors"
[ "$(tail -n 1 "$tmp/err")" = "joinup: … and 10 more errors in errors.jup" ] && ok || bad "expected the count of the rest"
python3 -c "
print('package p')
for i in range(50): print(f'rule r{i} {{ require = = }}')" >errors50.jup
t "50 errors" check --rules errors50.jup empty.json
code_is 2
[ "$(grep -c ': error: ' "$tmp/err")" = 50 ] && ok || bad "expected 50 errors"
grep -q "more error" "$tmp/err" && bad "no count line expected" || ok

finish
