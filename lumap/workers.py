"""CPU-heavy steps in worker processes, with a time limit. No Streamlit here.

The server runs every session's script on threads of one process, and only one thread at
a time holds Python's interpreter lock. A step that computes for seconds on a script
thread (vl-convert rendering a PNG holds the lock throughout: a thread ticking every 10 ms
ticked once during a 15 s render) freezes every other session of that process. Such steps
run here instead, each in one of a few long-lived worker processes; the calling thread
only waits on a pipe, which releases the lock, so the server keeps answering. A job that
runs past its time limit has its worker killed and replaced; the caller gets
``JobTimeout``.

A job is ``(function, args, kwargs)`` whose function is importable (module level); the
arguments and the result are pickled (Altair charts and DataFrames in a few ms). Results
of up to a few MB are kept in a small LRU keyed by the pickled job, so asking twice for
the same image or report costs nothing.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import queue
import subprocess
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path

#: Seconds one job may take before its worker is killed.
TIME_LIMIT = float(os.environ.get("LUMAP_WORKER_TIMEOUT", "60"))
#: Seconds a job may wait for a free worker.
QUEUE_LIMIT = float(os.environ.get("LUMAP_WORKER_QUEUE_TIMEOUT", "90"))
#: Worker processes: one core is left to the server itself.
WORKERS = int(os.environ.get("LUMAP_WORKERS", "0")) or max(1, (os.cpu_count() or 2) - 1)
CACHE_BYTES = 64 * 1024 * 1024
#: Seconds each job waits before it starts: only for tests that need a job in progress.
DELAY = float(os.environ.get("LUMAP_WORKER_DELAY", "0"))


class JobError(RuntimeError):
    """The job failed (the message says why)."""


class JobTimeout(JobError):
    """The job took longer than its time limit; its worker was stopped."""


#: Seconds of idleness after which a worker checks whether its build is still current.
IDLE_CHECK = float(os.environ.get("LUMAP_WORKER_IDLE_CHECK", "15"))


def _idle() -> None:
    """Between jobs: let go of a build that is no longer current (:func:`lumap.jobs.let_go_if_old`)."""
    jobs = sys.modules.get("lumap.jobs")
    if jobs is not None:
        try:
            jobs.let_go_if_old()
        except Exception as exc:  # never fatal to the worker
            print(f"lumap worker: idle check failed: {exc}", file=sys.stderr)


def _serve(conn_in: Connection, conn_out: Connection) -> None:  # runs in the worker process
    while True:
        try:
            while not conn_in.poll(IDLE_CHECK):
                _idle()
            job = conn_in.recv_bytes()
        except (EOFError, OSError):
            return
        try:
            fn, args, kwargs = pickle.loads(job)
            if DELAY:
                time.sleep(DELAY)
            out = pickle.dumps(("ok", fn(*args, **kwargs)), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # reported to the caller; the worker lives on
            out = pickle.dumps(("error", f"{type(exc).__name__}: {exc}"))
        try:
            conn_out.send_bytes(out)
        except OSError:  # the server went away
            return


class _Worker:
    """``python -m lumap.workers`` talking pickles over its stdin/stdout. A plain
    subprocess rather than multiprocessing: spawn would re-import the parent's main script,
    and forking a multi-threaded server could copy a held lock."""

    def __init__(self) -> None:
        root = str(Path(__file__).resolve().parents[1])
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")])),
        }
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "lumap.workers"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            cwd=root,
        )
        self.send = Connection(os.dup(self.proc.stdin.fileno()), readable=False)
        self.recv = Connection(os.dup(self.proc.stdout.fileno()), writable=False)
        self.proc.stdin.close()
        self.proc.stdout.close()

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait(5)
        self.send.close()
        self.recv.close()


class WorkerPool:
    """A fixed number of worker processes, each started on first need and kept."""

    def __init__(self, workers: int = WORKERS, cache_bytes: int = CACHE_BYTES) -> None:
        self._size = workers
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._started = 0
        self._prestarted = False
        self._lock = threading.Lock()
        self._cache: OrderedDict[str, bytes] = OrderedDict()  # job -> pickled result
        self._cache_bytes = cache_bytes
        self.stats = {"jobs": 0, "cache_hits": 0, "timeouts": 0, "errors": 0}

    def _take(self, deadline: float) -> _Worker:
        with self._lock:
            if self._idle.empty() and self._started < self._size:
                self._started += 1
                return _Worker()
        try:
            worker = self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise JobError("every worker is busy; try again in a moment") from None
        if not worker.alive():
            worker.kill()
            return _Worker()
        return worker

    def run(
        self,
        fn: Callable,
        *args,
        time_limit: float | None = None,
        queue_limit: float | None = None,
        remember: bool = False,
        **kwargs,
    ):
        """``fn(*args, **kwargs)`` in a worker; its result. Blocks the calling thread only.
        ``remember``: keep the result (by the pickled job) and answer the same job from it."""
        job = pickle.dumps((fn, args, kwargs), protocol=pickle.HIGHEST_PROTOCOL)
        key = hashlib.sha256(job).hexdigest()
        with self._lock:
            if remember and key in self._cache:
                self._cache.move_to_end(key)
                self.stats["cache_hits"] += 1
                return pickle.loads(self._cache[key])[1]
        worker = self._take(time.monotonic() + (QUEUE_LIMIT if queue_limit is None else queue_limit))
        limit = TIME_LIMIT if time_limit is None else time_limit
        try:
            worker.send.send_bytes(job)
            if not worker.recv.poll(limit):
                raise JobTimeout(f"the job took longer than {limit:.0f} s and was stopped")
            raw = worker.recv.recv_bytes()
        except JobTimeout:
            self.stats["timeouts"] += 1
            self._replace(worker)
            raise
        except (EOFError, OSError) as exc:  # the worker died (killed, out of memory)
            self.stats["errors"] += 1
            self._replace(worker)
            raise JobError(f"the worker stopped: {exc or type(exc).__name__}") from exc
        self._idle.put(worker)
        status, value = pickle.loads(raw)
        if status != "ok":
            self.stats["errors"] += 1
            raise JobError(value)
        self.stats["jobs"] += 1
        if remember:
            self._remember(key, raw)
        return value

    def prestart(self) -> None:
        """Start one idle worker now (in the background), so the first click does not
        wait for the worker's imports."""

        def start() -> None:
            with self._lock:
                if self._prestarted or self._started >= self._size:
                    return
                self._prestarted = True
                self._started += 1
            try:
                self._idle.put(_Worker())
            except OSError:
                with self._lock:
                    self._started -= 1

        if not self._prestarted:
            threading.Thread(target=start, daemon=True, name="lumap-worker-start").start()

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            self._started -= 1

    def _remember(self, key: str, raw: bytes) -> None:
        if len(raw) > self._cache_bytes // 4:
            return
        with self._lock:
            self._cache[key] = raw
            while sum(map(len, self._cache.values())) > self._cache_bytes:
                self._cache.popitem(last=False)

    def close(self) -> None:
        while True:
            try:
                self._idle.get_nowait().kill()
            except queue.Empty:
                break
        with self._lock:
            self._started = 0


_pool: WorkerPool | None = None
_pool_lock = threading.Lock()
#: True in a worker process: a job that asks for another job (the offline deck runs a
#: page, whose code asks for its reports) runs it in place instead of starting workers.
IN_WORKER = False


class _InPlace(WorkerPool):
    def __init__(self) -> None:
        super().__init__(workers=0)

    def run(self, fn: Callable, *args, time_limit=None, queue_limit=None, remember=False, **kwargs):
        return fn(*args, **kwargs)

    def prestart(self) -> None:
        return None


def pool() -> WorkerPool:
    """The process-wide pool (one per server process; in a worker, jobs run in place)."""
    global _pool
    with _pool_lock:
        if IN_WORKER and not isinstance(_pool, _InPlace):
            _pool = _InPlace()
        if _pool is None:
            _pool = WorkerPool()
        return _pool


def run(fn: Callable, *args, **kwargs):
    """``fn(*args, **kwargs)`` in the shared pool."""
    return pool().run(fn, *args, **kwargs)


def _main() -> None:
    """Worker entry point: jobs on stdin, results on stdout (print goes to stderr)."""
    import lumap.workers as module  # this file runs as __main__: mark the importable module too

    global IN_WORKER
    IN_WORKER = module.IN_WORKER = True
    conn_in, conn_out = Connection(os.dup(0), writable=False), Connection(os.dup(1), readable=False)
    os.dup2(2, 1)
    _serve(conn_in, conn_out)


if __name__ == "__main__":
    _main()
