#!/usr/bin/python3
"""How much Latin hypercube and Sobol sampling shrink the error of a median and
a 95th percentile on the baseline, against plain Monte Carlo, at the same
sample count.

The error of each design is measured directly: the same scenario is run with
many seeds, and the standard deviation of the estimate across seeds is its
standard error. Usage:

    bench/designs.py --flopcast build/flopcast [--samples 100000] [--seeds 30]
"""
import argparse
import os
import statistics
import subprocess
import tempfile

import h5py

TARGETS = [("train_a100", 2023), ("train_a100", 2027), ("total_a100", 2027), ("train_cagr", None),
           ("infer_cagr", None)]
LEVELS = {"median": 0.5, "p95": 0.95}


def estimates(flopcast, design, seed, samples, out):
    subprocess.run([flopcast, "run", "-q", "-n", str(samples), "--seed", str(seed), "-o", out,
                    "--set", f"scenario.sampling={design}"], check=True, stdout=subprocess.DEVNULL)
    with h5py.File(out) as f:
        years = list(f["years"][()])
        levels = list(f["quantile_levels"][()])
        result = {}
        for output, year in TARGETS:
            q = f[f"summary/{output}/quantiles"][()]
            for name, p in LEVELS.items():
                row = q[levels.index(p)]
                result[(output, year, name)] = float(row[years.index(year)] if year else row)
        return result


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--flopcast", required=True)
    ap.add_argument("--samples", type=int, default=100000)
    ap.add_argument("--seeds", type=int, default=30)
    args = ap.parse_args()
    designs = ["mc", "lhs", "sobol"]
    spread = {}
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "d.h5")
        for d in designs:
            runs = [estimates(args.flopcast, d, 1000 + s, args.samples, out) for s in range(args.seeds)]
            for key in runs[0]:
                values = [r[key] for r in runs]
                spread[(d, key)] = (statistics.stdev(values) / statistics.mean(values), statistics.mean(values))
    print(f"Relative standard error (std across {args.seeds} seeds / mean) at {args.samples:,} samples; "
          "ratio to plain Monte Carlo in brackets.\n")
    print("| output | year | statistic | mc | lhs | sobol |")
    print("| --- | --- | --- | ---: | ---: | ---: |")
    for output, year in TARGETS:
        for name in LEVELS:
            key = (output, year, name)
            mc = spread[("mc", key)][0]
            cells = [f"{100 * mc:.3f} %"]
            for d in designs[1:]:
                e = spread[(d, key)][0]
                cells.append(f"{100 * e:.3f} % ({e / mc:.2f})")
            print(f"| {output} | {year or '-'} | {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
