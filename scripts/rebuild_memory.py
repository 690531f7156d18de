"""Memory of a running server over repeated rebuilds of its store (prints figures).

Builds a store in a temporary folder from the default source (or --source), starts the app on
it, opens every page in a headless Chromium, then rebuilds N times; after each rebuild the
same pages are opened again and the server's resident memory, the builds it holds leases on
and the builds on disk are printed. A server that released each old Store levels off after
the first rebuild; one that kept them would grow by a store's size per rebuild.

    .venv/bin/python scripts/rebuild_memory.py [--rebuilds 4] [--source DIR]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lumap import config  # noqa: E402
from lumap.data import layout  # noqa: E402
from tests.e2e.servers import streamlit_server  # noqa: E402

VIEWS = [
    "/?indicator=gross-median-weekly-pay&level=ltla",
    "/?indicator=gross-median-weekly-pay&level=utla",
    "/?indicator=gross-median-weekly-pay&level=rgn",
    "/?indicator=gross-median-weekly-pay&level=cauth",
    "/area?area=E06000009",
    "/compare?indicator=gross-median-weekly-pay&areas=E06000009,E08000003,W06000015",
    "/trends?indicator=gross-median-weekly-pay&areas=E06000009,E08000003,W06000015",
    "/missions",
    "/data",
]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def build(source: str, data: Path) -> float:
    t = time.perf_counter()
    cmd = [sys.executable, "-m", "lumap", "build", "--source", source, "--data-dir", str(data)]
    subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - t


def visit(page, url: str) -> None:
    for view in VIEWS:
        page.goto(url + view)
        page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(
            state="attached", timeout=180_000
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rebuilds", type=int, default=4)
    parser.add_argument("--source", default=config.default_source())
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        seconds = build(args.source, data)
        print(f"first build {seconds:.1f} s from {args.source}")
        with streamlit_server(env={"LUMAP_DATA_DIR": str(data)}, name="rebuild-memory") as (url, proc):
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path="/usr/bin/chromium")
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                print(f"{'after':>14} {'build':>22} {'RSS MB':>7} {'held':>5} {'on disk':>8}")
                for i in range(args.rebuilds + 1):
                    if i:
                        build(args.source, data)
                    visit(page, url)
                    time.sleep(1)
                    held = len({p.parent.name for p in (data / "leases").glob("*/*")})
                    label = "first visits" if i == 0 else f"rebuild {i}"
                    print(
                        f"{label:>14} {layout.current(data).id:>22} {rss_mb(proc.pid):7.0f} "
                        f"{held:5d} {len(layout.builds(data)):8d}",
                        flush=True,
                    )
                browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
