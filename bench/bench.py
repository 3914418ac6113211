"""Times `flopcast run` on the baseline scenario and reports samples per second
and peak resident memory, with 1 thread and with every core.

Each configuration runs several times; the median and the spread (min-max)
are reported. Peak memory is the child's maximum resident set size from
wait4(), so no external `time` binary is needed. Nothing is asserted: the
figures are printed (and recorded in docs/performance.md with --record).
"""
import argparse
import datetime
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time


def run_once(cmd):
    """Runs cmd; returns (wall seconds, peak RSS in MiB)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode()
    proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"bench: {' '.join(cmd)} failed: {err}")
    return wall, usage.ru_maxrss / 1024.0


def measure(flopcast, samples, threads, reps, out):
    cmd = [flopcast, "run", "-q", "-n", str(samples), "-t", str(threads), "-o", out]
    run_once(cmd)  # warm-up: page cache, CPU frequency
    walls, rss = [], []
    for _ in range(reps):
        w, m = run_once(cmd)
        walls.append(w)
        rss.append(m)
    med = statistics.median(walls)
    return {"threads": threads, "samples": samples, "median_s": med, "min_s": min(walls), "max_s": max(walls),
            "rate": samples / med, "rss_mib": max(rss)}


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            m = re.search(r"model name\s*:\s*(.*)", f.read())
            return m.group(1).strip() if m else platform.processor()
    except OSError:
        return platform.processor()


def report(rows, samples, memory_rows):
    cores = os.cpu_count()
    lines = [
        f"Measured {datetime.date.today().isoformat()} on {cpu_model()}, {cores} cores; "
        f"baseline scenario (`scenarios/csc-2023-baseline.toml`), {samples:.0e} samples, summary statistics "
        "only (no kept samples); wall time of the whole command (load, sample, write HDF5).",
        "",
        "| threads | median wall (s) | spread (s) | samples/s | peak RSS (MiB) |",
        "| ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        lines.append(f"| {r['threads']} | {r['median_s']:.3f} | {r['min_s']:.3f}-{r['max_s']:.3f} | "
                     f"{r['rate'] / 1e6:.2f} M | {r['rss_mib']:.1f} |")
    one = rows[0]
    for r in rows[1:]:
        speedup = one["median_s"] / r["median_s"]
        lines.append("")
        lines.append(f"Speed-up with {r['threads']} threads: {speedup:.2f}x, parallel efficiency "
                     f"{100 * speedup / r['threads']:.0f} %.")
    if memory_rows:
        lines.append("")
        lines.append("Memory against sample count (all threads): "
                     + ", ".join(f"{m['samples']:.0e} samples: {m['rss_mib']:.1f} MiB" for m in memory_rows)
                     + ". Statistics stream, so memory does not grow with the sample count.")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--flopcast", required=True)
    ap.add_argument("--docs", help="docs/performance.md, rewritten between the markers with --record")
    ap.add_argument("--quick", action="store_true", help="1e6 samples, 2 repetitions (CI smoke test)")
    ap.add_argument("--record", action="store_true", help="write the figures into --docs")
    ap.add_argument("--samples", type=float, default=None)
    ap.add_argument("--reps", type=int, default=None)
    args = ap.parse_args()
    samples = int(args.samples or (1e6 if args.quick else 1e7))
    reps = args.reps or (2 if args.quick else 5)
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="flopcast-bench-") as tmp:
        out = os.path.join(tmp, "bench.h5")
        rows = [measure(args.flopcast, samples, 1, reps, out)]
        if cores > 1:
            rows.append(measure(args.flopcast, samples, cores, reps, out))
        memory_rows = []
        if not args.quick:
            for n in (1e5, 1e6, 1e7):
                memory_rows.append(measure(args.flopcast, int(n), cores, 1, out))
    text = report(rows, samples, memory_rows)
    print(text)
    if args.record:
        if args.quick:
            sys.exit("bench: --record wants the full run, not --quick")
        with open(args.docs) as f:
            doc = f.read()
        begin, end = "<!-- bench:begin -->", "<!-- bench:end -->"
        i, j = doc.index(begin) + len(begin), doc.index(end)
        with open(args.docs, "w") as f:
            f.write(doc[:i] + "\n" + text + "\n" + doc[j:])
        print(f"bench: recorded in {args.docs}")


if __name__ == "__main__":
    main()
