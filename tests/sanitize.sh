#!/usr/bin/env bash
# The whole test suite built with AddressSanitizer + UndefinedBehaviorSanitizer (leak checks on), then ctest.
# Too slow for CI on 2 cores (the instrumented build takes about 30 minutes, the 68 tests about 20 more), so it is
# run by hand:
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
# Sanitized binaries are 2-5x slower: tests/CMakeLists.txt gives each Qt Test 3600 s in this build (900 s otherwise),
# and a test function gets 30 minutes instead of Qt Test's default 5 (the 2-hour timeline of test_long_file).
# Tests that bound RSS log it but do not compare it here (tests/support/Sanitizers.h: ASan's shadow and quarantine).
export QTEST_FUNCTION_TIMEOUT=1800000
ctest --test-dir "$build" -j1 --output-on-failure --timeout 3600 ${1:+-R "$1"}
