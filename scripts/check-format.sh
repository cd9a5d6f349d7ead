#!/usr/bin/env bash
# Lists the C and C++ files that do not follow .clang-format, and exits 1 if there are any.
# Usage: scripts/check-format.sh [--fix] [FILE...]; without files, every tracked source file.
# --fix formats the files in place instead. CLANG_FORMAT names the program (clang-format 14:
# other versions lay some constructs out differently).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
clang_format="${CLANG_FORMAT:-clang-format}"
fix=0
if [ "${1:-}" = "--fix" ]; then fix=1; shift; fi
if ! command -v "$clang_format" >/dev/null; then
  echo "check-format: $clang_format not found (Debian: apt-get install clang-format)" >&2
  exit 2
fi
if [ $# -gt 0 ]; then
  files=("$@")
else
  mapfile -t files < <(git ls-files -- 'src/*' 'include/*' 'tests/*' 'bench/*' 'fuzz/*' 'bindings/*' 'examples/*' |
                       grep -E '\.(c|h|cpp|hpp)$')
fi
if [ "$fix" = 1 ]; then
  "$clang_format" -i --style=file "${files[@]}"
  exit 0
fi
bad=0
lines=0
for f in "${files[@]}"; do
  n=$("$clang_format" --style=file "$f" | diff "$f" - | grep -c '^[<>]' || true)
  if [ "$n" -gt 0 ]; then
    echo "$f: $n lines of difference"
    bad=$((bad + 1))
    lines=$((lines + n))
  fi
done
if [ "$bad" -gt 0 ]; then
  if [ "$bad" = 1 ]; then verb=is; else verb=are; fi
  echo "check-format: $bad of ${#files[@]} files $verb not formatted ($lines lines of difference, removed and added);" \
       "see the changes with '$clang_format --dry-run FILE', apply them with scripts/check-format.sh --fix" >&2
  exit 1
fi
if [ "${#files[@]}" = 1 ]; then echo "check-format: 1 file formatted"; else echo "check-format: ${#files[@]} files formatted"; fi
