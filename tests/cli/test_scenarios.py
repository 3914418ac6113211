"""The shipped scenario library (scenarios/*.toml) against docs/scenarios.md:
every scenario loads and runs at its own sample count (1e6) in seconds, and
reproduces the headline figures the document states, so the document cannot
drift from the files; the structure diagrams in the document are the ones
scripts/scenario_diagram.py draws from the files.

A headline table in docs/scenarios.md follows a marker
`<!-- headline: scenarios/NAME.toml -->` and has the columns
| output | year | median | p5 | p95 | (year "-" for a scalar output such as a
CAGR); numbers are written as 7.22e6, 1.70e15, 77.9 % or 0.41.

Every scenario runs as written (the engine reads named dimensions). The
tolerance, 1.5 % relative, is about ten times the sampling error of a p5 at
1e6 samples plus the rounding of three significant figures.

    python3 -m unittest -v test_scenarios           # from tests/cli, FLOPCAST=build/flopcast
    python3 test_scenarios.py --print FILE.h5 SCENARIO.toml   # the rows a doc table would hold
"""
import os
import re
import subprocess
import sys
import time
import unittest

import h5py
import numpy as np

from clitools import SOURCE_DIR, ScratchTest, run

DOC = os.path.join(SOURCE_DIR, "docs", "scenarios.md")
SCRIPTS = os.path.join(SOURCE_DIR, "scripts")
RTOL = 0.015
SECONDS = 120  # "in seconds" on a shared 2-core machine, with margin

HEADLINE = re.compile(r"<!-- headline: (?P<file>\S+) -->\s*\n(?P<table>(?:\|.*\|\s*\n)+)")


def parse_number(text):
    text = text.strip().replace(" ", "")
    if text.endswith("%"):
        return float(text[:-1]) / 100
    return float(text)


def headline_tables(doc_text):
    """{scenario file: [(output, year or None, median, p5, p95)]} from the document"""
    tables = {}
    for m in HEADLINE.finditer(doc_text):
        rows = []
        for line in m.group("table").strip().splitlines()[2:]:  # after the header and |---|
            cells = [c.strip().strip("`") for c in line.strip().strip("|").split("|")]
            output, year = cells[0], cells[1]
            rows.append((output, None if year in ("-", "") else int(year),
                         parse_number(cells[2]), parse_number(cells[3]), parse_number(cells[4])))
        tables[m.group("file")] = rows
    return tables


def figures(h5_path, output, year):
    """(median, p5, p95) of an output, in a year (None: a scalar output).
    `name[E]` is element E of a dimensioned output, its own group
    `/summary/name[E]` in the file."""
    with h5py.File(h5_path) as f:
        levels = list(np.round(f["quantile_levels"][()], 6))
        q = f[f"summary/{output}/quantiles"][()]
        if year is not None:
            q = q[:, list(f["years"][()]).index(year)]
        return tuple(float(q[levels.index(lv)]) for lv in (0.5, 0.05, 0.95))


def run_scenario(scenario, h5_path):
    """Runs a shipped scenario as written; returns the seconds it took."""
    start = time.monotonic()
    code, out, err = run("run", scenario, "-q", "-o", h5_path, timeout=600)
    if code != 0:
        raise AssertionError(f"{scenario}: exit {code}\n{err}")
    return time.monotonic() - start


class ShippedScenarios(ScratchTest):
    def test_every_scenario_has_a_section_and_a_headline_table(self):
        with open(DOC) as f:
            doc = f.read()
        tables = headline_tables(doc)
        shipped = sorted(f"scenarios/{n}" for n in os.listdir(os.path.join(SOURCE_DIR, "scenarios"))
                         if n.endswith(".toml"))
        for s in shipped:
            self.assertIn(s, tables, f"docs/scenarios.md has no headline table for {s}")
            self.assertIn(f"<!-- diagram: {s} -->", doc, f"docs/scenarios.md has no diagram of {s}")

    def test_headline_figures(self):
        with open(DOC) as f:
            tables = headline_tables(f.read())
        self.assertTrue(tables)
        for file, rows in tables.items():
            with self.subTest(scenario=file):
                h5 = self.path(os.path.basename(file) + ".h5")
                seconds = run_scenario(os.path.join(SOURCE_DIR, file), h5)
                print(f"\n  {file}: {seconds:.1f} s", file=sys.stderr)
                self.assertLess(seconds, SECONDS)
                for output, year, *stated in rows:
                    got = figures(h5, output, year)
                    for name, want, have in zip(("median", "p5", "p95"), stated, got):
                        self.assertTrue(np.isclose(have, want, rtol=RTOL, atol=1e-12),
                                        f"{file}: {output} {year or ''} {name}: the document says {want:.4g}, "
                                        f"the run gives {have:.4g}")

    def test_diagrams_are_drawn_from_the_files(self):
        p = subprocess.run([sys.executable, os.path.join(SCRIPTS, "scenario_diagram.py"), "--check", DOC],
                           capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stderr)


def format_number(value, percent):
    if percent:
        return f"{value * 100:.1f} %"
    if value != 0 and (abs(value) >= 1e4 or abs(value) < 1e-2):
        return f"{value:.3g}".replace("e+", "e").replace("e0", "e").replace("e-0", "e-")
    return f"{float(f'{value:.3g}'):g}"


def print_rows(h5_path, scenario):
    """The rows of a headline table for every output the scenario lists (for writing the document)."""
    with h5py.File(h5_path) as f:
        years = list(f["years"][()])
        for name in f["summary"]:
            g = f[f"summary/{name}"]
            percent = g.attrs.get("display", b"") in ("percent", b"percent")
            for y in ([None] if g["quantiles"].ndim == 1 else years):
                med, p5, p95 = figures(h5_path, name, y)
                print(f"| {name} | {y or '-'} | {format_number(med, percent)} | {format_number(p5, percent)} | "
                      f"{format_number(p95, percent)} |")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--print":
        print_rows(sys.argv[2], sys.argv[3])
    else:
        unittest.main()
