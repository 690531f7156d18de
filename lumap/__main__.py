"""Command line: ``lumap build``, ``lumap list`` and ``lumap export`` (also ``python -m lumap …``).

Every error names the command that fixes it, with the same ``--data-dir`` when one was given.
"""

from __future__ import annotations

import argparse
import difflib
import shlex
import sys
from pathlib import Path

from lumap import config

SOURCES = ("ons",)  # named sources; anything else is a folder or an http(s) URL


def _prog() -> str:
    """How the user ran us: ``lumap`` (the console script) or ``python -m lumap``."""
    return "lumap" if Path(sys.argv[0]).name == "lumap" else "python -m lumap"


class Fix(Exception):
    """An error with the command line that fixes it (``argv`` after the program name)."""

    def __init__(self, message: str, argv: list[str] | None = None):
        super().__init__(message)
        self.argv = argv


def _command(argv: list[str], data_dir: str | None) -> str:
    extra = ["--data-dir", data_dir] if data_dir else []
    return " ".join([_prog(), *(shlex.quote(a) for a in [*argv, *extra])])


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=_prog(), description="lumap data commands")
    parser.add_argument("--data-dir", help="store folder (default: $LUMAP_DATA_DIR or data/)")
    sub = parser.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="build the store from a source")
    b.add_argument(
        "--source",
        help="folder, http(s) base URL, or 'ons' "
        "(default: $LUMAP_DATA_SOURCE, else ../shared/data if present, else ons)",
    )
    b.add_argument("--data-dir", dest="data_dir_sub", help="store folder")
    b.add_argument(
        "--drop",
        action="append",
        default=[],
        metavar="DATASET",
        help="leave a dataset out on purpose (one that vanished from the source is otherwise kept)",
    )
    b.add_argument(
        "--postcodes",
        metavar="PATH",
        help="ONS postcode directory (NSPL or ONSPD: CSV, zip or folder) for the map's postcode search "
        "(default: a postcodes/ folder in the source, else the previous build's lookup)",
    )

    ls = sub.add_parser("list", help="list the indicators: slug, levels, periods, mission")
    ls.add_argument("--data-dir", dest="data_dir_sub", help="store folder")

    e = sub.add_parser("export", help="print one map's numbers as CSV")
    e.add_argument("--indicator", required=True, help="indicator slug (see `lumap list`)")
    e.add_argument("--year", type=int, help="the latest period starting in this year (default: latest)")
    e.add_argument(
        "--period",
        help="the exact period, as the app's links name it: 2025-10, 2023-04-01/P1Y or its label "
        "('FY 2023-24'); wins over --year",
    )
    e.add_argument("--level", default="ltla", help="ltla, utla, cauth, rgn or ctry (default ltla)")
    e.add_argument("--data-dir", dest="data_dir_sub", help="store folder")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    given = args.data_dir_sub or args.data_dir  # as typed, for the commands we suggest
    data_dir = Path(given or config.data_dir())
    try:
        if args.command == "build":
            return _build(args.source, data_dir, given, args.drop, args.postcodes)
        if args.command == "list":
            return _list(data_dir)
        return _export(args, data_dir)
    except Fix as exc:
        print(f"error: {exc}", file=sys.stderr)
        if exc.argv is not None:
            print(f"Run: {_command(exc.argv, given)}", file=sys.stderr)
        return 2


def _check_source(spec: str | None) -> None:
    """A source that is neither a named source, a URL nor an existing folder: say which
    named source it resembles (``onz`` -> ``ons``)."""
    if not spec or spec in SOURCES or spec.startswith(("http://", "https://")) or Path(spec).exists():
        return
    close = difflib.get_close_matches(spec.lower(), SOURCES, n=1, cutoff=0.5)
    if close:
        raise Fix(f"unknown source {spec!r}; did you mean {close[0]!r}?", ["build", "--source", close[0]])
    raise Fix(
        f"no folder {spec!r}: --source takes a folder laid out like ../shared/data, an http(s) "
        "base URL, or 'ons' for the public ONS source",
        ["build", "--source", "ons"],
    )


def _build(
    source: str | None, data_dir: Path, given: str | None, drop: list[str], postcodes: str | None = None
) -> int:
    from lumap.data.build import build
    from lumap.data.source import SourceError

    _check_source(source)
    try:
        report = build(source, data_dir, drop=drop, postcodes=postcodes)
    except SourceError as exc:
        other = "ons" if (source or config.default_source()) != "ons" else str(config.SHARED_SOURCE)
        raise Fix(str(exc), ["build", "--source", other]) from exc
    if report.warnings:
        print(f"\n{len(report.warnings)} warning(s); the data was used:", file=sys.stderr)
        for p in report.warnings:
            print(f"  - {p}", file=sys.stderr)
    if report.problems:
        print(
            f"\n{len(report.problems)} problem(s); rejected files were not written "
            f"(previous version kept for: {', '.join(report.datasets_kept) or 'none'}):",
            file=sys.stderr,
        )
        for p in report.problems:
            print(f"  - {p}", file=sys.stderr)
        again = _command(["build", *(["--source", source] if source else [])], given)
        print(f"Fix the files named above, then run: {again}", file=sys.stderr)
        return 1
    return 0


def _open_store(data_dir: Path):
    from lumap.data.store import Store, StoreMissing

    try:
        return Store(data_dir)
    except StoreMissing as exc:
        raise Fix(f"no lumap store in {data_dir}", ["build"]) from exc


def _list(data_dir: Path) -> int:
    """One line per indicator: slug, levels, periods (first–latest, count), mission."""
    store = _open_store(data_dir)
    rows = []
    for indicator, m in sorted(store.meta.items(), key=lambda kv: (kv[1].get("mission") or 99, kv[0])):
        periods = m.get("periods") or []
        span = f"{periods[0]['label']}–{periods[-1]['label']} ({len(periods)})" if periods else "none"
        mission = f"M{m['mission']}" if m.get("mission") else "–"
        rows.append((indicator, ",".join(m.get("levels") or []) or "–", span, mission, m.get("label", "")))
    head = ("indicator", "levels", "periods", "mission", "label")
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(4)]
    out = sys.stdout
    for r in [head, *rows]:
        out.write("  ".join(c.ljust(w) for c, w in zip(r[:4], widths, strict=True)) + "  " + r[4] + "\n")
    usage = "export --indicator SLUG [--year YYYY | --period PERIOD] [--level LEVEL]"
    out.write(f"\n{len(rows)} indicators. Export one: {_prog()} {usage}\n")
    return 0


def _export(args, data_dir: Path) -> int:
    from lumap.queries.export import ExportError, export_csv

    store = _open_store(data_dir)
    try:
        sys.stdout.write(export_csv(store, args.indicator, args.year, args.level, args.period))
    except ExportError as exc:
        raise Fix(str(exc), exc.argv) from exc
    return 0


def run() -> int:
    """The console script: ``main`` with a closed pipe (``lumap list | head``) not an error."""
    try:
        return main()
    except BrokenPipeError:
        sys.stderr.close()  # the reader has gone; nothing more to say
        return 0


if __name__ == "__main__":
    sys.exit(run())
