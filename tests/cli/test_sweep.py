"""flopcast sweep: every variant with the same random numbers (the inputs a
variant does not change are drawn bit for bit alike), the cartesian grid,
the variants file and its errors, and nothing written or sampled when any
variant is bad."""
import os

import h5py
import numpy as np

from clitools import ScratchTest, run

# Rejection-sampled inputs (gamma, PERT), a lognormal, a per-year input and
# a correlated pair, each kept as an output so its samples can be compared.
SCENARIO = """
[scenario]
name = "crn"
first_year = 2023
last_year = 2025
samples = 5000
seed = 42

[inputs.g]
dist = "gamma"
shape = 2.0
scale = 1.5

[inputs.p]
dist = "pert"
min = 3
mode = 4
max = 7

[inputs.w]
dist = "lognormal"
median = 10
p95 = 20

[inputs.y]
dist = "gamma"
per_year = true
shape = { 2023 = 2.0, 2024 = 3.0, 2025 = 4.0 }
scale = 1.0

[inputs.c1]
dist = "lognormal"
median = 5
p95 = 9

[inputs.c2]
dist = "beta"
alpha = 2
beta = 5

[correlation]
pairs = [["c1", "c2", 0.5]]

[formulas]
total = "g + p + w + y + c1 + c2"

[outputs.total]
[outputs.g]
keep = true
[outputs.p]
keep = true
[outputs.w]
keep = true
[outputs.y]
keep = true
[outputs.c1]
keep = true
[outputs.c2]
keep = true
"""
INPUTS = ["g", "p", "w", "y", "c1", "c2"]


class Sweep(ScratchTest):
    def setUp(self):
        super().setUp()
        self.scenario = self.write("crn.toml", SCENARIO)

    def kept(self, *sets):
        """Every input's samples of `flopcast run` with these overrides."""
        out = self.path(f"run{len(os.listdir(self.dir))}.h5")
        args = ["run", self.scenario, "-q", "-o", out]
        for s in sets:
            args += ["--set", s]
        code, _, err = run(*args)
        self.assertEqual(code, 0, err)
        with h5py.File(out) as f:
            return out, {name: f[f"samples/{name}"][()] for name in INPUTS}

    def test_variants_share_random_numbers(self):
        # The swept input's parameters change (for g and p the number of
        # random words a draw consumes changes: rejection sampling); every
        # other input's samples must stay bit-identical, and the swept one
        # must change, or the check proves nothing.
        _, base = self.kept()
        for sets, swept in ((["inputs.g.shape=0.7"], "g"), (["inputs.p.mode=6"], "p"),
                            (["inputs.p.dist=\"triangular\""], "p"), (["inputs.c2.alpha=4"], "c2"),
                            (["inputs.y.shape.2025=9.0"], "y")):
            _, other = self.kept(*sets)
            for name in INPUTS:
                with self.subTest(sets=sets, input=name):
                    same = base[name].tobytes() == other[name].tobytes()
                    if name == swept:
                        self.assertFalse(same, f"{name} should change with {sets}")
                    else:
                        self.assertTrue(same, f"{name} changed with {sets}")
        # One year of a per-year input: only that year changes.
        _, other = self.kept("inputs.y.shape.2025=9.0")
        np.testing.assert_array_equal(base["y"][:, :2], other["y"][:, :2])
        self.assertFalse(np.array_equal(base["y"][:, 2], other["y"][:, 2]))

    def test_sweep_variant_is_the_run_with_its_overrides(self):
        # A sweep's variant holds exactly the summary `flopcast run --set`
        # gives (same seed, same draws), so the sharing checked above on kept
        # samples holds inside the sweep too.
        out = self.path("s.h5")
        code, stdout, err = run("sweep", self.scenario, "--grid", "inputs.g.shape=0.7,2.0", "-q", "-o", out)
        self.assertEqual(code, 0, err)
        from h5same import datasets  # scripts/h5same.py
        swept = datasets(out)
        for value in ("0.7", "2.0"):
            single, _ = self.kept(f"inputs.g.shape={value}")
            expected = {k: v for k, v in datasets(single).items() if k.startswith("summary/")}
            got = {k[len(f"variants/g.shape={value}/"):]: v for k, v in swept.items()
                   if k.startswith(f"variants/g.shape={value}/summary/")}
            self.assertGreater(len(expected), 40)
            self.assertEqual(got, expected, value)
        with h5py.File(out) as f:
            # Outputs that do not use g are identical across the variants.
            a, b = f["variants/g.shape=0.7/summary"], f["variants/g.shape=2.0/summary"]
            for name in ("p", "w", "y", "c1", "c2"):
                self.assertEqual(a[f"{name}/quantiles"][()].tobytes(), b[f"{name}/quantiles"][()].tobytes(), name)
            self.assertNotEqual(a["g/quantiles"][()].tobytes(), b["g/quantiles"][()].tobytes())

    def test_grid_runs_every_combination(self):
        out = self.path("grid.h5")
        code, stdout, err = run("sweep", self.scenario, "--grid", "inputs.g.shape=1.0,2.0,3.0",
                                "--grid", "inputs.w.median=8,12", "--set", "inputs.p.mode=5", "-n", "3000",
                                "--seed", "7", "-o", out)
        self.assertEqual(code, 0, err)
        names = [f"g.shape={a},w.median={b}" for a in ("1.0", "2.0", "3.0") for b in ("8", "12")]
        self.assertEqual(err.count("flopcast: variant "), 6, err)  # one start line per variant
        with h5py.File(out) as f:
            self.assertEqual(f.attrs["kind"], "sweep")
            self.assertEqual(int(f.attrs["seed"]), 7)
            self.assertEqual([n.decode() for n in f["sweep/variant"][()]], names)
            self.assertEqual(sorted(f["variants"].keys()), sorted(names))
            self.assertEqual([k.decode() for k in f["sweep/keys"][()]], ["inputs.g.shape", "inputs.w.median"])
            self.assertEqual([v.decode() for v in f["sweep/settings/inputs.w.median"][()]], ["8", "12"] * 3)
            for n in names:
                g = f[f"variants/{n}"]
                self.assertEqual(int(g.attrs["seed"]), 7)
                self.assertEqual(int(g.attrs["samples"]), 3000)
                self.assertEqual(g.attrs["overrides"].split("\n")[0], "inputs.p.mode=5")
                self.assertEqual(int(g["summary/total/count"][()][-1]), 3000)
            # The headline table is each variant's final-year quantiles.
            levels = list(f["quantile_levels"][()])
            for i, n in enumerate(names):
                q = f[f"variants/{n}/summary/total/quantiles"][()]
                self.assertEqual(f["sweep/headline/total/median"][i], q[levels.index(0.5), -1])
                self.assertEqual(f["sweep/headline/total/p95"][i], q[levels.index(0.95), -1])
                self.assertEqual(f["sweep/headline/total/year"][i], 2025)
            # The root describes the base scenario, as a result file does.
            self.assertIn("inputs", f)
            self.assertEqual(list(f["years"][()]), [2023, 2024, 2025])
        for n in names:
            self.assertIn(n, stdout)
        self.assertIn("total in 2025", stdout)

    def test_variants_file(self):
        variants = self.write("sweep.toml", """
[variants.low]
inputs.g.shape = 1.0

[variants.high]
inputs.g.shape = 4.0
inputs.w.p95 = 30

[variants.base]
""")
        out = self.path("v.h5")
        code, stdout, err = run("sweep", self.scenario, "--variants", variants, "-q", "-n", "2048", "-o", out)
        self.assertEqual(code, 0, err)
        with h5py.File(out) as f:
            self.assertEqual([n.decode() for n in f["sweep/variant"][()]], ["low", "high", "base"])
            self.assertEqual([v.decode() for v in f["sweep/settings/inputs.w.p95"][()]], ["", "30", ""])
            self.assertEqual(f["variants/high"].attrs["settings"], "inputs.g.shape=4.0\ninputs.w.p95=30")
        self.assertIn("low", stdout)

    def assert_refused(self, args, *fragments):
        out = self.path("bad.h5")
        code, stdout, err = run("sweep", self.scenario, *args, "-o", out)
        self.assertEqual(code, 2, err)
        for fragment in fragments:
            self.assertIn(fragment, err)
        self.assertNotIn("flopcast: variant", err, "sampling started before every variant was checked")
        self.assertEqual([f for f in self.files() if not f.endswith(".toml")], [], "a refused sweep left a file")

    def test_bad_grid_fails_before_sampling_naming_the_key(self):
        self.assert_refused(["--grid", "inputs.g.shap=1,2"], "--grid variant g.shap=1", "inputs.g", "shap")
        self.assert_refused(["--grid", "inputs.nothere.median=1"], "inputs.nothere")
        # Only the last value is bad: still refused before the first variant runs.
        self.assert_refused(["--grid", "inputs.w.median=10,12,30"], "--grid variant w.median=30",
                            "inputs.w")
        self.assert_refused(["--grid", "inputs.g.shape"], "--grid inputs.g.shape: expected KEY=V1,V2")
        self.assert_refused(["--grid", "inputs.g.shape=1,,2"], "empty value")
        self.assert_refused([], "give the variants, with --grid")
        self.assert_refused(["--grid", "inputs.g.shape=1", "--variants", self.write("v.toml", "[variants.a]\n")],
                            "either --grid or --variants, not both")

    def test_variants_file_errors_name_file_line_and_field(self):
        v = self.write("v1.toml", "[variants.a]\ninputs.g.shape = 1.0\n\n[variants.b]\ninputs.w.p95 = 2\n")
        # w: median 10, p95 2 is below the median: the scenario's check, placed at the variant's line.
        self.assert_refused(["--variants", v], f"{v}:5: variants.b:", "inputs.w")
        v = self.write("v2.toml", "[variants.a]\ninputs.g.shape = [1, 2]\n")
        self.assert_refused(["--variants", v], f"{v}:2: variants.a.inputs.g.shape: only single values")
        v = self.write("v3.toml", "[variant.a]\ninputs.g.shape = 1\n")
        self.assert_refused(["--variants", v], f"{v}:1: variant: unknown field")
        v = self.write("v4.toml", "[variants.a]\ninputs.g.shape = \n")
        self.assert_refused(["--variants", v], f"{v}:2:", "not valid TOML")
        self.assert_refused(["--variants", self.path("missing.toml")], "cannot open the variants file")
