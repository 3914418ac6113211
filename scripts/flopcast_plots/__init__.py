"""Reading and drawing flopcast result files (docs/hdf5-layout.md, docs/plots.md).

results  -- read a file into plain objects (h5py + numpy only)
numbers  -- pure helpers: number formatting, axis choices, exceedance, growth paths
figures  -- matplotlib figures (Agg backend), one function per picture
report   -- the one-page HTML report
cli      -- the argument parsing behind scripts/plot.py and scripts/report.py
"""
