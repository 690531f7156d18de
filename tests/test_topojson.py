"""The browser's boundary files: quantised TopoJSON with shared arcs (lumap.data.topojson),
and the deviation measure of simplified boundaries (lumap.data.deviation)."""

from __future__ import annotations

import json

import shapely

from lumap.data import boundaries as B
from lumap.data import topojson as T
from lumap.data.deviation import deviation

from .test_boundaries import _encode, _older, _topo


def _squares():
    """Two unit squares side by side and one island, on a 0.001 grid."""
    a = shapely.box(0, 50, 1, 51)
    b = shapely.Polygon([(1, 50), (2, 50), (2, 51), (1.5, 51.0), (1, 51)])
    island = shapely.box(3, 50, 3.004, 50.004)
    return [({"areacd": "A"}, a), ({"areacd": "B"}, shapely.MultiPolygon([b, island]))]


def test_round_trip_and_the_shared_border_is_one_arc():
    feats = _squares()
    topo = T.encode(feats, 0.001, "ltla", digits=3)
    back = B.decode_topology(json.loads(json.dumps(topo)), layers=("ltla",))["ltla"]
    for (props, geom), (p0, g0) in zip(back, feats, strict=True):
        assert props == p0
        assert shapely.equals(geom, g0)
    refs = [
        r
        for g in topo["objects"]["ltla"]["geometries"]
        for r in json.dumps(g["arcs"]).replace("[", " ").replace("]", " ").replace(",", " ").split()
    ]
    used = [int(r) for r in refs]
    shared = [i for i in range(len(topo["arcs"])) if i in used and ~i in used]
    assert len(shared) == 1  # the border at lon 1, stored once, used both ways
    assert topo["transform"] == {"scale": [0.001, 0.001], "translate": [0.0, 50.0]}
    assert all(isinstance(v, int) for arc in topo["arcs"] for pt in arc for v in pt)


def test_build_writes_topojson_equal_to_the_geojson(tmp_path):
    B.build_boundaries({"2025-12-17": _encode(_topo()), "2024-07-01": _encode(_older(_topo()))}, tmp_path)
    for level in ("ltla", "rgn"):
        gj = json.loads((tmp_path / f"{level}.geojson").read_text())
        topo = json.loads((tmp_path / f"{level}{B.TOPO_SUFFIX}").read_text())
        back = B.decode_topology(topo, layers=(level,))[level]
        assert len(back) == len(gj["features"])
        for (props, geom), f in zip(back, gj["features"], strict=True):
            assert props == f["properties"]  # same order: the ids the app sends are positions
            assert shapely.hausdorff_distance(geom, shapely.geometry.shape(f["geometry"])) < 1e-9


def test_deviation_is_zero_for_the_same_shape_and_the_shift_otherwise():
    sq = shapely.box(-1.0, 52.0, -0.9, 52.1)
    assert deviation({"A": sq}, {"A": sq})["mean_m"] < 1e-6
    shifted = shapely.affinity.translate(sq, yoff=0.001)  # ≈ 111 m north
    d = deviation({"A": shifted}, {"A": sq})
    assert 40 < d["mean_m"] < 112 and 105 < d["hausdorff_max_m"] < 118
