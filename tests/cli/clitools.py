"""Shared helpers for the command-line tests: run flopcast, in a scratch folder."""
import os
import subprocess
import tempfile
import unittest

FLOPCAST = os.environ.get("FLOPCAST", "flopcast")
SOURCE_DIR = os.environ.get("FLOPCAST_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))


def run(*args, cwd=None, timeout=300, env=None):
    """Runs flopcast with args (and env added to the environment); returns
    (exit code, stdout, stderr)."""
    p = subprocess.run([FLOPCAST, *map(str, args)], cwd=cwd, capture_output=True, text=True,
                       timeout=timeout, stdin=subprocess.DEVNULL, env=None if env is None else {**os.environ, **env})
    return p.returncode, p.stdout, p.stderr


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
