"""Bytes of a source file -> text, or a problem that says what to re-save the file as."""

from __future__ import annotations

import codecs

from lumap.data.problems import Problem

_OTHER_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


def line_of(data: bytes | str, offset: int) -> int:
    """1-based line number of a byte (or character) offset."""
    newline = b"\n" if isinstance(data, bytes) else "\n"
    return data.count(newline, 0, offset) + 1  # type: ignore[arg-type]


def decode_text(data: bytes, file: str, max_bytes: int | None = None) -> tuple[str | None, list[Problem]]:
    """UTF-8 text (a BOM is dropped). A UTF-16/32 file, a NUL byte (binary data) or bytes that
    are not UTF-8 (a Latin-1 or Windows export) are each a problem naming the line."""
    if max_bytes is not None and len(data) > max_bytes:
        return None, [
            Problem(file, None, f"is {_size(len(data))}; the limit for this file is {_size(max_bytes)}")
        ]
    for bom, name in _OTHER_BOMS:
        if data.startswith(bom):
            return None, [Problem(file, None, f"is {name} text; save it as UTF-8")]
    nul = data.find(b"\x00")
    if nul >= 0:
        return None, [
            Problem(
                file,
                line_of(data, nul),
                "contains a NUL byte: this is a binary file or UTF-16 text, not UTF-8 text",
            )
        ]
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        byte = data[exc.start : exc.start + 1].hex()
        return None, [
            Problem(
                file,
                line_of(data, exc.start),
                f"is not UTF-8 text (byte 0x{byte} cannot be read; it looks like a Latin-1 or "
                "Windows export): save the file as UTF-8",
            )
        ]


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:,.1f} MB"
    return f"{n / 1024:,.0f} KB" if n >= 1024 else f"{n} bytes"
