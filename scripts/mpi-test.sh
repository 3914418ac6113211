#!/usr/bin/env bash
# Builds flopcast with MPI in ./build-mpi and checks, with 2 and 3 ranks on
# this one machine (oversubscribed), that `mpirun flopcast run` and
# `mpirun flopcast sensitivity` (every method) write the bits of one
# process; that bad input stops every rank with exit code 2; and that a
# failing rank takes the job down instead of hanging.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
cmake -S . -B build-mpi -G Ninja -DCMAKE_BUILD_TYPE=Release -DFLOPCAST_MPI=ON -DFLOPCAST_BUILD_TESTS=OFF >/dev/null
cmake --build build-mpi --parallel "$(nproc)" --target flopcast
bin="$root/build-mpi/flopcast"
# Open MPI refuses root unless told; CI runs as root.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
check() { if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "mpi-test: FAILED: $*"; fi; }

"$bin" run -n 300001 --seed 11 -q -o "$tmp/one.h5"
for np in 2 3; do
  timeout 300 mpirun -np "$np" "$bin" run -n 300001 --seed 11 -t 1 -q -o "$tmp/np$np.h5"
  check /usr/bin/python3 scripts/h5same.py "$tmp/one.h5" "$tmp/np$np.h5"
done

# Dimensioned scenarios (issue 17) with a per-element --set. mpirun writes
# no kept samples, so chip-mix's `keep = true` outputs are not kept in the
# one-process run either.
dims_runs=("scenarios/examples/chip-mix.toml -n 50001 --set inputs.peak_flops.value.H100=1e15 --set outputs.total_compute.keep=false --set outputs.compute_by_chip.keep=false"
           "scenarios/frontier-2024-2030.toml -n 30001 --set inputs.datasheet_peak.value.H100=1e15")
for k in 0 1; do
  # shellcheck disable=SC2086
  "$bin" run ${dims_runs[$k]} -q -o "$tmp/dims$k-one.h5" >/dev/null
  for np in 2 3; do
    # shellcheck disable=SC2086
    timeout 300 mpirun -np "$np" "$bin" run ${dims_runs[$k]} -t 1 -q -o "$tmp/dims$k-np$np.h5" >/dev/null
    check /usr/bin/python3 scripts/h5same.py "$tmp/dims$k-one.h5" "$tmp/dims$k-np$np.h5"
  done
done

# keep = true outputs under mpirun: summarized, not kept, and said once.
timeout 300 mpirun -np 2 "$bin" run scenarios/examples/chip-mix.toml -n 20001 -t 1 -o "$tmp/keep.h5" >/dev/null 2>"$tmp/err"
check test "$(grep -c "under mpirun the samples of total_compute, compute_by_chip\[A100\], compute_by_chip\[H100\], compute_by_chip\[B200\] (keep = true) are not written" "$tmp/err")" -eq 1

# Sensitivity designs: every method, the bits of one process. Small designs
# spanning several blocks (sobol 5, morris 3, correlation 4, tornado 1, so
# some ranks get no design block), two outputs (yearly and scalar).
sens=(--output train_a100 --output train_cagr --seed 7 --summary-samples 5000 -q)
for method in "sobol -n 9000 --bootstrap 12" "morris -r 300" "tornado" "correlation -n 7000"; do
  name="${method%% *}"
  extra=("${sens[@]}")
  [ "$name" = correlation ] && extra=(--output train_a100 --output train_cagr --seed 7 -q)
  # shellcheck disable=SC2086
  "$bin" sensitivity --method $method "${extra[@]}" -o "$tmp/sens-$name-one.h5" >/dev/null
  for np in 2 3; do
    # shellcheck disable=SC2086
    timeout 300 mpirun -np "$np" "$bin" sensitivity --method $method "${extra[@]}" -t 1 -o "$tmp/sens-$name-np$np.h5" >/dev/null
    check /usr/bin/python3 scripts/h5same.py "$tmp/sens-$name-one.h5" "$tmp/sens-$name-np$np.h5"
  done
done
set +e
FLOPCAST_MPI_FAIL_RANK=2 timeout 120 mpirun -np 3 -x FLOPCAST_MPI_FAIL_RANK "$bin" sensitivity --method sobol -n 9000 -q -o "$tmp/sens-fail.h5" 2>"$tmp/err"
code=$?
set -e
check test "$code" -ne 0 -a "$code" -ne 124
check grep -q "rank 2: failure injected by FLOPCAST_MPI_FAIL_RANK; stopping every rank" "$tmp/err"
check test ! -e "$tmp/sens-fail.h5"
set +e
timeout 120 mpirun -np 2 "$bin" sensitivity --method sobol --output nope -q -o "$tmp/sens-bad.h5" 2>"$tmp/err"
code=$?
set -e
check test "$code" -eq 2
check test "$(grep -c "no output 'nope'" "$tmp/err")" -eq 1  # said once, by rank 0
check test ! -e "$tmp/sens-bad.h5"

# Bad input: every rank stops, exit code 2, no file, no hang.
set +e
timeout 120 mpirun -np 2 "$bin" run --set inputs.train_mfu.median=-1 -q -o "$tmp/bad.h5" 2>"$tmp/err"
code=$?
set -e
check test "$code" -eq 2
check grep -q "median (-1) must be positive" "$tmp/err"
check test ! -e "$tmp/bad.h5"

# A failing rank takes the job down with a message, well inside the timeout.
set +e
FLOPCAST_MPI_FAIL_RANK=1 timeout 120 mpirun -np 3 -x FLOPCAST_MPI_FAIL_RANK "$bin" run -n 300001 -q -o "$tmp/fail.h5" 2>"$tmp/err"
code=$?
set -e
check test "$code" -ne 0 -a "$code" -ne 124
check grep -q "failure injected by FLOPCAST_MPI_FAIL_RANK; stopping every rank" "$tmp/err"
check test ! -e "$tmp/fail.h5"

echo "mpi: $passed passed, $failed failed"
test "$failed" -eq 0
