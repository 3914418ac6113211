"""flopcast sensitivity as a user types it: the HDF5 layout read back with h5py, and usage errors."""
import os
import subprocess
import unittest

import h5py
import numpy as np

from clitools import SOURCE_DIR, ScratchTest, run

BENCHMARKS = os.path.join(SOURCE_DIR, "scenarios", "benchmarks")
ISHIGAMI = os.path.join(BENCHMARKS, "ishigami.toml")
LINEAR = os.path.join(BENCHMARKS, "linear.toml")
# Ishigami (a = 7, b = 0.1): first order and total indices of x1, x2, x3.
FIRST = [0.3139, 0.4424, 0.0]
TOTAL = [0.5576, 0.4424, 0.2437]


def texts(ds):
    return [v.decode() if isinstance(v, bytes) else v for v in ds[()]]


class SobolIshigami(ScratchTest):
    def test_sobol_writes_the_layout_the_plotting_scripts_read(self):
        path = self.path("ish.h5")
        code, out, err = run("sensitivity", ISHIGAMI, "--method", "sobol", "-n", "16384", "-o", path)
        self.assertEqual(code, 0, err)
        # The cost is announced before the run, the ranking printed after.
        self.assertIn("N = 16,384 rows: N x (k + 2) = 81,920 model evaluations", err)
        self.assertIn("f: total Sobol index of x1", out)
        self.assertEqual(self.files(), ["ish.h5"])
        with h5py.File(path) as f:
            self.assertIn("flopcast_version", f.attrs)
            self.assertIn("summary/f", f)
            g = f["sensitivity/sobol/f"]
            self.assertEqual(texts(g["inputs"]), ["x1", "x2", "x3"])
            for name in ["first", "total", "first_low", "first_high", "total_low", "total_high"]:
                self.assertEqual(g[name].shape, (3,), name)  # a scalar output: [k]
                self.assertEqual(g[name].dtype, np.float64)
            np.testing.assert_allclose(g["first"][()], FIRST, atol=0.03)
            np.testing.assert_allclose(g["total"][()], TOTAL, atol=0.03)
            self.assertTrue(np.all(g["first_low"][()] <= g["first"][()]))
            self.assertTrue(np.all(g["total"][()] <= g["total_high"][()]))
            self.assertEqual(f["sensitivity/sobol"].attrs["rows"], 16384)
            self.assertEqual(f["sensitivity/sobol"].attrs["evaluations"], 16384 * 5)

    def test_same_bits_at_one_and_eight_threads(self):
        paths = []
        for threads in (1, 8):
            p = self.path(f"t{threads}.h5")
            code, _, err = run("sensitivity", ISHIGAMI, "--method", "sobol", "-n", "5000", "-t", threads, "-q", "-o", p)
            self.assertEqual(code, 0, err)
            paths.append(p)
        with h5py.File(paths[0]) as a, h5py.File(paths[1]) as b:
            for name in ["first", "total", "first_low", "first_high", "total_low", "total_high", "rows"]:
                self.assertEqual(a["sensitivity/sobol/f/" + name][()].tobytes(),
                                 b["sensitivity/sobol/f/" + name][()].tobytes(), name)

    def test_plot_script_draws_it(self):
        path, png = self.path("ish.h5"), self.path("sobol.png")
        self.assertEqual(run("sensitivity", ISHIGAMI, "--method", "sobol", "-n", "4096", "-q", "-o", path)[0], 0)
        p = subprocess.run(["/usr/bin/python3", os.path.join(SOURCE_DIR, "scripts", "plot.py"), "sobol", path,
                            "--output", "f", "-o", png], capture_output=True, text=True, timeout=300)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertTrue(os.path.getsize(png) > 0)


class YearlyLayout(ScratchTest):
    def test_tornado_of_a_yearly_output_is_k_by_years_with_a_baseline(self):
        path = self.path("lin.h5")
        code, out, err = run("sensitivity", LINEAR, "--method", "tornado", "-q", "-o", path, "--year", "2024")
        self.assertEqual(code, 0, err)
        # The baseline says what it is, beside the run's own median.
        self.assertRegex(out, r"y, 2024: every input at its median: 8\.00; run median 8\.\d\d; widest swing a")
        with h5py.File(path) as f:
            g = f["sensitivity/tornado/y"]
            self.assertEqual(texts(g["inputs"]), ["a", "b", "c", "d", "e"])
            self.assertEqual(g["low"].shape, (5, 3))
            self.assertEqual(g["high"].shape, (5, 3))
            np.testing.assert_allclose(g.attrs["baseline"], [5.0, 8.0, 11.0])
            np.testing.assert_allclose(g["run_median"][()], [5.0, 8.0, 11.0], atol=0.1)
            self.assertEqual(g.attrs["transform"], "none")
            self.assertEqual(f["sensitivity/tornado"].attrs["fixed_inputs"], "k")
            self.assertEqual(list(f["years"][()]), [2023, 2024, 2025])

    def test_every_method_writes_its_group(self):
        for method, names in [("correlation", ["spearman", "prcc"]), ("morris", ["mu_star", "mu", "sigma"]),
                              ("sobol", ["first", "total"]), ("delta", ["delta"])]:
            path = self.path(method + ".h5")
            code, _, err = run("sensitivity", LINEAR, "--method", method, "-q", "-o", path)
            self.assertEqual(code, 0, err)
            with h5py.File(path) as f:
                for n in names:
                    self.assertEqual(f[f"sensitivity/{method}/y/{n}"].shape, (5, 3), (method, n))
                self.assertIn("summary/y", f)

    def test_groups_make_one_factor(self):
        path = self.path("g.h5")
        code, _, err = run("sensitivity", LINEAR, "--method", "sobol", "-q", "-o", path, "--groups", "small=d,e")
        self.assertEqual(code, 0, err)
        with h5py.File(path) as f:
            self.assertEqual(texts(f["sensitivity/sobol/y/inputs"]), ["a", "b", "c", "small"])
            self.assertEqual(texts(f["sensitivity/sobol/y/members"]), ["a", "b", "c", "d,e"])


class Transform(ScratchTest):
    PRODUCT = os.path.join(BENCHMARKS, "lognormal-product.toml")

    def test_raw_sobol_of_a_product_warns_and_log10_matches_the_variance_shares(self):
        raw, logged = self.path("raw.h5"), self.path("log.h5")
        code, out, err = run("sensitivity", self.PRODUCT, "--method", "sobol", "-n", "16384", "-q", "-o", raw)
        self.assertEqual(code, 0, err)
        self.assertIn("warning: y: the output is heavy-tailed", out)
        self.assertIn("try --transform y=log", out)
        code, out, err = run("sensitivity", self.PRODUCT, "--method", "sobol", "-n", "16384", "-q", "-o", logged,
                             "--transform", "y=log")
        self.assertEqual(code, 0, err)
        self.assertIn("y (log10): total Sobol index of a", out)
        self.assertNotIn("warning", out)
        with h5py.File(raw) as f:
            self.assertEqual(f["sensitivity/sobol/y"].attrs["transform"], "none")
            self.assertIn("heavy-tailed", f["sensitivity/sobol/y"].attrs["warnings"])
        with h5py.File(logged) as f:
            g = f["sensitivity/sobol/y"]
            self.assertEqual(g.attrs["transform"], "log10")
            self.assertEqual(g.attrs["warnings"], "")
            # sigma_i^2 / sum sigma^2; at N = 16,384 the intervals are about +-0.01.
            np.testing.assert_allclose(g["total"][()], [0.4324, 0.3003, 0.1922, 0.0751], atol=0.03)

    def test_transform_errors_name_the_value(self):
        for args, fragment in [
            (["--method", "sobol", "--transform", "sqrt"], "--transform sqrt: expected log, rank or none"),
            (["--method", "sobol", "--transform", "z=log"], "--transform z=log: no output 'z'"),
            (["--method", "tornado", "--transform", "rank"], "--method tornado analyses a design streamed in blocks"),
        ]:
            code, out, err = run("sensitivity", self.PRODUCT, *args, "-o", self.path("x.h5"))
            self.assertEqual(code, 2, (args, err))
            self.assertIn(fragment, err)
        self.assertEqual(self.files(), [])


class Delta(ScratchTest):
    def test_delta_ranks_ishigami_as_published_and_writes_its_layout(self):
        path = self.path("d.h5")
        code, out, err = run("sensitivity", ISHIGAMI, "--method", "delta", "-n", "65536", "-q", "-o", path)
        self.assertEqual(code, 0, err)
        self.assertIn("f: largest delta x2; an input that does not matter scores", out)
        with h5py.File(path) as f:
            g = f["sensitivity/delta/f"]
            self.assertEqual(texts(g["inputs"]), ["x1", "x2", "x3"])
            self.assertEqual(g["delta"].shape, (3,))
            d = g["delta"][()]
            # Published given-data estimates (Plischke et al. 2013): about 0.22, 0.39, 0.17.
            np.testing.assert_allclose(d, [0.22, 0.39, 0.17], atol=0.03)
            self.assertLess(g["dummy"][()], 0.02)
            self.assertEqual(g["classes"][()], 16)
            self.assertEqual(f["sensitivity/delta"].attrs["samples"], 65536)
            self.assertIn("summary/f", f)


class Errors(ScratchTest):
    CORRELATED = """
[scenario]
name = "corr"
first_year = 2023
last_year = 2023
[inputs.a]
dist = "normal"
mean = 0
sd = 1
[inputs.b]
dist = "normal"
mean = 0
sd = 1
[correlation]
pairs = [["a", "b", 0.5]]
[formulas]
y = "a + b"
[outputs.y]
"""

    def check_usage(self, args, fragment):
        code, out, err = run("sensitivity", *args, cwd=self.dir)
        self.assertEqual(code, 2, (args, out, err))
        self.assertIn(fragment, err, args)
        self.assertEqual([f for f in self.files() if f.endswith(".h5") or ".tmp-" in f], [], args)

    def test_bad_usage_exits_2_with_a_message_and_no_file(self):
        self.check_usage([ISHIGAMI], "--method is required")
        self.check_usage([ISHIGAMI, "--method", "anova"], "anova")
        self.check_usage([ISHIGAMI, "--method", "sobol", "--low", "0.2"], "--low applies to --method tornado, not sobol")
        self.check_usage([ISHIGAMI, "--method", "tornado", "-n", "100"], "--samples applies to --method correlation or sobol or delta, not tornado")
        self.check_usage([ISHIGAMI, "--method", "sobol", "--output", "g"], "no output 'g'")
        self.check_usage([LINEAR, "--method", "sobol", "--year", "2030"], "--year 2030 is not a year of the scenario (2023-2025)")
        self.check_usage([ISHIGAMI, "--method", "sobol", "--groups", "x1,x9"], "no input 'x9'")
        self.check_usage([ISHIGAMI, "--method", "sobol", "-n", "0"], "--samples must be at least 1; got 0")
        self.check_usage([ISHIGAMI, "--method", "morris", "--levels", "3"], "--levels must be an even number")
        self.check_usage([ISHIGAMI, "--method", "tornado", "--low", "0.9", "--high", "0.1"], "--low 0.9 --high 0.1")
        self.check_usage([ISHIGAMI, "--method", "correlation", "--groups", "x1,x2"], "--groups applies to")
        self.check_usage([ISHIGAMI, "--method", "delta", "--groups", "x1,x2"],
                         "--groups applies to --method tornado or sobol or morris, not delta")
        self.check_usage([ISHIGAMI, "--method", "sobol", "--classes", "8"], "--classes applies to --method delta, not sobol")
        self.check_usage([ISHIGAMI, "--method", "delta", "--classes", "1"], "--classes must be 0 (automatic) or 2 to 1000; got 1")
        self.check_usage([ISHIGAMI, "--method", "sobol", "-o", os.path.join(self.dir, "nope", "x.h5")],
                         "the folder")
        self.check_usage(["missing.toml", "--method", "sobol"], "missing.toml")

    def test_correlated_inputs_need_a_group_for_sobol(self):
        scenario = self.write("corr.toml", self.CORRELATED)
        self.check_usage([scenario, "--method", "sobol"], "put correlated inputs in one factor with --groups \"a,b\"")
        code, _, err = run("sensitivity", scenario, "--method", "sobol", "--groups", "a,b", "-q",
                           "-o", self.path("ok.h5"))
        self.assertEqual(code, 0, err)
        # Rank correlations work with correlated inputs as they are.
        code, _, err = run("sensitivity", scenario, "--method", "correlation", "-q", "-o", self.path("c.h5"))
        self.assertEqual(code, 0, err)


if __name__ == "__main__":
    unittest.main()
