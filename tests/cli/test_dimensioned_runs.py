"""Everything else keeps working with a dimensioned scenario (issue 17): the
worked example scenarios/examples/chip-mix.toml (chip x region, correlated
elements, kept samples) and scenarios/frontier-2024-2030.toml (five chips,
yearly formulas over chip) through threads, shards and merge, checkpoint,
kill and resume, a per-element --set, sweeps, batch manifests and sensitivity
shards: each gives the bits of one plain run. The MPI run is checked by
scripts/mpi-test.sh."""
import os
import subprocess

import h5py

from clitools import FLOPCAST, SOURCE_DIR, ScratchTest, run, timed_run
from h5same import datasets  # scripts/h5same.py

CHIP_MIX = os.path.join(SOURCE_DIR, "scenarios", "examples", "chip-mix.toml")
FRONTIER = os.path.join(SOURCE_DIR, "scenarios", "frontier-2024-2030.toml")
# Several blocks of samples (2048 each) and a ragged last one, small enough
# that each run takes well under a second.
N = "20001"
H100 = "inputs.peak_flops.value.H100=1e15"  # one element of a constant input over chip


class DimensionedRuns(ScratchTest):
    def plain(self, scenario, name, *extra):
        out = self.path(name)
        code, _, err = run("run", scenario, "-n", N, "-q", "-o", out, *extra)
        self.assertEqual(code, 0, err)
        return out

    def assertSameBits(self, expected, got, at_least):
        """Both files hold the same datasets, byte for byte; and there are
        many of them (per element, stacked and scales), so that an empty pair
        of files cannot pass."""
        a, b = datasets(expected), datasets(got)
        self.assertEqual(sorted(a), sorted(b))
        self.assertGreaterEqual(len(a), at_least)
        for name in a:
            self.assertEqual(a[name], b[name], name)

    def test_threads(self):
        for scenario, extra, least in ((CHIP_MIX, ["--keep-samples"], 80), (FRONTIER, [], 400)):
            with self.subTest(scenario=os.path.basename(scenario)):
                one = self.plain(scenario, "t1.h5", "-t", "1", *extra)
                two = self.plain(scenario, "t2.h5", "-t", "2", *extra)
                self.assertSameBits(one, two, least)
                with h5py.File(one) as f:  # the stacked arrays are among the compared datasets
                    self.assertIn("dimensions/chip", f)
                    name = "compute_by_chip" if scenario == CHIP_MIX else "installed_h100e_by_chip"
                    self.assertEqual(f[f"summary/{name}/quantiles"].ndim, 3)

    def test_shards_merge_to_one_run(self):
        for scenario, extra, shards in ((CHIP_MIX, ["--keep-samples"], (2, 3)), (FRONTIER, [], (3,))):
            whole = self.plain(scenario, "whole.h5", "-t", "2", *extra)
            for n in shards:
                with self.subTest(scenario=os.path.basename(scenario), shards=n):
                    parts = [self.plain(scenario, f"part-{i}-{n}.h5", "--shard", f"{i}/{n}", "-t", "1", *extra)
                             for i in range(n)]
                    merged = self.path(f"merged-{n}.h5")
                    code, _, err = run("merge", *reversed(parts), "-o", merged, "-q")
                    self.assertEqual(code, 0, err)
                    self.assertSameBits(whole, merged, 80)

    def test_killed_and_resumed_run_is_bit_identical(self):
        # Long enough (a few seconds: kept samples are compressed) to be
        # killed after its first checkpoints; resumed at another thread count.
        n = "400001"
        whole = self.path("whole.h5")
        (code, _, _), whole_time = timed_run("run", CHIP_MIX, "-n", n, "-q", "-t", "2", "-o", whole)
        self.assertEqual(code, 0)
        ck, out = self.path("ck.bin"), self.path("r.h5")
        proc = subprocess.Popen([FLOPCAST, "run", CHIP_MIX, "-n", n, "-q", "-t", "2", "-o", out, "--checkpoint", ck,
                                 "--checkpoint-every", "0.05"], cwd=self.dir, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        self.stop_part_way(proc, ck, 0.25 * whole_time)
        proc.wait()
        self.assertFalse(os.path.exists(out))
        # A resume with a per-element override would be another run: refused.
        code, _, err = run("run", "--resume", ck, "-q", "-o", out, "--set", H100)
        self.assertEqual(code, 2, err)
        self.assertIn("the --set overrides differ", err)
        code, stdout, err = run("run", "--resume", ck, "-q", "-t", "1", "-o", out)
        self.assertEqual(code, 0, err)
        self.assertIn("resumed at sample", stdout)
        self.assertSameBits(whole, out, 80)
        self.assertFalse(os.path.exists(ck))  # removed once the result is written

    def test_per_element_set_is_the_edited_scenario(self):
        # --set on one element gives the bits of the scenario file with that
        # element's value edited, and changes what depends on it only.
        with open(CHIP_MIX) as f:
            text = f.read()
        edited_text = text.replace("H100 = 989e12", "H100 = 1e15")
        self.assertNotEqual(edited_text, text)
        edited = self.write("edited.toml", edited_text)
        by_set = self.plain(CHIP_MIX, "set.h5", "--set", H100)
        self.assertSameBits(self.plain(edited, "edited.h5"), by_set, 80)
        plain, changed = datasets(self.plain(CHIP_MIX, "plain.h5")), datasets(by_set)
        self.assertEqual(plain["summary/h100_share_us/quantiles"], changed["summary/h100_share_us/quantiles"])
        self.assertEqual(plain["summary/compute_by_chip[A100]/quantiles"],
                         changed["summary/compute_by_chip[A100]/quantiles"])
        self.assertNotEqual(plain["summary/compute_by_chip[H100]/quantiles"],
                            changed["summary/compute_by_chip[H100]/quantiles"])
        # An element the dimension does not have is refused by name.
        code, _, err = run("run", CHIP_MIX, "-n", N, "-q", "-o", self.path("x.h5"),
                           "--set", "inputs.peak_flops.value.H200=1e15")
        self.assertEqual(code, 2, err)
        self.assertIn("H200", err)
        self.assertFalse(os.path.exists(self.path("x.h5")))

    def test_sweep_over_an_element(self):
        grid = ["--grid", "inputs.peak_flops.value.H100=1e15,2e15"]
        one, two = self.path("s1.h5"), self.path("s2.h5")
        for path, threads in ((one, "1"), (two, "2")):
            code, _, err = run("sweep", CHIP_MIX, "-n", N, "-q", "-t", threads, *grid, "-o", path)
            self.assertEqual(code, 0, err)
        self.assertSameBits(one, two, 150)
        # Each variant holds the summary of the run with its override, the
        # stacked arrays of the dimensioned outputs included.
        swept = datasets(one)
        for value in ("1e15", "2e15"):
            single = datasets(self.plain(CHIP_MIX, f"run-{value}.h5", f"--set=inputs.peak_flops.value.H100={value}"))
            expected = {k: v for k, v in single.items() if k.startswith("summary/")}
            prefix = f"variants/value.H100={value}/"
            got = {k[len(prefix):]: v for k, v in swept.items() if k.startswith(prefix + "summary/")}
            self.assertIn("summary/compute_by_chip/quantiles", expected)
            self.assertEqual(sorted(got), sorted(expected), value)
            for k in expected:
                self.assertEqual(got[k], expected[k], k)

    def test_batch_with_per_element_overrides(self):
        os.mkdir(self.path("out"))
        self.write("m.toml", f"""[defaults]
samples = {N}

[[run]]
name = "h100"
scenario = "{CHIP_MIX}"
output = "out/h100.h5"
set = ["{H100}"]

[[run]]
name = "frontier"
scenario = "{FRONTIER}"
output = "out/frontier.h5"
set = ["inputs.datasheet_peak.value.H100=1e15"]
""")
        code, stdout, err = run("batch", "m.toml", "-q", cwd=self.dir)
        self.assertEqual(code, 0, err)
        self.assertSameBits(self.plain(CHIP_MIX, "h100.h5", "--set", H100), self.path("out/h100.h5"), 80)
        self.assertSameBits(self.plain(FRONTIER, "frontier.h5", "--set", "inputs.datasheet_peak.value.H100=1e15"),
                            self.path("out/frontier.h5"), 400)

    def test_sensitivity_shards_merge_to_one_analysis(self):
        # Sobol over element inputs, a group of correlated elements and an
        # element output: three shards merged give the one-process file.
        args = ["sensitivity", CHIP_MIX, "--method", "sobol", "-n", "6000", "--seed", "3", "-q",
                "--groups", "fleet=fleet_2024,fleet_growth", "--output", "total_compute",
                "--output", "compute_by_chip[H100]"]
        whole = self.path("whole.h5")
        code, _, err = run(*args, "-o", whole)
        self.assertEqual(code, 0, err)
        parts = []
        for i in range(3):
            parts.append(self.path(f"s{i}.h5"))
            code, _, err = run(*args, "--shard", f"{i}/3", "-t", "1", "-o", parts[-1])
            self.assertEqual(code, 0, err)
        merged = self.path("merged.h5")
        code, _, err = run("merge", *reversed(parts), "-o", merged, "-q")
        self.assertEqual(code, 0, err)
        self.assertSameBits(whole, merged, 60)
        with h5py.File(merged) as f:
            self.assertIn(b"fleet", list(f["sensitivity/sobol/total_compute/inputs"][()]))
