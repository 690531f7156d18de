"""A running server and three rebuilds of its store: every page still opens, shows the new
build, and the builds the server let go of are pruned (its old Stores were released)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from lumap.data import layout
from tests.conftest import FIXTURE_SOURCE

from .conftest import no_exceptions, screenshot, wait_for_app
from .servers import ROOT, block_outside, streamlit_server

VIEWS = [
    "/?indicator=weekly-pay&level=ltla",
    "/?indicator=weekly-pay&level=utla",
    "/?indicator=weekly-pay&level=rgn",
    "/?indicator=weekly-pay&level=cauth",
    "/area?area=E06000001",
    "/compare?indicator=weekly-pay&areas=E06000001,E06000010",
    "/trends?indicator=weekly-pay&areas=E06000001,E06000010",
    "/missions",
]


def rebuild(data: Path) -> str:
    cmd = [sys.executable, "-m", "lumap", "build", "--source", str(FIXTURE_SOURCE), "--data-dir", str(data)]
    subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
    return layout.current(data).id


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def held_by(data: Path, pid: int) -> set[str]:
    """The builds process ``pid`` holds a lease on (lease files are <host>.<pid>.<n>)."""
    return {p.parent.name for p in (data / "leases").glob("*/*") if p.name.split(".")[-2] == str(pid)}


def data_page_build(page) -> str:
    caption = page.get_by_text("Build 20").first
    caption.wait_for()
    return caption.inner_text().split()[1].rstrip(",")


def test_three_rebuilds_under_a_running_server(page, tmp_path):
    data = tmp_path / "data"
    first = rebuild(data)
    with streamlit_server(env={"LUMAP_DATA_DIR": str(data)}, name="rebuild") as (url, proc):
        outside = block_outside(page, url)
        page.set_viewport_size({"width": 1400, "height": 1000})
        page.set_default_timeout(30_000)
        page.goto(url + "/")
        wait_for_app(page)
        page.goto(url + "/data")
        wait_for_app(page)
        assert data_page_build(page) == first
        memory = [rss_mb(proc.pid)]
        for _ in range(3):
            new = rebuild(data)
            # the open tab's next rerun (a click in the same session) shows the new build
            page.get_by_role("link", name="Map", exact=True).first.click()
            wait_for_app(page)
            no_exceptions(page)
            page.get_by_role("link", name="Data", exact=True).first.click()
            wait_for_app(page)
            assert data_page_build(page) == new
            for view in VIEWS:
                page.goto(url + view)
                wait_for_app(page)
                no_exceptions(page)
                if "level=" in view:
                    frame = page.frame_locator('iframe[title$="lumap_map"]')
                    frame.locator("path.leaflet-interactive").first.wait_for()
            page.goto(url + "/data")
            wait_for_app(page)
            assert data_page_build(page) == new
            memory.append(rss_mb(proc.pid))
        screenshot(page, "data-after-rebuilds")
        # the server: the build in use only, once the runs that began on the previous one
        # (a closing tab's, the warm-up thread's) have finished
        deadline = time.monotonic() + 30
        while (by_server := held_by(data, proc.pid)) != {layout.current(data).id}:
            assert time.monotonic() < deadline, by_server
            time.sleep(0.5)
        leases = list((data / "leases").glob("*/*"))
        # a worker process lets go of its build when its next job names a newer one, so an
        # idle worker may still hold the previous build: kept while held, never deleted under it
        held = {p.parent.name for p in leases}
        rebuild(data)
        kept = set(layout.builds(data))
        assert first not in kept and layout.current(data).id in kept
        assert kept <= held | {layout.current(data).id}, (kept, held)
        print("server RSS (MB) at start and after each rebuild:", [round(m) for m in memory])
        assert outside == []
