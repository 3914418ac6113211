"""Issue 21's figure rules on files the real binary writes: shares on a linear axis, wide positive
outputs on a log one, long titles wrapped inside the figure, references captioned with their own
label, and the charts a scenario declares with [plots.NAME]."""
import textwrap
import unittest

from plottools import ScenarioResultTest, script

from flopcast_plots import figures as F
from flopcast_plots import report as R

LONG = ("installed AI accelerator compute at year end across every vendor and every generation of chip "
        "counted in H100 equivalents of 989 TFLOP/s dense BF16 each")

SCENARIO = textwrap.dedent(f'''
    [scenario]
    name = "axes"
    first_year = 2024
    last_year = 2027
    samples = 4000
    seed = 7

    [dimensions]
    chip = ["H100", "B200"]

    [inputs.level]
    dist = "lognormal"
    p5 = 1e5
    p95 = 1e8
    [inputs.share_in]
    dist = "uniform"
    min = 0.005
    max = 0.95
    [inputs.per_chip]
    over = ["chip"]
    dist = "lognormal"
    p5 = {{ H100 = 1e6, B200 = 2e6 }}
    p95 = {{ H100 = 3e6, B200 = 9e6 }}

    [formulas]
    wide = "level * 1.5 ^ (year - 2024)"
    narrow = "(1000 + level / 1e6) * 1.01 ^ (year - 2024)"
    reasoning_share = "share_in ^ 3 * 0.99 ^ (year - 2024)"
    stock = "per_chip * 1.2 ^ (year - 2024)"

    [outputs.wide]
    units = "H100e"
    description = "{LONG}"
    reference = 2e6
    reference_year = 2025
    reference_label = "Epoch AI chip sales, end of 2025"
    [outputs.narrow]
    units = "H100e"
    [outputs.reasoning_share]
    units = "fraction of tokens"
    display = "percent"
    histogram = "log"
    [outputs.stock]
    units = "H100e"

    [plots.balance]
    title = "wide against narrow"
    outputs = ["wide", "narrow"]
    [plots.mix]
    kind = "stacked"
    outputs = ["stock"]
    ''')


class AxesAndTitles(ScenarioResultTest):
    SCENARIO = SCENARIO

    def test_share_is_linear_and_a_wide_output_log(self):
        share = self.res.output("reasoning_share")
        # The share's band spans more than the log threshold, so only the share rule keeps it linear.
        self.assertGreater(share.q(0.95).max() / share.q(0.05).min(), 10 ** 1.5)
        self.assertEqual(F.fan_figure(self.res, "reasoning_share").axes[0].get_yscale(), "linear")
        # Its histogram was binned on a log axis (histogram = "log"); it is still drawn linear.
        self.assertEqual(share.hist_axis, "log")
        self.assertEqual(F.hist_figure(self.res, "reasoning_share", 2026).axes[0].get_xscale(), "linear")
        self.assertEqual(F.fan_figure(self.res, "wide").axes[0].get_yscale(), "log")  # three decades
        self.assertEqual(F.fan_figure(self.res, "narrow").axes[0].get_yscale(), "linear")  # a few per cent

    def test_which_outputs_are_linear_by_kind(self):
        from flopcast_plots.numbers import linear_by_kind
        self.assertTrue(linear_by_kind("installed_cagr", "per year, 2024->2030", "percent", 3.0))  # a rate, always
        self.assertTrue(linear_by_kind("reasoning_token_share", "fraction of tokens", "percent", 0.9))
        self.assertTrue(linear_by_kind("nvidia_share_installed", "H100e / H100e", "number", 0.74))  # by its name
        self.assertTrue(linear_by_kind("p", "probability", "", 1.0))
        # Called a share, but reaching 52 wholes: a ratio spanning decades, so the log rule applies.
        self.assertFalse(linear_by_kind("demand_share_of_installed", "fraction", "percent", 52.0))
        self.assertFalse(linear_by_kind("installed_h100e", "H100e", "number", 0.5))

    def test_long_title_wraps_inside_the_figure(self):
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        fig = F.fan_figure(self.res, "wide")
        FigureCanvasAgg(fig)  # the writer that saves the PNG, so its renderer measures the saved text
        F.save(fig, self.path("wide.png"))  # runs the layout
        renderer = fig.canvas.get_renderer()
        title = fig._suptitle
        one_line = title.get_text().replace("\n", " ")
        self.assertIn("dense BF16 each (wide), 2024–2027", one_line)  # nothing cut off
        self.assertGreaterEqual(title.get_text().count("\n"), 1)
        box, page = title.get_window_extent(renderer), fig.bbox
        self.assertGreaterEqual(box.x0, page.x0)
        self.assertLessEqual(box.x1, page.x1)
        self.assertLessEqual(box.y1, page.y1)
        # The test can fail: on one line the same title is wider than the figure.
        title.set_text(one_line)
        self.assertGreater(title.get_window_extent(renderer).width, page.width)

    def test_reference_captioned_with_its_own_label(self):
        captions = [p.caption for p in R.plan(self.res)]
        text = " ".join(captions)
        self.assertIn("Epoch AI chip sales, end of 2025", text)
        self.assertNotIn("the report's figure", text)

    def test_declared_plots_draw_the_named_outputs(self):
        self.assertEqual([(d.name, d.kind, d.outputs) for d in self.res.plots],
                         [("balance", "lines", ["wide", "narrow"]), ("mix", "stacked", ["stock"])])
        balance, mix = self.res.plots
        ax = F.declared_plot_figure(self.res, balance).axes[0]
        self.assertEqual([t.get_text() for t in ax.get_legend().get_texts()], ["wide", "narrow"])
        # Each median line is the output's own median, not a copy of the first.
        for line, name in zip(ax.get_lines(), ["wide", "narrow"]):
            self.assertEqual(list(line.get_ydata()), list(self.res.output(name).q(0.5)))
        ax = F.declared_plot_figure(self.res, mix).axes[0]
        self.assertEqual([t.get_text() for t in ax.get_legend().get_texts()], ["H100", "B200"])
        top = max(p.get_paths()[0].vertices[:, 1].max() for p in ax.collections)
        stacked = sum(self.res.output(f"stock[{c}]").q(0.5)[-1] for c in ("H100", "B200"))
        self.assertAlmostEqual(top, stacked, delta=1e-9 * stacked)
        stems = [p.stem for p in R.plan(self.res)]
        self.assertEqual(stems[:2], ["plot-balance", "plot-mix"])

    def test_plot_py_chart(self):
        code, out, err = script("plot.py", "chart", self.h5, "--output", "mix", "-o", self.path("mix.png"))
        self.assertEqual(code, 0, err)
        self.assertPicture(self.path("mix.png"))
        code, out, err = script("plot.py", "chart", self.h5, "--output", "mixx", "-o", self.path("x.png"))
        self.assertOneLineError(code, out, err, "no chart 'mixx'", "balance, mix")


if __name__ == "__main__":
    unittest.main()
