"""The CSV reader: one ELS observations CSV -> a table of text cells with their line numbers.

Columns are read by name (their order differs between files; one file repeats ``notes``; the
NI small-area file has only ``AREANM,AREACD,Period,Observation``). This module knows the CSV
format only (encoding, quotes, header, ragged rows); what the cells must contain is checked,
the same for every format, by :func:`lumap.data.validate.observations`.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

import pandas as pd

from lumap.data import validate
from lumap.data.encoding import decode_text
from lumap.data.limits import MAX_BYTES, MAX_PROBLEMS
from lumap.data.problems import Collector, Problem

REQUIRED = ("areacd", "period", "observation")
COLUMNS = validate.COLUMNS
_FIELD_LIMIT = csv.field_size_limit()


class CsvReader:
    """Reads ``.csv`` observation files (see :mod:`lumap.data.readers` for the interface)."""

    suffixes: tuple[str, ...] = (".csv",)
    max_bytes = MAX_BYTES["observations"]

    def read(self, data: bytes, file: str) -> tuple[pd.DataFrame | None, list[Problem]]:
        text, problems = decode_text(data, file, self.max_bytes)
        if text is None:
            return None, problems
        return read_table(text, file)


@dataclass
class Sheet:
    """A file's cells as text, whatever its columns: the header, the data rows (stripped of
    nothing) and the line (or sheet row) each row starts on. ``complete`` is False when
    reading stopped early at a problem that makes the rest unreadable. ``bad``: cells that
    cannot be used as values whatever they hold (an Excel formula or error), by (row
    position, column), with the reason."""

    header: list[str]
    rows: list[list[str]]
    lines: list[int]
    complete: bool = True
    bad: dict[tuple[int, int], str] = field(default_factory=dict)


def read_table(text: str, file: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    """(table of ``COLUMNS`` as stripped text plus ``line``, problems); None on any problem."""
    found = Collector(file, MAX_PROBLEMS)
    reader = csv.reader(io.StringIO(text, newline=""))
    header, problem = _header(reader, file)
    if header is None:
        return None, [problem] if problem else []
    names = [h.strip().lower() for h in header]
    index = header_index(names, found)
    missing = [c for c in REQUIRED if c not in index]
    if missing:
        shown = ",".join(header)[:200]
        found.error(f"missing column(s) {', '.join(missing)}; the header is {validate.show(shown, 200)}", 1)
    if found.has_errors:
        return None, found.done()
    sheet = _records(reader, header, found)
    if not sheet.rows and not found.items:
        found.error("has a header but no data rows")
    if found.has_errors:
        return None, found.done()
    return to_table(sheet.rows, sheet.lines, index, names), found.done()


def read_sheet(text: str, file: str, found: Collector, max_rows: int | None = None) -> Sheet | None:
    """Every row of a CSV with any columns (an upload maps them itself). Problems of the
    file go to ``found``: a bad header gives None; a bad row is left out, with a problem at
    its line. More than ``max_rows`` data rows is a problem, and the rest is not read."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header, problem = _header(reader, file)
    if header is None:
        if problem:
            found.error(problem.reason, problem.line)
        return None
    return _records(reader, header, found, max_rows)


def _header(reader, file: str) -> tuple[list[str] | None, Problem | None]:
    try:
        return next(reader), None
    except StopIteration:
        return None, Problem(file, 1, "the file is empty: expected a header row")
    except csv.Error as exc:
        return None, Problem(file, 1, f"the header row cannot be read as CSV ({csv_error_reason(exc)})")


def _records(reader, header: list[str], found: Collector, max_rows: int | None = None) -> Sheet:
    """The data records after the header; blank lines skipped, a repeated header or a
    ragged row reported at its line, a broken quote or CSV error ends the reading."""
    names = [h.strip().lower() for h in header]
    rows: list[list[str]] = []
    lines: list[int] = []
    width = len(header)
    end = reader.line_num
    header_seen = False
    complete = True
    while not found.full:
        start = end + 1
        try:
            rec = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            found.error(f"cannot be read as CSV ({csv_error_reason(exc)})", start)
            complete = False
            break
        end = reader.line_num
        runaway = runaway_quote(rec, start, end)
        if runaway:
            found.error(runaway, start)
            complete = False
            break
        if not rec or all(not f.strip() for f in rec):
            continue
        if [f.strip().lower() for f in rec] == names:
            if not header_seen:
                found.error("repeats the header row (were two files joined together?)", start)
                header_seen = True
            continue
        if len(rec) != width:
            found.error(f"has {len(rec)} fields where the header has {width}", start)
            continue
        if max_rows is not None and len(rows) >= max_rows:
            found.error(f"has more than {max_rows:,} data rows; lumap reads at most {max_rows:,}", start)
            complete = False
            break
        rows.append(rec)
        lines.append(start)
    else:
        complete = False  # stopped at the problem limit
    return Sheet(header, rows, lines, complete)


def runaway_quote(rec: list[str], start: int, end: int) -> str | None:
    """A record read from several lines holds a line break inside quotes: almost always a
    quote without its partner, which swallows every line up to the next quote. Said at the line
    where it starts, not where the parser noticed."""
    if end > start and any("\n" in f or "\r" in f for f in rec):
        return (
            f"a quoted field starts here and runs over {end - start + 1:,} lines, to line {end:,}: "
            "a double quote is probably missing its partner (line breaks inside a field are not allowed)"
        )
    return None


def header_index(names: list[str], found: Collector) -> dict[str, int]:
    """Position of each known column. A repeated ``notes`` is an ONS quirk (the second is
    merged in); any other known column named twice is one problem, not one per row."""
    index: dict[str, int] = {}
    for i, name in enumerate(names):
        if name in index and name in COLUMNS and name != "notes":
            found.error(
                f"the header names column {name!r} twice (columns {index[name] + 1} and {i + 1}): "
                "keep one of them",
                1,
            )
        index.setdefault(name, i)
    return index


def to_table(
    rows: list[list[str]], lines: list[int], index: dict[str, int], names: list[str]
) -> pd.DataFrame:
    cells = list(zip(*rows, strict=True))
    data: dict[str, pd.Series | list[int]] = {}
    for col in COLUMNS:
        i = index.get(col)
        data[col] = pd.Series(cells[i] if i is not None else [""] * len(rows), dtype="str").str.strip()
    notes = data["notes"]
    assert isinstance(notes, pd.Series)
    for i in [i for i, n in enumerate(names) if n == "notes"][1:]:  # ``notes,notes``: first non-empty
        other = pd.Series(cells[i], dtype="str").str.strip()
        notes = notes.mask(notes == "", other)
    data["notes"] = notes
    data["line"] = lines
    return pd.DataFrame(data)


def csv_error_reason(exc: csv.Error) -> str:
    text = str(exc)
    if "field larger than field limit" in text:
        return f"a field is longer than {_FIELD_LIMIT:,} characters"
    return text


def read_observations(
    data: bytes, file: str, default_indicator: str
) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read and check one CSV: (typed frame or None, problems). Kept for callers that know
    the file is a CSV; the build goes through :func:`lumap.data.readers.read_observations`."""
    from lumap.data.readers import read_observations as read_any

    return read_any(data, file, default_indicator, reader=CsvReader())
