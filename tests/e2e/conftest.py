"""Real-browser tests: the app in a subprocess, Debian's chromium driven by Playwright,
every request that is not to the app itself blocked (and recorded)."""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "tests" / "screenshots"
CHROMIUM = os.environ.get("LUMAP_CHROMIUM", "/usr/bin/chromium")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium (make browser)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--disable-sync",
            "--disable-gpu",
        ],
    }


@contextlib.contextmanager
def serve_app(store_dir, **env_extra):
    """`streamlit run app.py` on a free port against ``store_dir``; yields its URL."""
    port = _free_port()
    env = {**os.environ, "LUMAP_DATA_DIR": str(store_dir), **env_extra}
    path = ROOT / "tests" / ".streamlit-e2e.log"
    log = open(path, "a" if path.exists() and path.stat().st_size < 5_000_000 else "w")
    log.write(f"\n---- server on port {port} {sorted(env_extra)}\n")
    log.flush()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 120
    while time.time() < deadline:
        if proc.poll() is not None:
            break
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=5).read() == b"ok":
                break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
    if proc.poll() is not None:
        log.close()
        pytest.fail("the app did not start; see tests/.streamlit-e2e.log")
    try:
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def app_url(real_store_dir, browser):
    """A fresh server for each test module, so a slow or stuck module cannot slow the next."""
    with serve_app(real_store_dir) as url:
        first_visit(browser, url)
        yield url


def first_visit(browser, url: str) -> None:
    """Open the root once, as a fresh server's first visitor would. Until some session has
    run app.py's st.navigation, Streamlit treats pages/ as a legacy multipage app and a
    deep link as the first request reruns itself once (see cache._leave_legacy_pages_mode);
    the tests then see the server every later visitor sees."""
    page = browser.new_page()
    try:
        page.goto(url + "/")
        wait_for_app(page, timeout=90_000)
    finally:
        page.close()


@pytest.fixture()
def offline_page(page, app_url):
    """A page on which every non-localhost request is aborted; `page.external` lists them."""
    page.external = []

    def block(route):
        page.external.append(route.request.url)
        route.abort()

    page.context.route(lambda url: not url.startswith(app_url), block)
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.set_default_timeout(60_000)
    return page


def wait_for_app(page, timeout: int = 90_000) -> None:
    """Wait on Streamlit's own signals: connected, and the script not running. Generous:
    a fresh server's first run of a page on a loaded machine takes tens of seconds."""
    page.wait_for_timeout(300)  # widgets debounce ≈200 ms before a rerun starts
    page.locator("[data-testid='stApp'][data-test-connection-state='CONNECTED']").wait_for(
        state="attached", timeout=timeout
    )
    page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(
        state="attached", timeout=timeout
    )


def screenshot(page, name: str) -> Path:
    """The whole page. Streamlit scrolls inside its own container, so ``full_page`` alone
    captures only the viewport: grow the viewport to the content first."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    size = page.viewport_size
    height = page.evaluate(
        "() => { const m = document.querySelector('[data-testid=\"stMain\"]');"
        " return m ? m.scrollHeight : document.body.scrollHeight; }"
    )
    if size and height and height > size["height"]:
        page.set_viewport_size({"width": size["width"], "height": min(int(height) + 40, 8000)})
    page.screenshot(path=str(path), full_page=True)
    if size:
        page.set_viewport_size(size)
    return path


def no_exceptions(page) -> None:
    """Streamlit shows a traceback element when a script raises."""
    assert page.get_by_test_id("stException").count() == 0, page.get_by_test_id(
        "stException"
    ).first.inner_text()


def open_page(page, app_url, path) -> float:
    """Open a deep link and wait until its first chart is drawn; returns the seconds taken."""
    import time as _time

    t = _time.perf_counter()
    page.goto(app_url + path)
    wait_for_app(page)
    page.get_by_test_id("stVegaLiteChart").first.locator("canvas, svg").first.wait_for()
    return _time.perf_counter() - t


def download(page, name: str, timeout: int = 30_000) -> bytes:
    """Click a download button; the downloaded bytes. A PNG is drawn when clicked, in a
    worker process that a busy machine may first have to start: give it longer."""
    with page.expect_download(timeout=timeout) as info:
        page.get_by_role("button", name=name).click()
    return open(info.value.path(), "rb").read()


def select_grid_row(page, grid, text: str, timeout: int = 30_000) -> None:
    """Select the row of an ``st.dataframe`` (single-row selection) that contains ``text``,
    with the keyboard as a person would: focus the grid, arrow to the row, Shift+Space.
    The grid draws on a canvas; its accessible table (one ``td#glide-cell-COL-ROW`` per
    cell, ``aria-selected`` on the current one) says where the cursor is."""
    from playwright.sync_api import expect

    row = grid.locator("tr[aria-rowindex]").filter(has_text=text).first
    target = int(row.get_attribute("aria-rowindex")) - 2  # 1-based, after the header row
    current = grid.locator("td[aria-selected='true']")
    grid.locator("canvas[data-testid='data-grid-canvas']").focus()
    page.keyboard.press("ArrowDown")
    expect(current).to_have_count(1, timeout=timeout)
    at = int(current.get_attribute("id").rsplit("-", 1)[1])
    while at != target:
        page.keyboard.press("ArrowDown" if at < target else "ArrowUp")
        at += 1 if at < target else -1
        expect(current).to_have_id(re.compile(rf"^glide-cell-\d+-{at}$"), timeout=timeout)
    page.keyboard.press("Shift+Space")
