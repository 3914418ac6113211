"""The pictures: one function per kind, each taking loaded Results and returning a Figure.

Figures are built with matplotlib.figure.Figure directly (no pyplot), so
nothing is kept in a global registry and the Agg/SVG writers are chosen by
the file extension in `save`.
"""
import math
import os

import matplotlib

matplotlib.use("Agg")  # no display; must precede anything that could pick a GUI backend
import numpy as np  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.font_manager import FontProperties  # noqa: E402
from matplotlib.textpath import text_to_path  # noqa: E402
from matplotlib.transforms import ScaledTranslation, blended_transform_factory  # noqa: E402
from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullFormatter  # noqa: E402

from .numbers import (cagr_partner, density, fmt_value, mathtext_safe,  # noqa: E402
                      source_of, tick, wants_log_axis)
from .results import ResultFileError  # noqa: E402

matplotlib.rcParams.update({
    "font.size": 10,
    "axes.titlesize": 9,
    "axes.labelsize": 10,
    "legend.fontsize": 8.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "grid.linewidth": 0.6,
    "svg.hashsalt": "flopcast",  # same input, same SVG bytes
})

FIGSIZE = (8.0, 4.8)
FAN_FIGSIZE = (8.0, 5.6)  # taller: the legend sits below the axes
DPI = 110
BAND_COLOR = "#1f5fa8"
REF_COLOR = "#c0392b"
PATH_COLOR = "#333333"
RUN_COLORS = ["#1f5fa8", "#e07b00", "#2a9d55", "#8e44ad", "#7f7f7f"]
SENS_LOW, SENS_HIGH = "#3b7dd8", "#e8833a"


def _new_figure(size=FIGSIZE):
    fig = Figure(figsize=size, layout="constrained")
    fig.get_layout_engine().set(w_pad=0.1, h_pad=0.08)  # inches; a margin around labels at the edges
    return fig, fig.add_subplot()


def _short(s: str, n: int = 95) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def _wrap(text: str, width_pt: float, fontsize: float, weight: str = "normal", max_lines: int = 3) -> str:
    """`text` broken between words into lines no wider than width_pt (measured in the font, not counted).

    A title that runs past the figure's edge is clipped by the writer ("…2024–203"),
    so it wraps instead; past max_lines the last line is cut with an ellipsis.
    """
    prop = FontProperties(size=fontsize, weight=weight)
    width = lambda s: text_to_path.get_text_width_height_descent(s, prop, ismath=False)[0]
    lines, line = [], ""
    for word in text.split():
        trial = f"{line} {word}" if line else word
        if line and width(trial) > width_pt:
            lines.append(line)
            line = word
        else:
            line = trial
    if line:
        lines.append(line)
    if len(lines) > max_lines:
        lines = lines[: max_lines - 1] + [_short(" ".join(lines[max_lines - 1:]), len(lines[max_lines - 1]))]
    return "\n".join(lines)


def _titles(fig, ax, main: str, sub: str):
    """Bold headline (what is shown) above a grey line (which run it is), both wrapped to the figure's width."""
    room = fig.get_figwidth() * 72 * 0.96  # points; the headline starts 1 % in from the left edge
    fig.suptitle(_wrap(mathtext_safe(main), room, 12.5, "bold"), fontsize=12.5, fontweight="bold",
                 x=0.01, ha="left")
    # The grey line sits over the axes, narrower than the figure by the value axis's labels.
    ax.set_title(_wrap(mathtext_safe(sub), room * 0.85, matplotlib.rcParams["axes.titlesize"]),
                 loc="left", color="0.35")


def _run_line(res) -> str:
    return f"{res.label} · {res.samples:,} samples · flopcast {res.attrs.get('flopcast_version', '?')}"


def _units_label(out, what: str = "") -> str:
    text = (what or out.description or out.name)
    if out.units:
        text += f" [{out.units}]"
    return mathtext_safe(_short(text, 75))


def _value_axis(axis, log: bool, as_percent: bool, lo: float = 1.0, hi: float = 10.0):
    """Readable ticks: 1M, 10M on log axes (with 2 and 5 between when few decades), 78 % for fractions."""
    if as_percent and not log:
        axis.set_major_locator(MaxNLocator(nbins=8, steps=[1, 2, 2.5, 5, 10]))
        axis.set_major_formatter(FuncFormatter(lambda v, _: f"{100 * v:.4g} %"))
        return
    if log:
        decades = math.log10(hi / lo) if lo > 0 and hi > lo else 1.0
        axis.set_major_locator(LogLocator(base=10, subs=(1.0,) if decades > 3.2 else (1.0, 2.0, 5.0)))
        axis.set_minor_locator(LogLocator(base=10, subs=np.arange(2, 10) * 1.0, numticks=100))
        axis.set_minor_formatter(NullFormatter())
    # A ratio shown in percent that spans decades (a log axis): 1 %, 10 %, 100 %, 1000 %.
    axis.set_major_formatter(FuncFormatter((lambda v, _: f"{100 * v:.4g} %") if as_percent else (lambda v, _: tick(v))))


def _scale_values(ax, log: bool, as_percent: bool, lo: float, hi: float):
    """The value (y) axis of a chart over years: log with some room, or linear
    from zero for a positive quantity; then its ticks (_value_axis)."""
    if log:
        ax.set_yscale("log")
        ax.set_ylim(lo / 1.6, hi * 1.6)
    elif lo >= 0 and not as_percent:
        ax.set_ylim(bottom=0)
    _value_axis(ax.yaxis, log, as_percent, lo, hi)


def _scale_hist_values(ax, log: bool, as_percent: bool, lo: float, hi: float):
    """The value (x) axis of a density: log with a little room, or linear
    padded by 3 % of the range; then its ticks (_value_axis)."""
    if log:
        ax.set_xscale("log")
        ax.set_xlim(lo / 1.15, hi * 1.15)
    else:
        ax.set_xlim(lo - 0.03 * (hi - lo), hi + 0.03 * (hi - lo))
    _value_axis(ax.xaxis, log, as_percent, lo, hi)


def _legend_below(ax, ncols=2):
    """Legend under the axes: fans fill their whole plot, so inside it would hide data."""
    ax.legend(loc="upper left", bbox_to_anchor=(0.0, -0.15), ncols=ncols, frameon=False, borderaxespad=0.0)


def _headroom(ax, peak, factor=1.45):
    """Room above a histogram's peak for the legend (upper right), so it hides no bar."""
    ax.set_ylim(0, peak * factor)


def _years_axis(ax, years):
    ax.set_xticks(years)
    ax.set_xticklabels([str(y) for y in years])
    ax.set_xlabel("year")
    ax.grid(False, axis="x")


def _p_label(out) -> str:
    """'P(> 78.0 %) ≈ 0.50 (histogram)' for the reference, saying where the number came from."""
    if out.exceedance is None or not math.isfinite(out.exceedance):
        return ""
    src = f"{out.exceedance_n:,} samples" if out.exceedance_source == "samples" else "histogram"
    return f"P(> {fmt_value(out.reference, out.percent)}) ≈ {out.exceedance:.2f} ({src})"


def _declutter(fracs, min_gap=0.065):
    """Spread label positions (axes fractions) so that none is closer than min_gap to the next."""
    order = np.argsort(fracs)
    pos = np.asarray(fracs, dtype=float)[order]
    for i in range(1, len(pos)):
        pos[i] = max(pos[i], pos[i - 1] + min_gap)
    overshoot = pos[-1] - 0.98 if len(pos) else 0
    if overshoot > 0:
        pos -= overshoot
    out = np.empty_like(pos)
    out[order] = pos
    return out


def _label_last_year(ax, year, values: dict, as_percent: bool, color):
    """Write p5 / median / p95 of the last year beside the fan, the numbers a reader looks for."""
    to_frac = ax.transScale + ax.transLimits  # data -> axes fraction, independent of the figure's layout
    fracs = [to_frac.transform((year, v))[1] for v in values.values()]
    # x: 10 points right of the last year; y: axes fraction. The labels may reach past the axes:
    # constrained layout counts them and narrows the axes, so long numbers are never cut off.
    where = blended_transform_factory(ax.transData + ScaledTranslation(10 / 72, 0, ax.figure.dpi_scale_trans),
                                      ax.transAxes)
    for (name, v), y in zip(values.items(), _declutter(fracs)):
        ax.annotate(f"{name} {fmt_value(v, as_percent)}", xy=(year, v), xytext=(year, y), textcoords=where,
                    va="center", ha="left", fontsize=8.5, color=color, annotation_clip=False,
                    fontweight="bold" if name == "median" else "normal")


def growth_path_source(res, name):
    """The scalar CAGR output with a reference that describes yearly output `name`, or None."""
    yearly = [n for n, o in res.outputs.items() if o.yearly]
    for cname, c in res.outputs.items():
        if (not c.yearly and cname.endswith("_cagr") and c.reference is not None
                and cagr_partner(cname, c.formula, yearly) == name):
            return c
    return None


def _band(out, year_index=None):
    sel = (lambda a: a) if year_index is None else (lambda a: out.value_at(a, year_index))
    return {lv: sel(out.q(lv)) for lv in (0.05, 0.25, 0.5, 0.75, 0.95)}


def fan_figure(res, name: str) -> Figure:
    """Median with 50 % and 90 % bands over the years; the report's figure and growth path on top."""
    out = res.output(name)
    if not out.yearly:
        raise ResultFileError(f"{res.path}: output '{name}' is a scalar; a fan chart needs a yearly output "
                              "(use `hist` for its distribution)")
    years = res.years
    b = _band(out)
    as_pct = out.percent
    path_src = growth_path_source(res, name)
    path = None
    if path_src is not None:
        path = b[0.5][0] * (1.0 + path_src.reference) ** (years - years[0])
    lo_all = [b[0.05]] + ([[out.reference]] if out.reference is not None else [])
    hi_all = [b[0.95]] + ([path] if path is not None else [])
    log = not out.share and wants_log_axis(b[0.05], b[0.95])

    fig, ax = _new_figure(FAN_FIGSIZE)
    ax.fill_between(years, b[0.05], b[0.95], color=BAND_COLOR, alpha=0.16, lw=0, label="90 % band (p5–p95)")
    ax.fill_between(years, b[0.25], b[0.75], color=BAND_COLOR, alpha=0.36, lw=0, label="50 % band (p25–p75)")
    ax.plot(years, b[0.5], color=BAND_COLOR, lw=2.2, marker="o", ms=4.5, label="median")
    if path is not None:
        ax.plot(years, path, ls="--", lw=1.6, color=REF_COLOR, zorder=4,
                label=f"{source_of(path_src.reference_label)} {100 * path_src.reference:.0f} %/yr path "
                      f"(from the {years[0]} median; {path_src.name})")
    if out.reference is not None and out.reference_year is not None:
        text = out.reference_label or "reference"
        extra = _p_label(out)
        ax.plot([out.reference_year], [out.reference], ls="none", marker="D", ms=8, color=REF_COLOR,
                markeredgecolor="white", zorder=5,
                label=mathtext_safe(_short(text, 70)) + f"\n({fmt_value(out.reference, as_pct)}"
                      + (f"; {extra})" if extra else ")"))
    if log:
        ax.set_yscale("log")
    lo = min(float(np.min(a)) for a in lo_all)
    hi = max(float(np.max(a)) for a in hi_all)
    if log:
        ax.set_ylim(lo / 1.6, hi * 1.6)
    _value_axis(ax.yaxis, log, as_pct, lo, hi)
    _years_axis(ax, years)
    ax.set_xlim(years[0] - 0.25, years[-1] + 0.25)
    ax.set_ylabel(_units_label(out, out.name))
    if not log and not as_pct and lo >= 0:
        ax.set_ylim(bottom=0)
    _label_last_year(ax, years[-1], {"p95": b[0.95][-1], "median": b[0.5][-1], "p5": b[0.05][-1]},
                     as_pct, BAND_COLOR)
    _legend_below(ax)
    _titles(fig, ax, f"{out.description or name} ({name}), {years[0]}–{years[-1]}", _run_line(res))
    return fig


def _array(res, name):
    if name not in res.arrays:
        raise ResultFileError(f"{res.path}: '{name}' is not a dimensioned output "
                              f"(dimensioned outputs: {', '.join(res.arrays) or 'none'})")
    dims, elements = res.arrays[name]
    outs = [(label, res.output(element)) for label, element in elements]
    if not outs[0][1].yearly:
        raise ResultFileError(f"{res.path}: '{name}' is a scalar; these pictures need a yearly output")
    return dims, outs


def stack_figure(res, name: str) -> Figure:
    """A dimensioned yearly output: the elements' medians stacked, one area per element."""
    dims, outs = _array(res, name)
    years = res.years
    first = outs[0][1]
    as_pct = first.percent
    medians = [np.nan_to_num(np.asarray(o.q(0.5), dtype=float)) for _, o in outs]
    fig, ax = _new_figure(FAN_FIGSIZE)
    ax.stackplot(years, medians, labels=[mathtext_safe(label) for label, _ in outs], alpha=0.85)
    _years_axis(ax, years)
    ax.set_xlim(years[0], years[-1])
    top = float(np.max(np.sum(medians, axis=0))) if medians else 1.0
    _value_axis(ax.yaxis, False, as_pct, 0.0, top if top > 0 else 1.0)
    ax.set_ylim(bottom=0)
    ax.set_ylabel(_units_label(first, name))
    _legend_below(ax, ncols=min(4, len(outs)))
    _titles(fig, ax, f"{name}: medians by {' x '.join(dims)}, stacked",
            _run_line(res) + " — the sum of medians is not the median of the sum")
    return fig


def element_fans_figure(res, name: str) -> Figure:
    """A dimensioned yearly output: one fan (median, 50 % and 90 % bands) per element, shared value axis."""
    dims, outs = _array(res, name)
    years = res.years
    n = len(outs)
    cols = min(3, n)
    rows = (n + cols - 1) // cols
    fig = Figure(figsize=(3.2 * cols + 0.8, 2.6 * rows + 1.2))
    axes = fig.subplots(rows, cols, sharex=True, sharey=True, squeeze=False)
    first = outs[0][1]
    as_pct = first.percent
    lo = min(float(np.nanmin(o.q(0.05))) for _, o in outs)
    hi = max(float(np.nanmax(o.q(0.95))) for _, o in outs)
    log = not first.share and wants_log_axis(np.array([lo]), np.array([hi]))
    for k, (label, o) in enumerate(outs):
        ax = axes[k // cols][k % cols]
        b = _band(o)
        ax.fill_between(years, b[0.05], b[0.95], color=BAND_COLOR, alpha=0.16, lw=0, label="90 % band")
        ax.fill_between(years, b[0.25], b[0.75], color=BAND_COLOR, alpha=0.36, lw=0, label="50 % band")
        ax.plot(years, b[0.5], color=BAND_COLOR, lw=1.8, label="median")
        ax.set_title(mathtext_safe(f"{name}[{label}]"), fontsize=9)
        _scale_values(ax, log, as_pct, lo, hi)
        ax.grid(alpha=0.3)
    for k in range(n, rows * cols):
        axes[k // cols][k % cols].set_visible(False)
        # The panel above a hidden one is the last of its column: it shows the years.
        axes[k // cols - 1][k % cols].xaxis.set_tick_params(labelbottom=True)
    axes[0][0].legend(fontsize=7, loc="upper left")
    fig.suptitle(_wrap(mathtext_safe(f"{name} by {' x '.join(dims)}, {years[0]}–{years[-1]}: median, 50 % and 90 % bands"),
                       fig.get_figwidth() * 72 * 0.92, 10), fontsize=10)
    fig.supylabel(f"{name} [{first.units}]" if first.units else name, fontsize=9)
    return fig


def _plot_series(res, decl):
    """[(label, Output)] of a [plots.NAME] chart: each name, a dimensioned one expanded to its elements."""
    series = []
    for name in decl.outputs:
        if name in res.arrays:
            # One dimensioned output alone: its element labels say all (A100, H100, ...).
            alone = len(decl.outputs) == 1
            series += [(label if alone else f"{name}[{label}]", res.output(element))
                       for label, element in res.arrays[name][1]]
        else:
            series.append((name, res.output(name)))
    scalars = [label for label, o in series if not o.yearly]
    if scalars:
        raise ResultFileError(f"{res.path}: plots.{decl.name}: {', '.join(scalars)} has one value per trajectory; "
                              "a chart over the years needs yearly outputs")
    return series


def declared_plot_figure(res, decl) -> Figure:
    """A chart the scenario declares with [plots.NAME]: its outputs as median lines with 90 % bands
    (kind = "lines") or their medians stacked (kind = "stacked")."""
    series = _plot_series(res, decl)
    years = res.years
    first = series[0][1]
    as_pct = all(o.percent for _, o in series)
    units = {o.units for _, o in series}
    colors = list(matplotlib.colormaps["tab10"].colors)
    fig, ax = _new_figure(FAN_FIGSIZE)
    if decl.kind == "stacked":
        medians = [np.nan_to_num(np.asarray(o.q(0.5), dtype=float)) for _, o in series]
        ax.stackplot(years, medians, labels=[mathtext_safe(label) for label, _ in series], alpha=0.85,
                     colors=[colors[i % len(colors)] for i in range(len(series))])
        top = float(np.max(np.sum(medians, axis=0))) if medians else 1.0
        _value_axis(ax.yaxis, False, as_pct, 0.0, top if top > 0 else 1.0)
        ax.set_xlim(years[0], years[-1])
        ax.set_ylim(bottom=0)
        sub = _run_line(res) + " — medians stacked; the sum of medians is not the median of the sum"
    else:
        lo = min(float(np.nanmin(o.q(0.05))) for _, o in series)
        hi = max(float(np.nanmax(o.q(0.95))) for _, o in series)
        log = not any(o.share for _, o in series) and wants_log_axis(np.array([lo]), np.array([hi]))
        for i, (label, o) in enumerate(series):
            c = colors[i % len(colors)]
            ax.fill_between(years, o.q(0.05), o.q(0.95), color=c, alpha=0.13, lw=0)
            ax.plot(years, o.q(0.5), color=c, lw=2.0, marker="o", ms=3.5, label=mathtext_safe(label))
        _scale_values(ax, log, as_pct, lo, hi)
        ax.set_xlim(years[0] - 0.25, years[-1] + 0.25)
        sub = _run_line(res) + " — lines: medians; shading: 90 % bands (p5–p95)"
    _years_axis(ax, years)
    ax.set_ylabel(mathtext_safe(_short(f"[{first.units}]" if len(units) == 1 and first.units
                                       else ", ".join(sorted(u for u in units if u)), 75)))
    _legend_below(ax, ncols=min(3, len(series)))
    _titles(fig, ax, decl.title or f"{', '.join(decl.outputs)}, {years[0]}–{years[-1]}", sub)
    return fig


def _default_year(res, out, year):
    """The year a per-year picture shows: the one asked for, else the reference year, else the last."""
    if not out.yearly:
        return None, None
    if year is None:
        year = out.reference_year if out.reference_year is not None else int(res.years[-1])
    return int(year), res.year_index(int(year))


def _hist_xlim(out, t, extra=()):
    lo = out.value_at(out.q(0.001), t) if out.has_level(0.001) else out.edges[0]
    hi = out.value_at(out.q(0.999), t) if out.has_level(0.999) else out.edges[-1]
    vals = [float(lo), float(hi)] + [float(v) for v in extra if v is not None]
    lo, hi = min(vals), max(vals)
    if not hi > lo:  # a constant (e.g. a reported first year): give the single bar some room
        lo, hi = (lo * 0.8, hi * 1.25) if lo > 0 else (lo - 1.0, hi + 1.0)
    return lo, hi


def _draw_hist(ax, out, t, color, label, fill=True, ls="-"):
    axis = "log" if (out.hist_axis == "log" and not out.share) else "linear"  # as drawn, see hist_figure
    d, unit = density(out.edges, out.counts_for(t), axis, out.percent)
    if fill:
        ax.stairs(d, out.edges, fill=True, color=color, alpha=0.22, lw=0)
    ax.stairs(d, out.edges, color=color, lw=1.4, label=label, ls=ls)
    return unit, float(np.max(d)) if d.size else 1.0


def hist_figure(res, name: str, year=None) -> Figure:
    """Distribution of one output (a scalar such as a CAGR, or a yearly output in one year)."""
    out = res.output(name)
    year, t = _default_year(res, out, year)
    as_pct = out.percent
    fig, ax = _new_figure()
    unit, peak = _draw_hist(ax, out, t, BAND_COLOR, None)
    b = _band(out, t)
    ax.axvspan(b[0.05], b[0.95], color="0.55", alpha=0.13, lw=0,
               label=f"90 % band: {fmt_value(b[0.05], as_pct)} – {fmt_value(b[0.95], as_pct)}")
    ax.axvline(b[0.5], color=BAND_COLOR, lw=2.2, label=f"median {fmt_value(b[0.5], as_pct)}")
    show_ref = out.reference is not None and (not out.yearly or out.reference_year == year)
    if show_ref:
        extra = _p_label(out)
        ax.axvline(out.reference, color=REF_COLOR, lw=2, ls="--",
                   label=mathtext_safe(_short(out.reference_label or "reference", 60)) + (f"\n{extra}" if extra else ""))
    lo, hi = _hist_xlim(out, t, [out.reference] if show_ref else [])
    log = out.hist_axis == "log" and not out.share
    _scale_hist_values(ax, log, as_pct, lo, hi)
    _headroom(ax, peak, 1.25 + 0.07 * (3 + show_ref))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.3g}"))
    ax.set_xlabel(_units_label(out, out.name + (f" in {year}" if year is not None else "")))
    ax.set_ylabel(f"probability density ({unit})")
    ax.legend(loc="upper right", framealpha=0.92)
    when = f" in {year}" if year is not None else ""
    _titles(fig, ax, f"{out.description or name} ({name}){when}: distribution",
            _run_line(res) + " · axis: 0.1–99.9 %")
    return fig


def _labels(results):
    """Each run's label; file names added when two runs would read the same."""
    labels = [r.label for r in results]
    if len(set(labels)) < len(labels):
        labels = [f"{lab} ({os.path.basename(r.path)})" for lab, r in zip(labels, results)]
    # Long what-if labels: the overrides go on their own line rather than being cut.
    return [_short(lab, 60) if len(lab) <= 60 or " + " not in lab
            else lab.replace(" + ", "\n+ ", 1)[:200] for lab in labels]


def compare_figure(results, name: str, year=None) -> Figure:
    """Several runs of one output overlaid: fans for a yearly output, densities for a scalar one."""
    outs = [r.output(name) for r in results]
    if len({o.yearly for o in outs}) > 1:
        raise ResultFileError(f"output '{name}' is yearly in one file and scalar in another")
    labels = _labels(results)
    first = outs[0]
    as_pct = first.percent
    fig, ax = _new_figure((8.0, 5.4 + 0.25 * len(results)))  # legend below, one entry per run
    if first.yearly and year is None:
        years_all = sorted(set().union(*[set(int(y) for y in r.years) for r in results]))
        los, his = [], []
        for r, o, lab, c in zip(results, outs, labels, RUN_COLORS * 4):
            b = _band(o)
            ax.fill_between(r.years, b[0.05], b[0.95], color=c, alpha=0.12, lw=0)
            ax.fill_between(r.years, b[0.25], b[0.75], color=c, alpha=0.22, lw=0)
            for lv in (0.05, 0.95):
                ax.plot(r.years, b[lv], color=c, lw=0.8, ls=":")
            ax.plot(r.years, b[0.5], color=c, lw=2.2, marker="o", ms=4, label=mathtext_safe(lab))
            los.append(b[0.05])
            his.append(b[0.95])
        if first.reference is not None and first.reference_year is not None:
            ax.plot([first.reference_year], [first.reference], ls="none", marker="D", ms=8, color=REF_COLOR,
                    markeredgecolor="white", zorder=5,
                    label=mathtext_safe(_short(first.reference_label or "reference", 70)))
        lo = min(float(np.min(a)) for a in los)
        hi = max(float(np.max(a)) for a in his)
        log = not first.share and wants_log_axis(lo, hi)
        _scale_values(ax, log, as_pct, lo, hi)
        _years_axis(ax, years_all)
        ax.set_ylabel(_units_label(first, first.name))
        ax.plot([], [], color="0.4", lw=6, alpha=0.3, label="bands: 50 % (darker), 90 % (dotted edges)")
        _legend_below(ax, ncols=1)
        main = f"{first.description or name} ({name}): {len(results)} runs compared"
    else:
        if first.yearly:
            year = int(year)
        ts = [r.year_index(year) if o.yearly else None for r, o in zip(results, outs)]
        los, his, unit, peak = [], [], "", 0.0
        styles = ["-", "--", ":", "-."]
        for i, (o, t, lab) in enumerate(zip(outs, ts, labels)):
            c, ls = RUN_COLORS[i % len(RUN_COLORS)], styles[i % len(styles)]
            # Outlines with their own dash pattern, light fills: two equal runs stay visible as two.
            unit, p = _draw_hist(ax, o, t, c, None, fill=True, ls=ls)
            peak = max(peak, p)
            med = o.value_at(o.q(0.5), t)
            ax.axvline(med, color=c, lw=2, ls=ls, label=mathtext_safe(lab) + f"\nmedian {fmt_value(med, as_pct)}"
                       + (f"; {_p_label(o)}" if _p_label(o) and (not o.yearly or o.reference_year == year) else ""))
            lo, hi = _hist_xlim(o, t)
            los.append(lo)
            his.append(hi)
        show_ref = first.reference is not None and (not first.yearly or first.reference_year == year)
        if show_ref:
            ax.axvline(first.reference, color=REF_COLOR, lw=2, ls="--",
                       label=mathtext_safe(_short(first.reference_label or "reference", 60)))
            los.append(first.reference)
            his.append(first.reference)
        lo, hi = min(los), max(his)
        log = first.hist_axis == "log" and not first.share
        _scale_hist_values(ax, log, as_pct, lo, hi)
        ax.set_ylim(0, peak * 1.05)
        ax.set_xlabel(_units_label(first, name + (f" in {year}" if first.yearly else "")))
        ax.set_ylabel(f"probability density ({unit})")
        _legend_below(ax, ncols=1)
        main = f"{first.description or name} ({name}){f' in {year}' if first.yearly else ''}: {len(results)} runs"
    sub = " vs ".join(f"{os.path.basename(r.path)} ({r.samples:,})" for r in results)
    _titles(fig, ax, main, sub)
    return fig


def save(fig, path: str, dpi: int = DPI):
    """Write by extension (.png, .svg, .pdf); strip the date so reruns give the same bytes."""
    ext = os.path.splitext(path)[1].lower()
    meta = {"Date": None} if ext in (".svg", ".pdf") else {}
    fig.savefig(path, dpi=dpi, metadata=meta)
