"""No user stalls another: while one session renders the heaviest PNG (Trends, ten areas
over faint lines for every other area), another session's map page settles and the
health endpoint answers within 1 s.

The server here runs with ``LUMAP_WORKER_DELAY``: the render worker waits that long
before it renders, so the render is certainly still in progress while the second session
loads its map. (Rendered inside the server process, the PNG would hold the interpreter
lock for seconds and the health checks would stall.)"""

import subprocess
import sys
import threading
import time

import pytest

from .conftest import first_visit, no_exceptions, open_page, screenshot, serve_app, wait_for_app

TEN = "E06000009,E08000003,W06000015,S12000036,E09000033,N09000003,E06000063,E07000117,E08000025,S12000049"
HEAVY = f"/trends?indicator=gross-median-weekly-pay&level=ltla&areas={TEN}&ci=1"
MAP = "/?indicator=gross-median-weekly-pay&level=ltla"  # warm: the first visit opened it
DELAY = 8


@pytest.fixture(scope="module")
def slow_render_url(real_store_dir, browser):
    with serve_app(real_store_dir, LUMAP_WORKER_DELAY=str(DELAY)) as url:
        first_visit(browser, url)
        yield url


PROBE = """
import sys, time, urllib.request
url = sys.argv[1]
while True:
    t = time.perf_counter()
    try:
        ok = urllib.request.urlopen(url, timeout=10).read() == b"ok"
        print(f"{time.perf_counter() - t:.4f}" if ok else "not ok", flush=True)
    except OSError as exc:
        print("error", repr(exc), flush=True)
    time.sleep(0.1)
"""


class HealthProbe:
    """GET /_stcore/health every 100 ms from a process of its own (so the test's own
    threads do not add to the latency); records each answer's latency."""

    def __init__(self, url: str) -> None:
        self.url = url + "/_stcore/health"
        self.latencies: list[float] = []
        self.failures: list[str] = []

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", PROBE, self.url], stdout=subprocess.PIPE, text=True
        )
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            try:
                self.latencies.append(float(line))
            except ValueError:
                self.failures.append(line.strip())

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)
        self.reader.join(10)


def test_map_settles_and_health_answers_while_the_heaviest_png_renders(browser, slow_render_url):
    url = slow_render_url
    ctx_a = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    ctx_b = browser.new_context(viewport={"width": 1400, "height": 1000})
    for ctx in (ctx_a, ctx_b):
        ctx.route(lambda u: not u.startswith(url), lambda route: route.abort())
        ctx.set_default_timeout(60_000)
    a, b = ctx_a.new_page(), ctx_b.new_page()
    open_page(a, url, HEAVY)
    button = a.get_by_role("button", name="Download chart (PNG)")
    button.wait_for()

    probe = HealthProbe(url)
    probe.start()
    with a.expect_download(timeout=150_000) as info:
        clicked = time.perf_counter()
        button.click()
        # the waiting user sees progress: the button spins (and is disabled) meanwhile
        a.locator("[data-testid='stDownloadButton'] button[disabled]").first.wait_for(timeout=10_000)

        # meanwhile another user opens the map: it settles with every polygon drawn
        b.goto(url + MAP)
        wait_for_app(b, timeout=60_000)
        polygons = b.frame_locator('iframe[title$="lumap_map"]').locator("path.leaflet-interactive")
        polygons.nth(300).wait_for(timeout=60_000)
        map_settled = time.perf_counter() - clicked
        still_rendering = a.locator("[data-testid='stDownloadButton'] button[disabled]").count() > 0
    done = time.perf_counter() - clicked
    probe.stop()

    png = open(info.value.path(), "rb").read()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 100_000
    assert still_rendering and map_settled < done, (map_settled, done)
    assert not probe.failures, probe.failures
    assert len(probe.latencies) >= DELAY * 3, len(probe.latencies)  # probed all along
    assert max(probe.latencies) < 1.0, max(probe.latencies)
    no_exceptions(a)
    no_exceptions(b)
    screenshot(b, "map-while-png-renders")
    print(
        f"PNG {done:.1f} s after the click (incl. {DELAY} s injected delay); "
        f"map settled after {map_settled:.1f} s; health max {max(probe.latencies) * 1000:.0f} ms "
        f"over {len(probe.latencies)} probes"
    )
    ctx_a.close()
    ctx_b.close()
