"""Every PNG carries its title, period and attribution (#8.11), burned into the chart's spec
(lumap.viz.publish): checked on the spec of every PNG button the pages offer, and once on a
rendered PNG."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from lumap import config
from lumap.ui import downloads
from lumap.viz import charts, publish

PAY = "gross-median-weekly-pay"
META = {"label": "Pay", "prefix": "£", "decimals": 0, "polarity": 1, "sourceOrg": "ONS"}


def _bar():
    import pandas as pd

    rows = pd.DataFrame(
        {
            "name": ["Low", "High"],
            "code": ["A", "B"],
            "value": [10.0, 30.0],
            "lci_95": [float("nan")] * 2,
            "uci_95": [float("nan")] * 2,
            "kind": ["area", "area"],
            "status": "",
            "notes": "",
            "reason": "",
        }
    )
    return charts.bar_chart(rows, META, "Pay", "2025 · Local authority districts · whiskers")


def test_title_period_and_attribution_are_in_the_spec():
    credits = publish.Credits(
        "Pay", "2025 · Local authority districts", ("Office for National Statistics",), "2026"
    )
    spec = publish.publishable(_bar(), credits)
    assert spec["title"]["text"] == "Pay"
    # the period first; the chart's own subtitle after it, without repeating it
    assert spec["title"]["subtitle"] == ["2025 · Local authority districts", "whiskers"]
    footer = " ".join(publish.footer_lines(spec))
    assert footer.startswith("Data: Office for National Statistics.")
    assert config.ATTRIBUTION.format(year="2026") in footer and footer.endswith("Chart: lumap.")
    assert spec["background"] == "white" and spec["vconcat"][0]["width"] == publish.WIDTH


def test_a_published_png_renders(tmp_path):
    credits = publish.Credits("Pay", "2025", ("ONS",), "2026")
    png = publish.chart_png(_bar(), credits, width=400)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5_000
    (tmp_path / "published.png").write_bytes(png)


@pytest.fixture()
def jobs(monkeypatch):
    """Every PNG button a page draws: (file name, build function, arguments)."""
    seen = []

    def record(label, file_name, key, build, *args, **kwargs):
        seen.append((file_name, build, args, kwargs))

    monkeypatch.setattr(downloads, "job_png_button", record)
    return seen


def _credits_of(job) -> publish.Credits:
    return next(a for a in job[2] if isinstance(a, publish.Credits))


def _open(page: str, params: dict) -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=120)
    for k, v in params.items():
        at.query_params[k] = v
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize(
    "page,params,expected",
    [
        (
            "pages/compare.py",
            {"indicator": PAY, "year": "2024", "level": "ltla", "areas": "E06000009,E08000039"},
            {"lumap-compare": ("Gross median weekly pay", "2024 · Local authority"), "lumap-heatmap": None},
        ),
        (
            "pages/trends.py",
            {"indicator": PAY, "level": "ltla", "areas": "E06000009"},
            {"lumap-trends": ("Gross median weekly pay", "2008 to 2025 · Local authority")},
        ),
    ],
)
def test_every_png_button_of_a_page_publishes_title_period_and_source(app_env, jobs, page, params, expected):
    _open(page, params)
    assert jobs, "no PNG button on the page"
    found = {}
    for job in jobs:
        stem = next(k for k in expected if job[0].startswith(k))
        credits = _credits_of(job)
        found[stem] = credits
        assert credits.title and credits.period, job[0]
        footer = " ".join(credits.footer())
        assert "Open Government Licence" in footer and "Office for National Statistics" in footer, footer
        want = expected[stem]
        if want:
            assert credits.title.startswith(want[0]) and credits.period.startswith(want[1]), credits
    assert set(found) == set(expected)
    # the builder the worker runs burns them in (the spec, as rendered)
    job = jobs[0]
    if job[1] is publish.chart_png:
        spec = publish.publishable(job[2][0], _credits_of(job))
        assert spec["title"]["text"] == _credits_of(job).title
        assert _credits_of(job).period in spec["title"]["subtitle"]
        assert "Open Government Licence" in " ".join(publish.footer_lines(spec))
