#!/usr/bin/env bash
# Builds an outside project that includes joinup with add_subdirectory, instrumented with
# ThreadSanitizer (JOINUP_TSAN), and runs its programs: the C and C++ consumers, and one policy
# evaluated from 8 threads at once. The build directory is kept, so later runs are incremental.
# Usage: subdirectory.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
src="$1" build="$2"
cmake -S "$src/tests/consumers/subdirectory" -B "$build" -DJOINUP_SOURCE_DIR="$src" -DJOINUP_TSAN=ON \
      -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" \
      -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g" > /dev/null
cmake --build "$build" -j"$(nproc)" --target c_consumer threads cpp_consumer > "$build/build.log" 2>&1 ||
  { tail -50 "$build/build.log"; exit 1; }
export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1"
export JOINUP_RULES="$src/rules"
"$build/c_consumer"
"$build/cpp_consumer"
"$build/threads" "$src/examples/quickstart/rules.jup" "$src/examples/quickstart/partnership.yaml"
