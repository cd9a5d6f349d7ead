#!/usr/bin/env bash
# Installs the Debian packages the build needs (only those missing), then configures and builds.
# Usage: scripts/bootstrap.sh [--all] [BUILD_DIR]   (default: build)
# Without --all the `joinup` command and both libraries are built: what a first run and
# `cmake --install BUILD_DIR --prefix PREFIX` need; with --all, the tests and everything else too,
# and the npm packages the editor tooling's tests need (editors/*/ and tests/*/ package-lock.json).
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

# With --all: Node.js and npm (Debian's, when there are none), and the npm packages of the editor
# tooling and its tests, each folder's exactly as its package-lock.json says (`npm ci`). A folder
# is installed again only when its lock file changed since the last install.
if ((${#target[@]} == 0)); then
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "joinup: installing nodejs npm (for the editor tooling's tests)" >&2
    if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
  fi
  for lock in "$here"/editors/*/package-lock.json "$here"/tests/*/package-lock.json; do
    [ -f "$lock" ] || continue
    dir="$(dirname "$lock")"
    stamp="$dir/node_modules/.joinup-installed"
    sum="$(sha256sum "$lock" | cut -d' ' -f1)"
    [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ] && continue
    echo "joinup: npm ci in ${dir#"$here"/}" >&2
    (cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
    echo "$sum" >"$stamp"
  done
fi

# shellcheck disable=SC2086
cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo ${JOINUP_CMAKE_ARGS:-} >/dev/null
cmake --build "$build" -j"$(nproc)" "${target[@]}"
