"""Every URL parameter parser, in one place.

A parser takes the raw text of one parameter and returns its value, or raises
``ValueError`` with the notice a reader sees; :func:`lumap.ui.state.resolve` shows the
notice and falls back to the default, so a bad link never raises. Most are built by a
factory (``parse_int("year", 1900, 2100)``) so the notice can name the parameter.
No Streamlit here: plain functions, tested directly.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping

import pandas as pd

from lumap.data import levels as lv

TRUE = ("1", "true", "yes", "on")
FALSE = ("0", "false", "no", "off")
SHOWN = 30  # characters of a bad value repeated in a notice


def _choices(options: Iterable[str]) -> str:
    """'a or b' / 'one of a, b, c'."""
    opts = list(options)
    return " or ".join(opts) if len(opts) <= 2 else "one of " + ", ".join(opts)


def parse_int(name: str, lo: int, hi: int) -> Callable[[str], int]:
    def parse(raw: str) -> int:
        try:
            v = int(raw)
        except ValueError:
            raise ValueError(
                f"{name}={raw[:SHOWN]!s} is not a number; showing the default instead."
            ) from None
        if not lo <= v <= hi:
            raise ValueError(f"{name}={v} is out of range; showing the default instead.")
        return v

    return parse


def parse_year(name: str = "year") -> Callable[[str], int]:
    """A period's start year (the URL holds years, the widgets periods)."""
    return parse_int(name, 1900, 2100)


def parse_flag(name: str) -> Callable[[str], bool]:
    def parse(raw: str) -> bool:
        low = raw.strip().lower()
        if low in TRUE:
            return True
        if low in FALSE:
            return False
        raise ValueError(f"{name}={raw[:SHOWN]} should be 1 or 0; showing the default instead.")

    return parse


def parse_choice(
    name: str, options: Iterable[str], what: str | None = None, instead: str = "the default"
) -> Callable[[str], str]:
    """One of ``options`` (exactly). The notice names ``what`` the value is ("Unknown
    geography level “moon”; use one of …") or, without it, the parameter ("vs=mars is not
    one of …"); ``instead`` says what is shown in its place."""
    opts = list(options)

    def parse(raw: str) -> str:
        if raw in opts:
            return raw
        if what:
            raise ValueError(
                f"Unknown {what} “{raw[:SHOWN]}”; use {_choices(opts)}. Showing {instead} instead."
            )
        raise ValueError(f"{name}={raw[:SHOWN]} is not one of {', '.join(opts)}; showing {instead} instead.")

    return parse


def parse_choices(what: str, options: Iterable[str], none: str = "none") -> Callable[[str], list[str]]:
    """A comma-separated list of ``options`` (any case, repeats dropped); ``none`` is the
    empty list."""
    opts = list(options)

    def parse(raw: str) -> list[str]:
        if raw.strip().lower() == none:
            return []
        chosen = [k.strip().lower() for k in raw.split(",") if k.strip()]
        bad = [k for k in chosen if k not in opts]
        if bad:
            raise ValueError(f"Unknown {what} “{bad[0][:SHOWN]}”; use {_choices(opts)}.")
        return list(dict.fromkeys(chosen))

    return parse


#: Slugs of uploaded indicators (:data:`lumap.data.upload.DATASET`) start with this.
OWN_PREFIX = "your-data-"

#: ``level=``: a geography level key.
parse_level = parse_choice("level", lv.LEVEL_ORDER, what="geography level", instead="the default")


def parse_indicator(known: Mapping[str, object] | Iterable[str]) -> Callable[[str], str]:
    """An indicator slug among ``known`` (the store's catalogue), with the closest slug as
    a hint."""
    slugs = list(known)

    def parse(raw: str) -> str:
        if raw in slugs:
            return raw
        if raw.startswith(OWN_PREFIX):
            raise ValueError(
                f"“{raw[:80]}” was uploaded in another browser session: uploaded data is never "
                "shared or kept. Upload the file again on the Your data page; showing the default."
            )
        close = difflib.get_close_matches(raw, slugs, n=1)
        hint = f" Did you mean “{close[0]}”?" if close else ""
        raise ValueError(f"Unknown indicator “{raw[:80]}”; showing the default instead.{hint}")

    return parse


def parse_code(raw: str) -> str:
    """An area code as typed: stripped and upper-cased (whether it is shown is checked
    against the view)."""
    return raw.strip().upper()


def parse_area(raw: str, catalogue: pd.DataFrame) -> str:
    """A code (any case) or an exact area name -> a code in the catalogue
    (:func:`lumap.data.areas.catalogue`); else ValueError with the closest names as a hint."""
    text = str(raw).strip()
    codes = set(catalogue["areacd"])
    if text.upper() in codes:
        return text.upper()
    by_name = catalogue[catalogue["areanm"].str.lower() == text.lower()]
    if len(by_name):
        return str(by_name["areacd"].iloc[0])  # the catalogue lists current codes first
    names = list(dict.fromkeys(catalogue["areanm"]))
    close = difflib.get_close_matches(text, names, n=3, cutoff=0.6)
    hint = f" Did you mean {', '.join(close)}?" if close else ""
    raise ValueError(f"No area with the code or name “{text[:60]}”; choose one from the list.{hint}")
