"""How far simplified boundaries are from the source boundaries, in metres.

Used by the benchmark (before/after figures) and by a test on the built store. Both sets of
geometries are projected to the British National Grid (EPSG:27700, metres; good enough for
distances in Northern Ireland too), their boundaries are densified to points every
``step`` metres, and each point's distance to the *other* boundary is measured with a tree
of that boundary's segments. The mean deviation is the mean of those distances over both
directions (length-weighted, as the points are evenly spaced); the Hausdorff distance of a
feature is the largest of them.
"""

from __future__ import annotations

import numpy as np
import shapely
from pyproj import Transformer

STEP_M = 25.0
_TO_BNG = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)


def _projected(geometry: shapely.Geometry) -> shapely.Geometry:
    return shapely.transform(geometry, lambda xy: np.column_stack(_TO_BNG.transform(xy[:, 0], xy[:, 1])))


def _points(boundary: shapely.Geometry, step: float) -> np.ndarray:
    return shapely.get_coordinates(shapely.segmentize(boundary, step))


def _segments(boundary: shapely.Geometry) -> np.ndarray:
    lines = shapely.get_parts(
        shapely.line_merge(boundary) if boundary.geom_type != "LineString" else boundary
    )
    segs = []
    for line in lines:
        xy = shapely.get_coordinates(line)
        segs.append(shapely.linestrings(np.stack([xy[:-1], xy[1:]], axis=1)))
    return np.concatenate(segs) if segs else np.array([], dtype=object)


def _distances(points: np.ndarray, boundary: shapely.Geometry) -> np.ndarray:
    segs = _segments(boundary)
    if not len(segs) or not len(points):
        return np.array([])
    tree = shapely.STRtree(segs)
    _, dist = tree.query_nearest(shapely.points(points), return_distance=True, all_matches=False)
    return dist


def feature_deviation(
    simplified: shapely.Geometry, source: shapely.Geometry, step: float = STEP_M
) -> np.ndarray:
    """Distances (m) from points along each boundary to the other boundary, both ways."""
    a = shapely.boundary(_projected(simplified))
    b = shapely.boundary(_projected(source))
    return np.concatenate([_distances(_points(a, step), b), _distances(_points(b, step), a)])


def deviation(
    simplified: dict[str, shapely.Geometry], source: dict[str, shapely.Geometry], step: float = STEP_M
) -> dict:
    """Summary over the codes in both: mean and 95th percentile of the point distances,
    the median and the largest per-feature Hausdorff distance (all in metres), and the
    feature with the largest."""
    codes = sorted(set(simplified) & set(source))
    all_d: list[np.ndarray] = []
    hausdorff: dict[str, float] = {}
    for code in codes:
        d = feature_deviation(simplified[code], source[code], step)
        if len(d):
            all_d.append(d)
            hausdorff[code] = float(d.max())
    d = np.concatenate(all_d) if all_d else np.array([0.0])
    worst = max(hausdorff, key=lambda c: hausdorff[c]) if hausdorff else None
    return {
        "features": len(codes),
        "mean_m": float(d.mean()),
        "p95_m": float(np.percentile(d, 95)),
        "hausdorff_median_m": float(np.median(list(hausdorff.values()))) if hausdorff else 0.0,
        "hausdorff_max_m": float(max(hausdorff.values())) if hausdorff else 0.0,
        "worst": worst,
    }
