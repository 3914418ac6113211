"""flopcast batch: runs a manifest's scenarios in turn, skips outputs that
are already complete, refuses to overwrite an output of a different run,
keeps going past a failing run (and exits non-zero), finishes a half-done
batch when run again, and stops cleanly on SIGINT."""
import os
import signal
import subprocess
import threading
import time

import h5py

from clitools import FLOPCAST, SOURCE_DIR, ScratchTest, run

BASELINE = os.path.join(SOURCE_DIR, "scenarios", "csc-2023-baseline.toml")
CHINA = os.path.join(SOURCE_DIR, "scenarios", "china-ai-server-market.toml")


def manifest(*runs, defaults="samples = 4096\n"):
    text = f"[defaults]\n{defaults}\n" if defaults else ""
    for r in runs:
        text += "[[run]]\n" + "".join(f"{k} = {v}\n" for k, v in r.items()) + "\n"
    return text


def q(s):
    return '"' + s + '"'


def table(stdout):
    """The closing table as {entry: status}."""
    lines = stdout[stdout.index("\nentry "):].strip().splitlines()[1:]
    return {l.split()[0]: l.split()[1] for l in lines if l and not l.startswith(("fix ", "interrupted"))}


class Batch(ScratchTest):
    def runs(self):
        return [{"scenario": q(BASELINE), "output": q("out/base.h5")},
                {"name": q("broken"), "scenario": q(BASELINE), "output": q("out/broken.h5"),
                 "set": '["inputs.train_mfu.medain=0.3"]'},
                {"scenario": q(CHINA), "output": q("out/china.h5"), "seed": 3, "set": '["scenario.title=\\"x\\""]'}]

    def batch(self, *args):
        return run("batch", *args, "-q", cwd=self.dir)

    def test_runs_skips_fails_and_finishes(self):
        os.mkdir(self.path("out"))
        self.write("night.toml", manifest(*self.runs()))
        code, stdout, err = self.batch("night.toml")
        self.assertEqual(code, 2, err)  # the broken run's exit code
        self.assertEqual(table(stdout), {"base": "ran", "broken": "failed", "china": "ran"})
        self.assertIn("night.toml:8: run broken:", err)  # the line of its [[run]]
        self.assertIn("medain", err)
        with h5py.File(self.path("out/china.h5")) as f:
            self.assertEqual(int(f.attrs["seed"]), 3)
            self.assertEqual(int(f.attrs["samples"]), 4096)
            self.assertEqual(f.attrs["overrides"], 'scenario.title="x"')
        mtime = os.path.getmtime(self.path("out/base.h5"))

        # Again: the complete outputs are skipped, untouched.
        code, stdout, err = self.batch("night.toml")
        self.assertEqual(code, 2, err)
        self.assertEqual(table(stdout), {"base": "skipped", "broken": "failed", "china": "skipped"})
        self.assertEqual(os.path.getmtime(self.path("out/base.h5")), mtime)

        # A half-finished batch (an output lost, the broken run fixed) is finished.
        os.remove(self.path("out/china.h5"))
        fixed = self.runs()
        fixed[1]["set"] = '["inputs.train_mfu.median=0.3"]'
        self.write("night.toml", manifest(*fixed))
        code, stdout, err = self.batch("night.toml")
        self.assertEqual(code, 0, err)
        self.assertEqual(table(stdout), {"base": "skipped", "broken": "ran", "china": "ran"})
        self.assertIn("0 failed", stdout)

    def test_an_output_of_a_different_run_is_not_overwritten(self):
        os.mkdir(self.path("out"))
        first = self.runs()[0]
        self.write("m.toml", manifest(first))
        self.assertEqual(self.batch("m.toml")[0], 0)
        mtime = os.path.getmtime(self.path("out/base.h5"))
        for change, fragment in (({"seed": 9}, "the seed differs (20230601 in the file, 9 here)"),
                                 ({"samples": 2048}, "the sample count differs (4096 in the file, 2048 here)"),
                                 ({"set": '["inputs.train_mfu.median=0.4"]'}, "the --set overrides differ"),
                                 ({"scenario": q(CHINA)}, "the scenario text differs")):
            self.write("m.toml", manifest(dict(first, **change)))
            code, stdout, err = self.batch("m.toml")
            self.assertEqual(code, 2, err)
            self.assertEqual(table(stdout), {"base": "failed"})
            self.assertIn("out/base.h5 exists but was made by a different run: " + fragment, err)
            self.assertEqual(os.path.getmtime(self.path("out/base.h5")), mtime)
        # Something that is not a result at all is not overwritten either.
        self.write("out/other.h5", "not hdf5")
        self.write("m.toml", manifest({"scenario": q(BASELINE), "output": q("out/other.h5")}))
        code, stdout, err = self.batch("m.toml")
        self.assertEqual(code, 2, err)
        self.assertIn("out/other.h5: exists but is not a flopcast result", err)

    def test_precision_runs_in_a_batch_are_skipped_when_their_targets_match(self):
        os.mkdir(self.path("out"))
        entry = {"scenario": q(BASELINE), "output": q("out/p.h5"), "until": '["p95:total_a100@2027:2%"]',
                 "max_samples": "1e7"}
        self.write("m.toml", manifest(entry))  # [defaults] samples gives way to until
        code, stdout, err = self.batch("m.toml")
        self.assertEqual(code, 0, err)
        self.assertEqual(table(stdout), {"p": "ran"})
        with h5py.File(self.path("out/p.h5")) as f:
            n = int(f.attrs["samples"])
            self.assertEqual(f["convergence"].attrs["met"], 1)
            self.assertEqual(int(f["convergence"].attrs["max_samples"]), 10**7)
        self.assertIn(f"{n:,}", stdout)  # the table shows the samples the run took
        code, stdout, err = self.batch("m.toml")
        self.assertEqual(code, 0, err)
        self.assertEqual(table(stdout), {"p": "skipped"})
        for change, fragment in (({"until": '["p95:total_a100@2027:1%"]'}, "the until targets differ"),
                                 ({"max_samples": "2e7"}, "max_samples differs"),
                                 ({"confidence": "0.9"}, "the confidence differs")):
            self.write("m.toml", manifest(dict(entry, **change)))
            code, _, err = self.batch("m.toml")
            self.assertEqual(code, 2, err)
            self.assertIn(fragment, err)
        plain = {k: v for k, v in entry.items() if k not in ("until", "max_samples")}
        self.write("m.toml", manifest(plain))
        code, _, err = self.batch("m.toml")
        self.assertEqual(code, 2, err)
        self.assertIn("the file is a precision run (until), this run is not", err)
        self.write("m.toml", manifest(dict(entry, samples=5000), defaults=""))
        code, _, err = self.batch("m.toml")
        self.assertEqual(code, 2)
        self.assertIn("run[0].samples: a run with until stops when its targets hold", err)

    def test_manifest_errors_name_file_line_and_field(self):
        self.write("m.toml", manifest({"scenario": q(BASELINE), "output": q("a.h5"), "sampels": 3}))
        code, stdout, err = self.batch("m.toml")
        self.assertEqual(code, 2)
        self.assertIn("m.toml:7: run[0].sampels: unknown field", err)
        self.assertEqual(self.files(), ["m.toml"])
        code, _, err = self.batch("missing.toml")
        self.assertEqual(code, 2)
        self.assertIn("missing.toml: cannot open the manifest", err)

    def test_sigint_stops_the_batch_and_a_rerun_resumes_it(self):
        # The second run is long and checkpointed: SIGINT stops it after the
        # wave in flight, its checkpoint is kept, the third never starts;
        # running the batch again resumes it from the checkpoint.
        self.write("m.toml", manifest(
            {"scenario": q(CHINA), "output": q("first.h5")},
            {"scenario": q(BASELINE), "output": q("long.h5"), "samples": 4_000_000, "checkpoint": "true"},
            {"scenario": q(CHINA), "output": q("third.h5"), "seed": 5}))
        proc = subprocess.Popen([FLOPCAST, "batch", "m.toml", "-t", "1", "--progress-every", "0.05"], cwd=self.dir,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        # Wait for the long run's first progress line: its samples are being
        # drawn, so its own SIGINT handler is in place.
        lines = []
        reader = threading.Thread(target=lambda: lines.extend(proc.stderr), daemon=True)
        reader.start()
        deadline = time.time() + 60
        while not any("long.h5" in l for l in lines) or not any("samples" in l and "%" in l for l in
                                                                 lines[next(i for i, l in enumerate(lines)
                                                                            if "long.h5" in l):]):
            self.assertIsNone(proc.poll(), "the batch ended before the long run started")
            self.assertLess(time.time(), deadline)
            time.sleep(0.01)
        proc.send_signal(signal.SIGINT)
        stdout = proc.stdout.read()
        proc.wait(timeout=60)
        reader.join(timeout=60)
        err = "".join(lines)
        self.assertEqual(proc.returncode, 5, err)
        self.assertEqual(table(stdout), {"first": "ran", "long": "interrupted", "third": "not"})
        self.assertIn("run `flopcast batch m.toml` again", stdout)
        self.assertEqual(sorted(f for f in self.files() if f != "m.toml"), ["first.h5", "long.h5.ckpt"])
        code, stdout, err = run("batch", "m.toml", "--progress-every", "60", cwd=self.dir)
        self.assertEqual(code, 0, err)
        self.assertEqual(table(stdout), {"first": "skipped", "long": "ran", "third": "ran"})
        self.assertIn("ran (resumed)", stdout)
        self.assertIn("(resuming its checkpoint)", err)
        self.assertEqual(sorted(f for f in self.files() if f != "m.toml"), ["first.h5", "long.h5", "third.h5"])
