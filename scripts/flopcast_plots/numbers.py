"""Pure helpers: number formatting, axis choices, exceedance, growth paths.

No h5py, no matplotlib: everything here takes numbers and returns numbers or
strings, so the tests can check it directly.
"""
import math
import re
from typing import Optional

import numpy as np

# The same suffixes as the binary's summary table (engine/cli/number_format.cpp),
# so a figure and the text the run printed read alike.
_SUFFIXES = ((1e15, "P"), (1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k"))

# A positive quantity whose 5-95 % band spans more than a decade and a half is
# drawn on a log axis: on a linear axis its early years would be a flat line at
# the bottom. Shares and percentages never are (share_like below).
LOG_AXIS_RATIO = 10 ** 1.5


def human(v: float) -> str:
    """2310000 -> '2.31 M', 0.5 -> '0.500'; the binary's summary-table format."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "nan"
    v = float(v)
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    a = abs(v)
    if a >= 999.5e15 or (0 < a < 1e-3):
        return f"{v:.2e}"
    for scale, suffix in _SUFFIXES:
        if a >= 0.9995 * scale:  # after rounding to 3 digits: 999,600 is 1.00 M
            x = v / scale
            return f"{x:.{0 if abs(x) >= 100 else 1 if abs(x) >= 10 else 2}f} {suffix}"
    if a == 0:
        return "0"
    return f"{v:.{0 if a >= 100 else 1 if a >= 10 else 2 if a >= 1 else 3}f}"


def percent(v: float, digits: int = 1) -> str:
    """0.779 -> '77.9 %'."""
    if v is None or not math.isfinite(v):
        return human(v)
    return f"{100.0 * v:.{digits}f} %"


def tick(v: float) -> str:
    """Axis tick label: as short as exact allows: 1M, 2.5M, 500k, 10G; powers of ten past P.

    Returns matplotlib mathtext for very large or small numbers ($10^{26}$).
    """
    if v == 0 or not math.isfinite(v):
        return "0" if v == 0 else str(v)
    a = abs(v)
    if a >= 1e15 or a < 1e-3:
        e = math.floor(math.log10(a) + 1e-9)
        m = v / 10 ** e
        if abs(abs(m) - 1) < 1e-6:
            return ("-" if m < 0 else "") + f"$10^{{{e}}}$"
        return f"${m:.3g}\\times10^{{{e}}}$"
    for scale, suffix in _SUFFIXES:
        if a >= scale * (1 - 1e-9):
            return f"{v / scale:.3g}{suffix}"
    return f"{v:.3g}"


def is_percent(name: str, units: str, display: str = "") -> bool:
    """Shown in percent: what the scenario marks display = "percent", and CAGRs (stored as fractions)."""
    return display == "percent" or name.endswith("_cagr") or units.strip().lower().startswith("per year")


_SHARE_UNITS = re.compile(r"^\s*(fraction|share|%|percent|probability|1 if )", re.I)
_SHARE_NAME = re.compile(r"(^|_)(share|fraction|frac|pct|percent|ratio)(_|$)")


def is_rate(name: str, units: str) -> bool:
    """A growth rate (a CAGR): stored as a fraction, may be negative or above 100 %."""
    return name.endswith("_cagr") or units.strip().lower().startswith("per year")


def linear_by_kind(name: str, units: str, display: str, top: float) -> bool:
    """Whether an output is drawn on a linear axis whatever its spread.

    Growth rates always are. Shares and percentages of a whole are while they
    stay within one whole (`top`, the largest p95, at most 1): a ratio that
    is called a share but reaches 50x (demand over installed, say) spans
    decades like any other quantity and gets the usual rule.
    """
    if is_rate(name, units):
        return True
    return share_like(name, units, display) and not top > 1.0


def share_like(name: str, units: str, display: str = "") -> bool:
    """A share, fraction or percentage: parts of a whole, read on a linear axis.

    A share that moves from 0.01 to 0.9 is not "two decades apart" to a reader;
    on a log axis its large values, the ones that matter, are squeezed together.
    """
    return (is_percent(name, units, display) or bool(_SHARE_UNITS.match(units))
            or bool(_SHARE_NAME.search(name)))


def fmt_value(v: float, as_percent: bool) -> str:
    return percent(v) if as_percent else human(v)


def wants_log_axis(low, high) -> bool:
    """Log axis when every value is positive and the 5-95 % band spans more than 10^1.5 (about 32)."""
    low = np.asarray(low, dtype=float)
    high = np.asarray(high, dtype=float)
    if low.size == 0 or not np.all(np.isfinite(low)) or not np.all(np.isfinite(high)):
        return False
    lo, hi = float(np.min(low)), float(np.max(high))
    return lo > 0 and hi / lo > LOG_AXIS_RATIO


def share_above_from_histogram(edges, counts, threshold: float, axis: str = "linear") -> float:
    """P(X > threshold) from a histogram, counting the bin that holds the threshold in part.

    Inside that bin the values are taken as spread evenly on the histogram's own
    axis (log10 of the value for a log histogram), which is how the bins were cut.
    """
    edges = np.asarray(edges, dtype=float)
    counts = np.asarray(counts, dtype=float)
    total = counts.sum()
    if total <= 0:
        return float("nan")
    if axis == "log":
        if threshold <= 0:
            return 1.0
        edges, threshold = np.log10(edges), math.log10(threshold)
    if threshold < edges[0]:
        return 1.0
    if threshold >= edges[-1]:
        return 0.0
    i = int(np.searchsorted(edges, threshold, side="right") - 1)
    i = min(max(i, 0), len(counts) - 1)
    width = edges[i + 1] - edges[i]
    part = (edges[i + 1] - threshold) / width if width > 0 else 0.0
    return float((counts[i + 1:].sum() + part * counts[i]) / total)


def density(edges, counts, axis: str = "linear", as_percent: bool = False):
    """Histogram counts as a probability density on the axis the histogram is drawn on.

    Per decade for a log histogram (bins are equal in log10), per percentage
    point for a fraction shown in percent, per unit otherwise. Returns
    (density array, unit phrase for the axis label).
    """
    edges = np.asarray(edges, dtype=float)
    counts = np.asarray(counts, dtype=float)
    total = counts.sum()
    if axis == "log":
        widths, unit = np.diff(np.log10(edges)), "per decade"
    elif as_percent:
        widths, unit = np.diff(edges) * 100.0, "per percentage point"
    else:
        widths, unit = np.diff(edges), "per unit"
    with np.errstate(divide="ignore", invalid="ignore"):
        d = np.where(widths > 0, counts / (total * widths), 0.0) if total > 0 else np.zeros_like(counts)
    return d, unit


def growth_path(years, start: float, rate: float):
    """start x (1 + rate)^(year - first year): the path a report's CAGR draws."""
    years = np.asarray(years, dtype=float)
    return start * (1.0 + rate) ** (years - years[0])


def cagr_partner(cagr_name: str, formula: str, yearly_names) -> Optional[str]:
    """The yearly output a CAGR output describes (train_cagr -> train_a100).

    The formula says it when it is `cagr(<output>, ...)`; otherwise the yearly
    outputs sharing the prefix before `_cagr` are candidates, and the first
    (in scenario order) is taken.
    """
    yearly_names = list(yearly_names)
    m = re.match(r"\s*cagr\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*,", formula or "")
    if m and m.group(1) in yearly_names:
        return m.group(1)
    if not cagr_name.endswith("_cagr"):
        return None
    prefix = cagr_name[: -len("_cagr")] + "_"
    candidates = [n for n in yearly_names if n.startswith(prefix)]
    return candidates[0] if candidates else None


def source_of(label: str) -> str:
    """'CSC: 78 % a year' -> 'CSC': who the reference figure is from, for short legend labels."""
    if ":" in label:
        head = label.split(":", 1)[0].strip()
        if 0 < len(head) <= 30:
            return head
    return "report"


def mathtext_safe(s: str) -> str:
    """Text from the file must not switch matplotlib into math mode ($5 B -> literal)."""
    return s.replace("$", r"\$")
