"""Shared helpers for the command-line tests: run flopcast, in a scratch folder."""
import os
import signal
import subprocess
import tempfile
import time
import unittest

FLOPCAST = os.environ.get("FLOPCAST", "flopcast")
SOURCE_DIR = os.environ.get("FLOPCAST_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))


def run(*args, cwd=None, timeout=300, env=None):
    """Runs flopcast with args (and env added to the environment); returns
    (exit code, stdout, stderr)."""
    p = subprocess.run([FLOPCAST, *map(str, args)], cwd=cwd, capture_output=True, text=True,
                       timeout=timeout, stdin=subprocess.DEVNULL, env=None if env is None else {**os.environ, **env})
    return p.returncode, p.stdout, p.stderr


def timed_run(*args, **kwargs):
    """run(...) and its wall time in seconds. Tests that kill a run part-way
    wait a fraction of this, so they keep killing runs part-way however fast
    the build (Release, sanitizers) or the machine is."""
    started = time.monotonic()
    result = run(*args, **kwargs)
    return result, time.monotonic() - started


class ScratchTest(unittest.TestCase):
    """A test with its own empty folder, removed afterwards."""

    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="flopcast-cli-")
        self.dir = self._tmp.name

    def tearDown(self):
        self._tmp.cleanup()

    def path(self, name):
        return os.path.join(self.dir, name)

    def write(self, name, text):
        p = self.path(name)
        with open(p, "w") as f:
            f.write(text)
        return p

    def files(self):
        return sorted(os.listdir(self.dir))

    def wait_for_checkpoint(self, path, proc, timeout=60):
        """Until the run `proc` has written its first checkpoint at `path`."""
        deadline = time.time() + timeout
        while not os.path.exists(path):
            self.assertIsNone(proc.poll(), "the run ended before its first checkpoint")
            self.assertLess(time.time(), deadline, "no checkpoint appeared")
            time.sleep(0.02)

    def stop_part_way(self, proc, checkpoint, seconds, sig=signal.SIGKILL):
        """After the run's first checkpoint and `seconds` more, sends `sig`;
        fails (rather than testing nothing) if the run ended before."""
        self.wait_for_checkpoint(checkpoint, proc)
        time.sleep(seconds)
        self.assertIsNone(proc.poll(), "the run ended before it was stopped: give it more samples")
        proc.send_signal(sig)
