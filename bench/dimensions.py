#!/usr/bin/env python3
"""A dimensioned formula costs what its elements written out by hand cost:
times `flopcast run` on a 3 x 3 (region x chip) scenario written with
[dimensions] and on the same model spelt out element by element, and on the
baseline scenario, alternating runs, one thread, and prints a markdown table
for docs/performance.md.

    bench/dimensions.py [--flopcast build/flopcast] [--samples 2e6] [--repeats 5] [--before OLD_FLOPCAST]
    bench/dimensions.py --callgrind [--samples 2e5] [--before OLD_FLOPCAST]

--callgrind counts the instructions of one run of each under valgrind's
callgrind instead of timing it: a figure that other processes on the machine
do not move, for when the cores are shared.
"""
import re
import argparse
import os
import statistics
import subprocess
import tempfile
import time

CHIPS = ["A100", "H100", "B200"]
REGIONS = ["us", "china", "rest"]
PEAK = {"A100": 312e12, "H100": 989e12, "B200": 2250e12}
MID = {"A100": 2020.0, "H100": 2025.0, "B200": 2027.5}
MEDIAN = {"us": 2.0e6, "china": 5e5, "rest": 4e5}
HEAD = """[scenario]
name = "{name}"
first_year = 2024
last_year = 2030
seed = 3
"""


def dimensioned():
    return HEAD.format(name="dims") + f"""
[dimensions]
chip = {CHIPS}
region = {REGIONS}

[inputs.peak]
over = ["chip"]
dist = "constant"
value = {{ {", ".join(f"{c} = {PEAK[c]}" for c in CHIPS)} }}

[inputs.util]
over = ["chip"]
dist = "uniform"
min = 0.3
max = 0.55

[inputs.mid]
over = ["chip"]
dist = "normal"
mean = {{ {", ".join(f"{c} = {MID[c]}" for c in CHIPS)} }}
sd = 0.5

[inputs.units]
over = ["region", "chip"]
dist = "lognormal"
median = {{ {", ".join(f"{r} = {MEDIAN[r]}" for r in REGIONS)} }}
p95 = {{ {", ".join(f"{r} = {MEDIAN[r] * 2.5}" for r in REGIONS)} }}

[formulas]
weight = "scurve(year, mid, 0.9)"
compute = "units * weight * peak * util"
by_region = "sum(compute, chip)"
total = "sum(by_region, region)"

[outputs.total]
[outputs.by_region]
"""


def spelt_out():
    s = HEAD.format(name="spelt")
    for c in CHIPS:
        s += f'[inputs.peak_{c}]\ndist = "constant"\nvalue = {PEAK[c]}\n'
        s += f'[inputs.util_{c}]\ndist = "uniform"\nmin = 0.3\nmax = 0.55\n'
        s += f'[inputs.mid_{c}]\ndist = "normal"\nmean = {MID[c]}\nsd = 0.5\n'
        for r in REGIONS:
            s += f'[inputs.units_{r}_{c}]\ndist = "lognormal"\nmedian = {MEDIAN[r]}\np95 = {MEDIAN[r] * 2.5}\n'
    s += "[formulas]\n"
    for c in CHIPS:
        s += f'weight_{c} = "scurve(year, mid_{c}, 0.9)"\n'
        for r in REGIONS:
            s += f'compute_{c}_{r} = "units_{r}_{c} * weight_{c} * peak_{c} * util_{c}"\n'
    for r in REGIONS:
        s += f'by_region_{r} = "(compute_A100_{r} + compute_H100_{r}) + compute_B200_{r}"\n'
    s += 'total = "(by_region_us + by_region_china) + by_region_rest"\n'
    s += "[outputs.total]\n" + "".join(f"[outputs.by_region_{r}]\n" for r in REGIONS)
    return s


def instructions(binary, path, samples, d):
    """Instructions one single-threaded run executes, all of the process."""
    out = os.path.join(d, "out.h5")
    if os.path.exists(out):
        os.remove(out)
    p = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", binary, "run", path,
                        "-n", samples, "-t", "1", "-q", "-o", out], capture_output=True, text=True, check=True)
    return int(re.search(r"Collected : (\d+)", p.stderr).group(1))


def print_instructions(runs, samples, d):
    # At N and 2N samples: the difference is the per-sample cost (draws,
    # formulas, sketches), apart from the fixed cost of parsing the
    # scenario and writing the file (the dimensioned file has its stacked
    # arrays and scales besides).
    n = int(float(samples))
    counts = {k: (instructions(binary, path, str(n), d), instructions(binary, path, str(2 * n), d))
              for k, binary, path in runs}
    print(f"| scenario (1 thread, callgrind) | instructions at {n:.0e} samples (1e9) | per sample, (I(2N) - I(N)) / N "
          f"| fixed, 2 I(N) - I(2N) (1e6) |")
    print("| --- | ---: | ---: | ---: |")
    for k, (one, two) in counts.items():
        print(f"| {k} | {one / 1e9:.3f} | {(two - one) / n:,.0f} | {(2 * one - two) / 1e6:.0f} |")
    per = {k: (two - one) / n for k, (one, two) in counts.items()}
    print(f"\ndimensioned / spelt out, per sample: {per['3 x 3 with [dimensions]'] / per['3 x 3 spelt out by hand']:.3f}")
    if len(runs) > 3:
        print(f"baseline, this build / the build before, per sample: "
              f"{per['baseline (csc-2023-baseline)'] / per['baseline, the build before (--before)']:.3f}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--flopcast", default="build/flopcast")
    ap.add_argument("--samples", default="2e6")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--before", help="a flopcast built before this change: also times the baseline with it")
    ap.add_argument("--callgrind", action="store_true", help="count instructions (valgrind) instead of timing")
    a = ap.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    with tempfile.TemporaryDirectory() as d:
        files = {"3 x 3 with [dimensions]": os.path.join(d, "dims.toml"),
                 "3 x 3 spelt out by hand": os.path.join(d, "spelt.toml"),
                 "baseline (csc-2023-baseline)": os.path.join(root, "scenarios", "csc-2023-baseline.toml")}
        with open(files["3 x 3 with [dimensions]"], "w") as f:
            f.write(dimensioned())
        with open(files["3 x 3 spelt out by hand"], "w") as f:
            f.write(spelt_out())
        runs = [(k, a.flopcast, p) for k, p in files.items()]
        if a.before:
            runs.append(("baseline, the build before (--before)", a.before, files["baseline (csc-2023-baseline)"]))
        if a.callgrind:
            return print_instructions(runs, a.samples, d)
        times = {k: [] for k, _, _ in runs}
        for _ in range(a.repeats):
            for k, binary, path in runs:
                out = os.path.join(d, "out.h5")
                if os.path.exists(out):
                    os.remove(out)
                t0 = time.perf_counter()
                subprocess.run([binary, "run", path, "-n", a.samples, "-t", "1", "-q", "-o", out], check=True,
                               stdout=subprocess.DEVNULL)
                times[k].append(time.perf_counter() - t0)
    print(f"| scenario ({a.samples} samples, 1 thread, {a.repeats} alternating runs) | median wall (s) | spread (s) |")
    print("| --- | ---: | ---: |")
    for k, v in times.items():
        print(f"| {k} | {statistics.median(v):.3f} | {min(v):.3f}-{max(v):.3f} |")
    ratio = statistics.median(times["3 x 3 with [dimensions]"]) / statistics.median(times["3 x 3 spelt out by hand"])
    print(f"\ndimensioned / spelt out: {ratio:.3f}")


if __name__ == "__main__":
    main()
