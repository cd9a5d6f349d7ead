#!/usr/bin/env bash
# libjoinup.so exports exactly the functions joinup.h declares (nothing of C++, its standard
# library, yaml-cpp or RE2), all as functions, and its SONAME follows JOINUP_ABI_VERSION.
# Usage: symbols.sh LIBJOINUP_SO JOINUP_H
set -euo pipefail
lib="$1" header="$2"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
nm -D --defined-only "$lib" > "$tmp/nm"
awk '{print $NF}' "$tmp/nm" | sort > "$tmp/exported"
grep -oE '^JOINUP_API [^(]*\(' "$header" | sed -E 's/.*[ *]([A-Za-z_0-9]+)\($/\1/' | sort > "$tmp/declared"
status=0
if ! diff -u "$tmp/declared" "$tmp/exported"; then
  echo "FAIL: the exported symbols (+) differ from the functions joinup.h declares (-)" >&2
  status=1
fi
if awk '$2 != "T" {bad=1} END {exit !bad}' "$tmp/nm"; then
  echo "FAIL: exported symbols that are not functions:" >&2
  awk '$2 != "T"' "$tmp/nm" >&2
  status=1
fi
abi="$(sed -nE 's/^#define JOINUP_ABI_VERSION ([0-9]+).*/\1/p' "$header")"
soname="$(readelf -d "$lib" | sed -nE 's/.*\(SONAME\).*\[(.*)\].*/\1/p')"
if [ "$soname" != "libjoinup.so.$abi" ]; then
  echo "FAIL: SONAME is '$soname', expected libjoinup.so.$abi" >&2
  status=1
fi
[ $status = 0 ] && echo "ok: $(wc -l < "$tmp/exported") symbols exported, all declared in joinup.h; SONAME $soname"
exit $status
