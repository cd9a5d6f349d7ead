#!/usr/bin/env bash
# Installs the build into a temporary prefix, then builds outside programs against it: C and C++
# with find_package(joinup), C with pkg-config (shared, and static with `pkg-config --static`).
# The install is relocated (not the configured prefix), so this also checks that the package
# files and the standard pack lookup find the prefix from where they are.
# Usage: installed.sh BUILD_DIR CONSUMERS_DIR [EXTRA_FLAGS]
set -euo pipefail
build="$1" here="$2" flags="${3:-}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
prefix="$tmp/prefix"
unset JOINUP_RULES
cmake --install "$build" --prefix "$prefix" > "$tmp/install.log"
for f in include/joinup.h include/joinup/joinup.hpp bin/joinup share/joinup/rules/integration/workforce.jup; do
  [ -e "$prefix/$f" ] || { echo "FAIL: $f not installed" >&2; exit 1; }
done
libdir="$(cd "$(dirname "$(find "$prefix" -name joinup.pc)")/.." && pwd)"
for f in libjoinup.a libjoinup.so libjoinup.so.0 pkgconfig/joinup.pc cmake/joinup/joinupConfig.cmake \
         cmake/joinup/joinupConfigVersion.cmake cmake/joinup/joinupTargets.cmake; do
  [ -e "$libdir/$f" ] || { echo "FAIL: lib/$f not installed" >&2; exit 1; }
done
"$prefix/bin/joinup" --version

expect_prefix() {  # the program's output names the pack of the temporary prefix
  grep -q "first from $prefix/share/joinup/rules/" <<<"$1" || { echo "FAIL: pack not found in the prefix: $1" >&2; exit 1; }
}

echo "== find_package"
cmake -S "$here/package" -B "$tmp/package" -DCMAKE_PREFIX_PATH="$prefix" \
      -DCMAKE_C_FLAGS="$flags" -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="$flags" > "$tmp/configure.log"
cmake --build "$tmp/package" -j2 > "$tmp/build.log" || { cat "$tmp/build.log"; exit 1; }
out="$("$tmp/package/c_consumer")"
echo "$out"
expect_prefix "$out"
"$tmp/package/cpp_consumer"
"$tmp/package/cpp_consumer" | grep -q "0 rules failed, 1 passed"

echo "== pkg-config"
export PKG_CONFIG_PATH="$libdir/pkgconfig"
pkg-config --modversion joinup
cc -std=c99 -Wall -Werror -pedantic $flags -o "$tmp/pc_shared" "$here/consumer.c" $(pkg-config --cflags --libs joinup)
# A library path with ".." in it: the pack is still found beside the library's real directory.
out="$(LD_LIBRARY_PATH="$libdir/pkgconfig/.." "$tmp/pc_shared")"
echo "$out"
expect_prefix "$out"
readelf -d "$tmp/pc_shared" | grep -q 'NEEDED.*libjoinup.so.0' || { echo "FAIL: not linked with libjoinup.so.0" >&2; exit 1; }

# Static: the archive, then what `pkg-config --static` says it needs.
static_libs="$(pkg-config --static --libs joinup | sed -E 's/(^| )-ljoinup( |$)/ /')"
cc -std=c99 -Wall -Werror -pedantic $flags -o "$tmp/pc_static" "$here/consumer.c" $(pkg-config --cflags joinup) \
   "$libdir/libjoinup.a" $static_libs
if readelf -d "$tmp/pc_static" | grep -q 'NEEDED.*libjoinup'; then echo "FAIL: static consumer needs libjoinup.so" >&2; exit 1; fi
out="$("$tmp/pc_static")"
echo "$out"
grep -q "c consumer:" <<<"$out"
echo "ok"
