"""What the downloads draw from the store: a map or a change map as a static picture
(:mod:`lumap.viz.staticmap`) with the same areas and colours as the live map. No Streamlit
here; the app runs these in a worker process (``lumap.jobs``)."""

from __future__ import annotations

from lumap import config
from lumap.data import levels as lv
from lumap.data.metadata import source_links
from lumap.data.store import Store
from lumap.viz import changemap, choropleth, staticmap


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


def map_picture(store: Store, indicator: str, period: str, level: str, scheme: str) -> staticmap.Picture:
    """The map page's view as a picture: its classes, colours, legend and period."""
    from lumap.queries import maps

    meta = store.indicator(indicator)
    label = store.period_label(indicator, period)
    collection = store.boundaries(lv.LEVELS[level]["topo"])
    shown = choropleth.map_layer(
        maps.features_to_draw(store, indicator, period, level),
        choropleth.feature_index(collection),
        maps.map_table(store, indicator, period, level),
        meta,
        scheme,
        label,
    )
    rows = choropleth.legend_rows(shown.classes, meta, _not_published_shown(shown.layer, collection, meta))
    return staticmap.layer_picture(
        collection,
        shown.layer,
        f"{meta['label']}, {label}",
        (f"{lv.LEVELS[level]['name']}", str(meta.get("subtitle") or "")),
        meta["label"],
        choropleth.legend_unit(meta),
        rows,
        attribution(store, meta),
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
