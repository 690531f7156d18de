"""A hostile copy of the hand-made fixture source: area names, labels, subtitles, caveats,
source organisations, units and notes carry Markdown, HTML, LaTeX, Streamlit directives and
Jinja template syntax, as a careless or malicious publisher could. Built into a store by the
``payload_store_dir`` fixture (tests/conftest.py)."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

LINK = "[official data](https://example.invalid/x)"
IMAGE = "![x](https://example.invalid/p.png)"
JS_LINK = "[click](javascript:alert(1))"
LATEX = "$E=mc^2$"
COLOUR = ":red[alarm]"
ICON = ":material/warning:"
SCRIPT = "<script>alert(1)</script>"
ONERROR = '<img src="https://example.invalid/e.png" onerror="alert(1)">'
TEMPLATE = "{% if '%} {{ 7*7 }} {# c"

#: area code -> hostile name (in the CSV and in the geography metadata)
NAMES = {
    "E06000001": f"Hartlepool {LINK} {TEMPLATE}",
    "E06000063": f"Cumberland {IMAGE} {LATEX}",
    "E06000010": f"Hull {COLOUR} {ICON} **bold**",
    "E12000001": f"North East {SCRIPT} {ONERROR}",
    "S12000033": f"Aberdeen {JS_LINK} # not a heading",
}
#: indicator metadata fields (ELS names) -> hostile values
META = {
    "label": f"Weekly pay {LINK} {LATEX}",
    "subtitle": f"Gross pay {IMAGE} {COLOUR}",
    "longDescription": f"Median pay.\n\n# Heading\n- list {SCRIPT}\n\n{TEMPLATE}",
    "caveats": f"{ONERROR} {JS_LINK} {ICON}",
    "sourceOrg": f"Office {LINK}|NISRA {TEMPLATE}",
    "sourceURL": "https://example.org/a|javascript:alert(1)",
    "prefix": "£{#",
    "suffix": " {{ 7*7 }}",
    "subText": "{% raw %} $x$",
}
NOTE = f"{TEMPLATE} {LINK}"

#: payloads for the renderer check in a real browser (tests/e2e/test_escape_render.py)
PROBE_PAYLOADS = {
    "link": LINK,
    "image": IMAGE,
    "jslink": JS_LINK,
    "latex": f"{LATEX} and $$x^2$$ and $5 to $10",
    "colour": f"{COLOUR} :blue-background[b] :small[s] :help",
    "icons": f"{ICON} :streamlit: :smile: :+1:",
    "emphasis": "**bold** __b__ *i* _i_ ~~s~~ `code`",
    "html": f"{SCRIPT} {ONERROR} &amp; &#91;",
    "autolinks": "https://example.invalid/a www.example.invalid me@example.invalid <https://example.invalid/b>",
    "arrows": "a -> b <- c -- d >= e",
    "blocks": "# Heading\n- item\n1. one\n> quote\n\n| a | b |\n|---|---|\n    code\n---",
    "template": TEMPLATE,
}

#: raw fragments that must never reach a Markdown or HTML body unescaped
RAW_FRAGMENTS = [
    "](https://example.invalid",
    "](javascript:",
    "![x]",
    "$E=mc^2$",
    ":red[",
    ":material/warning",
    "<script",
    "<img",
    "**bold**",
    "{%",
    "{{",
    "{#",
]


def write_payload_source(src: Path, dst: Path) -> Path:
    """Copy the fixture source ``src`` to ``dst`` with the payloads written in."""
    shutil.copytree(src, dst)
    pay = dst / "indicators" / "pay" / "pay.csv"
    rows = list(csv.DictReader(io.StringIO(pay.read_text(encoding="utf-8-sig"))))
    for r in rows:
        r["areanm"] = NAMES.get(r["areacd"], r["areanm"])
        if r["status"] == "c":
            r["notes"] = NOTE
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    pay.write_text(out.getvalue(), encoding="utf-8-sig")

    meta_file = dst / "indicators" / "pay" / "pay.json"
    meta = json.loads(meta_file.read_text())
    meta["ess-beta-metadata"].update(META)
    meta_file.write_text(json.dumps(meta, indent=1))

    geo_file = dst / "boundaries" / "geo-metadata.json"
    geo = json.loads(geo_file.read_text())
    for code, name in NAMES.items():
        if code in geo:
            geo[code]["areanm"] = name
    geo_file.write_text(json.dumps(geo, indent=1))
    return dst
