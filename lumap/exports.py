"""What the downloads draw from the store: a map or a change map as a static picture
(:mod:`lumap.viz.staticmap`) with the same areas and colours as the live map. No Streamlit
here; the app runs these in a worker process (``lumap.jobs``)."""

from __future__ import annotations

from lumap import config
from lumap.data import levels as lv
from lumap.data.metadata import source_links
from lumap.data.store import Store
from lumap.viz import changemap, choropleth, legend, staticmap


def attribution(store: Store, meta: dict) -> str:
    """The source line: the data's publishers, then the required ONS/OS attribution."""
    year = (store.build_info.get("built") or "")[:4] or "2026"
    orgs = [org for org, _ in source_links(meta)]
    head = f"Data: {'; '.join(orgs)}. " if orgs else ""
    return head + config.ATTRIBUTION.format(year=year) + " Drawn by lumap."


def _published(meta: dict) -> set[str]:
    return set(meta.get("nations") or "EWSN")


def _not_published_shown(layer: dict, collection: dict, meta: dict) -> bool:
    nations = _published(meta)
    return any(
        collection["features"][i]["properties"].get("areacd", "")[:1] not in nations for i in layer["ids"]
    )


def hex_collection(store: Store, level: str, ids: list[int]) -> dict | None:
    """The level's hexagon map (:mod:`lumap.data.hexmap`) as GeoJSON in the level's order:
    the layout (one per boundary vintage) with a hexagon for most of ``ids``, as the live
    map picks it; None when the build has none."""
    import json

    import shapely.geometry

    from lumap.data import boundaries, hexmap

    path = store.build.boundaries / f"{level}{hexmap.HEX_SUFFIX}"
    if not path.exists():
        return None
    topo = json.loads(path.read_text())
    wanted = set(ids)

    def members(name: str) -> int:
        return len({g["id"] for g in topo["objects"][name]["geometries"] if g.get("type")} & wanted)

    name = max(topo["objects"], key=lambda n: (members(n), n))
    shapes = boundaries.decode_topology(topo, layers=(name,))[name]
    features = [
        {
            "type": "Feature",
            "properties": dict(props),
            "geometry": shapely.geometry.mapping(g) if g is not None and not g.is_empty else None,
        }
        for props, g in shapes
    ]
    return {"type": "FeatureCollection", "features": features}


def map_picture(
    store: Store, indicator: str, period: str, level: str, scheme: str, hexagons: bool = False
) -> staticmap.Picture:
    """The map page's view as a picture: its classes, colours (a county's value standing in,
    hatched), legend (:func:`lumap.viz.legend.map_keys`, the live legend's rows and words)
    and period; ``hexagons``: on the level's hexagon map, as the page's hexagon view."""
    from lumap.analysis.combined import combined_areas
    from lumap.queries import maps

    meta = store.indicator(indicator)
    label = store.period_label(indicator, period)
    collection = store.boundaries(lv.LEVELS[level]["topo"])
    drawn = maps.features_to_draw(store, indicator, period, level)
    table = maps.map_table(store, indicator, period, level)
    missing = maps.map_missing(store, indicator, period, level, drawn)
    shown = choropleth.map_layer(
        drawn, choropleth.feature_index(collection), table, meta, scheme, label, missing=missing
    )
    members = combined_areas(table, drawn)  # combined reporting areas drawn on their members
    keys = legend.map_keys(shown.classes, table["value"].to_numpy(dtype=float), meta, missing, level, members)
    where = lv.LEVELS[level]["name"]
    hexes = hex_collection(store, level, shown.layer["ids"]) if hexagons else None
    if hexes is not None:
        where += " · hexagon map: one equal hexagon per area"
    return staticmap.layer_picture(
        hexes or collection,
        shown.layer,
        f"{meta['label']}, {label}",
        (where, str(meta.get("subtitle") or "")),
        meta["label"],
        choropleth.legend_unit(meta),
        [(k.fill, legend.key_text(k), "#666") for k in keys],
        attribution(store, meta),
        direction=legend.direction_text(meta),
        projection="mercator" if hexes is not None else "bng",
    )


def change_picture(
    store: Store, indicator: str, period_from: str, period_to: str, level: str, kind: str
) -> staticmap.Picture:
    """The change map (missions page, ``view=change``) as a picture."""
    from lumap.queries import maps, missions

    meta = store.indicator(indicator)
    l_from, l_to = store.period_label(indicator, period_from), store.period_label(indicator, period_to)
    collection = store.boundaries(lv.LEVELS[level]["topo"])
    shown = changemap.change_layer(
        maps.features_to_draw(store, indicator, period_to, level),
        choropleth.feature_index(collection),
        missions.change_table(store, indicator, period_from, period_to, level, kind),
        meta,
        kind,
        (l_from, l_to),
    )
    what = "Percent change" if kind == "percent" else "Change"
    rows = changemap.legend_rows(
        shown.classes, kind, meta, shown.basis, _not_published_shown(shown.layer, collection, meta)
    )
    return staticmap.layer_picture(
        collection,
        shown.layer,
        f"{what} in {meta['label'][:1].lower() + meta['label'][1:]}, {l_from} to {l_to}",
        (f"{lv.LEVELS[level]['name']}", str(meta.get("subtitle") or "")),
        f"{what}, {l_from} to {l_to}",
        changemap.legend_note(shown.basis),
        rows,
        attribution(store, meta),
    )
