"""lumap as N replicas behind HAProxy, on this machine: ``make serve REPLICAS=N``.

    python deploy/serve.py [--replicas N] [--host 127.0.0.1] [--port 8501]
                           [--base-port 8601] [--data-dir data] [--run-dir DIR]

Starts N identical ``streamlit run app.py`` replicas on 127.0.0.1:BASE+1..BASE+N, all
reading the same (read-only) store and sharing one cookie secret, then HAProxy on
HOST:PORT with deploy/haproxy.cfg: cookie stickiness, websocket tunnels, health checks,
gzip. Each replica is opened once (its first visit) before the balancer sends it anyone.
Prints one line per process (``replica r1 pid … port …``) and runs until interrupted,
then stops everything it started. A replica that dies stays dead (HAProxy takes it out
after two failed checks and sends its users elsewhere); in a real deployment your process
supervisor restarts it.

The cookie secret is $LUMAP_COOKIE_SECRET, or a random one for this run: Streamlit signs
its XSRF cookie with it, so a user moved to another replica must find the same secret.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "deploy" / "haproxy.cfg"


def haproxy_config(bind: str, ports: list[int]) -> str:
    text = CONFIG.read_text().replace("${LUMAP_BIND}", bind)
    servers = "".join(
        f"    server r{i} 127.0.0.1:{p} check cookie r{i}\n" for i, p in enumerate(ports, start=1)
    )
    return text.rstrip("\n") + "\n" + servers


def start_replica(port: int, data_dir: str, secret: str, log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "LUMAP_DATA_DIR": data_dir,
        "STREAMLIT_SERVER_COOKIE_SECRET": secret,
    }
    env.pop("PYTEST_CURRENT_TEST", None)
    cmd = [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.address", "127.0.0.1", "--server.port", str(port),
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]  # fmt: skip
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)


def wait_healthy(url: str, proc: subprocess.Popen, limit: float = 120, body: bytes | None = b"ok") -> None:
    """Until ``url`` answers 200 (with ``body``, unless None)."""
    deadline = time.time() + limit
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"{url} stopped during start-up (exit {proc.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if r.status == 200 and (body is None or r.read() == body):
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer in {limit:.0f} s")


def first_visit(port: int, limit: float = 120) -> None:
    """Run the default page once on a replica (as its first visitor would) before it takes
    traffic: the map component is registered only when a script first imports it, so a
    tab moved onto a replica no script has run on would get a 404 for the map's frame."""
    import asyncio

    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    async def visit() -> None:
        url = f"ws://127.0.0.1:{port}/_stcore/stream"
        async with websockets.connect(url, subprotocols=["streamlit"], max_size=None) as ws:
            msg = BackMsg()
            msg.rerun_script.query_string = ""
            msg.rerun_script.page_name = ""
            await ws.send(msg.SerializeToString())
            while True:
                fm = ForwardMsg()
                fm.ParseFromString(await ws.recv())
                if fm.WhichOneof("type") == "script_finished" and fm.script_finished in (
                    ForwardMsg.FINISHED_SUCCESSFULLY,
                    ForwardMsg.FINISHED_WITH_COMPILE_ERROR,
                ):
                    return

    asyncio.run(asyncio.wait_for(visit(), limit))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--replicas", type=int, default=2)
    ap.add_argument("--host", default="127.0.0.1", help="where the balancer listens")
    ap.add_argument("--port", type=int, default=8501)
    ap.add_argument("--base-port", type=int, default=8600)
    ap.add_argument("--data-dir", default=os.environ.get("LUMAP_DATA_DIR", str(ROOT / "data")))
    ap.add_argument("--run-dir", help="config and logs (default: a new temporary folder)")
    args = ap.parse_args()

    haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
    if not Path(haproxy).exists():
        raise SystemExit("haproxy not found: install Debian's haproxy (make proxy)")
    run_dir = Path(args.run_dir or tempfile.mkdtemp(prefix="lumap-serve-"))
    run_dir.mkdir(parents=True, exist_ok=True)
    secret = os.environ.get("LUMAP_COOKIE_SECRET") or secrets.token_hex(32)
    ports = [args.base_port + i for i in range(1, args.replicas + 1)]

    procs: list[subprocess.Popen] = []

    def stop(*_):
        for p in reversed(procs):
            if p.poll() is None:
                p.terminate()
        for p in procs:
            try:
                p.wait(15)
            except subprocess.TimeoutExpired:
                p.kill()
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        for i, port in enumerate(ports, start=1):
            procs.append(start_replica(port, args.data_dir, secret, run_dir / f"replica-r{i}.log"))
        for i, (port, proc) in enumerate(zip(ports, procs, strict=True), start=1):
            wait_healthy(f"http://127.0.0.1:{port}/_stcore/health", proc)
            first_visit(port)
            print(f"replica r{i} pid {proc.pid} port {port}", flush=True)
        cfg = run_dir / "haproxy.cfg"
        bind = f"{'[' + args.host + ']' if ':' in args.host else args.host}:{args.port}"
        cfg.write_text(haproxy_config(bind, ports))
        check = subprocess.run([haproxy, "-c", "-q", "-f", str(cfg)], capture_output=True, text=True)
        if check.returncode:
            raise SystemExit(f"haproxy rejected {cfg}:\n{check.stdout}{check.stderr}")
        lb = subprocess.Popen(
            [haproxy, "-db", "-f", str(cfg)],
            stdout=(run_dir / "haproxy.log").open("w"),
            stderr=subprocess.STDOUT,
        )
        procs.append(lb)
        shown = "localhost" if args.host in ("127.0.0.1", "::1") else args.host
        wait_healthy(f"http://127.0.0.1:{args.port}/_balancer/health", lb, 30, body=None)
        print(
            f"balancer pid {lb.pid} on http://{shown}:{args.port} (config and logs in {run_dir})", flush=True
        )
        while True:
            if lb.poll() is not None:
                raise SystemExit(f"haproxy stopped (exit {lb.returncode}); see {run_dir}/haproxy.log")
            time.sleep(1)
    finally:
        for p in procs:
            if p.poll() is None:
                p.terminate()
        for p in procs:
            try:
                p.wait(15)
            except subprocess.TimeoutExpired:
                p.kill()


if __name__ == "__main__":
    main()
