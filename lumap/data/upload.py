"""One's own figures: a CSV or Excel file with one row per area and period, checked row by
row and made into an indicator the app shows like an official one (in one session only:
:mod:`lumap.data.overlay`).

The file is read by the build's readers (:mod:`lumap.data.csvread`, :mod:`lumap.data.xlsxread`)
and its cells checked by the build's rules (:func:`lumap.data.validate.check_cells`). An
upload differs from a source file in one way: a bad row is dropped and listed, with its
line and the reason, instead of rejecting the whole file. On top come the checks against
the store's areas (:mod:`lumap.data.gazetteer`): unknown codes, codes of another boundary
vintage, names matched to codes, and one row per area and period.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field, replace

import pandas as pd

from lumap.data import csvread, validate, xlsxread
from lumap.data.build import catalogue_entry
from lumap.data.csvread import Sheet
from lumap.data.encoding import decode_text
from lumap.data.gazetteer import Gazetteer, dominant_level
from lumap.data.limits import MB
from lumap.data.metadata import slugify
from lumap.data.periods import MONTHS, PeriodError, parse_period
from lumap.data.problems import Collector

#: What one upload may be: the size is Streamlit's ``server.maxUploadSize`` too
#: (.streamlit/config.toml), checked again here for callers that are not the page.
MAX_BYTES = 10 * MB
ROW_LIMIT = 50_000
SUFFIXES = (".csv", ".xlsx")
DATASET = "your-data"
#: Every title, legend, sentence, file and image of an uploaded indicator carries this.
MARK = "your data"
NO_VALUE = "no value in your file"
MAX_LABEL = 120
MAX_UNIT = 30

#: Header names each column is guessed from (compared lower-case, punctuation as spaces).
_GUESS = {
    "areacd": (
        "areacd",
        "area code",
        "code",
        "gss code",
        "la code",
        "lad code",
        "ons code",
        "geography code",
    ),
    "areanm": ("areanm", "area name", "area", "name", "local authority", "la name", "place", "geography"),
    "period": ("period", "year", "date", "time period", "time", "financial year"),
    "value": ("value", "observation", "obs", "figure", "rate", "percentage", "count", "number", "score"),
    "lci_95": ("lci_95", "lci", "lower", "lower ci", "lower 95", "lower limit", "lower 95 ci", "lower bound"),
    "uci_95": ("uci_95", "uci", "upper", "upper ci", "upper 95", "upper limit", "upper 95 ci", "upper bound"),
}
_THOUSANDS = re.compile(r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?")
_FY = re.compile(r"(?i)(FY|AY)\s*([0-9]{4})\s*[-/–]\s*([0-9]{2}|[0-9]{4})")
_MONTH = re.compile(r"(?i)([A-Z]{3})[a-z]*\.?\s+([0-9]{4})")
_TWO_YEARS = re.compile(r"([0-9]{4})\s*[-/–]\s*([0-9]{2})")


@dataclass(frozen=True)
class Columns:
    """Which header of the file holds what ("" = none)."""

    areacd: str = ""
    areanm: str = ""
    period: str = ""
    value: str = ""
    lci_95: str = ""
    uci_95: str = ""


@dataclass(frozen=True)
class Settings:
    """What the form says about the figures."""

    label: str
    unit: str = ""
    polarity: int | None = None  # +1 higher is better, -1 lower is better, 0 neither, None not said
    decimals: int | None = None  # None: guessed from the values, as the build does
    description: str = ""


@dataclass(frozen=True)
class Rejected:
    line: int  # line of a CSV, row of a worksheet
    reason: str
    area: str = ""  # as written in the file
    period: str = ""


@dataclass(frozen=True)
class NameMatch:
    name: str  # as written
    code: str
    official: str
    rows: int


@dataclass(frozen=True)
class Preview:
    """The first look at a file: its columns, a few rows, the guessed mapping."""

    file: str
    kind: str
    header: tuple[str, ...]
    sample: tuple[tuple[str, ...], ...]
    rows: int
    errors: tuple[str, ...]
    guess: Columns


@dataclass(frozen=True)
class Report:
    """What happened to every row: shown before anything else."""

    file: str
    kind: str
    rows_read: int = 0
    rows_used: int = 0
    rejected: tuple[Rejected, ...] = ()
    errors: tuple[str, ...] = ()  # the file as a whole cannot be used
    notes: tuple[str, ...] = ()
    matched: tuple[NameMatch, ...] = ()
    unmatched: tuple[tuple[str, int, str], ...] = ()  # (name, rows, why)
    levels: tuple[tuple[str, int], ...] = ()  # (level, areas)
    periods: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors and self.rows_used > 0


@dataclass(frozen=True, eq=False)
class OwnIndicator:
    """An uploaded indicator: its catalogue record (``meta``, as the build makes one, with
    ``own`` set and the label marked "your data") and its rows with the store's columns.
    ``digest`` names its content in every cache key; ``indicator`` is its id (the source
    folder's name, or slug, it gets in "Download as source folder")."""

    indicator: str
    meta: dict
    obs: pd.DataFrame
    digest: str
    file: str
    settings: Settings = field(default_factory=lambda: Settings(""))


# ---- reading -----------------------------------------------------------------------------


def kind_of(name: str) -> str | None:
    lower = name.lower()
    return next((s for s in SUFFIXES if lower.endswith(s)), None)


def read_sheet(data: bytes, name: str, max_rows: int | None = None) -> tuple[Sheet | None, str, Collector]:
    """(sheet or None, what kind of file it was, its problems); at most ``max_rows`` data
    rows (default :data:`ROW_LIMIT`)."""
    max_rows = ROW_LIMIT if max_rows is None else max_rows
    found = Collector(name, limit=max_rows + 100)
    suffix = kind_of(name)
    if suffix is None:
        found.error(f"is not a .csv or .xlsx file; lumap reads {' and '.join(SUFFIXES)}")
        return None, "file", found
    if len(data) > MAX_BYTES:
        found.error(
            f"is {len(data) / MB:,.2f} MB, over the limit of {MAX_BYTES // MB} MB: "
            "split it, or keep fewer columns"
        )
        return None, suffix, found
    if suffix == ".xlsx":
        return xlsxread.read_sheet(data, name, found, max_rows), "Excel workbook (first sheet)", found
    if data.startswith(b"PK\x03\x04"):
        found.error(
            "is a zip archive (an Excel workbook?), not CSV text: name it .xlsx or save it as CSV UTF-8"
        )
        return None, "CSV", found
    text, problems = decode_text(data, name)
    if text is None:
        for p in problems:
            found.error(p.reason + _EXCEL_CSV_HINT if "UTF-8" in p.reason else p.reason, p.line)
        return None, "CSV", found
    if not text.strip():
        found.error("the file is empty: expected a header row and one row per area and period")
        return None, "CSV", found
    return csvread.read_sheet(text, name, found, max_rows), "CSV", found


_EXCEL_CSV_HINT = " (in Excel: Save As → “CSV UTF-8 (Comma delimited)”), or upload the .xlsx workbook"


def preview(data: bytes, name: str) -> Preview:
    sheet, kind, found = read_sheet(data, name)
    errors = _file_errors(sheet, found)
    if sheet is None:
        return Preview(name, kind, (), (), 0, errors, Columns())
    header = tuple(h.strip() for h in sheet.header)
    sample = tuple(tuple(r) for r in sheet.rows[:5])
    return Preview(name, kind, header, sample, len(sheet.rows), errors, guess_columns(header))


def guess_columns(header) -> Columns:
    """The mapping a header suggests (each header used once)."""
    keys = {h: re.sub(r"[^a-z0-9]+", " ", str(h).lower()).strip() for h in header}
    taken: set[str] = set()
    chosen = {}
    for what, names in _GUESS.items():
        for name in names:
            hit = next((h for h, k in keys.items() if k == name.replace("_", " ") and h not in taken), None)
            if hit is not None:
                chosen[what] = hit
                taken.add(hit)
                break
    return Columns(**chosen)


def _file_errors(sheet: Sheet | None, found: Collector) -> tuple[str, ...]:
    """Problems that make the file unusable: no sheet, or reading stopped part-way."""
    if sheet is None:
        return tuple(_where(p) for p in found.done())
    if not sheet.complete:
        stop = [p for p in found.items if p.line is not None][-1:] or found.items[-1:]
        return tuple(_where(p) for p in stop)
    return ()


def _where(p) -> str:
    return f"line {p.line}: {p.reason}" if p.line else p.reason


# ---- checking ----------------------------------------------------------------------------


def normal_period(text: str) -> tuple[str, str | None]:
    """A period as the store writes it, from what people type: ISO dates and intervals
    unchanged; a plain year (``2024``, or ``2024.0`` from a spreadsheet) as that calendar
    year (``2024-01-01/P1Y``, so it cannot be a second period beside the ISO form);
    ``FY 2023-24`` / ``AY 2023-24`` as the April / September year; ``Mar 2025`` as that
    month. Returns (text, why the form is ambiguous or None)."""
    t = text.strip()
    if re.fullmatch(r"[0-9]{4}(?:\.0+)?", t):
        return f"{t[:4]}-01-01/P1Y", None
    if m := _FY.fullmatch(t):
        start = 4 if m.group(1).upper() == "FY" else 9
        return f"{m.group(2)}-{start:02d}-01/P1Y", None
    if (m := _MONTH.fullmatch(t)) and m.group(1).title() in MONTHS:
        return f"{m.group(2)}-{MONTHS.index(m.group(1).title()) + 1:02d}-01/P1M", None
    if _TWO_YEARS.fullmatch(t):
        return t, (
            "could be a financial or an academic year: write FY 2023-24 (April to March), "
            "AY 2023-24 (September to August) or 2023-04-01/P1Y"
        )
    return t, None


def _number_text(text: str) -> str:
    t = text.strip()
    return t.replace(",", "") if _THOUSANDS.fullmatch(t) else t


def check(
    data: bytes,
    name: str,
    columns: Columns,
    settings: Settings,
    places: Gazetteer,
    slug: str,
) -> tuple[Report, OwnIndicator | None]:
    """Read and check an upload: the report, and the indicator made of the rows that pass
    (None when none does or the file cannot be used)."""
    sheet, kind, found = read_sheet(data, name)
    base = Report(name, kind)
    errors = _file_errors(sheet, found)
    if errors or sheet is None:
        return replace(base, errors=errors or ("cannot be read",)), None
    if not sheet.rows and not found.items:
        return replace(base, errors=("has a header row but no data rows",)), None
    setting_errors = _settings_errors(settings, columns, sheet.header)
    if setting_errors:
        return replace(base, errors=setting_errors), None

    pos = {h.strip(): i for i, h in reversed(list(enumerate(sheet.header)))}
    n = len(sheet.rows)

    def col(header_name: str) -> list[str]:
        i = pos.get(header_name) if header_name else None
        return [r[i].strip() for r in sheet.rows] if i is not None else [""] * n

    codes = [c.upper() for c in col(columns.areacd)]
    names = col(columns.areanm)
    written = col(columns.period)
    periods, period_hints = zip(*(normal_period(p) for p in written), strict=True) if n else ((), ())
    years = _years(periods)
    reasons: dict[int, list[str]] = {}

    def reject(i: int, why: str) -> None:
        reasons.setdefault(i, []).append(why)

    used_cols = {pos[h]: what for what, h in vars(columns).items() if h}
    bad_cell = set()
    for (i, j), why in sheet.bad.items():
        if j in used_cols:
            reject(i, why)
            bad_cell.add(i)
    for i, hint in enumerate(period_hints):
        if hint:
            reject(i, f"period {periods[i]!r} {hint}")

    matched, unmatched = _match_names(codes, names, years, places, reject)

    raw = pd.DataFrame({c: [""] * n for c in validate.COLUMNS})
    raw = raw.assign(
        areacd=codes,
        areanm=[places.name(c) if c else nm for c, nm in zip(codes, names, strict=True)],
        indicator=settings.label.strip(),
        period=list(periods),
        observation=[_number_text(v) for v in col(columns.value)],
        lci_95=[_number_text(v) for v in col(columns.lci_95)],
        uci_95=[_number_text(v) for v in col(columns.uci_95)],
        unit=settings.unit.strip(),
        line=sheet.lines,
    )
    cells = validate.check_cells(raw, settings.label.strip(), limit=None)
    for i, why in cells.rejected:
        said = i in reasons and (  # already said better: a name that matched nothing, a period's form
            why.startswith("areacd ''")
            or (why.startswith("period ") and period_hints[i])
            or (i in bad_cell and why.startswith(("observation ", "lci_95 ", "uci_95 ")))
        )
        if not said:
            reject(i, _upload_words(why))

    value, lci, uci = (cells.numbers[c] for c in ("observation", "lci_95", "uci_95"))
    v_, lo_, hi_ = (s.to_numpy(dtype="float64", na_value=float("nan")) for s in (value, lci, uci))
    for i in range(n):
        if i in reasons:
            continue
        code = codes[i]
        if places.get(code) is None:
            reject(i, places.unknown(code))
        elif (late := places.out_of_date(code, years[i])) is not None:
            reject(i, late)
        elif (lo_[i] > v_[i]) or (hi_[i] < v_[i]):
            reject(
                i,
                f"the 95% interval ({lo_[i]:g} to {hi_[i]:g}) is not around the value "
                f"{v_[i]:g}: check the lower and upper columns",
            )
    _twins(codes, periods, years, places, reasons, reject)
    _duplicates(codes, periods, sheet.lines, places, reasons, reject)

    rejected = [
        Rejected(sheet.lines[i], "; ".join(dict.fromkeys(why)), codes[i] or names[i], written[i])
        for i, why in sorted(reasons.items())
    ]
    rejected += [
        Rejected(p.line, p.reason) for p in found.items if p.line is not None and p.severity == "error"
    ]
    rejected.sort(key=lambda r: r.line)
    keep = [i for i in range(n) if i not in reasons]
    report = replace(
        base,
        rows_read=n + sum(1 for p in found.items if p.line is not None),
        rows_used=len(keep),
        rejected=tuple(rejected),
        matched=matched,
        unmatched=unmatched,
    )
    if not keep:
        return replace(report, errors=("no row can be used: see the reasons below",)), None
    own = _indicator(cells, keep, name, settings, slug, data, columns)
    return _summarise(report, own, value, keep, lci), own


def _settings_errors(settings: Settings, columns: Columns, header: list[str]) -> tuple[str, ...]:
    out = []
    label = settings.label.strip()
    if not label:
        out.append("give the figures a name (label)")
    elif why := validate.text_problem(label, MAX_LABEL):
        out.append(f"the label {why}")
    if why := validate.text_problem(settings.unit.strip(), MAX_UNIT):
        out.append(f"the unit {why}")
    if why := validate.text_problem(settings.description, 2000, multiline=True):
        out.append(f"the description {why}")
    names = {h.strip() for h in header}
    if not columns.period:
        out.append("choose the period column")
    if not columns.value:
        out.append("choose the value column")
    if not columns.areacd and not columns.areanm:
        out.append("choose the area code column (or, failing that, the area name column)")
    if bool(columns.lci_95) != bool(columns.uci_95):
        out.append("choose both the lower and the upper 95% limit columns, or neither")
    for what, h in vars(columns).items():
        if h and h not in names:
            out.append(f"the file has no column {h!r} (for {what})")
    chosen = [h for h in vars(columns).values() if h]
    if len(set(chosen)) != len(chosen):
        out.append("each column can be used for one thing only")
    return tuple(out)


def _years(periods) -> list[int]:
    out = []
    cache: dict[str, int] = {}
    for p in periods:
        if p not in cache:
            try:
                cache[p] = parse_period(p).start_year
            except PeriodError:
                cache[p] = 0
        out.append(cache[p])
    return out


def _match_names(codes: list[str], names: list[str], years: list[int], places: Gazetteer, reject):
    """Fill in the code of rows that give a name only; returns (matches, unmatched names)."""
    todo = [i for i, c in enumerate(codes) if not c and names[i]]
    if not todo:
        return (), ()
    level = dominant_level(c for c in codes if c)
    if level is None:  # names only: the level most unambiguous names are at
        first = [places.match(names[i], years[i] or None)[0] for i in todo]
        level = dominant_level(p.code for p in first if p)
    hits: dict[tuple[str, str], int] = {}
    misses: dict[str, tuple[int, str]] = {}
    for i in todo:
        place, why = places.match(names[i], years[i] or None, level)
        if place is None:
            reject(i, str(why))
            count, _ = misses.get(names[i], (0, ""))
            misses[names[i]] = (count + 1, str(why))
            continue
        codes[i] = place.code
        hits[(names[i], place.code)] = hits.get((names[i], place.code), 0) + 1
    matched = tuple(NameMatch(nm, code, places.name(code), k) for (nm, code), k in sorted(hits.items()))
    unmatched = tuple((nm, k, why) for nm, (k, why) in sorted(misses.items()))
    return matched, unmatched


def _twins(codes, periods, years, places: Gazetteer, reasons: dict, reject) -> None:
    """An old code and its successor in the same period: keep the one of that year's boundaries."""
    by_period: dict[str, set[str]] = {}
    for i, (c, p) in enumerate(zip(codes, periods, strict=True)):
        if i not in reasons:
            by_period.setdefault(p, set()).add(c)
    for i, (c, p) in enumerate(zip(codes, periods, strict=True)):
        if i not in reasons and (why := places.twin(c, years[i], by_period[p])):
            reject(i, why)


def _duplicates(codes, periods, lines, places: Gazetteer, reasons: dict, reject) -> None:
    """One row per area and period: the first usable one is kept."""
    first: dict[tuple[str, str], int] = {}
    for i, key in enumerate(zip(codes, periods, strict=True)):
        if i in reasons:
            continue
        if key in first:
            reject(
                i,
                f"duplicate: line {lines[first[key]]} already gives {places.name(key[0])} ({key[0]}) "
                f"for {key[1]}; one row per area and period",
            )
        else:
            first[key] = i


def _upload_words(reason: str) -> str:
    """The build's cell messages name the store's columns; an upload's reader knows them
    as the value and the limits."""
    for old, new in (
        ("observation ", "value "),
        ("lci_95 and uci_95", "the lower and upper limits"),
        ("lci_95", "lower limit"),
        ("uci_95", "upper limit"),
        ("areacd ''", "area code"),
        ("areacd ", "area code "),
        ("areanm ", "area name "),
    ):
        reason = reason.replace(old, new)
    return reason


def _indicator(cells, keep, name, settings: Settings, slug, data: bytes, columns: Columns) -> OwnIndicator:
    text, numbers = cells.text, cells.numbers
    rows = pd.DataFrame({c: text[c].iloc[keep].to_numpy() for c in validate.COLUMNS if c not in numbers})
    rows = rows.assign(
        value=numbers["observation"].iloc[keep].to_numpy(),
        lci_95=numbers["lci_95"].iloc[keep].to_numpy(),
        uci_95=numbers["uci_95"].iloc[keep].to_numpy(),
    )
    rows["notes"] = rows["notes"].mask(rows["value"].isna(), NO_VALUE)
    label = settings.label.strip()
    rows = rows[[c if c != "observation" else "value" for c in validate.COLUMNS]]
    unit = settings.unit.strip()
    meta = {
        "label": label,
        "subtitle": f"Your data, uploaded from {name}" + (f" ({unit})" if unit else ""),
        "description": settings.description.strip() or None,
        **_unit_fields(unit),
        "decimals": settings.decimals,
        "source_org": "Your upload",
        "file": name,
    }
    record, typed = catalogue_entry(DATASET, slug, rows, meta)
    record.update(
        label=f"{label} ({MARK})",
        polarity=settings.polarity,
        own=True,
        caveats=(
            "Uploaded by you in this browser session. lumap checked the codes, periods and "
            "numbers, not the figures themselves. No one else sees them, and they are gone "
            "when the session ends."
        ),
    )
    for c in ("indicator", "dataset", "areacd", "areanm", "period", "period_label", "status", "notes"):
        typed[c] = typed[c].astype("category")
    digest = hashlib.sha256(
        data + repr((columns, settings, slug)).encode("utf-8", "surrogatepass")
    ).hexdigest()[:16]
    return OwnIndicator(slug, record, typed.reset_index(drop=True), digest, name, settings)


def _unit_fields(unit: str) -> dict:
    """The store's prefix/suffix/subtext for a unit typed in the form: currency signs go
    before the number, % right after it, words after a space."""
    if not unit:
        return {"prefix": None, "suffix": None, "subtext": None}
    if unit in ("£", "$", "€"):
        return {"prefix": unit, "suffix": None, "subtext": None}
    if unit == "%":
        return {"prefix": None, "suffix": "%", "subtext": None}
    return {"prefix": None, "suffix": None, "subtext": unit}


def _summarise(report: Report, own: OwnIndicator, value, keep, lci) -> Report:
    from lumap.data import levels as lv

    obs = own.obs
    present = sorted(set(obs.loc[obs["value"].notna(), "areacd"].astype(str)))
    levels = tuple((lvl, sum(1 for c in present if lv.in_level(c, lvl))) for lvl in own.meta["levels"])
    notes = []
    empty = int(value.iloc[keep].isna().sum())
    if empty:
        notes.append(f"{empty:,} row(s) have no value: shown as “no data” for their area and period.")
    if report.matched:
        n = sum(m.rows for m in report.matched)
        notes.append(f"{n:,} row(s) gave an area name and no code: matched to codes by name (listed below).")
    if not own.meta["has_ci"]:
        notes.append("No confidence intervals: comparisons say higher or lower, never “significantly”.")
    if not own.meta["levels"]:
        notes.append("None of the areas is at a level lumap maps.")
    if lci.iloc[keep].notna().any() and lci.iloc[keep].isna().any():
        notes.append("Some rows have a 95% interval and some do not.")
    return replace(
        report,
        notes=tuple(notes),
        levels=levels,
        periods=tuple(p["label"] for p in own.meta["periods"]),
    )


# ---- the template and the source folder ------------------------------------------------


TEMPLATE_ROWS = [
    ("E06000001", "Hartlepool", "2023", "61.2", "58.1", "64.3"),
    ("E06000001", "Hartlepool", "2024", "63.0", "60.2", "65.8"),
    ("E06000002", "Middlesbrough", "2023", "57.9", "54.8", "61.0"),
    ("E06000002", "Middlesbrough", "2024", "59.4", "56.5", "62.3"),
    ("", "Redcar and Cleveland", "2024", "60.1", "", ""),
]
TEMPLATE_HEADER = ("areacd", "areanm", "period", "value", "lci_95", "uci_95")


def template_csv() -> bytes:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(TEMPLATE_HEADER)
    w.writerows(TEMPLATE_ROWS)
    return out.getvalue().encode("utf-8")


def template_xlsx() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "data"
    ws.append(list(TEMPLATE_HEADER))
    for r in TEMPLATE_ROWS:
        ws.append([r[0], r[1], int(r[2]), *(float(x) if x else None for x in r[3:])])
    notes = book.create_sheet("how to fill it in")
    for line in TEMPLATE_NOTES:
        notes.append([line])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


TEMPLATE_NOTES = (
    "One row per area and period. lumap reads the first sheet only.",
    "areacd: the GSS code (E06000001). If a row has no code, its areanm is matched to a code.",
    "period: a year (2024), a date (2024-03-31), FY 2023-24, AY 2023-24, Mar 2025, or 2023-04-01/P1Y.",
    "value: a number; leave it empty where there is no figure.",
    "lci_95, uci_95: optional lower and upper 95% confidence limits (both or neither).",
    "Values only: lumap does not calculate formulas.",
)


def default_slug(label: str, taken) -> str:
    """``your-data-<label>``, made unique among ``taken``."""
    stem = f"{DATASET}-{slugify(label)}"[:90].strip("-")
    slug, n = stem, 2
    while slug in taken:
        slug, n = f"{stem}-{n}", n + 1
    return slug
