#!/usr/bin/python3
"""Measures flopcast across MPI ranks and shards on this one machine, for
docs/cluster.md: throughput with 1..R ranks (one thread each), the time of the
gather-and-merge at rank 0 (printed by flopcast), the time of `flopcast merge`
for 2..S shards, and the size of one saved state.

    bench/cluster.py --mpi-flopcast build-mpi/flopcast --flopcast build/flopcast [--samples 1e7]
"""
import argparse
import os
import re
import subprocess
import tempfile
import time


def timed(cmd, env=None):
    t = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if p.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {p.stderr}")
    return time.perf_counter() - t, p.stdout


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mpi-flopcast", required=True)
    ap.add_argument("--flopcast", required=True)
    ap.add_argument("--samples", type=float, default=1e7)
    ap.add_argument("--max-ranks", type=int, default=4)
    ap.add_argument("--max-shards", type=int, default=32)
    args = ap.parse_args()
    n = int(args.samples)
    env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
               OMPI_MCA_rmaps_base_oversubscribe="1")
    with tempfile.TemporaryDirectory() as tmp:
        print(f"MPI ranks on one {os.cpu_count()}-core machine, {n:.0e} samples, 1 thread per rank "
              "(median of 3 runs):\n")
        print("| ranks | wall (s) | samples/s | gather + merge at rank 0 (s) |")
        print("| ---: | ---: | ---: | ---: |")
        for r in range(1, args.max_ranks + 1):
            walls, reduces = [], []
            for _ in range(3):
                cmd = ["mpirun", "-np", str(r), args.mpi_flopcast, "run", "-n", str(n), "-t", "1", "-o",
                       os.path.join(tmp, "m.h5")]
                wall, out = timed(cmd, env)
                m = re.search(r"reduction ([0-9.]+) s", out)
                walls.append(wall)
                reduces.append(float(m.group(1)) if m else float("nan"))
            walls.sort()
            reduces.sort()
            print(f"| {r} | {walls[1]:.2f} | {n / walls[1] / 1e6:.2f} M | "
                  f"{reduces[1]:.4f} |" if r > 1 else f"| 1 | {walls[1]:.2f} | {n / walls[1] / 1e6:.2f} M | - |")
        print()
        print(f"`flopcast merge` of S shard files ({1e6:.0e} samples in all; merge time only):\n")
        print("| shards | merge wall (s) | state bytes per shard |")
        print("| ---: | ---: | ---: |")
        s = 2
        while s <= args.max_shards:
            parts = []
            for i in range(s):
                p = os.path.join(tmp, f"s{s}-{i}.h5")
                timed([args.flopcast, "run", "-n", "1000000", "-q", "--shard", f"{i}/{s}", "-o", p])
                parts.append(p)
            wall, _ = timed([args.flopcast, "merge", *parts, "-q", "-o", os.path.join(tmp, f"merged{s}.h5")])
            import h5py
            with h5py.File(parts[0]) as f:
                size = f["state"].shape[0]
            print(f"| {s} | {wall:.3f} | {size:,} |")
            for p in parts:
                os.remove(p)
            s *= 2


if __name__ == "__main__":
    main()
