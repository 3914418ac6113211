"""Argument parsing and error handling behind scripts/plot.py and scripts/report.py.

Exit codes: 0 done; 1 a picture could not be written or drawn; 2 bad
arguments or an input that is not a flopcast result file (one line on
stderr naming the file, never a traceback).
"""
import argparse
import os
import sys

from .results import ResultFileError, load

PICTURE_FORMATS = (".png", ".svg", ".pdf")

EXAMPLES_PLOT = """\
examples:
  plot.py fan results.h5 --output train_a100 -o fan.png
  plot.py hist results.h5 --output train_cagr -o hist.svg
  plot.py hist results.h5 --output train_a100 --year 2023
  plot.py compare base.h5 whatif.h5 --output train_a100 -o compare.png
  plot.py tornado results.h5 --output train_a100 --year 2027
  plot.py sobol results.h5 --output train_cagr
  plot.py convergence results.h5
  plot.py list results.h5

The format follows the extension of -o (.png, .svg, .pdf).
See docs/plots.md for what each picture shows.
"""


def _add_common(p, output_help, year=False, top=False):
    p.add_argument("--output", metavar="NAME", help=output_help)
    if year:
        p.add_argument("--year", type=int, help="year to show for a yearly output "
                       "(default: its reference year, else the last year)")
    if top:
        p.add_argument("--top", type=int, default=15, help="show at most this many inputs (default 15)")
    p.add_argument("-o", dest="out", metavar="FILE", help="picture to write (default: <kind>-<output>.png here)")
    p.add_argument("--dpi", type=int, default=110, help="resolution of PNG files (default 110)")


def plot_parser():
    p = argparse.ArgumentParser(
        prog="plot.py", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Draw one picture from a flopcast result file (HDF5, written by `flopcast run`).",
        epilog=EXAMPLES_PLOT)
    sub = p.add_subparsers(dest="kind", metavar="PICTURE", required=True)
    s = sub.add_parser("fan", help="median and 50/90 %% bands of a yearly output over the years",
                       description="Fan chart: median, 50 % and 90 % bands of a yearly output; the source's "
                       "figure and its CAGR growth path when the file has them.")
    s.add_argument("file")
    _add_common(s, "yearly output (default: the first with a reference, else the first yearly)")
    s = sub.add_parser("stack", help="a dimensioned yearly output: the elements' medians as stacked areas",
                       description="Stacked area of the medians of each element of a dimensioned output.")
    s.add_argument("file")
    _add_common(s, "dimensioned yearly output (default: the first)")
    s = sub.add_parser("fans", help="a dimensioned yearly output: one fan per element",
                       description="Small multiples: median, 50 % and 90 % bands of each element.")
    s.add_argument("file")
    _add_common(s, "dimensioned yearly output (default: the first)")
    s = sub.add_parser("chart", help="a chart the scenario declares with [plots.NAME] (several outputs)",
                       description="The outputs a [plots.NAME] table names: median lines with 90 % bands, "
                       "or their medians stacked (kind = \"stacked\").")
    s.add_argument("file")
    _add_common(s, "the plot's NAME, as in [plots.NAME] (default: the first)")
    s = sub.add_parser("posterior", help="a conditioned run: prior and posterior of one output, with the observations",
                       description="Prior (grey) and posterior (blue) fans of a yearly output, each observation "
                       "of it with its p5-p95 error bar; prior and posterior densities for a scalar output.")
    s.add_argument("file")
    _add_common(s, "output under /posterior (default: the first observed one, else the first)")
    s = sub.add_parser("hist", help="distribution of a scalar output (a CAGR), or of a yearly output in one year",
                       description="Histogram density with median, 5-95 % band, reference and P(> reference).")
    s.add_argument("file")
    _add_common(s, "output (default: the first scalar output with a reference, else the first scalar)", year=True)
    s = sub.add_parser("compare", help="two or more runs (e.g. a scenario and its what-if) overlaid",
                       description="Overlaid fan charts (yearly output, or with --year a density) or overlaid "
                       "densities (scalar output). Runs are labelled with scenario_name + overrides.")
    s.add_argument("file", nargs="+", help="two or more result files")
    _add_common(s, "output present in every file (default: as for fan)", year=True)
    s = sub.add_parser("tornado", help="the median's swing with each input at its low/high setting",
                       description="Tornado chart from /sensitivity/tornado/<output>/.")
    s.add_argument("file")
    _add_common(s, "output (default: the first in /sensitivity/tornado)", year=True, top=True)
    s = sub.add_parser("sobol", help="first-order and total Sobol indices",
                       description="Sobol indices from /sensitivity/sobol/<output>/.")
    s.add_argument("file")
    _add_common(s, "output (default: the first in /sensitivity/sobol)", year=True, top=True)
    s = sub.add_parser("convergence", help="an estimate against the number of samples",
                       description="Convergence plot from /convergence/.")
    s.add_argument("file")
    s.add_argument("--index", type=int, default=0, help="which convergence series, when the file has several")
    s.add_argument("-o", dest="out", metavar="FILE", help="picture to write (default: convergence.png here)")
    s.add_argument("--dpi", type=int, default=110, help="resolution of PNG files (default 110)")
    s = sub.add_parser("list", help="list the outputs and the pictures the file allows")
    s.add_argument("file")
    return p


def _default_output(res, kind):
    outs = res.outputs
    if kind in ("stack", "fans"):
        yearly = [n for n, (_, els) in res.arrays.items() if outs[els[0][1]].yearly]
        if not yearly:
            raise ResultFileError(f"{res.path}: no dimensioned yearly output in this file")
        return yearly[0]
    if kind in ("fan", "compare"):
        yearly = [n for n, o in outs.items() if o.yearly]
        with_ref = [n for n in yearly if outs[n].reference is not None]
        return (with_ref or yearly or list(outs))[0]
    if kind == "chart":
        if not res.plots:
            raise ResultFileError(f"{res.path}: the scenario declares no [plots.NAME] chart")
        return res.plots[0].name
    if kind == "posterior":
        if not res.posterior:
            raise ResultFileError(f"{res.path}: no /posterior group (the scenario has no [observations])")
        observed = [o.output for o in res.observations if o.output in res.posterior]
        return (observed or list(res.posterior))[0]
    if kind == "hist":
        scalar = [n for n, o in outs.items() if not o.yearly]
        with_ref = [n for n in scalar if outs[n].reference is not None]
        return (with_ref or scalar or list(outs))[0]
    group = res.tornado if kind == "tornado" else res.sobol
    if not group:
        raise ResultFileError(f"{res.path}: no sensitivity results in this file (no /sensitivity/{kind} group)")
    return next(iter(group))


def _list(res):
    from .report import plan
    print(f"{res.path}: {res.label} — {res.title}")
    print(f"  years {res.years[0]}-{res.years[-1]}, {res.samples:,} samples")
    for n, o in res.outputs.items():
        ref = f", reference {o.reference:g}" + (f" in {o.reference_year}" if o.reference_year else "") \
            if o.reference is not None else ""
        print(f"  {n:<20} {'yearly' if o.yearly else 'scalar'}  [{o.units}]{ref}")
    print("  pictures: " + ", ".join(p.stem for p in plan(res)))
    if not res.has_sensitivity:
        print("  no sensitivity results in this file")
    if not res.convergence:
        print("  no convergence results in this file")


def plot_main(argv=None) -> int:
    args = plot_parser().parse_args(argv)
    out = getattr(args, "out", None)
    if out and os.path.splitext(out)[1].lower() not in PICTURE_FORMATS:
        print(f"plot.py: {out}: unknown picture format (use one of {', '.join(PICTURE_FORMATS)})", file=sys.stderr)
        return 2
    try:
        files = args.file if isinstance(args.file, list) else [args.file]
        if args.kind == "compare" and len(files) < 2:
            raise ResultFileError("compare needs two or more result files")
        runs = [load(f) for f in files]
        res = runs[0]
        if args.kind == "list":
            _list(res)
            return 0
        from . import posterior_figures as P, sensitivity_figures as S  # noqa: E401
        from . import figures as F  # after loading: a bad file is reported without importing matplotlib
        if args.kind == "convergence":
            if not res.convergence:
                raise ResultFileError(f"{res.path}: no convergence results in this file (no /convergence group)")
            if not 0 <= args.index < len(res.convergence):
                raise ResultFileError(f"{res.path}: --index {args.index}: the file has "
                                      f"{len(res.convergence)} convergence series")
            fig, name = S.convergence_figure(res, res.convergence[args.index]), "convergence"
            default = "convergence.png"
        else:
            name = args.output or _default_output(res, args.kind)
            for r in runs:
                r.output(name) if args.kind not in ("tornado", "sobol", "stack", "fans", "chart") else None
            if args.kind == "chart":
                decl = {d.name: d for d in res.plots}.get(name)
                if decl is None:
                    raise ResultFileError(f"{res.path}: no chart '{name}' (the scenario declares: "
                                          f"{', '.join(d.name for d in res.plots) or 'none'})")
                fig = F.declared_plot_figure(res, decl)
            elif args.kind == "posterior":
                out_ = res.output(name)
                fig = P.posterior_fan_figure(res, name) if out_.yearly else P.posterior_hist_figure(res, name)
            elif args.kind == "fan":
                fig = F.fan_figure(res, name)
            elif args.kind == "stack":
                fig = F.stack_figure(res, name)
            elif args.kind == "fans":
                fig = F.element_fans_figure(res, name)
            elif args.kind == "hist":
                fig = F.hist_figure(res, name, args.year)
            elif args.kind == "compare":
                fig = F.compare_figure(runs, name, args.year)
            elif args.kind == "tornado":
                fig = S.tornado_figure(res, name, args.year, args.top)
            else:
                fig = S.sobol_figure(res, name, args.year, args.top)
            default = f"{args.kind}-{name}.png"
        out = args.out or default
        try:
            F.save(fig, out, dpi=args.dpi)
        except (OSError, ValueError) as e:
            print(f"plot.py: cannot write {out}: {getattr(e, 'strerror', None) or e}", file=sys.stderr)
            return 1
        print(out)
        return 0
    except ResultFileError as e:
        print(f"plot.py: {e}", file=sys.stderr)
        return 2


def report_parser():
    return argparse.ArgumentParser(
        prog="report.py", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Write every picture a flopcast result file allows (PNG and SVG) and a one-page "
                    "index.html beside them: scenario, summary table, inputs, pictures.",
        epilog="examples:\n  report.py results.h5 -o report/\n"
               "  report.py base.h5 --compare whatif.h5 -o report/\n\nSee docs/plots.md.")


def report_main(argv=None) -> int:
    p = report_parser()
    p.add_argument("file", help="result file written by `flopcast run`")
    p.add_argument("-o", dest="folder", default="report", help="folder to write into (default: report/)")
    p.add_argument("--compare", nargs="+", default=[], metavar="FILE",
                   help="also draw each shared output against these runs (e.g. a what-if)")
    p.add_argument("--dpi", type=int, default=110, help="resolution of PNG files (default 110)")
    args = p.parse_args(argv)
    # The report is a folder: never an existing file (the result itself, a
    # device, a FIFO), and never written through to one of the inputs.
    if os.path.lexists(args.folder) and not os.path.isdir(args.folder):
        print(f"report.py: refusing to write {args.folder}: it exists and is not a folder; "
              "give a folder for the report (default report/)", file=sys.stderr)
        return 2
    try:
        res = load(args.file)
        others = [load(f) for f in args.compare]
    except ResultFileError as e:
        print(f"report.py: {e}", file=sys.stderr)
        return 2
    from .report import write_report
    try:
        files, failures = write_report(res, args.folder, others, dpi=args.dpi)
    except OSError as e:
        print(f"report.py: cannot write into {args.folder}: {e.strerror or e}", file=sys.stderr)
        return 1
    pictures = sum(f.endswith(".png") for f in files)
    print(f"{os.path.join(args.folder, 'index.html')} ({pictures} pictures, PNG and SVG"
          + (f", {len(failures)} failed" if failures else "") + ")")
    return 1 if failures else 0


def run(main):
    """Entry point for the scripts: Ctrl-C and a closed pipe end quietly."""
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(1)
