"""Read a flopcast result file into plain Python objects.

Only what docs/hdf5-layout.md promises is relied on, plus the groups that
docs/plots.md announces for later (/sensitivity, /convergence), which are
optional: a file without them loads with empty `sensitivity` / `convergence`.

Everything is read once, while the file is open, so the drawing code never
touches h5py and the file is not held open while matplotlib works.
"""
import os
import re
from dataclasses import dataclass, field
from typing import Optional

import numpy as np


class ResultFileError(Exception):
    """The path is missing, not HDF5, or not a flopcast result file.

    str(error) is a one-line message that names the file: the CLIs print it
    as is and exit with code 2.
    """


def _text(value) -> str:
    """h5py gives str for attributes but bytes for string datasets; make both str."""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, np.ndarray) and value.shape == ():
        return _text(value[()])
    return "" if value is None else str(value)


def _texts(dataset) -> list:
    return [_text(v) for v in np.atleast_1d(dataset[()])]


def _float_or_none(value) -> Optional[float]:
    if value is None:
        return None
    v = float(np.asarray(value).reshape(-1)[0])
    return v if np.isfinite(v) else None


@dataclass
class Input:
    name: str
    described: list  # one string, or one per year for per_year inputs
    units: str = ""
    description: str = ""
    distribution: str = ""
    per_year: bool = False


@dataclass
class Output:
    name: str
    yearly: bool
    units: str
    description: str
    formula: str
    levels: np.ndarray  # [Q]
    quantiles: np.ndarray  # [Q, Y] or [Q]
    mean: np.ndarray  # [Y] or []
    count: np.ndarray
    nonfinite: np.ndarray
    edges: np.ndarray  # [B + 1]
    counts: np.ndarray  # [Y, B] or [B]
    hist_axis: str  # "log" or "linear"
    display: str = ""  # the scenario's display = "number" | "percent" ("" in older files)
    reference: Optional[float] = None
    reference_year: Optional[int] = None
    reference_label: str = ""
    # P(value > reference) in the reference year (or for the scalar), and
    # where it came from ("samples" or "histogram"); None without a reference.
    exceedance: Optional[float] = None
    exceedance_source: str = ""
    exceedance_n: int = 0

    @property
    def percent(self) -> bool:
        """Shown in percent (a growth rate, a share marked display = "percent")."""
        from .numbers import is_percent
        return is_percent(self.name, self.units, self.display)

    @property
    def share(self) -> bool:
        """A growth rate, or a share or percentage within one whole: drawn on a linear axis
        whatever its spread (numbers.linear_by_kind)."""
        from .numbers import linear_by_kind
        top = np.asarray(self.q(0.95) if self.has_level(0.95) else self.quantiles, dtype=float)
        top = top[np.isfinite(top)]
        return linear_by_kind(self.name, self.units, self.display, float(top.max()) if top.size else 0.0)

    def q(self, level: float):
        """The quantile at `level` (one per year, or a float for a scalar output)."""
        i = np.flatnonzero(np.isclose(self.levels, level, rtol=0, atol=1e-9))
        if i.size == 0:
            raise KeyError(f"quantile level {level} is not in the file ({list(self.levels)})")
        return self.quantiles[i[0]]

    def has_level(self, level: float) -> bool:
        return bool(np.any(np.isclose(self.levels, level, rtol=0, atol=1e-9)))

    def counts_for(self, year_index: Optional[int]) -> np.ndarray:
        return self.counts[year_index] if self.yearly else self.counts

    def value_at(self, array, year_index: Optional[int]):
        return array[..., year_index] if self.yearly else array


@dataclass
class Tornado:
    """/sensitivity/tornado/<output>/: the output's median with each input at its low and high setting."""
    output: str
    inputs: list
    low: np.ndarray  # [k, Y] or [k]
    high: np.ndarray
    baseline: np.ndarray  # [Y] or []


@dataclass
class Sobol:
    """/sensitivity/sobol/<output>/: first-order and total Sobol indices with confidence bounds."""
    output: str
    inputs: list
    first: np.ndarray  # [k, Y] or [k]
    total: np.ndarray
    first_low: np.ndarray
    first_high: np.ndarray
    total_low: np.ndarray
    total_high: np.ndarray


@dataclass
class Convergence:
    """/convergence/ (or one subgroup of it): a statistic's estimate as the sample count grows."""
    name: str  # "" for /convergence itself, else the subgroup's name
    samples: np.ndarray  # [m]
    estimate: np.ndarray  # [m]
    half_width: np.ndarray  # [m]
    statistic: str = ""
    output: str = ""
    year: Optional[int] = None


Z95 = 1.6448536269514722  # the standard normal's 95th percentile: the p5-p95 bar of an observation


@dataclass
class Observation:
    """/observations/<name>: what was observed of one quantity, and the evidence's 90 % range."""
    name: str
    of: str  # as written, e.g. "installed_h100e" or "stock[chip=H100]"
    output: str  # the output it is drawn on: "stock[H100]" for a selection
    year: Optional[int]
    dist: str
    centre: float
    low: float  # p5 of the evidence (min for `between`)
    high: float  # p95 of the evidence (max for `between`)
    description: str = ""
    prior_pit: Optional[float] = None
    ess_alone: Optional[float] = None


def _observation(name: str, a) -> Observation:
    dist = _text(a.get("dist", ""))
    centre = float(a.get("centre", np.nan))
    if dist == "between":
        low, high = float(a.get("min", np.nan)), float(a.get("max", np.nan))
    else:
        mu, sigma = float(a.get("mu", np.nan)), float(a.get("sigma", np.nan))
        low, high = mu - Z95 * sigma, mu + Z95 * sigma
        if dist == "lognormal":  # mu and sigma are of ln x
            low, high = float(np.exp(low)), float(np.exp(high))
    of = _text(a.get("of", ""))
    output = of
    if "[" in of and of.endswith("]"):  # x[chip=H100, region=us] -> x[H100,us], the element output's name
        head, sel = of[:-1].split("[", 1)
        output = f"{head}[{','.join(part.split('=', 1)[-1].strip() for part in sel.split(','))}]"
    year = a.get("year")
    return Observation(name, of, output, int(year) if year is not None else None, dist, centre, low, high,
                       _text(a.get("description", "")), _float_or_none(a.get("prior_pit")),
                       _float_or_none(a.get("ess_alone")))


@dataclass
class PlotDecl:
    """[plots.NAME] of the scenario: several outputs on one chart."""
    name: str
    outputs: list  # names of [outputs.*] tables; a dimensioned one stands for its elements
    kind: str = "lines"  # "lines" or "stacked"
    title: str = ""


def _plot_decls(scenario_text: str) -> list:
    """[plots.NAME] read from the scenario text the result file stores (root attribute scenario_text).

    The engine has checked these tables before the run (engine/scenario/load_plots.cpp),
    so a file it wrote holds good ones; anything else here is skipped, not fatal.
    """
    if "[plots." not in scenario_text:
        return []
    try:
        import tomllib
        doc = tomllib.loads(scenario_text)
    except Exception:  # tomllib is Python 3.11+; an unreadable text only costs these charts
        return []
    plots = doc.get("plots", {})
    if not isinstance(plots, dict):
        return []
    order = lambda n: (scenario_text.find(f"[plots.{n}]"), n)  # file order; tomllib keeps it, but be sure
    out = []
    for name in sorted(plots, key=order):
        t = plots[name]
        if isinstance(t, dict) and isinstance(t.get("outputs"), list):
            out.append(PlotDecl(name, [str(o) for o in t["outputs"]], str(t.get("kind", "lines")),
                                str(t.get("title", ""))))
    return out


@dataclass
class Results:
    path: str
    attrs: dict
    years: np.ndarray
    levels: np.ndarray
    inputs: dict  # name -> Input, in scenario order
    outputs: dict  # name -> Output, in scenario order
    tornado: dict = field(default_factory=dict)  # output -> Tornado
    sobol: dict = field(default_factory=dict)  # output -> Sobol
    convergence: list = field(default_factory=list)
    # Dimensioned outputs (docs/hdf5-layout.md, "Named axes"): name ->
    # (dimension names, [(element label, element output name), ...]) in the
    # stacked order; the element outputs are in `outputs` like any other.
    arrays: dict = field(default_factory=dict)
    # The scenario's [plots.NAME] tables (docs/scenario-format.md), in file order.
    plots: list = field(default_factory=list)
    # With [observations]: /posterior/<output> read like /summary (name -> Output),
    # /observations/<name> (in file order) and the /posterior attributes (ess, ess_share, ...).
    posterior: dict = field(default_factory=dict)
    observations: list = field(default_factory=list)
    posterior_attrs: dict = field(default_factory=dict)

    @property
    def scenario_name(self) -> str:
        return self.attrs.get("scenario_name", "") or os.path.basename(self.path)

    @property
    def title(self) -> str:
        return self.attrs.get("scenario_title", "")

    @property
    def overrides(self) -> list:
        return [line for line in self.attrs.get("overrides", "").splitlines() if line.strip()]

    @property
    def label(self) -> str:
        """Scenario name plus its --set overrides: tells a what-if from its base run."""
        if not self.overrides:
            return self.scenario_name
        return self.scenario_name + " + " + ", ".join(self.overrides)

    @property
    def samples(self) -> int:
        return int(self.attrs.get("samples", 0))

    def output(self, name: str) -> Output:
        if name not in self.outputs:
            raise ResultFileError(f"{self.path}: no output '{name}' (outputs: {', '.join(self.outputs)})")
        return self.outputs[name]

    def year_index(self, year: int) -> int:
        i = np.flatnonzero(self.years == year)
        if i.size == 0:
            raise ResultFileError(
                f"{self.path}: year {year} is not in the file (years {self.years[0]}-{self.years[-1]})")
        return int(i[0])

    @property
    def has_sensitivity(self) -> bool:
        return bool(self.tornado or self.sobol)


def _scenario_order(names, scenario_text: str) -> list:
    """Order names as the scenario file declares them ([outputs.X] / [inputs.X]).

    HDF5 lists groups alphabetically; the scenario's own order is the one its
    author chose to read in. Names the text does not mention go last, sorted.
    """
    def key(name):
        m = re.search(r"^\s*\[\s*(?:outputs|inputs)\.%s\s*\]" % re.escape(name), scenario_text, re.M)
        return (0, m.start()) if m else (1, name)
    return sorted(names, key=key)


def _exceedance(f, out: Output, years: np.ndarray):
    """P(value > reference), exactly from /samples when kept, else from the histogram."""
    from .numbers import share_above_from_histogram
    if out.reference is None:
        return None, "", 0
    t = None
    if out.yearly:
        if out.reference_year is None or out.reference_year not in years:
            return None, "", 0
        t = int(np.flatnonzero(years == out.reference_year)[0])
    ds = f.get(f"samples/{out.name}")
    if isinstance(ds, _h5py().Dataset):
        values = ds[:, t] if (out.yearly and ds.ndim == 2) else ds[()]
        values = np.asarray(values, dtype=float).reshape(-1)
        values = values[np.isfinite(values)]
        if values.size:
            return float(np.mean(values > out.reference)), "samples", int(values.size)
    counts = out.counts_for(t)
    return share_above_from_histogram(out.edges, counts, out.reference, out.hist_axis), "histogram", int(counts.sum())


def _h5py():
    import h5py  # imported here so that `--help` and argument errors stay fast
    return h5py


def _read_output(f, name: str, group, levels) -> Output:
    a = group.attrs
    q = np.asarray(group["quantiles"][()], dtype=float)
    yearly = _text(a.get("shape", "yearly" if q.ndim == 2 else "scalar")) == "yearly"
    hist = group["histogram"]
    ref = _float_or_none(a.get("reference"))
    ref_year = a.get("reference_year")
    return Output(
        name=name, yearly=yearly, units=_text(a.get("units", "")), description=_text(a.get("description", "")),
        formula=_text(a.get("formula", "")), levels=levels, quantiles=q,
        mean=np.asarray(group["mean"][()], dtype=float), count=np.asarray(group["count"][()]),
        nonfinite=np.asarray(group["nonfinite"][()]) if "nonfinite" in group else np.zeros_like(group["count"][()]),
        edges=np.asarray(hist["edges"][()], dtype=float), counts=np.asarray(hist["counts"][()], dtype=float),
        hist_axis=_text(hist.attrs.get("axis", "linear")), display=_text(a.get("display", "")),
        reference=ref, reference_year=int(ref_year) if (ref is not None and ref_year is not None and yearly) else None,
        reference_label=_text(a.get("reference_label", "")) if ref is not None else "")


def _read_array(f, name: str) -> tuple:
    dims = [d for d in _text(f["summary"][name].attrs["dimensions"]).split(",") if d]
    labels = [[]]
    for d in dims:
        labels = [prev + [e] for prev in labels for e in _texts(f["dimensions"][d])]
    return dims, [(",".join(l), f"{name}[{','.join(l)}]") for l in labels]


def _read_sensitivity(f, path: str) -> tuple:
    h5py = _h5py()
    tornado, sobol = {}, {}
    sens = f.get("sensitivity")
    if not isinstance(sens, h5py.Group):
        return tornado, sobol
    arr = lambda g, k: np.asarray(g[k][()], dtype=float)
    groups = lambda key: sens[key].items() if isinstance(sens.get(key), h5py.Group) else []
    for name, g in groups("tornado"):
        if isinstance(g, h5py.Group) and {"inputs", "low", "high"} <= set(g):
            tornado[name] = Tornado(name, _texts(g["inputs"]), arr(g, "low"), arr(g, "high"),
                                    np.asarray(g.attrs.get("baseline", np.nan), dtype=float))
    for name, g in groups("sobol"):
        keys = ["first", "total", "first_low", "first_high", "total_low", "total_high"]
        if isinstance(g, h5py.Group) and {"inputs", "first", "total"} <= set(g):
            # Confidence bounds are optional for drawing: without them, no error bars.
            vals = {k: (arr(g, k) if k in g else arr(g, k.split("_")[0])) for k in keys}
            sobol[name] = Sobol(name, _texts(g["inputs"]), **vals)
    return tornado, sobol


def _read_convergence(f) -> list:
    h5py = _h5py()
    conv = f.get("convergence")
    if not isinstance(conv, h5py.Group):
        return []
    # The layout has the datasets in /convergence itself; accept subgroups of
    # the same shape too, so several statistics can be tracked later.
    groups = [("", conv)] if "samples" in conv else [(k, g) for k, g in conv.items()
                                                     if isinstance(g, h5py.Group) and "samples" in g]
    out = []
    for name, g in groups:
        if not {"samples", "estimate"} <= set(g):
            continue
        est = np.asarray(g["estimate"][()], dtype=float)
        hw = np.asarray(g["half_width"][()], dtype=float) if "half_width" in g else np.zeros_like(est)
        year = g.attrs.get("year")
        out.append(Convergence(name, np.asarray(g["samples"][()], dtype=float), est, hw,
                               _text(g.attrs.get("statistic", "")), _text(g.attrs.get("output", "")),
                               int(year) if year is not None and np.ndim(year) == 0 else None))
    return out


def _read_posterior(f, outputs: dict, levels, scenario_text: str) -> tuple:
    """/posterior/<output> (the weighted statistics, same layout as /summary) and /observations."""
    h5py = _h5py()
    post, obs, attrs = {}, [], {}
    pg = f.get("posterior")
    if isinstance(pg, h5py.Group):
        attrs = {k: (v.item() if getattr(v, "size", 0) == 1 else _text(v)) for k, v in pg.attrs.items()}
        for name, g in pg.items():
            if name in outputs and isinstance(g, h5py.Group) and {"quantiles", "mean", "count", "histogram"} <= set(g):
                post[name] = _read_output(f, name, g, levels)
    og = f.get("observations")
    if isinstance(og, h5py.Group):
        # In the scenario's order (HDF5 lists groups alphabetically).
        def key(n):
            i = scenario_text.find(f"[observations.{n}]")
            return (0, i) if i >= 0 else (1, n)
        obs = [_observation(n, og[n].attrs) for n in sorted(og, key=key) if isinstance(og[n], h5py.Group)]
    return post, obs, attrs


def load(path: str) -> Results:
    """Read a flopcast result file; raise ResultFileError with a one-line message if it is not one."""
    if not os.path.exists(path):
        raise ResultFileError(f"{path}: no such file")
    if os.path.isdir(path):
        raise ResultFileError(f"{path}: is a folder, not a flopcast result file")
    h5py = _h5py()
    if not h5py.is_hdf5(path):
        raise ResultFileError(f"{path}: not an HDF5 file (expected a flopcast result file, written by `flopcast run`)")
    try:
        f = h5py.File(path, "r")
    except OSError as e:
        raise ResultFileError(f"{path}: cannot open as HDF5 ({e})") from None
    with f:
        if "flopcast_version" not in f.attrs or not isinstance(f.get("summary"), h5py.Group):
            raise ResultFileError(f"{path}: HDF5, but not a flopcast result file "
                                  "(no root attribute flopcast_version or no /summary group)")
        try:
            attrs = {k: (_text(v) if isinstance(v, (str, bytes))
                         else v.item() if getattr(v, "size", 0) == 1 else v)
                     for k, v in f.attrs.items()}
            years = np.asarray(f["years"][()], dtype=int)
            levels = np.asarray(f["quantile_levels"][()], dtype=float)
            text = attrs.get("scenario_text", "")
            inputs = {}
            for name in _scenario_order(list(f.get("inputs", {})), text):
                g = f["inputs"][name]
                inputs[name] = Input(name, _texts(g["described"]) if "described" in g else [],
                                     _text(g.attrs.get("units", "")), _text(g.attrs.get("description", "")),
                                     _text(g.attrs.get("distribution", "")), bool(g.attrs.get("per_year", 0)))
            outputs, arrays = {}, {}
            for name in _scenario_order(list(f["summary"]), text):
                if "dimensions" in f["summary"][name].attrs:  # the stacked view of element outputs
                    arrays[name] = _read_array(f, name)
                    continue
                out = _read_output(f, name, f["summary"][name], levels)
                out.exceedance, out.exceedance_source, out.exceedance_n = _exceedance(f, out, years)
                outputs[name] = out
            tornado, sobol = _read_sensitivity(f, path)
            for name, t in tornado.items():
                # Without a `baseline` attribute, the run's own median is the natural centre line.
                if np.all(np.isnan(t.baseline)) and name in outputs:
                    t.baseline = np.asarray(outputs[name].q(0.5), dtype=float)
            convergence = _read_convergence(f)
            posterior, observations, posterior_attrs = _read_posterior(f, outputs, levels, text)
        except (KeyError, ValueError, TypeError, OSError) as e:
            raise ResultFileError(f"{path}: malformed flopcast result file ({e})") from None
    return Results(path, attrs, years, levels, inputs, outputs, tornado, sobol, convergence, arrays,
                   _plot_decls(_text(attrs.get("scenario_text", ""))), posterior, observations, posterior_attrs)
