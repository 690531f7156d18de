"""Data: where the numbers come from, the licence, the build, and what covers what."""

import pandas as pd
import streamlit as st

from lumap import config
from lumap.data import levels as lv
from lumap.data.metadata import source_links
from lumap.escape import md
from lumap.ui import cache, chrome, downloads, state

store = cache.store()
info = store.build_info

st.title("About the data")
st.markdown(
    "lumap shows official local statistics published through the ONS "
    "[Explore Local Statistics](https://www.ons.gov.uk/explore-local-statistics/) service, "
    "organised by the twelve Levelling Up missions of the 2022 White Paper. Every number is "
    "the source's own, unrounded in downloads; the app rounds only for display, to the "
    "decimal places each indicator publishes."
)
c1, c2, c3, c4 = st.columns(4)
c1.metric("Indicators", len(store.meta))
c2.metric("Observations", f"{len(store.obs):,}")
c3.metric("Datasets", info.get("datasets", "–"))
c4.metric("Store built", (info.get("built") or "–")[:10])
st.caption(
    md(
        f"Build {store.build_id}, made {info.get('built', '–')} from "
        f"{chrome.source_label(info.get('source'))} in {info.get('seconds', '–')} s."
    )
)
if info.get("kept_previous") or info.get("failed"):
    st.warning(
        md(
            "The last build rejected some datasets. Kept from the previous build: "
            f"{', '.join(info.get('kept_previous') or []) or 'none'}; missing: "
            f"{', '.join(info.get('failed') or []) or 'none'}."
        )
    )

st.subheader("Licence and attribution")
st.markdown(
    f"Data: Office for National Statistics and the producers named below, licensed under the "
    f"[Open Government Licence v3.0]({config.OGL_URL}). Boundaries contain OS data © Crown "
    "copyright and database right. The mission catalogue (which indicator measures which "
    "mission, and whether higher is better) is lumap's own judgement from the White Paper's wording."
)

st.subheader("Coverage")
st.caption(
    "One row per indicator: the geography levels with data, the periods, and the "
    "nations covered at local-authority level."
)
rows = []
for indicator, m in sorted(store.meta.items(), key=lambda kv: (kv[1].get("mission") or 99, kv[1]["label"])):
    periods = m["periods"]
    rows.append(
        {
            "Mission": m.get("mission") or None,
            "Indicator": m["label"],
            "Slug": indicator,
            **{lvl: lvl in m["levels"] for lvl in lv.LEVEL_ORDER},
            "Periods": len(periods),
            "First": periods[0]["label"] if periods else "",
            "Latest": periods[-1]["label"] if periods else "",
            "Nations (LA level)": " ".join(m.get("nations") or []) or "—",
            "CIs": m.get("has_ci"),
            "Source": "; ".join(org for org, _ in source_links(m)),
        }
    )
table = pd.DataFrame(rows)
st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    height=560,
    column_config={
        "Mission": st.column_config.NumberColumn(format="%d"),
        **{lvl: st.column_config.CheckboxColumn(lvl, help=lv.LEVELS[lvl]["name"]) for lvl in lv.LEVEL_ORDER},
        "CIs": st.column_config.CheckboxColumn("CIs", help="95% confidence intervals published"),
    },
)
downloads.csv_button("Download coverage CSV", table, "lumap-coverage.csv", help=None)

if info.get("no_data"):
    st.caption(
        md("Dataset folders with metadata but no observations in this source: " + ", ".join(info["no_data"]))
        + "."
    )
chrome.attribution(store)
state.write_url({})  # no view state of its own; the shared switches (neutral wording) stay in the link
