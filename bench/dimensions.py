#!/usr/bin/env python3
"""A dimensioned formula costs what its elements written out by hand cost:
times `flopcast run` on a 3 x 3 (region x chip) scenario written with
[dimensions] and on the same model spelt out element by element, and on the
baseline scenario, alternating runs, one thread, and prints a markdown table
for docs/performance.md.

    bench/dimensions.py [--flopcast build/flopcast] [--samples 2e6] [--repeats 5] [--before OLD_FLOPCAST]
"""
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--flopcast", default="build/flopcast")
    ap.add_argument("--samples", default="2e6")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--before", help="a flopcast built before this change: also times the baseline with it")
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
