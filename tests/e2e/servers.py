"""Extra Streamlit servers for browser tests that need their own store or script (the
session's main server is the ``app_url`` fixture in conftest.py)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, proc: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited ({proc.returncode}); see {log}")
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the server did not start in {timeout:.0f} s; see {log}")


@contextlib.contextmanager
def streamlit_server(
    script: str = "app.py",
    env: dict[str, str] | None = None,
    args: list[str] | None = None,
    name: str = "",
) -> Iterator[tuple[str, subprocess.Popen]]:
    """``streamlit run script`` on a free port with ``env`` added; yields (url, process).
    The project's .streamlit/config.toml applies (cwd is the checkout). Its output goes to
    tests/.streamlit-e2e[-name].log."""
    port = free_port()
    log = ROOT / "tests" / f".streamlit-e2e{'-' + name if name else ''}.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                script,
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
                *(args or []),
            ],
            cwd=ROOT,
            env={**os.environ, **(env or {})},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            wait_healthy(url, proc, log)
            yield url, proc
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()


def block_outside(page, base_url: str) -> list[str]:
    """Abort every request that does not go to ``base_url``; returns the list they go to."""
    outside: list[str] = []

    def block(route):
        outside.append(route.request.url)
        route.abort()

    page.context.route(lambda url: not url.startswith(base_url), block)
    return outside
