"""A ceiling on what uploads may hold in the server's memory.

Streamlit's upload endpoint (``PUT /_stcore/upload_file/<session>/<file>``) takes one file of
up to ``server.maxUploadSize`` per request, from any live session, whether or not the page
shows an uploader, and keeps every file in memory until the session ends (a closed tab's
session lives on for reconnection). One client posting 9 MB files in a loop would fill the
server. lumap needs one file per session at a time (the own-data upload, #11), so:

- a session keeps at most ``SESSION_FILES`` files and ``SESSION_BYTES`` bytes: a new file
  evicts that session's oldest ones (an uploader holding a replaced file lets it go anyway);
- all sessions together hold at most ``TOTAL_BYTES``: beyond it an upload is refused with
  503 and a message saying to try again later, and nothing already held is lost.

The cap wraps the one upload manager of the running Streamlit runtime (pinned Streamlit;
``tests/e2e/test_limits.py`` checks it through the real endpoint). It is installed by the
first script run of the server (app.py), before any page can show an uploader.
"""

from __future__ import annotations

import threading
from typing import Any

SESSION_FILES = 2
SESSION_BYTES = 20 * 1024 * 1024
TOTAL_BYTES = 300 * 1024 * 1024

_MARK = "_lumap_upload_cap"
_install_lock = threading.Lock()


class UploadsFull(Exception):
    """Raised inside the upload request when the server holds all the uploads it may."""


def _refusal() -> Exception:
    try:  # the endpoint runs on Starlette: its HTTPException becomes the response
        from starlette.exceptions import HTTPException

        return HTTPException(
            status_code=503,
            detail="The server is holding as many uploads as it may; try again in a few minutes.",
        )
    except ImportError:  # pragma: no cover - another server stack
        return UploadsFull("uploads full")


def cap(manager: Any) -> bool:
    """Wrap ``manager.add_file`` with the limits above; True when it was wrapped now."""
    with _install_lock:
        if getattr(manager, _MARK, False):
            return False
        add_file = manager.add_file
        lock = threading.Lock()

        def capped_add_file(session_id: str, file: Any) -> None:
            with lock:
                size = len(file.data)
                held = manager.file_storage.get(session_id, {})
                # the session's oldest files go first (dicts keep insertion order)
                keep = [f for f in held.values() if f.file_id != file.file_id]
                while keep and (
                    len(keep) + 1 > SESSION_FILES or sum(len(f.data) for f in keep) + size > SESSION_BYTES
                ):
                    manager.remove_file(session_id, keep.pop(0).file_id)
                replaced = held.get(file.file_id)
                total = manager._total_bytes - (len(replaced.data) if replaced is not None else 0)
                if total + size > TOTAL_BYTES:
                    raise _refusal()
                add_file(session_id=session_id, file=file)

        manager.add_file = capped_add_file
        setattr(manager, _MARK, True)
        return True


def install() -> bool:
    """Cap the running server's upload manager (no-op outside a server, or when done)."""
    try:
        from streamlit import runtime

        if not runtime.exists():
            return False
        manager = runtime.get_instance().uploaded_file_mgr
    except Exception:  # pragma: no cover - Streamlit internals moved: the test says so
        return False
    if not all(hasattr(manager, a) for a in ("add_file", "remove_file", "file_storage", "_total_bytes")):
        return False
    return cap(manager)
