"""Where data comes from and where the store lives. One place for every path and URL."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: The shared reference copy of the ONS data, beside the checkout.
SHARED_SOURCE = ROOT.parent / "shared" / "data"

#: The public ONS source, used when no local copy exists. Each entry maps a path of the
#: source layout (as in ../shared/data) to its public URL. ``{dataset}`` is filled in.
PUBLIC_SOURCE = {
    "name": "ONS Explore Local Statistics (public GitHub repositories)",
    "indicators/{dataset}/{file}": (
        "https://raw.githubusercontent.com/ONSdigital/explore-local-statistics-data/"
        "4972c588d0c192839afc8fa54ae82cb3dc7721ed/{dataset}/{file}"
    ),
    "boundaries/{file}": (
        "https://raw.githubusercontent.com/ONSdigital/explore-local-statistics-app/"
        "ca9faecc8cab26e33faff935b2b58a4fc10d6c0d/src/lib/data/{file}"
    ),
    "meta/manifest_metadata.csv": (
        "https://raw.githubusercontent.com/ONSdigital/explore-local-statistics-app/"
        "ca9faecc8cab26e33faff935b2b58a4fc10d6c0d/scripts/config/manifest_metadata.csv"
    ),
    "meta/{file}": (
        "https://raw.githubusercontent.com/ONSdigital/explore-local-statistics-app/"
        "ca9faecc8cab26e33faff935b2b58a4fc10d6c0d/src/lib/data/{file}"
    ),
    # The older boundary vintage lives at an earlier commit of the app repository.
    "boundaries/topo-2024-07-01.json": (
        "https://raw.githubusercontent.com/ONSdigital/explore-local-statistics-app/"
        "bfc464a7/src/lib/data/topo.json"
    ),
}

ATTRIBUTION = (
    "Source: Office for National Statistics licensed under the Open Government Licence v.3.0. "
    "Contains OS data © Crown copyright and database right {year}."
)
OGL_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"


def default_source() -> str:
    """``LUMAP_DATA_SOURCE``, else ../shared/data where it exists, else the public source."""
    env = os.environ.get("LUMAP_DATA_SOURCE")
    if env:
        return env
    if SHARED_SOURCE.is_dir():
        return str(SHARED_SOURCE)
    return "ons"


def data_dir() -> Path:
    """The store's root: ``LUMAP_DATA_DIR`` or ``data/`` in the checkout."""
    return Path(os.environ.get("LUMAP_DATA_DIR") or ROOT / "data").resolve()


STATIC_DIR = ROOT / "static"
