"""Pictures of a conditioned run: prior and posterior together, each
observation with its error bar (docs/plots.md). Shares figures.py's helpers."""
import math

import numpy as np
from matplotlib.figure import Figure

from .figures import (BAND_COLOR, FAN_FIGSIZE, REF_COLOR, _band, _draw_hist, _headroom, _hist_xlim,
                      _label_last_year, _legend_below, _new_figure, _run_line, _scale_hist_values, _scale_values,
                      _short, _titles, _units_label, _years_axis)
from .numbers import fmt_value, mathtext_safe, wants_log_axis
from .results import ResultFileError


PRIOR_COLOR = "#8c8c8c"


def _observations_of(res, name):
    return [o for o in res.observations if o.output == name]


def _ess_line(res) -> str:
    a = res.posterior_attrs
    if "ess" not in a:
        return ""
    share = float(a.get("ess_share", float("nan")))
    return f" · posterior ESS {float(a['ess']):,.0f}" + (f" ({100 * share:.2g} % of the samples)" if math.isfinite(share) else "")


def _observation_label(o, as_pct) -> str:
    when = f" ({o.year})" if o.year is not None else ""
    rng = "range" if o.dist == "between" else "p5–p95"
    return mathtext_safe(_short(f"observed {o.name}{when}: {fmt_value(o.centre, as_pct)}, {rng} "
                                f"{fmt_value(o.low, as_pct)}–{fmt_value(o.high, as_pct)}", 90))


def posterior_fan_figure(res, name: str) -> Figure:
    """A conditioned run: the prior fan (grey) and the posterior fan (blue) of one yearly output,
    and each observation of it at its year with the evidence's p5-p95 as an error bar."""
    if name not in res.posterior:
        raise ResultFileError(f"{res.path}: no /posterior/{name} (the scenario has no [observations], "
                              "or this output is not summarized under /posterior)")
    prior, post = res.output(name), res.posterior[name]
    if not prior.yearly:
        raise ResultFileError(f"{res.path}: output '{name}' is a scalar; use the posterior histogram")
    years = res.years
    bp, bq = _band(prior), _band(post)
    obs = [o for o in _observations_of(res, name) if o.year is not None and o.year in set(int(y) for y in years)]
    as_pct = prior.percent
    lows = [bp[0.05], bq[0.05]] + [[o.low] for o in obs]
    highs = [bp[0.95], bq[0.95]] + [[o.high] for o in obs]
    lo = min(float(np.nanmin(a)) for a in lows)
    hi = max(float(np.nanmax(a)) for a in highs)
    log = not prior.share and wants_log_axis(np.array([lo]), np.array([hi]))
    fig, ax = _new_figure(FAN_FIGSIZE)
    ax.fill_between(years, bp[0.05], bp[0.95], color=PRIOR_COLOR, alpha=0.16, lw=0, label="prior 90 % band")
    ax.fill_between(years, bp[0.25], bp[0.75], color=PRIOR_COLOR, alpha=0.28, lw=0, label="prior 50 % band")
    ax.plot(years, bp[0.5], color="0.35", lw=1.6, ls="--", label="prior median")
    ax.fill_between(years, bq[0.05], bq[0.95], color=BAND_COLOR, alpha=0.18, lw=0, label="posterior 90 % band")
    ax.fill_between(years, bq[0.25], bq[0.75], color=BAND_COLOR, alpha=0.38, lw=0, label="posterior 50 % band")
    ax.plot(years, bq[0.5], color=BAND_COLOR, lw=2.2, marker="o", ms=4.5, label="posterior median")
    for o in obs:
        ax.errorbar([o.year], [o.centre], yerr=[[max(o.centre - o.low, 0.0)], [max(o.high - o.centre, 0.0)]],
                    fmt="s", ms=7, color=REF_COLOR, ecolor=REF_COLOR, elinewidth=2, capsize=5, zorder=6,
                    markeredgecolor="white", label=_observation_label(o, as_pct))
    _scale_values(ax, log, as_pct, lo, hi)
    _years_axis(ax, years)
    ax.set_xlim(years[0] - 0.25, years[-1] + 0.25)
    ax.set_ylabel(_units_label(prior, prior.name))
    _label_last_year(ax, years[-1], {"p95": bq[0.95][-1], "median": bq[0.5][-1], "p5": bq[0.05][-1]},
                     as_pct, BAND_COLOR)
    _legend_below(ax)
    _titles(fig, ax, f"{prior.description or name} ({name}): prior and posterior, {years[0]}–{years[-1]}",
            _run_line(res) + _ess_line(res))
    return fig


def posterior_hist_figure(res, name: str) -> Figure:
    """A conditioned run, scalar output: prior and posterior densities and each observation's range."""
    if name not in res.posterior:
        raise ResultFileError(f"{res.path}: no /posterior/{name}")
    prior, post = res.output(name), res.posterior[name]
    if prior.yearly:
        raise ResultFileError(f"{res.path}: output '{name}' is yearly; use the posterior fan")
    as_pct = prior.percent
    fig, ax = _new_figure()
    unit, peak = _draw_hist(ax, prior, None, PRIOR_COLOR, f"prior (median {fmt_value(prior.q(0.5), as_pct)})", ls="--")
    _, peak2 = _draw_hist(ax, post, None, BAND_COLOR, f"posterior (median {fmt_value(post.q(0.5), as_pct)})")
    obs = _observations_of(res, name)
    for o in obs:
        ax.axvspan(o.low, o.high, color=REF_COLOR, alpha=0.10, lw=0)
        ax.axvline(o.centre, color=REF_COLOR, lw=2, label=_observation_label(o, as_pct))
    lo, hi = _hist_xlim(prior, None, [o.low for o in obs] + [o.high for o in obs])
    log = prior.hist_axis == "log" and not prior.share
    _scale_hist_values(ax, log, as_pct, lo, hi)
    _headroom(ax, max(peak, peak2), 1.45)
    ax.set_xlabel(_units_label(prior, name))
    ax.set_ylabel(f"probability density ({unit})")
    ax.legend(loc="upper right", framealpha=0.92)
    _titles(fig, ax, f"{prior.description or name} ({name}): prior and posterior", _run_line(res) + _ess_line(res))
    return fig
