"""The one escaper: text from data, uploads or the URL is shown as text, never run as
Markdown, HTML, LaTeX or a Streamlit directive.

Pick the function by where the text goes, not by where it came from:

``md(text)``
    Anything Streamlit renders as Markdown: ``st.markdown``, ``st.caption``, ``st.title`` /
    ``header`` / ``subheader``, ``st.info`` / ``warning`` / ``error`` / ``success``, widget
    labels and ``help=``, radio and pills options, expander, tab and page-link labels,
    metric labels. ``md(text, block=True)`` keeps paragraph breaks (descriptions, caveats).
``md_link(text, url)``
    A Markdown link whose label is data and whose address is an http(s) URL from data
    (anything else gives the label alone).
``html(text)``
    Text inside HTML handed to ``st.markdown(..., unsafe_allow_html=True)`` (the legends, the
    missions summary table): Streamlit still runs Markdown over it, so every ASCII
    punctuation mark becomes a character reference (which CommonMark never reads as syntax).
``js_string(text)``
    A string literal for a JavaScript or Vega expression.

Plain-text places need nothing: selectbox and multiselect options (``format_func``),
``st.dataframe`` cells, ``st.text``, ``st.code``, placeholders, chart text, and the map
component, which sets every text with ``textContent`` (lumap/ui/mapfrontend) and takes no
template: no data reaches a template compiler anywhere (folium, which compiled each rendered
map script as a Jinja template again, is no longer on the page).

Why backslashes for Markdown: CommonMark renders ``\\X`` as ``X`` for every ASCII punctuation
``X``, so escaping them all is exact (the reader sees the original text) and leaves no
syntax for links, images, emphasis, headings, lists, tables, code, raw HTML, entities,
``$`` maths or ``:name[...]`` directives. A few of Streamlit's Markdown plugins work on the
*decoded* text instead (emoji and ``:material_…:`` / ``:streamlit:`` shortcodes, bare
``https://`` / ``www.`` / e-mail autolinks, ``->`` / ``--`` arrows): for those an invisible
WORD JOINER (U+2060) is put inside the pattern. Control characters and bidirectional
overrides, which can make text read differently from what it is, are dropped.
No Streamlit import: usable by lumap.viz as well as lumap.ui.
"""

from __future__ import annotations

import json
import re
import string
from urllib.parse import quote, urlsplit

#: Invisible, zero-width, and not a line-break opportunity.
JOINER = "\u2060"

_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# Patterns that Streamlit's Markdown plugins find in decoded text; the joiner goes at "|".
_DECODED = [
    (re.compile(r":(?=[\w/+-])"), ":" + JOINER),  # :smile: :material_x: :streamlit: https://
    (re.compile(r"(?i)(?<![\w-])(www)(?=\.)"), r"\1" + JOINER),  # www.example.com
    (re.compile(r"@(?=[\w-])"), "@" + JOINER),  # someone@example.com
    (re.compile(r"(?<=[-<>~])(?=[->=])"), JOINER),  # -> <- <-> -- >= <= ~=
]
_MD_ESCAPES = str.maketrans({c: "\\" + c for c in string.punctuation})
_HTML_MD_ESCAPES = str.maketrans(
    {**{c: f"&#{ord(c)};" for c in string.punctuation}, "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}
)
_LINE_BREAKS = re.compile(r"\s*[\r\n]+\s*")
_URL_SAFE = "/?#[]@!$&'*+,;=%-._~:"


def _text(value) -> str:
    return "" if value is None else _CONTROLS.sub("", str(value))


def _break_decoded(text: str) -> str:
    for pattern, repl in _DECODED:
        text = pattern.sub(repl, text)
    return text


def md(value, block: bool = False) -> str:
    """``value`` as literal text for any Streamlit Markdown context.

    Inline (default): line breaks become spaces and the ends are trimmed, so the result can
    sit inside ``**…**``, a list item or a sentence. ``block=True`` keeps paragraphs and line
    breaks (leading indentation is dropped: it would otherwise make a code block)."""
    text = _text(value).replace("\t", " ")
    if block:
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        text = "\n".join(line.strip() for line in lines).strip("\n")
    else:
        text = _LINE_BREAKS.sub(" ", text).strip()
    return _break_decoded(text).translate(_MD_ESCAPES)


def md_link(label, url) -> str:
    """``[label](url)`` with the label escaped; only an absolute http(s) URL becomes a link
    (percent-encoded, so no character of it can end the link or start Markdown)."""
    text = md(label)
    address = "" if url is None else str(url).strip()
    try:
        parts = urlsplit(address)
    except ValueError:
        return text
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or _CONTROLS.search(address):
        return text
    return f"[{text}]({quote(address, safe=_URL_SAFE).replace('(', '%28').replace(')', '%29')})"


def html(value) -> str:
    """``value`` as literal text inside HTML that goes through Streamlit's Markdown
    (``unsafe_allow_html``): every ASCII punctuation mark and line break becomes a numeric
    character reference, whether the HTML is a block or sits inside a paragraph."""
    return _break_decoded(_text(value)).translate(_HTML_MD_ESCAPES)


def js_string(value) -> str:
    """A JavaScript / Vega expression string literal holding exactly ``value``."""
    return json.dumps("" if value is None else str(value))


def unescape_md(text: str) -> str:
    """What :func:`md` output reads as once rendered (for tests and checks)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text).replace(JOINER, "")
