"""Pictures of sensitivity results: tornado, Sobol indices, and the
convergence of a precision run. Shares figures.py's helpers."""
import numpy as np
from matplotlib.figure import Figure

from .figures import BAND_COLOR, SENS_HIGH, SENS_LOW, _new_figure, _run_line, _titles, _value_axis
from .numbers import fmt_value, is_percent, linear_by_kind, mathtext_safe, wants_log_axis
from .results import ResultFileError


def _sens_year(res, output, arr_ndim, year):
    """Index into the year axis of a [k, Y] sensitivity array; None for [k]."""
    if arr_ndim < 2:
        return None, None
    out = res.outputs.get(output)
    if year is None:
        year = out.reference_year if (out is not None and out.reference_year is not None) else int(res.years[-1])
    return int(year), res.year_index(int(year))


def _col(a, t):
    return a if t is None else a[:, t]


def values_max(tor) -> float:
    """The largest median a tornado shows (for the axis rule when the output itself is not in the file)."""
    v = np.concatenate([np.ravel(tor.low), np.ravel(tor.high)])
    v = v[np.isfinite(v)]
    return float(v.max()) if v.size else 0.0


def tornado_figure(res, name: str, year=None, top: int = 15) -> Figure:
    """How far the output's median moves when each input goes to its low and high setting."""
    if name not in res.tornado:
        raise ResultFileError(f"{res.path}: no tornado results for '{name}' (no /sensitivity/tornado/{name})")
    tor = res.tornado[name]
    year, t = _sens_year(res, name, tor.low.ndim, year)
    low, high = _col(tor.low, t), _col(tor.high, t)
    base = float(np.atleast_1d(tor.baseline)[t] if (t is not None and np.ndim(tor.baseline) > 0)
                 else np.asarray(tor.baseline).reshape(-1)[0])
    out = res.outputs.get(name)
    units = out.units if out is not None else ""
    as_pct = out.percent if out is not None else is_percent(name, units)
    share = out.share if out is not None else linear_by_kind(name, units, "", float(values_max(tor)))
    order = np.argsort(-np.abs(high - low), kind="stable")[:top]
    order = order[::-1]  # widest bar on top
    k = len(order)
    fig, ax = _new_figure((8.0, max(3.2, 1.4 + 0.36 * k)))
    ys = np.arange(k)
    values = np.concatenate([low[order], high[order], [base]])
    log = not share and wants_log_axis(values.min(), values.max())
    ax.barh(ys, low[order] - base, left=base, height=0.62, color=SENS_LOW, label="input at its low setting")
    ax.barh(ys, high[order] - base, left=base, height=0.62, color=SENS_HIGH, label="input at its high setting")
    ax.axvline(base, color="black", lw=1.2)
    if log:
        ax.set_xscale("log")
    _value_axis(ax.xaxis, log, as_pct, values.min(), values.max())
    ax.set_yticks(ys)
    ax.set_yticklabels([tor.inputs[i] for i in order])
    ax.grid(False, axis="y")
    ax.set_xlabel(mathtext_safe(f"median of {name}" + (f" in {year}" if year is not None else "")
                                + (f" [{units}]" if units else "") + f"; baseline {fmt_value(base, as_pct)}"))
    ax.legend(loc="lower right", framealpha=0.92)
    shown = f"top {k} of {len(tor.inputs)} inputs" if k < len(tor.inputs) else f"{k} inputs"
    _titles(fig, ax, f"What moves {name}" + (f" in {year}" if year is not None else "") + ": tornado",
            f"{res.label} · {shown}, widest swing on top")
    return fig


def sobol_figure(res, name: str, year=None, top: int = 15) -> Figure:
    """First-order and total Sobol indices per input, with their confidence intervals."""
    if name not in res.sobol:
        raise ResultFileError(f"{res.path}: no Sobol indices for '{name}' (no /sensitivity/sobol/{name})")
    s = res.sobol[name]
    year, t = _sens_year(res, name, s.first.ndim, year)
    first, total = _col(s.first, t), _col(s.total, t)
    err = lambda v, lo, hi: np.clip(np.vstack([v - _col(lo, t), _col(hi, t) - v]), 0, None)
    order = np.argsort(-total, kind="stable")[:top][::-1]  # largest total on top
    k = len(order)
    fig, ax = _new_figure((8.0, max(3.2, 1.4 + 0.42 * k)))
    ys = np.arange(k)
    h = 0.38
    ax.barh(ys + h / 2, total[order], height=h, color=SENS_HIGH, label="total effect (S_T)",
            xerr=err(total, s.total_low, s.total_high)[:, order], error_kw=dict(lw=1, capsize=2, ecolor="0.25"))
    ax.barh(ys - h / 2, first[order], height=h, color=SENS_LOW, label="first order (S_1)",
            xerr=err(first, s.first_low, s.first_high)[:, order], error_kw=dict(lw=1, capsize=2, ecolor="0.25"))
    ax.set_yticks(ys)
    ax.set_yticklabels([s.inputs[i] for i in order])
    ax.grid(False, axis="y")
    right = max(1.0, float(np.nanmax(_col(s.total_high, t)))) if k else 1.0
    ax.set_xlim(min(0.0, float(np.nanmin(_col(s.first_low, t)))) if k else 0, right * 1.02)
    ax.set_xlabel("share of the output's variance" + (f" ({name} in {year})" if year is not None else f" ({name})"))
    ax.legend(loc="lower right", framealpha=0.92)
    _titles(fig, ax, f"Sobol indices of {name}" + (f" in {year}" if year is not None else ""),
            f"{res.label} · bars: estimate, whiskers: confidence interval; sorted by total effect")
    return fig


def convergence_figure(res, conv) -> Figure:
    """A statistic's estimate against the number of samples, with its confidence half-width."""
    out = res.outputs.get(conv.output)
    as_pct = out.percent if out is not None else is_percent(conv.output, "")
    fig, ax = _new_figure()
    n, est, hw = conv.samples, conv.estimate, conv.half_width
    ax.fill_between(n, est - hw, est + hw, color=BAND_COLOR, alpha=0.22, lw=0, label="estimate ± half-width")
    ax.plot(n, est, color=BAND_COLOR, lw=2, marker="o", ms=4, label="estimate")
    ax.axhline(est[-1], color="0.3", lw=1, ls=":", label=f"at {int(n[-1]):,} samples: {fmt_value(est[-1], as_pct)}"
               f" ± {fmt_value(hw[-1], as_pct)}")
    ax.set_xscale("log")
    _value_axis(ax.xaxis, True, False, max(n[0], 1), n[-1])
    _value_axis(ax.yaxis, False, as_pct)
    ax.set_xlabel("samples")
    what = " ".join(x for x in [conv.statistic or "statistic", "of", conv.output or "?",
                                f"in {conv.year}" if conv.year is not None else ""] if x)
    ax.set_ylabel(mathtext_safe(what + (f" [{out.units}]" if out is not None and out.units and not as_pct else "")))
    ax.legend(loc="best", framealpha=0.92)
    _titles(fig, ax, f"Convergence: {what}", _run_line(res))
    return fig
