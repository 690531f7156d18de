"""AppTest: a running app picks up a new build between reruns, every cache follows it, and
the old Store is released (and with it its lease on the old files)."""

from __future__ import annotations

import gc
import weakref

import pytest
from streamlit.testing.v1 import AppTest

from lumap.data import layout
from lumap.data.build import build
from lumap.ui import cache

from .apptest_tools import shown
from .conftest import FIXTURE_SOURCE

PAGES = [
    ("pages/map.py", {"indicator": "weekly-pay", "level": "ltla"}),
    ("pages/map.py", {"indicator": "weekly-pay", "level": "utla"}),
    ("pages/map.py", {"indicator": "weekly-pay", "level": "rgn"}),
    ("pages/map.py", {"indicator": "weekly-pay", "level": "cauth"}),
    ("pages/area.py", {"area": "E06000001"}),
    ("pages/compare.py", {"indicator": "weekly-pay", "areas": "E06000001,E06000010"}),
    ("pages/trends.py", {"indicator": "weekly-pay", "areas": "E06000001,E06000010"}),
    ("pages/missions.py", {}),
    ("pages/data.py", {}),
]


def rebuild(data) -> str:
    assert build(str(FIXTURE_SOURCE), data, progress=lambda m: None).ok
    return layout.current(data).id


def shown_build(at: AppTest) -> str:
    text = " ".join(shown(c.value) for c in at.caption)
    return next(w for w in text.split() if w.startswith("20") and "T" in w).rstrip(",")


@pytest.fixture()
def store_dir(tmp_path, monkeypatch):
    data = tmp_path / "data"
    rebuild(data)
    monkeypatch.setenv("LUMAP_DATA_DIR", str(data))
    return data


def test_a_rerun_after_a_rebuild_shows_the_new_build_and_releases_the_old_store(store_dir):
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.switch_page("pages/data.py").run()
    first = layout.current(store_dir)
    assert not at.exception and shown_build(at) == first.id
    assert first.key in cache._LIVE
    for _ in range(3):
        new = rebuild(store_dir)
        at.run()  # the same session, its next rerun
        assert not at.exception
        assert shown_build(at) == new
    gc.collect()
    live = [k for k in cache._LIVE.keys() if k.startswith(str(store_dir))]
    assert live == [layout.current(store_dir).key]  # the old Stores are gone
    leases = sorted(p.parent.name for p in (store_dir / "leases").glob("*/*"))
    assert leases == [layout.current(store_dir).id]  # only the build in use is held
    rebuild(store_dir)
    # the build that was current and the one before survive; the three older ones are pruned
    assert len(layout.builds(store_dir)) == 2
    assert first.id not in layout.builds(store_dir)


def test_a_run_finishing_on_the_old_build_does_not_put_it_back_in_the_shared_cache(store_dir):
    """A rerun (or the warm-up thread) that began on the previous build and asks for it after
    the caches moved on gets it for itself: it is not cached again, so it is released as soon
    as that run lets go, without waiting for a garbage collection (the server runs none after
    a script) and without pushing the new build out of the cache."""
    gc.collect()
    gc.disable()
    try:
        old_key = cache.store().key
        rebuild(store_dir)
        new = cache.store()
        late = cache._store(old_key)  # the old run, finishing
        assert late.key == old_key and late is not new
        gone = weakref.ref(late)
        del late
        assert gone() is None, "the previous build is held after its last run let go"
        assert cache.store() is new  # the new build stayed in the cache
        leases = sorted(p.parent.name for p in (store_dir / "leases").glob("*/*"))
        assert leases == [layout.current(store_dir).id]
    finally:
        gc.enable()


def test_every_page_opens_on_each_of_three_new_builds(store_dir):
    sessions = {}
    for round_ in range(4):
        expected = layout.current(store_dir).id
        for page, params in PAGES:
            at = sessions.get((page, str(params)))
            if at is None:
                at = AppTest.from_file("../app.py", default_timeout=60)
                for k, v in params.items():
                    at.query_params[k] = v
                at.switch_page(page)
                sessions[(page, str(params))] = at
            at.run()
            assert not at.exception, (round_, page, params, [e.value for e in at.exception])
            if page == "pages/data.py":
                assert shown_build(at) == expected
        if round_ < 3:
            rebuild(store_dir)


def test_a_session_that_never_reruns_does_not_keep_an_old_store(store_dir):
    """A tab left open (or closed, until Streamlit drops its session) keeps its widgets'
    state, format_func included: none of it may hold the Store."""
    idle = []
    for page, params in PAGES:
        at = AppTest.from_file("../app.py", default_timeout=60)
        for k, v in params.items():
            at.query_params[k] = v
        at.switch_page(page).run()
        assert not at.exception
        idle.append(at)  # never run again
    first = layout.current(store_dir).key
    rebuild(store_dir)
    active = AppTest.from_file("../app.py", default_timeout=60)
    active.switch_page("pages/data.py").run()
    gc.collect()
    assert first not in cache._LIVE, "an idle session still holds the previous build's Store"
    assert len(idle) == len(PAGES)


def test_no_store_gives_an_actionable_error_not_a_traceback(tmp_path, monkeypatch):
    data = tmp_path / "fresh-clone-data"
    for name in ("indicators", "boundaries"):
        (data / name).mkdir(parents=True)
        (data / name / "README.md").write_text("what the build writes here")
    monkeypatch.setenv("LUMAP_DATA_DIR", str(data))
    at = AppTest.from_file("../app.py", default_timeout=60).run()
    assert not at.exception
    assert "python -m lumap build" in shown(at.error[0].value) and "make run" in at.error[0].value
