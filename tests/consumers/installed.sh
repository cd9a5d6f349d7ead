#!/usr/bin/env bash
# Installs the build into a temporary prefix, then builds outside programs against it: C and C++
# with find_package(joinup), C with pkg-config (shared, and static with `pkg-config --static`),
# and Python: the installed package, and the package pip installs into a virtual environment
# with no index. The install is relocated (not the configured prefix), so this also checks that
# the package files, the rpaths and the standard pack lookup find the prefix from where they are.
# The programs run with no environment variables beyond PATH and HOME (`clean`).
# Usage: installed.sh BUILD_DIR CONSUMERS_DIR [EXTRA_FLAGS]
set -euo pipefail
build="$1" here="$(cd "$2" && pwd)" flags="${3:-}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
prefix="$tmp/prefix"
unset JOINUP_RULES JOINUP_LIBRARY
clean() { env -i PATH=/usr/bin:/bin HOME="$tmp" "$@"; }
cmake --install "$build" --prefix "$prefix" > "$tmp/install.log"
for f in include/joinup.h include/joinup/joinup.hpp bin/joinup share/joinup/rules/integration/workforce.jup; do
  [ -e "$prefix/$f" ] || { echo "FAIL: $f not installed" >&2; exit 1; }
done
libdir="$(cd "$(dirname "$(find "$prefix" -name joinup.pc)")/.." && pwd)"
for f in libjoinup.a libjoinup.so libjoinup.so.0 pkgconfig/joinup.pc cmake/joinup/joinupConfig.cmake \
         cmake/joinup/joinupConfigVersion.cmake cmake/joinup/joinupTargets.cmake; do
  [ -e "$libdir/$f" ] || { echo "FAIL: lib/$f not installed" >&2; exit 1; }
done
clean "$prefix/bin/joinup" --version

echo "== the installed pack finds the schema it declares"
[ -e "$prefix/share/joinup/schemas/partnership.schema.json" ] || { echo "FAIL: the pack's schema not installed" >&2; exit 1; }
# Type-checked against the declared schema (relative to each rule file): clean, and a broken
# relative path would be an error (exit 2).
clean "$prefix/bin/joinup" lint "$prefix/share/joinup/rules/integration" ||
  { echo "FAIL: joinup lint of the installed pack did not pass" >&2; exit 1; }

expect_prefix() {  # the program's output names the pack of the temporary prefix
  grep -q "first from $prefix/share/joinup/rules/" <<<"$1" || { echo "FAIL: pack not found in the prefix: $1" >&2; exit 1; }
}

echo "== find_package"
cmake -S "$here/package" -B "$tmp/package" -DCMAKE_PREFIX_PATH="$prefix" \
      -DCMAKE_C_FLAGS="$flags" -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="$flags" > "$tmp/configure.log"
cmake --build "$tmp/package" -j2 > "$tmp/build.log" || { cat "$tmp/build.log"; exit 1; }
out="$(clean "$tmp/package/c_consumer")"
echo "$out"
expect_prefix "$out"
clean "$tmp/package/cpp_consumer"
clean "$tmp/package/cpp_consumer" | grep -q "0 rules failed, 1 passed"

echo "== pkg-config"
export PKG_CONFIG_PATH="$libdir/pkgconfig"
pkg-config --modversion joinup
cc -std=c99 -Wall -Werror -pedantic $flags -o "$tmp/pc_shared" "$here/consumer.c" $(pkg-config --cflags --libs joinup)
# joinup.pc's rpath: the program finds the library in the prefix by itself.
out="$(clean "$tmp/pc_shared")"
echo "$out"
expect_prefix "$out"
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
out="$(clean "$tmp/pc_static")"
echo "$out"
grep -q "c consumer:" <<<"$out"

# Python, with Debian's interpreter (the one that has venv and pip). A sanitized library cannot be
# loaded into an uninstrumented interpreter without LD_PRELOAD, which is what this part must do
# without: it runs in the plain build only.
if [ -z "$flags" ]; then
  expect_library() {  # the program loaded the library of the temporary prefix
    grep -q "from $libdir/libjoinup.so.0," <<<"$1" || { echo "FAIL: not the prefix's library: $1" >&2; exit 1; }
  }
  echo "== python: the installed package"
  pydir="$libdir/python3/dist-packages"
  [ -e "$pydir/joinup/py.typed" ] || { echo "FAIL: lib/python3/dist-packages/joinup not installed" >&2; exit 1; }
  out="$(cd "$tmp" && clean /usr/bin/python3 -c "import sys; sys.path.insert(0, '$pydir'); exec(open('$here/consumer.py').read())")"
  echo "$out"
  expect_prefix "$out"
  expect_library "$out"
  echo "== python: pip install --no-index into a virtual environment"
  clean /usr/bin/python3 -m venv "$tmp/venv"
  clean "$tmp/venv/bin/pip" install -q --no-index --find-links /usr/share/python-wheels "$prefix/share/joinup/python" \
    > "$tmp/pip.log" 2>&1 || { cat "$tmp/pip.log"; exit 1; }
  out="$(cd "$tmp" && clean "$tmp/venv/bin/python" "$here/consumer.py")"
  echo "$out"
  expect_prefix "$out"
  expect_library "$out"
  # Moved after installing: the package installed beside the library still finds it.
  mv "$prefix" "$tmp/moved"
  out="$(cd "$tmp" && clean /usr/bin/python3 -c "import sys; sys.path.insert(0, '$tmp/moved/${pydir#$prefix/}'); import joinup; print(joinup._lib._name)")"
  grep -q "^$tmp/moved/" <<<"$out" || { echo "FAIL: the moved package did not find the moved library: $out" >&2; exit 1; }
  mv "$tmp/moved" "$prefix"
fi
echo "ok"
