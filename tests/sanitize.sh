#!/usr/bin/env bash
# The whole test suite built with AddressSanitizer + UndefinedBehaviorSanitizer (leak checks on), then ctest.
# Too slow for CI on 2 cores (a full instrumented build plus a slower test run), so it is run by hand:
#   tests/sanitize.sh [ctest -R regex]
# Build folder: build-asan/ (EMOSCOPE_ASAN_BUILD overrides). Uses gcc like the default build; suppressions for
# third-party leaks are in tests/lsan.supp (each one justified there).
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=${EMOSCOPE_ASAN_BUILD:-$src/build-asan}
jobs=${EMOSCOPE_ASAN_JOBS:-2}
flags="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined -g -O1"
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" \
    -DCMAKE_SHARED_LINKER_FLAGS="-fsanitize=address,undefined" \
    -DCMAKE_MODULE_LINKER_FLAGS="-fsanitize=address,undefined" -DEMOSCOPE_BUILD_BENCH=OFF \
    ${CMAKE_CXX_COMPILER_LAUNCHER:+-DCMAKE_CXX_COMPILER_LAUNCHER=$CMAKE_CXX_COMPILER_LAUNCHER}
fi
nice -n 10 cmake --build "$build" -j"$jobs"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:detect_stack_use_after_return=0:allocator_may_return_null=1
export LSAN_OPTIONS=suppressions=$src/tests/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# Sanitized binaries are 2-5x slower. --timeout only applies to tests without a TIMEOUT property; the suite's
# tests set their own (300/900 s in tests/CMakeLists.txt), so a slow sanitized test can still time out there.
ctest --test-dir "$build" -j1 --output-on-failure --timeout 3600 ${1:+-R "$1"}
