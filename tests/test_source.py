"""Building from an http(s) source laid out like ../shared/data gives the same store."""

import functools
import http.server
import threading

import pytest

from lumap.data.build import build
from lumap.data.source import HttpSource, open_source, vintage_name
from lumap.data.store import Store

from .conftest import FIXTURE_SOURCE


@pytest.fixture()
def http_source():
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(FIXTURE_SOURCE))
    handler.log_message = lambda *a: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_http_source_builds_the_same_store_as_the_folder(http_source, tmp_path, fixture_store_dir):
    report = build(http_source, tmp_path / "d", progress=lambda m: None)
    assert report.ok, report.problems
    a, b = Store(tmp_path / "d"), Store(fixture_store_dir)
    assert set(a.meta) == set(b.meta)
    assert a.obs["value"].sum() == pytest.approx(b.obs["value"].sum())
    assert len(a.boundaries("ltla")["features"]) == len(b.boundaries("ltla")["features"])


def test_unreachable_source_is_a_clear_error(tmp_path):
    src = open_source("http://127.0.0.1:9/")
    from lumap.data.source import SourceError

    with pytest.raises(SourceError, match="cannot reach"):
        src.datasets()


def test_public_source_urls_are_in_one_config():
    src = open_source("ons")
    assert isinstance(src, HttpSource)
    url = src.url("indicators/claimant-count/claimant-count.csv")
    assert url.startswith("https://") and url.endswith("/claimant-count/claimant-count.csv")
    assert src.url("boundaries/topo.json").endswith("/src/lib/data/topo.json")


def test_vintage_names():
    assert vintage_name("boundaries/topo.json") == "current"
    assert vintage_name("boundaries/topo-2024-07-01.json") == "2024-07-01"
