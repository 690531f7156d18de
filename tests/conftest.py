"""Shared fixtures: a store built from the hand-made fixture source, and the real store."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lumap import config

FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE_SOURCE = FIXTURES / "source"


def have_shared_data() -> bool:
    return config.SHARED_SOURCE.is_dir()


@pytest.fixture(scope="session")
def fixture_store_dir(tmp_path_factory) -> Path:
    """A store built from tests/fixtures/source (hand-made, tiny)."""
    from lumap.data.build import build

    d = tmp_path_factory.mktemp("fixture-store")
    build(str(FIXTURE_SOURCE), d, progress=lambda m: None)
    return d


@pytest.fixture(scope="session")
def real_store_dir(tmp_path_factory) -> Path:
    """The store the app uses: data/ (or $LUMAP_DATA_DIR) when built, else built now into a
    temporary folder from the default source."""
    from lumap.data import layout

    d = config.data_dir()
    if layout.current(d) is not None:
        return d
    from lumap.data.build import build

    d = tmp_path_factory.mktemp("real-store")
    build(None, d, progress=lambda m: None)
    return d


@pytest.fixture(scope="session")
def payload_store_dir(tmp_path_factory) -> Path:
    """A store built from the fixture source with hostile names, labels and notes
    (tests/payloads.py)."""
    from lumap.data.build import build

    from .payloads import write_payload_source

    root = tmp_path_factory.mktemp("payload-store")
    source = write_payload_source(FIXTURE_SOURCE, root / "source")
    build(str(source), root / "data", progress=lambda m: None)
    return root / "data"


@pytest.fixture()
def copy_source(tmp_path) -> Path:
    """A writable copy of the fixture source, to break on purpose."""
    dst = tmp_path / "source"
    shutil.copytree(FIXTURE_SOURCE, dst)
    return dst


@pytest.fixture()
def app_env(real_store_dir, monkeypatch):
    monkeypatch.setenv("LUMAP_DATA_DIR", str(real_store_dir))
    return real_store_dir


def _copy_store(src: Path, dst: Path) -> Path:
    """A copy of a store (its relative links kept), without the leases of running servers."""
    shutil.copytree(src, dst, symlinks=True, ignore=shutil.ignore_patterns("leases", ".build.lock"))
    return dst


@pytest.fixture(scope="session")
def store_with_postcodes(real_store_dir, tmp_path_factory) -> Path:
    """The real store with a postcode lookup built from the hand-made NSPL-layout fixture
    (the source data has no postcode directory)."""
    from lumap.data import layout, postcodes

    data = _copy_store(real_store_dir, tmp_path_factory.mktemp("pc-store") / "data")
    postcodes.build_lookup(FIXTURES / "postcodes" / "NSPL_SMALL_UK.csv", layout.current(data).areas)
    return data


@pytest.fixture(scope="session")
def store_without_postcodes(real_store_dir, tmp_path_factory) -> Path:
    """The real store with no postcode lookup, as a build from the source alone makes it."""
    from lumap.data import layout, postcodes

    data = _copy_store(real_store_dir, tmp_path_factory.mktemp("no-pc-store") / "data")
    for name in (postcodes.FILE, postcodes.INFO):
        (layout.current(data).areas / name).unlink(missing_ok=True)
    return data
