"""Dimensions end to end: a dimensioned scenario run with kept samples, and
every formula recomputed from the kept inputs with numpy (the twin), element
by element; --set of one element; correlation_within and [correlation]
naming one element."""
import h5py
import numpy as np

from clitools import ScratchTest, run

SCENARIO = """
[scenario]
name = "dims"
first_year = 2024
last_year = 2027
samples = 20000
seed = 5

[dimensions]
chip = ["A100", "H100", "B200"]
region = ["us", "china"]

[inputs.peak]
over = ["chip"]
dist = "constant"
value = { A100 = 312e12, H100 = 989e12, B200 = 2250e12 }

[inputs.util]
over = ["chip"]
dist = "uniform"
min = { A100 = 0.30, H100 = 0.35, B200 = 0.30 }
max = 0.55

[inputs.units]
over = ["region", "chip"]
dist = "lognormal"
median = { us = { A100 = 4e5, H100 = 2.0e6, B200 = 1e5 }, china = 3e5 }
p5     = { us = { A100 = 2e5, H100 = 1.2e6, B200 = 3e4 }, china = 1e5 }
p95    = { us = { A100 = 7e5, H100 = 3.0e6, B200 = 3e5 }, china = 8e5 }
correlation_within = 0.6

[inputs.growth_rate]
over = ["region"]
per_year = true
dist = "uniform"
min = { us = 1.1, china = 1.0 }
max = 1.6

[formulas]
flops = "units * peak * util * growth(growth_rate)"
by_chip = "sum(flops, region)"
total = "sum(by_chip, chip)"
share = "by_chip / total"
top = "max(flops, chip)"
low = "min(flops, region)"
avg_peak = "mean(peak, chip)"
prod_util = "prod(util, chip)"
sel = "flops[chip=H100, region=us]"
capped = "if(flops > 1.5e21, clamp(flops, 0, 3e21), scurve(year, 2025.5, 0.8))"
"""

OUTPUTS = ["units", "util", "growth_rate", "flops", "by_chip", "total", "share", "top", "low", "avg_peak",
           "prod_util", "sel", "capped"]
CHIPS = ["A100", "H100", "B200"]
REGIONS = ["us", "china"]


def scenario(extra=""):
    return SCENARIO + extra + "".join(f"[outputs.{o}]\nkeep = true\n" for o in OUTPUTS)


class Dimensions(ScratchTest):
    def run_ok(self, text, *extra, output="dims.h5"):
        self.write("dims.toml", text)
        rc, out, err = run("run", "dims.toml", "-o", output, "-q", *extra, cwd=self.dir)
        self.assertEqual(rc, 0, err)
        return out

    def test_numpy_twin_of_broadcasting_reductions_and_selection(self):
        out = self.run_ok(scenario())
        with h5py.File(self.path("dims.h5")) as f:
            s = f["samples"]
            u = {(r, c): s[f"units[{r},{c}]"][()] for r in REGIONS for c in CHIPS}
            util = {c: s[f"util[{c}]"][()] for c in CHIPS}
            g = {r: s[f"growth_rate[{r}]"][()] for r in REGIONS}  # samples x years
            peak = {"A100": 312e12, "H100": 989e12, "B200": 2250e12}
            n = u["us", "A100"].shape[0]
            self.assertEqual(n, 20000)
            self.assertEqual(g["us"].shape, (n, 4))
            # growth(): 1 in the first year, then the running product.
            run_prod = {r: np.cumprod(np.concatenate([np.ones((n, 1)), g[r][:, 1:]], axis=1), axis=1) for r in REGIONS}
            # Same operations in the same order as the tape: exact equality.
            flops = {(c, r): u[r, c][:, None] * peak[c] * util[c][:, None] * run_prod[r] for c in CHIPS for r in REGIONS}
            for (c, r), v in flops.items():
                np.testing.assert_array_equal(s[f"flops[{c},{r}]"][()], v)
            by_chip = {c: flops[c, "us"] + flops[c, "china"] for c in CHIPS}
            for c in CHIPS:
                np.testing.assert_array_equal(s[f"by_chip[{c}]"][()], by_chip[c])
            total = (by_chip["A100"] + by_chip["H100"]) + by_chip["B200"]
            np.testing.assert_array_equal(s["total"][()], total)
            for c in CHIPS:
                np.testing.assert_array_equal(s[f"share[{c}]"][()], by_chip[c] / total)
            for r in REGIONS:
                np.testing.assert_array_equal(s[f"top[{r}]"][()],
                                              np.maximum(np.maximum(flops["A100", r], flops["H100", r]), flops["B200", r]))
            for c in CHIPS:
                np.testing.assert_array_equal(s[f"low[{c}]"][()], np.minimum(flops[c, "us"], flops[c, "china"]))
            self.assertEqual(s["avg_peak"][0], (312e12 + 989e12 + 2250e12) / 3)
            np.testing.assert_array_equal(s["prod_util"][()], util["A100"] * util["H100"] * util["B200"])
            np.testing.assert_array_equal(s["sel"][()], flops["H100", "us"])
            years = np.arange(2024, 2028)
            curve = 1.0 / (1.0 + np.exp(-(years - 2025.5) / 0.8))
            for c in CHIPS:
                for r in REGIONS:
                    x = flops[c, r]
                    want = np.where(x > 1.5e21, np.clip(x, 0, 3e21), curve[None, :])
                    # exp: numpy's and the C library's may differ in the last bit.
                    np.testing.assert_allclose(s[f"capped[{c},{r}]"][()], want, rtol=4e-16, atol=0)
            # Both branches occur, so the test sees both.
            x = flops["H100", "us"]
            self.assertTrue((x > 1.5e21).any() and (x <= 1.5e21).any() and (x > 3e21).any())
        # The printed summary: one row block per element.
        self.assertIn("by_chip[H100]", out)
        self.assertIn("flops[B200,china]", out)

    def test_correlation_within_gives_the_rank_correlation_and_keeps_the_marginals(self):
        self.run_ok(scenario())
        with h5py.File(self.path("dims.h5")) as f:
            s = f["samples"]
            a, b = s["units[us,H100]"][()], s["units[china,A100]"][()]

        def ranks(x):
            return np.argsort(np.argsort(x))
        rho = np.corrcoef(ranks(a), ranks(b))[0, 1]
        # n = 20000: the standard error of a Spearman coefficient near 0.6 is
        # about (1 - 0.36) / sqrt(20000) = 0.0045; 0.03 is over 6 of them.
        self.assertAlmostEqual(rho, 0.6, delta=0.03)
        # The marginal is kept: the median of units[us,H100] is 2e6 (the
        # standard error of a sample median here is below 1 %; 3 % allowed).
        self.assertAlmostEqual(np.median(a) / 2.0e6, 1.0, delta=0.03)
        self.assertAlmostEqual(np.median(b) / 3e5, 1.0, delta=0.03)

    def test_correlation_table_names_one_element(self):
        text = scenario().replace("correlation_within = 0.6\n", "") + \
            '[correlation]\npairs = [["units[us,H100]", "util[H100]", -0.7]]\n'
        self.run_ok(text)
        with h5py.File(self.path("dims.h5")) as f:
            a, b = f["samples"]["units[us,H100]"][()], f["samples"]["util[H100]"][()]
            c = f["samples"]["units[us,A100]"][()]
        ra, rb, rc = (np.argsort(np.argsort(x)) for x in (a, b, c))
        self.assertAlmostEqual(np.corrcoef(ra, rb)[0, 1], -0.7, delta=0.03)  # as above
        self.assertAlmostEqual(np.corrcoef(ra, rc)[0, 1], 0.0, delta=0.03)   # independent by default

    def test_set_reaches_one_element(self):
        self.run_ok(scenario(), "--set", "inputs.peak.value.H100=1e15", "-n", "100")
        with h5py.File(self.path("dims.h5")) as f:
            self.assertEqual(f["samples"]["avg_peak"][0], (312e12 + 1e15 + 2250e12) / 3)

    def test_named_axes_every_axis_has_its_scale_and_the_arrays_stack_the_elements(self):
        self.run_ok(scenario())
        with h5py.File(self.path("dims.h5")) as f:
            self.assertEqual([x.decode() for x in f["dimensions/chip"][()]], CHIPS)
            self.assertEqual([x.decode() for x in f["dimensions/region"][()]], REGIONS)
            for scale in ("years", "quantile_levels", "dimensions/chip", "dimensions/region"):
                self.assertEqual(f[scale].attrs["CLASS"], b"DIMENSION_SCALE")

            def scales(d):
                return [[v.name for v in d.dims[i].values()] for i in range(d.ndim)]
            # flops: chip x region in declaration order, whatever over says.
            q = f["summary/flops/quantiles"]
            self.assertEqual(q.shape, (13, 4, 3, 2))
            self.assertEqual(scales(q), [["/quantile_levels"], ["/years"], ["/dimensions/chip"], ["/dimensions/region"]])
            self.assertEqual([q.dims[i].label for i in range(4)], ["quantile_level", "year", "chip", "region"])
            for stat in ("mean", "std", "stderr", "min", "max", "count", "nonfinite", "nan"):
                d = f[f"summary/flops/{stat}"]
                self.assertEqual(d.shape, (4, 3, 2))
                self.assertEqual(scales(d), [["/years"], ["/dimensions/chip"], ["/dimensions/region"]])
                for i, c in enumerate(CHIPS):
                    for j, r in enumerate(REGIONS):
                        np.testing.assert_array_equal(d[:, i, j], f[f"summary/flops[{c},{r}]/{stat}"][()])
            np.testing.assert_array_equal(q[:, :, 1, 0], f["summary/flops[H100,us]/quantiles"][()])
            self.assertEqual(f["summary/flops"].attrs["dimensions"], "chip,region")
            # A scalar array: only the dimension axes.
            self.assertEqual(f["summary/prod_util/mean"].shape, ())
            self.assertEqual(scales(f["summary/share/mean"]), [["/years"], ["/dimensions/chip"]])
            smp = f["samples/flops"]
            self.assertEqual(smp.shape, (20000, 4, 3, 2))
            self.assertEqual(scales(smp), [[], ["/years"], ["/dimensions/chip"], ["/dimensions/region"]])
            np.testing.assert_array_equal(smp[:, :, 2, 1], f["samples/flops[B200,china]"][()])
            # Plain outputs' axes too.
            self.assertEqual(scales(f["summary/total/quantiles"]), [["/quantile_levels"], ["/years"]])
            self.assertEqual(scales(f["samples/total"]), [[], ["/years"]])
            self.assertEqual(scales(f["summary/total/histogram/counts"])[0], ["/years"])

    def test_same_bits_at_one_and_two_threads(self):
        self.run_ok(scenario(), "-t", "1", output="one.h5")
        self.run_ok(scenario(), "-t", "2", output="two.h5")
        with h5py.File(self.path("one.h5")) as a, h5py.File(self.path("two.h5")) as b:
            for name in a["samples"]:
                np.testing.assert_array_equal(a["samples"][name][()], b["samples"][name][()])


class WorkedExample(ScratchTest):
    def test_the_example_prints_what_docs_scenario_format_shows(self):
        import os
        import re
        from clitools import SOURCE_DIR
        rc, out, err = run("run", os.path.join(SOURCE_DIR, "scenarios", "examples", "chip-mix.toml"), "-o",
                           "chip-mix.h5", "-q", cwd=self.dir)
        self.assertEqual(rc, 0, err)
        with open(os.path.join(SOURCE_DIR, "docs", "scenario-format.md"), encoding="utf-8") as f:
            doc = f.read()
        start = doc.index("chip-mix: Chip mix on S-curves")
        documented = doc[start:doc.index("```", start)].strip()
        printed = re.sub(r", \d+ thread\(s\), [0-9.]+ s \([^)]*\)", "", out.strip())
        self.assertEqual(printed, documented)


class Plots(ScratchTest):
    def test_stack_and_fans_of_a_dimensioned_output_and_the_loader_sees_its_elements(self):
        import os
        import subprocess
        import sys
        from clitools import SOURCE_DIR
        self.write("dims.toml", scenario())
        rc, _, err = run("run", "dims.toml", "-o", "dims.h5", "-q", "-n", "4000", cwd=self.dir)
        self.assertEqual(rc, 0, err)
        sys.path.insert(0, os.path.join(SOURCE_DIR, "scripts"))
        from flopcast_plots.results import load
        res = load(self.path("dims.h5"))
        dims, elements = res.arrays["flops"]
        self.assertEqual(dims, ["chip", "region"])
        self.assertEqual(elements[1], ("A100,china", "flops[A100,china]"))
        self.assertNotIn("flops", res.outputs)  # the stacked view is not an output of its own
        for kind in ("stack", "fans"):
            p = subprocess.run([sys.executable, os.path.join(SOURCE_DIR, "scripts", "plot.py"), kind, "dims.h5",
                                "--output", "by_chip", "-o", f"{kind}.png"], cwd=self.dir, capture_output=True, text=True)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertGreater(os.path.getsize(self.path(f"{kind}.png")), 1000)
        p = subprocess.run([sys.executable, os.path.join(SOURCE_DIR, "scripts", "plot.py"), "stack", "dims.h5",
                            "--output", "total"], cwd=self.dir, capture_output=True, text=True)
        self.assertEqual(p.returncode, 2)
        self.assertIn("'total' is not a dimensioned output", p.stderr)


class Sensitivity(ScratchTest):
    def test_sobol_groups_all_elements_of_an_input_and_all_inputs_over_one_element(self):
        # Sobol needs independent factors: units' elements uncorrelated here.
        self.write("dims.toml", scenario().replace("correlation_within = 0.6\n", ""))

        def sobol(groups, output):
            return run("sensitivity", "dims.toml", "-m", "sobol", "-n", "1024", "-o", output, "-q",
                       "--output", "total", "--groups", groups, cwd=self.dir)
        rc, out, err = sobol("units=units;rate=growth_rate;util[A100],util[B200]", "a.h5")
        self.assertEqual(rc, 0, err)
        for factor in ("units", "rate", "util[A100]+util[B200]", "util[H100]"):
            self.assertIn(factor, out)
        rc, out, err = sobol("h100=[chip=H100]", "b.h5")  # units[*,H100] and util[H100]
        self.assertEqual(rc, 0, err)
        self.assertIn("h100", out)
        self.assertIn("units[us,A100]", out)
        self.assertNotIn("units[us,H100]", out)
        # units[us,H100] would be in two groups: refused, naming both.
        rc, _, err = sobol("units;h100=[chip=H100]", "c.h5")
        self.assertEqual(rc, 2)
        self.assertIn("is in two groups", err)
