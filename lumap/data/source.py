"""A data source laid out like ``../shared/data``: a local folder or an http(s) base URL.

Paths are always the layout's relative paths (``indicators/<dataset>/<dataset>.csv``);
the source decides how to fetch them.
"""

from __future__ import annotations

import csv
import io
import re
import stat
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from lumap import config
from lumap.data import readers
from lumap.data.limits import MAX_BYTES


class SourceError(Exception):
    """The source itself is unusable (missing folder, unreachable URL)."""


class FileRefused(SourceError):
    """One file of the source is there but cannot be used; the build reports it as a
    problem of that file and carries on."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path, self.reason = path, reason


class Source:
    name: str

    def read(self, path: str, max_bytes: int | None = None) -> bytes | None:
        """The file's bytes, or None when the source has no such file. Raises
        :class:`SourceError` when it is there but cannot be used (a folder or a symbolic link
        where a file should be, larger than ``max_bytes``, unreachable)."""
        raise NotImplementedError

    def datasets(self) -> list[str]:
        """Every dataset folder in the source."""
        raise NotImplementedError

    def observation_files(self, dataset: str) -> list[str]:
        """Observation files of a dataset, in any format :mod:`lumap.data.readers` reads:
        ``<dataset>.<suffix>``, else every such file in the folder."""
        raise NotImplementedError

    def boundary_files(self) -> list[str]:
        """TopoJSON boundary files, the current one (``topo.json``) first, then older vintages."""
        raise NotImplementedError

    def json_path_for(self, dataset: str, obs_path: str) -> str | None:
        """The display metadata belonging to an observation file: ``<stem>.json``, else
        ``<dataset>.json``; None when there is neither."""
        for path in (
            f"indicators/{dataset}/{readers.stem(obs_path)}.json",
            f"indicators/{dataset}/{dataset}.json",
        ):
            if self.exists(path):
                return path
        return None

    def exists(self, path: str) -> bool:
        try:
            return self.read(path, max_bytes=MAX_BYTES["metadata"]) is not None
        except SourceError:
            return True  # there, but unusable: reading it reports why


class FolderSource(Source):
    def __init__(self, root: str | Path):
        self.root = Path(root).resolve()
        self.name = str(self.root)
        if not (self.root / "indicators").is_dir():
            raise SourceError(
                f"{self.root} is not a data source: expected a folder with indicators/, "
                "boundaries/ and meta/ (laid out like ../shared/data)"
            )

    def read(self, path: str, max_bytes: int | None = None) -> bytes | None:
        p = self.root / path
        try:
            st = p.lstat()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise FileRefused(path, f"cannot be read ({exc.strerror})") from exc
        if stat.S_ISLNK(st.st_mode):
            raise FileRefused(
                path,
                "is a symbolic link; lumap reads only regular files from a source folder (copy "
                "the file in instead)",
            )
        if stat.S_ISDIR(st.st_mode):
            raise FileRefused(path, "is a folder, not a file")
        if not stat.S_ISREG(st.st_mode):
            raise FileRefused(path, "is not a regular file")
        if max_bytes is not None and st.st_size > max_bytes:
            raise FileRefused(
                path,
                f"is {st.st_size / 2**20:,.1f} MB; the limit for this kind of file is "
                f"{max_bytes / 2**20:,.0f} MB",
            )
        try:
            with open(p, "rb") as fh:
                data = fh.read(max_bytes + 1) if max_bytes is not None else fh.read()
        except OSError as exc:
            raise FileRefused(path, f"cannot be read ({exc.strerror})") from exc
        if max_bytes is not None and len(data) > max_bytes:  # grew while we looked
            raise FileRefused(path, f"is larger than {max_bytes / 2**20:,.0f} MB")
        return data

    def datasets(self) -> list[str]:
        """Every dataset folder; a symbolic link in ``indicators/`` counts too (reading it
        then says why it is refused)."""
        return sorted(
            p.name
            for p in (self.root / "indicators").iterdir()
            if (p.is_dir() or p.is_symlink()) and not p.name.startswith(".")
        )

    def boundary_files(self) -> list[str]:
        folder = self.root / "boundaries"
        if not folder.is_dir():
            return []
        names = sorted((p.name for p in folder.glob("topo*.json")), key=_vintage_order)
        return [f"boundaries/{n}" for n in names]

    def observation_files(self, dataset: str) -> list[str]:
        """Files of the dataset folder that a reader takes (regular or not: a folder or a link
        named ``pay.csv`` is listed, and reading it says why it is refused)."""
        folder = self.root / "indicators" / dataset
        if folder.is_symlink():
            raise FileRefused(f"indicators/{dataset}", "is a symbolic link; lumap reads only real folders")
        try:
            names = sorted(p.name for p in folder.iterdir() if readers.is_observation_file(p.name))
        except OSError as exc:
            raise FileRefused(f"indicators/{dataset}", f"cannot be listed ({exc.strerror})") from exc
        main = [n for n in names if readers.stem(n) == dataset]
        return [f"indicators/{dataset}/{n}" for n in (main[:1] or names)]


class HttpSource(Source):
    """A base URL with the same layout. A URL can't be listed, so the datasets are
    those named in ``meta/manifest_metadata.csv`` and ``missions.csv``."""

    def __init__(self, base: str, templates: dict | None = None, timeout: float = 60):
        self.base = base.rstrip("/")
        self.templates = templates or {}
        self.timeout = timeout
        self.name = self.templates.get("name", self.base)
        self._cache: dict[str, bytes | None] = {}

    def url(self, path: str) -> str:
        if path in self.templates:
            return self.templates[path]
        parts = path.split("/")
        if parts[0] == "indicators" and len(parts) == 3:
            tpl = self.templates.get("indicators/{dataset}/{file}")
            if tpl:
                return tpl.format(dataset=parts[1], file=parts[2])
        elif len(parts) == 2:
            tpl = self.templates.get(f"{parts[0]}/{{file}}")
            if tpl:
                return tpl.format(file=parts[1])
        return f"{self.base}/{path}"

    def read(self, path: str, max_bytes: int | None = None) -> bytes | None:
        if path not in self._cache:
            try:
                with urllib.request.urlopen(self.url(path), timeout=self.timeout) as r:
                    data = r.read(max_bytes + 1) if max_bytes is not None else r.read()
                    if max_bytes is not None and len(data) > max_bytes:
                        raise FileRefused(
                            path, f"is larger than {max_bytes / 2**20:,.0f} MB ({self.url(path)})"
                        )
                    self._cache[path] = data
            except urllib.error.HTTPError as exc:
                if exc.code == 404:
                    self._cache[path] = None
                else:
                    raise SourceError(f"{self.url(path)}: HTTP {exc.code}") from exc
            except (urllib.error.URLError, TimeoutError, OSError) as exc:
                raise SourceError(f"cannot reach {self.url(path)}: {exc}") from exc
        return self._cache[path]

    def listing(self, folder: str) -> list[str] | None:
        """Names in a folder when the server publishes an index page (e.g. a static file
        server's directory listing); None when it does not."""
        try:
            data = self.read(folder.rstrip("/") + "/")
        except SourceError:
            return None
        if not data or b"href" not in data.lower():
            return None
        names = []
        for href in re.findall(r'href="([^"?#]+)"', data.decode("utf-8", "replace"), flags=re.I):
            name = urllib.parse.unquote(href).rstrip("/").rsplit("/", 1)[-1]
            if name and not name.startswith((".", "?")) and name not in names:
                names.append(name)
        return names

    def datasets(self) -> list[str]:
        listed = self.listing("indicators")
        if listed:
            return sorted(n for n in listed if "." not in n)
        names: set[str] = set()
        for path, column in (("meta/manifest_metadata.csv", "dataset"), ("missions.csv", "dataset")):
            data = self.read(path, max_bytes=MAX_BYTES["manifest"])
            if data:  # only names are taken here; the build reports the manifest's own problems
                text = data.decode("utf-8-sig", errors="replace")
                try:
                    rows = list(csv.DictReader(io.StringIO(text)))
                except csv.Error:
                    rows = []
                names |= {r[column] for r in rows if isinstance(r.get(column), str) and r[column]}
        if not names:
            raise SourceError(f"{self.name}: no meta/manifest_metadata.csv to list datasets from")
        return sorted(names)

    def observation_files(self, dataset: str) -> list[str]:
        return [f"indicators/{dataset}/{dataset}.csv"]

    def boundary_files(self) -> list[str]:
        listed = self.listing("boundaries")
        if listed:
            names = [n for n in listed if n.startswith("topo") and n.endswith(".json")]
            return [f"boundaries/{n}" for n in sorted(names, key=_vintage_order)]
        return ["boundaries/topo.json", "boundaries/topo-2024-07-01.json"]


def vintage_name(path: str) -> str:
    """``boundaries/topo-2024-07-01.json`` -> ``2024-07-01``; ``topo.json`` -> ``current``."""
    stem = path.rsplit("/", 1)[-1].removesuffix(".json")
    return stem.removeprefix("topo-") if stem != "topo" else "current"


def _vintage_order(name: str) -> tuple:
    v = vintage_name(name)
    return (0, "") if v == "current" else (1, "".join(chr(255 - ord(c)) for c in v))


def open_source(spec: str | None = None) -> Source:
    """``spec`` is a folder, an http(s) URL, or ``ons`` for the public ONS source."""
    spec = spec or config.default_source()
    if spec == "ons":
        return HttpSource("https://raw.githubusercontent.com", config.PUBLIC_SOURCE)
    if spec.startswith(("http://", "https://")):
        return HttpSource(spec)
    return FolderSource(spec)
