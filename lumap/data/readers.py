"""Source formats: one reader per format, chosen by the file name.

A reader turns a file's bytes into a table of text cells, one column per name in
:data:`lumap.data.validate.COLUMNS` plus ``line`` (where the row is in the file, for
messages), and a list of :class:`~lumap.data.problems.Problem`::

    class MyReader:
        suffixes = (".xlsx",)
        max_bytes = 64 * 1024 * 1024
        def read(self, data: bytes, file: str) -> tuple[pd.DataFrame | None, list[Problem]]: ...

    register(MyReader())

Everything after that (numbers, periods, codes, intervals, text) is checked once, for every
format, by :func:`lumap.data.validate.observations`; the build asks this module which files
of a dataset folder are observations and never names a format itself.
"""

from __future__ import annotations

from typing import Protocol

import pandas as pd

from lumap.data import validate
from lumap.data.csvread import CsvReader
from lumap.data.problems import Problem
from lumap.data.xlsxread import XlsxReader


class Reader(Protocol):
    suffixes: tuple[str, ...]
    max_bytes: int

    def read(self, data: bytes, file: str) -> tuple[pd.DataFrame | None, list[Problem]]: ...


_READERS: dict[str, Reader] = {}


def register(reader: Reader) -> None:
    """Make a format readable by the build (a later registration of a suffix wins)."""
    for suffix in reader.suffixes:
        _READERS[suffix.lower()] = reader


def suffixes() -> tuple[str, ...]:
    return tuple(_READERS)


def reader_for(name: str) -> Reader | None:
    lower = name.lower()
    return next((r for s, r in _READERS.items() if lower.endswith(s)), None)


def is_observation_file(name: str) -> bool:
    return reader_for(name) is not None


def stem(name: str) -> str:
    """``indicators/pay/pay.csv`` -> ``pay``."""
    base = name.rsplit("/", 1)[-1]
    lower = base.lower()
    suffix = next((s for s in _READERS if lower.endswith(s)), "")
    return base[: len(base) - len(suffix)] if suffix else base


def read_observations(
    data: bytes, file: str, default_indicator: str, reader: Reader | None = None
) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read ``data`` with the reader for ``file`` and check it: (typed frame or None, problems).

    Empty observations are kept as NaN with their status (suppressed values are data too).
    """
    reader = reader or reader_for(file)
    if reader is None:
        return None, [
            Problem(file, None, f"no reader for this kind of file (lumap reads {', '.join(suffixes())})")
        ]
    if len(data) > reader.max_bytes:
        mb = reader.max_bytes // (1024 * 1024)
        return None, [Problem(file, None, f"is {len(data) / 1024 / 1024:,.1f} MB; the limit is {mb:,} MB")]
    raw, problems = reader.read(data, file)
    if raw is None:
        return None, problems
    frame, checked = validate.observations(raw, file, default_indicator)
    return frame, problems + checked


register(CsvReader())
register(XlsxReader())
