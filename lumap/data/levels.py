"""Geography levels, chosen by GSS code prefix (never by the CSV's ``geography`` label).

A code can belong to several levels: a unitary authority (E06) is both lower tier
(``ltla``) and upper tier (``utla``).
"""

from __future__ import annotations

LEVELS: dict[str, dict] = {
    "ltla": {
        "name": "Local authority districts (lower tier)",
        "short": "lower-tier areas",
        "prefixes": ("E06", "E07", "E08", "E09", "W06", "S12", "N09", "E67"),
        "topo": "ltla",
    },
    "utla": {
        "name": "Counties and unitary authorities (upper tier)",
        "short": "upper-tier areas",
        "prefixes": ("E06", "E08", "E09", "E10", "W06", "S12", "N09", "E67"),
        "topo": "utla",
    },
    "cauth": {
        "name": "Combined authorities",
        "short": "combined authorities",
        "prefixes": ("E47",),
        "topo": "cauth",
    },
    "rgn": {
        "name": "Regions (and Wales, Scotland, Northern Ireland)",
        "short": "regions and nations",
        "prefixes": ("E12", "W92", "S92", "N92"),
        "topo": "rgn",
    },
    "ctry": {
        "name": "Countries of the UK",
        "short": "countries",
        "prefixes": ("E92", "W92", "S92", "N92"),
        "topo": "ctry",
    },
}

DEFAULT_LEVEL = "ltla"
LEVEL_ORDER = ["ltla", "utla", "cauth", "rgn", "ctry"]

UK = "K02000001"
#: The four nations of the UK, by the first letter of their GSS codes, in the ONS order.
NATIONS = {"E": "England", "W": "Wales", "S": "Scotland", "N": "Northern Ireland"}
#: Each nation's own code (its country code; Wales, Scotland and NI are regions too).
NATION_CODES = {"E": "E92000001", "W": "W92000004", "S": "S92000003", "N": "N92000002"}
#: Codes of countries (E92 England and the three nations), and of regions (E12 and the
#: three nations, which are their own region-equivalents, as in ELS).
COUNTRY_PREFIXES = LEVELS["ctry"]["prefixes"]
REGION_PREFIXES = LEVELS["rgn"]["prefixes"]


def levels_of(areacd: str) -> list[str]:
    """Every level whose prefixes include this code (``[]`` for ITL, police areas, ...)."""
    code = str(areacd)
    return [lvl for lvl in LEVEL_ORDER if code[:3] in LEVELS[lvl]["prefixes"]]


def in_level(areacd: str, level: str) -> bool:
    return str(areacd)[:3] in LEVELS[level]["prefixes"]


def country_of(areacd: str) -> str | None:
    """Country code for a GSS code, from its first letter (E/W/S/N)."""
    return NATION_CODES.get(str(areacd)[:1])
