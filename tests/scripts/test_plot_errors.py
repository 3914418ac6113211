"""Files that are not flopcast's: one line on stderr naming the file, exit code 2, no traceback."""
import os

import h5py

from plottools import ScratchTest, script


class BadFiles(ScratchTest):
    def bad_inputs(self):
        text = self.path("notes.txt")
        with open(text, "w") as f:
            f.write("train_a100,2.3e6\n")
        plain = self.path("plain.h5")
        with h5py.File(plain, "w") as f:
            f["years"] = [2023, 2024]
        no_summary = self.path("no-summary.h5")
        with h5py.File(no_summary, "w") as f:
            f.attrs["flopcast_version"] = "0.1.0"
        return {text: "not an HDF5 file", plain: "not a flopcast result file",
                no_summary: "not a flopcast result file", self.path("missing.h5"): "no such file",
                self.dir: "is a folder"}

    def test_plot_refuses_them(self):
        for path, why in self.bad_inputs().items():
            for cmd in ("fan", "hist", "list"):
                code, out, err = script("plot.py", cmd, path, "-o", self.path("x.png")) if cmd != "list" \
                    else script("plot.py", cmd, path)
                self.assertOneLineError(code, out, err, path, why)
            self.assertFalse(os.path.exists(self.path("x.png")))

    def test_report_refuses_them_and_writes_nothing(self):
        for path, why in self.bad_inputs().items():
            code, out, err = script("report.py", path, "-o", self.path("report"))
            self.assertOneLineError(code, out, err, path, why)
            self.assertFalse(os.path.exists(self.path("report")))

    def test_compare_names_the_bad_file_among_good_ones(self):
        bad = self.path("notes.txt")
        with open(bad, "w") as f:
            f.write("x")
        code, out, err = script("plot.py", "compare", bad, bad, "--output", "train_a100", "-o", self.path("c.png"))
        self.assertOneLineError(code, out, err, bad, "not an HDF5 file")

    def test_bad_arguments(self):
        code, _, err = script("plot.py", "fan", "x.h5", "-o", self.path("x.bmp"))
        self.assertOneLineError(code, "", err, "x.bmp", "unknown picture format")
        code, _, err = script("plot.py", "nonsense")
        self.assertEqual(code, 2)  # argparse's usage message
        self.assertNotIn("Traceback", err)
