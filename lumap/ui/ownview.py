"""The "Your data" page's parts: what to upload, the column form, the validation report,
and the uploaded indicators with their links, gap verdicts and source-folder download.

Reading and checking a file runs in a worker process (``lumap.jobs.upload_*``): a 10 MB
workbook takes seconds of CPU, which must not hold the server's interpreter lock."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from lumap import jobs, workers
from lumap.analysis.missionreport import BASELINES
from lumap.data import levels as lv
from lumap.data import upload
from lumap.data.limits import MB
from lumap.data.metadata import slugify
from lumap.data.sourcefolder import folder_slug, source_folder
from lumap.data.store import Store
from lumap.data.upload import Columns, OwnIndicator, Preview, Report, Settings
from lumap.escape import md
from lumap.ui import downloads, owndata

PAGE = "pages/yourdata.py"
_PREVIEW = "_own_preview"  # (file digest, Preview)
_CHECKED = "_own_checked"  # (file digest, Report, OwnIndicator | None)
_UPLOADER = "_own_uploader_n"
POLARITY = {1: "Higher is better", -1: "Lower is better", 0: "Neither (neutral)"}
LIMITS = (
    f"A .csv or .xlsx file of at most {upload.MAX_BYTES // MB} MB and {upload.ROW_LIMIT:,} rows; "
    f"up to {owndata.MAX_INDICATORS} uploads per session."
)


def intro() -> None:
    st.markdown(
        "Put your own figures — a survey, service data, a local target, an FOI spreadsheet — on "
        "the same maps, comparisons, trends, area profiles and gap tests as the official "
        "statistics. Every title, legend, sentence, CSV and image of them says **your data**."
    )
    st.info(
        "**Only you see it.** The file stays in this browser session: nothing is written to "
        "lumap's store, nothing is shown to anyone else, and it is gone when you close the tab. "
        "A link to a view of your data does not open it anywhere else. "
        f"**Limits:** {LIMITS}",
        icon=":material/lock:",
    )


def format_help() -> None:
    with st.expander("What the file should look like, and a template", expanded=not owndata.indicators()):
        st.markdown(
            "One row per area and period, with a header row:\n\n"
            "- **area code** — a GSS code such as `E06000001` (local authorities, counties, combined "
            "authorities, regions, countries). Rows without a code are matched by **area name**; "
            "names that match no area, or more than one, are listed.\n"
            "- **period** — a year (`2024`), a date (`2024-03-31`), `FY 2023-24`, `AY 2023-24`, "
            "`Mar 2025`, or an ISO interval (`2023-04-01/P1Y`).\n"
            "- **value** — a number (empty where there is none).\n"
            "- **lower / upper 95% limits** — optional; give both or neither.\n\n"
            "Excel: the first sheet is read, values only (lumap never calculates formulas)."
        )
        with st.container(horizontal=True):
            st.download_button(
                "Template (CSV)",
                upload.template_csv(),
                "lumap-your-data-template.csv",
                "text/csv",
                on_click="ignore",
                key="own_template_csv",
            )
            st.download_button(
                "Template (Excel)",
                upload.template_xlsx(),
                "lumap-your-data-template.xlsx",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                on_click="ignore",
                key="own_template_xlsx",
            )


def uploader():
    n = st.session_state.setdefault(_UPLOADER, 0)
    return st.file_uploader(
        "Upload a CSV or Excel file",
        type=["csv", "xlsx"],
        key=f"own_upload_{n}",
        max_upload_size=upload.MAX_BYTES // MB,
        help=LIMITS,
    )


def _digest(data: bytes, name: str) -> str:
    return hashlib.sha256(name.encode("utf-8", "surrogatepass") + b"\0" + data).hexdigest()


def preview(data: bytes, name: str) -> Preview:
    """The file's columns and first rows (read once per file, in a worker)."""
    digest = _digest(data, name)
    held = st.session_state.get(_PREVIEW)
    if held and held[0] == digest:
        return held[1]
    result = _run(jobs.upload_preview, data, name)
    if isinstance(result, str):
        result = Preview(name, "file", (), (), 0, (result,), Columns())
    st.session_state[_PREVIEW] = (digest, result)
    st.session_state.pop(_CHECKED, None)
    return result


def _run(fn, *args):
    """A worker job, or the message to show when it failed (never a traceback)."""
    try:
        with st.spinner("Reading the file …"):
            return workers.run(fn, *args)
    except workers.JobTimeout:
        return "reading the file took too long and was stopped: is it very large, or very wide?"
    except workers.JobError as exc:
        return f"the file could not be read ({str(exc)[:300]})"


def show_preview(p: Preview) -> bool:
    """The first rows; False (after saying why) when the file cannot be used at all."""
    if p.errors:
        st.error(md(f"{p.file} cannot be used: " + " ".join(p.errors)), icon=":material/error:")
        return False
    st.caption(md(f"{p.file}: {p.kind}, {p.rows:,} data rows. The first rows:"))
    cols = _unique(p.header)
    st.dataframe(pd.DataFrame([list(r) for r in p.sample], columns=cols), hide_index=True, width="stretch")
    return True


def _unique(header) -> list[str]:
    out: list[str] = []
    for h in header:
        name, n = (h or "(blank)"), 2
        while name in out:
            name, n = f"{h} ({n})", n + 1
        out.append(name)
    return out


def form(p: Preview) -> tuple[Columns, Settings] | None:
    """The column mapping and what the figures are; (columns, settings) when submitted."""
    options = [""] + [h for h in dict.fromkeys(p.header) if h]
    g = p.guess

    def pick(label: str, guess: str, key: str, help: str | None = None) -> str:
        return st.selectbox(
            label,
            options,
            index=options.index(guess) if guess in options else 0,
            format_func=lambda h: h or "— none —",
            key=key,
            help=help,
        )

    with st.form("own_form", border=True):
        st.markdown("**Which column holds what**")
        c1, c2, c3 = st.columns(3)
        with c1:
            areacd = pick("Area code", g.areacd, "own_col_areacd", "GSS codes such as E06000001")
            areanm = pick("Area name (used where a row has no code)", g.areanm, "own_col_areanm")
        with c2:
            period = pick("Period", g.period, "own_col_period")
            value = pick("Value", g.value, "own_col_value")
        with c3:
            lci = pick("Lower 95% limit (optional)", g.lci_95, "own_col_lci")
            uci = pick("Upper 95% limit (optional)", g.uci_95, "own_col_uci")
        st.markdown("**What the figures are**")
        c1, c2 = st.columns([2, 1])
        stem = p.file.rsplit(".", 1)[0].replace("_", " ").replace("-", " ").strip()
        label = c1.text_input(
            "Name (label)", value=stem[:60] or "My figures", max_chars=upload.MAX_LABEL, key="own_label"
        )
        unit = c2.text_input(
            "Unit", max_chars=upload.MAX_UNIT, help="£, %, people, per 1,000 … (optional)", key="own_unit"
        )
        c1, c2 = st.columns([2, 1])
        polarity = c1.radio(
            "Which way is better?",
            list(POLARITY),
            format_func=POLARITY.get,
            horizontal=True,
            key="own_polarity",
        )
        decimals = c2.selectbox(
            "Decimal places shown",
            [None, 0, 1, 2, 3],
            format_func=lambda d: "as in the file" if d is None else str(d),
            key="own_decimals",
        )
        description = st.text_area("Description (optional)", max_chars=2000, height=80, key="own_description")
        submitted = st.form_submit_button("Check the file", type="primary")
    if not submitted:
        return None
    columns = Columns(areacd, areanm, period, value, lci, uci)
    return columns, Settings(label, unit, polarity, decimals, description)


def check(data: bytes, name: str, store: Store, columns: Columns, settings: Settings) -> None:
    """Check the file in a worker and keep the report for this file."""
    official = {s for s in store.meta if not owndata.has(s)}  # the same name again replaces
    indicator = upload.default_slug(settings.label, official)
    result = _run(jobs.upload_check, store.key, data, name, columns, settings, indicator)
    if isinstance(result, str):
        result = (Report(name, "file", errors=(result,)), None)
    st.session_state[_CHECKED] = (_digest(data, name), *result)


def checked(data: bytes, name: str) -> tuple[Report, OwnIndicator | None] | None:
    held = st.session_state.get(_CHECKED)
    if held and held[0] == _digest(data, name):
        return held[1], held[2]
    return None


def report(rep: Report) -> None:
    """The validation report: counts, what cannot be used and why, names matched."""
    st.subheader("Validation report")
    c1, c2, c3 = st.columns(3)
    c1.metric("Rows read", f"{rep.rows_read:,}")
    c2.metric("Rows used", f"{rep.rows_used:,}")
    c3.metric("Rows rejected", f"{len(rep.rejected):,}")
    for e in rep.errors:
        st.error(md(f"{rep.file}: {e}"), icon=":material/error:")
    for note in rep.notes:
        st.caption(md(note))
    if rep.levels:
        where = ", ".join(f"{n:,} {lv.LEVELS[lvl]['short']}" for lvl, n in rep.levels)
        st.caption(md(f"Areas with a value: {where}. Periods: {', '.join(rep.periods)}."))
    if rep.rejected:
        st.markdown(f"**Rejected rows ({len(rep.rejected):,})** — fix them in the file and upload it again:")
        table = pd.DataFrame(
            {
                "Line": [r.line for r in rep.rejected],
                "Area": [r.area for r in rep.rejected],
                "Period": [r.period for r in rep.rejected],
                "Reason": [r.reason for r in rep.rejected],
            }
        )
        st.dataframe(table, hide_index=True, width="stretch", height=min(400, 38 + 35 * len(table)))
        downloads.csv_button(
            "Download the rejected rows (CSV)",
            table,
            f"lumap-rejected-{slugify(rep.file)}.csv",
            key="own_rejected_csv",
            help="Each rejected row's line in your file and the reason.",
        )
    if rep.unmatched:
        st.markdown("**Area names not matched to a code**")
        st.markdown(
            "\n".join(f"- {md(why)} ({k:,} row{'s' if k != 1 else ''})" for _, k, why in rep.unmatched)
        )
    if rep.matched:
        with st.expander(f"Area names matched to codes ({len(rep.matched):,})"):
            st.dataframe(
                pd.DataFrame(
                    {
                        "Name in your file": [m.name for m in rep.matched],
                        "Code": [m.code for m in rep.matched],
                        "Area": [m.official for m in rep.matched],
                        "Rows": [m.rows for m in rep.matched],
                    }
                ),
                hide_index=True,
                width="stretch",
            )


def accept(own: OwnIndicator, rep: Report) -> bool:
    """The button that adds the checked rows to the session; True when pressed."""
    full = len(owndata.indicators()) >= owndata.MAX_INDICATORS and not owndata.has(own.indicator)
    if full:
        st.warning(f"This session holds {owndata.MAX_INDICATORS} uploads already: remove one below first.")
    label = f"Use these {rep.rows_used:,} rows"
    if owndata.has(own.indicator):
        label += " (replacing the upload of the same name)"
    if st.button(label, type="primary", disabled=full, key="own_accept"):
        owndata.add(own)
        st.session_state[_UPLOADER] = st.session_state.get(_UPLOADER, 0) + 1  # let the file go
        st.session_state.pop(_PREVIEW, None)
        st.session_state.pop(_CHECKED, None)
        return True
    return False


# ---- the uploaded indicators ------------------------------------------------------------


def held(store: Store) -> None:
    """Each uploaded indicator: what it covers, where to see it, its gap verdict, downloads."""
    own = owndata.indicators()
    if not own:
        return
    st.header("Your indicators in this session")
    for o in own:
        _one(store, o)


def _one(store: Store, o: OwnIndicator) -> None:
    from lumap.ui import missionsview

    meta = store.indicator(o.indicator)
    levels = meta["levels"]
    st.subheader(md(meta["label"]))
    periods = meta["periods"]
    span = periods[0]["label"] if len(periods) == 1 else f"{periods[0]['label']} to {periods[-1]['label']}"
    st.caption(
        md(
            f"{meta['rows']:,} rows from {o.file} · {span} · "
            + (", ".join(lv.LEVELS[x]["name"].lower() for x in levels) or "no mapped level")
        )
    )
    if levels:
        level = levels[0]
        q = {"indicator": o.indicator, "level": level}
        # the first areas of the file at that level in its latest period: compare and
        # trends open on them
        latest = o.obs["period"].astype(str) == periods[-1]["period"]
        present = o.obs.loc[o.obs["value"].notna() & latest, "areacd"].astype(str)
        mine = list(dict.fromkeys(c for c in present if lv.in_level(c, level)))[:5]
        qa = {**q, "areas": ",".join(mine)}
        with st.container(horizontal=True):
            st.page_link("pages/map.py", label="Map", icon=":material/map:", query_params=q)
            st.page_link(
                "pages/compare.py", label="Compare areas", icon=":material/compare_arrows:", query_params=qa
            )
            st.page_link("pages/trends.py", label="Trends", icon=":material/show_chart:", query_params=qa)
            first = mine[0] if mine else str(present.iloc[0])
            st.page_link(
                "pages/area.py",
                label=f"Area profile ({md(store.area_name(first))})",
                icon=":material/location_on:",
                query_params={"area": first, "indicator": o.indicator},
            )
            number = [x.indicator for x in owndata.indicators()].index(o.indicator) + 1
            st.page_link(
                "pages/missions.py",
                label="Gap verdict on the missions page",
                icon=":material/trending_down:",
                query_params={
                    "catalogue": "own",
                    "mission": str(number),
                    "indicator": o.indicator,
                    "level": level,
                },
            )
        v = missionsview.View("missions", 0, o.indicator, level, BASELINES[0], missionsview.DEFAULT_MEASURE)
        missionsview.indicator_section(
            store, o.indicator, v, expanded=False, lazy_key=f"own-gap-{o.indicator}"
        )
    with st.container(horizontal=True):
        st.download_button(
            "Download as source folder (.zip)",
            source_folder(o),
            f"{folder_slug(o)}-source-folder.zip",
            "application/zip",
            on_click="ignore",
            key=f"own_zip_{o.indicator}",
            help="The ELS layout (indicators/<slug>/<slug>.csv and .json): copy it into a source "
            "folder and run `python -m lumap build --source …` to add it for everyone, for good.",
        )
        if st.button("Remove", key=f"own_remove_{o.indicator}", icon=":material/delete:"):
            owndata.remove(o.indicator)
            st.rerun()
