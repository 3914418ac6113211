"""flopcast's performance benchmark on the baseline scenario: throughput and
peak memory of flopcast against the numpy way and against the limit.

In one run, each program several times (median and min-max spread of the
wall time of the whole command; peak resident memory, ru_maxrss, as reported
to bench/peak_rss.cpp, which forks each command):
  - flopcast with 1 thread and with every core, summary statistics only
    (no kept samples), on scenarios/csc-2023-baseline.toml;
  - its numpy twin, bench/numpy_baseline.py: the same distributions and
    formulas, vectorized in chunks of 1e6, every output kept for exact
    quantiles (one thread: numpy's ufuncs and np.quantile do not thread);
  - three limits, bench/limit.cpp, each the 17 lognormal draws per sample
    and nothing else: the old limit (scalar Boost lognormals on mt19937_64
    with per-input seeding, how flopcast drew before issue 20, kept for the
    record), the bit limit (Philox filling the 17 words a sample needs,
    alone) and the transform limit (those bits plus the vectorised
    normal -> lognormal transform);
  - flopcast's own block loop stage by stage on one thread
    (bench/stages.cpp, flopcast_bench_stages): ns per sample drawing,
    evaluating formulas and taking statistics, beside the limits' own
    timers' ns per sample.
Then it checks that flopcast's medians (HDF5 /summary/<o>/quantiles at 0.5)
agree with the twin's exact sample medians within 1 %, that 1e8 samples
(1e7 with --quick) take no more peak memory than 1e6 within 8 MiB, and, in
the full mode, how throughput scales from 1e5 to 1e8 samples. A failed check
makes the script exit 1 (after printing everything).

The printout is Markdown; --record writes it between the bench markers of
docs/performance.md (full mode only, and only when every check passes).
"""
import argparse
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PYTHON = "/usr/bin/python3"  # Debian's, with numpy and h5py
# Outputs whose medians must agree (output, year or None for a scalar output).
CHECKED = [("train_a100", 2023), ("train_a100", 2027), ("infer_a100", 2027), ("total_a100", 2027),
           ("train_cagr", None), ("infer_cagr", None)]
MEDIAN_TOLERANCE = 0.01
MEMORY_THRESHOLD_MIB = 8.0
TOOLS = {}  # "limit", "peak_rss", "stages": paths of the C++ helpers (build_tools)
# The limits (bench/limit.cpp's modes): key, flag, label in the report.
LIMITS = [("limit", [], "old limit: 17 scalar Boost lognormals (`bench/limit.cpp`)"),
          ("limit_bits", ["--bits"], "bit limit: Philox, 17 words a sample (`limit.cpp --bits`)"),
          ("limit_transform", ["--transform"],
           "transform limit: bits + vectorised lognormal (`limit.cpp --transform`)")]
# What limit.cpp compiles with when CMake did not build it (bench/bench.py's
# fallback): the Philox and bulk-quantile sources it uses.
LIMIT_SOURCES = ["bench/limit.cpp", "engine/simd/uniforms.cpp", "engine/simd/bulk_kernels.cpp",
                 "distributions/bulk_quantile.cpp"]
LIMIT_HEADERS = ["engine/simd/philox.hpp", "engine/simd/lanes.hpp", "engine/simd/vector_math.hpp",
                 "engine/simd/simd_level.hpp", "engine/simd/bulk_apply.hpp", "distributions/bulk_quantile.hpp",
                 "engine/run/block_stream.hpp"]
# The project's Release flags (CMakeLists.txt): no -march=native, no -ffast-math.
CXX_FLAGS = ["-O3", "-DNDEBUG", "-std=c++20", "-ffp-contract=off", "-fno-fast-math"]


def run_once(cmd, tmp):
    """Runs cmd under the peak_rss helper; returns (wall seconds, peak RSS in MiB, stdout text, CPU seconds)."""
    out_path, err_path, res_path = (os.path.join(tmp, f) for f in ("stdout", "stderr", "result"))
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        subprocess.run([TOOLS["peak_rss"], res_path, *cmd], stdout=out, stderr=err, check=True)
    with open(res_path) as f:
        wall, rss_kib, code, cpu = f.read().split()
    with open(out_path) as f:
        text = f.read()
    if int(code) != 0:
        with open(err_path) as f:
            sys.exit(f"bench: {' '.join(cmd)} failed (exit {code}): {f.read()}")
    return float(wall), int(rss_kib) / 1024.0, text, float(cpu)


def summarize(name, samples, threads, runs):
    walls = [r[0] for r in runs]
    med = statistics.median(walls)
    return {"name": name, "threads": threads, "samples": samples, "median_s": med, "min_s": min(walls),
            "max_s": max(walls), "rate": samples / med, "rss_mib": max(r[1] for r in runs),
            "cpu_s": statistics.median(r[3] for r in runs), "stdouts": [r[2] for r in runs], "walls": walls}


def measure(configs, reps, tmp, warmup=True, progress=None):
    """Times every config (name, cmd, samples, threads) reps times, in rounds
    (config 1, 2, ..., then again), so that a burst of load from elsewhere
    hits every config alike rather than one of them; one untimed warm-up run
    of each first (page cache, CPU frequency)."""
    if warmup:
        for _, cmd, _, _ in configs:
            run_once(cmd, tmp)
    runs = [[] for _ in configs]
    for rep in range(reps):
        if progress:
            progress(f"round {rep + 1} of {reps}")
        for k, (_, cmd, _, _) in enumerate(configs):
            runs[k].append(run_once(cmd, tmp))
    return [summarize(name, samples, threads, r) for (name, _, samples, threads), r in zip(configs, runs)]


def load_average():
    try:
        return os.getloadavg()[0]
    except OSError:
        return float("nan")


def flopcast_cmd(flopcast, scenario, samples, threads, out):
    return [flopcast, "run", scenario, "-q", "-n", str(samples), "-t", str(threads), "-o", out]


def build_tools(flopcast, tmp):
    """The C++ helpers: build/bench/<target> when CMake built it after its
    sources last changed; otherwise the sources compiled here with the
    project's flags. flopcast_bench_stages links most of the engine, so it
    is only taken from CMake's build (the stage table is left out without
    it). Returns how the limit and peak_rss were built, for the report."""
    how = "CMake (targets flopcast_bench_limit, flopcast_bench_peak_rss)"
    cxx = os.environ.get("CXX") or shutil.which("g++") or shutil.which("c++")
    bench_dir = os.path.join(os.path.dirname(os.path.abspath(flopcast)), "bench")
    for key, target, sources, headers in (("limit", "flopcast_bench_limit", LIMIT_SOURCES, LIMIT_HEADERS),
                                          ("peak_rss", "flopcast_bench_peak_rss", ["bench/peak_rss.cpp"], [])):
        sources = [os.path.join(ROOT, f) for f in sources]
        newest = max(os.path.getmtime(os.path.join(ROOT, f)) for f in [*sources, *headers])
        built = os.path.join(bench_dir, target)
        if os.path.exists(built) and os.path.getmtime(built) >= newest:
            TOOLS[key] = built
            continue
        if not cxx:
            sys.exit(f"bench: no C++ compiler to build {sources[0]}")
        exe = os.path.join(tmp, target)
        cmd = [cxx, *CXX_FLAGS, "-Wno-psabi", "-I", ROOT, "-o", exe, *sources]
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if proc.returncode != 0:
            sys.exit(f"bench: {' '.join(cmd)} failed:\n{proc.stdout}")
        TOOLS[key] = exe
        how = f"`{os.path.basename(cxx)} {' '.join(CXX_FLAGS)}`"
    stages = os.path.join(bench_dir, "flopcast_bench_stages")
    if os.path.exists(stages):
        TOOLS["stages"] = stages
    return how


def stage_times(scenario, samples, repeat):
    """flopcast_bench_stages' ns per sample of each stage: {stage: ns}."""
    if "stages" not in TOOLS:
        return None
    out = subprocess.run([TOOLS["stages"], scenario, str(samples), "--repeat", str(repeat)], capture_output=True,
                         text=True, check=True).stdout
    return {m.group(1): float(m.group(2))
            for m in re.finditer(r"^(draw|formulas|stats|total)\s+(\S+)", out, re.MULTILINE)}


def flopcast_medians(path):
    import h5py  # Debian's python3-h5py

    with h5py.File(path, "r") as f:
        years = [int(y) for y in f["years"][()]]
        levels = [float(q) for q in f["quantile_levels"][()]]
        medians = {}
        for output, year in CHECKED:
            row = f[f"summary/{output}/quantiles"][()][levels.index(0.5)]
            medians[(output, year)] = float(row[years.index(year)] if year is not None else row)
    return medians


def twin_medians(result):
    years = result["years"]
    return {(o, y): float(result["medians"][o][years.index(y)] if y is not None else result["medians"][o])
            for o, y in CHECKED}


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            m = re.search(r"model name\s*:\s*(.*)", f.read())
            return m.group(1).strip() if m else platform.processor()
    except OSError:
        return platform.processor()


def flopcast_version(flopcast):
    try:
        return subprocess.run([flopcast, "version"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "flopcast (version unknown)"


def sci(n):
    """1e+07 -> 1e7."""
    mantissa, exponent = f"{n:.0e}".split("e")
    return f"{mantissa}e{int(exponent)}"


def rate(r):
    return f"{r / 1e6:.2f} M"


def number(x):
    return f"{x:.4g}" if abs(x) < 1e4 else f"{x:.4e}"


def timing_row(label, r):
    return (f"| {label} | {r['threads']} | {r['median_s']:.3f} | {r['min_s']:.3f}-{r['max_s']:.3f} | "
            f"{rate(r['rate'])} | {r['cpu_s']:.3f} | {r['rss_mib']:.1f} |")


def report(ctx):
    f1, fa, twin = ctx["flopcast_1"], ctx["flopcast_all"], ctx["numpy"]
    cores, samples, reps = ctx["cores"], ctx["samples"], ctx["reps"]
    lines = [
        f"Measured {datetime.date.today().isoformat()} with {ctx['version']} on {cpu_model()}, {cores} cores; "
        f"baseline scenario (`scenarios/csc-2023-baseline.toml`), {sci(samples)} samples. Each time is the median "
        f"of {reps} runs of the wall time of the whole command, start to exit, taken in {reps} rounds of one run of "
        "each program after a warm-up round; the spread is their min-max; peak RSS is the largest of the runs. "
        f"Load average of the machine (1 min) {ctx['load_start']:.2f} when the benchmark started, "
        f"{ctx['load_end']:.2f} when it ended: its own runs account for up to {cores}, anything above is other "
        "work competing for the cores. flopcast keeps summary statistics only (no kept "
        "samples) and writes its HDF5 file; the numpy twin keeps every output sample and takes exact quantiles; "
        f"the limits only draw. The limits and the peak-RSS helper (`bench/peak_rss.cpp`) were built with "
        f"{ctx['limit_build']}.",
        "",
        "| program | threads | median wall (s) | spread (s) | samples/s | median CPU (s) | peak RSS (MiB) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        timing_row("flopcast", f1),
    ]
    if fa is not f1:
        lines.append(timing_row("flopcast", fa))
    lines += [
        timing_row("numpy twin (`bench/numpy_baseline.py`)", twin),
        *(timing_row(label, ctx[key]) for key, _, label in LIMITS),
        "",
        "| comparison | by wall time | by CPU time |",
        "| --- | ---: | ---: |",
        f"| flopcast, 1 thread, against numpy (numpy's time / flopcast's) | {twin['median_s'] / f1['median_s']:.2f}x | "
        f"{twin['cpu_s'] / f1['cpu_s']:.2f}x |",
    ]
    if fa is not f1:
        lines.append(f"| flopcast, {fa['threads']} threads, against numpy (numpy's time / flopcast's) | "
                     f"{twin['median_s'] / fa['median_s']:.2f}x | - |")
    for key, _, label in LIMITS:
        limit = ctx[key]
        lines.append(f"| flopcast, 1 thread, against the {label.split(':')[0]} (flopcast's time / the limit's) | "
                     f"{f1['median_s'] / limit['median_s']:.2f}x | {f1['cpu_s'] / limit['cpu_s']:.2f}x |")
    if fa is not f1:
        speedup = f1["median_s"] / fa["median_s"]
        lines.append(f"| speed-up of flopcast with {fa['threads']} threads, wall (parallel efficiency "
                     f"{100 * speedup / fa['threads']:.0f} %); CPU time: {fa['threads']} threads' / 1 thread's | "
                     f"{speedup:.2f}x | {fa['cpu_s'] / f1['cpu_s']:.2f}x |")
    lines += [
        "",
        "CPU time (user + system, all threads) is less sensitive than wall time to other processes "
        "competing for the cores, though not immune to them (shared caches); the checks use neither.",
    ]
    tw = ctx["numpy_seconds"]
    lines += [
        "",
        f"Inside the numpy twin (medians of its own timers): {tw['sample']:.2f} s drawing the inputs and evaluating "
        f"the formulas into the kept arrays, {tw['quantiles']:.2f} s for means and exact quantiles, "
        f"{tw['other']:.2f} s the rest (starting Python, importing numpy, reading the scenario). "
        "The limits' own timers (median; without start-up): "
        + ", ".join(f"{label.split(':')[0]} {1e9 / ctx['inner_rate'][key]:.1f} ns a sample"
                    for key, _, label in LIMITS) + ".",
        "",
        f"Medians, flopcast (`/summary/<output>/quantiles` at level 0.5) against the numpy twin (exact sample "
        f"median), {sci(samples)} samples each from different random streams; tolerance "
        f"{100 * MEDIAN_TOLERANCE:.0f} %:",
        "",
        "| output | year | flopcast | numpy twin | difference | check |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for (output, year), (fc, tw_med, diff, ok) in ctx["median_checks"].items():
        lines.append(f"| {output} | {year if year is not None else '-'} | {number(fc)} | {number(tw_med)} | "
                     f"{100 * diff:+.3f} % | {'PASS' if ok else 'FAIL'} |")
    st = ctx["stages"]
    if st:
        lines += [
            "",
            f"flopcast's block loop stage by stage, one thread (`flopcast_bench_stages`, {sci(samples)} samples, "
            f"fastest of {ctx['stages_repeat']}), beside the limits' own timers:",
            "",
            "| stage | ns/sample | share |",
            "| --- | ---: | ---: |",
            *(f"| {k} | {st[k]:.1f} | {100 * st[k] / st['total']:.0f} % |" for k in ("draw", "formulas", "stats")),
            f"| total | {st['total']:.1f} | 100 % |",
            *(f"| {label.split(':')[0]} (its own timer) | {1e9 / ctx['inner_rate'][key]:.1f} | - |"
              for key, _, label in LIMITS),
        ]
    small, big = ctx["memory_small"], ctx["memory_big"]
    diff = big["rss_mib"] - small["rss_mib"]
    lines += [
        "",
        f"Memory, flopcast with {big['threads']} threads, no kept samples: {sci(small['samples'])} samples "
        f"{small['rss_mib']:.1f} MiB, {sci(big['samples'])} samples {big['rss_mib']:.1f} MiB peak RSS; "
        f"difference {diff:+.1f} MiB, threshold {MEMORY_THRESHOLD_MIB:.0f} MiB: "
        f"{'PASS' if ctx['memory_ok'] else 'FAIL'}.",
    ]
    if ctx["scaling"]:
        lines += [
            "",
            f"Scaling, flopcast with {fa['threads']} threads (medians of {ctx['scaling_reps']} runs"
            + (f"; the {sci(samples)} row is the run above" if samples in (10**5, 10**6, 10**7, 10**8) else "")
            + "):",
            "",
            "| samples | median wall (s) | spread (s) | samples/s | median CPU (s) | peak RSS (MiB) |",
            "| ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for r in ctx["scaling"]:
            lines.append(f"| {sci(r['samples'])} | {r['median_s']:.3f} | {r['min_s']:.3f}-{r['max_s']:.3f} | "
                         f"{rate(r['rate'])} | {r['cpu_s']:.3f} | {r['rss_mib']:.1f} |")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--flopcast", required=True)
    ap.add_argument("--docs", help="docs/performance.md, rewritten between the markers with --record")
    ap.add_argument("--scenario", default=os.path.join(ROOT, "scenarios", "csc-2023-baseline.toml"))
    ap.add_argument("--quick", action="store_true",
                    help="1e6 samples, 2 repetitions, memory check 1e7 against 1e6, no scaling (CI's smoke test)")
    ap.add_argument("--record", action="store_true", help="write the figures into --docs")
    ap.add_argument("--samples", type=float, default=None, help="default 1e7 (1e6 with --quick)")
    ap.add_argument("--reps", type=int, default=None, help="default 5 (2 with --quick)")
    args = ap.parse_args()
    if args.record and (args.quick or not args.docs):
        sys.exit("bench: --record wants the full run (not --quick) and --docs")
    samples = int(args.samples or (1e6 if args.quick else 1e7))
    reps = args.reps or (2 if args.quick else 5)
    cores = len(os.sched_getaffinity(0)) or 1
    flopcast, scenario = os.path.abspath(args.flopcast), os.path.abspath(args.scenario)
    ctx = {"samples": samples, "reps": reps, "cores": cores}

    def progress(msg):
        print(f"bench: {msg}", file=sys.stderr, flush=True)

    ctx["load_start"] = load_average()
    with tempfile.TemporaryDirectory(prefix="flopcast-bench-") as tmp:
        ctx["limit_build"] = build_tools(flopcast, tmp)
        # Every run uses one snapshot of the binary: a rebuild of build/ during
        # the benchmark (others work in the same tree) must not mix two builds.
        snapshot = os.path.join(tmp, "flopcast")
        shutil.copy2(flopcast, snapshot)
        flopcast = snapshot
        ctx["version"] = flopcast_version(flopcast)
        h5_1, h5_all, h5_other = (os.path.join(tmp, f) for f in ("one.h5", "all.h5", "other.h5"))

        twin_cmd = [PYTHON, os.path.join(HERE, "numpy_baseline.py"), scenario, "--samples", str(samples)]
        configs = [("flopcast_1", flopcast_cmd(flopcast, scenario, samples, 1, h5_1), samples, 1)]
        if cores > 1:
            configs.append(("flopcast_all", flopcast_cmd(flopcast, scenario, samples, cores, h5_all), samples, cores))
        configs.append(("numpy", twin_cmd, samples, 1))
        configs += [(key, [TOOLS["limit"], str(samples), *flags], samples, 1) for key, flags, _ in LIMITS]
        progress(f"flopcast (1 and all {cores} threads), numpy twin, the three limits: {sci(samples)} samples, "
                 f"warm-up then {reps} rounds")
        for row in measure(configs, reps, tmp, progress=progress):
            ctx[row["name"]] = row
        if cores == 1:
            ctx["flopcast_all"] = ctx["flopcast_1"]
        twins = [json.loads(t) for t in ctx["numpy"]["stdouts"]]
        twin = twins[-1]
        inner = [dict(t["seconds"], other=w - t["seconds"]["sample"] - t["seconds"]["quantiles"])
                 for t, w in zip(twins, ctx["numpy"]["walls"])]
        ctx["numpy_seconds"] = {k: statistics.median(x[k] for x in inner) for k in inner[0]}
        ctx["inner_rate"] = {key: statistics.median(float(re.search(r"samples_per_s (\S+)", t).group(1))
                                                    for t in ctx[key]["stdouts"]) for key, _, _ in LIMITS}
        ctx["stages_repeat"] = 1 if args.quick else 3
        progress(f"flopcast's stages, 1 thread, {sci(samples)} samples, fastest of {ctx['stages_repeat']}")
        ctx["stages"] = stage_times(scenario, samples, ctx["stages_repeat"])

        fc = flopcast_medians(h5_all if cores > 1 else h5_1)
        tw = twin_medians(twin)
        ctx["median_checks"] = {}
        for key in CHECKED:
            diff = fc[key] / tw[key] - 1
            ctx["median_checks"][key] = (fc[key], tw[key], diff, abs(diff) <= MEDIAN_TOLERANCE)

        fa = ctx["flopcast_all"]
        ctx["scaling"] = []
        if args.quick:
            # Memory: 1e7 against the 1e6 runs above (all threads).
            big_n = 10 * samples
            progress(f"flopcast memory, {cores} threads, {sci(big_n)} samples x 1")
            ctx["memory_small"] = fa
            ctx["memory_big"] = measure([("flopcast", flopcast_cmd(flopcast, scenario, big_n, cores, h5_other),
                                          big_n, cores)], 1, tmp, warmup=False)[0]
        else:
            scaling_reps = max(1, min(reps, 3))
            ctx["scaling_reps"] = scaling_reps
            by_n = {}
            for n in (int(1e5), int(1e6), int(1e7), int(1e8)):
                if n == samples:
                    by_n[n] = fa
                    continue
                progress(f"flopcast scaling, {cores} threads, {sci(n)} samples x {scaling_reps}")
                by_n[n] = measure([("flopcast", flopcast_cmd(flopcast, scenario, n, cores, h5_other), n, cores)],
                                  scaling_reps, tmp, warmup=False)[0]
            ctx["scaling"] = [by_n[n] for n in sorted(by_n)]
            ctx["memory_small"], ctx["memory_big"] = by_n[int(1e6)], by_n[int(1e8)]
        ctx["memory_ok"] = ctx["memory_big"]["rss_mib"] - ctx["memory_small"]["rss_mib"] <= MEMORY_THRESHOLD_MIB

    ctx["load_end"] = load_average()
    text = report(ctx)
    print(text)
    ok = ctx["memory_ok"] and all(c[3] for c in ctx["median_checks"].values())
    if not ok:
        print("bench: FAIL: a check above failed; nothing recorded", file=sys.stderr)
        sys.exit(1)
    if args.record:
        with open(args.docs) as f:
            doc = f.read()
        begin, end = "<!-- bench:begin -->", "<!-- bench:end -->"
        i, j = doc.index(begin) + len(begin), doc.index(end)
        with open(args.docs, "w") as f:
            f.write(doc[:i] + "\n" + text + "\n" + doc[j:])
        print(f"bench: recorded in {args.docs}", file=sys.stderr)


if __name__ == "__main__":
    main()
