#!/usr/bin/python3
"""Write every picture a flopcast result file allows, and a one-page index.html beside them.

    scripts/report.py results.h5 -o report/
    scripts/report.py --help

The work is in scripts/flopcast_plots/ (see docs/plots.md).
"""
import os
import sys

# Found beside this script whatever the working folder; no install step.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from flopcast_plots.cli import report_main, run  # noqa: E402

if __name__ == "__main__":
    run(report_main)
