"""Issue 19's report figure: a conditioned run draws prior and posterior fans together and marks each
observation (from /observations) with its p5-p95 error bar, on a file the real binary writes."""
import textwrap
import unittest

import numpy as np

from plottools import ScenarioResultTest, flopcast, script

from flopcast_plots import posterior_figures as P
from flopcast_plots import report as R
from flopcast_plots.results import load

# A lognormal stock (median 1e6, growing 1.5x a year) observed in 2025 at a median of 4e6,
# well above the prior's 2025 median of 2.25e6: the posterior must move up, towards it.
SCENARIO = textwrap.dedent('''
    [scenario]
    name = "conditioned"
    first_year = 2024
    last_year = 2027
    samples = 20000
    seed = 11

    [inputs.level]
    dist = "lognormal"
    median = 1e6
    p5 = 2.5e5
    p95 = 4e6

    [formulas]
    stock = "level * 1.5 ^ (year - 2024)"
    stock_cagr = "cagr(stock, 2024, 2027)"

    [outputs.stock]
    units = "H100e"
    [outputs.stock_cagr]
    units = "per year"

    [observations.stock_2025]
    of = "stock"
    year = 2025
    dist = "lognormal"
    median = 4e6
    p5 = 3e6
    p95 = 5.3333333e6
    description = "a made-up count"
    ''')


class PosteriorFigures(ScenarioResultTest):
    SCENARIO = SCENARIO

    def test_observation_read_with_its_90_percent_range(self):
        (o,) = self.res.observations
        self.assertEqual((o.name, o.of, o.output, o.year, o.dist), ("stock_2025", "stock", "stock", 2025, "lognormal"))
        # The engine stores mu and sigma of ln x; the bar's ends are the p5 and p95 the file gave
        # (a symmetric pair in ln: 4e6 x/÷ 4/3), to rounding.
        self.assertAlmostEqual(o.low / 3e6, 1.0, delta=1e-6)
        self.assertAlmostEqual(o.high / 5.3333333e6, 1.0, delta=1e-6)
        self.assertAlmostEqual(o.centre / 4e6, 1.0, delta=1e-9)

    def test_fan_draws_prior_posterior_and_the_error_bar(self):
        fig = P.posterior_fan_figure(self.res, "stock")
        ax = fig.axes[0]
        labels = [t.get_text() for t in ax.get_legend().get_texts()]
        for want in ("prior median", "posterior median", "prior 90 % band", "posterior 90 % band"):
            self.assertIn(want, labels)
        self.assertTrue(any(l.startswith("observed stock_2025 (2025)") for l in labels), labels)
        lines = {l.get_label(): l for l in ax.get_lines()}
        prior, post = self.res.output("stock"), self.res.posterior["stock"]
        np.testing.assert_array_equal(lines["prior median"].get_ydata(), prior.q(0.5))
        np.testing.assert_array_equal(lines["posterior median"].get_ydata(), post.q(0.5))
        # The evidence sits above the prior: the posterior's 2025 median moves up towards 4e6.
        t = self.res.year_index(2025)
        self.assertGreater(post.q(0.5)[t], 1.3 * prior.q(0.5)[t])
        # The error bar: a vertical segment at 2025 from the evidence's p5 to its p95.
        segments = [seg for c in ax.collections if hasattr(c, "get_segments") for seg in c.get_segments()]
        bars = [s for s in segments if len(s) == 2 and s[0][0] == s[1][0] == 2025]
        self.assertEqual(len(bars), 1, segments)
        lo, hi = sorted([bars[0][0][1], bars[0][1][1]])
        self.assertAlmostEqual(lo / 3e6, 1.0, delta=1e-6)
        self.assertAlmostEqual(hi / 5.3333333e6, 1.0, delta=1e-6)
        self.assertEqual(ax.get_yscale(), "log")  # the stock spans more than a decade and a half

    def test_report_has_the_posterior_pictures_and_the_observation_table(self):
        stems = [p.stem for p in R.plan(self.res)]
        self.assertIn("posterior-stock", stems)
        self.assertIn("posterior-stock_cagr", stems)  # the scalar CAGR: prior and posterior densities
        files, failures = R.write_report(self.res, self.path("report"))
        self.assertEqual(failures, [])
        self.assertPicture(self.path("report", "posterior-stock.png"))
        with open(self.path("report", "index.html"), encoding="utf-8") as f:
            page = f.read()
        self.assertIn("<code>stock_2025</code>", page)
        self.assertIn("3.00 M – 5.33 M", page)

    def test_plot_py_posterior(self):
        code, out, err = script("plot.py", "posterior", self.h5, "-o", self.path("p.png"))  # default: the observed one
        self.assertEqual(code, 0, err)
        self.assertPicture(self.path("p.png"))

    def test_unconditioned_file_has_no_posterior_pictures(self):
        toml = self.path("plain.toml")
        with open(toml, "w") as f:
            f.write(SCENARIO.split("[observations.")[0])
        flopcast("run", toml, "-o", self.path("plain.h5"), "-q", "-t", "1", "-n", "2000")
        res = load(self.path("plain.h5"))
        self.assertEqual((res.posterior, res.observations), ({}, []))
        self.assertFalse([p for p in R.plan(res) if p.section == "posterior"])
        code, out, err = script("plot.py", "posterior", self.path("plain.h5"), "-o", self.path("p.png"))
        self.assertOneLineError(code, out, err, "no /posterior group")


if __name__ == "__main__":
    unittest.main()
