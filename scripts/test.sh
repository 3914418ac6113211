#!/usr/bin/env bash
# The README's second command: install what is needed, build, and run every
# test (C++ unit tests, command-line tests, HDF5 read-back from Python).
# QUICK=1 (set by CI) keeps heavy statistical and benchmark runs short.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
# The benchmark's quick mode runs once as a smoke test: figures printed, nothing asserted.
"$root/bench/run.sh" --quick
cd "$root/build"
ctest --output-on-failure --parallel "$(nproc)" --timeout 1200
