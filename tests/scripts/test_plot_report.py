"""report.py and plot.py on files the real binary writes: the baseline, a what-if, the China scenario."""
import os
import re
import shutil
import tempfile
import unittest

import h5py

from plottools import CHINA, ScratchTest, flopcast, script


class Runs:
    """Result files shared by the tests of this module (running the binary once each)."""
    dir = None

    @classmethod
    def make(cls):
        if cls.dir is None:
            cls.dir = tempfile.mkdtemp(prefix="flopcast-plots-runs-")
            cls.base = os.path.join(cls.dir, "base.h5")
            cls.whatif = os.path.join(cls.dir, "whatif.h5")
            cls.china = os.path.join(cls.dir, "china.h5")
            cls.base_text = flopcast("run", "-n", "20000", "-q", "-o", cls.base)
            # A what-if that moves both the 2023 level (utilization) and the growth (parameters).
            flopcast("run", "-n", "20000", "-q", "-o", cls.whatif, "--set", "inputs.train_mfu.median=0.5",
                     "--set", "inputs.train_params_growth.median=1.4")
            flopcast("run", CHINA, "-n", "20000", "-q", "-o", cls.china)
        return cls


def tearDownModule():
    if Runs.dir:
        shutil.rmtree(Runs.dir, ignore_errors=True)


def referenced(index_html):
    """Every relative src/href of the page."""
    return set(re.findall(r"(?:src|href)='([^']+)'", index_html))


class ReportTest(ScratchTest):
    def build(self, h5, *extra):
        folder = self.path("report")
        code, out, err = script("report.py", h5, "-o", folder, *extra)
        self.assertEqual(code, 0, err)
        self.assertIn("index.html", out)
        with open(os.path.join(folder, "index.html"), encoding="utf-8") as f:
            return folder, f.read()

    def assertReportHas(self, folder, page, stems):
        refs = referenced(page)
        for stem in stems:
            for ext in ("png", "svg"):
                self.assertPicture(os.path.join(folder, f"{stem}.{ext}"))
                self.assertIn(f"{stem}.{ext}", refs, f"index.html does not reference {stem}.{ext}")
        # Nothing else was drawn, and nothing the page points to is missing or absolute.
        drawn = sorted(f for f in os.listdir(folder) if f != "index.html")
        self.assertEqual(drawn, sorted(f"{s}.{e}" for s in stems for e in ("png", "svg")))
        for ref in refs:
            self.assertFalse(ref.startswith(("/", "http:", "https:", "file:")), ref)
            self.assertTrue(os.path.isfile(os.path.join(folder, ref)), ref)


class Baseline(ReportTest):
    def setUp(self):
        super().setUp()
        self.runs = Runs.make()

    def test_report_draws_every_picture_and_the_page_links_them(self):
        folder, page = self.build(self.runs.base)
        self.assertReportHas(folder, page, [
            "fan-train_a100", "fan-infer_a100", "fan-total_a100", "fan-train_flop",
            "hist-train_cagr", "hist-infer_cagr", "hist-train_a100-2023"])
        self.assertIn("csc-2023-baseline", page)
        self.assertIn("AI compute demand in A100 equivalents, 2023-2027 (CSC Financial, June 2023)", page)
        self.assertIn("No sensitivity results in this file", page)
        self.assertIn("No convergence results in this file", page)
        with h5py.File(self.runs.base) as f:
            for name in f["inputs"]:
                self.assertIn(f"<code>{name}</code>", page)
                self.assertIn(f["inputs"][name].attrs["units"], page)
            described = f["inputs/train_mfu/described"][0].decode()
        self.assertIn(described, page)

    def test_summary_table_agrees_with_the_binarys_own_summary(self):
        _, page = self.build(self.runs.base)
        # The 2023 training row the binary printed: mean, p5, median, p95 in its own format.
        row = re.search(r"^\s+2023\s+(\S+ ?[kMG]?)\s+(\S+ ?[kMG]?)\s+(\S+ ?[kMG]?)\s+(\S+ ?[kMG]?)\s+2\.00 M",
                        self.runs.base_text, re.M)
        self.assertIsNotNone(row, self.runs.base_text)
        cells = re.search(r"<tr><td>2023</td>((?:<td class='n'>[^<]*</td>){4})<td>2\.00 M", page)
        self.assertIsNotNone(cells)
        self.assertEqual(re.findall(r"<td class='n'>([^<]*)</td>", cells.group(1)),
                         [g.strip() for g in row.groups()])
        share = re.search(r"2\.00 M  \((\d+) % of samples above\)", self.runs.base_text).group(1)
        self.assertIn(f"2.00 M ({share} % of samples above, from the histogram)", page)
        self.assertIn("CSC: 78 % a year", page)
        # The CAGR row, in percent, as the binary printed it.
        cagr = re.search(r"^train_cagr.*\n.*\n\s+(\S+ %)\s+(\S+ %)\s+(\S+ %)\s+(\S+ %)\s+78\.0 %",
                         self.runs.base_text, re.M)
        self.assertIsNotNone(cagr, self.runs.base_text)
        self.assertIn("<tr><td></td>" + "".join(f"<td class='n'>{v}</td>" for v in cagr.groups()) + "<td>78.0 %",
                      page)

    def test_single_plots_one_by_one(self):
        for args, out in [(("fan", self.runs.base, "--output", "train_a100"), "fan.png"),
                          (("fan", self.runs.base, "--output", "infer_a100"), "fan.svg"),
                          (("hist", self.runs.base, "--output", "train_cagr"), "h.png"),
                          (("hist", self.runs.base, "--output", "train_a100", "--year", "2027"), "h27.svg")]:
            code, stdout, err = script("plot.py", *args, "-o", self.path(out))
            self.assertEqual(code, 0, err)
            self.assertPicture(self.path(out))
        # Without -o: <kind>-<output>.png in the working folder; without --output: the referenced one.
        code, stdout, err = script("plot.py", "fan", self.runs.base, cwd=self.dir)
        self.assertEqual(code, 0, err)
        self.assertPicture(self.path("fan-train_a100.png"))

    def test_every_command_has_help(self):
        for cmd in ["fan", "hist", "compare", "tornado", "sobol", "convergence", "list"]:
            code, out, err = script("plot.py", cmd, "--help")
            self.assertEqual(code, 0, err)
            self.assertIn("usage: plot.py " + cmd, out)
        code, out, _ = script("plot.py", "--help")
        self.assertEqual(code, 0)
        for cmd in ["fan", "hist", "compare", "tornado", "sobol", "convergence"]:
            self.assertIn(cmd, out)
        code, out, _ = script("report.py", "--help")
        self.assertEqual(code, 0)
        self.assertIn("index.html", out)


class Figures(unittest.TestCase):
    """What the pictures contain, read back from the matplotlib objects."""

    @classmethod
    def setUpClass(cls):
        from flopcast_plots import results
        cls.runs = Runs.make()
        cls.base = results.load(cls.runs.base)
        cls.whatif = results.load(cls.runs.whatif)
        cls.china = results.load(cls.runs.china)

    def legend(self, fig):
        """Legend entries, with line breaks read as spaces."""
        return [t.get_text().replace("\n", " ") for t in fig.axes[0].get_legend().get_texts()]

    def test_fan_has_bands_reference_and_the_csc_growth_path_on_a_log_axis(self):
        from flopcast_plots import figures
        import numpy as np
        fig = figures.fan_figure(self.base, "train_a100")
        ax = fig.axes[0]
        self.assertEqual(ax.get_yscale(), "log")
        labels = self.legend(fig)
        self.assertIn("90 % band (p5–p95)", labels)
        self.assertIn("50 % band (p25–p75)", labels)
        self.assertIn("median", labels)
        path = [t for t in labels if "%/yr path" in t]
        self.assertEqual(len(path), 1, labels)
        self.assertTrue(path[0].startswith("CSC 78 %/yr path"), path)
        ref = [t for t in labels if t.startswith("CSC: more than 2 million")]
        self.assertEqual(len(ref), 1, labels)
        self.assertIn("P(> 2.00 M) ≈ 0.", ref[0])
        # The path starts at the 2023 median and grows 78 % a year.
        line = [ln for ln in ax.get_lines() if ln.get_label() == path[0]][0]
        y = np.asarray(line.get_ydata(), dtype=float)
        self.assertAlmostEqual(y[0], float(self.base.outputs["train_a100"].q(0.5)[0]))
        np.testing.assert_allclose(y[1:] / y[:-1], 1.78)
        # Tick labels read 1M, 10M, not 10^6.
        fig.canvas.draw()
        ticks = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
        self.assertIn("1M", ticks)
        self.assertIn("10M", ticks)

    def test_china_fan_is_linear_with_its_2025_figure_and_no_path(self):
        from flopcast_plots import figures
        fig = figures.fan_figure(self.china, "market")
        self.assertEqual(fig.axes[0].get_yscale(), "linear")
        labels = self.legend(fig)
        self.assertTrue(any(t.startswith("CSC: 56.1 B USD in 2025") for t in labels), labels)
        self.assertFalse(any("%/yr path" in t for t in labels), labels)  # market_cagr has no reference
        self.assertEqual(fig.axes[0].get_ylabel(), "market [B USD]")

    def test_cagr_histogram_in_percent_with_reference_and_its_probability(self):
        from flopcast_plots import figures
        fig = figures.hist_figure(self.base, "train_cagr")
        ax = fig.axes[0]
        labels = self.legend(fig)
        ref = [t for t in labels if t.startswith("CSC: 78 % a year")]
        self.assertEqual(len(ref), 1, labels)
        self.assertRegex(ref[0], r"P\(> 78\.0 %\) ≈ 0\.\d\d \(histogram\)")
        p = self.base.outputs["train_cagr"].exceedance
        self.assertAlmostEqual(p, 0.5, delta=0.05)  # the scenario is calibrated on the median
        fig.canvas.draw()
        ticks = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
        self.assertTrue(ticks and all(t.endswith(" %") for t in ticks), ticks)
        self.assertIn("per year, 2023->2027 (4 periods)", ax.get_xlabel())

    def test_compare_labels_come_from_the_files(self):
        from flopcast_plots import figures
        labels = self.legend(figures.compare_figure([self.base, self.whatif], "train_a100"))
        self.assertIn("csc-2023-baseline", labels)
        self.assertIn("csc-2023-baseline + inputs.train_mfu.median=0.5, inputs.train_params_growth.median=1.4",
                      labels)
        labels = self.legend(figures.compare_figure([self.base, self.whatif], "train_cagr"))
        self.assertTrue(any(t.startswith("csc-2023-baseline + inputs.train_mfu") for t in labels), labels)
        # Faster parameter growth raises the CAGR's median: the picture must show two different medians.
        medians = [t.split("median ")[1].split(";")[0] for t in labels if "median " in t]
        self.assertEqual(len(set(medians)), 2, labels)


class Compare(ReportTest):
    def setUp(self):
        super().setUp()
        self.runs = Runs.make()

    def test_compare_command_and_report_with_a_whatif(self):
        for output in ("train_a100", "train_cagr"):
            out = self.path(f"c-{output}.png")
            code, _, err = script("plot.py", "compare", self.runs.base, self.runs.whatif, "--output", output, "-o", out)
            self.assertEqual(code, 0, err)
            self.assertPicture(out)
        code, _, err = script("plot.py", "compare", self.runs.base, self.runs.china, "--output", "train_a100",
                              "-o", self.path("x.png"))
        self.assertEqual(code, 2)
        self.assertIn("no output 'train_a100'", err)
        folder, page = self.build(self.runs.base, "--compare", self.runs.whatif)
        self.assertIn("compare-train_a100-whatif.png", referenced(page))
        self.assertPicture(os.path.join(folder, "compare-train_cagr-whatif.svg"))


class China(ReportTest):
    def test_china_report(self):
        runs = Runs.make()
        folder, page = self.build(runs.china)
        self.assertReportHas(folder, page, ["fan-market", "hist-market_cagr", "hist-market-2025"])
        self.assertIn("China AI server market, 2022-2025 (CSC Financial, June 2023)", page)
        # per_year input: one distribution per year.
        for year in (2022, 2023, 2024, 2025):
            self.assertIn(f"{year}: lognormal(", page)
        self.assertIn("CSC: 56.1 B USD in 2025", page)


if __name__ == "__main__":
    unittest.main()
