"""Indicator metadata: dataset JSON (two ELS shapes, plus CSV-cubed), manifest slugs, missions.

Every problem is a :class:`~lumap.data.problems.Problem` naming the file and the JSON path or line.
"""

from __future__ import annotations

import csv
import functools
import io
import re
import unicodedata
from pathlib import Path

from lumap.data.csvread import csv_error_reason, runaway_quote
from lumap.data.encoding import decode_text
from lumap.data.jsonfile import Checker, kind, load_json
from lumap.data.limits import MAX_BYTES, MAX_DECIMALS, MAX_LINE_TEXT, MAX_PARAGRAPHS
from lumap.data.problems import Collector, Problem
from lumap.data.validate import show, text_problem

CATALOGUE_DIR = Path(__file__).resolve().parent.parent / "catalogue"

# JSON field -> (catalogue name, how it is checked)
_FIELDS = {
    "label": "label",
    "subtitle": "subtitle",
    "longDescription": "description",
    "caveats": "caveats",
    "prefix": "prefix",
    "suffix": "suffix",
    "subText": "subtext",
    "decimalPlaces": "decimals",
    "sourceOrg": "source_org",
    "sourceURL": "source_url",
    "sourceDate": "source_date",
    "experimentalStatistic": "experimental",
    "standardised": "standardised",
}
_PARAGRAPHS = {"longDescription", "caveats"}  # may hold line breaks (Markdown paragraphs)
_SHORT = {"prefix": 40, "suffix": 40, "subText": 200}
_FLAGS = {
    "T": True,
    "TRUE": True,
    "Y": True,
    "YES": True,
    "F": False,
    "FALSE": False,
    "N": False,
    "NO": False,
    "": None,
}
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_SLUG = 100


def slugify(text: str) -> str:
    """``'Gross median weekly pay'`` -> ``'gross-median-weekly-pay'``."""
    t = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", t.lower()).strip("-")[:MAX_SLUG].strip("-") or "indicator"


def _clean(block: dict, check: Checker, path: list) -> dict:
    """The catalogue fields of one metadata block, each checked for what the pages need."""
    out: dict = {}
    for key, name in _FIELDS.items():
        if key not in block:
            continue
        v, at = block[key], [*path, key]
        if name in ("experimental", "standardised"):
            out[name] = _flag(v, check, at)
        elif name == "decimals":
            out[name] = (
                None
                if v is None
                else check.integer(v, at, 0, MAX_DECIMALS, "a whole number of decimal places")
            )
        elif key == "label":
            out[name] = check.text(v, at, max_len=200, nonempty=True)
        elif key == "sourceURL":
            out[name] = _urls(v, check, at)
        else:
            out[name] = check.text(
                v,
                at,
                max_len=MAX_PARAGRAPHS if key in _PARAGRAPHS else _SHORT.get(key, MAX_LINE_TEXT),
                multiline=key in _PARAGRAPHS,
            )
    return out


def _flag(v, check: Checker, at: list) -> bool | None:
    if v is None or isinstance(v, bool):
        return v
    if isinstance(v, str) and v.strip().upper() in _FLAGS:
        return _FLAGS[v.strip().upper()]
    check.fail(at, f'should be "T" or "F" (or true/false), found {kind(v)}')
    return None


def _urls(v, check: Checker, at: list) -> str | None:
    """``sourceURL``: one or more ``|``-separated web addresses. A part that is not http(s) is
    a warning: the pages show it as text, never as a link (lumap.escape.md_link)."""
    text = check.text(v, at, max_len=4000)
    for part in (text or "").split("|"):
        if part.strip() and not part.strip().lower().startswith(("https://", "http://")):
            check.warn(
                at,
                f"{show(part.strip())} is not a web address (expected https://…): shown as text, not a link",
            )
    return text


def parse_dataset_json(data: bytes | None, file: str) -> tuple[dict, dict, list[Problem]]:
    """Returns (shared fields, {indicator string: fields}, problems).

    Shapes: ``ess-beta-metadata`` with ``label`` (single indicator), or with ``shared``
    plus one block per CSV ``indicator`` string, or a CSV-cubed ``title``/``summary`` file.
    Every field the pages show is checked (text where text is expected, decimal places 0-6,
    web addresses in ``sourceURL``); any problem rejects the dataset.
    """
    if not data:
        return {}, {}, []
    doc, problems = load_json(data, file, MAX_BYTES["metadata"])
    if problems:
        return {}, {}, problems
    check = Checker(file)
    if check.object(doc, [], 'an object with an "ess-beta-metadata" block') is None:
        return {}, {}, check.problems
    root = "ess-beta-metadata"
    if root in doc:
        meta = check.object(doc[root], [root], "an object of fields")
        if meta is None:
            return {}, {}, check.problems
        if "label" in meta or "shared" not in meta:
            shared, blocks = _clean(meta, check, [root]), {}  # type: dict, dict[str, dict]
        else:
            shared_block = check.object(meta["shared"], [root, "shared"], "an object of fields")
            shared = _clean(shared_block or {}, check, [root, "shared"])
            blocks = {}
            for k, v in meta.items():
                if (
                    k != "shared"
                    and check.object(v, [root, k], "an object of fields for that indicator") is not None
                ):
                    blocks[k] = _clean(v, check, [root, k])
    elif "title" in doc:  # CSV-cubed / DCAT
        shared = {
            "label": check.text(doc.get("title"), ["title"], max_len=200),
            "subtitle": check.text(doc.get("summary"), ["summary"], max_len=MAX_PARAGRAPHS, multiline=True),
            "description": check.text(
                doc.get("description"), ["description"], max_len=MAX_PARAGRAPHS, multiline=True
            ),
            "source_org": "Office for National Statistics" if "ons" in str(doc.get("creator", "")) else None,
        }
        blocks = {}
    else:
        return {}, {}, []
    if not check.ok:
        return {}, {}, check.problems
    return shared, blocks, check.problems


def source_links(meta: dict) -> list[tuple[str, str]]:
    """``sourceOrg``/``sourceURL`` hold ``|``-separated lists; pair them up."""
    orgs = str(meta.get("source_org") or "").split("|")
    urls = str(meta.get("source_url") or "").split("|")
    n = max(len(orgs), len(urls))
    out = []
    for i in range(n):
        org = orgs[i].strip() if i < len(orgs) else ""
        url = urls[i].strip() if i < len(urls) else ""
        if org or url:
            out.append((org or url, url))
    return out


def read_manifest(data: bytes | None, file: str = "meta/manifest_metadata.csv") -> tuple[dict, list[Problem]]:
    """(dataset, indicator string) -> {slug, topic, subtopic}, and the problems.

    A row with a malformed slug, or a slug given to two indicators, is a problem; the other
    rows are still used. A manifest that cannot be read at all gives ({}, problems).
    """
    if not data:
        return {}, []
    text, problems = decode_text(data, file, MAX_BYTES["manifest"])
    if text is None:
        return {}, problems
    found = Collector(file)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        fields = [f.strip() for f in reader.fieldnames or []]
    except csv.Error as exc:
        return {}, [Problem(file, 1, f"the header row cannot be read as CSV ({exc})")]
    missing = [c for c in ("dataset", "code") if c not in fields]
    if missing:
        return {}, [
            Problem(
                file,
                1,
                f"missing column(s) {', '.join(missing)}; the header is {show(','.join(fields), 200)}",
            )
        ]
    out: dict[tuple[str, str], dict] = {}
    owner: dict[str, tuple[str, str]] = {}
    line = 1
    while not found.full:
        start = line + 1
        try:
            r = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            found.error(f"cannot be read as CSV ({csv_error_reason(exc)})", start)
            break
        line = reader.line_num
        runaway = runaway_quote([v for v in r.values() if isinstance(v, str)], start, line)
        if runaway:
            found.error(runaway, start)
            break
        r = {(k or "").strip(): v for k, v in r.items() if isinstance(v, str)}
        dataset, code, slug = (r.get(c, "").strip() for c in ("dataset", "code", "slug"))
        if not dataset or not code:
            continue
        bad = next(
            (
                f"{c} {show(v)} {why}"
                for c, v in r.items()
                if c in _MANIFEST_TEXT
                for why in [text_problem(v, 200)]
                if why
            ),
            None,
        )
        if bad:
            found.error(bad, start)
            continue
        if slug and (len(slug) > MAX_SLUG or not _SLUG.fullmatch(slug)):
            found.error(
                f"slug {show(slug)} is not a URL slug: use lower-case letters, digits and single hyphens "
                f"(e.g. gross-median-weekly-pay), at most {MAX_SLUG} characters",
                start,
            )
            continue
        if slug and owner.get(slug, (dataset, code)) != (dataset, code):
            other = owner[slug]
            found.error(
                f"slug {show(slug)} is given to {show(code)} of {show(dataset)} and also to "
                f"{show(other[1])} of {show(other[0])}: each indicator needs its own slug",
                start,
            )
            continue
        if slug:
            owner[slug] = (dataset, code)
        out[(dataset, code)] = {
            "slug": slug,
            "topic": r.get("topic", "").strip(),
            "subtopic": r.get("subTopic", "").strip(),
        }
    return out, found.done()


_MANIFEST_TEXT = ("slug", "topic", "subTopic", "dataset", "code", "include")


def read_mission_catalogue() -> tuple[list[dict], dict[tuple[str, str], dict]]:
    """The project's mission catalogue (read once per process; callers get fresh copies)."""
    missions, mapping = _mission_catalogue()
    return [dict(m) for m in missions], {k: dict(v) for k, v in mapping.items()}


@functools.lru_cache(maxsize=1)
def _mission_catalogue() -> tuple[list[dict], dict[tuple[str, str], dict]]:
    """The project's mission catalogue.

    Returns (missions 1-12 with number, short name, pillar, aim, and
    {(dataset, indicator string): {mission, polarity}}). Polarity: +1 higher is better,
    -1 lower is better, 0 neutral.
    """
    missions = []
    with open(CATALOGUE_DIR / "missions.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            missions.append(
                {
                    "mission": int(r["mission_no"]),
                    "short": r["mission_short"],
                    "pillar": r["pillar"],
                    "aim": r["aim"],
                }
            )
    mapping = {}
    with open(CATALOGUE_DIR / "mission_indicators.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            hib = (r.get("higher_is_better") or "").strip().lower()
            polarity = 1 if hib == "true" else -1 if hib == "false" else 0
            mapping[(r["dataset"], r["indicator"])] = {"mission": int(r["mission_no"]), "polarity": polarity}
    return missions, mapping
