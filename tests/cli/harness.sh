# The harness the end-to-end scripts of tests/cli share (sourced, not run): run the command,
# count checks, and print a failure with the command's output. A script sources it with its own
# arguments (`. "$here/harness.sh" "$@"`), the joinup binary first (`usage`, set before, names the
# others in the usage line); the harness sets `bin` (the binary, absolute) and `tmp` (a scratch
# directory removed on exit), clears the environment that changes joinup's output, and the script
# ends with `finish`.
#
#   t NAME ARGS...   run joinup with ARGS (stdin from $STDIN, default /dev/null; at most 60 s),
#                    keeping stdout, stderr and the exit code for the checks that follow
#   ok / bad WHY     count a passed check / a failed one, printing WHY and the output
#   code_is N, err_is TEXT, out_empty, err_empty
#   finish           print the counts; the script's exit status is 0 when nothing failed

if [ $# -lt 1 ]; then
  echo "usage: $0 JOINUP_BINARY${usage:+ $usage}" >&2
  exit 2
fi
bin="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
unset NO_COLOR JOINUP_RULES

passed=0
failed=0
name=""
code=0

t() {
  name="$1"
  shift
  timeout 60 "$bin" "$@" >"$tmp/out" 2>"$tmp/err" <"${STDIN:-/dev/null}"
  code=$?
}

ok() { passed=$((passed + 1)); }
bad() {
  failed=$((failed + 1))
  printf 'FAIL: %s: %s\n' "$name" "$1"
  printf '  exit code: %s\n' "$code"
  sed 's/^/  stdout| /' "$tmp/out" | head -30
  sed 's/^/  stderr| /' "$tmp/err" | head -30
}

code_is() { [ "$code" = "$1" ] && ok || bad "expected exit code $1"; }
err_is() { [ "$(cat "$tmp/err")" = "$1" ] && ok || bad "stderr is not: $1"; }
out_empty() { [ ! -s "$tmp/out" ] && ok || bad "stdout should be empty"; }
err_empty() { [ ! -s "$tmp/err" ] && ok || bad "stderr should be empty"; }

finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" = 0 ]
}
