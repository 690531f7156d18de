"""Which boundaries to draw for one map: the vintage that matches the data's codes."""

from __future__ import annotations

from lumap.data import levels as lv
from lumap.data.store import Store
from lumap.data.vintages import features_for, vintage_year


def features_to_draw(store: Store, slug: str, period: str, level: str) -> dict:
    """FeatureCollection of the level's areas for this view: features valid in the
    boundary year that matches the codes with data, old codes still carrying data drawn
    on their own geometry, never the same ground twice."""
    collection = store.boundaries(lv.LEVELS[level]["topo"])
    frame = store.values(slug, period, level)
    codes = set(frame.loc[frame["value"].notna(), "areacd"])
    year = vintage_year(codes, collection, store.latest_year)
    return features_for(collection, codes, year, store.successors)
