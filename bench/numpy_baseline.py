#!/usr/bin/python3
"""The numpy twin of flopcast on the baseline scenario: what an analyst would
otherwise write, timed against flopcast by bench/bench.py.

    /usr/bin/python3 bench/numpy_baseline.py [scenario.toml] [--samples N] [--seed S]

Parameters come from the scenario file itself (tomllib), so the twin and
flopcast share one source of truth: every input's distribution (lognormal
given by median/p5/p95 or the other forms below, optional clip, constants),
the years, the seed and the default sample count. The formulas are written by
hand in numpy below; the script refuses to run if the scenario's [formulas]
table differs from the text they were written from (FORMULAS), so a changed
scenario cannot silently diverge from its twin.

How it works, as a competent analyst would write it: one Generator(PCG64)
seeded with the scenario's seed; chunks of 1e6 samples; every input drawn
into a reused float64 buffer (standard normal, scaled, exp in place, clipped
with np.minimum/np.maximum where the scenario clips); the formulas evaluated
with in-place ufuncs straight into preallocated arrays that keep every sample
of every output (yearly outputs as [years, N], growth^t by repeated
multiplication, CAGR as the formula states it). At the end: means, then the
13 quantile levels flopcast reports, exactly, by np.quantile (partition; the
'inverted_cdf' method is the lower order statistic x_(ceil(pN)) that
flopcast's sketch approximates to 0.1 %).

Prints one JSON object on stdout: medians, means and quantiles per output
(yearly outputs as lists over the years) and the seconds spent drawing and
evaluating, taking quantiles, and in all.
"""
import argparse
import json
import math
import os
import sys
import time
import tomllib

import numpy as np

Z95 = 1.6448536269514722  # standard normal 95th percentile, as flopcast's detail::z95
LEVELS = [0.001, 0.01, 0.025, 0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95, 0.975, 0.99, 0.999]
CHUNK = 1_000_000
SECONDS_PER_DAY = 86400.0

# The scenario's formulas these numpy lines implement (compared ignoring whitespace).
FORMULAS = {
    "train_flop": "6 * (gpt4_runs * gpt4_params * gpt4_tokens + gpt35_runs * gpt35_params * gpt35_tokens)"
                  " * growth(train_runs_growth) * growth(train_params_growth) * growth(train_tokens_growth)",
    "train_a100": "train_flop / (train_window_days * 86400 * a100_peak_flops * train_mfu)",
    "infer_flop_per_day": "infer_calls_per_day * growth(infer_calls_growth) * infer_tokens_per_call"
                          " * growth(infer_tokens_growth) * 2 * infer_params * growth(infer_params_growth)",
    "infer_a100": "infer_flop_per_day / 86400 * infer_peak_factor / (a100_peak_flops * infer_utilization)",
    "total_a100": "train_a100 + infer_a100",
    "train_cagr": "cagr(train_a100, 2023, 2027)",
    "infer_cagr": "cagr(infer_a100, 2023, 2027)",
}
YEARLY = ["train_flop", "train_a100", "infer_a100", "total_a100"]
SCALAR = ["train_cagr", "infer_cagr"]


def default_scenario():
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scenarios", "csc-2023-baseline.toml")


def lognormal_mu_sigma(name, spec):
    """mu, sigma of the underlying normal, computed as flopcast does for each form."""
    log = math.log
    if "mu" in spec and "sigma" in spec:
        return float(spec["mu"]), float(spec["sigma"])
    if {"median", "p5", "p95"} <= spec.keys():
        return log(spec["median"]), (log(spec["p95"]) - log(spec["p5"])) / (2 * Z95)
    if {"p5", "p95"} <= spec.keys():
        return (log(spec["p5"]) + log(spec["p95"])) / 2, (log(spec["p95"]) - log(spec["p5"])) / (2 * Z95)
    if {"median", "p95"} <= spec.keys():
        return log(spec["median"]), (log(spec["p95"]) - log(spec["median"])) / Z95
    sys.exit(f"numpy_baseline: input {name}: lognormal form not supported by the twin: {sorted(spec)}")


def load(path):
    with open(path, "rb") as f:
        sc = tomllib.load(f)
    for key in ("correlation",):
        if key in sc:
            sys.exit(f"numpy_baseline: [{key}] is not supported by the twin")
    if sc["scenario"].get("sampling", "mc") != "mc":
        sys.exit("numpy_baseline: only plain Monte Carlo sampling is supported by the twin")
    norm = lambda s: "".join(s.split())  # noqa: E731
    got = {k: norm(v) for k, v in sc.get("formulas", {}).items()}
    want = {k: norm(v) for k, v in FORMULAS.items()}
    if got != want:
        diff = sorted(k for k in set(got) | set(want) if got.get(k) != want.get(k))
        sys.exit(f"numpy_baseline: the scenario's formulas differ from the twin's hand-written ones ({', '.join(diff)}); "
                 "update bench/numpy_baseline.py")
    inputs = {}
    for name, spec in sc["inputs"].items():
        if spec.get("per_year"):
            sys.exit(f"numpy_baseline: input {name}: per_year inputs are not supported by the twin")
        kind = spec["dist"]
        if kind == "constant":
            inputs[name] = ("constant", float(spec["value"]), None)
        elif kind == "lognormal":
            mu, sigma = lognormal_mu_sigma(name, spec)
            clip = tuple(float(c) for c in spec["clip"]) if "clip" in spec else None
            inputs[name] = ("lognormal", (mu, sigma), clip)
        else:
            sys.exit(f"numpy_baseline: input {name}: distribution {kind!r} is not supported by the twin")
    first, last = int(sc["scenario"]["first_year"]), int(sc["scenario"]["last_year"])
    return sc, inputs, first, last


def run(inputs, years, n, seed):
    """Draws n trajectories in chunks; returns the kept outputs (every sample)."""
    y = len(years)
    rng = np.random.Generator(np.random.PCG64(seed))
    kept = {name: np.empty((y, n)) for name in YEARLY}
    kept.update({name: np.empty(n) for name in SCALAR})
    drawn = {name: np.empty(min(CHUNK, n)) for name, (kind, _, _) in inputs.items() if kind != "constant"}
    g_train = np.empty(min(CHUNK, n))
    g_infer = np.empty(min(CHUNK, n))
    denom = np.empty(min(CHUNK, n))
    tmp = np.empty(min(CHUNK, n))
    periods = years[-1] - years[0]  # cagr(x, first, last)
    for lo in range(0, n, CHUNK):
        hi = min(lo + CHUNK, n)
        m = hi - lo
        x = {}
        for name, (kind, params, clip) in inputs.items():
            if kind == "constant":
                x[name] = params
                continue
            a = drawn[name][:m]
            mu, sigma = params
            rng.standard_normal(out=a)
            a *= sigma
            a += mu
            np.exp(a, out=a)
            if clip is not None:
                if clip[0] > 0:  # a lognormal is positive: a lower bound <= 0 never binds
                    np.maximum(a, clip[0], out=a)
                np.minimum(a, clip[1], out=a)
            x[name] = a
        gt, gi, d, t = g_train[:m], g_infer[:m], denom[:m], tmp[:m]

        # train_flop: 6 (runs4 params4 tokens4 + runs35 params35 tokens35) g^t, g the product of the growths
        flop = kept["train_flop"][:, lo:hi]
        f0 = flop[0]
        np.multiply(x["gpt4_runs"], x["gpt4_params"], out=f0)
        f0 *= x["gpt4_tokens"]
        np.multiply(x["gpt35_runs"], x["gpt35_params"] * x["gpt35_tokens"], out=t)
        f0 += t
        f0 *= 6.0
        np.multiply(x["train_runs_growth"], x["train_params_growth"], out=gt)
        gt *= x["train_tokens_growth"]
        for k in range(1, y):
            np.multiply(flop[k - 1], gt, out=flop[k])

        # train_a100 = train_flop / (window days * 86400 * peak * mfu)
        np.multiply(x["train_window_days"], SECONDS_PER_DAY * x["a100_peak_flops"], out=d)
        d *= x["train_mfu"]
        train = kept["train_a100"][:, lo:hi]
        np.divide(flop, d, out=train)

        # infer_a100 = calls tokens 2 params g^t / 86400 * peak factor / (peak * utilization)
        infer = kept["infer_a100"][:, lo:hi]
        i0 = infer[0]
        np.multiply(x["infer_calls_per_day"], x["infer_tokens_per_call"], out=i0)
        i0 *= x["infer_params"]
        i0 *= 2.0 / SECONDS_PER_DAY
        i0 *= x["infer_peak_factor"]
        np.multiply(x["infer_utilization"], x["a100_peak_flops"], out=d)
        i0 /= d
        np.multiply(x["infer_calls_growth"], x["infer_tokens_growth"], out=gi)
        gi *= x["infer_params_growth"]
        for k in range(1, y):
            np.multiply(infer[k - 1], gi, out=infer[k])

        np.add(train, infer, out=kept["total_a100"][:, lo:hi])

        # CAGRs: (x_last / x_first)^(1 / periods) - 1
        for name, series in (("train_cagr", train), ("infer_cagr", infer)):
            c = kept[name][lo:hi]
            np.divide(series[-1], series[0], out=c)
            np.power(c, 1.0 / periods, out=c)
            c -= 1.0
    return kept


def summarize(kept):
    """Means, then exact quantiles (the kept arrays are partitioned in place)."""
    out = {"means": {}, "quantiles": {}, "medians": {}}
    for name, arr in kept.items():
        out["means"][name] = arr.mean(axis=-1).tolist()
    for name, arr in kept.items():
        q = np.quantile(arr, LEVELS, axis=-1, method="inverted_cdf", overwrite_input=True)
        out["quantiles"][name] = q.tolist()
        out["medians"][name] = q[LEVELS.index(0.5)].tolist()
    return out


def main():
    start = time.perf_counter()
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("scenario", nargs="?", default=default_scenario())
    ap.add_argument("-n", "--samples", type=float, default=None, help="default: the scenario's")
    ap.add_argument("--seed", type=int, default=None, help="default: the scenario's")
    args = ap.parse_args()
    sc, inputs, first, last = load(args.scenario)
    n = int(args.samples or sc["scenario"]["samples"])
    seed = int(sc["scenario"]["seed"] if args.seed is None else args.seed)
    years = list(range(first, last + 1))

    t0 = time.perf_counter()
    kept = run(inputs, years, n, seed)
    t1 = time.perf_counter()
    result = summarize(kept)
    t2 = time.perf_counter()
    result.update({"samples": n, "seed": seed, "years": years, "levels": LEVELS,
                   "seconds": {"sample": t1 - t0, "quantiles": t2 - t1, "total": t2 - start}})
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
