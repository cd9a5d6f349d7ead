#!/usr/bin/env bash
# Installs the Debian packages the build needs (only those missing), then configures and builds.
# Usage: scripts/bootstrap.sh [--all] [BUILD_DIR]   (default: build)
# Without --all the `joinup` command and both libraries are built: what a first run and
# `cmake --install BUILD_DIR --prefix PREFIX` need; with --all, the tests and everything else too.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target=(--target joinup_cli joinup joinup_c)
if [ "${1:-}" = "--all" ]; then
  target=()
  shift
fi
build="${1:-$here/build}"

packages=(g++ cmake make pkg-config libboost-dev libyaml-cpp-dev librange-v3-dev catch2 libre2-dev python3-jsonschema python3-yaml
          libbenchmark-dev libsimdjson-dev valgrind
          python3-pytest python3-setuptools python3-venv python3-pip python3-wheel-whl python3-dask python3-distributed)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "joinup: installing ${missing[*]}" >&2
  if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# With --all: the npm packages of the tests that drive `joinup lsp` with a protocol client
# (tests/lsp/package-lock.json), and node and npm from Debian to install and run them.
if [ ${#target[@]} -eq 0 ]; then
  if ! command -v npm >/dev/null; then
    echo "joinup: installing nodejs npm" >&2
    if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
  fi
  npm ci --prefix "$here/tests/lsp" --no-audit --no-fund --loglevel=error >/dev/null
fi

# shellcheck disable=SC2086
cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo ${JOINUP_CMAKE_ARGS:-} >/dev/null
cmake --build "$build" -j"$(nproc)" "${target[@]}"
