#!/usr/bin/env bash
# Builds Emoscope and runs the whole test suite (README command b; .ci/run calls this), then, as root, the install
# test of the Debian package (packaging/package-test.sh).
# Installs missing Debian packages first. Build folder: $EMOSCOPE_BUILD_DIR (default build/).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${EMOSCOPE_BUILD_DIR:-$root/build}"
bash "$root/packaging/install-deps.sh"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release
cmake --build "$build" -j"$(nproc)"
ctest --test-dir "$build" --output-on-failure -j1 "$@"
# As root (CI): build the Debian package, install it, use it, remove it. EMOSCOPE_PACKAGE_TEST=0 skips this.
if [ "$(id -u)" -eq 0 ] && [ "${EMOSCOPE_PACKAGE_TEST:-1}" != 0 ]; then
  EMOSCOPE_BUILD_DIR="$build" bash "$root/packaging/package-test.sh"
fi
