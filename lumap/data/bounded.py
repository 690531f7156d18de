"""Run one expensive step in a worker process held to a time and a memory limit.

Structural checks catch the hostile inputs we know of, but geometry work on a file that
passes them can still be quadratic. The boundary simplification therefore runs in a child
process with an address-space limit and a deadline: whatever the input, the build ends in
bounded time and memory, with a problem saying which limit was hit.

The worker is a fresh ``python -m lumap.data.bounded`` (not a fork of the build, whose
pyarrow threads make forking unsafe, and not multiprocessing's spawn, which re-runs the
caller's main script). Arguments go in as one pickle on stdin; progress messages and the
result come back as JSON lines on stdout.
"""

from __future__ import annotations

import importlib
import json
import os
import pickle
import resource
import selectors
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

_ROOT = Path(__file__).resolve().parents[2]


class Overrun(Exception):
    """The step hit its time or memory limit, crashed, or raised: the message says which."""


def run_bounded(
    target: str,
    args: tuple,
    *,
    seconds: float,
    memory: int,
    on_message: Callable[[str], None] = lambda m: None,
) -> Any:
    """``module:function(*args, progress=...)`` in a worker; its (JSON) result, or :class:`Overrun`."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(_ROOT), os.environ.get("PYTHONPATH")])),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "lumap.data.bounded", str(memory)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=env,
    )
    assert proc.stdin is not None and proc.stdout is not None
    deadline = time.monotonic() + seconds
    try:
        try:
            proc.stdin.write(pickle.dumps((target, args)))
            proc.stdin.close()
        except BrokenPipeError:
            pass
        with selectors.DefaultSelector() as sel:
            sel.register(proc.stdout, selectors.EVENT_READ)
            buffer = b""
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise Overrun(f"took longer than {seconds:,.0f} s and was stopped")
                if not sel.select(min(left, 1.0)):
                    continue
                chunk = os.read(proc.stdout.fileno(), 1 << 16)
                if not chunk:
                    proc.wait()
                    raise Overrun(_died(proc.returncode, memory))
                buffer += chunk
                while b"\n" in buffer:
                    line, buffer = buffer.split(b"\n", 1)
                    what, payload = json.loads(line)
                    if what == "message":
                        on_message(payload)
                    elif what == "ok":
                        return payload
                    elif what == "memory":
                        raise Overrun(f"needed more than {memory / 2**20:,.0f} MB of memory and was stopped")
                    else:
                        raise Overrun(payload)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        proc.stdout.close()


def _died(code: int | None, memory: int) -> str:
    if code is not None and code < 0:
        return f"stopped unexpectedly (signal {-code}; out of memory past {memory / 2**20:,.0f} MB?)"
    return f"stopped unexpectedly (exit code {code})"


_OUT = sys.stdout


def _send(what: str, payload: Any) -> None:
    _OUT.write(json.dumps([what, payload]) + "\n")
    _OUT.flush()


def _worker(memory: int) -> None:
    global _OUT
    _OUT = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)  # anything else the step prints goes to stderr, not into the message stream
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    target, args = pickle.loads(sys.stdin.buffer.read())
    module, name = target.split(":")
    try:
        func = getattr(importlib.import_module(module), name)
        _send("ok", func(*args, progress=lambda m: _send("message", str(m))))
    except MemoryError:
        _send("memory", None)
    except Exception as exc:  # reported to the build as a problem, not a traceback
        if "bad_alloc" in str(exc):
            _send("memory", None)
        else:
            _send("error", f"failed: {type(exc).__name__}: {exc}")


if __name__ == "__main__":
    _worker(int(sys.argv[1]))
