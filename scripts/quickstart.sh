#!/usr/bin/env bash
# The README's first command: install what is needed, build, and run the main
# job on the built-in baseline scenario. The result is ./csc-2023-baseline.h5.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
"$root/build/flopcast" run "$@"
