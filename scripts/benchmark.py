"""Speed and size figures for lumap, next to a naive baseline measured in the same run.

    python scripts/benchmark.py [--source S] [--repeat N] [--before REF] [--no-browser]

Prints: build time; store load time; server time to rerun each page after a control
change (AppTest, so it includes Streamlit's own script-run overhead); bytes sent to the
browser for one map; peak memory; and a naive baseline (a folium Choropleth of the
unsimplified boundaries, as most tutorials do it). Targets: rerun ≤ 150 ms, build ≤ 30 s.

The map figures (scripts/mapbench.py, in Debian's chromium) and the boundaries' deviation
from the source (lumap.data.deviation) are printed for this checkout and, with ``--before
REF``, for REF checked out in a temporary worktree with its own store, in the same run:
bytes per indicator or year switch ≤ 30 KB, switch to repainted map ≤ 0.7 s, first painted
map ≤ 2 s on a warm server, pan and zoom kept, mean deviation ≤ 100 m at lower tier.

Moving to the next slide of a deck (#7), preloaded or built when asked for, is measured by
scripts/deckbench.py (also in chromium).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SLUG = "gross-median-weekly-pay"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def kb(n: int) -> str:
    return f"{n / 1024:,.0f} KB"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(fn, repeat: int = 1):
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def bench_build(source: str | None, data_dir: Path, messages: list[str] | None = None) -> float:
    from lumap.data.build import build

    t = time.perf_counter()
    report = build(source, data_dir, progress=(messages.append if messages is not None else lambda m: None))
    elapsed = time.perf_counter() - t
    if report.problems:
        print("  build problems:", *report.problems, sep="\n    ")
    return elapsed


def bench_pages(data_dir: Path, repeat: int) -> dict:
    """Server time per rerun of each page after a control change."""
    os.environ["LUMAP_DATA_DIR"] = str(data_dir)
    from streamlit.testing.v1 import AppTest

    from lumap.data.store import Store

    store = Store(data_dir)
    res = {}
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["indicator"] = SLUG
    at.query_params["level"] = "ltla"
    first, _ = timed(at.run)
    res["map: first run (cold caches, imports)"] = first
    from tests.apptest_tools import map_elements

    args = map_elements(at)[0].proto.json_args
    res["_map_bytes"] = len(args)
    res["_map_gzip"] = len(gzip.compress(args.encode()))

    periods = list(store.periods(SLUG)["period"])
    year_times = []
    for p in periods[-1 - repeat : -1]:  # each a new view: caches cold for this view
        at.selectbox(key="year_period").set_value(p)
        year_times.append(timed(at.run)[0])
    res["map: rerun after a year change (new view)"] = statistics.median(year_times)
    ind_times = []
    for indicator in [
        "claimant-count",
        "gross-disposable-household-income-per-head",
        "adult-obesity-prevalence",
        "modelled-unemployment",
        "greenhouse-gas-emissions",
    ][:repeat]:
        at.selectbox(key="indicator").set_value(indicator)
        ind_times.append(timed(at.run)[0])
    res["map: rerun after an indicator change (new view)"] = statistics.median(ind_times)
    back = []
    for indicator in ["claimant-count", "adult-obesity-prevalence"] * 2:
        at.selectbox(key="indicator").set_value(indicator)
        back.append(timed(at.run)[0])
    res["map: rerun returning to a view seen before"] = statistics.median(back)
    return res


TEN = [
    "E06000009",
    "E08000003",
    "W06000015",
    "S12000036",
    "E09000033",
    "N09000003",
    "E06000063",
    "E07000117",
    "E08000025",
    "S12000049",
]


def page_time(page: str, params: dict, runs: int = 3) -> tuple[float, float]:
    """(first render, median of warm reruns) of one page, server side."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.switch_page(page)
    for k, v in params.items():
        at.query_params[k] = v
    first, _ = timed(at.run)
    if at.exception:
        print(f"  {page}: {at.exception[0].value}")
    warm = [timed(at.run)[0] for _ in range(runs)]
    return first, statistics.median(warm)


def bench_other_pages(data_dir: Path) -> list[tuple[str, str, str]]:
    os.environ["LUMAP_DATA_DIR"] = str(data_dir)
    rows = []
    firsts, warms = [], []
    for code in TEN:
        f, w = page_time("pages/area.py", {"area": code}, runs=1)
        firsts.append(f)
        warms.append(w)
    rows.append(("area profile, 10 areas: first render (median)", ms(statistics.median(firsts)), ""))
    rows.append(("area profile, 10 areas: rerun (median)", ms(statistics.median(warms)), ""))
    ten = ",".join(TEN)
    for page, params in (
        ("pages/compare.py", {"indicator": "healthy-life-expectancy-female", "areas": ten}),
        ("pages/trends.py", {"indicator": SLUG, "areas": ten}),
    ):
        f, w = page_time(page, params)
        name = page.split("/")[1][:-3]
        rows.append((f"{name}, 10 areas: first render", ms(f), ""))
        rows.append((f"{name}, 10 areas: rerun", ms(w), ""))
    f, w = page_time("pages/missions.py", {"mission": "1"})
    rows.append(("missions, mission 1 (12 indicators): first render", ms(f), ""))
    rows.append(("missions, mission 1: rerun", ms(w), ""))
    rows.append(("gap verdict, 1,000 simulations × ltla areas × 2 periods", ms(bench_verdict(data_dir)), ""))
    return rows


#: The missions page views timed before/after (#13): all missions, the heaviest mission,
#: one with intervals on every indicator, and (after #13 only) the second catalogue.
MISSION_VIEWS = (
    ("missions, all", {}),
    ("missions, mission 1 (12 indicators)", {"mission": "1"}),
    ("missions, mission 7 (8 indicators)", {"mission": "7"}),
    ("missions, Local Outcomes Framework", {"catalogue": "lof"}),
    # not one of the views lumap build precomputes: computed on demand, in a worker
    ("missions, all, 2022 baseline", {"baseline": "2022"}),
    ("missions, change since baseline (map)", {"view": "change"}),
)

MISSIONS_PROBE = r"""
import json, os, statistics, sys, time
from streamlit.testing.v1 import AppTest
views = json.loads(sys.argv[1])
out = {}
for name, params in views:
    at = AppTest.from_file("app.py", default_timeout=600)
    at.switch_page("pages/data.py")
    t = time.perf_counter(); at.run(); store_s = time.perf_counter() - t  # imports + store
    at.switch_page("pages/missions.py")
    for k, v in params.items():
        at.query_params[k] = v
    t = time.perf_counter(); at.run(); cold = time.perf_counter() - t
    err = [str(e.value)[:200] for e in at.exception]
    warm = []
    for _ in range(3):
        t = time.perf_counter(); at.run(); warm.append(time.perf_counter() - t)
    out[name] = {"store_s": store_s, "cold_s": cold, "warm_s": statistics.median(warm), "errors": err}
    # a fresh process per view: each "cold" starts with empty caches
    break
print(json.dumps(out))
"""


def bench_missions(root: Path, python: str, data_dir: Path) -> dict:
    """Server time of each missions view in ``root``'s code: cold (a new process, the store
    already loaded by another page, every cache empty) and warm (median of 3 reruns). The
    background warm-up is switched off (PYTEST_CURRENT_TEST), so cold is what a visitor who
    arrives before it finished waits for."""
    import json
    import subprocess

    env = {**os.environ, "LUMAP_DATA_DIR": str(data_dir), "PYTEST_CURRENT_TEST": "benchmark"}
    out = {}
    for name, params in MISSION_VIEWS:
        r = subprocess.run(
            [python, "-c", MISSIONS_PROBE, json.dumps([[name, params]])],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
        )
        lines = [x for x in r.stdout.splitlines() if x.startswith("{")]
        out.update(json.loads(lines[-1]) if lines else {name: {"errors": [r.stderr[-300:]]}})
    return out


def missions_rows(before: dict | None, after: dict) -> list[tuple[str, str, str]]:
    def cell(r, name, key):
        v = (r or {}).get(name, {})
        if v.get("errors") or key not in v:
            return "–"
        return ms(v[key])

    rows = []
    for name, _ in MISSION_VIEWS:
        for key, what, goal in (("cold_s", "cold", "≤ 5 s"), ("warm_s", "warm rerun", "≤ 2 s")):
            rows.append((f"{name}: {what}", f"{cell(before, name, key)} → {cell(after, name, key)}", goal))
    return rows


def bench_verdict(data_dir: Path) -> float:
    from lumap.analysis.verdicts import gap_verdict
    from lumap.data.store import Store

    store = Store(data_dir)
    periods = list(store.periods(SLUG)["period"])
    a = store.values(SLUG, periods[-7], "ltla")
    b = store.values(SLUG, periods[-1], "ltla")
    t, _ = timed(lambda: gap_verdict(a, b, 1, n_boot=1000, seed=0), 5)
    return t


def bench_baseline(source_dir: Path, data_dir: Path) -> dict:
    """The naive way: folium.Choropleth over the unsimplified ltla boundaries, built and
    rendered on every rerun."""
    import folium
    import pandas as pd

    from lumap.data.boundaries import decode_topology, geojson_geometry
    from lumap.data.store import Store

    topo = json.loads((source_dir / "boundaries" / "topo.json").read_text())
    decoded = decode_topology(topo, layers=("ltla",))["ltla"]
    features = [
        {"type": "Feature", "properties": props, "geometry": geojson_geometry(geom)}
        for props, geom in decoded
        if geom is not None and props.get("end") is None
    ]
    gj = {"type": "FeatureCollection", "features": features}
    store = Store(data_dir)
    period = store.resolve_year(SLUG, None)
    df = pd.DataFrame(store.values(SLUG, period, "ltla")[["areacd", "value"]])

    def naive():
        m = folium.Map(location=[54.5, -3], zoom_start=5, tiles=None)
        folium.Choropleth(
            geo_data=gj,
            data=df,
            columns=["areacd", "value"],
            key_on="feature.properties.areacd",
            fill_color="YlGnBu",
        ).add_to(m)
        return m.get_root().render()

    t, html = timed(naive, 3)
    return {"time": t, "bytes": len(html), "gzip": len(gzip.compress(html.encode()))}


def store_deviation(data_dir: Path, source_dir: Path, level: str = "ltla") -> dict:
    """Mean / Hausdorff distance (m) of a store's ``level`` boundaries (current vintage) from
    the source TopoJSON's."""
    import shapely

    from lumap.data.boundaries import _repair, decode_topology
    from lumap.data.deviation import deviation

    built = json.loads((data_dir / "current" / "boundaries" / f"{level}.geojson").read_text())
    simple = {
        f["properties"]["areacd"]: shapely.geometry.shape(f["geometry"])
        for f in built["features"]
        if f["properties"].get("end") is None
    }
    topo = json.loads((source_dir / "boundaries" / "topo.json").read_text())
    source = {
        str(p["areacd"]): _repair(g)
        for p, g in decode_topology(topo, layers=(level,))[level]
        if g is not None and p.get("end") is None
    }
    return deviation(simple, source)


def london_deviation(data_dir: Path, source_dir: Path) -> dict:
    """The same for the 33 London boroughs (E09), the test of zoom 12."""
    import shapely

    from lumap.data.boundaries import _repair, decode_topology
    from lumap.data.deviation import deviation

    built = json.loads((data_dir / "current" / "boundaries" / "ltla.geojson").read_text())
    simple = {
        f["properties"]["areacd"]: shapely.geometry.shape(f["geometry"])
        for f in built["features"]
        if f["properties"]["areacd"].startswith("E09")
    }
    topo = json.loads((source_dir / "boundaries" / "topo.json").read_text())
    source = {
        str(p["areacd"]): _repair(g)
        for p, g in decode_topology(topo, layers=("ltla",))["ltla"]
        if g is not None and str(p["areacd"]).startswith("E09")
    }
    return deviation(simple, source)


def before_tree(ref: str, tmp: Path, probe: str = "import streamlit_folium, folium") -> tuple[Path, str]:
    """REF in a temporary git worktree, with an interpreter that can run it: this checkout's
    when it has REF's requirements, else REF's own ``make setup``."""
    import subprocess

    root = tmp / "before"
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(root), ref],
        check=True,
        capture_output=True,
    )
    python = sys.executable
    if subprocess.run([python, "-c", probe], capture_output=True).returncode != 0:
        subprocess.run(["make", "setup"], cwd=root, check=True, capture_output=True)
        python = str(root / ".venv" / "bin" / "python")
    subprocess.run([python, "-m", "lumap.ui.assets"], cwd=root, check=True, capture_output=True)
    return root, python


def measure_tree(root: Path, data_dir: Path, python: str, source_dir: Path | None, browser: bool) -> dict:
    sys.path.insert(0, str(ROOT / "scripts"))
    import mapbench

    out: dict = {}
    if source_dir is not None:
        out["deviation"] = store_deviation(data_dir, source_dir)
        out["london"] = london_deviation(data_dir, source_dir)
    if browser:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            b = mapbench.launch(p)
            with mapbench.server(root, data_dir, python) as url:
                out["browser"] = mapbench.measure(url, b)
                if root == ROOT:  # finder, hexagons, county-only maps: this checkout only
                    out["finding"] = mapbench.measure_finding(url, b)
            b.close()
    return out


def before_after_rows(before: dict | None, after: dict) -> list[tuple[str, str, str]]:
    def both(get, fmt) -> str:
        def one(r):
            try:
                v = get(r)
            except (KeyError, TypeError):
                return "–"
            return "–" if v is None else fmt(v)

        return f"{one(before) if before else '–'} → {one(after)}"

    m = lambda v: f"{v:,.0f} m"  # noqa: E731
    s = lambda v: f"{v:.2f} s"  # noqa: E731
    k = lambda v: f"{v / 1024:,.1f} KB"  # noqa: E731
    return [
        (
            "ltla boundaries: mean deviation from source",
            both(lambda r: r["deviation"]["mean_m"], m),
            "≤ 100 m",
        ),
        ("ltla boundaries: 95th percentile deviation", both(lambda r: r["deviation"]["p95_m"], m), ""),
        (
            "ltla boundaries: median Hausdorff per area",
            both(lambda r: r["deviation"]["hausdorff_median_m"], m),
            "",
        ),
        ("London boroughs: mean deviation", both(lambda r: r["london"]["mean_m"], m), "good at zoom 12"),
        ("London boroughs: 95th percentile", both(lambda r: r["london"]["p95_m"], m), "(1 px ≈ 24 m)"),
        (
            "websocket bytes per indicator/year switch (median)",
            both(lambda r: r["browser"]["switch_bytes_median"], k),
            "≤ 30 KB",
        ),
        ("  same, deflated as on the wire", both(lambda r: r["browser"]["switch_deflated_median"], k), ""),
        (
            "switch → repainted map (median)",
            both(lambda r: r["browser"]["switch_repaint_s_median"], s),
            "≤ 0.7 s",
        ),
        (
            "switch → repainted map (slowest of 6)",
            both(lambda r: r["browser"]["switch_repaint_s_max"], s),
            "",
        ),
        ("first painted map, warm server", both(lambda r: r["browser"]["first_paint_s"], s), "≤ 2 s"),
        ("pan and zoom kept across every switch", both(lambda r: r["browser"]["view_kept"], str), "True"),
        (
            "first visit: bytes received (HTTP + websocket)",
            both(lambda r: r["browser"]["first_visit_bytes"], k),
            "",
        ),
    ]


def missions_main(args, config) -> None:
    """Build one store, then time the missions views of REF (``--before``) and of this
    checkout against it, one fresh process per view."""
    import subprocess

    source = args.source or config.default_source()
    print(f"lumap missions benchmark — source {source}\n")
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "store"
        messages: list[str] = []
        seconds = bench_build(source, data_dir, messages)
        views = [m for m in messages if m.startswith("Missions views")]
        print(f"build: {seconds:.1f} s in all; " + (views[0] if views else "no missions views precomputed"))
        before = None
        if args.before:
            tree, python = before_tree(args.before, Path(tmp), probe="import streamlit, altair")
            try:
                old_store = Path(tmp) / "before-store"
                subprocess.run(
                    [python, "-m", "lumap", "build", "--source", source, "--data-dir", str(old_store)],
                    cwd=tree,
                    check=True,
                    capture_output=True,
                )
                before = bench_missions(tree, python, old_store)
            finally:
                subprocess.run(
                    ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=False
                )
        after = bench_missions(ROOT, sys.executable, data_dir)
    width = max(len(r[0]) for r in missions_rows(before, after))
    print(f"{'view (server time)'.ljust(width)}  {'before → after':>24}  goal")
    for name, value, goal in missions_rows(before, after):
        print(f"{name.ljust(width)}  {value:>24}  {goal}")
    for label, r in (("before", before), ("after", after)):
        for name, v in (r or {}).items():
            if v.get("errors"):
                print(f"{label} {name}: {v['errors'][0]}")


def finding_rows(after: dict, hexagons: dict) -> list[tuple[str, str, str]]:
    """#12's finding-a-place, honest grey and hexagon figures (this checkout)."""
    rows = []
    f = after.get("finding") or {}
    s = lambda v: f"{v:.2f} s"  # noqa: E731
    k = lambda v: f"{v / 1024:,.1f} KB"  # noqa: E731
    for key, name, fmt, target in (
        ("hex_first_paint_s", "hexagon map: first painted, warm server", s, "≤ 2 s"),
        ("hex_switch_bytes_median", "hexagon map: websocket bytes per year switch", k, "≤ 30 KB"),
        ("county_only_first_paint_s", "county-only indicator on districts: first painted", s, "≤ 2 s"),
        ("county_only_switch_bytes_median", "county-only on districts: bytes per year switch", k, "≤ 30 KB"),
        ("search_to_zoomed_panel_s", "finder: Enter → map zoomed and panel drawn", s, ""),
    ):
        if key in f:
            rows.append((name, fmt(f[key]), target))
    for level, h in hexagons.items():
        rows.append(
            (
                f"hexagon layout {level}: areas, cells, file",
                f"{h['hexagons']}, {h['cells']}, {kb(h['bytes'])}",
                "",
            )
        )
    rows += postcode_rows()
    return rows


def postcode_rows(n: int = 2_700_000) -> list[tuple[str, str, str]]:
    """Build and look up a postcode directory the size of the ONS one (≈2.7 million rows,
    generated here in the NSPL layout: the real file is not in the source)."""
    import random

    from lumap.data import postcodes

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "NSPL_SYNTH.csv"
        rng = random.Random(0)
        letters = "ABDEFGHJLNPQRSTUWXYZ"
        keys = []
        with open(src, "w") as fh:
            fh.write("pcd,pcds,doterm,cty,laua\n")
            for i in range(n):
                out = f"{letters[i % 20]}{letters[(i // 20) % 20]}{(i // 400) % 90 + 1}"
                pc = f"{out} {i % 10}{letters[rng.randrange(20)]}{letters[rng.randrange(20)]}"
                fh.write(f"{pc},{pc},,E99999999,E0{6 + i % 4}0000{i % 90:02d}\n")
                if i % 9973 == 0:
                    keys.append(pc)
        t = time.perf_counter()
        info = postcodes.build_lookup(src, Path(tmp))
        built = time.perf_counter() - t
        path = Path(tmp) / postcodes.FILE
        look, _ = timed(lambda: [postcodes.find(path, postcodes.normalise(k)) for k in keys[:50]], 3)
    return [
        (f"postcode lookup: build from {n / 1e6:.1f} M rows", ms(built), ""),
        (
            "postcode lookup: file in the store",
            f"{info['bytes'] / 1e6:,.1f} MB ({info['postcodes']:,} postcodes)",
            "",
        ),
        ("postcode lookup: one postcode, from disk", f"{look / 50 * 1000:.1f} ms", ""),
    ]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--source", default=None)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--before", metavar="REF", help="also measure REF (a commit) in a temporary worktree")
    ap.add_argument("--no-browser", action="store_true", help="skip the browser figures")
    ap.add_argument(
        "--missions-only",
        action="store_true",
        help="only the missions page, cold and warm (with --before REF: before and after in one run)",
    )
    args = ap.parse_args()
    from lumap import config

    if args.missions_only:
        return missions_main(args, config)

    source = args.source or config.default_source()
    print(f"lumap benchmark — source {source}\n")
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        build_s = bench_build(source, data_dir)
        from lumap.data.store import Store

        load_s, _ = timed(lambda: Store(data_dir), 3)
        pages = bench_pages(data_dir, args.repeat)
        base = bench_baseline(Path(source), data_dir) if Path(source).is_dir() else None
        others = bench_other_pages(data_dir)
        peak = peak_rss_mb()
        src_dir = Path(source) if Path(source).is_dir() else None
        before = None
        if args.before:
            import subprocess

            tree, python = before_tree(args.before, Path(tmp))
            try:
                old_store = Path(tmp) / "before-store"
                subprocess.run(
                    [python, "-m", "lumap", "build", "--source", source, "--data-dir", str(old_store)],
                    cwd=tree,
                    check=True,
                    capture_output=True,
                )
                before = measure_tree(tree, old_store, python, src_dir, not args.no_browser)
            finally:
                subprocess.run(
                    ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=False
                )
        after = measure_tree(ROOT, data_dir, sys.executable, src_dir, not args.no_browser)
        built = json.loads((data_dir / "current" / "build.json").read_text())
        hexagons = (built.get("boundaries") or {}).get("hexagons") or {}

    rows = [
        ("build the store", ms(build_s), "≤ 30 s"),
        ("load the store", ms(load_s), ""),
    ]
    for k, v in pages.items():
        if not k.startswith("_"):
            rows.append((k, ms(v), "≤ 150 ms" if "rerun" in k else ""))
    rows.append(
        (
            "bytes to the browser per ltla map view (geometry cached apart)",
            f"{kb(pages['_map_bytes'])} ({kb(pages['_map_gzip'])} gzipped)",
            "≤ 30 KB",
        )
    )
    rows.append(("peak memory (this process, incl. AppTest)", f"{peak:,.0f} MB", ""))
    if base:
        rows.append(("baseline: naive folium Choropleth, build+render", ms(base["time"]), ""))
        rows.append(
            ("baseline: bytes for the same map", f"{kb(base['bytes'])} ({kb(base['gzip'])} gzipped)", "")
        )
        rows.append(("ratio baseline / lumap, bytes", f"{base['bytes'] / pages['_map_bytes']:.1f}×", ""))
        rows.append(
            (
                "ratio baseline / lumap, rerun time",
                f"{base['time'] / pages['map: rerun after a year change (new view)']:.1f}×",
                "",
            )
        )
    rows += others
    label = f"map: before ({args.before}) → after" if args.before else "map: this checkout"
    rows.append((label, "", ""))
    rows += before_after_rows(before, after)
    rows.append(("finding a place, honest grey, hexagons (this checkout)", "", ""))
    rows += finding_rows(after, hexagons)
    width = max(len(r[0]) for r in rows)
    for name, value, target in rows:
        print(f"{name:<{width}}  {value:>24}  {target}")


if __name__ == "__main__":
    main()
