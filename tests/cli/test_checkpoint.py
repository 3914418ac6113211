"""Checkpoint and resume: a run killed (SIGKILL) or interrupted (SIGINT) at
several points and resumed gives the bits of the uninterrupted run; a resume
that would change the run is refused, saying what differs."""
import os
import signal
import subprocess

from clitools import FLOPCAST, ScratchTest, run, timed_run
from h5same import datasets  # scripts/h5same.py

N = "12000000"  # long enough (about a second or more) to be killed part-way



class Checkpoint(ScratchTest):
    def start(self, *args):
        return subprocess.Popen([FLOPCAST, "run", "-n", N, "-q", *args], cwd=self.dir,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

    def test_killed_and_resumed_runs_are_bit_identical(self):
        whole = self.path("whole.h5")
        (code, _, _), whole_time = timed_run("run", "-n", N, "-q", "-o", whole)
        self.assertEqual(code, 0)
        expected = datasets(whole)
        ck, out = self.path("ck.bin"), self.path("r.h5")
        # Kill at three points: each resume continues from the last checkpoint,
        # so the three runs together cover at most about half the whole run.
        for fraction in (0.0, 0.15, 0.3):
            proc = self.start("-o", out, "--checkpoint" if not os.path.exists(ck) else "--resume", ck,
                              "--checkpoint-every", "0.02")
            self.stop_part_way(proc, ck, fraction * whole_time)
            proc.wait()
            self.assertFalse(os.path.exists(out), "a killed run left a complete-looking file")
        code, _, err = run("run", "--resume", ck, "-q", "-o", out)
        self.assertEqual(code, 0, err)
        self.assertEqual(datasets(out), expected)
        self.assertFalse(os.path.exists(ck), "the checkpoint should be removed once the result is written")

    def test_kept_samples_survive_a_kill_and_resume_bit_identical(self):
        n = "3000000"  # kept samples are compressed as they are copied: a few seconds
        whole, out, ck = self.path("whole.h5"), self.path("r.h5"), self.path("ck.bin")
        (code, _, _), whole_time = timed_run("run", "-n", n, "--keep-samples", "-q", "-o", whole)
        self.assertEqual(code, 0)
        proc = subprocess.Popen([FLOPCAST, "run", "-n", n, "--keep-samples", "-q", "-o", out, "--checkpoint", ck,
                                 "--checkpoint-every", "0.05"], cwd=self.dir, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True)
        self.stop_part_way(proc, ck, 0.2 * whole_time)
        proc.wait()
        left = self.files()
        self.assertIn("ck.bin.samples-0", left)  # the spool beside the checkpoint
        self.assertTrue(any(f.startswith("r.h5.tmp-") for f in left), left)  # the killed run's temporary file
        # Resuming without --keep-samples keeps them anyway (the checkpoint says so).
        code, _, err = run("run", "--resume", ck, "-q", "-o", out)
        self.assertEqual(code, 0, err)
        self.assertEqual(datasets(out), datasets(whole))
        # Checkpoint, spool and the dead run's temporary file are all gone.
        self.assertEqual(self.files(), ["r.h5", "whole.h5"])

    def test_sigint_writes_a_checkpoint_and_says_how_to_resume(self):
        ck, out = self.path("ck.bin"), self.path("r.h5")
        proc = self.start("-o", out, "--checkpoint", ck, "--checkpoint-every", "0.05")
        self.wait_for_checkpoint(ck, proc)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
        self.assertEqual(proc.returncode, 5, err)
        self.assertIn(f"resume with: flopcast run --resume {ck}", err)
        self.assertFalse(os.path.exists(out))
        code, _, err = run("run", "--resume", ck, "-q", "-o", out)
        self.assertEqual(code, 0, err)
        self.assertTrue(os.path.exists(out))

    def test_a_resume_that_would_change_the_run_is_refused(self):
        ck = self.path("ck.bin")
        proc = self.start("-o", self.path("r.h5"), "--checkpoint", ck, "--checkpoint-every", "0.05",
                          "--seed", "3")
        self.wait_for_checkpoint(ck, proc)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        for extra, fragment in ((["--seed", "4"], "the seed differs (4 here, 3 in the checkpoint)"),
                                (["-n", "1000"], "the sample count differs"),
                                (["--set", "inputs.train_mfu.median=0.4"], "the --set overrides differ")):
            code, _, err = run("run", "--resume", ck, "-o", self.path("x.h5"), *extra)
            self.assertEqual(code, 2, err)
            self.assertIn(fragment, err)
        other = self.write("other.toml", "x")
        code, _, err = run("run", other, "--resume", ck, "-o", self.path("x.h5"))
        self.assertEqual(code, 2)

    def test_damaged_checkpoints_are_refused(self):
        code, _, err = run("run", "--resume", self.write("bad.bin", "not a checkpoint"), "-o", self.path("x.h5"))
        self.assertEqual(code, 2)
        self.assertIn("not a flopcast checkpoint", err)
        ck = self.path("ck.bin")
        proc = self.start("-o", self.path("r.h5"), "--checkpoint", ck, "--checkpoint-every", "0.05")
        self.wait_for_checkpoint(ck, proc)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        with open(ck, "rb") as f:
            data = f.read()
        with open(ck, "wb") as f:
            f.write(data[: len(data) // 2])
        code, _, err = run("run", "--resume", ck, "-o", self.path("x.h5"))
        self.assertEqual(code, 2)
        self.assertIn("truncated", err)
