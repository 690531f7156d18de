"""Read and validate one ELS observations CSV.

Columns are read by name (their order differs between files; one file repeats
``notes``; the NI small-area file has only ``AREANM,AREACD,Period,Observation``).
Any problem is reported as :class:`Problem` with file, line and reason, and a file with
problems is rejected whole, so a half-read dataset never reaches the store.
"""
from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass

import pandas as pd

from lumap.data.periods import PeriodError, parse_period

REQUIRED = ("areacd", "period", "observation")
OPTIONAL = ("areanm", "geography", "indicator", "measure", "unit", "lci_95", "uci_95", "status", "notes")
COLUMNS = ("areacd", "areanm", "geography", "indicator", "period", "observation",
           "measure", "unit", "lci_95", "uci_95", "status", "notes")
MAX_PROBLEMS = 20  # per file; the first ones are enough to act on


@dataclass
class Problem:
    file: str
    line: int | None
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}, line {self.line}" if self.line else self.file
        return f"{where}: {self.reason}"


def _number(text: str) -> float | None:
    """Parse a number (``3.60E-05`` included); ``None`` if it is not one."""
    try:
        x = float(text)
    except ValueError:
        return None
    return x if math.isfinite(x) else None


def read_observations(data: bytes, file: str, default_indicator: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Parse ``data`` (bytes of a CSV). Returns (frame, problems); frame is None on any problem.

    Empty observations are kept as NaN with their status (suppressed values are data too).
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [Problem(file, None, f"not UTF-8 text ({exc.reason} at byte {exc.start})")]
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        return None, [Problem(file, 1, "the file is empty: expected a header row")]
    except csv.Error as exc:
        return None, [Problem(file, 1, f"unreadable CSV header ({exc})")]

    index: dict[str, int] = {}
    for i, name in enumerate(header):
        key = name.strip().lower()
        index.setdefault(key, i)  # first of repeated names (e.g. notes,notes)
    missing = [c for c in REQUIRED if c not in index]
    if missing:
        return None, [Problem(file, 1, f"missing column(s) {', '.join(missing)}; header is {','.join(header)}")]
    dup_notes = [i for i, n in enumerate(header) if n.strip().lower() == "notes"][1:]

    rows: list[tuple] = []
    problems: list[Problem] = []
    width = len(header)
    get = {c: index.get(c) for c in COLUMNS}

    def field(rec: list[str], col: str) -> str:
        i = get[col]
        return rec[i].strip() if i is not None and i < len(rec) else ""

    try:
        for rec in reader:
            line = reader.line_num
            if not rec or all(not f.strip() for f in rec):
                continue
            if len(rec) != width:
                problems.append(Problem(file, line, f"{len(rec)} fields where the header has {width}"))
            else:
                row, reason = _row(rec, field, dup_notes, default_indicator)
                if reason:
                    problems.append(Problem(file, line, reason))
                else:
                    rows.append(row)
            if len(problems) >= MAX_PROBLEMS:
                problems.append(Problem(file, None, "too many problems; stopped reading"))
                break
    except csv.Error as exc:
        problems.append(Problem(file, reader.line_num, f"unreadable CSV ({exc})"))
    if not rows and not problems:
        problems.append(Problem(file, None, "no data rows"))
    if problems:
        return None, problems
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame["observation"] = frame["observation"].astype("float64")
    frame["lci_95"] = frame["lci_95"].astype("float64")
    frame["uci_95"] = frame["uci_95"].astype("float64")
    frame = frame.rename(columns={"observation": "value"})
    frame = frame.drop_duplicates()
    return frame, []


def _row(rec, field, dup_notes, default_indicator):
    areacd = field(rec, "areacd")
    if not areacd:
        return None, "empty areacd"
    period = field(rec, "period")
    try:
        parse_period(period)
    except PeriodError as exc:
        return None, str(exc)
    values = []
    for col in ("observation", "lci_95", "uci_95"):
        text = field(rec, col)
        if text == "":
            values.append(math.nan)
            continue
        x = _number(text)
        if x is None:
            return None, f"{col} {text!r} is not a number (expected a number or an empty field)"
        values.append(x)
    notes = field(rec, "notes")
    if not notes:
        notes = next((rec[i].strip() for i in dup_notes if i < len(rec) and rec[i].strip()), "")
    row = (
        areacd, field(rec, "areanm"), field(rec, "geography"),
        field(rec, "indicator") or default_indicator, period, values[0],
        field(rec, "measure"), field(rec, "unit"), values[1], values[2],
        field(rec, "status"), notes,
    )
    return row, None
