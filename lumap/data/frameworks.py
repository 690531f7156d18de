"""The catalogues a missions page can show: the Levelling Up missions (``missions.csv``) and
the Local Outcomes Framework (``lof_outcomes.csv`` with its source in ``lof_source.json``).
Project data under lumap/catalogue/, read once per process. No Streamlit here."""

from __future__ import annotations

import csv
import functools
import json
from dataclasses import dataclass

from lumap.data.metadata import CATALOGUE_DIR, read_mission_catalogue

CATALOGUES = {"missions": "Levelling Up missions (2022)", "lof": "Local Outcomes Framework (2026)"}


@dataclass(frozen=True)
class Group:
    """One mission or one priority outcome: its number, short name, aim, and the store
    indicators (slugs) that measure it. ``match``: how they relate to the group's own
    published metrics ("same", "related", "none"); ``note`` says more."""

    number: int
    short: str
    aim: str
    indicators: tuple[str, ...]
    match: str = "same"
    note: str = ""
    metrics: str = ""


@functools.lru_cache(maxsize=1)
def lof_source() -> dict:
    """Name, publisher, title, date, URL and the transcription note of the LOF catalogue."""
    return json.loads((CATALOGUE_DIR / "lof_source.json").read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=1)
def lof_groups() -> tuple[Group, ...]:
    with open(CATALOGUE_DIR / "lof_outcomes.csv", encoding="utf-8") as f:
        return tuple(
            Group(
                number=int(r["outcome_no"]),
                short=r["outcome"].strip(),
                aim=r["ambition"].strip(),
                indicators=tuple(s.strip() for s in (r.get("indicators") or "").split(";") if s.strip()),
                match=(r.get("match") or "none").strip(),
                note=(r.get("store_note") or "").strip(),
                metrics=(r.get("metrics_published") or "").strip(),
            )
            for r in csv.DictReader(f)
        )


def mission_groups(indicators_by_mission: dict[int, list[str]]) -> tuple[Group, ...]:
    """The 12 missions with the store's indicators of each (ordered as given)."""
    missions, _ = read_mission_catalogue()
    return tuple(
        Group(m["mission"], m["short"], m["aim"], tuple(indicators_by_mission.get(m["mission"], [])))
        for m in missions
    )
