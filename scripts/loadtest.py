"""A room of people at once: N concurrent sessions against a real lumap server.

    python scripts/loadtest.py [-n 1 10 30] [--url URL --pid PID ...] [--app-dir DIR]
                               [--kill-replica-after S] [--journey map,switch,...]

Each session speaks Streamlit's own websocket protocol (the one the browser speaks: the
protobuf BackMsg/ForwardMsg of ``/_stcore/stream``), so the server does exactly the work a
browser would make it do, without 30 browsers eating the two cores the server needs. A
session first fetches what a first-time browser fetches over HTTP (the page, Streamlit's
entry JS/CSS, the map component and Leaflet), then walks the journey:

    open the map → switch indicator → switch year → switch indicator → switch year
    → open Compare → open Missions

(``JOURNEY`` below; add a step for a new page in one line). Widgets are changed the way
the browser changes them: a rerun request carrying the widget's new value and the URL the
server last wrote. Sessions pick different indicators and years (seeded by session
number), as a room of people does; ``--same`` sends everyone down the same path.

Reported per N: time to painted map (the request sent → the map component's message
received: what the browser needs to draw it), time to settled page (→ the script run
finished), median and 95th percentile over every map step; errors (exceptions shown,
timeouts, dropped connections); server CPU seconds per view (the server process and its
children, e.g. image workers, from /proc); the server's resident memory after 1 session
and with all N connected, and per extra session.

Without ``--url`` the script starts its own server (``streamlit run app.py``, from
``--app-dir``, default this checkout) on a free port, against the built store. With
``--url`` (e.g. the balancer of ``make serve``) give ``--pid`` for each server process to
measure. ``--kill-replica-after S`` kills the first ``--pid`` S seconds into the run: its
sessions reconnect (through the balancer, to another replica), reopen the view from their
URL and carry on; recovery times are reported.

The figures are from one run: run it under the exclusive CPU lock
(``flock -x /work/helpers/cpu.lock``) so nothing else competes for the cores.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlparse

ROOT = Path(__file__).resolve().parent.parent

# ---- the journey ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    name: str
    kind: str  # "open" (a URL), "widget" (change a widget by key), "page" (nav link)
    target: str = ""  # URL path + query ("open"), widget key ("widget"), url path ("page")
    map: bool = False  # the step draws the map (time to painted map is measured)


def _slide_path() -> str:
    from lumap import deck

    q = "indicator=gross-median-weekly-pay&year=2024&level=ltla"
    token = deck.encode_slide(deck.make_slide("map", q, "Weekly pay, 2024", "Darker: higher pay"))
    return f"/?{q}&deckslide={token}"


SLIDE = _slide_path()
JOURNEY = [
    Step("open map", "open", "/?indicator=gross-median-weekly-pay&level=ltla", map=True),
    Step("switch indicator", "widget", "indicator", map=True),
    Step("switch year", "widget", "year_period", map=True),
    Step("switch indicator", "widget", "indicator", map=True),
    Step("switch year", "widget", "year_period", map=True),
    Step("open Compare", "page", "compare"),
    Step("open Missions", "page", "missions"),
    # #7: what an attendee opens from the screen: one slide of a deck (its page in slide mode)
    Step("open a slide", "open", SLIDE, map=True),
]
STEP_TIMEOUT = 120.0


# ---- the protocol ---------------------------------------------------------------------------


def _protos():
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    return BackMsg, ForwardMsg


@dataclass
class Timing:
    step: str
    session: int
    painted: float | None
    settled: float | None
    error: str | None = None


@dataclass
class Session:
    """One browser tab: a websocket session and what the page currently shows."""

    n: int
    base: str
    same: bool
    results: list[Timing] = field(default_factory=list)
    query: str = ""
    page: str = ""
    widgets: dict = field(default_factory=dict)  # key -> (id, options, current)
    pages: dict = field(default_factory=dict)  # url path -> page_script_hash
    cache: dict = field(default_factory=dict)  # forward-msg hash -> message
    reconnects: list[float] = field(default_factory=list)
    drops: int = 0
    to_fetch: set = field(default_factory=set)  # static files the page asked for
    fetched: set = field(default_factory=set)
    cookies: dict = field(default_factory=dict)  # e.g. the balancer's replica cookie
    http_bytes: int = 0
    ws_bytes: int = 0

    def __post_init__(self) -> None:
        self.rng = random.Random(0 if self.same else self.n)


class Dropped(Exception):
    pass


async def _connect(s: Session):
    import websockets

    url = s.base.replace("http", "ws", 1) + "/_stcore/stream"
    ws = await websockets.connect(
        url,
        subprotocols=["streamlit"],
        max_size=None,
        open_timeout=60,
        additional_headers=_cookie_header(s),
    )
    _keep_cookies(s, ws.response.headers.get_all("Set-Cookie"))
    return ws


def _cookie_header(s: Session) -> dict:
    return {"Cookie": "; ".join(f"{k}={v}" for k, v in s.cookies.items())} if s.cookies else {}


def _keep_cookies(s: Session, headers) -> None:
    for h in headers or []:
        name, _, rest = h.partition("=")
        s.cookies[name.strip()] = rest.split(";", 1)[0]


def _client_state(s: Session, page_hash: str = "", page_name: str = "", widgets=()):
    BackMsg, _ = _protos()
    msg = BackMsg()
    cs = msg.rerun_script
    cs.query_string = s.query
    if page_hash:
        cs.page_script_hash = page_hash
    if page_name is not None:
        cs.page_name = page_name
    for w in widgets:
        cs.widget_states.widgets.append(w)
    return msg


def _record_widget(s: Session, el) -> None:
    kind = el.WhichOneof("type")
    if kind not in ("selectbox", "radio"):
        return
    w = getattr(el, kind)
    key = w.id.rsplit("-", 1)[-1]
    options = list(w.options)
    if w.set_value and w.HasField("raw_value"):
        current = w.raw_value
    else:
        current = options[w.default] if w.HasField("default") and w.default < len(options) else None
    s.widgets[key] = (w.id, options, current)


async def _run(ws, s: Session, msg, is_map: bool) -> tuple[float | None, float | None, str | None]:
    """Send one rerun request; read until the run finishes. (painted, settled, error)."""
    _, ForwardMsg = _protos()
    t0 = time.perf_counter()
    await ws.send(msg.SerializeToString())
    painted = None
    error = None
    deadline = t0 + STEP_TIMEOUT
    while True:
        left = deadline - time.perf_counter()
        if left <= 0:
            return painted, None, "timeout"
        try:
            raw = await asyncio.wait_for(ws.recv(), timeout=left)
        except TimeoutError:
            return painted, None, "timeout"
        except Exception as exc:  # connection closed
            raise Dropped(repr(exc)) from exc
        s.ws_bytes += len(raw)
        fm = ForwardMsg()
        fm.ParseFromString(raw)
        kind = fm.WhichOneof("type")
        if kind == "ref_hash":
            cached = s.cache.get(fm.ref_hash)
            if cached is None:
                continue
            fm = cached
            kind = fm.WhichOneof("type")
        elif fm.metadata.cacheable and fm.hash:
            s.cache[fm.hash] = fm
        if kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
            el = fm.delta.new_element
            etype = el.WhichOneof("type")
            name = el.component_instance.component_name if etype == "component_instance" else ""
            if "lumap_map" in name or "folium" in name:  # the map (lumap's own, or st_folium before)
                _static_of_map(s, name, el.component_instance.json_args)
                painted = painted or time.perf_counter() - t0
            elif etype == "exception":
                error = error or f"exception: {el.exception.message[:120]}"
            _record_widget(s, el)
        elif kind == "page_info_changed":
            s.query = fm.page_info_changed.query_string
        elif kind == "navigation":
            s.pages = {p.url_pathname: p.page_script_hash for p in fm.navigation.app_pages}
        elif kind == "page_not_found":
            error = error or "page not found"
        elif kind == "script_finished":
            status = ForwardMsg.ScriptFinishedStatus.Name(fm.script_finished)
            if status == "FINISHED_EARLY_FOR_RERUN":
                continue
            if status != "FINISHED_SUCCESSFULLY":
                error = error or status
            settled = time.perf_counter() - t0
            if is_map and painted is None and error is None:
                error = "no map"
            return painted, settled, error


def _static_of_map(s: Session, name: str, json_args: str) -> None:
    """What the browser fetches for a map, once per tab: the component's page and the
    level's geometry file (lumap's own map; st_folium sent its geometry in the message)."""
    import json

    s.to_fetch.add(f"/component/{name}/index.html")
    try:
        args = json.loads(json_args)
    except ValueError:
        return
    for part in ("geometry", "backdrop"):
        url = (args.get(part) or {}).get("url") if isinstance(args.get(part), dict) else None
        if url:
            s.to_fetch.add("/" + url.lstrip("./"))


async def _fetch_new(s: Session) -> None:
    for path in sorted(s.to_fetch - s.fetched):
        s.fetched.add(path)

        def get(path=path) -> None:
            req = urllib.request.Request(
                s.base + path, headers={"Accept-Encoding": "gzip", **_cookie_header(s)}
            )
            with urllib.request.urlopen(req, timeout=60) as r:
                s.http_bytes += len(r.read())

        try:
            await asyncio.to_thread(get)
        except Exception as exc:
            s.results.append(Timing("fetch " + path[:40], s.n, None, None, f"http: {type(exc).__name__}"))


def _widget_msg(s: Session, key: str):
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    wid, options, current = s.widgets[key]
    choices = [o for o in options if o != current] or options
    w = WidgetState(id=wid, string_value=s.rng.choice(choices[: 40 if key == "indicator" else 6]))
    s.widgets[key] = (wid, options, w.string_value)
    return _client_state(s, page_hash=s.pages.get(s.page, ""), page_name=None, widgets=[w])


async def _first_visit(s: Session) -> None:
    """What a first-time browser fetches over HTTP: page, entry JS/CSS, component, Leaflet."""

    def get(path: str) -> None:
        req = urllib.request.Request(s.base + path, headers={"Accept-Encoding": "gzip", **_cookie_header(s)})
        with urllib.request.urlopen(req, timeout=60) as r:
            _keep_cookies(s, r.headers.get_all("Set-Cookie"))
            body = r.read()
            s.http_bytes += len(body)
            if path == "/":
                html = (
                    gzip.decompress(body) if r.headers.get("Content-Encoding") == "gzip" else body
                ).decode()
                assets = re.findall(r'(?:src|href)="(\./static/[^"]+|/static/[^"]+|static/[^"]+)"', html)
                for a in assets:
                    get("/" + a.lstrip("./"))

    await asyncio.to_thread(get, "/")
    for path in ("/app/static/leaflet/leaflet.js", "/app/static/leaflet/leaflet.css"):
        try:
            await asyncio.to_thread(get, path)
        except OSError:
            pass


async def session(s: Session, journey: list[Step], start_delay: float) -> None:
    await asyncio.sleep(start_delay)
    try:
        await _first_visit(s)
    except Exception as exc:  # refused, reset, cut short (a replica killed mid-transfer)
        s.results.append(Timing("first visit", s.n, None, None, f"http: {type(exc).__name__}"))
    ws = None
    dropped_at = None
    i = 0
    while i < len(journey):
        step = journey[i]
        try:
            if ws is None:
                ws = await _connect(s)
                if dropped_at is not None:  # reopen the view from its URL, then carry on
                    painted, settled, err = await _run(ws, s, _client_state(s, page_name=s.page), False)
                    s.results.append(Timing("reopen from URL", s.n, painted, settled, err))
                    if err is None:
                        s.reconnects.append(time.perf_counter() - dropped_at)
                    dropped_at = None
            if step.kind == "open":
                parsed = urlparse(step.target)
                s.page = parsed.path.strip("/")
                s.query = _vary(s, parsed.query)
                msg = _client_state(s, page_name=s.page)
            elif step.kind == "widget":
                msg = _widget_msg(s, step.target)
            else:
                s.page = step.target
                s.query = ""
                msg = _client_state(s, page_hash=s.pages.get(step.target, ""), page_name=step.target)
            painted, settled, err = await _run(ws, s, msg, step.map)
            await _fetch_new(s)
            s.results.append(Timing(step.name, s.n, painted, settled, err))
            i += 1
        except Exception as exc:  # dropped, refused, handshake failed: reconnect
            s.results.append(Timing(step.name, s.n, None, None, f"dropped: {str(exc)[:80]}"))
            ws = None
            dropped_at = dropped_at or time.perf_counter()
            s.drops += 1
            if s.drops > 20:
                return
            await asyncio.sleep(0.5)  # the browser's reconnect back-off starts about here
    s.ws = ws  # kept open: memory is measured with every session connected


def _vary(s: Session, query: str) -> str:
    if s.same:
        return query
    pool = [
        "gross-median-weekly-pay",
        "claimant-count",
        "gross-disposable-household-income-per-head",
        "employment-rate-for-16-to-64-year-olds",
        "healthy-life-expectancy-female",
        "female-life-expectancy",
    ]
    q = dict(p.split("=", 1) for p in query.split("&") if "=" in p)
    q["indicator"] = s.rng.choice(pool)
    return urlencode(q)


# ---- the server ------------------------------------------------------------------------------


def _cpu_seconds(pids: list[int]) -> float:
    """utime + stime of each process and its (waited-for and live) children."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    seen = set()
    for pid in pids:
        for p in [pid, *_children(pid)]:
            if p in seen:
                continue
            seen.add(p)
            try:
                fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            utime, stime, cutime, cstime = (int(x) for x in fields[11:15])
            total += (utime + stime + (cutime + cstime if p == pid else 0)) / tick
    return total


def _children(pid: int) -> list[int]:
    try:
        kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    out = [int(k) for k in kids]
    for k in list(out):
        out += _children(k)
    return out


def _rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        for p in [pid, *_children(pid)]:
            try:
                for line in Path(f"/proc/{p}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            except OSError:
                pass
    return total / 1024


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(app_dir: Path, data_dir: str) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {**os.environ, "LUMAP_DATA_DIR": data_dir}
    env.pop("PYTEST_CURRENT_TEST", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=app_dir, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    _wait_healthy(url)
    return proc, url


def start_balancer(replicas: int, data_dir: str) -> tuple[subprocess.Popen, str, list[int]]:
    """deploy/serve.py: ``replicas`` replicas behind HAProxy; (process, URL, replica pids)."""
    port, base = _free_port(), _free_port() + 1000
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"}
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "deploy" / "serve.py"), "--replicas", str(replicas),
         "--port", str(port), "--base-port", str(base), "--data-dir", data_dir],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    pids = []
    for line in proc.stdout:
        if m := re.match(r"replica r\d+ pid (\d+)", line):
            pids.append(int(m[1]))
        if line.startswith("balancer"):
            return proc, f"http://127.0.0.1:{port}", pids
    raise SystemExit("make serve did not start")


def _wait_healthy(url: str, limit: float = 120) -> None:
    deadline = time.time() + limit
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(url + "/_stcore/health", timeout=5).read() == b"ok":
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not become healthy")


# ---- one run ---------------------------------------------------------------------------------


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    v = sorted(values)
    return v[min(len(v) - 1, max(0, round(q * (len(v) - 1))))]


async def run_n(
    n: int, url: str, pids: list[int], journey, same: bool, ramp: float, kill_after: float | None
) -> dict:
    # one warm session first (the server's first visitor pays imports and cold caches;
    # that is measured separately), then N at once
    warm = Session(-1, url, True)
    await session(warm, journey[:1], 0)
    rss_idle = _rss_mb(pids)
    one = Session(10_000, url, same)
    await session(one, journey, 0)
    rss_one = _rss_mb(pids)
    for ws in (getattr(warm, "ws", None), getattr(one, "ws", None)):
        if ws is not None:
            await ws.close()

    sessions = [Session(i, url, same) for i in range(n)]
    cpu0, t0 = _cpu_seconds(pids), time.perf_counter()
    tasks = [asyncio.create_task(session(s, journey, ramp * i / max(1, n))) for i, s in enumerate(sessions)]
    killed_at = None
    if kill_after is not None:
        await asyncio.sleep(kill_after)
        os.kill(pids[0], signal.SIGKILL)
        killed_at = time.perf_counter() - t0
        pids = pids[1:]
    await asyncio.gather(*tasks)
    wall = time.perf_counter() - t0
    cpu = _cpu_seconds(pids) - cpu0 if kill_after is None else float("nan")
    rss_all = _rss_mb(pids)
    for s in sessions:
        if getattr(s, "ws", None) is not None:
            await s.ws.close()

    results = [r for s in sessions for r in s.results]
    maps = [r for r in results if r.painted is not None]
    settled = [r.settled for r in results if r.settled is not None and r.error is None]
    errors = [r for r in results if r.error]
    views = sum(1 for r in results if r.settled is not None)
    recov = [x for s in sessions for x in s.reconnects if x >= 0]
    return {
        "n": n,
        "wall_s": wall,
        "views": views,
        "painted_median": statistics.median([r.painted for r in maps]) if maps else float("nan"),
        "painted_p95": pct([r.painted for r in maps], 0.95),
        "settled_median": statistics.median(settled) if settled else float("nan"),
        "settled_p95": pct(settled, 0.95),
        "errors": len(errors),
        "error_kinds": sorted({e.error.split(":")[0] for e in errors}),
        "cpu_per_view": cpu / views if views else float("nan"),
        "rss_idle_mb": rss_idle,
        "rss_one_mb": rss_one,
        "rss_all_mb": rss_all,
        "rss_per_extra_mb": (rss_all - rss_one) / max(1, n - 1) if n > 1 else float("nan"),
        "http_kb_per_session": statistics.mean(s.http_bytes for s in sessions) / 1024,
        "ws_kb_per_session": statistics.mean(s.ws_bytes for s in sessions) / 1024,
        "killed_at": killed_at,
        "recovery_s": recov,
        "by_step": _by_step(results),
    }


def _by_step(results: list[Timing]) -> dict:
    out: dict[str, list[float]] = {}
    for r in results:
        if r.settled is not None and r.error is None:
            out.setdefault(r.step, []).append(r.settled)
    return {k: (statistics.median(v), pct(v, 0.95)) for k, v in out.items()}


def report(r: dict) -> None:
    print(
        f"N={r['n']:>3}: painted map median {r['painted_median']:.2f} s, p95 {r['painted_p95']:.2f} s; "
        f"settled median {r['settled_median']:.2f} s, p95 {r['settled_p95']:.2f} s; "
        f"errors {r['errors']} {r['error_kinds'] or ''}; {r['views']} views in {r['wall_s']:.1f} s; "
        f"server CPU {r['cpu_per_view']:.3f} s/view; RSS idle {r['rss_idle_mb']:.0f} MB, "
        f"1 session {r['rss_one_mb']:.0f} MB, {r['n']} sessions {r['rss_all_mb']:.0f} MB "
        f"({r['rss_per_extra_mb']:.2f} MB per extra session); first visit "
        f"{r['http_kb_per_session']:.0f} KB HTTP + {r['ws_kb_per_session']:.0f} KB websocket per session"
    )
    for step, (med, p95) in r["by_step"].items():
        print(f"        {step:<22} settled median {med:.2f} s, p95 {p95:.2f} s")
    if r["killed_at"] is not None:
        rec = r["recovery_s"]
        print(
            f"        killed a replica at {r['killed_at']:.1f} s: {len(rec)} sessions reconnected, "
            f"recovery median {statistics.median(rec) if rec else float('nan'):.1f} s, "
            f"max {max(rec) if rec else float('nan'):.1f} s"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-n", type=int, nargs="+", default=[1, 10, 30])
    ap.add_argument("--url", help="a running server or balancer (default: start one)")
    ap.add_argument(
        "--serve", type=int, metavar="R", help="start R replicas behind HAProxy (deploy/serve.py)"
    )
    ap.add_argument("--pid", type=int, nargs="*", default=[], help="server process(es) to measure")
    ap.add_argument("--app-dir", default=str(ROOT), help="checkout to serve (default: this one)")
    ap.add_argument("--data-dir", default=os.environ.get("LUMAP_DATA_DIR", str(ROOT / "data")))
    ap.add_argument("--same", action="store_true", help="every session takes the same path")
    ap.add_argument("--ramp", type=float, default=3.0, help="seconds over which the N sessions arrive")
    ap.add_argument("--kill-replica-after", type=float, help="kill the first --pid after S seconds")
    ap.add_argument("--journey", help="comma-separated step numbers (default: all)")
    args = ap.parse_args()
    journey = [JOURNEY[int(i)] for i in args.journey.split(",")] if args.journey else JOURNEY

    proc = None
    if args.url:
        url, pids = args.url.rstrip("/"), args.pid
    elif args.serve:
        proc, url, pids = start_balancer(args.serve, args.data_dir)
    else:
        proc, url = start_server(Path(args.app_dir), args.data_dir)
        pids = [proc.pid]
    print(
        f"lumap load test against {url} ({os.cpu_count()} cores), journey: "
        + " → ".join(s.name for s in journey)
    )
    try:
        for n in args.n:
            report(asyncio.run(run_n(n, url, pids, journey, args.same, args.ramp, args.kill_replica_after)))
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(60)


if __name__ == "__main__":
    main()
