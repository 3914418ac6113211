"""Bad input: exit code 2, a message naming file, line and field, and no output file."""
import os
import unittest

from clitools import ScratchTest, run

HEADER = """[scenario]
name = "bad"
first_year = 2023
last_year = 2025
"""

# (name, scenario text, expected message fragment)
CASES = [
    ("malformed TOML", "[scenario\nname = 1\n", "bad.toml:1:"),
    ("empty file", "", "bad.toml: scenario: missing the [scenario] table"),
    ("unknown name in a formula", HEADER + '[inputs.train_mfu]\ndist = "constant"\nvalue = 0.3\n'
     '[formulas]\na = "2 * train_mfuu"\n[outputs.a]\n',
     "bad.toml:9:10: formulas.a: unknown name 'train_mfuu' (did you mean 'train_mfu'?)"),
    ("impossible distribution parameters", HEADER + '[inputs.train_mfu]\ndist = "lognormal"\n'
     'p5 = 0.3\np95 = 0.2\n[outputs.train_mfu]\n',
     "bad.toml:8: inputs.train_mfu: p95 (0.2) must be above p5 (0.3)"),
    ("a cycle", HEADER + '[inputs.x]\ndist = "constant"\nvalue = 1\n[formulas]\na = "b + x"\nb = "a"\n[outputs.a]\n',
     "cycle"),
    ("division by a literal zero", HEADER + '[inputs.x]\ndist = "constant"\nvalue = 1\n[formulas]\na = "x / 0"\n'
     '[outputs.a]\n', "formulas.a: division by zero"),
    ("unbalanced parenthesis", HEADER + '[inputs.x]\ndist = "constant"\nvalue = 1\n[formulas]\na = "(x + 1"\n'
     '[outputs.a]\n', "formulas.a: missing ')'"),
    ("zero samples", HEADER + 'samples = 0\n[inputs.x]\ndist = "constant"\nvalue = 1\n[outputs.x]\n',
     "bad.toml:5: scenario.samples: 0 must be at least 1"),
    ("unknown output", HEADER + '[inputs.x]\ndist = "constant"\nvalue = 1\n[outputs.y]\n',
     "outputs.y: no input or formula is called 'y'"),
    ("a yearly value where a scalar is needed", HEADER + '[inputs.x]\ndist = "constant"\nvalue = 1\n'
     '[formulas]\nc = "cagr(x, 2023, 2025)"\n[outputs.c]\n', "needs a yearly quantity"),
]


class BadScenarios(ScratchTest):
    def check_refused(self, args, fragment):
        code, out, err = run(*args, cwd=self.dir)
        self.assertEqual(code, 2, f"exit code {code}; stderr: {err}")
        self.assertIn(fragment, err)
        self.assertEqual(out, "")
        leftovers = [f for f in self.files() if f.endswith(".h5") or ".h5.tmp" in f]
        self.assertEqual(leftovers, [], "an output file was left behind")

    def test_every_bad_scenario_exits_2_naming_the_problem(self):
        for name, text, fragment in CASES:
            with self.subTest(name):
                path = self.write("bad.toml", text)
                self.check_refused(["run", path, "-o", self.path("out.h5")], fragment)

    def test_missing_scenario_file(self):
        self.check_refused(["run", self.path("nope.toml")], "nope.toml: cannot open the scenario file")

    def test_unwritable_output_paths(self):
        self.check_refused(["run", "-n", "100", "-o", self.path("no/such/dir/r.h5")], "does not exist")
        os.mkdir(self.path("adir"))
        self.check_refused(["run", "-n", "100", "-o", self.path("adir")], "is a directory")

    def test_bad_overrides(self):
        self.check_refused(["run", "--set", "inputs.train_mfu.medain=0.5"], "medain")
        self.check_refused(["run", "--set", "inputs.nosuch.median=0.5"], "the scenario has no table 'inputs.nosuch'")
        self.check_refused(["run", "--set", "inputs.train_mfu.median=-1"], "(--set inputs.train_mfu.median)")
        self.check_refused(["run", "--set", "nonsense"], "expected KEY=VALUE")

    def test_usage_errors(self):
        self.check_refused(["run", "--samples", "0"], "--samples must be at least 1")
        self.check_refused(["run", "--no-such-flag"], "no-such-flag")
        code, _, _ = run(cwd=self.dir)
        self.assertEqual(code, 2)
        for bad in ("abc", "-5", "1.5e0", "1e30", "2.5"):
            self.check_refused(["run", "--samples", bad], f"expected a whole number of samples such as 1000000, 1_000_000 or 1e6, got '{bad}'")

    def test_sample_counts_as_people_write_them(self):
        for text in ("2e3", "2_000", "2,000", "2000"):
            code, out, err = run("run", "-n", text, "-q", "-o", self.path("x.h5"))
            self.assertEqual(code, 0, err)
            self.assertIn("2,000 samples", out)


class Strict(ScratchTest):
    SCENARIO = """[scenario]
name = "nan"
first_year = 2023
last_year = 2024
[inputs.u]
dist = "uniform"
min = -1
max = 1
[formulas]
l = "log(u) * (1 + t)"
[outputs.l]
"""

    def test_non_finite_outputs_are_counted_and_reported(self):
        path = self.write("nan.toml", self.SCENARIO)
        code, out, err = run("run", path, "-n", "10000", "-q", "-o", self.path("r.h5"))
        self.assertEqual(code, 0, err)
        self.assertIn("samples were NaN or infinite", out)
        self.assertTrue(os.path.exists(self.path("r.h5")))

    def test_strict_refuses_them_with_exit_4_and_no_file(self):
        path = self.write("nan.toml", self.SCENARIO)
        code, out, err = run("run", path, "-n", "10000", "-q", "--strict", "-o", self.path("r.h5"))
        self.assertEqual(code, 4, err)
        self.assertIn("of l in 2023 were NaN or infinite; --strict refuses the result", err)
        self.assertEqual([f for f in self.files() if ".h5" in f], [])


class FullDisk(ScratchTest):
    """A 16 KiB tmpfs stands in for a full disk (mounting needs root)."""

    def setUp(self):
        super().setUp()
        if os.geteuid() != 0:
            self.skipTest("needs root to mount a small tmpfs")
        self.mnt = self.path("small")
        os.mkdir(self.mnt)
        if os.system(f"mount -t tmpfs -o size=16k tmpfs {self.mnt} 2>/dev/null") != 0:
            self.skipTest("cannot mount a tmpfs here")

    def tearDown(self):
        if hasattr(self, "mnt"):
            os.system(f"umount {self.mnt} 2>/dev/null")
        super().tearDown()

    def test_kept_samples_that_cannot_fit_are_refused_up_front(self):
        code, out, err = run("run", "-n", "200000", "--keep-samples", "-q", "-o", os.path.join(self.mnt, "r.h5"))
        self.assertEqual(code, 2, err)
        self.assertIn("the kept samples need up to", err)
        self.assertEqual(os.listdir(self.mnt), [])

    def test_disk_full_while_writing_is_exit_3_and_leaves_nothing(self):
        code, out, err = run("run", "-n", "2000", "-q", "-o", os.path.join(self.mnt, "r.h5"))
        self.assertEqual(code, 3, err)
        self.assertIn("r.h5", err)
        self.assertEqual(os.listdir(self.mnt), [])


if __name__ == "__main__":
    unittest.main()
