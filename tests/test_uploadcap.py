"""The upload cap on Streamlit's real in-memory upload manager (no server needed)."""

from __future__ import annotations

import pytest
from starlette.exceptions import HTTPException
from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
from streamlit.runtime.uploaded_file_manager import UploadedFileRec

from lumap.ui import uploadcap

MB = 1024 * 1024


def rec(file_id: str, size: int) -> UploadedFileRec:
    return UploadedFileRec(file_id=file_id, name="own.csv", type="text/csv", data=b"x" * size)


@pytest.fixture
def manager():
    m = MemoryUploadedFileManager("/_stcore/upload_file")
    assert uploadcap.cap(m) is True
    assert uploadcap.cap(m) is False  # once only
    return m


def held(m, session="s"):
    return [f.file_id for f in m.file_storage.get(session, {}).values()]


def test_a_session_keeps_its_newest_files_only(manager):
    for i in range(5):
        manager.add_file(session_id="s", file=rec(f"f{i}", 1 * MB))
    assert held(manager) == ["f3", "f4"]
    assert manager._total_bytes == 2 * MB
    manager.add_file(session_id="s", file=rec("f4", 2 * MB))  # the same file again replaces it
    assert held(manager) == ["f3", "f4"] and manager._total_bytes == 3 * MB


def test_a_session_keeps_at_most_its_byte_allowance(manager, monkeypatch):
    monkeypatch.setattr(uploadcap, "SESSION_BYTES", 15 * MB)
    manager.add_file(session_id="s", file=rec("a", 9 * MB))
    manager.add_file(session_id="s", file=rec("b", 9 * MB))  # 18 MB > 15: a goes
    assert held(manager) == ["b"] and manager._total_bytes == 9 * MB


def test_sessions_do_not_evict_each_other_and_the_total_is_refused_not_evicted(manager, monkeypatch):
    monkeypatch.setattr(uploadcap, "TOTAL_BYTES", 5 * MB)
    manager.add_file(session_id="a", file=rec("a1", 2 * MB))
    manager.add_file(session_id="b", file=rec("b1", 2 * MB))
    with pytest.raises(HTTPException) as refused:
        manager.add_file(session_id="c", file=rec("c1", 2 * MB))
    assert refused.value.status_code == 503 and "try again" in refused.value.detail
    assert held(manager, "a") == ["a1"] and held(manager, "b") == ["b1"] and held(manager, "c") == []
    manager.remove_session_files("a")  # a tab's session ends: room again
    manager.add_file(session_id="c", file=rec("c1", 2 * MB))
    assert held(manager, "c") == ["c1"] and manager._total_bytes == 4 * MB


def test_outside_a_server_install_does_nothing():
    assert uploadcap.install() is False


def test_the_app_installs_the_cap_before_any_page_runs():
    from pathlib import Path

    app = (Path(__file__).resolve().parent.parent / "app.py").read_text()
    assert app.index("uploadcap.install()") < app.index("st.navigation(")
