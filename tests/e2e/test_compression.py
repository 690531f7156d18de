"""What travels compressed from Streamlit itself (the rest is the reverse proxy's job, see
deploy/): the websocket (permessage-deflate, `server.enableWebsocketCompression`), the map's
boundary files under /app/static/geo and the component's own files (Streamlit's gzip
middleware). Streamlit never compresses its own /static bundles (≈4 MB): a first visit is
compressed only behind the proxy."""

from __future__ import annotations

import base64
import gzip
import http.client
import json
import os
from urllib.parse import urlparse

from lumap import config
from lumap.data.store import Store
from lumap.ui import mapwidget


def _get(app_url: str, path: str, headers: dict) -> http.client.HTTPResponse:
    u = urlparse(app_url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    conn.request("GET", path, headers=headers)
    return conn.getresponse()


def test_websocket_negotiates_deflate(app_url):
    key = base64.b64encode(os.urandom(16)).decode()
    r = _get(
        app_url,
        "/_stcore/stream",
        {
            "Connection": "Upgrade",
            "Upgrade": "websocket",
            "Sec-WebSocket-Version": "13",
            "Sec-WebSocket-Key": key,
            "Sec-WebSocket-Extensions": "permessage-deflate; client_max_window_bits",
            "Sec-WebSocket-Protocol": "streamlit",
        },
    )
    assert r.status == 101
    assert "permessage-deflate" in (r.getheader("Sec-WebSocket-Extensions") or "")


def test_boundary_files_travel_gzipped_and_decode_to_the_store_file(app_url, real_store_dir):
    store = Store(real_store_dir)
    name = mapwidget.published_geometry(store, "ltla")
    r = _get(app_url, f"/app/static/geo/{name}", {"Accept-Encoding": "gzip"})
    body = r.read()
    assert r.status == 200 and r.getheader("Content-Encoding") == "gzip"
    raw = gzip.decompress(body)
    assert raw == (store.build.boundaries / "ltla.topo.json").read_bytes()
    assert len(body) < len(raw) / 2.5  # quantised integers compress well
    assert json.loads(raw)["type"] == "Topology"
    assert (config.STATIC_DIR / "geo" / name).exists()
