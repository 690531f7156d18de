"""What is wrong with a source file, said so that the person who publishes it can fix it.

Every check of the build (CSV, metadata JSON, manifest, area files, TopoJSON) reports a
:class:`Problem` naming the file, and the line or the place in a JSON document, in words a
data person understands. An ``error`` rejects the file (its previous version is kept); a
``warning`` is reported but the file is used.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    reason: str
    path: tuple[str | int, ...] = ()  # where in a JSON document, outermost key first
    severity: str = ERROR

    def __str__(self) -> str:
        where = self.file
        if self.line:
            where += f", line {self.line}"
        if self.path:
            where += f", at {json_path(self.path)}"
        prefix = "warning: " if self.severity == WARNING else ""
        return f"{where}: {prefix}{self.reason}"

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


def json_path(path: Sequence[str | int]) -> str:
    """``("ess-beta-metadata", "label")`` -> ``"ess-beta-metadata" → "label"``; list items by
    position: ``objects → "ltla" → geometries → item 3``."""
    parts = []
    for p in path:
        parts.append(f"item {p + 1}" if isinstance(p, int) else _quote(p))
    return " → ".join(parts)


def _quote(key: str) -> str:
    text = key if len(key) <= 60 else key[:57] + "…"
    return '"' + text.replace('"', '\\"') + '"'


def errors(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.is_error]


def warnings(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if not p.is_error]


class Collector:
    """Problems of one file, capped: the first ones are enough to act on, and a hostile file
    must not make a report of millions of lines."""

    def __init__(self, file: str, limit: int = 20):
        self.file = file
        self.limit = limit
        self.items: list[Problem] = []
        self.dropped = 0
        self.dropped_errors = 0

    def error(self, reason: str, line: int | None = None, path: Sequence[str | int] = ()) -> None:
        self._add(Problem(self.file, line, reason, tuple(path), ERROR))

    def warn(self, reason: str, line: int | None = None, path: Sequence[str | int] = ()) -> None:
        self._add(Problem(self.file, line, reason, tuple(path), WARNING))

    def _add(self, p: Problem) -> None:
        if len(self.items) < self.limit:
            self.items.append(p)
        else:
            self.dropped += 1
            self.dropped_errors += p.is_error

    @property
    def full(self) -> bool:
        return len(self.items) >= self.limit

    @property
    def has_errors(self) -> bool:
        return self.dropped_errors > 0 or any(p.is_error for p in self.items)

    def done(self) -> list[Problem]:
        """The problems, with one more line saying how many were left out."""
        out = list(self.items)
        if self.dropped:
            severity = ERROR if self.dropped_errors else WARNING
            out.append(Problem(self.file, None, f"… and {self.dropped:,} more not listed", (), severity))
        return out
