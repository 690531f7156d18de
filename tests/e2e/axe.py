"""Accessibility checks with axe-core, in the page and in every iframe (the map is one).

axe-core comes from the npm registry, installed by ``make setup`` into the git-ignored
``.axe/`` folder (never committed); Playwright injects it into each frame and runs it
there. A violation of impact "serious" or "critical" fails the test that found it."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / ".axe" / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")
#: WCAG 2.1 A and AA plus axe's best practices.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


#: Labels of disabled widgets are left out of the contrast rule: WCAG 1.4.3 exempts "text
#: that is part of an inactive user interface component", and Streamlit greys them on purpose
#: (a period picker with one period, a base year while the index is off).
MARK_INACTIVE = """() => {
  document.querySelectorAll('[data-testid="stWidgetLabel"]').forEach(label => {
    const widget = label.closest('.stElementContainer') || label.parentElement;
    if (widget && widget.querySelector('input:disabled, [aria-disabled="true"], button:disabled'))
      label.setAttribute('data-axe-inactive', '');
  });
}"""


def _run(frame) -> list[dict]:
    if not frame.evaluate("() => typeof window.axe !== 'undefined'"):
        frame.add_script_tag(path=str(AXE))
    frame.evaluate(MARK_INACTIVE)
    result = frame.evaluate(
        """(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'],
                                        iframes: false, rules: {}}).then(r => r)""",
        TAGS,
    )
    inactive = frame.evaluate(
        """() => axe.run({include: [document], exclude: [['[data-axe-inactive]']]},
                        {runOnly: {type: 'rule', values: ['color-contrast']}, resultTypes: ['violations']})"""
    )
    rest = [v for v in result["violations"] if v["id"] != "color-contrast"]
    return rest + inactive["violations"]


def violations(page, impacts=BLOCKING) -> list[str]:
    """One line per blocking violation in the page and each of its frames:
    ``frame: rule (impact): what failed — first element``."""
    if not AXE.exists():
        raise FileNotFoundError(f"{AXE} is missing: run `make setup` (it installs axe-core from npm)")
    found = []
    for frame in page.frames:
        if frame.is_detached() or frame.url in ("", "about:blank"):
            continue
        where = "page" if frame == page.main_frame else frame.url.split("?")[0].rsplit("/", 2)[-2]
        for v in _run(frame):
            if v["impact"] in impacts:
                nodes = v["nodes"]
                target = nodes[0]["target"] if nodes else ""
                detail = nodes[0].get("failureSummary", "").replace("\n", " ") if nodes else ""
                html = nodes[0].get("html", "")[:160] if nodes else ""
                what = f"{v['id']} ({v['impact']}, {len(nodes)} elements): {v['help']}"
                found.append(f"{where}: {what} — {target} {html} {detail}")
    return found
