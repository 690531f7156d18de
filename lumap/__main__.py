"""Command line: ``python -m lumap build`` and ``python -m lumap export``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lumap import config


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lumap", description="lumap data commands")
    parser.add_argument("--data-dir", help="store folder (default: $LUMAP_DATA_DIR or data/)")
    sub = parser.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="build the store from a source")
    b.add_argument(
        "--source",
        help="folder, http(s) base URL, or 'ons' "
        "(default: $LUMAP_DATA_SOURCE, else ../shared/data if present, else ons)",
    )
    b.add_argument("--data-dir", dest="data_dir_sub", help="store folder")

    e = sub.add_parser("export", help="print one map's numbers as CSV")
    e.add_argument("--indicator", required=True, help="indicator slug, e.g. gross-median-weekly-pay")
    e.add_argument("--year", type=int, help="the period starting in this year (default: latest)")
    e.add_argument("--level", default="ltla", help="ltla, utla, cauth, rgn or ctry (default ltla)")
    e.add_argument("--data-dir", dest="data_dir_sub", help="store folder")

    args = parser.parse_args(argv)
    data_dir = Path(args.data_dir_sub or args.data_dir or config.data_dir())

    if args.command == "build":
        from lumap.data.build import build
        from lumap.data.source import SourceError

        try:
            report = build(args.source, data_dir)
        except SourceError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        if report.problems:
            print(
                f"\n{len(report.problems)} problem(s); rejected files were not written "
                f"(previous version kept for: {', '.join(report.datasets_kept) or 'none'}):",
                file=sys.stderr,
            )
            for p in report.problems:
                print(f"  - {p}", file=sys.stderr)
            return 1
        return 0

    from lumap.data.store import Store, StoreMissing
    from lumap.queries.export import ExportError, export_csv

    try:
        store = Store(data_dir)
        sys.stdout.write(export_csv(store, args.indicator, args.year, args.level))
    except (StoreMissing, ExportError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
