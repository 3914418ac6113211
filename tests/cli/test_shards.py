"""Shards: `flopcast run --shard i/N` then `flopcast merge` gives the bits of
one `flopcast run`, whatever N; bad sets of shards are refused by name."""
import h5py

from clitools import ScratchTest, run

ARGS = ["-n", "150001", "--seed", "4", "--keep-samples", "-q"]


def datasets(path):
    with h5py.File(path) as f:
        names = []
        f.visititems(lambda n, o: names.append(n) if isinstance(o, h5py.Dataset) else None)
        out = {}
        for n in names:
            v = f[n][()]
            out[n] = v.tolist() if getattr(v, "dtype", None) == object else v.tobytes()
        return out


class Shards(ScratchTest):
    def shard(self, i, n, *extra, name=None):
        path = self.path(name or f"part-{i}-of-{n}.h5")
        code, out, err = run("run", *ARGS, *extra, "--shard", f"{i}/{n}", "-o", path)
        self.assertEqual(code, 0, err)
        return path

    def test_merged_shards_are_bit_identical_to_one_run(self):
        for design in ("mc", "sobol"):
            whole = self.path(f"whole-{design}.h5")
            code, _, err = run("run", *ARGS, "--set", f"scenario.sampling={design}", "-o", whole)
            self.assertEqual(code, 0, err)
            expected = datasets(whole)
            self.assertIn("samples/train_a100", expected)
            for n in (1, 2, 3, 5):
                with self.subTest(design=design, shards=n):
                    parts = [self.shard(i, n, "--set", f"scenario.sampling={design}", name=f"{design}-{i}-{n}.h5")
                             for i in range(n)]
                    merged = self.path(f"merged-{design}-{n}.h5")
                    code, out, err = run("merge", *reversed(parts), "-o", merged, "-q")  # any order
                    self.assertEqual(code, 0, err)
                    got = datasets(merged)
                    self.assertEqual(sorted(got), sorted(expected))
                    for name, value in expected.items():
                        self.assertEqual(value, got[name], name)

    def refused(self, parts, fragment):
        code, out, err = run("merge", *parts, "-o", self.path("merged.h5"))
        self.assertEqual(code, 2, err)
        self.assertIn(fragment, err)
        self.assertNotIn("merged.h5", self.files())

    def test_missing_duplicated_and_mismatched_shards_are_refused(self):
        p0, p1, p2 = (self.shard(i, 3) for i in range(3))
        self.refused([p0, p2], "missing shard(s) 1/3")
        self.refused([p0, p1, p1, p2], "shard 1/3 is given twice")
        other_seed = self.path("other-seed.h5")
        self.assertEqual(run("run", "-n", "150001", "--seed", "5", "--keep-samples", "-q", "--shard", "1/3",
                             "-o", other_seed)[0], 0)
        self.refused([p0, other_seed, p2], "their seeds differ")
        other_set = self.shard(1, 3, "--set", "inputs.train_mfu.median=0.4", name="other-set.h5")
        self.refused([p0, other_set, p2], "their --set overrides differ")

    def test_files_that_are_not_shards_are_refused(self):
        p0, p1 = self.shard(0, 2), self.shard(1, 2)
        result = self.path("result.h5")
        self.assertEqual(run("run", "-n", "1000", "-q", "-o", result)[0], 0)
        self.refused([p0, result], "not a flopcast shard")
        with open(p1, "rb") as f:
            head = f.read(2000)
        truncated = self.write("truncated.h5", "")
        with open(truncated, "wb") as f:
            f.write(head)
        self.refused([p0, truncated], "truncated.h5: not a flopcast shard")
        self.refused([p0, self.write("text.h5", "hello")], "text.h5: not a flopcast shard")
        self.refused([p0, self.path("nope.h5")], "nope.h5: not a flopcast shard")

    def test_bad_shard_arguments(self):
        for bad in ("3/3", "1/0", "a/b", "1", "-1/2"):
            code, _, err = run("run", "-n", "100", "--shard", bad, "-o", self.path("x.h5"))
            self.assertEqual(code, 2, bad)
            self.assertIn("--shard", err)
