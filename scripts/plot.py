#!/usr/bin/python3
"""Draw one picture from a flopcast result file: fan, hist, compare, tornado, sobol, convergence.

    scripts/plot.py fan results.h5 --output train_a100 -o fan.png
    scripts/plot.py --help

The work is in scripts/flopcast_plots/ (see docs/plots.md).
"""
import os
import sys

# Found beside this script whatever the working folder; no install step.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from flopcast_plots.cli import plot_main, run  # noqa: E402

if __name__ == "__main__":
    run(plot_main)
