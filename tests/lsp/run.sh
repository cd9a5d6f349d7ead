#!/usr/bin/env bash
# Runs the protocol tests of `joinup lsp` (tests/lsp/*.test.js) with node's test runner.
# Usage: tests/lsp/run.sh JOINUP_BINARY. Fails (never skips) without node or the npm packages:
# scripts/bootstrap.sh --all installs them (npm ci --prefix tests/lsp).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if ! command -v node >/dev/null; then
  echo "lsp tests: node is not installed (Debian: apt-get install nodejs npm; or run scripts/bootstrap.sh --all)" >&2
  exit 1
fi
if [ ! -d "$here/node_modules/vscode-languageserver-protocol" ]; then
  echo "lsp tests: the npm packages are not installed: run 'npm ci --prefix tests/lsp' (scripts/bootstrap.sh --all does)" >&2
  exit 1
fi
JOINUP="$1" JOINUP_SOURCE_DIR="$(cd "$here/../.." && pwd)" exec node --test "$here"/
