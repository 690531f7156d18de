"""lumap.escape: text from data, uploads and the URL stays text in every place it goes.

The Markdown checks use a reference CommonMark parser (markdown-it-py, the same spec as the
micromark parser inside Streamlit): an escaped payload must parse as one paragraph of plain
text that reads exactly as the payload. Streamlit's own additions (``$`` maths,
``:colour[...]`` directives, ``:material/…:`` icons, emoji, autolinks) are checked in a real
browser by tests/e2e/test_escape_render.py.
"""

from __future__ import annotations

import html as std_html
import json
import re
import string

import pytest
from markdown_it import MarkdownIt

from lumap import escape
from lumap.escape import JOINER, html, js_string, md, md_link, unescape_md

PAYLOADS = [
    "[official data](https://example.invalid/x)",
    "![x](https://example.invalid/p.png)",
    "[x](javascript:alert(1))",
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "$E=mc^2$ and $$\\int x$$",
    ":red[alarm] :blue-background[b] :small[s] :help",
    ":material/warning: :streamlit: :smile: :+1:",
    "**bold** __b__ *i* _i_ ~~s~~ `code`",
    "# Heading",
    "- item",
    "1. one",
    "> quote",
    "| a | b |",
    "&amp; &#91; &lt;b&gt;",
    "https://example.invalid/a www.example.invalid me@example.invalid <https://example.invalid/b>",
    "a -> b <- c -- d >= e",
    "{{ 7*7 }} {% if x %} {# c",
    "back\\slash \\* \\[",
    "[ref][1]\n\n[1]: https://example.invalid/ref",
    "King's Lynn & West Norfolk",
    "Bristol, City of",
    "",
]
PUNCT = re.escape(string.punctuation)
COMMONMARK = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def rendered_text(markdown: str) -> tuple[list[str], str]:
    """(the kinds of inline tokens, the text a reader sees) for CommonMark input."""
    tokens = COMMONMARK.parse(markdown)
    kinds = [t.type for t in tokens]
    inline = [c for t in tokens if t.type == "inline" for c in (t.children or [])]
    kinds += [c.type for c in inline]
    text = "".join(c.content if c.type == "text" else " " for c in inline)
    return kinds, text.replace(JOINER, "")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_md_is_plain_text_that_reads_as_the_payload(payload):
    out = md(payload)
    flat = " ".join(payload.split())
    kinds, text = rendered_text(out)
    assert set(kinds) <= {"paragraph_open", "inline", "paragraph_close", "text"}, (payload, kinds)
    assert text == flat
    assert unescape_md(out) == flat
    # every ASCII punctuation mark is escaped: nothing is left for Streamlit's own syntax
    assert re.fullmatch(rf"(?:\\[{PUNCT}]|[^{PUNCT}])*", out), out


@pytest.mark.parametrize("payload", PAYLOADS)
def test_md_inside_lumap_markup_keeps_the_markup_and_only_that(payload):
    out = f"**{md(payload)}** — *{md(payload)}*"
    tokens = [c for t in COMMONMARK.parse(out) if t.type == "inline" for c in t.children]
    kinds = [t.type for t in tokens]
    if payload.strip():
        assert kinds.count("strong_open") == 1 and kinds.count("em_open") == 1
    assert not {"link_open", "image", "code_inline", "html_inline", "s_open"} & set(kinds)


def test_block_keeps_paragraphs_but_no_structure():
    text = "First line\nsecond line\n\n# Not a heading\n    not code\n- not a list\n\n| a |\n|---|"
    out = md(text, block=True)
    tokens = COMMONMARK.parse(out)
    assert {t.type for t in tokens} <= {"paragraph_open", "inline", "paragraph_close"}
    assert [t.type for t in tokens].count("paragraph_open") == 3
    assert "\n" in out and unescape_md(out).startswith("First line\nsecond line")


def test_inline_is_one_line_and_trimmed():
    assert md("  a\n\n# b\r\n c  ") == "a \\# b c"
    assert md(None) == "" and md(42) == "42" and md(1.5) == "1\\.5"


def test_control_and_bidi_characters_are_dropped():
    assert md("Ab\x00c\u202edef\x1b[31m") == "Abcdef\\[31m"
    assert html("a\u2066b\x07") == "ab"


def test_streamlit_shortcodes_and_autolinks_get_a_joiner():
    for payload, broken in [
        (":smile:", ":" + JOINER + "smile"),
        (":material/warning:", ":" + JOINER + "material"),
        ("https://x.invalid", ":" + JOINER + "//"),
        ("www.x.invalid", "www" + JOINER + "."),
        ("a@b.invalid", "@" + JOINER + "b"),
        ("a -> b", "-" + JOINER + ">"),
    ]:
        assert broken in md(payload).replace("\\", ""), payload


def test_md_link_only_for_http_urls_and_percent_encoded():
    assert md_link("ONS", "https://www.ons.gov.uk/a b") == "[ONS](https://www.ons.gov.uk/a%20b)"
    assert md_link("x](y", "https://e.invalid/a)(b") == "[x\\]\\(y](https://e.invalid/a%29%28b)"
    for bad in ["javascript:alert(1)", "data:text/html,x", "//e.invalid", "", None, "https://", "ftp://x/"]:
        assert md_link("ONS", bad) == "ONS", bad
    # the link parses as exactly one link with the percent-encoded address
    tokens = COMMONMARK.parse(md_link("[a]", "https://e.invalid/p?q=1&r=<2>"))[1].children
    links = [t for t in tokens if t.type == "link_open"]
    assert len(links) == 1 and links[0].attrs["href"] == "https://e.invalid/p?q=1&r=%3C2%3E"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_html_for_markdown_contexts_is_text_in_a_block_and_inline(payload):
    out = html(payload)
    assert std_html.unescape(out).replace(JOINER, "") == payload
    assert not re.search(rf"[{PUNCT}\n\r]", out.replace("&#", "").replace(";", "")), out
    # inside an HTML block (the legend) and inline in a paragraph (a verdict chip)
    for doc in (f"<div>{out}</div>", f"lead <span>{out}</span> tail"):
        inline = [c for t in COMMONMARK.parse(doc) if t.type == "inline" for c in t.children]
        kinds = {t.type for t in inline}
        assert not kinds & {"link_open", "image", "em_open", "strong_open", "code_inline"}, doc


def test_js_string_is_a_json_string_literal():
    for text in ['a"b', "a'b", "a\\b", "\U000e0001", "</script>", "x\u2028y"]:
        assert json.loads(js_string(text)) == text
    assert js_string(None) == '""'


def test_module_does_not_import_streamlit():
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(escape))
    names = {a.name for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom)) for a in n.names}
    names |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert not any("streamlit" in str(n) for n in names)
