"""Server limits from .streamlit/config.toml: Streamlit's upload endpoint takes an upload of
up to 10 MB from a live session (what the own-data upload needs) and refuses anything larger,
although the page has no uploader at all."""

from __future__ import annotations

import http.client
import json
import tomllib
import uuid

import pytest

from .conftest import wait_for_app
from .servers import ROOT, streamlit_server

MB = 1024 * 1024


def test_the_config_states_the_limits():
    server = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["server"]
    assert server["maxUploadSize"] == 10 and server["maxMessageSize"] == 25


@pytest.fixture(scope="module")
def probe_url():
    with streamlit_server("tests/e2e/session_probe.py", name="session-probe") as (url, _):
        yield url


def _upload(url: str, session_id: str, xsrf: str, size: int) -> int:
    """PUT one file of ``size`` bytes to the upload endpoint, as the file uploader does;
    returns the HTTP status."""
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="own.csv"\r\n'
            "Content-Type: text/csv\r\n\r\n"
        ).encode()
        + b"a" * size
        + f"\r\n--{boundary}--\r\n".encode()
    )
    host, port = url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=60)
    try:
        conn.request(
            "PUT",
            f"/_stcore/upload_file/{session_id}/{uuid.uuid4()}",
            body=body,
            headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "X-Xsrftoken": xsrf,
                "Cookie": f"_streamlit_xsrf={xsrf}",
            },
        )
        return conn.getresponse().status
    except (BrokenPipeError, ConnectionResetError):
        return 413  # refused and closed before the body was all sent
    finally:
        conn.close()


def test_an_upload_over_10_mb_is_refused_and_one_under_is_taken(page, probe_url):
    page.goto(probe_url)
    wait_for_app(page)
    session_id = page.get_by_test_id("stCode").inner_text().strip()
    xsrf = next(c["value"] for c in page.context.cookies() if c["name"] == "_streamlit_xsrf")
    assert len(session_id) >= 32
    assert _upload(probe_url, session_id, xsrf, 9 * MB) == 204  # taken
    assert _upload(probe_url, session_id, xsrf, 10 * MB + 1) == 413  # refused
    assert _upload(probe_url, session_id, xsrf, 50 * MB) == 413
    assert _upload(probe_url, "not-a-session", xsrf, 1024) == 400  # and only for a live session


def test_one_session_posting_upload_after_upload_holds_two_files_at_most(page, probe_url):
    """The endpoint takes files from any live session and Streamlit keeps them all until the
    session ends: lumap's cap (lumap/ui/uploadcap.py) keeps a session's two newest."""
    page.goto(probe_url)
    wait_for_app(page)
    session_id = page.get_by_test_id("stCode").inner_text().strip()
    xsrf = next(c["value"] for c in page.context.cookies() if c["name"] == "_streamlit_xsrf")
    for _ in range(6):
        assert _upload(probe_url, session_id, xsrf, 9 * MB) == 204
    page.reload()  # a new session, the old one still held (kept for reconnection)
    wait_for_app(page)
    held = json.loads(page.get_by_text("held: ").inner_text().removeprefix("held: "))
    assert 2 * 9 * MB <= held[session_id] <= 2 * 9 * MB + 1024, held  # 54 MB posted, two kept
