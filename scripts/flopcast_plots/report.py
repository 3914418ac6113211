"""The one-page report: every picture the file allows (PNG + SVG) and an index.html beside them.

`plan` decides which pictures a file allows (pure: Results in, a list out);
`write_report` draws them and writes the page. The page is self-contained
(inline CSS, no scripts, no network) and refers to the images by relative
name, so the folder can be moved, zipped or served as is.
"""
import datetime
import html
import os
import sys
from dataclasses import dataclass
from typing import Callable

from .numbers import fmt_value


@dataclass
class Picture:
    section: str  # "fan", "hist", "compare", "sensitivity", "convergence"
    stem: str  # file name without extension
    caption: str
    make: Callable  # () -> matplotlib Figure


def _safe(name: str) -> str:
    """Output names are identifiers already; keep file names portable all the same."""
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name)


def _reference_words(out) -> str:
    """The reference as its own label says ("CSC: 2 million A100s in 2023"), never a generic "the report's figure"."""
    value = fmt_value(out.reference, out.percent)
    when = f" in {out.reference_year}" if out.reference_year is not None else ""
    if out.reference_label:
        return f"the reference \u201c{out.reference_label}\u201d ({value}{when})"
    return f"the scenario's reference value ({value}{when}; no reference_label given)"


def plan(res, others=()) -> list:
    """The pictures `res` allows, in page order. `others`: runs to compare it with."""
    from . import figures as F  # matplotlib is only needed once there is something to draw
    from . import posterior_figures as P, sensitivity_figures as S  # noqa: E401
    pics = []
    for decl in res.plots:
        kind = "medians stacked" if decl.kind == "stacked" else "medians with their 90 % bands"
        pics.append(Picture("plots", f"plot-{_safe(decl.name)}",
                            f"{decl.title or decl.name}: {', '.join(decl.outputs)}, {kind} "
                            f"(declared in the scenario as [plots.{decl.name}]).",
                            lambda d=decl: F.declared_plot_figure(res, d)))
    for name, out in res.outputs.items():
        if out.yearly:
            src = F.growth_path_source(res, name)
            extra = f" The dashed line is the growth path of {_reference_words(src)}." if src else ""
            ref = (f" The diamond is {_reference_words(out)}." if out.reference_year is not None else "")
            pics.append(Picture("fan", f"fan-{_safe(name)}",
                                f"{name}: median with 50 % and 90 % bands, {res.years[0]}–{res.years[-1]}.{ref}{extra}",
                                lambda n=name: F.fan_figure(res, n)))
    for name, out in res.outputs.items():
        if name not in res.posterior:
            continue
        observed = [o.name for o in res.observations if o.output == name]
        marks = (f" Red: the observation{'s' if len(observed) > 1 else ''} {', '.join(observed)}, "
                 "with the evidence's p5–p95 as the bar.") if observed else ""
        if out.yearly:
            pics.append(Picture("posterior", f"posterior-{_safe(name)}",
                                f"{name}: prior (grey) and posterior (blue) fans, medians with 50 % and 90 % bands."
                                + marks, lambda n=name: P.posterior_fan_figure(res, n)))
        else:
            pics.append(Picture("posterior", f"posterior-{_safe(name)}",
                                f"{name}: prior (grey, dashed) and posterior (blue) distributions." + marks,
                                lambda n=name: P.posterior_hist_figure(res, n)))
    for name, (dims, elements) in res.arrays.items():
        if res.outputs[elements[0][1]].yearly:
            pics.append(Picture("stack", f"stack-{_safe(name)}",
                                f"{name}: medians by {' x '.join(dims)}, stacked.",
                                lambda n=name: F.stack_figure(res, n)))
            pics.append(Picture("fans", f"fans-{_safe(name)}",
                                f"{name}: one fan per element of {' x '.join(dims)}.",
                                lambda n=name: F.element_fans_figure(res, n)))
    for name, out in res.outputs.items():
        if not out.yearly:
            pics.append(Picture("hist", f"hist-{_safe(name)}",
                                f"{name}: distribution, median, 90 % band"
                                + (f" and {_reference_words(out)}." if out.reference is not None else "."),
                                lambda n=name: F.hist_figure(res, n)))
    for name, out in res.outputs.items():
        # A yearly output's reference is one year's figure: show that year's distribution around it.
        if out.yearly and out.reference is not None and out.reference_year in set(int(y) for y in res.years):
            y = out.reference_year
            pics.append(Picture("hist", f"hist-{_safe(name)}-{y}",
                                f"{name} in {y}: distribution against {_reference_words(out)}.",
                                lambda n=name, y=y: F.hist_figure(res, n, y)))
    for other in others:
        for name in res.outputs:
            if name in other.outputs and other.outputs[name].yearly == res.outputs[name].yearly:
                pics.append(Picture("compare", f"compare-{_safe(name)}-{_safe(os.path.splitext(os.path.basename(other.path))[0])}",
                                    f"{name}: {res.label} against {other.label}.",
                                    lambda n=name, o=other: F.compare_figure([res, o], n)))
    for name in res.tornado:
        pics.append(Picture("sensitivity", f"tornado-{_safe(name)}",
                            f"{name}: the median's swing with each input at its low and high setting.",
                            lambda n=name: S.tornado_figure(res, n)))
    for name in res.sobol:
        pics.append(Picture("sensitivity", f"sobol-{_safe(name)}",
                            f"{name}: first-order and total Sobol indices.",
                            lambda n=name: S.sobol_figure(res, n)))
    for i, conv in enumerate(res.convergence):
        stem = "convergence" + (f"-{_safe(conv.name)}" if conv.name else (f"-{i}" if i else ""))
        pics.append(Picture("convergence", stem,
                            f"{conv.statistic or 'statistic'} of {conv.output or '?'}"
                            + (f" in {conv.year}" if conv.year is not None else "") + " as samples grow.",
                            lambda c=conv: S.convergence_figure(res, c)))
    return pics


def _e(s) -> str:
    return html.escape(str(s), quote=True)


CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #222;
       max-width: 1100px; margin: 2em auto; padding: 0 1em; line-height: 1.45; }
h1 { font-size: 1.6em; margin-bottom: 0.1em; } h2 { margin-top: 1.8em; border-bottom: 1px solid #ddd; }
.sub { color: #666; margin-top: 0; }
table { border-collapse: collapse; margin: 0.6em 0; font-size: 0.92em; }
th, td { padding: 0.25em 0.7em; border-bottom: 1px solid #eee; text-align: left; vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.out th { background: #f4f6fa; border-top: 2px solid #ccd; }
figure { margin: 1.2em 0; } figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { color: #555; font-size: 0.9em; } .note { color: #777; font-style: italic; }
code { background: #f4f4f4; padding: 0 0.2em; } .warn { color: #a33; }
"""


def _summary_table(res) -> str:
    rows = ["<table><tr><th>year</th><th>mean</th><th>p5</th><th>median</th><th>p95</th><th>reference</th></tr>"]
    for name, o in res.outputs.items():
        pct = o.percent
        head = f"<b>{_e(name)}</b> {_e(o.description)}" + (f" [{_e(o.units)}]" if o.units else "")
        bad = int(o.nonfinite.sum()) if o.nonfinite.size else 0
        if bad:
            head += f" <span class='warn'>({bad:,} non-finite samples left out)</span>"
        rows.append(f"<tr class='out'><th colspan='6'>{head}</th></tr>")
        years = list(res.years) if o.yearly else [None]
        for t, y in enumerate(years):
            sel = (lambda a: a[..., t]) if o.yearly else (lambda a: a)
            vals = [sel(o.mean), sel(o.q(0.05)), sel(o.q(0.5)), sel(o.q(0.95))]
            ref = ""
            if o.reference is not None and (not o.yearly or o.reference_year == y):
                ref = _e(fmt_value(o.reference, pct))
                if o.exceedance is not None:
                    src = "samples" if o.exceedance_source == "samples" else "histogram"
                    ref += f" ({100 * o.exceedance:.0f} % of samples above, from the {src})"
                if o.reference_label:
                    ref += f"<br><small>{_e(o.reference_label)}</small>"
            cells = "".join(f"<td class='n'>{_e(fmt_value(float(v), pct))}</td>" for v in vals)
            rows.append(f"<tr><td>{'' if y is None else int(y)}</td>{cells}<td>{ref}</td></tr>")
    rows.append("</table>")
    return "\n".join(rows)


def _inputs_table(res) -> str:
    if not res.inputs:
        return "<p class='note'>The file lists no inputs.</p>"
    rows = ["<table><tr><th>input</th><th>distribution</th><th>units</th><th>description</th></tr>"]
    for name, i in res.inputs.items():
        if i.per_year and len(i.described) == len(res.years) and len(i.described) > 1:
            dist = "<br>".join(f"{int(y)}: {_e(d)}" for y, d in zip(res.years, i.described))
        else:
            dist = "<br>".join(_e(d) for d in i.described)
        rows.append(f"<tr><td><code>{_e(name)}</code></td><td>{dist}</td><td>{_e(i.units)}</td>"
                    f"<td>{_e(i.description)}</td></tr>")
    rows.append("</table>")
    return "\n".join(rows)


def _observations_table(res) -> str:
    """What each observation says, where the prior put it (PIT) and how much it alone restricts (ESS)."""
    a = res.posterior_attrs
    head = ""
    if "ess" in a:
        head = (f"<p class='sub'>Posterior effective sample size {float(a['ess']):,.0f}"
                f" ({100 * float(a.get('ess_share', float('nan'))):.2g} % of the samples); "
                f"log mean weight (evidence) {float(a.get('log_mean_weight', float('nan'))):.4g}.</p>")
    rows = ["<table><tr><th>observation</th><th>of</th><th>year</th><th>evidence</th><th>p5–p95</th>"
            "<th>prior PIT</th><th>ESS alone</th><th>source</th></tr>"]
    for o in res.observations:
        out = res.outputs.get(o.output)
        pct = out.percent if out is not None else False
        pit = "" if o.prior_pit is None else f"{o.prior_pit:.3f}"
        ess = "" if o.ess_alone is None else f"{o.ess_alone:,.0f}"
        rows.append(f"<tr><td><code>{_e(o.name)}</code></td><td><code>{_e(o.of)}</code></td>"
                    f"<td>{'' if o.year is None else o.year}</td><td>{_e(o.dist)} around {_e(fmt_value(o.centre, pct))}</td>"
                    f"<td class='n'>{_e(fmt_value(o.low, pct))} – {_e(fmt_value(o.high, pct))}</td>"
                    f"<td class='n'>{pit}</td><td class='n'>{ess}</td><td>{_e(o.description)}</td></tr>")
    rows.append("</table>")
    return head + "\n".join(rows)


def _figure_html(p: Picture) -> str:
    return (f"<figure id='{_e(p.stem)}'><a href='{_e(p.stem)}.svg'><img src='{_e(p.stem)}.png' "
            f"alt='{_e(p.caption)}'></a><figcaption>{_e(p.caption)} "
            f"<a href='{_e(p.stem)}.png'>PNG</a> · <a href='{_e(p.stem)}.svg'>SVG</a></figcaption></figure>")


def render_html(res, pics, failures=(), others=()) -> str:
    """The page (a string): pure, so the tests can read it without drawing anything."""
    by = lambda s: [p for p in pics if p.section == s]
    a = res.attrs
    run = [f"{res.samples:,} samples", f"seed {a.get('seed', '?')}", f"sampling {a.get('sampling', '?')}",
           f"flopcast {a.get('flopcast_version', '?')} (git {a.get('git_commit', '?')})",
           f"started {a.get('start_time', '?')}", f"{float(a.get('wall_time_seconds', 0)):.2f} s"]
    parts = [
        "<!DOCTYPE html>", "<html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        f"<title>{_e(res.scenario_name)}: flopcast report</title><style>{CSS}</style></head><body>",
        f"<h1>{_e(res.title or res.scenario_name)}</h1>",
        f"<p class='sub'>Scenario <code>{_e(res.scenario_name)}</code> from {_e(a.get('scenario_file', '?'))} · "
        + " · ".join(_e(x) for x in run) + "</p>",
    ]
    if res.overrides:
        parts.append("<p>What-if: run with " + ", ".join(f"<code>--set {_e(o)}</code>" for o in res.overrides)
                     + ".</p>")
    parts.append(f"<p class='sub'>Results file: <code>{_e(os.path.basename(res.path))}</code>. "
                 "Bands are the 50 % (p25–p75) and 90 % (p5–p95) intervals of the samples; "
                 "red marks are the source's own figures.</p>")
    if failures:
        parts.append("<p class='warn'>Some pictures could not be drawn: "
                     + "; ".join(_e(f) for f in failures) + "</p>")
    sections = [("plots", "Charts the scenario declares", None),
                ("fan", "Outputs over the years", ""),
                ("posterior", "Conditioned on the observations: prior and posterior", None),
                ("stack", "Breakdowns by dimension", None),
                ("fans", "One fan per element", None),
                ("hist", "Distributions", ""),
                ("compare", "Compared with other runs", None),
                ("sensitivity", "Sensitivity", "No sensitivity results in this file (no /sensitivity group)."),
                ("convergence", "Convergence", "No convergence results in this file (no /convergence group).")]
    for key, title, empty in sections:
        items = by(key)
        if not items and empty is None:
            continue
        parts.append(f"<h2>{_e(title)}</h2>")
        if key == "posterior" and res.observations:
            parts.append(_observations_table(res))
        if items:
            parts.extend(_figure_html(p) for p in items)
        elif empty:
            parts.append(f"<p class='note'>{_e(empty)}</p>")
        if key == "hist":
            parts.append("<h2>Summary table</h2>")
            parts.append("<p class='sub'>Mean, 5th percentile, median and 95th percentile of each output; "
                         "the reference is the source's figure, with the share of samples above it.</p>")
            parts.append(_summary_table(res))
    parts.append("<h2>Inputs</h2>")
    parts.append(_inputs_table(res))
    generated = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    parts.append(f"<p class='sub'>Made by scripts/report.py on {generated}.</p></body></html>")
    return "\n".join(x for x in parts if x) + "\n"


def write_report(res, folder: str, others=(), dpi: int = 110, log=sys.stderr) -> tuple:
    """Draw every picture into `folder` (PNG and SVG) and write index.html. Returns (files, failures)."""
    from . import figures as F
    os.makedirs(folder, exist_ok=True)
    pics = plan(res, others)
    drawn, failures, files = [], [], []
    for p in pics:
        try:
            fig = p.make()
            for ext in ("png", "svg"):
                path = os.path.join(folder, f"{p.stem}.{ext}")
                F.save(fig, path, dpi=dpi)
                files.append(path)
            drawn.append(p)
        except OSError:
            raise  # cannot write: the caller reports it
        except Exception as e:  # one bad group must not cost the other pictures
            failures.append(f"{p.stem}: {type(e).__name__}: {e}")
            print(f"report: {res.path}: could not draw {p.stem}: {e}", file=log)
    index = os.path.join(folder, "index.html")
    with open(index, "w", encoding="utf-8") as f:
        f.write(render_html(res, drawn, failures, others))
    files.append(index)
    return files, failures
