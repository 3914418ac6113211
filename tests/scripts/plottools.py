"""Shared helpers for the plotting-script tests: run flopcast and the scripts, add synthetic groups."""
import os
import struct
import subprocess
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET

import numpy as np

FLOPCAST = os.environ.get("FLOPCAST", "flopcast")
SOURCE_DIR = os.path.abspath(os.environ.get("FLOPCAST_SOURCE_DIR",
                                            os.path.join(os.path.dirname(__file__), "..", "..")))
SCRIPTS = os.path.join(SOURCE_DIR, "scripts")
PYTHON = "/usr/bin/python3"  # Debian's, with h5py, numpy and matplotlib; the one on PATH may lack them
CHINA = os.path.join(SOURCE_DIR, "scenarios", "china-ai-server-market.toml")

sys.path.insert(0, SCRIPTS)


def flopcast(*args, timeout=120):
    p = subprocess.run([FLOPCAST, *map(str, args)], capture_output=True, text=True, timeout=timeout,
                       stdin=subprocess.DEVNULL)
    if p.returncode != 0:
        raise AssertionError(f"flopcast {' '.join(map(str, args))} failed ({p.returncode}): {p.stderr}")
    return p.stdout


def script(name, *args, cwd=None, timeout=120):
    """Runs scripts/<name> with Debian's python; returns (exit code, stdout, stderr)."""
    p = subprocess.run([PYTHON, os.path.join(SCRIPTS, name), *map(str, args)], capture_output=True, text=True,
                       timeout=timeout, cwd=cwd, stdin=subprocess.DEVNULL,
                       env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1", MPLBACKEND="Agg"))
    return p.returncode, p.stdout, p.stderr


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(path):
    """(width, height) of a PNG, after checking its signature and IHDR chunk."""
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != PNG_SIGNATURE or head[12:16] != b"IHDR":
        raise AssertionError(f"{path} is not a PNG")
    return struct.unpack(">II", head[16:24])


def svg_root(path):
    root = ET.parse(path).getroot()
    if root.tag not in ("{http://www.w3.org/2000/svg}svg", "svg"):
        raise AssertionError(f"{path}: root element is {root.tag}, not <svg>")
    return root


def add_sensitivity(path, output="train_a100", scalar="train_cagr", years=5, with_convergence=True):
    """Adds /sensitivity and /convergence groups in the layout docs/plots.md announces."""
    import h5py
    inputs = ["gpt4_params", "gpt4_tokens", "train_mfu", "train_window_days", "gpt4_runs", "train_runs_growth"]
    k = len(inputs)
    base = np.array([2.3e6 * 1.78 ** t for t in range(years)])
    swing = np.linspace(2.5, 1.1, k)[:, None]  # gpt4_params moves the median most
    with h5py.File(path, "a") as f:
        g = f.create_group(f"sensitivity/tornado/{output}")
        g["inputs"] = np.array(inputs, dtype=h5py.string_dtype())
        g["low"] = base[None, :] / swing
        g["high"] = base[None, :] * swing
        g.attrs["baseline"] = base
        g = f.create_group(f"sensitivity/tornado/{scalar}")
        g["inputs"] = np.array(inputs[:3], dtype=h5py.string_dtype())
        g["low"] = np.array([0.6, 0.7, 0.75])
        g["high"] = np.array([1.0, 0.85, 0.8])
        g.attrs["baseline"] = 0.78
        g = f.create_group(f"sensitivity/sobol/{output}")
        g["inputs"] = np.array(inputs, dtype=h5py.string_dtype())
        first = np.tile(np.array([0.35, 0.3, 0.12, 0.1, 0.05, 0.02])[:, None], (1, years))
        total = first * 1.2
        g["first"], g["total"] = first, total
        g["first_low"], g["first_high"] = first - 0.03, first + 0.03
        g["total_low"], g["total_high"] = total - 0.04, total + 0.04
        if with_convergence:
            c = f.create_group("convergence")
            n = np.array([1000, 2000, 4000, 8000, 16000, 32000], dtype=np.uint64)
            c["samples"] = n
            c["estimate"] = 2.31e6 * (1 + 0.3 / np.sqrt(n / 1000.0) * np.cos(np.arange(6)))
            c["half_width"] = 2.31e6 * 0.5 / np.sqrt(n / 1000.0)
            c.attrs["statistic"] = "median"
            c.attrs["output"] = output
            c.attrs["year"] = 2023


class ScratchTest(unittest.TestCase):
    """A test with its own empty folder, removed afterwards."""

    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="flopcast-plots-")
        self.dir = self._tmp.name

    def tearDown(self):
        self._tmp.cleanup()

    def path(self, *names):
        return os.path.join(self.dir, *names)

    def assertPicture(self, path, min_png_bytes=5000):
        self.assertTrue(os.path.isfile(path), f"missing {path}")
        if path.endswith(".png"):
            w, h = png_size(path)
            self.assertGreater(os.path.getsize(path), min_png_bytes, path)
            self.assertGreater(w, 300)
            self.assertGreater(h, 200)
        elif path.endswith(".svg"):
            svg_root(path)
        else:
            self.fail(f"unexpected picture type {path}")

    def assertOneLineError(self, code, out, err, *fragments):
        self.assertEqual(code, 2, f"exit code {code}; stderr: {err}")
        self.assertNotIn("Traceback", err)
        self.assertEqual(len(err.strip().splitlines()), 1, f"not one line: {err!r}")
        for frag in fragments:
            self.assertIn(frag, err)


class ScenarioResultTest(ScratchTest):
    """Tests that share one run of the class's SCENARIO text (a TOML string):
    the result is loaded once, as cls.res, from cls.h5."""

    SCENARIO = None

    @classmethod
    def setUpClass(cls):
        from flopcast_plots.results import load
        cls._files = tempfile.TemporaryDirectory(prefix="flopcast-scenario-")
        toml = os.path.join(cls._files.name, "scenario.toml")
        with open(toml, "w") as f:
            f.write(cls.SCENARIO)
        cls.h5 = os.path.join(cls._files.name, "result.h5")
        flopcast("run", toml, "-o", cls.h5, "-q", "-t", "1")
        cls.res = load(cls.h5)

    @classmethod
    def tearDownClass(cls):
        cls._files.cleanup()
