"""The geography files the pages read: checked against the shape the app relies on.

``geo-metadata.json`` (names, levels, parents), ``areas-similar.json`` (nearest neighbours),
``areas-clusters.json`` and ``cluster-descriptions.json`` (clusters and their texts) and
``geo-latest-year.json`` (the year the current boundaries are valid for). A file of the wrong
shape is rejected whole with the JSON path of each wrong value; the build then keeps the
previous version of that file.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lumap.data.jsonfile import Checker, load_json
from lumap.data.limits import MAX_BYTES, MAX_PARAGRAPHS
from lumap.data.problems import Problem

MAX_AREAS = 100_000


def _entries(check: Checker, doc: Any, what: str) -> list[tuple[str, Any]]:
    """(code, value) of an object keyed by area code."""
    top = check.object(doc, [], what)
    if top is None:
        return []
    if len(top) > MAX_AREAS:
        check.fail([], f"has {len(top):,} areas; at most {MAX_AREAS:,} are allowed")
        return []
    out = []
    for code, value in top.items():
        if check.full:
            break
        if check.code(code, [code]) is not None:
            out.append((code, value))
    return out


def check_geo_metadata(doc: Any, check: Checker) -> None:
    for code, entry in _entries(check, doc, "an object of areas keyed by area code"):
        g = check.object(entry, [code], "an object with areanm, level, parents and children")
        if g is None:
            continue
        if "areacd" in g:
            check.code(g["areacd"], [code, "areacd"])
        check.text(g.get("areanm"), [code, "areanm"], max_len=200, optional=False, nonempty=True)
        levels = check.array(g.get("level", []), [code, "level"], "a list of level names", 20)
        for i, lv in enumerate(levels or []):
            check.text(lv, [code, "level", i], max_len=20, optional=False)
        for key in ("parents", "children"):
            check.codes(g.get(key, []), [code, key])
        start, end = check.year(g.get("start"), [code, "start"]), check.year(g.get("end"), [code, "end"])
        if start is not None and end is not None and start > end:
            check.fail([code], f"starts in {start}, after it ends in {end}")


def check_similar(doc: Any, check: Checker) -> None:
    for code, entry in _entries(check, doc, "an object of areas keyed by area code"):
        kinds = check.object(entry, [code], "an object of lists (global, economic, demographic)")
        for kind, codes in (kinds or {}).items():
            check.text(kind, [code, kind], max_len=40, optional=False)
            check.codes(codes, [code, kind], max_items=1000)


def check_clusters(doc: Any, check: Checker) -> None:
    top = check.object(doc, [], "an object with types, keys, lookup, clusters and descriptions")
    if top is None:
        return
    for i, t in enumerate(check.array(top.get("types", []), ["types"], "a list of cluster types", 50) or []):
        check.text(t, ["types", i], max_len=40, optional=False)
    for kind, letters in (check.object(top.get("keys", {}), ["keys"]) or {}).items():
        for i, letter in enumerate(
            check.array(letters, ["keys", kind], "a list of cluster letters", 100) or []
        ):
            check.text(letter, ["keys", kind, i], max_len=10, optional=False)
    lookup = top.get("lookup", {})
    for code, kinds in _entries(check, lookup, "an object of areas keyed by area code"):
        for kind, letter in (
            check.object(kinds, ["lookup", code], "an object of cluster letters") or {}
        ).items():
            check.text(letter, ["lookup", code, kind], max_len=10, optional=False)
    for kind, groups in (check.object(top.get("clusters", {}), ["clusters"]) or {}).items():
        for letter, codes in (check.object(groups, ["clusters", kind]) or {}).items():
            check.codes(codes, ["clusters", kind, letter])
    check_descriptions(top.get("descriptions", {}), check, ["descriptions"])


def check_descriptions(doc: Any, check: Checker, path: list | None = None) -> None:
    path = path or []
    for kind, texts in (check.object(doc, path, "an object of cluster types") or {}).items():
        for letter, text in (
            check.object(texts, [*path, kind], "an object of texts by cluster letter") or {}
        ).items():
            check.text(text, [*path, kind, letter], max_len=MAX_PARAGRAPHS, multiline=True, optional=False)


def check_latest_year(doc: Any, check: Checker) -> None:
    check.year(doc, [], optional=False)


#: source path -> (stored name, checker)
AREA_FILES: dict[str, tuple[str, Callable[[Any, Checker], None]]] = {
    "boundaries/geo-metadata.json": ("geo.json", check_geo_metadata),
    "meta/areas-similar.json": ("similar.json", check_similar),
    "meta/areas-clusters.json": ("clusters.json", check_clusters),
    "meta/clusters/cluster-descriptions.json": ("cluster-descriptions.json", check_descriptions),
    "boundaries/geo-latest-year.json": ("latest-year.json", check_latest_year),
}


def read_area_file(path: str, data: bytes) -> tuple[Any, list[Problem]]:
    """(document or None, problems) for one of :data:`AREA_FILES` (a JSON ``null`` is a
    document too, and a wrong one)."""
    doc, problems = load_json(data, path, MAX_BYTES["areas"])
    if problems:
        return None, problems
    check = Checker(path)
    AREA_FILES[path][1](doc, check)
    return (doc if check.ok else None), check.problems
