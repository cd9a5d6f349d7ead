#!/usr/bin/env bash
# Builds (installing missing Debian packages first) and runs the whole test suite with ctest.
# Usage: scripts/test.sh [BUILD_DIR]; JOINUP_SANITIZE=1 builds with ASan + UBSan.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-build}"
case "$build" in /*) ;; *) build="$here/$build" ;; esac
extra=()
if [ "${JOINUP_SANITIZE:-0}" = 1 ]; then
  extra=(-DJOINUP_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug)
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
fi
JOINUP_CMAKE_ARGS="${extra[*]:-}" "$here/scripts/bootstrap.sh" --all "$build"
ctest --test-dir "$build" --output-on-failure -j"$(nproc)"
