"""flopcast run, version and --help, as a user types them."""
import os
import unittest

import h5py
import numpy as np

from clitools import SOURCE_DIR, ScratchTest, run


class RunDefault(ScratchTest):
    def test_default_scenario_runs_from_any_folder_and_prints_the_summary(self):
        code, out, err = run("run", "-n", "20000", "-q", cwd=self.dir)
        self.assertEqual(code, 0, err)
        self.assertEqual(self.files(), ["csc-2023-baseline.h5"])
        for fragment in ["train_a100", "infer_a100", "total_a100", "train_cagr", "infer_cagr",
                         "median", "p95", "CSC: more than 2 million", "CSC: 78 % a year", "CSC: 113 % a year",
                         "20,000 samples"]:
            self.assertIn(fragment, out)
        self.assertEqual(err, "")  # --quiet

    def test_progress_goes_to_stderr_when_not_quiet(self):
        code, out, err = run("run", "-n", "5000", "-o", self.path("r.h5"))
        self.assertEqual(code, 0, err)
        self.assertIn("5,000 / 5,000 samples", err)

    def test_version_and_help(self):
        code, out, _ = run("version")
        self.assertEqual(code, 0)
        self.assertRegex(out, r"^flopcast \d+\.\d+\.\d+ \(git ([0-9a-f]+|unknown)\), (avx512 draws, )?(sse2|avx2) loops$")
        code, out, _ = run("version", env={"FLOPCAST_SIMD": "avx2"})
        self.assertNotIn("avx512", out)  # the draws kept at AVX2 too
        code, out, _ = run("version", env={"FLOPCAST_SIMD": "sse2"})
        self.assertTrue(out.strip().endswith(", sse2 loops"), out)
        code, out, _ = run("--help")
        self.assertEqual(code, 0)
        self.assertIn("run", out)
        code, out, _ = run("run", "--help")
        self.assertEqual(code, 0)
        for flag in ["--samples", "--seed", "--threads", "--set", "--keep-samples", "-o"]:
            self.assertIn(flag, out)

    def test_set_overrides_change_the_result_and_are_recorded(self):
        base, alt = self.path("base.h5"), self.path("alt.h5")
        self.assertEqual(run("run", "-n", "20000", "-q", "-o", base)[0], 0)
        code, out, err = run("run", "-n", "20000", "-q", "-o", alt, "--set", "inputs.train_mfu.median=0.5",
                             "--set", "inputs.train_mfu.p5=0.4")
        self.assertEqual(code, 0, err)
        self.assertIn("with --set inputs.train_mfu.median=0.5", out)
        with h5py.File(base) as b, h5py.File(alt) as a:
            self.assertEqual(a.attrs["overrides"], "inputs.train_mfu.median=0.5\ninputs.train_mfu.p5=0.4")
            self.assertEqual(b.attrs["overrides"], "")
            # A higher utilization needs fewer A100s for training, and does not touch inference.
            self.assertLess(a["summary/train_a100/quantiles"][6, 0], b["summary/train_a100/quantiles"][6, 0])
            np.testing.assert_array_equal(a["summary/infer_a100/quantiles"][()], b["summary/infer_a100/quantiles"][()])

    def test_same_seed_same_bits_any_thread_count(self):
        paths = []
        for threads in (1, 2, 8):
            p = self.path(f"t{threads}.h5")
            code, _, err = run("run", "-n", "70000", "--seed", "5", "-t", threads, "-q", "--keep-samples", "-o", p)
            self.assertEqual(code, 0, err)
            paths.append(p)
        files = [h5py.File(p) for p in paths]
        try:
            names = []
            files[0].visititems(lambda n, o: names.append(n) if isinstance(o, h5py.Dataset) else None)
            self.assertIn("samples/train_a100", names)
            for n in names:
                a = files[0][n][()]
                for f in files[1:]:
                    b = f[n][()]
                    if a.dtype == object:  # strings: compare the text, not the pointers
                        self.assertEqual(a.tolist(), b.tolist(), n)
                    else:
                        self.assertEqual(a.tobytes(), b.tobytes(), n)
        finally:
            for f in files:
                f.close()

    def test_china_scenario(self):
        scenario = os.path.join(SOURCE_DIR, "scenarios", "china-ai-server-market.toml")
        code, out, err = run("run", scenario, "-q", "-o", self.path("c.h5"))
        self.assertEqual(code, 0, err)
        self.assertIn("market", out)
        self.assertIn("CSC: 56.1 B USD in 2025", out)


if __name__ == "__main__":
    unittest.main()
