#!/usr/bin/env bash
# Builds Emoscope and runs the whole test suite (README command b; .ci/run calls this), then a short run of the fuzz
# targets (tests/fuzz/run.sh), then, as root, the install test of the Debian package (packaging/package-test.sh).
# Installs missing Debian packages first. Build folder: $EMOSCOPE_BUILD_DIR (default build/).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${EMOSCOPE_BUILD_DIR:-$root/build}"
bash "$root/packaging/install-deps.sh"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release
cmake --build "$build" -j"$(nproc)"
# Two tests at a time (the machine's 2 cores): about 330 s instead of 430 s; no test depends on another's timing.
ctest --test-dir "$build" --output-on-failure -j2 "$@"
# The three libFuzzer targets (tests/fuzz/README.md) built with clang, ASan and UBSan in their own folder, each run
# for a short time from generated seeds; a finding fails the run. EMOSCOPE_FUZZ_SECONDS=0 skips this.
fuzz_seconds="${EMOSCOPE_FUZZ_SECONDS:-20}"
if [ "$fuzz_seconds" != 0 ]; then
  EMOSCOPE_FUZZ_BUILD="${EMOSCOPE_FUZZ_BUILD:-$build-fuzz}" bash "$root/tests/fuzz/run.sh" "$fuzz_seconds"
fi
# As root (CI): build the Debian package, install it, use it, remove it. EMOSCOPE_PACKAGE_TEST=0 skips this.
if [ "$(id -u)" -eq 0 ] && [ "${EMOSCOPE_PACKAGE_TEST:-1}" != 0 ]; then
  EMOSCOPE_BUILD_DIR="$build" bash "$root/packaging/package-test.sh"
fi
