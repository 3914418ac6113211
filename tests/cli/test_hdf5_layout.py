"""The HDF5 layout documented in docs/hdf5-layout.md, read back with h5py."""
import unittest

import h5py
import numpy as np

from clitools import ScratchTest, run

LEVELS = [0.001, 0.01, 0.025, 0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95, 0.975, 0.99, 0.999]


class Layout(ScratchTest):
    @classmethod
    def setUpClass(cls):
        import tempfile
        cls._dir = tempfile.TemporaryDirectory(prefix="flopcast-h5-")
        cls.file = f"{cls._dir.name}/r.h5"
        code, _, err = run("run", "-n", "50000", "--seed", "9", "--keep-samples", "-q", "-o", cls.file)
        assert code == 0, err

    @classmethod
    def tearDownClass(cls):
        cls._dir.cleanup()

    def test_root_attributes(self):
        with h5py.File(self.file) as f:
            for a in ["flopcast_version", "git_commit", "scenario_name", "scenario_text", "overrides", "seed",
                      "samples", "sampling", "start_time", "wall_time_seconds"]:
                self.assertIn(a, f.attrs, a)
            self.assertEqual(f.attrs["scenario_name"], "csc-2023-baseline")
            self.assertEqual(int(f.attrs["seed"]), 9)
            self.assertEqual(int(f.attrs["samples"]), 50000)
            self.assertIn("[inputs.train_mfu]", f.attrs["scenario_text"])
            np.testing.assert_array_equal(f["years"][()], [2023, 2024, 2025, 2026, 2027])
            np.testing.assert_array_equal(f["quantile_levels"][()], LEVELS)

    def test_summary_shapes(self):
        with h5py.File(self.file) as f:
            yearly = f["summary/train_a100"]
            self.assertEqual(yearly.attrs["units"], "A100 equivalents")
            self.assertEqual(yearly.attrs["shape"], "yearly")
            self.assertEqual(float(yearly.attrs["reference"]), 2.0e6)
            self.assertEqual(int(yearly.attrs["reference_year"]), 2023)
            for name in ["mean", "std", "stderr", "min", "max", "count", "nonfinite"]:
                self.assertEqual(yearly[name].shape, (5,), name)
            self.assertEqual(yearly["quantiles"].shape, (len(LEVELS), 5))
            self.assertEqual(yearly["histogram/edges"].shape, (61,))
            self.assertEqual(yearly["histogram/counts"].shape, (5, 60))
            self.assertEqual(yearly["histogram"].attrs["axis"], "log")
            scalar = f["summary/train_cagr"]
            self.assertEqual(scalar.attrs["shape"], "scalar")
            self.assertEqual(scalar["mean"].shape, ())
            self.assertEqual(scalar["quantiles"].shape, (len(LEVELS),))
            self.assertEqual(scalar["histogram/counts"].shape, (60,))

    def test_summary_agrees_with_the_kept_samples(self):
        with h5py.File(self.file) as f:
            s = f["samples/train_a100"][()]
            self.assertEqual(s.shape, (50000, 5))
            q = f["summary/train_a100/quantiles"][()]
            for i, p in enumerate(LEVELS):
                # The sketch promises 0.1 % of the lower order statistic x_(ceil(p n)).
                k = max(1, int(np.ceil(p * 50000)))
                exact = np.sort(s, axis=0)[k - 1]
                np.testing.assert_allclose(q[i], exact, rtol=1e-3)
            np.testing.assert_allclose(f["summary/train_a100/mean"][()], s.mean(axis=0), rtol=1e-12)
            np.testing.assert_array_equal(f["summary/train_a100/min"][()], s.min(axis=0))
            np.testing.assert_array_equal(f["summary/train_a100/histogram/counts"][()].sum(axis=1), [50000] * 5)
            c = f["samples/train_cagr"][()]
            self.assertEqual(c.shape, (50000,))


if __name__ == "__main__":
    unittest.main()
