"""Indicator metadata: dataset JSON (two ELS shapes, plus CSV-cubed), manifest slugs, missions."""
from __future__ import annotations

import csv
import functools
import io
import json
import re
import unicodedata
from pathlib import Path

CATALOGUE_DIR = Path(__file__).resolve().parent.parent / "catalogue"

_FIELDS = {
    "label": "label", "subtitle": "subtitle", "longDescription": "description",
    "caveats": "caveats", "prefix": "prefix", "suffix": "suffix", "subText": "subtext",
    "decimalPlaces": "decimals", "sourceOrg": "source_org", "sourceURL": "source_url",
    "sourceDate": "source_date", "experimentalStatistic": "experimental",
    "standardised": "standardised",
}


def slugify(text: str) -> str:
    """``'Gross median weekly pay'`` -> ``'gross-median-weekly-pay'``."""
    t = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", t.lower()).strip("-") or "indicator"


def _clean(block: dict) -> dict:
    out = {}
    for key, name in _FIELDS.items():
        if key in block:
            v = block[key]
            if name in ("experimental", "standardised") and isinstance(v, str):
                v = v.strip().upper() in ("T", "TRUE", "Y", "YES")
            if name == "decimals" and v is not None:
                try:
                    v = int(v)
                except (TypeError, ValueError):
                    v = None
            out[name] = v
    return out


def parse_dataset_json(data: bytes | None, file: str) -> tuple[dict, dict, list[str]]:
    """Returns (shared fields, {indicator string: fields}, problems).

    Shapes: ``ess-beta-metadata`` with ``label`` (single indicator), or with ``shared``
    plus one block per CSV ``indicator`` string, or a CSV-cubed ``title``/``summary`` file.
    """
    if not data:
        return {}, {}, []
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        return {}, {}, [f"{file}{', line ' + str(line) if line else ''}: not valid JSON ({exc})"]
    meta = doc.get("ess-beta-metadata") if isinstance(doc, dict) else None
    if isinstance(meta, dict):
        if "label" in meta or "shared" not in meta:
            return _clean(meta), {}, []
        blocks = {k: _clean(v) for k, v in meta.items() if k != "shared" and isinstance(v, dict)}
        return _clean(meta.get("shared") or {}), blocks, []
    if isinstance(doc, dict) and "title" in doc:
        return {
            "label": doc.get("title"), "subtitle": doc.get("summary"),
            "description": doc.get("description"),
            "source_org": "Office for National Statistics" if "ons" in str(doc.get("creator", "")) else None,
        }, {}, []
    return {}, {}, []


def source_links(meta: dict) -> list[tuple[str, str]]:
    """``sourceOrg``/``sourceURL`` hold ``|``-separated lists; pair them up."""
    orgs = str(meta.get("source_org") or "").split("|")
    urls = str(meta.get("source_url") or "").split("|")
    n = max(len(orgs), len(urls))
    out = []
    for i in range(n):
        org = orgs[i].strip() if i < len(orgs) else ""
        url = urls[i].strip() if i < len(urls) else ""
        if org or url:
            out.append((org or url, url))
    return out


def read_manifest(data: bytes | None) -> dict[tuple[str, str], dict]:
    """(dataset, indicator string) -> {slug, topic, subtopic}."""
    if not data:
        return {}
    out = {}
    for r in csv.DictReader(io.StringIO(data.decode("utf-8-sig"))):
        if r.get("dataset") and r.get("code"):
            out[(r["dataset"], r["code"])] = {
                "slug": (r.get("slug") or "").strip(),
                "topic": (r.get("topic") or "").strip(),
                "subtopic": (r.get("subTopic") or "").strip(),
            }
    return out


def read_mission_catalogue() -> tuple[list[dict], dict[tuple[str, str], dict]]:
    """The project's mission catalogue (read once per process; callers get fresh copies)."""
    missions, mapping = _mission_catalogue()
    return [dict(m) for m in missions], {k: dict(v) for k, v in mapping.items()}


@functools.lru_cache(maxsize=1)
def _mission_catalogue() -> tuple[list[dict], dict[tuple[str, str], dict]]:
    """The project's mission catalogue.

    Returns (missions 1-12 with number, short name, pillar, aim, and
    {(dataset, indicator string): {mission, polarity}}). Polarity: +1 higher is better,
    -1 lower is better, 0 neutral.
    """
    missions = []
    with open(CATALOGUE_DIR / "missions.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            missions.append({
                "mission": int(r["mission_no"]), "short": r["mission_short"],
                "pillar": r["pillar"], "aim": r["aim"],
            })
    mapping = {}
    with open(CATALOGUE_DIR / "mission_indicators.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            hib = (r.get("higher_is_better") or "").strip().lower()
            polarity = 1 if hib == "true" else -1 if hib == "false" else 0
            mapping[(r["dataset"], r["indicator"])] = {"mission": int(r["mission_no"]), "polarity": polarity}
    return missions, mapping
