"""Conditioning on observations through the command: /posterior mirrors
/summary, /samples/log_weight agrees with the stored effective sample size,
shards, merge, checkpoint and resume give the bits of one run, and the
refusal (no world survives) and the warning (few do) say which observation."""
import math
import os
import signal
import subprocess

import h5py
import numpy as np

from clitools import FLOPCAST, SOURCE_DIR, ScratchTest, run, timed_run
from h5same import datasets  # scripts/h5same.py

BASELINE = os.path.join(SOURCE_DIR, "scenarios", "csc-2023-baseline.toml")

OBSERVED = """
[observations.total_2024]
of = "total_a100"
year = 2024
dist = "lognormal"
median = 1.2e7
p5 = 6e6
p95 = 2.4e7

[observations.cagr]
of = "train_cagr"
dist = "between"
min = 0.5
max = 1.5
"""


class Posterior(ScratchTest):
    def scenario(self, extra=OBSERVED, name="obs.toml"):
        with open(BASELINE, encoding="utf-8") as f:
            return self.write(name, f.read() + extra)

    def test_posterior_mirrors_summary_and_log_weights_agree_with_the_ess(self):
        code, out, err = run("run", self.scenario(), "-n", "100000", "-q", "--keep-samples", "-o", "a.h5", cwd=self.dir)
        self.assertEqual(code, 0, err)
        self.assertIn("posterior", out)
        self.assertIn("total_2024  total_a100 in 2024", out)
        with h5py.File(self.path("a.h5")) as f:
            for name in f["summary"]:
                s, p = f["summary"][name], f["posterior"][name]
                for d in ("mean", "std", "stderr", "min", "max", "count", "quantiles"):
                    self.assertEqual(s[d].shape, p[d].shape, f"{name}/{d}")
                self.assertEqual(s["histogram/edges"][()].tobytes(), p["histogram/edges"][()].tobytes())
                self.assertEqual(s["histogram/counts"].shape, p["histogram/counts"].shape)
            lw = f["samples/log_weight"][()]
            self.assertEqual(lw.shape, (100000,))
            self.assertTrue(np.all(lw <= 0))
            # Kish's ESS from the kept log-weights, computed independently here.
            w = np.exp(lw - lw.max())
            ess = w.sum() ** 2 / (w * w).sum()
            self.assertAlmostEqual(f["posterior"].attrs["ess"] / ess, 1.0, places=9)
            lmw = lw.max() + math.log(w.mean())
            self.assertAlmostEqual(f["posterior"].attrs["log_mean_weight"], lmw, places=9)
            # A between observation is a hard condition: every posterior CAGR is inside.
            q = f["posterior/train_cagr/quantiles"][()]
            self.assertGreaterEqual(q.min(), 0.5 * (1 - 1e-3))
            self.assertLessEqual(q.max(), 1.5 * (1 + 1e-3))
            cagr = f["samples/train_cagr"][()]
            self.assertTrue(np.all(np.isneginf(lw[(cagr < 0.5) | (cagr > 1.5)])))
            self.assertAlmostEqual(f["observations/cagr"].attrs["ess_alone"],
                                   float(((cagr >= 0.5) & (cagr <= 1.5)).sum()), places=6)

    def test_without_observations_there_is_no_posterior(self):
        code, out, err = run("run", BASELINE, "-n", "5000", "-q", "-o", "b.h5", cwd=self.dir)
        self.assertEqual(code, 0, err)
        self.assertNotIn("posterior", out)
        with h5py.File(self.path("b.h5")) as f:
            self.assertNotIn("posterior", f)
            self.assertNotIn("observations", f)

    def test_shards_merged_give_the_bits_of_one_run(self):
        sc = self.scenario()
        self.assertEqual(run("run", sc, "-n", "60000", "-q", "--keep-samples", "-o", "whole.h5", cwd=self.dir)[0], 0)
        for i in range(3):
            code, _, err = run("run", sc, "-n", "60000", "-q", "--keep-samples", "--shard", f"{i}/3", "-o", f"s{i}.h5",
                               cwd=self.dir)
            self.assertEqual(code, 0, err)
        code, _, err = run("merge", "s2.h5", "s0.h5", "s1.h5", "-q", "-o", "merged.h5", cwd=self.dir)
        self.assertEqual(code, 0, err)
        self.assertEqual(datasets(self.path("merged.h5")), datasets(self.path("whole.h5")))

    def test_killed_and_resumed_run_is_bit_identical(self):
        sc, n = self.scenario(), "8000000"
        (code, _, _), whole_time = timed_run("run", sc, "-n", n, "-q", "-o", "whole.h5", cwd=self.dir)
        self.assertEqual(code, 0)
        ck = self.path("ck.bin")
        proc = subprocess.Popen([FLOPCAST, "run", sc, "-n", n, "-q", "-o", "r.h5", "--checkpoint", ck,
                                 "--checkpoint-every", "0.05"], cwd=self.dir, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        self.stop_part_way(proc, ck, 0.25 * whole_time)
        proc.wait()
        code, _, err = run("run", "--resume", ck, "-q", "-o", "r.h5", cwd=self.dir)
        self.assertEqual(code, 0, err)
        self.assertEqual(datasets(self.path("r.h5")), datasets(self.path("whole.h5")))

    def test_no_world_left_is_refused_naming_the_observation(self):
        sc = self.scenario(OBSERVED + """
[observations.impossible]
of = "train_cagr"
dist = "between"
min = 20
max = 30
""")
        code, out, err = run("run", sc, "-n", "20000", "-q", "-o", "c.h5", cwd=self.dir)
        self.assertEqual(code, 2)
        with open(sc, encoding="utf-8") as f:
            line = 1 + f.read().splitlines().index("[observations.impossible]")
        self.assertIn(f"obs.toml:{line}: observations.impossible: every one of the 20,000 worlds has weight zero", err)
        self.assertEqual(out, "")
        self.assertEqual([f for f in self.files() if ".h5" in f], [])

    def test_evidence_far_from_the_prior_warns_naming_the_most_restrictive(self):
        sc = self.scenario(OBSERVED + """
[observations.far]
of = "infer_a100"
year = 2023
dist = "lognormal"
median = 1e9
p5 = 9e8
p95 = 1.1e9
""")
        code, out, err = run("run", sc, "-n", "20000", "-q", "-o", "d.h5", cwd=self.dir)
        self.assertEqual(code, 0, err)
        self.assertIn("warning: the posterior rests on few worlds", err)
        self.assertIn("the most restrictive observation is far (infer_a100 in 2023", err)
        with h5py.File(self.path("d.h5")) as f:
            self.assertLess(f["posterior"].attrs["ess"], 1000)
            self.assertTrue(math.isfinite(f["posterior"].attrs["log_mean_weight"]))


# ln x ~ N(0, 1) against evidence ln x ~ N(4, 1); shared with posterior_test.cpp.
with open(os.path.join(SOURCE_DIR, "tests", "data", "far-evidence.toml")) as _f:
    FAR = _f.read()


class PosteriorUntil(ScratchTest):
    """--until posterior:...: ln x ~ N(0, 1) against evidence ln x ~ N(4, 1),
    an ESS share of 6 %: the posterior median (e^2) to 1 % needs several
    times the samples the prior median does (about 8 by the standard errors;
    4 is asked, so a judge that ignored the weights, stopping with the prior,
    fails) and stops at the same sample, with the same bits, at 1 and 3
    threads (the state bytes, format 4, are checked in posterior_test.cpp)."""

    def samples(self, name):
        with h5py.File(self.path(name)) as f:
            return int(f.attrs["samples"])

    def test_posterior_target_needs_more_samples_and_is_deterministic(self):
        sc = self.write("far.toml", FAR)
        for spec, out, threads in (("median:x:1%", "prior.h5", "2"), ("posterior:median:x:1%", "post.h5", "1"),
                                   ("posterior:median:x:1%", "post3.h5", "3")):
            code, _, err = run("run", sc, "-q", "-t", threads, "--until", spec, "-o", out, cwd=self.dir)
            self.assertEqual(code, 0, err)
        self.assertGreaterEqual(self.samples("post.h5"), 4 * self.samples("prior.h5"))
        self.assertEqual(datasets(self.path("post.h5")), datasets(self.path("post3.h5")))
        with h5py.File(self.path("post.h5")) as f:
            # The stored posterior median: e^2 = 7.389, within the 1 % asked.
            i = list(f["quantile_levels"][()]).index(0.5)
            median = float(np.ravel(f["posterior/x/quantiles"][i])[0])
        self.assertLess(abs(median / math.exp(2.0) - 1), 0.01)

    def test_interrupted_posterior_precision_run_resumes_to_the_same_bits(self):
        # An unreachable target capped by --max-samples, so the run is long
        # enough to interrupt; its checkpoint holds the posterior's groups.
        sc = self.write("far.toml", FAR)
        until = ["--until", "posterior:p99:x:0.2%", "--max-samples", "6e6", "-t", "1"]
        self.assertEqual(run("run", sc, "-q", *until, "-o", "whole.h5", cwd=self.dir)[0], 0)
        ck = self.path("ck.bin")
        proc = subprocess.Popen([FLOPCAST, "run", sc, "-q", *until, "-o", "r.h5", "--checkpoint", ck,
                                 "--checkpoint-every", "0.05"], cwd=self.dir, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        self.stop_part_way(proc, ck, 0.0, signal.SIGINT)
        proc.wait()
        code, _, err = run("run", "--resume", ck, "-q", "-o", "r.h5", cwd=self.dir)
        self.assertEqual(code, 0, err)
        self.assertEqual(datasets(self.path("r.h5")), datasets(self.path("whole.h5")))

    def test_bad_posterior_targets_exit_2(self):
        sc = self.write("far.toml", FAR)
        code, out, err = run("run", sc, "-q", "--until", "posterior:mean:x:1%", "-o", "m.h5", cwd=self.dir)
        self.assertEqual(code, 2)
        self.assertIn("--until posterior:mean:x:1%: a posterior target is a quantile (median or pNN)", err)
        plain = self.write("plain.toml", FAR.split("[observations.far]")[0])
        code, out, err = run("run", plain, "-q", "--until", "posterior:median:x:1%", "-o", "m.h5", cwd=self.dir)
        self.assertEqual(code, 2)
        self.assertIn("scenario far has no [observations], so no posterior: drop 'posterior:'", err)
        self.assertEqual([f for f in self.files() if ".h5" in f], [])


CHIP_MIX = os.path.join(SOURCE_DIR, "scenarios", "examples", "chip-mix.toml")


class ObservedElement(ScratchTest):
    """`of = "x[dim=e]"`: an observation of one element of a dimensioned value."""

    def scenario(self, observation, formulas=""):
        with open(CHIP_MIX, encoding="utf-8") as f:
            text = f.read()
        if formulas:
            text = text.replace("[formulas]\n", "[formulas]\n" + formulas + "\n")
        return self.write("mix.toml", text + "\n[observations.seen]\n" + observation + "\n")

    def ess(self, name):
        with h5py.File(self.path(name)) as f:
            return f["posterior"].attrs["ess"]

    def test_the_selected_element_is_observed(self):
        # fleet_2024[region=us] is lognormal with median 3e6 and sigma
        # (ln 4.5e6 - ln 2e6) / (2 * 1.6449) = 0.24648; a `between` keeps
        # P(2.5e6 < x < 3.5e6) = Phi(ln(3.5/3) / s) - Phi(ln(2.5/3) / s) =
        # 0.50449 of the worlds, and the ESS share is that kept fraction:
        # within 5 binomial standard errors, sqrt(p (1 - p) / n) = 0.0035 at
        # n = 20,000. China's or the rest's element (medians 8e5, 6e5) would
        # keep almost none.
        sc = self.scenario('of = "fleet_2024[region=us]"\ndist = "between"\nmin = 2.5e6\nmax = 3.5e6')
        code, _, err = run("run", sc, "-n", "20000", "-q", "-o", "a.h5", cwd=self.dir)
        self.assertEqual(code, 0, err)
        s = 0.24648
        phi = lambda z: 0.5 * math.erfc(-z / math.sqrt(2))
        p = phi(math.log(3.5 / 3) / s) - phi(math.log(2.5 / 3) / s)
        self.assertLess(abs(self.ess("a.h5") / 20000 - p), 5 * math.sqrt(p * (1 - p) / 20000))

    def test_two_dimensions_select_what_the_formulas_select(self):
        # The same element through the formula language's selection: the
        # same weights, so the same bits (and the order of the dimensions in
        # `of` does not matter).
        obs = 'year = 2026\ndist = "lognormal"\nmedian = 2e6\np5 = 1e6\np95 = 4e6'
        a = self.scenario('of = "units[region=us, chip=H100]"\n' + obs, 'picked = "units[chip=H100, region=us]"')
        self.assertEqual(run("run", a, "-n", "20000", "-q", "-o", "a.h5", cwd=self.dir)[0], 0)
        b = self.scenario('of = "picked"\n' + obs, 'picked = "units[chip=H100, region=us]"')
        self.assertEqual(run("run", b, "-n", "20000", "-q", "-o", "b.h5", cwd=self.dir)[0], 0)
        self.assertEqual(self.ess("a.h5"), self.ess("b.h5"))
        c = self.scenario('of = "units[chip=B200, region=us]"\n' + obs, 'picked = "units[chip=H100, region=us]"')
        self.assertEqual(run("run", c, "-n", "20000", "-q", "-o", "c.h5", cwd=self.dir)[0], 0)
        self.assertNotEqual(self.ess("a.h5"), self.ess("c.h5"))

    def test_bad_selections_name_the_line_and_exit_2(self):
        between = '\ndist = "between"\nmin = 1\nmax = 2'
        for of, message in (
                ('fleet_2024', "'fleet_2024' has dimensions (region): observe one element, e.g. \"fleet_2024[region=us]\""),
                ('fleet_2024[region=mars]', "'mars' is not an element of region (us, china, rest)"),
                ('fleet_2024[chip=H100]', "'fleet_2024' has no dimension 'chip' (its dimensions: region)"),
                ('units[chip=H100]', "select an element of every dimension of 'units' (chip, region)"),
                ('lifetime[chip=H100]', "'lifetime' has no dimensions, so the selection [chip=H100] selects nothing")):
            sc = self.scenario(f'of = "{of}"' + (between if of.startswith(("fleet", "lifetime")) else '\nyear = 2026' + between))
            with open(sc, encoding="utf-8") as f:
                line = 1 + f.read().splitlines().index(f'of = "{of}"')
            code, out, err = run("run", sc, "-n", "2000", "-q", "-o", "bad.h5", cwd=self.dir)
            self.assertEqual(code, 2, of)
            self.assertIn(f"mix.toml:{line}: observations.seen.of: {message}", err)
            self.assertEqual([f for f in self.files() if ".h5" in f], [])
