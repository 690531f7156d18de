"""The project's own indicator catalogue (``lumap/catalogue/``): which way is better for each
indicator, and where that judgement comes from. Project data, not code: reviewers edit the
CSV, and the build copies each entry into the store's catalogue.

``polarity.csv`` has one row per (dataset, indicator string of the source CSV):
``polarity`` is ``higher`` / ``lower`` (better) or ``neutral`` (no better direction);
``source`` names where the direction comes from (``missions.csv`` — the mission mapping, a
judgement from the White Paper's wording; ``ELS metadata`` — the indicator's own published
wording; ``White Paper``; ``lumap`` — our own reasoning), and ``why`` says it in a sentence.
An indicator missing from the file (a new dataset) has no direction: the app says
"higher/lower", never "better/worse".
"""

from __future__ import annotations

import csv
import functools

from lumap.data.metadata import CATALOGUE_DIR

POLARITY_FILE = CATALOGUE_DIR / "polarity.csv"
POLARITY_WORDS = {"higher": 1, "lower": -1, "neutral": 0}


def read_polarity() -> dict[tuple[str, str], dict]:
    """(dataset, indicator string) -> {polarity: 1 | -1 | 0, source, why} (fresh copies)."""
    return {k: dict(v) for k, v in _polarity().items()}


@functools.lru_cache(maxsize=1)
def _polarity() -> dict[tuple[str, str], dict]:
    out: dict[tuple[str, str], dict] = {}
    with open(POLARITY_FILE, encoding="utf-8", newline="") as f:
        for line, r in enumerate(csv.DictReader(f), start=2):
            word = (r.get("polarity") or "").strip().lower()
            if word not in POLARITY_WORDS:
                raise ValueError(
                    f"{POLARITY_FILE.name}, line {line}: polarity should be higher, lower or neutral, "
                    f"found {word!r}"
                )
            out[(r["dataset"], r["indicator"])] = {
                "polarity": POLARITY_WORDS[word],
                "source": (r.get("source") or "").strip(),
                "why": (r.get("why") or "").strip(),
            }
    return out
