#!/usr/bin/env bash
# Throughput and peak memory of flopcast on the baseline scenario.
#   bench/run.sh            1e7 samples, 5 repetitions (about a minute on 2 cores)
#   bench/run.sh --quick    1e6 samples, 2 repetitions: CI's smoke test
#   bench/run.sh --record   also rewrites the measured section of docs/performance.md
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
exec /usr/bin/python3 "$root/bench/bench.py" --flopcast "$root/build/flopcast" --docs "$root/docs/performance.md" "$@"
