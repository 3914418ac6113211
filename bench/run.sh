#!/usr/bin/env bash
# flopcast's benchmark on the baseline scenario: flopcast (1 thread and all
# cores) against its numpy twin (bench/numpy_baseline.py) and three drawing-only
# limits (bench/limit.cpp: the old scalar-Boost one, the bit limit and the
# transform limit), with ns per sample by stage (flopcast_bench_stages);
# medians cross-checked, memory against sample count.
#   bench/run.sh            1e7 samples, 5 repetitions, scaling 1e5-1e8 (about 5 minutes on 2 cores)
#   bench/run.sh --quick    1e6 samples, 2 repetitions: CI's smoke test (under a minute)
#   bench/run.sh --record   also rewrites the measured section of docs/performance.md
# Exits 1 when a check fails (medians differ by more than 1 %, or memory grows
# with the sample count by more than 8 MiB).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
exec /usr/bin/python3 "$root/bench/bench.py" --flopcast "$root/build/flopcast" --docs "$root/docs/performance.md" "$@"
