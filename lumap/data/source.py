"""A data source laid out like ``../shared/data``: a local folder or an http(s) base URL.

Paths are always the layout's relative paths (``indicators/<dataset>/<dataset>.csv``);
the source decides how to fetch them.
"""
from __future__ import annotations

import csv
import io
import re
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from lumap import config


class SourceError(Exception):
    """The source itself is unusable (missing folder, unreachable URL)."""


class Source:
    name: str

    def read(self, path: str) -> bytes | None:
        """The file's bytes, or None when the source has no such file."""
        raise NotImplementedError

    def datasets(self) -> list[str]:
        """Every dataset folder in the source."""
        raise NotImplementedError

    def csv_files(self, dataset: str) -> list[str]:
        """Observation files of a dataset: ``<dataset>.csv``, else every CSV in the folder."""
        raise NotImplementedError

    def boundary_files(self) -> list[str]:
        """TopoJSON boundary files, the current one (``topo.json``) first, then older vintages."""
        raise NotImplementedError

    def json_for(self, dataset: str, csv_path: str) -> bytes | None:
        """The display metadata belonging to a CSV (``<stem>.json``, else ``<dataset>.json``)."""
        stem = csv_path.rsplit("/", 1)[-1][: -len(".csv")]
        return self.read(f"indicators/{dataset}/{stem}.json") or self.read(
            f"indicators/{dataset}/{dataset}.json"
        )


class FolderSource(Source):
    def __init__(self, root: str | Path):
        self.root = Path(root).resolve()
        self.name = str(self.root)
        if not (self.root / "indicators").is_dir():
            raise SourceError(
                f"{self.root} is not a data source: expected a folder with indicators/, "
                "boundaries/ and meta/ (laid out like ../shared/data)"
            )

    def read(self, path: str) -> bytes | None:
        p = self.root / path
        return p.read_bytes() if p.is_file() else None

    def datasets(self) -> list[str]:
        return sorted(
            p.name for p in (self.root / "indicators").iterdir()
            if p.is_dir() and not p.name.startswith(".")
        )

    def boundary_files(self) -> list[str]:
        folder = self.root / "boundaries"
        if not folder.is_dir():
            return []
        names = sorted((p.name for p in folder.glob("topo*.json")), key=_vintage_order)
        return [f"boundaries/{n}" for n in names]

    def csv_files(self, dataset: str) -> list[str]:
        folder = self.root / "indicators" / dataset
        main = folder / f"{dataset}.csv"
        files = [main] if main.is_file() else sorted(folder.glob("*.csv"))
        return [f"indicators/{dataset}/{f.name}" for f in files]


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

    def read(self, path: str) -> bytes | None:
        if path not in self._cache:
            try:
                with urllib.request.urlopen(self.url(path), timeout=self.timeout) as r:
                    self._cache[path] = r.read()
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
            data = self.read(path)
            if data:
                names |= {r[column] for r in csv.DictReader(io.StringIO(data.decode("utf-8-sig"))) if r.get(column)}
        if not names:
            raise SourceError(f"{self.name}: no meta/manifest_metadata.csv to list datasets from")
        return sorted(names)

    def csv_files(self, dataset: str) -> list[str]:
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
