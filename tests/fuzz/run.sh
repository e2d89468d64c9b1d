#!/usr/bin/env bash
# Builds the fuzz targets with clang (ASan + UBSan + libFuzzer) in build-fuzz/, writes the seed corpora, and runs
# each target for the given seconds (default 60). Findings (crash-*, leak-*, timeout-*, oom-*) land in
# build-fuzz/findings/<target>/; the grown corpora in build-fuzz/corpus/<target>/. Exit status 1 on any finding.
#   tests/fuzz/run.sh [seconds] [target...]
set -euo pipefail
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(fuzz_decode_logmel fuzz_model_load fuzz_checkpoint_load)
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${EMOSCOPE_FUZZ_BUILD:-$src/build-fuzz}
jobs=${EMOSCOPE_FUZZ_JOBS:-2}

if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
    -DEMOSCOPE_FUZZ=ON -DEMOSCOPE_BUILD_GUI=OFF -DEMOSCOPE_BUILD_TESTS=OFF -DEMOSCOPE_BUILD_BENCH=OFF \
    ${CMAKE_CXX_COMPILER_LAUNCHER:+-DCMAKE_CXX_COMPILER_LAUNCHER=$CMAKE_CXX_COMPILER_LAUNCHER}
fi
nice -n 10 cmake --build "$build" -j"$jobs" --target fuzz_make_seeds "${targets[@]}"

# Seeds are generated, not checked in (no audio from the data corpora; a model seed must match today's format).
seeds=$build/seeds
ASAN_OPTIONS=detect_leaks=0 "$build/tests/fuzz/fuzz_make_seeds" "$seeds" >/dev/null

# Leaks of libtorch's and libsndfile's process-wide singletons are not findings; tests/lsan.supp lists them.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$src/tests/lsan.supp:print_suppressions=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
status=0
for t in "${targets[@]}"; do
  case $t in
    fuzz_decode_logmel) seed=$seeds/decode ;;
    fuzz_model_load) seed=$seeds/model ;;
    fuzz_checkpoint_load) seed=$seeds/checkpoint ;;
    *) echo "unknown target $t" >&2; exit 2 ;;
  esac
  corpus=$build/corpus/$t
  findings=$build/findings/$t
  mkdir -p "$corpus" "$findings"
  echo "== $t for ${seconds}s"
  # One process, 2 GB RSS cap, 10 s per input; inputs up to 64 KB (the seeds are 1-20 KB).
  if ! "$build/tests/fuzz/$t" "$corpus" "$seed" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
       -max_len=65536 -artifact_prefix="$findings/" -print_final_stats=1 2>"$build/$t.log"; then
    status=1
    echo "   FINDING: see $findings and $build/$t.log"
  fi
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb|Done [0-9]+ runs" "$build/$t.log" | sed 's/^/   /' || true
done
exit $status
