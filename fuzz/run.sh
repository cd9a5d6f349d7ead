#!/usr/bin/env bash
# Runs every fuzz target for SECONDS (default 60), two at a time, from the committed corpus.
# Usage: fuzz/run.sh [SECONDS] [BUILD_DIR] [TARGET...]   (default: every target of JOINUP_FUZZ_TARGETS
# in fuzz/CMakeLists.txt; BUILD_DIR default: build-fuzz, configured with CC=clang CXX=clang++
# -DJOINUP_FUZZ=ON). New inputs go to BUILD_DIR/fuzz-corpus/<target>/, crashes to
# BUILD_DIR/fuzz-artifacts/<target>/, logs to BUILD_DIR/fuzz-logs/<target>.log. Several runs may
# share a build folder (the build is locked), e.g. two chains of one target each.
set -u
cd "$(dirname "$0")/.."
secs="${1:-60}"
build="${2:-build-fuzz}"
# The one list of targets is the CMake one.
read -r -a targets <<<"$(sed -n 's/^set(JOINUP_FUZZ_TARGETS \(.*\))$/\1/p' fuzz/CMakeLists.txt)"
[ $# -gt 2 ] && targets=("${@:3}")
if [ ! -d "$build" ]; then
  CC=clang CXX=clang++ cmake -S . -B "$build" -DJOINUP_FUZZ=ON -DJOINUP_BUILD_TESTS=OFF -DJOINUP_BUILD_BENCH=OFF \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null || exit 2
fi
flock "$build" cmake --build "$build" -j2 --target "${targets[@]/#/fuzz-}" >/dev/null || exit 2

run_one() {
  local t="$1"
  mkdir -p "$build/fuzz-corpus/$t" "$build/fuzz-artifacts/$t" "$build/fuzz-logs"
  local dict=()
  [ -f "fuzz/dict/$t.dict" ] && dict=(-dict="fuzz/dict/$t.dict")
  local seeds=("fuzz/corpus/$t")
  [ "$t" = fmt ] && seeds+=(fuzz/corpus/rules)  # fmt keeps its promises over the rules corpus too
  "$build/fuzz/fuzz-$t" "$build/fuzz-corpus/$t" "${seeds[@]}" "${dict[@]}" \
    -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=16384 -print_final_stats=1 \
    -artifact_prefix="$build/fuzz-artifacts/$t/" >"$build/fuzz-logs/$t.log" 2>&1
  local code=$?
  local execs cov
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$build/fuzz-logs/$t.log" | grep -o '[0-9]*$')
  cov=$(grep -o 'cov: [0-9]*' "$build/fuzz-logs/$t.log" | tail -1)
  echo "fuzz: $t: exit $code, ${execs:-?} executions, ${cov:-cov: ?}"
}

status=0
for ((i = 0; i < ${#targets[@]}; i += 2)); do
  pids=()
  for t in "${targets[@]:i:2}"; do run_one "$t" & pids+=($!); done
  for p in "${pids[@]}"; do wait "$p" || status=1; done
done
for t in "${targets[@]}"; do
  find "$build/fuzz-artifacts/$t" -type f 2>/dev/null | grep -q . && { echo "fuzz: findings in $build/fuzz-artifacts/$t" >&2; status=1; }
done
exit $status
