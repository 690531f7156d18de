"""The Excel reader: the first worksheet of an ``.xlsx`` workbook -> cells as text with the
row each came from, like :mod:`lumap.data.csvread` does for a CSV.

- Formulas are never calculated. The file is opened with ``data_only=False``, so a formula
  cell reads as its formula, not as the value a spreadsheet program last cached (that value
  may not be the formula's, and nothing here runs a spreadsheet). A formula in a column that
  is used is a problem at its row that says how to keep the value instead.
- The zip archive is checked before anything is unpacked. A small file that unpacks to
  gigabytes, or that holds thousands of parts, is refused. The XML goes through defusedxml
  (openpyxl uses it when it is installed), so entity-expansion bombs are refused too.
- An old ``.xls``, a password-protected workbook, or a CSV renamed ``.xlsx`` each get a
  message that says what to save the file as.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import zipfile

import pandas as pd

from lumap.data import csvread
from lumap.data.csvread import REQUIRED, Sheet
from lumap.data.limits import MAX_PROBLEMS, MB
from lumap.data.problems import Collector, Problem

#: Largest workbook the build reads (bytes, packed), and what its parts may unpack to.
MAX_BYTES = 32 * MB
MAX_UNPACKED = 256 * MB
MAX_PARTS = 2_000
#: Columns read from each row (the rest of a very wide sheet is ignored).
MAX_COLUMNS = 100

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, and every password-protected workbook
_ERRORS = {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA", "#SPILL!"}


class XlsxReader:
    """Reads ``.xlsx`` observation files with the ELS column names (the interface of
    :mod:`lumap.data.readers`)."""

    suffixes: tuple[str, ...] = (".xlsx",)
    max_bytes = MAX_BYTES

    def read(self, data: bytes, file: str) -> tuple[pd.DataFrame | None, list[Problem]]:
        found = Collector(file, MAX_PROBLEMS)
        sheet = read_sheet(data, file, found)
        if sheet is None or found.has_errors:
            return None, found.done()
        names = [h.strip().lower() for h in sheet.header]
        index = csvread.header_index(names, found)
        missing = [c for c in REQUIRED if c not in index]
        if missing:
            found.error(f"missing column(s) {', '.join(missing)}; the header row is {sheet.header[:20]}", 1)
        for (row, col), reason in sorted(sheet.bad.items()):
            if col in index.values():
                found.error(reason, sheet.lines[row])
        if not sheet.rows and not found.items:
            found.error("has a header row but no data rows")
        if found.has_errors:
            return None, found.done()
        return csvread.to_table(sheet.rows, sheet.lines, index, names), found.done()


def read_sheet(data: bytes, file: str, found: Collector, max_rows: int | None = None) -> Sheet | None:
    """Every row of the workbook's first worksheet, as text, with its row number. None (and
    a problem in ``found``) when the file is not a readable workbook. A formula or an error
    cell is kept as its text and listed in ``Sheet.bad`` by (row position, column)."""
    why = _not_a_workbook(data)
    if why:
        found.error(why)
        return None
    import openpyxl  # imported here: the build and the app start without it

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or hostile file
        found.error(f"cannot be read as an Excel workbook ({type(exc).__name__}: {str(exc)[:200]})")
        return None
    try:
        sheets = book.worksheets
        if not sheets:
            found.error("has no worksheet (only chart sheets?)")
            return None
        return _cells(sheets[0], found, max_rows)
    except Exception as exc:
        found.error(f"cannot be read as an Excel workbook ({type(exc).__name__}: {str(exc)[:200]})")
        return None
    finally:
        book.close()


def _not_a_workbook(data: bytes) -> str | None:
    if not data:
        return "the file is empty"
    if data.startswith(_OLE):
        return (
            "is an old Excel 97-2003 workbook (.xls) or a password-protected one: save it as an "
            "Excel Workbook (.xlsx) without a password, or as CSV UTF-8"
        )
    if not data.startswith(b"PK"):
        return (
            "is not an Excel .xlsx workbook (an .xlsx file is a zip archive; this one is not): "
            "was a CSV renamed?"
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
            names = {p.filename for p in parts}
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        return f"is a damaged .xlsx workbook (its zip archive cannot be read: {exc})"
    if len(parts) > MAX_PARTS:
        return (
            f"holds {len(parts):,} parts; an Excel workbook of data has a few dozen (at most {MAX_PARTS:,})"
        )
    unpacked = sum(p.file_size for p in parts)
    if unpacked > MAX_UNPACKED:
        return (
            f"unpacks to {unpacked / MB:,.0f} MB; lumap reads workbooks that unpack to at most "
            f"{MAX_UNPACKED // MB} MB (save the data as CSV UTF-8 instead)"
        )
    if "[Content_Types].xml" not in names:
        return "is a zip archive but not an Excel workbook (no [Content_Types].xml)"
    return None


def _cells(ws, found: Collector, max_rows: int | None) -> Sheet | None:
    ws.reset_dimensions()  # a workbook's stated size may be wrong; read what is there
    header: list[str] | None = None
    width = 0
    rows: list[list[str]] = []
    lines: list[int] = []
    bad: dict[tuple[int, int], str] = {}
    complete = True
    seen = 0
    for number, cells in enumerate(ws.iter_rows(min_row=1, max_col=MAX_COLUMNS), 1):
        seen += 1
        if max_rows is not None and seen > 2 * max_rows + 1_000:
            found.error(f"the sheet goes on past row {number - 1:,}: lumap reads at most {max_rows:,} rows")
            complete = False
            break
        row_no = next((c.row for c in cells if getattr(c, "row", None)), number)
        texts, flags = [], {}
        for j, cell in enumerate(cells):
            text, reason = cell_text(cell)
            texts.append(text)
            if reason:
                flags[j] = f"cell {_column_letter(j)}{row_no} {reason}"
        if header is None:
            if any(t.strip() for t in texts):
                while texts and not texts[-1].strip():
                    texts.pop()
                header, width = texts, len(texts)
            continue
        if not any(t.strip() for t in texts):
            continue
        if max_rows is not None and len(rows) >= max_rows:
            found.error(f"has more than {max_rows:,} data rows; lumap reads at most {max_rows:,}")
            complete = False
            break
        texts = (texts + [""] * width)[:width]
        for j, reason in flags.items():
            if j < width:
                bad[(len(rows), j)] = reason
        rows.append(texts)
        lines.append(row_no)
    if header is None:
        found.error("the first worksheet is empty: expected a header row")
        return None
    return Sheet(header, rows, lines, complete, bad)


def cell_text(cell) -> tuple[str, str | None]:
    """(the cell as text, why it cannot be used as a value or None). Whole numbers lose
    their ``.0``; dates become ISO dates; a formula stays its formula text."""
    value = getattr(cell, "value", None)
    kind = getattr(cell, "data_type", None)
    if value is None:
        return "", None
    if kind == "f" or type(value).__name__ in ("ArrayFormula", "DataTableFormula"):
        text = str(getattr(value, "text", value))
        return text, (
            f"holds a formula ({text[:60]}): lumap does not calculate formulas. Replace the "
            "formulas by their values (copy, then Paste Special → Values) and upload again"
        )
    if kind == "e" or (isinstance(value, str) and value in _ERRORS):
        return str(value), f"holds the Excel error {value}"
    if isinstance(value, bool):
        return ("TRUE" if value else "FALSE"), None
    if isinstance(value, int):
        return str(value), None
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e15:
            return str(int(value)), None
        return repr(value), None
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat(), None
        return value.isoformat(), None
    if isinstance(value, dt.date):
        return value.isoformat(), None
    return str(value), None


def _column_letter(j: int) -> str:
    out = ""
    j += 1
    while j:
        j, r = divmod(j - 1, 26)
        out = chr(65 + r) + out
    return out
