#!/usr/bin/env bash
# The test suite under sanitizers, and the fuzzers:
#   1. every test (C++ and command line) built with AddressSanitizer and
#      UndefinedBehaviorSanitizer, in ./build-asan;
#   2. the parallel engine's tests with ThreadSanitizer, in ./build-tsan (no
#      suppressions: under TSan the engine runs on std::threads, see
#      engine/run/parallel_blocks.hpp), but for the statistical test of
#      precision stopping: 200 precision runs of up to a few million samples,
#      minutes under TSan, on the same code paths the other precision tests
#      run under TSan (threads, checks, stops); its statistics are checked in
#      the release and ASan runs;
#   3. scripts/fuzz.sh: each libFuzzer target for FUZZ_SECONDS (default 60).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
jobs="$(nproc)"

echo "sanitize: AddressSanitizer + UndefinedBehaviorSanitizer, whole suite"
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFLOPCAST_SANITIZE=address,undefined >/dev/null
cmake --build build-asan --parallel "$jobs"
(cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --output-on-failure --parallel "$jobs" --timeout 1200)

echo "sanitize: ThreadSanitizer, engine tests"
cmake -S . -B build-tsan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFLOPCAST_SANITIZE=thread >/dev/null
cmake --build build-tsan --parallel "$jobs" --target test_engine test_stats
(cd build-tsan && TSAN_OPTIONS="halt_on_error=1" \
  ctest --output-on-failure --parallel "$jobs" --timeout 1200 -R '^test_(engine|stats):' \
    -E 'the targets hold at their confidence')

"$root/scripts/fuzz.sh"
