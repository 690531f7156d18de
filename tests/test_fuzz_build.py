"""Fuzz the build: hundreds of malformed sources, one file broken per case.

Each case copies the hand-made fixture source, breaks one file (CSV, metadata JSON, TopoJSON,
area file or manifest) in one way, and builds into a copy of a good store. For every case:

- the build returns a report: no traceback, whatever the input;
- every problem names a file of the source, and only the file (or dataset) that was broken;
- everything else in the store is exactly as before (the broken dataset either keeps its
  previous version or, when the input is acceptable, is rebuilt);
- no temporary file is left behind.

Then one AppTest pass opens every page on each distinct store the build accepted.
The cases are generated (a table of hostile values times the cells and fields they go in, plus
seeded random byte damage), so the count is printed by the test; it must stay >= 300.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from lumap.data.build import build

from .conftest import FIXTURE_SOURCE

APP = Path(__file__).resolve().parent.parent / "app.py"
PAY_CSV = "indicators/pay/pay.csv"
WB_CSV = "indicators/wellbeing/wellbeing.csv"
PERIODS_CSV = "indicators/periods/periods.csv"
PAY_JSON = "indicators/pay/pay.json"
WB_JSON = "indicators/wellbeing/wellbeing.json"
TOPO = "boundaries/topo.json"
MANIFEST = "meta/manifest_metadata.csv"
AREA_FILES = [
    "boundaries/geo-metadata.json",
    "meta/areas-similar.json",
    "meta/areas-clusters.json",
    "boundaries/geo-latest-year.json",
]


@dataclass(frozen=True)
class Case:
    name: str
    target: str  # the source file (or folder) that is broken
    mutate: Callable[[Path], None]
    reject: bool = False  # must be reported as a problem of the target


# ---- ways to break a file ------------------------------------------------------------------------


def _text(path: Path) -> str:
    return path.read_bytes().decode("utf-8-sig")


def set_cell(row: int, column: str, value: str) -> Callable[[Path], None]:
    """Put ``value`` (quoted as CSV needs) in one cell of a data row."""

    def go(p: Path) -> None:
        import csv
        import io

        rows = list(csv.reader(io.StringIO(_text(p), newline="")))
        col = [h.strip().lower() for h in rows[0]].index(column)
        rows[row][col] = value
        out = io.StringIO()
        csv.writer(out, lineterminator="\r\n").writerows(rows)
        p.write_text(out.getvalue(), encoding="utf-8")

    return go


def replace(old: str, new: str, count: int = 1) -> Callable[[Path], None]:
    def go(p: Path) -> None:
        p.write_bytes(p.read_bytes().replace(old.encode(), new.encode(), count))

    return go


def write(data: bytes) -> Callable[[Path], None]:
    return lambda p: p.write_bytes(data)


def transform_text(f: Callable[[str], str]) -> Callable[[Path], None]:
    return lambda p: p.write_text(f(_text(p)), encoding="utf-8")


def encode_as(encoding: str) -> Callable[[Path], None]:
    return lambda p: p.write_bytes(_text(p).encode(encoding, errors="replace"))


def json_edit(f: Callable[[dict], object]) -> Callable[[Path], None]:
    def go(p: Path) -> None:
        doc = json.loads(_text(p))
        out = f(doc)
        p.write_text(json.dumps(doc if out is None else out), encoding="utf-8")

    return go


def json_raw(text: str) -> Callable[[Path], None]:
    return lambda p: p.write_text(text, encoding="utf-8")


def delete(p: Path) -> None:
    p.unlink()


def to_folder(p: Path) -> None:
    p.unlink()
    p.mkdir()
    (p / "inner.csv").write_text("areacd,period,observation\n")


def to_symlink(target: str) -> Callable[[Path], None]:
    def go(p: Path) -> None:
        p.unlink()
        p.symlink_to(target)

    return go


def flip_bytes(seed: int, n: int) -> Callable[[Path], None]:
    def go(p: Path) -> None:
        rnd = random.Random(seed)
        data = bytearray(p.read_bytes())
        for _ in range(n):
            data[rnd.randrange(len(data))] = rnd.randrange(256)
        p.write_bytes(bytes(data))

    return go


def truncate(seed: int) -> Callable[[Path], None]:
    def go(p: Path) -> None:
        data = p.read_bytes()
        p.write_bytes(data[: random.Random(seed).randrange(1, len(data))])

    return go


def deep(n: int = 200_000) -> bytes:
    return b"[" * n + b"]" * n


# ---- the table of cases --------------------------------------------------------------------------

HOSTILE_CELLS = [
    "",
    " ",
    "NaN",
    "inf",
    "-inf",
    "1e400",
    "1e154",
    "-1e16",
    "１２",
    "0x1A",
    "1_000",
    "12,5",
    "\x00",
    "bell\x07",
    "\u202eevil",
    "A" * 100_000,
    "0000-01-01",
    "2020-01-01/P999999M",
    "2024-13-01",
    "２０２４-01-01/P1Y",
    "<script>alert(1)</script>",
    "[x](javascript:alert(1))",
    "{{ 7*7 }} {% if %}",
    '"',
    "two\nlines",
    "E06000001",
    "Hartlepool",
    "9" * 400,
    "-0",
    "1e-320",
    "+5",
    "$x^2$ :red[x]",
]
BAD_FOR = {  # values each column must reject
    "areacd": {"", " ", "\x00", "bell\x07", "\u202eevil", "A" * 100_000, "12,5", '"', "two\nlines", "１２"},
    "period": {"", "0000-01-01", "2020-01-01/P999999M", "2024-13-01", "２０２４-01-01/P1Y", "NaN", "1e400"},
    "observation": {
        "NaN",
        "inf",
        "-inf",
        "1e400",
        "1e154",
        "-1e16",
        "１２",
        "0x1A",
        "1_000",
        "12,5",
        "9" * 400,
    },
}
ALWAYS_BAD = {"\x00", "bell\x07", "\u202eevil", "A" * 100_000, "two\nlines"}

JSON_VALUES = [5, 1.5, -1, 30, None, True, [], ["x"], {}, {"a": 1}, "x" * 50_000, "nul\u0000", "NaN", 10**30]
JSON_FIELDS = ["label", "subtitle", "prefix", "suffix", "subText", "decimalPlaces", "caveats", "sourceURL"]


def json_bad(field: str, value) -> bool:
    """Whether a metadata field must reject a value."""
    if field == "decimalPlaces":
        return value is not None and not (
            isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 6
        )
    if value is None:
        return False
    if not isinstance(value, str):
        return value not in ([], {})  # an empty list or object is still the wrong type: either way
    return "\u0000" in value or (len(value) > 20_000 or (len(value) > 4000 and field != "caveats"))


def csv_cases() -> list[Case]:
    cases = []
    files = {PAY_CSV: 5, WB_CSV: 2, PERIODS_CSV: 3}
    columns = [
        "areacd",
        "areanm",
        "period",
        "observation",
        "lci_95",
        "uci_95",
        "indicator",
        "notes",
        "status",
    ]
    rnd = random.Random(10)
    for value in HOSTILE_CELLS:
        # every column the value must be refused in, and two others it may be acceptable in
        must = [c for c in columns if value in BAD_FOR.get(c, set()) or value in ALWAYS_BAD]
        rest = [c for c in columns if c not in must]
        for column in rnd.sample(must, min(4, len(must))) + rnd.sample(rest, min(2, len(rest))):
            file = rnd.choice(list(files))
            if column in ("lci_95", "uci_95") and file == PERIODS_CSV:
                file = PAY_CSV
            row = rnd.randrange(1, files[file] + 1)
            bad = value in BAD_FOR.get(column, set()) or value in ALWAYS_BAD
            if column in ("lci_95", "uci_95") and value in BAD_FOR["observation"]:
                bad = True
            cases.append(
                Case(f"{file} row {row} {column}={value[:20]!r}", file, set_cell(row, column, value), bad)
            )
    rows = _text(FIXTURE_SOURCE / PAY_CSV).splitlines()
    header = rows[0]
    structural = {
        "no header": (transform_text(lambda t: "\n".join(t.splitlines()[1:])), True),
        "duplicate column": (transform_text(lambda t: t.replace(",unit,", ",observation,", 1)), True),
        "header repeated": (transform_text(lambda t: t + header + "\n" + rows[1] + "\n"), True),
        "unbalanced quote": (replace(",Hartlepool,", ',"Hartlepool,'), True),
        "truncated mid-row": (transform_text(lambda t: t[: len(t) - 7]), False),
        "missing field": (replace(",Pounds,£,599,602,,", ",Pounds,£,599,602,"), True),
        "extra field": (replace(",Pounds,£,599,602,,", ",Pounds,£,599,602,,,"), True),
        "UTF-16": (encode_as("utf-16"), True),
        "latin-1": (encode_as("latin-1"), True),
        "binary": (write(bytes(range(256)) * 4), True),
        "empty": (write(b""), True),
        "header only": (write((header + "\n").encode()), True),
        "CR line ends": (transform_text(lambda t: t.replace("\n", "\r")), False),
        "no BOM, LF": (transform_text(lambda t: t.replace("\r\n", "\n")), False),
        "areacd/areanm swapped": (
            transform_text(lambda t: t.replace("areacd,areanm", "areanm,areacd", 1)),
            True,
        ),
        "all codes unknown": (
            transform_text(
                lambda t: "\n".join([t.splitlines()[0]] + ["X" + r[1:] for r in t.splitlines()[1:]])
            ),
            True,
        ),
        "lci/uci swapped": (transform_text(lambda t: t.replace("lci_95,uci_95", "uci_95,lci_95", 1)), True),
        "128 KB line": (transform_text(lambda t: t + "E06000001," + "x" * 140_000 + "\n"), True),
        "deleted": (delete, True),
        "folder": (to_folder, True),
        "symlink to passwd": (to_symlink("/etc/passwd"), True),
        "dangling symlink": (to_symlink("/nonexistent/pay.csv"), True),
        "symlink to other csv": (to_symlink("../wellbeing/wellbeing.csv"), True),
        "columns reordered": (transform_text(_reorder_columns), False),
        "template syntax in a name": (replace(",Hartlepool,", ",{{ 7*7 }} {% if %},"), False),
        "extra unknown column": (
            transform_text(lambda t: "\n".join(r + ",x" for r in t.splitlines())),
            False,
        ),
    }
    for name, (mutate, bad) in structural.items():
        cases.append(Case(f"{PAY_CSV} {name}", PAY_CSV, mutate, bad))
    for seed in range(24):
        file = [PAY_CSV, WB_CSV, PERIODS_CSV][seed % 3]
        cases.append(
            Case(f"{file} {1 + seed % 5} random bytes (seed {seed})", file, flip_bytes(seed, 1 + seed % 5))
        )
    for seed in range(6):
        cases.append(Case(f"{PAY_CSV} truncated (seed {seed})", PAY_CSV, truncate(seed)))
    return cases


def _reorder_columns(text: str) -> str:
    import csv
    import io

    rows = list(csv.reader(io.StringIO(text, newline="")))
    order = list(reversed(range(len(rows[0]))))
    out = io.StringIO()
    csv.writer(out).writerows([[r[i] for i in order] if len(r) == len(order) else r for r in rows])
    return out.getvalue()


def json_cases() -> list[Case]:
    cases = []
    rnd = random.Random(20)
    for field in JSON_FIELDS:
        for value in JSON_VALUES:
            file, where = rnd.choice([(PAY_JSON, "single"), (WB_JSON, "shared"), (WB_JSON, "Anxiety")])

            def edit(doc, field=field, value=value, where=where):
                block = doc["ess-beta-metadata"] if where == "single" else doc["ess-beta-metadata"][where]
                block[field] = value

            bad = json_bad(field, value)
            cases.append(Case(f"{file} {where}.{field}={str(value)[:20]!r}", file, json_edit(edit), bad))
    structural = {
        "not JSON": (json_raw("{not json"), True),
        "truncated": (transform_text(lambda t: t[: len(t) // 2]), True),
        "nested 200,000 deep": (write(deep()), True),
        "nested 50 deep": (write(b'{"a":' * 50 + b"1" + b"}" * 50), True),
        "top-level list": (json_raw("[1, 2, 3]"), True),
        "shared as text": (json_edit(lambda d: {"ess-beta-metadata": {"shared": "x", "Anxiety": {}}}), True),
        "block as list": (json_edit(lambda d: d["ess-beta-metadata"].__setitem__("Anxiety", [1, 2])), True),
        "metadata as text": (json_raw('{"ess-beta-metadata": "x"}'), True),
        "Infinity": (json_raw('{"ess-beta-metadata": {"label": "x", "decimalPlaces": Infinity}}'), True),
        "NaN": (json_raw('{"ess-beta-metadata": {"label": "x", "decimalPlaces": NaN}}'), True),
        "1e400": (json_raw('{"ess-beta-metadata": {"label": "x", "decimalPlaces": 1e400}}'), True),
        "UTF-16": (encode_as("utf-16"), True),
        "empty": (write(b""), False),
        "deleted": (delete, False),
        "symlink": (to_symlink("/etc/hostname"), True),
        "no metadata block": (json_raw('{"other": 1}'), False),
    }
    for name, (mutate, bad) in structural.items():
        file = WB_JSON if name in ("shared as text", "block as list") else PAY_JSON
        cases.append(Case(f"{file} {name}", file, mutate, bad))
    for seed in range(10):
        cases.append(
            Case(f"{WB_JSON} random bytes (seed {seed})", WB_JSON, flip_bytes(100 + seed, 1 + seed % 3))
        )
    return cases


def area_cases() -> list[Case]:
    geo, sim, clu, year = AREA_FILES
    hostile = {
        geo: [
            ("list", lambda d: [1]),
            ("entry text", lambda d: d.__setitem__("E06000001", "Hartlepool")),
            ("areanm number", lambda d: d["E06000001"].__setitem__("areanm", 7)),
            ("level text", lambda d: d["E06000001"].__setitem__("level", "ltla")),
            ("parents text", lambda d: d["E06000001"].__setitem__("parents", "E12000001")),
            ("parents numbers", lambda d: d["E06000001"].__setitem__("parents", [1, 2])),
            ("end text", lambda d: d["E06000001"].__setitem__("end", "2020")),
            ("bad code key", lambda d: d.__setitem__("bad code!", d["E06000001"])),
            ("children object", lambda d: d["E12000001"].__setitem__("children", {"a": 1})),
        ],
        sim: [
            ("kind text", lambda d: d["E06000001"].__setitem__("global", "E06000002")),
            ("codes numbers", lambda d: d["E06000001"].__setitem__("global", [1, 2])),
            ("entry list", lambda d: d.__setitem__("E06000001", ["E06000002"])),
            ("list", lambda d: ["E06000001"]),
            ("code object", lambda d: d["E06000001"].__setitem__("economic", [{"a": 1}])),
        ],
        clu: [
            ("letter number", lambda d: d["lookup"]["E06000001"].__setitem__("global", 3)),
            ("lookup list", lambda d: d.__setitem__("lookup", [1])),
            ("clusters text", lambda d: d.__setitem__("clusters", "x")),
            ("description list", lambda d: d["descriptions"]["global"].__setitem__("a", ["x"])),
            ("types object", lambda d: d.__setitem__("types", {"a": 1})),
        ],
    }
    cases = []
    for file, edits in hostile.items():
        for name, f in edits:
            cases.append(Case(f"{file} {name}", file, json_edit(f), True))
    for text in ('"2025"', '"abc"', "1e9", "-5", "[2025]", "{}", "null", "2025.5", "true", "0", "Infinity"):
        cases.append(Case(f"{year} = {text}", year, json_raw(text), True))
    for file in AREA_FILES:
        cases.append(Case(f"{file} nested 200,000 deep", file, write(deep()), True))
        cases.append(Case(f"{file} not JSON", file, json_raw("{x"), True))
        cases.append(Case(f"{file} deleted", file, delete, True))
        cases.append(Case(f"{file} UTF-16", file, encode_as("utf-16"), True))
    return cases


def topo_cases() -> list[Case]:
    def layer(d, name="ltla"):
        return d["objects"][name]["geometries"]

    edits = [
        ("no transform", lambda d: d.pop("transform"), True),
        ("transform text", lambda d: d.__setitem__("transform", "x"), True),
        ("scale zero", lambda d: d["transform"].__setitem__("scale", [0, 0]), True),
        ("scale text", lambda d: d["transform"].__setitem__("scale", ["a", "b"]), True),
        ("translate huge", lambda d: d["transform"].__setitem__("translate", [1e9, 1e9]), True),
        ("no objects", lambda d: d.pop("objects"), True),
        ("empty objects", lambda d: d.__setitem__("objects", {}), True),
        ("other layers only", lambda d: d.__setitem__("objects", {"counties": d["objects"]["ltla"]}), True),
        ("objects list", lambda d: d.__setitem__("objects", []), True),
        ("no arcs", lambda d: d.pop("arcs"), True),
        ("arcs text", lambda d: d.__setitem__("arcs", "x"), True),
        ("arc of one point", lambda d: d["arcs"].__setitem__(0, [[0, 0]]), True),
        ("arc with text", lambda d: d["arcs"][0].__setitem__(1, ["a", "b"]), True),
        ("arc fractional", lambda d: d["arcs"][0].__setitem__(1, [0.5, 0.5]), True),
        ("arc huge ints", lambda d: d["arcs"][0].__setitem__(1, [10**30, 1]), True),
        ("arc index out of range", lambda d: layer(d)[0].__setitem__("arcs", [[999]]), True),
        ("arc index negative", lambda d: layer(d)[0].__setitem__("arcs", [[-999]]), True),
        ("arcs flat", lambda d: layer(d)[0].__setitem__("arcs", [0]), True),
        ("arcs text index", lambda d: layer(d)[0].__setitem__("arcs", [["0"]]), True),
        ("geometry Point", lambda d: layer(d)[0].__setitem__("type", "Point"), True),
        ("no properties", lambda d: layer(d)[0].pop("properties"), True),
        ("areacd number", lambda d: layer(d)[0]["properties"].__setitem__("areacd", 6000001), True),
        ("areacd missing", lambda d: layer(d)[0]["properties"].pop("areacd"), True),
        ("areacd long", lambda d: layer(d)[0]["properties"].__setitem__("areacd", "E" * 100_000), True),
        ("areanm object", lambda d: layer(d)[0]["properties"].__setitem__("areanm", {"a": 1}), True),
        ("start text", lambda d: layer(d)[0]["properties"].__setitem__("start", "2020"), True),
        ("start after end", lambda d: layer(d)[2]["properties"].__setitem__("start", 2030), True),
        ("geometries text", lambda d: d["objects"]["ltla"].__setitem__("geometries", "x"), True),
        ("uk layer only", lambda d: d.__setitem__("objects", {"uk": d["objects"]["uk"]}), True),
        ("no cauth layer", lambda d: d["objects"].pop("cauth"), True),
        ("empty ltla layer", lambda d: d["objects"]["ltla"].__setitem__("geometries", []), True),
        (
            "areanm renamed",
            lambda d: layer(d)[0]["properties"].__setitem__("areanm", "Renamed <b>x</b>"),
            False,
        ),
        ("absolute coordinates", _absolute, False),
    ]
    cases = [Case(f"{TOPO} {name}", TOPO, json_edit(f), bad) for name, f, bad in edits]
    for name, mutate in {
        "not JSON": json_raw("{"),
        "nested 200,000 deep": write(deep()),
        "deleted": delete,
        "symlink": to_symlink("/etc/passwd"),
        "folder": to_folder,
        "UTF-16": encode_as("utf-16"),
    }.items():
        cases.append(Case(f"{TOPO} {name}", TOPO, mutate, True))
    for seed in range(10):
        cases.append(Case(f"{TOPO} random bytes (seed {seed})", TOPO, flip_bytes(200 + seed, 1 + seed % 4)))
    return cases


def _absolute(doc: dict) -> None:
    """The same topology unquantised (absolute lon/lat arcs, no transform): valid TopoJSON."""
    import numpy as np

    t = doc.pop("transform")
    doc["arcs"] = [
        (np.cumsum(np.asarray(a, dtype=float), axis=0) * t["scale"] + t["translate"]).tolist()
        for a in doc["arcs"]
    ]


def manifest_cases() -> list[Case]:
    header = "slug,topic,subTopic,dataset,code,include\n"
    return [
        Case(f"{MANIFEST} {name}", MANIFEST, mutate, bad)
        for name, mutate, bad in [
            (
                "latin-1",
                lambda p: p.write_bytes(_text(p).replace("economy", "économie").encode("latin-1")),
                True,
            ),
            ("UTF-16", encode_as("utf-16"), True),
            ("binary", write(bytes(range(256))), True),
            ("128 KB line", transform_text(lambda t: t + "x" * 140_000 + ",a,b,c,d,e\n"), True),
            ("missing columns", write(b"slug,topic\nx,y\n"), True),
            ("duplicate slug", transform_text(lambda t: t + "weekly-pay,x,y,wellbeing,Anxiety,true\n"), True),
            ("bad slug", replace("weekly-pay", "Weekly Pay!"), True),
            ("slug taken by another", replace("wellbeing-satisfaction", "weekly-pay"), True),
            ("empty", write(b""), False),
            ("header only", write(header.encode()), False),
            ("deleted", delete, False),
            ("unbalanced quote", transform_text(lambda t: t.replace("economy", '"economy', 1)), True),
            ("renamed slug", replace("weekly-pay", "pay-weekly"), False),
            (
                "row removed",
                transform_text(lambda t: "\n".join(t.splitlines()[:1] + t.splitlines()[2:])),
                False,
            ),
            ("control character", replace("economy", "eco\x1bnomy"), True),
            ("nested quotes", transform_text(lambda t: t + '"a""b",c,d,e,f,g\n'), False),
        ]
    ]


def dataset_cases() -> list[Case]:
    def new_folder(csv: str) -> Callable[[Path], None]:
        def go(folder: Path) -> None:
            folder.mkdir()
            (folder / f"{folder.name}.csv").write_text(csv)

        return go

    head = "areacd,areanm,geography,indicator,period,observation,measure,unit,lci_95,uci_95,status,notes\n"
    row = "E06000001,Hartlepool,UA,{ind},2024-01-01/P1Y,{v},n,n,,,,\n"
    return [
        # the new folder's indicator would take the slug of weekly pay: old links must not change meaning
        Case(
            "new folder taking slug weekly-pay",
            "indicators/newcomer",
            new_folder(head + row.format(ind="Weekly pay", v=1)),
            True,
        ),
        Case(
            "new folder, good",
            "indicators/newcomer",
            new_folder(head + row.format(ind="New thing", v=1)),
            False,
        ),
        Case("new folder, bad", "indicators/newcomer", new_folder(head + row.format(ind="New", v="x")), True),
        Case(
            "new folder, two indicators one slug",
            "indicators/newcomer",
            new_folder(head + row.format(ind="A b", v=1) + row.format(ind="A-b", v=2)),
            True,
        ),
        Case("dataset folder deleted", "indicators/pay", shutil.rmtree, True),
        Case(
            "dataset folder is a symlink",
            "indicators/pay",
            lambda p: (shutil.rmtree(p), p.symlink_to("wellbeing")),
            True,
        ),
    ]


def all_cases() -> list[Case]:
    return csv_cases() + json_cases() + area_cases() + topo_cases() + manifest_cases() + dataset_cases()


# ---- running them --------------------------------------------------------------------------------


def _fingerprint(store: Path) -> dict[str, str]:
    """Content hash of every file of the current build that pages read (build.json aside).
    The build's folders are links (lumap.data.layout): each is walked from its target."""
    root = store / "current"
    out = {}
    for name in ("indicators", "boundaries", "areas"):
        folder = (root / name).resolve()
        for p in sorted(folder.rglob("*")):
            rel = p.relative_to(folder).as_posix()
            if p.is_file() and not (name == "boundaries" and rel.startswith("areas/")):
                out[f"{name}/{rel}"] = hashlib.sha256(p.read_bytes()).hexdigest()  # parquet is deterministic
    assert out, f"nothing found in {root}"
    return out


def _owner(rel: str) -> str:
    """The source file or dataset a store file comes from."""
    parts = rel.split("/")
    if parts[0] == "indicators":
        return f"indicators/{Path(parts[-1]).stem}"
    if parts[0] == "boundaries":
        return "boundaries"
    return f"areas/{parts[-1]}"


TARGET_OWNS = {  # store files a broken source file may change
    TOPO: {"boundaries"},
    MANIFEST: {"indicators/pay", "indicators/wellbeing", "indicators/periods"},
    "boundaries/geo-metadata.json": {"areas/geo.json"},
    "meta/areas-similar.json": {"areas/similar.json"},
    "meta/areas-clusters.json": {"areas/clusters.json"},
    "boundaries/geo-latest-year.json": {"areas/latest-year.json", "boundaries"},
}


def _allowed_owners(case: Case) -> set[str]:
    if case.target.startswith("indicators/"):
        return {"/".join(case.target.split("/")[:2])}
    return TARGET_OWNS[case.target]


def _problem_is_about(problem, case: Case) -> bool:
    if case.target.startswith("indicators/"):
        folder = "/".join(case.target.split("/")[:2])
        return problem.file == folder or problem.file.startswith(folder + "/")
    if case.target == MANIFEST:  # a slug the manifest moves is reported on the dataset that would get it
        return problem.file in (MANIFEST,) or problem.file.startswith("indicators/")
    return case.target in problem.file


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz-base")
    source = root / "source"
    shutil.copytree(FIXTURE_SOURCE, source)
    store = root / "store"
    report = build(str(source), store, progress=lambda m: None)
    assert report.ok, report.problems
    return source, store, _fingerprint(store)


@pytest.fixture(scope="module")
def outcomes(base, tmp_path_factory):
    """Run every case; (case, report or traceback, fingerprint, store) per case."""
    source, store, _ = base
    work = tmp_path_factory.mktemp("fuzz")
    results = []
    for i, case in enumerate(all_cases()):
        src, dst = work / f"{i}-source", work / f"{i}-store"
        shutil.copytree(source, src, symlinks=True)
        shutil.copytree(store, dst, symlinks=True)
        case.mutate(src / case.target)
        try:
            report = build(str(src), dst, progress=lambda m: None)
        except BaseException:  # the point of the test: nothing may escape the build
            report = traceback.format_exc()
        results.append((case, report, _fingerprint(dst) if not isinstance(report, str) else {}, dst))
        shutil.rmtree(src)
    return results


def test_enough_cases():
    cases = all_cases()
    print(f"\n{len(cases)} fuzz cases")
    assert len(cases) >= 300
    assert len({c.name for c in cases}) == len(cases)


def test_no_traceback(outcomes):
    crashed = [(c.name, r[-600:]) for c, r, _, _ in outcomes if isinstance(r, str)]
    assert not crashed, crashed[:3]


def test_every_problem_names_the_broken_file(outcomes):
    wrong = []
    for case, report, _, _ in outcomes:
        if isinstance(report, str):
            continue
        for p in report.problems + report.warnings:
            if not _problem_is_about(p, case) or not p.reason:
                wrong.append((case.name, str(p)))
        if case.reject and not any(_problem_is_about(p, case) for p in report.problems):
            wrong.append((case.name, "not rejected", [str(p) for p in report.problems]))
    assert not wrong, wrong[:5]


def test_the_rest_of_the_store_is_intact(base, outcomes):
    _, _, before = base
    changed_elsewhere = []
    for case, report, after, store in outcomes:
        if isinstance(report, str):
            continue
        allowed = _allowed_owners(case)
        for rel in sorted(set(before) | set(after)):
            if before.get(rel) != after.get(rel) and _owner(rel) not in allowed:
                changed_elsewhere.append((case.name, rel))
        if report.problems and after != before:  # a rejected file keeps its previous version
            changed_elsewhere.append((case.name, "rejected, yet the store changed"))
        leftovers = [p.name for p in (store / "builds").iterdir() if p.name.startswith(".tmp")]
        if leftovers or list(store.glob(".current-*")):
            changed_elsewhere.append((case.name, f"temporary files left: {leftovers}"))
    assert not changed_elsewhere, changed_elsewhere[:5]


def _views(case: Case, slug: str) -> list[tuple[str, dict]]:
    """The pages that read what the case changed."""
    area = {"area": "E06000001", "indicator": slug}
    pages = {
        "map": ("pages/map.py", {"indicator": slug, "level": "utla", "area": "E06000001"}),
        "map-ltla": ("pages/map.py", {"indicator": slug}),
        "area": ("pages/area.py", area),
        "compare": ("pages/compare.py", {"indicator": slug, "areas": "E06000001,E06000002"}),
        "trends": ("pages/trends.py", {"indicator": slug, "areas": "E06000001"}),
        "missions": ("pages/missions.py", {}),
        "data": ("pages/data.py", {}),
    }
    if case.target.startswith("indicators/"):
        names = ["map", "area", "compare", "trends"]
    elif case.target == TOPO:
        names = ["map", "map-ltla", "area"]
    elif case.target == MANIFEST:
        names = ["map", "data", "missions"]
    else:  # geography files: comparators, similar areas, clusters, names, boundary year
        names = ["map", "area", "compare", "trends"]
    return [pages[n] for n in names]


@pytest.fixture(scope="module")
def page_failures(base, outcomes):
    """One AppTest pass: each distinct store the build accepted, the pages that read what
    changed, pointed at it (the broken dataset's indicator, an area with similar areas and
    clusters). Returns the failures."""
    from streamlit.testing.v1 import AppTest

    _, _, before = base
    seen: set[str] = set()
    stores = []
    for case, report, after, store in outcomes:
        if isinstance(report, str) or after == before:
            continue
        key = hashlib.sha256(json.dumps(after, sort_keys=True).encode()).hexdigest()
        if key not in seen:
            seen.add(key)
            stores.append((case, store))
    print(f"\n{len(stores)} distinct accepted stores")
    assert len(stores) >= 20  # the table includes plenty of acceptable inputs
    failures = []
    old = os.environ.get("LUMAP_DATA_DIR")
    from streamlit import config as st_config

    shown = st_config.get_option("client.showErrorDetails")
    st_config.set_option("client.showErrorDetails", "full")  # the exception's type in the failure
    try:
        for case, store in stores:
            os.environ["LUMAP_DATA_DIR"] = str(store)
            meta = {}
            for f in (store / "current" / "indicators" / "meta").glob("*.json"):
                for rec in json.loads(f.read_text()):
                    meta.setdefault(rec["dataset"], rec["indicator"])
            dataset = case.target.split("/")[1] if case.target.startswith("indicators/") else "pay"
            slug = meta.get(dataset) or next(iter(meta.values()), "")
            for page, params in _views(case, slug):
                at = AppTest.from_file(str(APP), default_timeout=60)
                for k, v in params.items():
                    at.query_params[k] = v
                at.switch_page(page).run()
                for e in at.exception:  # the proto keeps the exception type the page hides
                    failures.append(
                        (case.name, page, f"{e.proto.type}: {e.value}", "".join(e.stack_trace)[-300:])
                    )
    finally:
        st_config.set_option("client.showErrorDetails", shown)
        if old is None:
            os.environ.pop("LUMAP_DATA_DIR", None)
        else:
            os.environ["LUMAP_DATA_DIR"] = old
    return failures


def test_pages_open_on_every_accepted_store(page_failures):
    assert not [f[:3] for f in page_failures], page_failures[:5]
