"""lumap as replicas behind HAProxy (deploy/serve.py, `make serve`): a tab sticks to one
replica, JS/CSS travel gzipped, and when its replica dies the tab reconnects to another
one and carries on with the same view, restored from its URL."""

from __future__ import annotations

import gzip
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request

import pytest
from playwright.sync_api import expect

from .conftest import ROOT, _free_port, no_exceptions, screenshot, wait_for_app

MAP = "/?indicator=gross-median-weekly-pay&level=ltla"
UPPER = "Counties and unitary authorities (upper tier)"
LOWER = "Local authority districts (lower tier)"


@pytest.fixture(scope="module")
def balancer(real_store_dir, tmp_path_factory):
    """Two replicas and HAProxy; yields (url, {replica name: pid})."""
    port, base = _free_port(), _free_port() + 1000
    run_dir = tmp_path_factory.mktemp("serve")
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"}
    proc = subprocess.Popen(
        [sys.executable, "deploy/serve.py", "--replicas", "2", "--port", str(port),
         "--base-port", str(base), "--data-dir", str(real_store_dir), "--run-dir", str(run_dir)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    pids, lines = {}, []

    def read():
        for line in proc.stdout:
            lines.append(line)

    threading.Thread(target=read, daemon=True).start()
    deadline = time.time() + 180
    while not any(line.startswith("balancer") for line in lines):
        if proc.poll() is not None or time.time() > deadline:
            proc.kill()
            pytest.fail("make serve did not start:\n" + "".join(lines))
        time.sleep(0.2)
    for line in lines:
        if m := re.match(r"replica (r\d+) pid (\d+)", line):
            pids[m[1]] = int(m[2])
    yield f"http://127.0.0.1:{port}", pids
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()


def _get(url: str, cookie: str = "", gzip_ok: bool = True):
    headers = {"Accept-Encoding": "gzip"} if gzip_ok else {}
    if cookie:
        headers["Cookie"] = cookie
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as r:
        return r.status, r.headers, r.read()


def test_sticky_replica_and_gzipped_first_visit(balancer):
    url, _ = balancer
    status, headers, body = _get(url + "/")
    assert status == 200
    cookie = headers["Set-Cookie"].split(";")[0]
    assert cookie.startswith("lumap_replica=r")
    served = {_get(url + "/", cookie)[1]["X-Lumap-Replica"] for _ in range(8)}
    assert served == {cookie.split("=")[1]}, served  # every request of the tab, one replica

    # Streamlit's JS and CSS come gzipped through the balancer
    html = gzip.decompress(body).decode() if headers.get("Content-Encoding") == "gzip" else body.decode()
    assets = re.findall(r'(?:src|href)="\.?/?(static/[^"]+\.(?:js|css))"', html)
    assert any(a.endswith(".js") for a in assets) and any(a.endswith(".css") for a in assets), assets
    plain = zipped = 0
    for a in assets:
        _, h1, raw = _get(f"{url}/{a}", cookie, gzip_ok=False)
        _, h2, packed = _get(f"{url}/{a}", cookie)
        assert h2.get("Content-Encoding") == "gzip", (a, dict(h2))
        assert gzip.decompress(packed) == raw
        plain, zipped = plain + len(raw), zipped + len(packed)
    assert zipped < 0.6 * plain, (plain, zipped)
    print(f"first-visit entry JS/CSS: {plain / 1024:.0f} KB, gzipped {zipped / 1024:.0f} KB")


def test_a_tab_whose_replica_dies_carries_on_on_another(balancer, browser):
    url, pids = balancer
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    ctx.route(lambda u: not u.startswith(url), lambda route: route.abort())
    ctx.set_default_timeout(60_000)
    page = ctx.new_page()
    page.goto(url + MAP)
    wait_for_app(page, timeout=90_000)
    frame = page.frame_locator('iframe[title$="lumap_map"]')
    frame.locator("path.leaflet-interactive").nth(300).wait_for()
    page.get_by_test_id("stRadio").get_by_text(UPPER).click()  # a change of view
    expect(page).to_have_url(re.compile("level=utla"), timeout=60_000)
    wait_for_app(page)
    first = next(c["value"] for c in ctx.cookies() if c["name"] == "lumap_replica")

    killed = time.perf_counter()
    os.kill(pids[first], signal.SIGKILL)
    # the frontend notices and reconnects through the balancer, to the other replica; the
    # page stays as it was meanwhile
    page.locator("[data-testid='stApp'][data-test-connection-state='CONNECTED']").wait_for(
        state="detached", timeout=60_000
    )
    wait_for_app(page, timeout=90_000)
    frame.locator("path.leaflet-interactive").first.wait_for(timeout=90_000)
    recovered = time.perf_counter() - killed
    assert "level=utla" in page.url and "indicator=gross-median-weekly-pay" in page.url, page.url
    assert page.get_by_role("heading", name="Gross median weekly pay").count() == 1
    assert page.get_by_role("radio", name=UPPER).is_checked()
    # and carries on: a change of view on the new replica
    page.get_by_test_id("stRadio").get_by_text(LOWER).click()
    # Streamlit's frontend does not rerun on reconnecting when it had a session, so this
    # first change runs a fresh session on the new replica, where the URL wins (the view
    # is restored from it, level=utla): the change itself is lost (see the note in
    # deploy/README.md). The next change is the user's.
    expect(page.get_by_role("radio", name=UPPER)).to_be_checked(timeout=90_000)
    wait_for_app(page, timeout=90_000)
    assert "level=utla" in page.url, page.url
    now = next(c["value"] for c in ctx.cookies() if c["name"] == "lumap_replica")
    assert now != first, (first, now)
    page.get_by_test_id("stRadio").get_by_text(LOWER).click()
    expect(page).to_have_url(re.compile("level=ltla"), timeout=60_000)
    wait_for_app(page)
    frame.locator("path.leaflet-interactive").nth(300).wait_for()
    no_exceptions(page)
    screenshot(page, "map-after-replica-died")
    print(f"replica {first} killed: the tab carried on on {now} after {recovered:.1f} s")
    ctx.close()
