#!/usr/bin/python3
"""What conditioning costs: the baseline against the baseline with the three
observations of docs/backtest/observed-2024-2025.toml, same samples,
seed and threads, runs interleaved (so a busy machine slows all alike);
prints the median wall times and their ratios. That file also adds an
output (the one an observation is of), so a third run has that output and
no observations: the cost of conditioning itself is the last against it.

    bench/conditioning.py build/flopcast [--samples 4e6] [--reps 7] [--threads 2]
"""
import argparse
import os
import re
import statistics
import subprocess
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def wall(flopcast, scenario, samples, threads, out):
    p = subprocess.run([flopcast, "run", scenario, "-q", "-n", str(int(samples)), "-t", str(threads), "-o", out],
                       capture_output=True, text=True, check=True)
    return float(re.search(r"thread\(s\), ([0-9.]+) s", p.stdout).group(1))


def without_observations(text):
    """The TOML text without its [observations.*] tables."""
    out, skipping = [], False
    for line in text.splitlines(keepends=True):
        head = line.strip()
        if head.startswith("["):
            skipping = head.startswith("[observations.") or head == "[observations]"
        if not skipping:
            out.append(line)
    return "".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("flopcast")
    ap.add_argument("--samples", type=float, default=4e6)
    ap.add_argument("--reps", type=int, default=7)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    base = os.path.join(ROOT, "scenarios", "csc-2023-baseline.toml")
    with tempfile.TemporaryDirectory() as tmp:
        observed = os.path.join(tmp, "observed.toml")
        with open(observed, "w") as f:
            for part in (base, os.path.join(ROOT, "docs", "backtest", "observed-2024-2025.toml")):
                f.write(open(part, encoding="utf-8").read())
        outputs_only = os.path.join(tmp, "outputs.toml")
        with open(outputs_only, "w") as f:
            f.write(without_observations(open(observed, encoding="utf-8").read()))
        out = os.path.join(tmp, "r.h5")
        wall(a.flopcast, base, a.samples, a.threads, out)  # warm-up
        prior, same, post = [], [], []
        for _ in range(a.reps):
            prior.append(wall(a.flopcast, base, a.samples, a.threads, out))
            same.append(wall(a.flopcast, outputs_only, a.samples, a.threads, out))
            post.append(wall(a.flopcast, observed, a.samples, a.threads, out))
    p, o, q = statistics.median(prior), statistics.median(same), statistics.median(post)
    print(f"{a.samples:.0e} samples, {a.threads} thread(s), {a.reps} interleaved runs each")
    print(f"baseline                  median {p:.3f} s  ({a.samples / p / 1e6:.2f} M samples/s)")
    print(f"+ the observed output     median {o:.3f} s  ({a.samples / o / 1e6:.2f} M samples/s)")
    print(f"with three observations   median {q:.3f} s  ({a.samples / q / 1e6:.2f} M samples/s)")
    print(f"against the baseline: +{100 * (q / p - 1):.0f} %; conditioning itself (same outputs): +{100 * (q / o - 1):.0f} %")


if __name__ == "__main__":
    main()
