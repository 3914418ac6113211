#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) in ./build-fuzz and
# runs each for FUZZ_SECONDS (default 60), seeded with the hostile-input
# corpus and the shipped scenarios. A crash leaves its input in
# build-fuzz/crashes/ and fails the script; turn it into a case in
# tests/bad_inputs/.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${FUZZ_SECONDS:-60}"
cd "$root"
# -mavx2: clang refuses the AVX2 Philox kernel's inlined 256-bit helpers in a
# function without the AVX target ("changes the ABI"; GCC accepts them). The
# fuzzers exercise parsing and checks, not the draws' bits, so the whole
# fuzz build may assume AVX2.
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS=-mavx2 -DFLOPCAST_FUZZ=ON -DFLOPCAST_BUILD_TESTS=OFF >/dev/null
cmake --build build-fuzz --parallel "$(nproc)" --target fuzz_formula fuzz_scenario
mkdir -p build-fuzz/crashes build-fuzz/corpus-scenario build-fuzz/corpus-formula
cp tests/bad_inputs/*.toml scenarios/*.toml build-fuzz/corpus-scenario/
# Formula seeds: the formulas of the shipped scenarios, one per file.
grep -h '^[a-z_0-9]* = "' scenarios/*.toml | sed 's/^[^"]*"\(.*\)"$/\1/' | nl -nln | \
  while read -r n f; do printf '%s' "$f" > "build-fuzz/corpus-formula/seed-$n"; done
export ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
for target in formula scenario; do
  echo "fuzz: $target for ${seconds}s"
  build-fuzz/tests/fuzz/fuzz_$target -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
    -max_len=65536 -artifact_prefix=build-fuzz/crashes/$target- build-fuzz/corpus-$target 2>&1 | tail -n 3
done
echo "fuzz: no crash"
