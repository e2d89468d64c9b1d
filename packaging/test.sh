#!/usr/bin/env bash
# Builds Emoscope and runs the whole test suite (README command b; .ci/run calls this).
# Installs missing Debian packages first. Build folder: $EMOSCOPE_BUILD_DIR (default build/).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${EMOSCOPE_BUILD_DIR:-$root/build}"
bash "$root/packaging/install-deps.sh"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release
cmake --build "$build" -j"$(nproc)"
ctest --test-dir "$build" --output-on-failure -j1 "$@"
