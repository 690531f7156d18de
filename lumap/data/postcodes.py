"""Postcode → local authority, built from the ONS postcode directories (NSPL or ONSPD,
Open Government Licence) and looked up offline.

The source data folder has no postcode file, so the build takes one as an optional input:
``python -m lumap build --postcodes PATH`` (a CSV, a ``.zip`` as ONS publishes it, or a
folder of CSVs such as its ``Data/multi_csv``), or a ``postcodes/`` folder inside a local
source. Columns are read by name, in any case: the postcode (``pcds``, ``pcd`` or ``pcd2``),
the local authority district (``laua`` in NSPL, ``oslaua`` in ONSPD, or ``lad..cd``), and
when present the county (``cty``/``oscty``) and the date a postcode was terminated
(``doterm``). Everything else is ignored.

The store keeps ``areas/postcodes.parquet``: one row per postcode (spaces removed, upper
case), sorted, in row groups of 32,768, so a lookup reads one small row group from disk
instead of holding 2.7 million postcodes in every server process.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

FILE = "postcodes.parquet"
INFO = "postcodes.json"
ROW_GROUP = 32_768
#: Accepted column names, first match wins (compared in lower case).
POSTCODE_COLUMNS = ("pcds", "pcd", "pcd2", "postcode")
LA_COLUMNS = ("laua", "oslaua", "lad25cd", "lad24cd", "lad23cd", "lad22cd", "lad21cd", "lad20cd")
COUNTY_COLUMNS = ("cty", "oscty", "cty25cd", "cty24cd", "cty23cd")
TERMINATED_COLUMNS = ("doterm",)
#: The UK postcode shape (without its space), and the Girobank oddity.
SHAPE = re.compile(r"^(?:[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}|GIR0AA)$")
#: ONS pseudo codes for "no such area" (e.g. a unitary authority has no county).
PSEUDO = re.compile(r"^[EWSNLM]99999999$")


class PostcodeSourceError(ValueError):
    """The postcode input cannot be read; the message says what to fix."""


@dataclass(frozen=True)
class Postcode:
    postcode: str  # as written: "SW1A 1AA"
    la: str  # local authority district code
    county: str | None  # county code, None for a unitary authority
    terminated: bool


def normalise(text: str) -> str | None:
    """'sw1a 1aa ' -> 'SW1A1AA'; None when it is not shaped like a UK postcode."""
    key = re.sub(r"\s+", "", str(text or "")).upper()
    return key if SHAPE.match(key) else None


def written(key: str) -> str:
    """'SW1A1AA' -> 'SW1A 1AA' (the inward code is always the last three characters)."""
    return f"{key[:-3]} {key[-3:]}"


# ---- build -----------------------------------------------------------------------------


def _pick(names: list[str], wanted: tuple[str, ...]) -> str | None:
    low = {n.lower().strip(): n for n in names}
    return next((low[w] for w in wanted if w in low), None)


def _read_csv(data: bytes, name: str) -> pa.Table:
    try:
        head = pacsv.read_csv(
            io.BytesIO(data[:65536].rsplit(b"\n", 1)[0] + b"\n"),
            read_options=pacsv.ReadOptions(encoding="utf-8-sig"),
        ).column_names
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        raise PostcodeSourceError(f"{name}: not a readable CSV ({exc})") from None
    pcd, la = _pick(head, POSTCODE_COLUMNS), _pick(head, LA_COLUMNS)
    if pcd is None or la is None:
        raise PostcodeSourceError(
            f"{name}: expected a postcode column ({' or '.join(POSTCODE_COLUMNS)}) and a local authority "
            f"column ({' or '.join(LA_COLUMNS[:2])}) as in the ONS NSPL or ONSPD; "
            f"found {', '.join(head[:12])}"
        )
    cty, term = _pick(head, COUNTY_COLUMNS), _pick(head, TERMINATED_COLUMNS)
    columns = [c for c in (pcd, la, cty, term) if c]
    table = pacsv.read_csv(
        io.BytesIO(data),
        read_options=pacsv.ReadOptions(encoding="utf-8-sig"),
        convert_options=pacsv.ConvertOptions(
            include_columns=columns, column_types={c: pa.string() for c in columns}, strings_can_be_null=True
        ),
    )
    out = {
        "postcode": table[pcd],
        "la": table[la],
        "county": table[cty] if cty else pa.nulls(len(table), pa.string()),
        "terminated": pc.invert(pc.is_null(table[term])) if term else pa.array([False] * len(table)),
    }
    return pa.table(out)


def _inputs(path: Path) -> list[tuple[str, bytes]]:
    """(name, bytes) of every CSV the input holds: the file, the CSVs in a zip (its one UK
    file when it has one, else its per-area files), or the CSVs under a folder."""
    path = Path(path)
    if not path.exists():
        raise PostcodeSourceError(f"{path}: no such file or folder (give --postcodes the NSPL CSV or zip)")
    if path.is_dir():
        files = sorted(
            p
            for p in path.rglob("*")
            if p.suffix.lower() in (".csv", ".zip")
            and p.is_file()
            and not _documentation(str(p.relative_to(path)))
        )
        if not files:
            raise PostcodeSourceError(f"{path}: the folder has no .csv or .zip file")
        found = []
        for f in files:
            found += _inputs(f)
        return _prefer_whole(found)
    if path.suffix.lower() == ".zip":
        with zipfile.ZipFile(path) as z:
            names = z.namelist()
            members = [m for m in names if m.lower().endswith(".csv") and not _documentation(m)]
            if not members:
                raise PostcodeSourceError(f"{path}: the zip holds no CSV")
            return _prefer_whole([(f"{path.name}:{m}", z.read(m)) for m in members])
    return [(path.name, path.read_bytes())]


def _documentation(name: str) -> bool:
    """ONS ships name and code lists under ``Documents/``: not postcode files."""
    return any(part.lower() in ("documents", "user guide") for part in Path(name).parts[:-1])


def _prefer_whole(found: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """ONS zips hold the whole UK in one CSV and the same rows again split by area under
    ``multi_csv/``: read the whole file when there is one."""
    whole = [f for f in found if "multi_csv" not in f[0].lower()]
    return whole if whole and len(whole) < len(found) else found


def read_lookup(path: Path) -> pa.Table:
    """The postcode table of an NSPL/ONSPD input: postcode (normalised), la, county,
    terminated; one row per postcode (a live row wins over a terminated one), sorted."""
    table = pa.concat_tables([_read_csv(data, name) for name, data in _inputs(path)])
    keys = pc.utf8_upper(pc.replace_substring_regex(table["postcode"], r"\s+", ""))
    table = table.set_column(0, "postcode", keys)
    table = table.filter(pc.invert(pc.is_null(table["la"])))
    county = pc.if_else(pc.match_substring_regex(table["county"], PSEUDO.pattern), None, table["county"])
    table = table.set_column(2, "county", county)
    table = table.filter(pc.match_substring_regex(table["postcode"], SHAPE.pattern))
    # live before terminated, then one row per postcode
    order = pc.sort_indices(table, sort_keys=[("postcode", "ascending"), ("terminated", "ascending")])
    table = table.take(order)
    pcs = table["postcode"].to_numpy(zero_copy_only=False)
    first = np.ones(len(pcs), dtype=bool)
    first[1:] = pcs[1:] != pcs[:-1]
    return table.filter(pa.array(first))


def write_lookup(table: pa.Table, out_dir: Path, source: str) -> dict:
    """Write ``postcodes.parquet`` and ``postcodes.json`` into ``out_dir``; the summary."""
    out_dir = Path(out_dir)
    pq.write_table(
        table.replace_schema_metadata(None),
        out_dir / FILE,
        row_group_size=ROW_GROUP,
        compression="zstd",
        use_dictionary=["la", "county"],
    )
    info = {
        "source": source,
        "postcodes": table.num_rows,
        "live": table.num_rows - int(pc.sum(table["terminated"]).as_py() or 0),
        "local_authorities": len(pc.unique(table["la"])),
        "bytes": (out_dir / FILE).stat().st_size,
    }
    (out_dir / INFO).write_text(json.dumps(info, indent=1))
    return info


def build_lookup(path: Path, out_dir: Path) -> dict:
    """Read an NSPL/ONSPD input and write the store's lookup; the summary."""
    return write_lookup(read_lookup(path), out_dir, Path(path).name)


# ---- run time --------------------------------------------------------------------------


def lookup_file(areas_dir: Path) -> Path | None:
    p = Path(areas_dir) / FILE
    return p if p.exists() else None


def info(areas_dir: Path) -> dict | None:
    p = Path(areas_dir) / INFO
    return json.loads(p.read_text()) if p.exists() else None


def find(path: Path, key: str) -> Postcode | None:
    """The row of one normalised postcode, read from the one row group that can hold it."""
    table = pq.read_table(path, filters=[("postcode", "==", key)])
    if table.num_rows == 0:
        return None
    row = table.slice(0, 1).to_pylist()[0]
    return Postcode(written(key), row["la"], row["county"] or None, bool(row["terminated"]))
