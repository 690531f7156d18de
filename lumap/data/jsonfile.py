"""Reading JSON source files safely, and checking their shape with messages that say where.

:func:`load_json` bounds the size, refuses ``NaN``/``Infinity`` (not JSON, though Python's
parser takes them) and numbers too large for a float, and turns nesting deep enough to exhaust
the parser into a problem instead of a ``RecursionError``. :class:`Checker` walks a parsed
document and records a :class:`~lumap.data.problems.Problem` with the JSON path of each value of
the wrong kind.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import Any

from lumap.data.encoding import decode_text
from lumap.data.limits import FIRST_YEAR, LAST_YEAR, MAX_JSON_DEPTH, MAX_LINE_TEXT, MAX_PROBLEMS
from lumap.data.problems import Collector, Problem
from lumap.data.validate import code_problem, show, text_problem

Path = Sequence[str | int]


class _Rejected(ValueError):
    pass


def _constant(name: str):
    raise _Rejected(f"{name} is not allowed in JSON (write a number, or null)")


def _float(text: str) -> float:
    x = float(text)
    if not math.isfinite(x):
        raise _Rejected(f"the number {show(text)} is too large")
    return x


def load_json(
    data: bytes, file: str, max_bytes: int, max_depth: int = MAX_JSON_DEPTH
) -> tuple[Any, list[Problem]]:
    """(document, problems); the document is None when there is any problem (check the
    problems, not the document: ``null`` is a valid JSON document)."""
    text, problems = decode_text(data, file, max_bytes)
    if text is None:
        return None, problems
    try:
        doc = json.loads(text, parse_constant=_constant, parse_float=_float)
    except json.JSONDecodeError as exc:
        return None, [Problem(file, exc.lineno, f"is not valid JSON: {exc.msg} (column {exc.colno})")]
    except RecursionError:
        return None, [Problem(file, None, f"is nested too deeply to read (lumap accepts {max_depth} levels)")]
    except _Rejected as exc:
        return None, [Problem(file, None, f"is not valid JSON: {exc}")]
    except ValueError as exc:  # e.g. an integer with more than 4,300 digits
        return None, [Problem(file, None, f"is not valid JSON: {exc}")]
    too_deep = _too_deep(doc, max_depth)
    if too_deep is not None:
        return None, [
            Problem(file, None, f"is nested more than {max_depth} levels deep", tuple(too_deep[:6]))
        ]
    return doc, []


def _too_deep(doc: Any, limit: int) -> list[str | int] | None:
    """Path to a value nested deeper than ``limit`` (iteratively: no recursion to exhaust)."""
    stack: list[tuple[Any, list[str | int]]] = [(doc, [])]
    while stack:
        value, path = stack.pop()
        if len(path) > limit:
            return path
        if isinstance(value, dict):
            stack.extend((v, path + [str(k)]) for k, v in value.items() if isinstance(v, dict | list))
        elif isinstance(value, list):
            stack.extend((v, path + [i]) for i, v in enumerate(value) if isinstance(v, dict | list))
    return None


def kind(value: Any) -> str:
    """What a JSON value is, in words: ``a number (5)``, ``an object``, ``text``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, int | float):
        return f"a number ({value:g})" if isinstance(value, float) else f"a number ({show(value)[1:-1]})"
    if isinstance(value, str):
        return f"text ({show(value)})"
    if isinstance(value, list):
        return f"a list of {len(value)} item(s)"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


class Checker:
    """Shape checks of one parsed JSON document; each returns the value when it is right
    (``None`` otherwise) and records a problem with its path."""

    def __init__(self, file: str, limit: int = MAX_PROBLEMS):
        self.found = Collector(file, limit)

    @property
    def problems(self) -> list[Problem]:
        return self.found.done()

    @property
    def ok(self) -> bool:
        return not self.found.has_errors

    @property
    def full(self) -> bool:
        return self.found.full

    def fail(self, path: Path, reason: str) -> None:
        self.found.error(reason, path=path)

    def warn(self, path: Path, reason: str) -> None:
        self.found.warn(reason, path=path)

    def object(self, value: Any, path: Path, what: str = "an object") -> dict | None:
        if isinstance(value, dict):
            return value
        self.fail(path, f"should be {what}, found {kind(value)}")
        return None

    def array(
        self, value: Any, path: Path, what: str = "a list", max_items: int | None = None
    ) -> list | None:
        if not isinstance(value, list):
            self.fail(path, f"should be {what}, found {kind(value)}")
            return None
        if max_items is not None and len(value) > max_items:
            self.fail(path, f"has {len(value):,} items; at most {max_items:,} are allowed")
            return None
        return value

    def text(
        self,
        value: Any,
        path: Path,
        *,
        max_len: int = MAX_LINE_TEXT,
        multiline: bool = False,
        optional: bool = True,
        nonempty: bool = False,
    ) -> str | None:
        if value is None and optional:
            return None
        if not isinstance(value, str):
            self.fail(path, f"should be text{' or null' if optional else ''}, found {kind(value)}")
            return None
        reason = text_problem(value, max_len, multiline)
        if reason:
            self.fail(path, reason)
            return None
        if nonempty and not value.strip():
            self.fail(path, "is empty")
            return None
        return value

    def integer(self, value: Any, path: Path, lo: int, hi: int, what: str = "a whole number") -> int | None:
        if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
            self.fail(path, f"should be {what} from {lo} to {hi}, found {kind(value)}")
            return None
        if not lo <= value <= hi:
            self.fail(path, f"should be {what} from {lo} to {hi}, found {value:g}")
            return None
        return int(value)

    def year(self, value: Any, path: Path, optional: bool = True) -> int | None:
        if value is None and optional:
            return None
        return self.integer(value, path, FIRST_YEAR, LAST_YEAR, "a year")

    def code(self, value: Any, path: Path) -> str | None:
        if not isinstance(value, str):
            self.fail(path, f"should be an area code (text such as E06000001), found {kind(value)}")
            return None
        reason = code_problem(value)
        if reason:
            self.fail(path, f"{show(value)} {reason}")
            return None
        return value

    def codes(self, value: Any, path: Path, max_items: int = 10_000) -> list[str] | None:
        items = self.array(value, path, "a list of area codes", max_items)
        if items is None:
            return None
        good = [self.code(c, [*path, i]) for i, c in enumerate(items[:max_items])]
        return [c for c in good if c is not None] if len(good) == len(items) and all(good) else None
