"""Sensitivity shards: `flopcast sensitivity --shard i/N` then `flopcast merge`
gives, dataset for dataset, the bits of one `flopcast sensitivity` with the
same seed and options, for every method; bad sets of shards are refused by name."""
import os

import h5py

from clitools import SOURCE_DIR, ScratchTest, run

ISHIGAMI = os.path.join(SOURCE_DIR, "scenarios", "benchmarks", "ishigami.toml")
# The built-in baseline, one yearly and one scalar output. Sizes are small
# but span several blocks of 2048 (design and summary run), so the shards'
# boundaries fall inside the merge trees; with 5 shards some shards are empty.
OUTPUTS = ["--output", "train_a100", "--output", "train_cagr", "--seed", "7", "-q"]
METHODS = {
    "sobol": ["-n", "9000", "--bootstrap", "12", "--summary-samples", "5000"],   # 5 design blocks
    "morris": ["-r", "300", "--summary-samples", "5000"],                        # 3 blocks of 113 trajectories
    "tornado": ["--summary-samples", "5000"],                                    # 1 block
    "correlation": ["-n", "7000"],                                               # 4 blocks
    "delta": ["-n", "7000", "--classes", "6"],                                   # 4 blocks, the samples' state
}


def datasets(path):
    with h5py.File(path) as f:
        names = []
        f.visititems(lambda n, o: names.append(n) if isinstance(o, h5py.Dataset) else None)
        out = {}
        for n in names:
            v = f[n][()]
            out[n] = v.tolist() if getattr(v, "dtype", None) == object else v.tobytes()
        return out


class SensitivityShards(ScratchTest):
    def shard(self, args, i, n, name):
        path = self.path(name)
        code, out, err = run("sensitivity", *args, "--shard", f"{i}/{n}", "-o", path)
        self.assertEqual(code, 0, err)
        self.assertIn(f"sensitivity shard {i}/{n}", out)
        return path

    def check_merges(self, args, counts, label):
        whole = self.path(f"whole-{label}.h5")
        code, _, err = run("sensitivity", *args, "-o", whole)
        self.assertEqual(code, 0, err)
        expected = datasets(whole)
        self.assertTrue(any(n.startswith("sensitivity/") for n in expected))
        self.assertTrue(any(n.startswith("summary/") for n in expected))
        for n in counts:
            with self.subTest(case=label, shards=n):
                parts = [self.shard(args, i, n, f"{label}-{i}-of-{n}.h5") for i in range(n)]
                # Any order: reversed, and the middle one first.
                order = list(reversed(parts)) if n % 2 else parts[n // 2:] + parts[:n // 2]
                merged = self.path(f"merged-{label}-{n}.h5")
                code, out, err = run("merge", *order, "-o", merged, "-q")
                self.assertEqual(code, 0, err)
                got = datasets(merged)
                self.assertEqual(sorted(got), sorted(expected))
                for name, value in expected.items():
                    self.assertEqual(value, got[name], name)

    def test_every_method_merges_bit_identical(self):
        for method, extra in METHODS.items():
            self.check_merges(["--method", method, *OUTPUTS, *extra], (2, 5), method)

    def test_a_transformed_output_merges_bit_identical(self):
        self.check_merges(["--method", "sobol", "--transform", "train_a100=log", *OUTPUTS, "-n", "5000",
                           "--bootstrap", "5"], (2,), "log")

    def test_groups_and_the_sobol_sequence_merge_bit_identical(self):
        self.check_merges(["--method", "sobol", "--groups", "g=train_runs_growth,train_params_growth", *OUTPUTS,
                           "-n", "5000", "--bootstrap", "5", "--design", "sobol"], (3,), "grouped")
        self.check_merges([ISHIGAMI, "--method", "morris", "-r", "2000", "--levels", "6", "-q"], (3,), "ishigami")

    def refused(self, parts, fragment):
        code, out, err = run("merge", *parts, "-o", self.path("merged.h5"))
        self.assertEqual(code, 2, err)
        self.assertIn(fragment, err)
        self.assertNotIn("merged.h5", self.files())

    def test_missing_duplicated_and_mismatched_shards_are_refused(self):
        args = [ISHIGAMI, "--method", "sobol", "-n", "5000", "--bootstrap", "4", "-q"]
        p0, p1, p2 = (self.shard(args, i, 3, f"p{i}.h5") for i in range(3))
        self.refused([p0, p2], "missing shard(s) 1/3")
        self.refused([p0, p1, p1, p2], "shard 1/3 is given twice")
        other_seed = self.shard(args + ["--seed", "99"], 1, 3, "other-seed.h5")
        self.refused([p0, other_seed, p2], "their seeds differ")
        other_method = self.shard([ISHIGAMI, "--method", "morris", "-q"], 1, 3, "other-method.h5")
        self.refused([p0, other_method, p2], "their methods (sobol and morris) differ")
        other_option = self.shard([ISHIGAMI, "--method", "sobol", "-n", "5000", "--bootstrap", "5", "-q"], 1, 3,
                                  "other-option.h5")
        self.refused([p0, other_option, p2], "their options (bootstrap=4 and bootstrap=5) differ")
        other_set = self.shard(args + ["--set", "inputs.x1.min=-3"], 1, 3, "other-set.h5")
        self.refused([p0, other_set, p2], "their --set overrides differ")
        other_count = self.shard(args, 1, 2, "other-count.h5")
        self.refused([p0, other_count, p2], "their shard counts differ")

    def test_run_shards_and_sensitivity_shards_do_not_mix(self):
        sens = self.shard([ISHIGAMI, "--method", "tornado", "-q"], 0, 2, "sens.h5")
        runs = self.path("run.h5")
        code, _, err = run("run", ISHIGAMI, "-n", "1000", "-q", "--shard", "1/2", "-o", runs)
        self.assertEqual(code, 0, err)
        self.refused([sens, runs], "shards of different commands (flopcast sensitivity and flopcast run)")
        self.refused([runs, sens], "shards of different commands (flopcast run and flopcast sensitivity)")
        result = self.path("result.h5")
        self.assertEqual(run("sensitivity", ISHIGAMI, "--method", "tornado", "-q", "-o", result)[0], 0)
        self.refused([sens, result], "result.h5: not a flopcast shard")
        with open(sens, "rb") as f:
            head = f.read(3000)
        truncated = self.path("truncated.h5")
        with open(truncated, "wb") as f:
            f.write(head)
        self.refused([sens, truncated], "truncated.h5: not a flopcast shard")

    def test_bad_shard_arguments(self):
        for bad in ("2/2", "1/0", "a/b"):
            code, _, err = run("sensitivity", ISHIGAMI, "--method", "tornado", "--shard", bad, "-o", self.path("x.h5"))
            self.assertEqual(code, 2, bad)
            self.assertIn("--shard", err)
        self.assertEqual(self.files(), [])
