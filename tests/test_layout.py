"""The store's layout on disk: data/indicators/ and data/boundaries/ in a fresh clone, the
atomic publish of a build, and pruning that never deletes a build a live reader holds."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from lumap.data import layout
from lumap.data.build import build
from lumap.data.store import Store, StoreMissing

from .conftest import FIXTURE_SOURCE

ROOT = Path(__file__).resolve().parent.parent
QUIET = dict(progress=lambda m: None)
LEVELS = ("ltla", "utla", "cauth", "rgn", "ctry")


def rebuild(data: Path) -> str:
    assert build(str(FIXTURE_SOURCE), data, **QUIET).ok
    return layout.current(data).id


def git(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=ROOT, input=stdin, capture_output=True, text=True)


def test_a_fresh_clone_has_data_indicators_and_boundaries_with_their_readmes():
    tracked = set(git("ls-files", "data").stdout.split())
    assert tracked == {"data/README.md", "data/indicators/README.md", "data/boundaries/README.md"}
    for name in ("indicators", "boundaries"):
        text = (ROOT / "data" / name / "README.md").read_text()
        assert "<build>/" in text and "git-ignored" in text


def test_gitignore_ignores_every_file_a_build_writes_and_no_readme(tmp_path):
    data = tmp_path / "data"
    rebuild(data)
    rebuild(data)  # a second build: leases, the previous build, the lock file
    store = Store(data)  # a reader's lease
    written = sorted(
        "data/" + str(p.relative_to(data)) for p in data.rglob("*") if p.is_file() or p.is_symlink()
    )
    assert any(w.startswith("data/indicators/") for w in written)
    assert any(w.startswith("data/boundaries/") for w in written)
    assert any(w.startswith("data/leases/") for w in written)
    ignored = set(git("check-ignore", "--no-index", "--stdin", stdin="\n".join(written)).stdout.split())
    assert ignored == set(written)
    readmes = "data/README.md\ndata/indicators/README.md\ndata/boundaries/README.md"
    assert git("check-ignore", "--no-index", "--stdin", stdin=readmes).stdout == ""
    del store


def test_make_stores_check_says_missing_for_readmes_only_and_present_after_a_build(tmp_path):
    data = tmp_path / "data"
    for name in ("indicators", "boundaries"):  # what a fresh clone has
        (data / name).mkdir(parents=True)
        (data / name / "README.md").write_text("x")
    check = [sys.executable, "-m", "lumap.data.layout", "check", str(data)]
    assert subprocess.run(check, capture_output=True).returncode == 1
    with pytest.raises(StoreMissing):
        Store(data)
    build_id = rebuild(data)
    r = subprocess.run(check, capture_output=True, text=True)
    assert r.returncode == 0 and build_id in r.stdout


def test_a_store_written_by_an_older_lumap_counts_as_missing_until_rebuilt(tmp_path):
    """A store from before a format change (e.g. no TopoJSON per level) would break pages:
    `make store` rebuilds it and the app says how to, instead of failing on a map."""
    data = tmp_path / "data"
    rebuild(data)
    report = layout.current(data).report
    doc = json.loads(report.read_text())
    assert doc["format"] == layout.STORE_FORMAT
    del doc["format"]  # as written before the number existed
    report.write_text(json.dumps(doc))
    check = [sys.executable, "-m", "lumap.data.layout", "check", str(data)]
    r = subprocess.run(check, capture_output=True, text=True)
    assert r.returncode == 1 and "older lumap" in r.stderr
    with pytest.raises(StoreMissing, match=r"older version of lumap.*lumap build --data-dir"):
        Store(data)
    rebuild(data)
    assert subprocess.run(check, capture_output=True).returncode == 0
    assert Store(data).meta


def test_the_store_is_read_through_data_indicators_and_boundaries(tmp_path):
    data = tmp_path / "data"
    build_id = rebuild(data)
    s = Store(data)
    assert s.build_id == build_id
    assert s.build.indicators == data / "indicators" / build_id
    assert s.build.boundaries == data / "boundaries" / build_id
    assert s.build.areas == data / "boundaries" / build_id / "areas"
    assert (data / "indicators" / build_id / "obs" / "pay.parquet").is_file()
    assert (data / "boundaries" / build_id / "utla.geojson").is_file()
    assert s.boundaries("utla")["features"] and s.geo and s.build_info["datasets"] == 3
    # the report folder only holds the report, the slug registry and links into those folders
    folder = data / "builds" / build_id
    assert sorted(p.name for p in folder.iterdir()) == [
        "areas",
        "boundaries",
        "build.json",
        "indicators",
        "slugs.json",
    ]
    assert all((folder / n).is_symlink() for n in ("areas", "boundaries", "indicators"))


def test_a_store_in_the_layout_before_data_indicators_is_still_read_and_replaced(tmp_path):
    """builds/<id>/{indicators,boundaries,areas} real folders, top-level links (before #14)."""
    data = tmp_path / "data"
    rebuild(data)
    new = layout.current(data)
    old_id = "20200101T000000000000"
    old = data / "builds" / old_id
    old.mkdir()
    for name, src in (("areas", new.areas), ("indicators", new.indicators), ("boundaries", new.boundaries)):
        os.rename(src, old / name)
    (new.folder / "build.json").rename(old / "build.json")
    for p in new.folder.iterdir():
        p.unlink()
    new.folder.rmdir()
    (data / "current").unlink()
    os.symlink(f"builds/{old_id}", data / "current")
    for name in ("indicators", "boundaries", "areas"):
        target = data / name
        if target.is_dir() and not target.is_symlink():
            for p in target.iterdir():
                if p.is_dir():
                    p.rmdir()
            target.rmdir()
        os.symlink(f"current/{name}", target)
    legacy = Store(data)
    assert legacy.build_id == old_id and "weekly-pay" in legacy.meta and legacy.boundaries("ltla")["features"]
    del legacy
    first = rebuild(data)  # publishes in the new layout; the old build is kept as the previous one
    assert not (data / "indicators").is_symlink() and (data / "indicators" / first).is_dir()
    assert not (data / "areas").exists()
    assert old.is_dir()
    rebuild(data)
    assert not old.exists()  # two builds later it is pruned


def test_a_live_reader_keeps_its_build_through_three_rebuilds(tmp_path):
    data = tmp_path / "data"
    first = rebuild(data)
    reader = Store(data)  # nothing but meta and observations is read yet
    for _ in range(3):
        rebuild(data)
    assert first in layout.builds(data)
    # what the reader loads lazily (boundaries of every level, area files) is still there
    for level in LEVELS:
        assert reader.boundaries(level)["features"], level
    assert reader.geo and reader.similar and reader.successors
    del reader
    gc.collect()
    rebuild(data)
    assert first not in layout.builds(data)
    assert not (data / "indicators" / first).exists() and not (data / "boundaries" / first).exists()
    assert len(layout.builds(data)) == 2  # current and previous


def test_a_reader_in_another_process_holds_its_build_until_it_exits(tmp_path):
    data = tmp_path / "data"
    first = rebuild(data)
    code = (
        "import sys, time\nfrom lumap.data.store import Store\n"
        f"s = Store({str(data)!r})\nprint(s.build_id, flush=True)\ntime.sleep(120)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == first
        rebuild(data)
        rebuild(data)
        assert first in layout.builds(data)
        proc.kill()  # a server killed outright leaves its lease behind
        proc.wait()
        rebuild(data)
        assert first not in layout.builds(data)  # the stale lease does not keep it
    finally:
        if proc.poll() is None:
            proc.kill()


def test_leases_of_other_hosts_expire_without_refresh(tmp_path, monkeypatch):
    data = tmp_path / "data"
    first = rebuild(data)
    lease = data / "leases" / first / "otherhost.12345.1"
    lease.parent.mkdir(parents=True, exist_ok=True)
    lease.write_text("0\n")
    rebuild(data)
    rebuild(data)
    assert first in layout.builds(data)  # a fresh lease of another host counts
    old = time.time() - layout.LEASE_TTL - 5
    os.utime(lease, (old, old))
    rebuild(data)
    assert first not in layout.builds(data)


def test_a_reader_that_arrives_while_its_build_is_pruned_retries_on_the_current_one(tmp_path, monkeypatch):
    data = tmp_path / "data"
    first = rebuild(data)
    rebuild(data)
    rebuild(data)
    assert first not in layout.builds(data)
    # the reader read `current` as `first` just before a prune renamed it away
    real, stale = layout.current, [layout.Build(data, first)]
    monkeypatch.setattr(layout, "current", lambda d: stale.pop() if stale else real(d))
    s = Store(data)
    assert s.build_id == real(data).id and not list((data / "leases" / first).glob("*"))
    with pytest.raises(StoreMissing, match="no longer exists"):
        Store(data, first)


def test_prune_leaves_a_build_whose_lease_appears_during_the_prune(tmp_path, monkeypatch):
    data = tmp_path / "data"
    first = rebuild(data)
    rebuild(data)
    second_current = rebuild(data)
    calls = {"n": 0}
    real = layout.live_leases

    def racing(data_dir, build_id):
        # the first check finds no reader; a reader takes its lease right after
        calls["n"] += 1
        if build_id == first and calls["n"] == 2:
            return [Path("reader")]
        return real(data_dir, build_id)

    monkeypatch.setattr(layout, "live_leases", racing)
    # bring `first` back as an unpruned build, then prune it under the race
    assert first not in layout.builds(data)
    (data / "builds" / first).mkdir()
    calls["n"] = 0
    deleted = layout.prune(data, {second_current})
    assert first not in deleted and (data / "builds" / first).is_dir()


def test_a_build_killed_between_its_renames_leaves_the_store_as_it_was(tmp_path, monkeypatch):
    data = tmp_path / "data"
    before = rebuild(data)
    real_rename = os.rename
    seen = {"n": 0}

    def killed(src, dst):
        seen["n"] += 1
        if seen["n"] == 2:  # after the indicators moved, before the boundaries
            raise KeyboardInterrupt
        return real_rename(src, dst)

    monkeypatch.setattr(layout.os, "rename", killed)
    with pytest.raises(KeyboardInterrupt):
        build(str(FIXTURE_SOURCE), data, **QUIET)
    monkeypatch.undo()
    assert layout.current(data).id == before
    s = Store(data)
    assert "weekly-pay" in s.meta and s.boundaries("utla")["features"]
    rebuild(data)  # the next build cleans up the half-published folders
    leftovers = [p.name for p in (data / "indicators").iterdir() if p.name not in layout.builds(data)]
    assert leftovers == [] and not list((data / "builds").glob(".tmp-*"))


def test_builds_of_one_store_run_one_at_a_time(tmp_path):
    data = tmp_path / "data"
    order = []

    def second():
        with layout.build_lock(data):
            order.append("second")

    with layout.build_lock(data):
        t = threading.Thread(target=second)
        t.start()
        time.sleep(0.3)
        order.append("first")
    t.join(5)
    assert order == ["first", "second"]


def test_the_data_page_source_of_truth_build_json_names_the_build(tmp_path):
    data = tmp_path / "data"
    build_id = rebuild(data)
    info = json.loads((data / "builds" / build_id / "build.json").read_text())
    assert info["datasets"] == 3 and Store(data).build_info == info
