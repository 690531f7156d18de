"""A deck of slides as a URL: ``/present?deck=1_3.<slide>.<slide>.<slide>``. No Streamlit here.

A slide is a view of one page — the page, its query string exactly as the page wrote it
(so every parameter any page adds travels untouched), which part of the page it shows, a
title and a one-line note.

Format, version 1 (``VERSION``), all URL-safe (no character needs percent-encoding):

``1_<n>``
    the header: version 1, then how many slides the deck holds, so a link cut short says
    so instead of silently losing its last slides;
``.<token>`` per slide
    base64url without padding of: 3 bytes of the CRC-32 of the slide's JSON, then the JSON
    deflated (raw, level 9, with the preset dictionary ``DICTIONARY_V1``). The JSON is
    ``[page, query, title, note, part]``, trailing empty strings left out.

Each slide is its own token, so a damaged or truncated link loses only the slides it
damaged (the rest open, with a notice naming the lost ones), and one slide's link is the
header ``1_1`` plus its token. The preset dictionary holds the words slides repeat
(parameter names, page names, code prefixes): a typical slide is ≈50–120 characters
instead of ≈160–270 as plain base64 of its JSON. It is part of the format: never change it; a new
dictionary is a new version.

Length budget: a deck holds at most ``MAX_SLIDES`` slides and its parameter at most
``MAX_CHARS`` characters (a typical slide is 50–150 characters, so 40 slides fit); a title
at most ``MAX_TITLE`` characters, a note ``MAX_NOTE``, a query ``MAX_QUERY``. The longest
deck URL stays well under what browsers, HAProxy (16 KB buffers) and Streamlit accept, and
under the 8 KB that e-mail and chat clients reliably keep clickable.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import zlib
from dataclasses import dataclass, field, replace
from urllib.parse import parse_qsl, urlencode

VERSION = "1"
MAX_SLIDES = 40
MAX_CHARS = 8000
MAX_TITLE = 120
MAX_NOTE = 200
MAX_QUERY = 1500
MAX_JSON = 4096  # inflated bytes of one slide: refuses a "deflate bomb"

#: Pages whose views can be slides (url_path -> what the editor calls it). Another page
#: joins with :func:`register_page`.
PAGES: dict[str, str] = {
    "map": "Map",
    "missions": "Missions",
    "area": "Area profile",
    "compare": "Compare",
    "trends": "Trends",
}

#: Version 1's preset dictionary. Frozen: changing one byte breaks every saved deck.
DICTIONARY_V1 = (
    b'["map","","missions","compare","trends","area","'
    b"indicator=&year=20&level=ltla&level=utla&level=rgn&level=cauth&area=E0&area=W0"
    b"&areas=E0600000,E0700000,E0800000,E0900000,E1000000,W0600000,S1200000,N0900000"
    b"&mission=&view=change&baseline=2019&measure=top_rest_ratio&from=20&to=20&kind=absolute"
    b"&kind=percent&comp=uk,country,region&vs=uk&similar=economic&scale=index&base=20&context=0"
    b"&regions=0&ci=1&present=1&period=&polarity=&classes=quantiles"
    b'","summary"]","glance"]","section"]","bars"]","heat"]'
    b"gross-median-weekly-pay-healthy-life-expectancy-employment-rate-percentage-of-"
    b" in the North West, 2024, local authorities, Where the gap is"
)

_TOKEN = re.compile(r"^[A-Za-z0-9_-]+$")
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class Slide:
    """One view of one page. ``query`` is the page's query string (``a=1&b=2``)."""

    page: str
    query: str = ""
    title: str = ""
    note: str = ""
    part: str = ""

    def params(self) -> dict[str, str]:
        """The query as a dict (the last value of a repeated name wins, as in Streamlit)."""
        return dict(parse_qsl(self.query, keep_blank_values=False))


@dataclass(frozen=True)
class Decoded:
    """What a deck parameter held: the slides that parsed, and a notice per problem."""

    slides: tuple[Slide, ...] = ()
    notices: tuple[str, ...] = field(default_factory=tuple)


def register_page(url_path: str, name: str) -> None:
    """Let another page's views be slides (e.g. an upload page of #11)."""
    PAGES[url_path] = name


def one_line(text: str, limit: int) -> str:
    """Text as one line: control characters dropped, runs of spaces and line breaks made
    one space, cut to ``limit`` characters (with an ellipsis)."""
    clean = " ".join(_CONTROLS.sub(" ", str(text or "")).split())
    return clean if len(clean) <= limit else clean[: limit - 1].rstrip() + "…"


def normal_query(query: str | dict) -> str:
    """A query string in canonical form: parsed and re-encoded (no fragment, no '?')."""
    if isinstance(query, dict):
        pairs = [(str(k), str(v)) for k, v in query.items() if v not in (None, "")]
    else:
        pairs = parse_qsl(str(query or "").lstrip("?").split("#", 1)[0], keep_blank_values=False)
    return urlencode(pairs)


def make_slide(page: str, query: str | dict, title: str = "", note: str = "", part: str = "") -> Slide:
    """A slide with its fields cleaned and within the budget (``ValueError`` for an unknown
    page or a query over ``MAX_QUERY``)."""
    if page not in PAGES:
        raise ValueError(f"“{one_line(page, 30)}” is not a page that can be a slide.")
    q = normal_query(query)
    if len(q) > MAX_QUERY:
        raise ValueError(f"This view's address is too long for a slide ({len(q)} > {MAX_QUERY} characters).")
    return Slide(page, q, one_line(title, MAX_TITLE), one_line(note, MAX_NOTE), one_line(part, 60))


# ---- encoding ------------------------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def encode_slide(slide: Slide) -> str:
    fields = [slide.page, slide.query, slide.title, slide.note, slide.part]
    while len(fields) > 1 and fields[-1] == "":
        fields.pop()
    raw = json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    comp = zlib.compressobj(9, zlib.DEFLATED, -15, zdict=DICTIONARY_V1)
    body = comp.compress(raw) + comp.flush()
    return _b64(zlib.crc32(raw).to_bytes(4, "big")[:3] + body)


def encode(slides) -> str:
    """The deck parameter for ``slides`` (``ValueError`` past ``MAX_SLIDES``/``MAX_CHARS``)."""
    slides = list(slides)
    if len(slides) > MAX_SLIDES:
        raise ValueError(f"A deck holds at most {MAX_SLIDES} slides.")
    text = ".".join([f"{VERSION}_{len(slides)}"] + [encode_slide(s) for s in slides])
    if len(text) > MAX_CHARS:
        raise ValueError(f"The deck's link would be {len(text):,} characters; at most {MAX_CHARS:,} fit.")
    return text


def slide_link(slide: Slide) -> str:
    """The deck parameter of a deck holding only ``slide`` (what an attendee opens)."""
    return f"{VERSION}_1.{encode_slide(slide)}"


# ---- decoding ------------------------------------------------------------------------------


class _Bad(ValueError):
    pass


def decode_slide(token: str) -> Slide:
    """One token -> a Slide; ``ValueError`` (with the reader's words) when it is damaged."""
    if not _TOKEN.match(token):
        raise _Bad("has characters a deck never uses")
    try:
        data = _unb64(token)
    except (binascii.Error, ValueError):
        raise _Bad("is cut short or damaged") from None
    if len(data) < 5:
        raise _Bad("is cut short")
    check, body = data[:3], data[3:]
    inflate = zlib.decompressobj(-15, zdict=DICTIONARY_V1)
    try:
        raw = inflate.decompress(body, MAX_JSON)
    except zlib.error:
        raise _Bad("is damaged") from None
    if inflate.unconsumed_tail:
        raise _Bad("is too large")
    if not inflate.eof:
        raise _Bad("is cut short")
    if zlib.crc32(raw).to_bytes(4, "big")[:3] != check:
        raise _Bad("is damaged (its check does not match)")
    try:
        fields = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise _Bad("is damaged") from None
    if not isinstance(fields, list) or not 1 <= len(fields) <= 5:
        raise _Bad("is not a slide")
    if not all(isinstance(f, str) for f in fields):
        raise _Bad("is not a slide")
    fields += [""] * (5 - len(fields))
    try:
        return make_slide(*fields)
    except ValueError as exc:
        raise _Bad(f"cannot be shown: {exc}") from None


def decode(text: str | None) -> Decoded:
    """Every slide that parses, in order, and a notice for each problem. Never raises."""
    if not text:
        return Decoded()
    raw = str(text).strip()
    if len(raw) > MAX_CHARS * 2:
        return Decoded((), (f"This deck link is far too long ({len(raw):,} characters); nothing was read.",))
    parts = raw.split(".")
    header, tokens = parts[0], [p for p in parts[1:] if p]
    version, _, count = header.partition("_")
    notices: list[str] = []
    if version != VERSION:
        shown = one_line(version, 12)
        return Decoded(
            (),
            (f"This deck link is in a format this lumap does not read (version “{shown}”); nothing read.",),
        )
    expected = int(count) if count.isdigit() else None
    slides: list[Slide] = []
    for i, token in enumerate(tokens[:MAX_SLIDES], start=1):
        try:
            slides.append(decode_slide(token))
        except ValueError as exc:
            notices.append(f"Slide {i} of this deck {exc}; it is left out.")
    if len(tokens) > MAX_SLIDES:
        notices.append(f"This deck has {len(tokens)} slides; only the first {MAX_SLIDES} are read.")
    if expected is not None and expected > len(tokens):
        lost = expected - len(tokens)
        notices.append(
            f"The deck link looks cut short: it should hold {expected} slides and holds "
            f"{len(tokens)}; {lost} {'is' if lost == 1 else 'are'} missing."
        )
    elif expected is None:
        notices.append("The deck link's header is damaged; the slides that could be read are shown.")
    return Decoded(tuple(slides), tuple(notices))


# ---- editing (pure: the editor page calls these) -------------------------------------------


def moved(slides, index: int, step: int) -> tuple[Slide, ...]:
    """``slides`` with slide ``index`` moved ``step`` places (clamped)."""
    out = list(slides)
    if not 0 <= index < len(out):
        return tuple(out)
    target = max(0, min(len(out) - 1, index + step))
    out.insert(target, out.pop(index))
    return tuple(out)


def removed(slides, index: int) -> tuple[Slide, ...]:
    return tuple(s for i, s in enumerate(slides) if i != index)


def retitled(slides, index: int, title: str | None = None, note: str | None = None) -> tuple[Slide, ...]:
    out = list(slides)
    if 0 <= index < len(out):
        s = out[index]
        out[index] = replace(
            s,
            title=s.title if title is None else one_line(title, MAX_TITLE),
            note=s.note if note is None else one_line(note, MAX_NOTE),
        )
    return tuple(out)
