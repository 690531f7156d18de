"""Colour classes for a choropleth, from maintained classification libraries:
natural breaks by jenkspy (exact Fisher-Jenks in C: ≈10 ms for 361 areas, where
mapclassify's FisherJenks takes ≈140 ms without numba), quantiles and equal intervals by
mapclassify (imported only when chosen: it takes ≈1 s to import)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SCHEMES = {
    "natural": "Natural breaks (Fisher-Jenks)",
    "quantiles": "Quantiles (equal counts)",
    "equal": "Equal intervals",
}

# viridis, 5 classes: sequential, dark = high. Chosen by measurement (tests/test_colours.py):
# under simulated protanopia, deuteranopia and tritanopia every class stays apart from its
# neighbours and from the no-data grey and the not-published white by ΔE2000 ≥ 13, where
# ColorBrewer YlGnBu's palest class (#ffffcc) was 4 from white for tritanopes.
PALETTE = ["#fde725", "#5ec962", "#21918c", "#3b528b", "#440154"]
NO_DATA = "#bdbdbd"  # suppressed or missing for this area
NOT_PUBLISHED = "#ffffff"  # the indicator is not published for this area's nation
# Diverging (ColorBrewer PuOr, colour-blind safe) for change maps: purple = better.
DIVERGING = ["#b35806", "#f1a340", "#fee0b6", "#f7f7f7", "#d8daeb", "#998ec3", "#542788"]


@dataclass(frozen=True)
class Classes:
    bins: tuple[float, ...]  # upper bound of each class; last = max
    lower: float  # the minimum value
    colours: tuple[str, ...]
    scheme: str

    def colour(self, value: float) -> str:
        if value is None or not np.isfinite(value):
            return NO_DATA
        for bound, colour in zip(self.bins, self.colours, strict=False):
            if value <= bound:
                return colour
        return self.colours[-1]

    def ranges(self) -> list[tuple[float, float, str]]:
        """(from, to, colour) per class, for the legend."""
        out, lo = [], self.lower
        for bound, colour in zip(self.bins, self.colours, strict=False):
            out.append((lo, bound, colour))
            lo = bound
        return out


#: Above this magnitude values are scaled before classifying: jenkspy sums squares in C
#: doubles, and from about 1e154 they overflow and it reads outside its arrays (garbage
#: classes, an IndexError, or a segfault that kills the server for every user).
SAFE_MAGNITUDE = 1e12


def _finite(values) -> np.ndarray:
    """The usable numbers: None, NaN, ±inf and anything that is not a number are left out."""
    out = []
    for v in values:
        try:
            x = float(v)
        except (TypeError, ValueError):
            continue
        if np.isfinite(x):
            out.append(x)
    return np.asarray(out, dtype=float)


def classify(values, scheme: str = "natural", k: int = 5) -> Classes | None:
    """Classes for the finite values; fewer than k when there are few distinct values.
    None when there is no value at all. No input can crash the process (see SAFE_MAGNITUDE)."""
    y = _finite(values)
    if y.size == 0:
        return None
    scale = float(np.abs(y).max())
    scaled = scale > SAFE_MAGNITUDE
    z = y / scale if scaled else y  # monotonic: the same order, classes of the same areas
    k = int(min(k, np.unique(z).size))  # scaling may merge values too small to matter
    if k <= 1:
        return Classes((float(y.max()),), float(y.min()), (PALETTE[-1],), scheme)
    if scheme in ("quantiles", "equal"):
        import mapclassify

        c = (mapclassify.Quantiles if scheme == "quantiles" else mapclassify.EqualInterval)(z, k=k)
        upper = np.asarray(c.bins, dtype=float) * (scale if scaled else 1.0)
    else:
        import jenkspy

        breaks = np.asarray(jenkspy.jenks_breaks(z, n_classes=k)[1:], dtype=float)
        if scaled:  # natural breaks are data values: map each back to the value it came from
            order = np.argsort(z, kind="stable")
            idx = np.clip(np.searchsorted(z[order], breaks), 0, y.size - 1)
            breaks = y[order][idx]
        upper = breaks
    upper = np.clip(upper, y.min(), y.max())
    upper[-1] = y.max()
    bins = tuple(float(b) for b in np.unique(upper))
    colours = _spread(len(bins))
    return Classes(bins, float(y.min()), colours, scheme)


def _spread(n: int) -> tuple[str, ...]:
    """n colours from the palette, spread from light to dark."""
    if n >= len(PALETTE):
        return tuple(PALETTE)
    idx = np.round(np.linspace(0, len(PALETTE) - 1, n)).astype(int)
    return tuple(PALETTE[i] for i in idx)


def diverging_classes(values, k: int = 7) -> Classes | None:
    """Symmetric classes centred on zero, for changes. Colours run worse → better when the
    caller passes polarity-adjusted values (positive = improvement)."""
    y = _finite(values)
    if y.size == 0:
        return None
    a = np.abs(y)
    full = float(a.max()) or 1.0
    # Scale the inner classes to the 95th percentile of |change|, so one outlier cannot
    # wash every other area into the middle class; the two outer classes reach the extremes.
    m = float(np.quantile(a, 0.95)) or full
    half = k // 2
    step = m / (half + 0.5)
    edges = [-m + step * i for i in range(1, k)] + [full]
    # centre class spans (-step/2, step/2)
    return Classes(tuple(edges), -full, tuple(DIVERGING[:k]), "diverging")
