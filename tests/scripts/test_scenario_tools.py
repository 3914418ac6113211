"""scripts/scenario_lang.py and scripts/scenario_diagram.py: the formula parser's
precedence and shapes, the dimensioned scenario they read run by the real binary
against a numpy twin on kept samples (so the scripts and the engine read the
language alike), and the diagram of a small scenario."""
import os
import subprocess
import sys
import tempfile
import unittest

import h5py
import numpy as np

SOURCE_DIR = os.environ.get("FLOPCAST_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
FLOPCAST = os.environ.get("FLOPCAST", "flopcast")
sys.path.insert(0, os.path.join(SOURCE_DIR, "scripts"))
import scenario_lang as L  # noqa: E402
import scenario_diagram  # noqa: E402

SCENARIO = """
[scenario]
name = "dims-twin"
first_year = 2024
last_year = 2026
samples = 4096
seed = 7

[dimensions]
chip = ["A100", "H100", "other"]

[inputs.a]
over = ["chip"]
dist = "uniform"
min = { A100 = 0.0, H100 = 0.2, other = 0.4 }
max = 1.0

[inputs.w]
over = ["chip"]
dist = "constant"
value = { A100 = 1, H100 = 2, other = -1 }

[inputs.g]
dist = "lognormal"
median = 1.5
p95 = 2.0

[formulas]
s = "sum(a * w, chip)"
m = "max(a, chip) - min(a, chip)"
sel = "a[chip=H100] * g"
c = "clamp(a, 0.3, 0.7)"
i = "if(a > 0.5 and not (w < 0), a, -a)"
k = "if(w == 2, 10, 0) + a"
sc = "scurve(year, 2025, 0.8) * a"
run = "prev(run, 1) * g + a"

[outputs.a]
[outputs.s]
[outputs.m]
[outputs.sel]
[outputs.c]
[outputs.i]
[outputs.k]
[outputs.sc]
[outputs.run]
[outputs.g]
"""


class Parser(unittest.TestCase):
    def test_precedence(self):
        self.assertEqual(L.parse("-2^2"), ("neg", ("bin", "^", ("num", "2"), ("num", "2"))))
        self.assertEqual(L.parse("a + b * c")[1], "+")
        self.assertEqual(L.parse("a < b + 1")[1], "<")
        self.assertEqual(L.parse("a < b and c or d")[1], "or")
        self.assertEqual(L.parse("not a == b")[0], "not")
        self.assertEqual(L.parse("x[chip=H100] ^ 2")[2][0], "sel")

    def test_shapes_and_names(self):
        with tempfile.TemporaryDirectory() as d:
            p = os.path.join(d, "s.toml")
            with open(p, "w") as f:
                f.write(SCENARIO)
            s = L.Scenario(p)
        self.assertEqual(s.shape("s"), [])
        self.assertEqual(s.shape("sel"), [])
        self.assertEqual(s.shape("c"), ["chip"])
        self.assertEqual(s.shape("run"), ["chip"])
        self.assertEqual(s.uses("s"), {"a", "w"})


class DimensionedTwin(unittest.TestCase):
    """The dimensioned scenario, run by flopcast as written, against numpy on the same samples."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        src = os.path.join(cls.tmp.name, "dims.toml")
        with open(src, "w") as f:
            f.write(SCENARIO)
        cls.h5 = os.path.join(cls.tmp.name, "dims.h5")
        p = subprocess.run([FLOPCAST, "run", src, "-q", "--keep-samples", "-o", cls.h5],
                           capture_output=True, text=True)
        assert p.returncode == 0, p.stderr
        f = h5py.File(cls.h5)
        cls.x = {k: f[f"samples/{k}"][()] for k in f["samples"]}
        f.close()

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_twin(self):
        x, chips, w = self.x, ["A100", "H100", "other"], np.array([1.0, 2.0, -1.0])
        a = np.stack([x[f"a[{e}]"] for e in chips], axis=-1)  # sample x year x chip (a is drawn once)
        if a.ndim == 2:
            a = a[:, None, :]
        g = x["g"].reshape(-1, 1)
        years = np.array([2024, 2025, 2026])
        close = lambda got, want: np.testing.assert_allclose(got, np.broadcast_to(want, got.shape), rtol=1e-12)  # noqa: E731
        close(x["s"], (a * w).sum(-1).squeeze())
        close(x["m"], (a.max(-1) - a.min(-1)).squeeze())
        close(x["sel"], (a[..., 1] * g).squeeze())
        for j, e in enumerate(chips):
            close(x[f"c[{e}]"], np.clip(a[..., j], 0.3, 0.7).squeeze())
            close(x[f"i[{e}]"], np.where((a[..., j] > 0.5) & (w[j] >= 0), a[..., j], -a[..., j]).squeeze())
            close(x[f"k[{e}]"], ((10.0 if w[j] == 2 else 0.0) + a[..., j]).squeeze())
            sc = 1 / (1 + np.exp(-(years - 2025) / 0.8))
            close(x[f"sc[{e}]"], sc * a[:, 0, j:j + 1])
            run = np.empty((a.shape[0], 3))
            prev = np.ones(a.shape[0])
            for t in range(3):
                prev = prev * g[:, 0] + a[:, 0, j]
                run[:, t] = prev
            close(x[f"run[{e}]"], run)


class Diagram(unittest.TestCase):
    def test_small_scenario(self):
        with tempfile.TemporaryDirectory() as d:
            p = os.path.join(d, "s.toml")
            with open(p, "w") as f:
                f.write(SCENARIO)
            text = scenario_diagram.diagram(p)
        self.assertTrue(text.startswith("flowchart LR\n"))
        self.assertIn('na("a [chip]")', text)
        self.assertIn("na --> ns", text)
        self.assertIn("nw --> ns", text)
        self.assertIn("ng --> nrun", text)
        self.assertNotIn("nrun --> nrun", text)


if __name__ == "__main__":
    unittest.main()
