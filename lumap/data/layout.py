"""Where the store lives on disk, how a build is published atomically, and how old builds
are pruned without deleting files a running server still reads. No Streamlit here.

::

    data/indicators/README.md                  (in git)
    data/indicators/<build>/obs/<dataset>.parquet, meta/<dataset>.json
    data/indicators/<build>/views.pkl           the missions page's default views, precomputed
    data/boundaries/README.md                  (in git)
    data/boundaries/<build>/<level>.geojson, successors.json
    data/boundaries/<build>/areas/*.json        geography metadata, similar areas, clusters
    data/builds/<build>/build.json              the build's report (when, from where, problems)
    data/builds/<build>/indicators, boundaries, areas -> the folders above (relative links)
    data/current -> builds/<build>              swapped with one atomic rename
    data/leases/<build>/<host>.<pid>.<n>        one file per reader (an open Store) of a build
    data/.build.lock                            one build at a time

A build is written under ``builds/.tmp-<build>/`` and *published*: its folders move into
``indicators/`` and ``boundaries/`` and ``current`` is re-pointed with one ``rename``, so a
reader sees the old build or the new one, never a mixture, and a killed build leaves the
old store as it was.

**Pruning.** A build is deleted only when it is neither current nor the one before it
(kept so a dataset that fails validation can keep its previous version) *and* no live
reader holds a lease on it. A reader (``Store``) takes its lease before it reads a file
and drops it when it is garbage-collected or its process exits; a lease whose process is
gone (same host) or that was not refreshed for ``LEASE_TTL`` (another host sharing the
store) is stale. The prune renames the build's report folder away first, re-checks the
leases, and only then deletes, while a reader checks that the report folder is still
there after taking its lease: whichever comes second sees the other. A build that every
server has let go of is deleted by the next build (or ``python -m lumap.data.layout
prune``).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import re
import shutil
import socket
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

#: The store format this code reads. Bump it whenever a build must be redone for the app
#: to work (new files, columns or encodings); an older store then counts as missing, so
#: `make store` / `make run` rebuild it and the app says to run `lumap build`.
#: 1: before the number was written; 2: quantised TopoJSON per level (#12), slug registry;
#: 3: hexagon maps of ltla and utla (#12's view option).
#: 4: boundaries/overlaps.json (the same-place rule, lumap.data.lineage), polarity sources.
#: 5: indicators/views.pkl, the missions page's default views (lumap.precomputed).
STORE_FORMAT = 5
#: A lease from another host counts as live this long after its last refresh.
LEASE_TTL = 15 * 60
#: How often a reader refreshes its lease (Store.keep_alive), at most.
LEASE_REFRESH = 60
_BUILD_ID = re.compile(r"^\d{8}T\d{6,12}$")
_HOST = re.sub(r"[^A-Za-z0-9_-]", "_", socket.gethostname()) or "host"
_counter = itertools.count(1)


@dataclass(frozen=True)
class Build:
    """One published build of the store in ``data_dir``."""

    data_dir: Path
    id: str

    @classmethod
    def from_key(cls, key: str) -> Build:
        path = Path(key)
        return cls(path.parent.parent, path.name)

    @property
    def key(self) -> str:
        """Stable text naming this build of this store (the caches' key)."""
        return str(self.folder)

    @property
    def folder(self) -> Path:
        """``builds/<id>``: the report, and links to the data folders."""
        return self.data_dir / "builds" / self.id

    @property
    def report(self) -> Path:
        return self.folder / "build.json"

    @property
    def indicators(self) -> Path:
        return self._data("indicators", self.data_dir / "indicators" / self.id)

    @property
    def boundaries(self) -> Path:
        return self._data("boundaries", self.data_dir / "boundaries" / self.id)

    @property
    def areas(self) -> Path:
        return self._data("areas", self.data_dir / "boundaries" / self.id / "areas")

    def _data(self, name: str, path: Path) -> Path:
        # a store built before data/indicators and data/boundaries existed (everything
        # under builds/<id>/) is still read, until the next build replaces it
        legacy = self.folder / name
        if not path.is_dir() and legacy.is_dir() and not legacy.is_symlink():
            return legacy
        return path

    def published(self) -> bool:
        return self.report.is_file() and (self.indicators / "meta").is_dir()

    @property
    def format(self) -> int:
        """The store format the build was written in (1 when its report does not say)."""
        try:
            value = json.loads(self.report.read_text()).get("format", 1)
        except (OSError, ValueError, AttributeError):
            return 1
        return value if isinstance(value, int) else 1

    def outdated(self) -> bool:
        return self.format < STORE_FORMAT


def current(data_dir: Path) -> Build | None:
    """The build ``current`` points at, if it is complete; None when there is no store."""
    data_dir = Path(data_dir)
    try:
        target = os.readlink(data_dir / "current")
    except OSError:
        return None
    build = Build(data_dir, Path(target).name)
    return build if build.published() else None


def builds(data_dir: Path) -> list[str]:
    """Ids of the published builds, oldest first."""
    folder = Path(data_dir) / "builds"
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if _BUILD_ID.match(p.name))


# ---- writing ---------------------------------------------------------------------------------


@contextlib.contextmanager
def build_lock(data_dir: Path) -> Iterator[None]:
    """One build of a store at a time (a second one waits): two builds would prune or
    clean up each other's half-written folders."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock, as before
        yield
        return
    with open(data_dir / ".build.lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def publish(data_dir: Path, tmp: Path, build_id: str) -> Build:
    """Move a finished build from ``tmp`` (``indicators/``, ``boundaries/``, ``areas/``,
    ``build.json``) into place and point ``current`` at it. Each step is a rename; until
    the last one readers see only the previous build."""
    data_dir = Path(data_dir)
    build = Build(data_dir, build_id)
    _replace_legacy_links(data_dir)
    moves = [
        ("indicators", data_dir / "indicators" / build_id),
        ("boundaries", data_dir / "boundaries" / build_id),
        ("areas", data_dir / "boundaries" / build_id / "areas"),
    ]
    for name, dest in moves:
        dest.parent.mkdir(parents=True, exist_ok=True)
        src = tmp / name
        if src.is_dir():
            os.rename(src, dest)
        else:
            dest.mkdir(parents=True, exist_ok=True)
        os.symlink(os.path.relpath(dest, tmp), tmp / name)
    os.rename(tmp, build.folder)
    swap(data_dir, build)
    return build


def swap(data_dir: Path, build: Build) -> None:
    """Point ``current`` at ``build`` with one atomic rename."""
    link = data_dir / "current"
    tmp_link = data_dir / f".current-{os.getpid()}"
    if tmp_link.is_symlink() or tmp_link.exists():
        tmp_link.unlink()
    os.symlink(os.path.relpath(build.folder, data_dir), tmp_link)
    os.replace(tmp_link, link)


def _replace_legacy_links(data_dir: Path) -> None:
    """Before data/indicators and data/boundaries were folders they were links into
    ``current`` (and ``areas`` was one too); readers of such a store go through
    ``builds/<id>/``, so the links can go."""
    for name in ("indicators", "boundaries", "areas"):
        p = data_dir / name
        if p.is_symlink():
            p.unlink()
    for name in ("indicators", "boundaries"):
        (data_dir / name).mkdir(exist_ok=True)


def prune(data_dir: Path, keep: set[str]) -> list[str]:
    """Delete every build that is not in ``keep`` and has no live reader; returns the ids
    deleted. Also removes what killed builds and earlier prunes left behind."""
    data_dir = Path(data_dir)
    deleted = []
    for build_id in builds(data_dir):
        if build_id in keep or live_leases(data_dir, build_id):
            continue
        folder = data_dir / "builds" / build_id
        trash = data_dir / "builds" / f".trash-{build_id}"
        try:
            os.rename(folder, trash)  # readers that come after this see the build is gone
        except OSError:
            continue
        if live_leases(data_dir, build_id):  # a reader came in between: leave it be
            os.rename(trash, folder)
            continue
        _delete_build_files(data_dir, build_id)
        shutil.rmtree(trash, ignore_errors=True)
        deleted.append(build_id)
    _sweep(data_dir, set(builds(data_dir)))
    return deleted


def _delete_build_files(data_dir: Path, build_id: str) -> None:
    for folder in (data_dir / "indicators" / build_id, data_dir / "boundaries" / build_id):
        shutil.rmtree(folder, ignore_errors=True)
    shutil.rmtree(data_dir / "leases" / build_id, ignore_errors=True)


def _sweep(data_dir: Path, published: set[str]) -> None:
    """Data folders of no published build (a build killed between its renames, or an
    interrupted prune) and empty lease folders."""
    for parent in ("indicators", "boundaries"):
        folder = data_dir / parent
        if folder.is_dir():
            for p in folder.iterdir():
                if p.is_dir() and _BUILD_ID.match(p.name) and p.name not in published:
                    if not live_leases(data_dir, p.name):
                        shutil.rmtree(p, ignore_errors=True)
    builds_dir = data_dir / "builds"
    if builds_dir.is_dir():
        for p in builds_dir.glob(".trash-*"):
            if p.name[7:] not in published:
                shutil.rmtree(p, ignore_errors=True)
    leases = data_dir / "leases"
    if leases.is_dir():
        for p in leases.iterdir():
            if p.is_dir() and not any(p.iterdir()) and p.name not in published:
                with contextlib.suppress(OSError):
                    p.rmdir()


# ---- readers' leases ---------------------------------------------------------------------------


class Lease:
    """A reader's claim on one build: while it is held, no prune deletes the build."""

    def __init__(self, build: Build):
        folder = build.data_dir / "leases" / build.id
        self.path: Path | None = folder / f"{_HOST}.{os.getpid()}.{next(_counter)}"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self.path.write_text(f"{time.time():.0f}\n")
        except OSError:  # a read-only store: readable, but then its builders must not prune it
            self.path = None
        self._touched = time.monotonic()

    def keep_alive(self) -> None:
        """Refresh the lease (at most every LEASE_REFRESH seconds): what keeps a lease of
        another host live."""
        if self.path is not None and time.monotonic() - self._touched >= LEASE_REFRESH:
            self._touched = time.monotonic()
            with contextlib.suppress(OSError):
                os.utime(self.path)

    def release(self) -> None:
        if self.path is not None:
            with contextlib.suppress(OSError):
                self.path.unlink()


def live_leases(data_dir: Path, build_id: str) -> list[Path]:
    """Leases on a build whose reader is alive; stale ones are removed."""
    folder = Path(data_dir) / "leases" / build_id
    if not folder.is_dir():
        return []
    live = []
    for p in folder.iterdir():
        if _alive(p):
            live.append(p)
        else:
            with contextlib.suppress(OSError):
                p.unlink()
    return live


def _alive(lease: Path) -> bool:
    host, _, rest = lease.name.partition(".")
    pid_text = rest.partition(".")[0]
    if host == _HOST and pid_text.isdigit():
        try:
            os.kill(int(pid_text), 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    try:
        return time.time() - lease.stat().st_mtime < LEASE_TTL
    except OSError:
        return False


# ---- command line --------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """``python -m lumap.data.layout check|prune DATA_DIR``: is a complete store there (what
    ``make store`` asks), or delete the builds no reader holds."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2 or args[0] not in ("check", "prune"):
        print("usage: python -m lumap.data.layout check|prune DATA_DIR", file=sys.stderr)
        return 2
    data_dir = Path(args[1])
    build = current(data_dir)
    if args[0] == "check":
        if build is None:
            print(f"No store in {data_dir}", file=sys.stderr)
            return 1
        if build.outdated():
            print(
                f"The store in {data_dir} (build {build.id}) was written by an older lumap "
                f"(format {build.format}; this code reads format {STORE_FORMAT}): it must be rebuilt",
                file=sys.stderr,
            )
            return 1
        print(f"Store present in {data_dir}: build {build.id}")
        return 0
    with build_lock(data_dir):
        ids = builds(data_dir)
        previous = [i for i in ids if build is None or i < build.id][-1:]
        gone = prune(data_dir, {build.id if build else "", *previous})
    print(f"Deleted {len(gone)} build(s) no reader holds: {', '.join(gone) or 'none'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
