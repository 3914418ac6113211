"""The SSE2, AVX2 and AVX-512 loops (engine/simd/simd_level.hpp) give bit-identical files.

A machine without AVX2 runs the SSE2 loops; FLOPCAST_SIMD=sse2 makes this one
do so, and FLOPCAST_SIMD=avx2 keeps the draws' kernels at AVX2 where the CPU
would pick AVX-512 for them (on a CPU without it, that run repeats "auto"). Every scenario shipped in scenarios/ is run both ways with its samples
kept, and a model whose outputs are NaN of both signs checks that the files
carry one NaN (output/hdf5_writer.hpp's with_one_nan): which NaN an operation
on two NaNs returns depends on the order the compiler gave its operands.
"""
import glob
import os
import unittest

import h5py
import numpy as np

from clitools import SOURCE_DIR, ScratchTest, run
from h5same import datasets

NAN_MODEL = """
[scenario]
name = "nans"
first_year = 2023
last_year = 2025
samples = 5000
seed = 3

[inputs.a]
dist = "normal"
mean = 0
sd = 1

[formulas]
# (a - a) / (a - a) is the x86 default NaN, sign bit set; its negation has it
# clear; their sum is one or the other by the operands' order. log(a) is NaN
# for the negative half of the samples.
indefinite = "(a - a) / (a - a)"
mixed = "(a - a) / (a - a) + -((a - a) / (a - a)) + t"
half = "log(a) * growth(1.1) + -log(a) * t"

[outputs.mixed]
[outputs.half]
[outputs.indefinite]
"""

def differing(a, b):
    """Names of the datasets that differ between two files (or exist in one only)."""
    da, db = datasets(a), datasets(b)
    return sorted(n for n in set(da) | set(db) if da.get(n) != db.get(n))


CANONICAL_NAN = np.array([np.nan]).view(np.uint64)[0]


class SimdTest(ScratchTest):
    def run_all(self, scenario, name, *extra):
        paths = []
        for simd in ("auto", "sse2", "avx2"):
            p = self.path(f"{name}-{simd}.h5")
            code, _, err = run("run", scenario, "-n", "20000", "-q", "--keep-samples", "-o", p, *extra,
                               env={"FLOPCAST_SIMD": simd})
            self.assertEqual(code, 0, err)
            paths.append(p)
        return paths

    def test_every_shipped_scenario_gives_the_same_bits(self):
        scenarios = sorted(glob.glob(os.path.join(SOURCE_DIR, "scenarios", "**", "*.toml"), recursive=True))
        self.assertGreaterEqual(len(scenarios), 5)
        for scenario in scenarios:
            with self.subTest(scenario=os.path.relpath(scenario, SOURCE_DIR)):
                a, b, c = self.run_all(scenario, os.path.basename(scenario))
                self.assertTrue(any(n.startswith("samples/") for n in datasets(a)))
                self.assertEqual(differing(a, b), [])
                self.assertEqual(differing(a, c), [])

    def test_nans_of_either_sign_are_written_as_one_nan(self):
        a, b, c = self.run_all(self.write("nans.toml", NAN_MODEL), "nans")
        self.assertEqual(differing(a, b), [])
        self.assertEqual(differing(a, c), [])
        with h5py.File(a) as f:
            for name in ("mixed", "half", "indefinite"):
                bits = f[f"samples/{name}"][()].view(np.uint64)
                values = f[f"samples/{name}"][()]
                nan = np.isnan(values)
                self.assertTrue(nan.any(), name)
                self.assertTrue((bits[nan] == CANONICAL_NAN).all(), name)
                # The statistics count them and leave them out.
                self.assertEqual(int(np.sum(f[f"summary/{name}/nan"][()])), int(nan.sum()), name)
            # log(a) is NaN exactly where a < 0: about half, not all.
            half = np.isnan(f["samples/half"][()][:, 1])
            self.assertTrue(0.4 < half.mean() < 0.6)


if __name__ == "__main__":
    unittest.main()
