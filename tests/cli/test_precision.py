"""Precision runs (--until): they stop when every target holds, record the
convergence history in /convergence, give the bits of a plain run of the same
length at any thread count, survive interruption, and refuse what they
cannot do, saying why."""
import os
import signal
import subprocess

import h5py

from clitools import FLOPCAST, SOURCE_DIR, ScratchTest, run, timed_run
from h5same import datasets  # scripts/h5same.py

TARGET = "p95:total_a100@2027:1%"


def without_convergence(d):
    return {k: v for k, v in d.items() if not k.startswith("convergence")}


class Precision(ScratchTest):
    def test_stops_when_the_target_holds_and_records_the_history(self):
        out = self.path("p.h5")
        code, stdout, err = run("run", "--until", TARGET, "-q", "-o", out)
        self.assertEqual(code, 0, err)
        self.assertIn("p95      total_a100 2027", stdout)
        self.assertIn("met", stdout)
        with h5py.File(out, "r") as f:
            conv = f["convergence"]
            self.assertEqual(conv.attrs["groups"], 32)
            self.assertEqual(conv.attrs["met"], 1)
            g = conv["p95_total_a100_2027"]
            n, est, hw, allowed = (g[k][()] for k in ("samples", "estimate", "half_width", "allowed"))
            self.assertEqual(g.attrs["output"], "total_a100")
            self.assertEqual(g.attrs["year"], 2027)
            self.assertEqual(g.attrs["statistic"], "p95")
            self.assertEqual(g.attrs["target"], TARGET)
            self.assertGreater(len(n), 1)
            # Checks at growing sample counts; only the last one meets the target.
            self.assertTrue((n[1:] > n[:-1]).all())
            self.assertLessEqual(hw[-1], allowed[-1])
            self.assertTrue((hw[:-1] > allowed[:-1]).all())
            self.assertAlmostEqual(allowed[-1], 0.01 * est[-1], delta=1e-9 * est[-1])
            self.assertEqual(f.attrs["samples"], n[-1])
            # The estimate is the file's own p95 of total_a100 in 2027.
            levels = list(f["quantile_levels"][()])
            q = f["summary/total_a100/quantiles"][()]
            years = list(f["years"][()])
            self.assertEqual(q[levels.index(0.95), years.index(2027)], est[-1])  # [Q, Y]
        # The convergence plot draws it.
        pic = self.path("c.png")
        p = subprocess.run(["/usr/bin/python3", os.path.join(SOURCE_DIR, "scripts", "plot.py"), "convergence", out,
                            "-o", pic], capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertTrue(os.path.getsize(pic) > 0)

    def test_same_bits_as_a_plain_run_of_that_length_and_at_any_thread_count(self):
        a, b, plain = self.path("a.h5"), self.path("b.h5"), self.path("plain.h5")
        for path, threads in ((a, "1"), (b, "3")):
            code, _, err = run("run", "--until", TARGET, "--until", "mean:train_cagr:0.005", "-t", threads,
                               "-q", "-o", path)
            self.assertEqual(code, 0, err)
        self.assertEqual(datasets(a), datasets(b))
        with h5py.File(a, "r") as f:
            n = int(f.attrs["samples"])
        self.assertEqual(run("run", "-n", n, "-q", "-o", plain)[0], 0)
        self.assertEqual(without_convergence(datasets(a)), datasets(plain))

    def test_kept_samples_are_those_of_a_plain_run_of_that_length(self):
        a, plain = self.path("a.h5"), self.path("plain.h5")
        code, _, err = run("run", "--until", "p95:total_a100@2027:2%", "--keep-samples", "-q", "-o", a)
        self.assertEqual(code, 0, err)
        with h5py.File(a, "r") as f:
            n = int(f.attrs["samples"])
            self.assertEqual(f["samples/total_a100"].shape, (n, 5))
        self.assertEqual(run("run", "-n", n, "--keep-samples", "-q", "-o", plain)[0], 0)
        self.assertEqual(without_convergence(datasets(a)), datasets(plain))
        self.assertEqual(sorted(os.listdir(self.dir)), ["a.h5", "plain.h5"])  # no spool left behind

    def test_the_cap_ends_a_run_whose_targets_do_not_hold_and_says_so(self):
        out = self.path("p.h5")
        code, stdout, err = run("run", "--until", "p99.9:total_a100@2027:0.3%", "--max-samples", "200000",
                                "-q", "-o", out)
        self.assertEqual(code, 0, err)
        self.assertIn("--max-samples (200,000) reached before every --until target held", err)
        self.assertIn("NOT met", stdout)
        with h5py.File(out, "r") as f:
            self.assertEqual(f.attrs["samples"], 200000)
            self.assertEqual(f["convergence"].attrs["met"], 0)
            self.assertEqual(f["convergence/p99.9_total_a100_2027/samples"][-1], 200000)

    def test_refusals_name_the_problem(self):
        out = self.path("x.h5")
        cases = [
            (["--until", "p95:totl_a100@2027:1%"], "no output named 'totl_a100'"),
            (["--until", "p95:total_a100:1%"], "has a value per year: name one, e.g. p95:total_a100@2027:1%"),
            (["--until", "p95:total_a100@2027"], "expected STAT:OUTPUT[@YEAR]:TOL"),
            (["--until", "p95:total_a100@2027:0.1%"], "quantiles are resolved to 0.1 %"),
            (["--until", TARGET, "-n", "1000"], "--samples and --until"),
            (["--max-samples", "1000"], "--max-samples caps a precision run"),
            (["--until", TARGET, "--shard", "0/2"], "a shard of fixed blocks cannot"),
        ]
        for extra, fragment in cases:
            code, _, err = run("run", "-o", out, *extra)
            self.assertEqual(code, 2, (extra, err))
            self.assertIn(fragment, err, extra)
            self.assertFalse(os.path.exists(out))

    def test_interrupted_and_resumed_gives_the_uninterrupted_bits(self):
        target = "p95:total_a100@2027:0.3%"  # ~7 M samples: seconds, long enough to interrupt
        whole, out, ck = self.path("whole.h5"), self.path("r.h5"), self.path("ck.bin")
        (code, _, _), whole_time = timed_run("run", "--until", target, "-q", "-o", whole)
        self.assertEqual(code, 0)
        proc = subprocess.Popen([FLOPCAST, "run", "--until", target, "-q", "-o", out, "--checkpoint", ck,
                                 "--checkpoint-every", "0.05"], cwd=self.dir, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True)
        self.stop_part_way(proc, ck, 0.25 * whole_time, signal.SIGINT)
        _, err = proc.communicate(timeout=60)
        self.assertEqual(proc.returncode, 5, err)
        # Another target is another run.
        code, _, err = run("run", "--resume", ck, "--until", "p95:total_a100@2027:1%", "-o", out)
        self.assertEqual(code, 2)
        self.assertIn("the --until targets differ", err)
        code, _, err = run("run", "--resume", ck, "-q", "-o", out)
        self.assertEqual(code, 0, err)
        self.assertEqual(datasets(out), datasets(whole))
