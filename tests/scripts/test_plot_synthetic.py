"""Pictures of groups the binary does not write yet (/sensitivity, /convergence), on synthetic files,
and the exceedance read exactly from /samples when the run kept them."""
import os
import re
import shutil
import tempfile

import h5py
import numpy as np

from plottools import ScratchTest, add_sensitivity, flopcast, script

_DIR = None


def base_file():
    """One small baseline run for the whole module; tests copy it before adding groups."""
    global _DIR
    if _DIR is None:
        _DIR = tempfile.mkdtemp(prefix="flopcast-plots-syn-")
        flopcast("run", "-n", "5000", "-q", "--keep-samples", "-o", os.path.join(_DIR, "base.h5"))
    return os.path.join(_DIR, "base.h5")


def tearDownModule():
    if _DIR:
        shutil.rmtree(_DIR, ignore_errors=True)


class Synthetic(ScratchTest):
    def copy(self, name):
        p = self.path(name)
        shutil.copy(base_file(), p)
        return p

    def report(self, h5):
        folder = self.path("report")
        code, out, err = script("report.py", h5, "-o", folder)
        self.assertEqual(code, 0, err)
        with open(os.path.join(folder, "index.html"), encoding="utf-8") as f:
            return folder, f.read()

    def test_sensitivity_and_convergence_groups_give_their_pictures(self):
        h5 = self.copy("sens.h5")
        add_sensitivity(h5)
        folder, page = self.report(h5)
        stems = ["tornado-train_a100", "tornado-train_cagr", "sobol-train_a100", "convergence",
                 "fan-train_a100", "hist-train_cagr"]
        for stem in stems:
            for ext in ("png", "svg"):
                self.assertPicture(os.path.join(folder, f"{stem}.{ext}"))
                self.assertIn(f"src='{stem}.png'" if ext == "png" else f"href='{stem}.svg'", page)
        self.assertNotIn("No sensitivity results", page)
        self.assertNotIn("No convergence results", page)

    def test_a_file_with_convergence_only_notes_the_missing_sensitivity(self):
        h5 = self.copy("conv.h5")
        add_sensitivity(h5)
        with h5py.File(h5, "a") as f:
            del f["sensitivity"]
        folder, page = self.report(h5)
        self.assertIn("No sensitivity results in this file", page)
        self.assertPicture(os.path.join(folder, "convergence.png"))
        self.assertFalse([f for f in os.listdir(folder) if f.startswith(("tornado", "sobol"))])
        self.assertPicture(os.path.join(folder, "fan-infer_a100.png"))

    def test_single_sensitivity_plots_from_the_command_line(self):
        h5 = self.copy("sens.h5")
        add_sensitivity(h5)
        for args in (("tornado", h5, "--output", "train_a100", "--year", "2027"),
                     ("tornado", h5, "--output", "train_cagr"),
                     ("sobol", h5), ("convergence", h5)):
            out = self.path(f"{args[0]}-{len(args)}.png")
            code, _, err = script("plot.py", *args, "-o", out)
            self.assertEqual(code, 0, err)
            self.assertPicture(out)
        code, _, err = script("plot.py", "tornado", h5, "--output", "infer_a100", "-o", self.path("x.png"))
        self.assertEqual(code, 2)
        self.assertIn("no tornado results for 'infer_a100'", err)
        code, _, err = script("plot.py", "tornado", base_file(), "-o", self.path("y.png"))
        self.assertEqual(code, 2)
        self.assertIn("no sensitivity results in this file", err)

    def test_tornado_puts_the_widest_swing_on_top_and_sobol_sorts_by_total(self):
        from flopcast_plots import results, sensitivity_figures
        h5 = self.copy("sens.h5")
        add_sensitivity(h5)
        res = results.load(h5)
        self.assertEqual(res.tornado["train_a100"].low.shape, (6, 5))
        self.assertEqual(res.tornado["train_cagr"].low.shape, (3,))
        fig = sensitivity_figures.tornado_figure(res, "train_a100", 2025)
        ax = fig.axes[0]
        names = [t.get_text() for t in ax.get_yticklabels()]
        self.assertEqual(names[-1], "gpt4_params")  # the last tick is drawn at the top
        self.assertEqual(names[0], "train_runs_growth")
        self.assertIn("in 2025", ax.get_xlabel())
        # Bars start at the baseline of that year and end at the low / high medians.
        base = float(res.tornado["train_a100"].baseline[2])
        lefts = {round(p.get_x(), 3) for p in ax.patches}
        self.assertEqual(lefts, {round(base, 3)})
        fig = sensitivity_figures.sobol_figure(res, "train_a100")
        names = [t.get_text() for t in fig.axes[0].get_yticklabels()]
        self.assertEqual(names[-1], "gpt4_params")
        fig = sensitivity_figures.convergence_figure(res, res.convergence[0])
        self.assertEqual(fig.axes[0].get_xscale(), "log")
        self.assertIn("median of train_a100 in 2023", fig.axes[0].get_ylabel())

    def test_exceedance_from_kept_samples_is_exact_and_says_so(self):
        from flopcast_plots import figures, results
        res = results.load(base_file())
        out = res.outputs["train_cagr"]
        self.assertEqual(out.exceedance_source, "samples")
        with h5py.File(base_file()) as f:
            s = f["samples/train_cagr"][()]
            a = f["samples/train_a100"][:, 0]
        self.assertEqual(out.exceedance, float(np.mean(s[np.isfinite(s)] > 0.78)))
        self.assertEqual(res.outputs["train_a100"].exceedance, float(np.mean(a > 2e6)))
        labels = [t.get_text() for t in figures.hist_figure(res, "train_cagr").axes[0].get_legend().get_texts()]
        self.assertTrue(any(re.search(r"P\(> 78\.0 %\) ≈ 0\.\d\d \(5,000 samples\)", t) for t in labels), labels)
