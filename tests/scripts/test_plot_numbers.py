"""The pure helpers behind the pictures: formats, axis choices, exceedance, growth paths."""
import unittest

import numpy as np

import plottools  # noqa: F401  (puts scripts/ on sys.path)
from flopcast_plots import numbers as N


class Formats(unittest.TestCase):
    def test_human_matches_the_binarys_summary_table(self):
        # Same strings as engine/cli/number_format.cpp prints.
        cases = {2.31e6: "2.31 M", 510e3: "510 k", 177e6: "177 M", 999_600: "1.00 M", 6.7: "6.70",
                 56.1: "56.1", 0: "0", 6.49e26: "6.49e+26", 0.5: "0.500", 1.5e9: "1.50 G"}
        for v, s in cases.items():
            self.assertEqual(N.human(v), s, v)
        self.assertEqual(N.percent(0.779), "77.9 %")

    def test_ticks_are_short(self):
        self.assertEqual(N.tick(1e6), "1M")
        self.assertEqual(N.tick(1e7), "10M")
        self.assertEqual(N.tick(5e5), "500k")
        self.assertEqual(N.tick(2.5e6), "2.5M")
        self.assertEqual(N.tick(20), "20")
        self.assertEqual(N.tick(1e26), "$10^{26}$")
        self.assertEqual(N.tick(5e27), "$5\\times10^{27}$")

    def test_percent_outputs(self):
        self.assertTrue(N.is_percent("train_cagr", "per year, 2023->2027 (4 periods)"))
        self.assertTrue(N.is_percent("growth", "per year"))
        self.assertTrue(N.is_percent("x_cagr", ""))
        self.assertFalse(N.is_percent("train_a100", "A100 equivalents"))

    def test_mathtext_is_escaped(self):
        self.assertEqual(N.mathtext_safe("$5 B"), r"\$5 B")


class Axes(unittest.TestCase):
    def test_log_axis_when_the_band_spans_more_than_a_factor_30(self):
        self.assertTrue(N.wants_log_axis([5e5, 9e5], [1.2e7, 1.8e8]))
        self.assertFalse(N.wants_log_axis([6.7, 9.9], [6.7, 94.2]))  # the China market: linear
        self.assertFalse(N.wants_log_axis([-1, 1], [10, 100]))  # not all positive

    def test_density_integrates_to_one(self):
        rng = np.random.default_rng(1)
        x = rng.lognormal(0, 1, 10000)
        edges = np.logspace(np.log10(x.min()), np.log10(x.max()), 41)
        counts, _ = np.histogram(x, edges)
        d, unit = N.density(edges, counts, "log")
        self.assertEqual(unit, "per decade")
        self.assertAlmostEqual(float(np.sum(d * np.diff(np.log10(edges)))), 1.0, places=9)
        edges = np.linspace(-0.5, 2.5, 61)
        counts, _ = np.histogram(rng.normal(0.8, 0.3, 10000), edges)
        d, unit = N.density(edges, counts, "linear", as_percent=True)
        self.assertEqual(unit, "per percentage point")
        self.assertAlmostEqual(float(np.sum(d * np.diff(edges) * 100)), 1.0, places=9)


class Exceedance(unittest.TestCase):
    def test_share_above_from_a_histogram_is_close_to_the_exact_share(self):
        rng = np.random.default_rng(7)
        x = rng.lognormal(np.log(2.3e6), 0.9, 200_000)
        edges = np.logspace(np.log10(x.min()), np.log10(x.max()), 61)
        counts, _ = np.histogram(x, edges)
        for ref in (5e5, 2e6, 2.3e6, 1e7):
            exact = float(np.mean(x > ref))
            self.assertAlmostEqual(N.share_above_from_histogram(edges, counts, ref, "log"), exact, delta=0.01)
        y = rng.normal(0.8, 0.35, 200_000)
        edges = np.linspace(y.min(), y.max(), 61)
        counts, _ = np.histogram(y, edges)
        self.assertAlmostEqual(N.share_above_from_histogram(edges, counts, 0.78, "linear"),
                               float(np.mean(y > 0.78)), delta=0.01)

    def test_outside_the_histogram(self):
        edges, counts = np.array([1.0, 2.0, 3.0]), np.array([5, 5])
        self.assertEqual(N.share_above_from_histogram(edges, counts, 0.5), 1.0)
        self.assertEqual(N.share_above_from_histogram(edges, counts, 3.0), 0.0)
        self.assertAlmostEqual(N.share_above_from_histogram(edges, counts, 1.5), 0.75)


class GrowthPath(unittest.TestCase):
    def test_path_compounds_from_the_first_year(self):
        p = N.growth_path([2023, 2024, 2025, 2026, 2027], 2.3e6, 0.78)
        np.testing.assert_allclose(p, 2.3e6 * 1.78 ** np.arange(5))

    def test_cagr_partner(self):
        yearly = ["train_a100", "infer_a100", "total_a100", "train_flop"]
        self.assertEqual(N.cagr_partner("train_cagr", "cagr(train_a100, 2023, 2027)", yearly), "train_a100")
        # The formula wins over the prefix; without a usable formula the prefix decides.
        self.assertEqual(N.cagr_partner("train_cagr", "cagr(train_flop, 2023, 2027)", yearly), "train_flop")
        self.assertEqual(N.cagr_partner("infer_cagr", "", yearly), "infer_a100")
        self.assertIsNone(N.cagr_partner("market_cagr", "", yearly))

    def test_source_of_a_label(self):
        self.assertEqual(N.source_of("CSC: 78 % a year"), "CSC")
        self.assertEqual(N.source_of("78 % a year"), "report")


if __name__ == "__main__":
    unittest.main()
