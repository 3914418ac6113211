#!/usr/bin/env bash
# The README's second command: install what is needed, build, and run every
# test: C++ unit tests, command-line and plotting tests, the hostile-input
# corpus, the MPI build with 2 and 3 ranks, the benchmark's quick mode (a
# smoke test: figures printed, no timing asserted; it fails only if flopcast's
# medians and the numpy twin's disagree by over 1 % or memory grows with the
# sample count), the suite under sanitizers and the fuzzers
# (scripts/sanitize.sh; SANITIZERS=0 skips them for a quick local run).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh" --test
"$root/scripts/build.sh"
"$root/bench/run.sh" --quick
"$root/scripts/mpi-test.sh"
if [ "${SANITIZERS:-1}" != 0 ]; then
  "$root/scripts/sanitize.sh"
fi
cd "$root/build"
ctest --output-on-failure --parallel "$(nproc)" --timeout 1200
