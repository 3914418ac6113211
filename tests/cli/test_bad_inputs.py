"""The hostile-input corpus in tests/bad_inputs/: every case is refused with its
exit code and message, never crashes or hangs, and leaves no output file.

Each case file ends with its expectations as TOML comments:
    # expect-exit: 2
    # expect-message: <a fragment of stderr>     (one or more)
The case is copied to bad.toml in an empty folder and run there, so messages
name bad.toml.
"""
import glob
import os
import shutil

from clitools import SOURCE_DIR, ScratchTest, run

CORPUS = os.path.join(SOURCE_DIR, "tests", "bad_inputs")


def expectations(path):
    code, messages = None, []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("# expect-exit:"):
                code = int(line.split(":", 1)[1])
            elif line.startswith("# expect-message:"):
                messages.append(line.split(":", 1)[1].strip())
    return code, messages


class Corpus(ScratchTest):
    def refused(self, scenario_path, code, messages, extra=()):
        rc, out, err = run("run", scenario_path, "-o", "out.h5", "-n", "1000", *extra, cwd=self.dir, timeout=60)
        self.assertEqual(rc, code, f"stderr: {err}")
        for m in messages:
            self.assertIn(m, err)
        self.assertEqual(err.count("\n"), 1, f"one line expected: {err!r}")
        self.assertNotIn("internal error", err)
        self.assertEqual(out, "")
        left = [f for f in os.listdir(self.dir) if ".h5" in f]
        self.assertEqual(left, [], "output left behind")

    def test_corpus_has_at_least_40_cases(self):
        self.assertGreaterEqual(len(glob.glob(os.path.join(CORPUS, "*.toml"))), 40)

    def test_every_case(self):
        for case in sorted(glob.glob(os.path.join(CORPUS, "*.toml"))):
            with self.subTest(os.path.basename(case)):
                code, messages = expectations(case)
                self.assertIsNotNone(code, "case without # expect-exit")
                self.assertTrue(messages, "case without # expect-message")
                shutil.copy(case, os.path.join(self.dir, "bad.toml"))
                self.refused("bad.toml", code, messages)

    def test_empty_file(self):
        open(self.path("bad.toml"), "w").close()
        self.refused("bad.toml", 2, ["bad.toml: scenario: missing the [scenario] table"])

    def test_binary_file(self):
        with open(self.path("bad.toml"), "wb") as f:
            f.write(bytes(range(256)) * 64)
        self.refused("bad.toml", 2, ["bad.toml:1:", "not valid TOML"])

    def test_100_MB_file(self):
        # A long comment and then a syntax error at the very end: the parser
        # must get through 100 MB and point at the last line.
        with open(self.path("bad.toml"), "w") as f:
            line = "# " + "x" * 98 + "\n"
            for _ in range(1_000_000):
                f.write(line)
            f.write("[scenario\n")
        self.refused("bad.toml", 2, ["bad.toml:1000001:", "not valid TOML"])

    def test_scenario_is_a_directory(self):
        os.mkdir(self.path("adir"))
        self.refused("adir", 2, ["adir: cannot read the scenario file"])
