"""How long moving to the next slide of a deck takes, in Debian's chromium (#7).

    python scripts/deckbench.py [--slides N] [--steps K]

Starts its own server against the built store, opens /present with a deck of N live slides
(maps, charts, a change map, a missions section) at 1920×1080, then measures, from the key
press to the slide being ready (its page's script finished, its map painted):

- after (preloaded): → to the next slide, which the deck loaded behind the current one;
- before (not preloaded): a jump to a slide not loaded yet, i.e. what every step costs
  when the next slide's page is built only when asked for (a whole page run).

Figures from one run; run it under the exclusive CPU lock (``flock -x
/work/helpers/cpu.lock``) so that nothing else competes for the cores.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAY = "gross-median-weekly-pay"
AREAS = "E06000009,E08000003,E09000033"


def slides(n: int):
    from lumap import deck

    kinds = [
        ("map", f"indicator={PAY}&year=2024&level=ltla", ""),
        ("compare", f"indicator={PAY}&year=2024&level=ltla&areas={AREAS}", "bars"),
        ("trends", f"indicator={PAY}&level=ltla&areas={AREAS}", ""),
        ("missions", f"view=change&indicator={PAY}&level=ltla&from=2019&to=2024", ""),
        ("map", "indicator=claimant-count&year=2024&level=utla", ""),
        ("missions", f"mission=1&indicator={PAY}&level=ltla", "section"),
    ]
    return [
        deck.make_slide(p, q, f"Slide {i + 1}", "", part) for i, (p, q, part) in enumerate((kinds * 4)[:n])
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--slides", type=int, default=12)
    ap.add_argument("--steps", type=int, default=5)
    args = ap.parse_args()

    from playwright.sync_api import sync_playwright

    from lumap import deck
    from tests.e2e.servers import streamlit_server

    chosen = slides(args.slides)
    with streamlit_server(name="deckbench") as (url, _proc), sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--disable-gpu"])
        page = browser.new_page(viewport={"width": 1920, "height": 1080})
        page.set_default_timeout(180_000)
        page.goto(url + "/")  # the server's first visitor (see tests/e2e/conftest.first_visit)
        page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(state="attached")
        page.goto(f"{url}/present?deck={deck.encode(chosen)}")
        frame = page.frame_locator("iframe[title$='lumap_deck']")
        frame.locator("body[data-ready='1']").wait_for(state="attached")
        body = frame.locator("body")

        def wait_ready(k: int) -> None:
            frame.locator(f"body[data-ready='{k}']").wait_for(state="attached")

        # warm: every kind of page has run once on the server (the first runs fill caches)
        for k in range(2, 7):
            body.evaluate(f"() => window.lumapDeck.show({k})")
            wait_ready(k)
        after, before = [], []
        current = 6
        for _ in range(args.steps):
            # give the neighbours time to load, as a presenter talking over a slide does
            nxt = current + 1
            page.wait_for_function(
                "k => { const f = document.querySelector('iframe[title$=\"lumap_deck\"]');"
                " return f && f.contentWindow.lumapDeck && f.contentWindow.lumapDeck.ready(k); }",
                arg=nxt,
            )
            page.keyboard.press("ArrowRight")
            wait_ready(nxt)
            after.append(body.evaluate("() => window.lumapDeck.timings.at(-1).readyMs"))
            current = nxt
            if current + 4 > len(chosen):
                break
        for k in (1, 12, 3, 10, 2):  # far jumps: the slide is not loaded yet
            if k > len(chosen) or k == current:
                continue
            body.evaluate(f"() => window.lumapDeck.show({k})")
            wait_ready(k)
            rec = body.evaluate("() => window.lumapDeck.timings.at(-1)")
            if not rec["preloaded"]:
                before.append(rec["readyMs"])
            current = k
        browser.close()

    def line(name: str, values: list[float]) -> str:
        if not values:
            return f"{name}: no samples"
        return (
            f"{name}: median {statistics.median(values):,.0f} ms, max {max(values):,.0f} ms "
            f"({len(values)} steps)"
        )

    print(f"deck of {len(chosen)} live slides at 1920×1080, key press -> slide ready")
    print("  " + line("before (next slide built when asked for)", before))
    print("  " + line("after (next slide preloaded)", after))


if __name__ == "__main__":
    main()
