"""Browser figures for the map page, for any checkout of lumap (so one run can measure the
code before and after a change): first painted map on a warm server, websocket bytes and
time to a repainted map per indicator or year switch, whether pan and zoom survive a switch,
first-visit bytes, and one click right after the polygons show.

    python scripts/mapbench.py [--root CHECKOUT] [--data-dir STORE] [--port-behind URL]

Used by scripts/benchmark.py (``--before REF``). Needs Debian's chromium and Playwright.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
import zlib
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = os.environ.get("LUMAP_CHROMIUM", "/usr/bin/chromium")
MAP_URL = "/?indicator=gross-median-weekly-pay&level=ltla"
SWITCH_INDICATORS = ["Claimant count", "Gross disposable household income", "Gross median weekly pay"]
MAP_FRAME = "iframe[data-testid='stCustomComponentV1']"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def server(root: Path, data_dir: Path, python: str | None = None, extra: list[str] | None = None):
    """`streamlit run app.py` of ``root`` against ``data_dir``; yields the base URL."""
    port = free_port()
    env = {**os.environ, "LUMAP_DATA_DIR": str(data_dir)}
    env.pop("PYTEST_CURRENT_TEST", None)
    log = open(Path(os.environ.get("TMPDIR", "/tmp")) / f"lumap-bench-{port}.log", "w")
    proc = subprocess.Popen(
        [python or sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none", *(extra or [])],
        cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 90
        while time.time() < deadline:
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError(f"server in {root} did not start; see {log.name}")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def settle(page, timeout: int = 60_000) -> None:
    """Streamlit's own signals: connected and the script not running."""
    page.wait_for_timeout(300)  # widgets debounce before a rerun starts
    page.locator("[data-testid='stApp'][data-test-connection-state='CONNECTED']").wait_for(
        state="attached", timeout=timeout
    )
    page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(
        state="attached", timeout=timeout
    )


def map_frame(page):
    handle = page.locator(MAP_FRAME).first.element_handle(timeout=60_000)
    return handle.content_frame()


def wait_polygons(page, at_least: int = 300, timeout: int = 60_000) -> None:
    page.frame_locator(MAP_FRAME).first.locator("path.leaflet-interactive").nth(at_least - 1).wait_for(
        timeout=timeout
    )


WATCH = """() => {
  const svg = document.querySelector('.leaflet-overlay-pane');
  window.__lastMutation = 0;
  new MutationObserver(() => { window.__lastMutation = Date.now(); })
    .observe(svg, {subtree: true, childList: true, attributes: true});
}"""


def choose(page, label: str, option: str) -> int:
    """Pick ``option`` in the select box labelled ``label``; the time (ms) of the pick."""
    box = page.get_by_test_id("stSelectbox").filter(has_text=label).first
    box.click()
    page.keyboard.type(option)
    item = page.get_by_role("option", name=re.compile(re.escape(option), re.I)).first
    item.wait_for()
    t0 = page.evaluate("() => Date.now()")
    item.click()
    return t0


def year_options(page) -> list[str]:
    box = page.get_by_test_id("stSelectbox").filter(has_text="Year").first
    box.click()
    names = [o.inner_text() for o in page.get_by_role("option").all()]
    page.keyboard.press("Escape")
    return names


def measure(url: str, browser, runs: int = 3) -> dict:
    out: dict = {}
    # warm the server (caches, imports)
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = ctx.new_page()
    page.goto(url + MAP_URL)
    wait_polygons(page)
    settle(page)
    ctx.close()

    # first painted map, warm server, fresh browser profile each time
    firsts, first_bytes, first_raw = [], [], []
    for _ in range(runs):
        ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = ctx.new_page()
        responses = []
        page.on("requestfinished", lambda r, acc=responses: acc.append(r))
        ws_bytes = []
        page.on("websocket", lambda ws, acc=ws_bytes: ws.on("framereceived", lambda p: acc.append(len(p))))
        t = time.perf_counter()
        page.goto(url + MAP_URL)
        wait_polygons(page)
        firsts.append(time.perf_counter() - t)
        settle(page)
        body = sum((r.sizes()["responseBodySize"] or 0) for r in responses)
        first_bytes.append(body + sum(ws_bytes))
        first_raw.append(body)
        ctx.close()
    out["first_paint_s"] = statistics.median(firsts)
    out["first_visit_bytes"] = statistics.median(first_bytes)
    out["first_visit_http_bytes"] = statistics.median(first_raw)

    # switches on one page: bytes and time to repainted map, pan/zoom kept
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = ctx.new_page()
    frames: list[bytes] = []
    page.on(
        "websocket",
        lambda ws: ws.on("framereceived", lambda p: frames.append(p if isinstance(p, bytes) else p.encode())),
    )
    page.goto(url + MAP_URL)
    wait_polygons(page)
    settle(page)
    frame = map_frame(page)
    frame.evaluate("() => window.map.setView([51.5, -0.12], 10, {animate: false})")
    view_before = frame.evaluate(
        "() => [window.map.getCenter().lat, window.map.getCenter().lng, window.map.getZoom()]"
    )
    switches = [("Indicator", name) for name in SWITCH_INDICATORS]
    years = year_options(page)
    switches += [("Year", y) for y in years[1:4]]
    per_switch = []
    for label, option in switches:
        frame = map_frame(page)
        frame.evaluate(WATCH)
        frames.clear()
        t0 = choose(page, label, option)
        settle(page)
        page.wait_for_timeout(500)  # let a last repaint land before reading the observer
        frame = map_frame(page)
        last = frame.evaluate("() => window.__lastMutation || 0")
        view = frame.evaluate(
            "() => [window.map.getCenter().lat, window.map.getCenter().lng, window.map.getZoom()]"
        )
        raw = sum(len(f) for f in frames)
        deflated = sum(len(zlib.compress(f, 6)) - 6 for f in frames)
        per_switch.append(
            {
                "switch": f"{label}: {option}",
                "bytes": raw,
                "deflated": deflated,
                "repaint_s": (last - t0) / 1000 if last else None,
                "view_kept": all(abs(a - b) < 1e-6 for a, b in zip(view, view_before, strict=True)),
            }
        )
    ctx.close()
    out["switches"] = per_switch
    out["switch_bytes_median"] = statistics.median(s["bytes"] for s in per_switch)
    out["switch_deflated_median"] = statistics.median(s["deflated"] for s in per_switch)
    times = [s["repaint_s"] for s in per_switch if s["repaint_s"] is not None]
    out["switch_repaint_s_median"] = statistics.median(times) if times else None
    out["switch_repaint_s_max"] = max(times) if times else None
    out["view_kept"] = all(s["view_kept"] for s in per_switch)
    return out


COUNTY_ONLY = "/?indicator=healthy-life-expectancy-female&level=ltla"
HEX_URL = "/?indicator=gross-median-weekly-pay&level=ltla&view=hex"


def measure_finding(url: str, browser, runs: int = 3) -> dict:
    """The figures of #12's finding-a-place and honest-grey work (this checkout only: older
    ones have no hexagons or finder): first painted hexagon map and county-only map (warm
    server, fresh browser), bytes per year switch on both, and from Enter in the finder to
    the map zoomed to the area and its panel drawn."""
    out: dict = {}
    for name, path, polygons in (("hex", HEX_URL, 300), ("county_only", COUNTY_ONLY, 300)):
        firsts = []
        for _ in range(runs):
            ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
            page = ctx.new_page()
            t = time.perf_counter()
            page.goto(url + path)
            wait_polygons(page, polygons)
            firsts.append(time.perf_counter() - t)
            settle(page)
            ctx.close()
        out[f"{name}_first_paint_s"] = statistics.median(firsts)
        ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = ctx.new_page()
        frames: list[bytes] = []
        page.on(
            "websocket",
            lambda ws, acc=frames: ws.on(
                "framereceived", lambda p: acc.append(p if isinstance(p, bytes) else p.encode())
            ),
        )
        page.goto(url + path)
        wait_polygons(page, polygons)
        settle(page)
        sizes = []
        for year in year_options(page)[1:4]:
            frames.clear()
            choose(page, "Year", year)
            settle(page)
            sizes.append(sum(len(f) for f in frames))
        out[f"{name}_switch_bytes_median"] = statistics.median(sizes)
        ctx.close()
    searches = []
    for _ in range(runs):
        ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = ctx.new_page()
        page.goto(url + MAP_URL)
        wait_polygons(page)
        settle(page)
        box = page.get_by_role("combobox", name=re.compile("^Find an area"))
        box.focus()
        page.keyboard.type("Liverpo")
        page.get_by_role("option", name="Liverpool (E08000012)").wait_for()
        page.keyboard.press("ArrowDown")
        t = time.perf_counter()
        page.keyboard.press("Enter")
        frame = map_frame(page)
        frame.wait_for_function("() => window.map.getZoom() > 7", timeout=60_000)
        page.get_by_role("heading", name="Liverpool", exact=True).wait_for(timeout=60_000)
        searches.append(time.perf_counter() - t)
        ctx.close()
    out["search_to_zoomed_panel_s"] = statistics.median(searches)
    return out


def launch(playwright):
    return playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=["--disable-background-networking", "--disable-gpu"]
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", default=str(Path(__file__).resolve().parent.parent))
    ap.add_argument("--data-dir", default=None)
    ap.add_argument("--url", default=None, help="measure a server that is already running")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    root = Path(args.root)
    with sync_playwright() as p:
        browser = launch(p)
        if args.url:
            res = measure(args.url, browser)
        else:
            with server(root, Path(args.data_dir or root / "data"), str(root / ".venv/bin/python")) as url:
                res = measure(url, browser)
        browser.close()
    print(json.dumps(res, indent=1))


if __name__ == "__main__":
    main()
