"""AppTest: nothing from a URL or a data file controls the page.

Every page runs on a store whose names, labels, subtitles, caveats, source organisations,
units and notes carry hostile payloads (tests/payloads.py), with hostile URL parameters on
top. Every text Streamlit renders as Markdown (bodies, titles, notices, captions, widget
labels, help, radio options, metric values, expander labels) must hold the payloads only in
escaped form, and each page must still show them as text. The map's script must carry the
template payload as data (the Jinja compiler never sees it)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from . import payloads as p
from .apptest_tools import elements, map_areas, map_args, shown

#: element types whose text is plain (never Markdown): options there may hold anything
PLAIN_OPTIONS = {"selectbox", "multiselect"}
SKIP = {"dataframe", "component_instance", "vega_lite_chart", "arrow_vega_lite_chart", "code", "text", "json"}

URL_PAYLOADS = {
    "indicator": p.LINK,
    "year": p.IMAGE,
    "level": p.LATEX,
    "area": p.COLOUR + p.TEMPLATE,
    "areas": f"E06000001,{p.IMAGE},{p.LINK}",
    "mission": p.ICON,
    "view": p.SCRIPT,
    "measure": p.ONERROR,
    "comp": p.JS_LINK,
    "similar": p.TEMPLATE,
    "scale": p.LINK,
    "base": p.LATEX,
    "ci": p.COLOUR,
    "present": p.IMAGE,
    "kind": p.LINK,
    "from": p.TEMPLATE,
    "to": p.IMAGE,
    "baseline": p.LINK,
}
VIEWS = [
    ("pages/map.py", {"indicator": "weekly-pay", "level": "ltla", "area": "E06000001"}),
    ("pages/map.py", {"indicator": "weekly-pay", "level": "rgn", "area": "E12000001"}),
    ("pages/area.py", {"area": "E06000001", "indicator": "weekly-pay"}),
    ("pages/area.py", {"area": "E07000026", "indicator": "weekly-pay"}),  # replaced by Cumberland
    ("pages/compare.py", {"indicator": "weekly-pay", "areas": "E06000001,E06000063,E06000010,S12000033"}),
    ("pages/trends.py", {"indicator": "weekly-pay", "areas": "E06000001,E06000063,E06000010"}),
    ("pages/missions.py", {}),
    ("pages/data.py", {}),
]


def run(page: str, params: dict) -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def markdown_texts(at: AppTest) -> list[str]:
    """Every string of the page that Streamlit renders as Markdown."""
    out: list[str] = []

    def walk(node):
        kind = getattr(node, "type", "")
        proto = getattr(node, "proto", None)
        if proto is not None and kind not in SKIP:
            for field, value in proto.ListFields():
                if field.name in ("body", "label", "help", "delta") and isinstance(value, str):
                    out.append(value)
                elif field.name == "options" and kind not in PLAIN_OPTIONS:
                    out.extend(str(getattr(o, "label", o)) for o in value)
        for child in (getattr(node, "children", None) or {}).values():
            walk(child)

    walk(at._tree)
    return out


def unescaped(fragment: str, text: str) -> bool:
    """True when ``fragment`` occurs in ``text`` with its first character not escaped by a
    backslash (an odd run of backslashes before it)."""
    start = text.find(fragment)
    while start != -1:
        run = len(text[:start]) - len(text[:start].rstrip("\\"))
        if run % 2 == 0:
            return True
        start = text.find(fragment, start + 1)
    return False


def assert_escaped(texts: list[str]) -> None:
    for text in texts:
        for fragment in p.RAW_FRAGMENTS:
            assert not unescaped(fragment, text), (fragment, text)


@pytest.fixture()
def payload_env(payload_store_dir, monkeypatch):
    monkeypatch.setenv("LUMAP_DATA_DIR", str(payload_store_dir))
    return payload_store_dir


@pytest.mark.parametrize("page,params", VIEWS, ids=[f"{v[0][6:-3]}-{i}" for i, v in enumerate(VIEWS)])
def test_names_labels_and_notes_from_data_are_shown_as_text(payload_env, page, params):
    at = run(page, params)
    texts = markdown_texts(at)
    assert_escaped(texts)
    seen = " ".join(shown(t) for t in texts)
    if page not in ("pages/missions.py", "pages/data.py"):  # no names there (data: a table)
        assert "official data" in seen or "Cumberland ![x]" in seen, seen[:500]


@pytest.mark.parametrize("page", sorted({v[0] for v in VIEWS}))
def test_hostile_url_parameters_become_escaped_notices(payload_env, page):
    at = run(page, URL_PAYLOADS)
    assert_escaped(markdown_texts(at))
    notices = " ".join(shown(w.value) for w in at.warning)
    if page not in ("pages/data.py",):
        assert at.warning, "a bad parameter must give a notice"
    if page in ("pages/map.py", "pages/compare.py", "pages/trends.py"):
        assert p.LINK in notices  # quoted as text, not as a link


def test_the_issue_examples_indicator_link_and_image(payload_env):
    for payload in (p.LINK, p.IMAGE):
        at = run("pages/map.py", {"indicator": payload})
        bodies = [w.value for w in at.warning]
        assert any(payload in shown(b) for b in bodies), bodies
        assert_escaped(markdown_texts(at))


def test_template_syntax_in_names_units_and_notes_travels_as_data_in_the_map(payload_env):
    """The map component gets plain JSON (no script, no template) and puts every text in the
    page with textContent: template syntax and markup arrive as the very characters."""
    from lumap.data.store import Store

    at = run("pages/map.py", {"indicator": "weekly-pay", "level": "ltla"})
    args = map_args(at)
    assert not {"script", "feature_group", "header", "html"} & set(args)  # data only
    tips = {code: a["tip"] for code, a in map_areas(at, Store(payload_env)).items()}
    assert "{% if '%}" in tips["E06000001"] and "{{ 7*7 }}" in tips["E06000001"]
    assert "{{ 7*7 }}" in tips["E06000010"]  # the unit suffix, in the value


@pytest.mark.parametrize("level", ["ltla", "utla", "rgn", "cauth", "ctry"])
def test_every_map_level_opens_with_template_syntax_in_the_data(payload_env, level):
    at = run("pages/map.py", {"indicator": "weekly-pay", "level": level})
    assert elements(at, "component_instance")
