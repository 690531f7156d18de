"""An uploaded indicator as a source folder in the ELS layout, so that ``lumap build
--source`` can add it to a store for good: ``indicators/<slug>/<slug>.csv`` (the ELS
columns) and ``<slug>.json`` (its display metadata), with a README that says how."""

from __future__ import annotations

import csv
import io
import json
import zipfile

from lumap.data.metadata import slugify
from lumap.data.upload import OwnIndicator
from lumap.data.validate import COLUMNS

ELS_COLUMNS = COLUMNS  # the source layout's columns are the store's, in the same order
#: The ELS ``geography`` label of each code prefix (lumap itself reads levels from codes).
GEOGRAPHY = {
    **dict.fromkeys(("E07", "E08", "E09", "W06", "S12", "N09"), "Local Authority District"),
    **dict.fromkeys(("E06", "E10"), "County or Unitary Authority"),
    "E47": "Combined Authority or City Region",
    "E12": "Region",
    **dict.fromkeys(("E92", "W92", "S92", "N92"), "Nation"),
}


def folder_slug(own: OwnIndicator) -> str:
    """The dataset folder (and the slug a build gives it): the label, without "your data"."""
    return slugify(own.settings.label or own.meta.get("code") or own.indicator)


def els_csv(own: OwnIndicator) -> str:
    rows = own.obs.sort_values(["start", "areacd"], kind="stable")
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(ELS_COLUMNS)
    code = str(own.meta.get("code") or own.settings.label)
    for r in rows.itertuples(index=False):
        areacd = str(r.areacd)
        w.writerow(
            [
                areacd,
                str(r.areanm),
                GEOGRAPHY.get(areacd[:3], ""),
                code,
                str(r.period),
                _number(r.value),
                "",
                str(r.unit),
                _number(r.lci_95),
                _number(r.uci_95),
                "",
                "" if str(r.notes) == "no value in your file" else str(r.notes),
            ]
        )
    return out.getvalue()


def els_json(own: OwnIndicator) -> str:
    m = own.meta
    block = {
        "label": own.settings.label,
        "subtitle": own.settings.description or own.settings.label,
        "prefix": m.get("prefix"),
        "suffix": m.get("suffix"),
        "subText": m.get("subtext"),
        "decimalPlaces": m.get("decimals"),
        "sourceOrg": "Own data (uploaded to lumap from " + own.file + ")",
        "longDescription": own.settings.description or None,
        "experimentalStatistic": "F",
    }
    return json.dumps({"ess-beta-metadata": block}, indent=2, ensure_ascii=False) + "\n"


def readme(own: OwnIndicator, slug: str) -> str:
    words = {1: "higher is better", -1: "lower is better", 0: "neutral"}
    direction = words.get(own.settings.polarity) if own.settings.polarity is not None else None
    lines = [
        f"{own.settings.label}: your data, as a lumap source folder (ELS layout).",
        "",
        f"To add it to a lumap store for good, copy the folder indicators/{slug}/ into the",
        "indicators/ folder of your source (a copy of the ONS data laid out the same way), then build:",
        "",
        "    python -m lumap build --source /path/to/your/source",
        "",
        f"The indicator then has the slug {slug!r} and is shown to everyone who uses that store,",
        'without the "your data" mark.',
    ]
    if direction:
        lines += [
            "",
            f"You said {direction}. A build takes an indicator's direction from lumap's catalogue",
            "(lumap/catalogue/), not from the folder: add a row there to keep it.",
        ]
    return "\n".join(lines) + "\n"


def source_folder(own: OwnIndicator) -> bytes:
    """The zip of the folder (``indicators/<slug>/…`` and ``README.txt``)."""
    slug = folder_slug(own)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(f"indicators/{slug}/{slug}.csv", els_csv(own))
        z.writestr(f"indicators/{slug}/{slug}.json", els_json(own))
        z.writestr("README.txt", readme(own, slug))
    return buf.getvalue()


def _number(x) -> str:
    """A float exactly as stored (the shortest text that reads back to the same number)."""
    try:
        f = float(x)
    except (TypeError, ValueError):
        return ""
    if f != f:
        return ""
    return str(int(f)) if f.is_integer() and abs(f) < 1e15 else repr(f)
