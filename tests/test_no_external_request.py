"""The server makes no external request when it starts: `make run` (on this machine, and on
a network with HOST=0.0.0.0) never asks the internet for this machine's IP address.

Streamlit's lookup goes through ``requests``, which honours HTTP(S)_PROXY: the server runs
with both pointing at a local socket that records every connection. A control run with the
wildcard address and no ``browser.serverAddress`` shows the probe does catch the lookup."""

from __future__ import annotations

import os
import shlex
import socket
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


class FakeProxy(threading.Thread):
    """Accepts and records connections on 127.0.0.1, answers nothing."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()
        self.sock.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _make_run_command(**make_vars) -> list[str]:
    """The command `make run` would run (store present: only the server line)."""
    args = ["make", "-s", "-n", "run", *(f"{k}={v}" for k, v in make_vars.items())]
    text = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, check=True).stdout
    joined = text.replace("\\\n", " ")
    line = next(x for x in joined.splitlines() if "streamlit run" in x)
    return shlex.split(line)


def _start_and_count_lookups(cmd: list[str], port: int, store_dir) -> tuple[int, str]:
    proxy = FakeProxy()
    proxy.start()
    env = {k: v for k, v in os.environ.items() if k.lower() not in ("no_proxy", "http_proxy", "https_proxy")}
    env |= {
        "HTTP_PROXY": f"http://127.0.0.1:{proxy.port}",
        "HTTPS_PROXY": f"http://127.0.0.1:{proxy.port}",
        "http_proxy": f"http://127.0.0.1:{proxy.port}",
        "https_proxy": f"http://127.0.0.1:{proxy.port}",
        "LUMAP_DATA_DIR": str(store_dir),
    }
    cmd = [c.replace(".venv/bin/python", str(ROOT / ".venv/bin/python")) for c in cmd]
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    out = []
    reader = threading.Thread(target=lambda: out.extend(proc.stdout), daemon=True)
    reader.start()
    try:
        deadline = time.time() + 90
        while time.time() < deadline:
            # the banner is printed (after any lookup) once the server is up
            if any("URL" in line for line in out):
                break
            if proc.poll() is not None:
                pytest.fail("the server stopped:\n" + "".join(out))
            time.sleep(0.2)
        else:
            pytest.fail("no banner:\n" + "".join(out))
        health = urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=10).read()
        assert health == b"ok"
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        proxy.done.set()
        proxy.join()
    return proxy.connections, "".join(out)


def test_make_run_binds_this_machine_and_asks_nobody(app_env):
    port = _free_port()
    cmd = _make_run_command(PORT=port)
    assert cmd[cmd.index("--server.address") + 1] == "127.0.0.1"
    lookups, banner = _start_and_count_lookups(cmd, port, app_env)
    assert lookups == 0, banner
    assert f"http://127.0.0.1:{port}" in banner


def test_make_run_on_a_network_names_itself_and_asks_nobody(app_env):
    port = _free_port()
    cmd = _make_run_command(PORT=port, HOST="0.0.0.0", PUBLIC_HOST="lumap.test")
    lookups, banner = _start_and_count_lookups(cmd, port, app_env)
    assert lookups == 0, banner
    assert f"http://lumap.test:{port}" in banner


def test_control_a_wildcard_address_alone_would_look_up_the_external_ip(app_env):
    port = _free_port()
    cmd = _make_run_command(PORT=port, HOST="0.0.0.0", PUBLIC_HOST="lumap.test")
    cmd = cmd[: cmd.index("--browser.serverAddress")]
    lookups, banner = _start_and_count_lookups(cmd, port, app_env)
    assert lookups >= 1, banner
