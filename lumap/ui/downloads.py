"""Every download button (CSV and PNG), in one place.

- CSV: the frame as UTF-8 CSV, index left out; numbers as the store holds them.
- PNG: title, period and attribution burned into the chart's spec (``lumap.viz.publish``);
  rendered only when the reader clicks, and never on a server thread: the button's
  deferred callable hands the job to a worker process (``lumap.workers``) and waits on it
  without holding the interpreter lock, so every other session keeps answering (vl-convert
  holds the lock for the whole render: seconds for a big chart). Meanwhile Streamlit
  shows a spinner on the button; a render past its time limit is stopped and the button
  says the download failed. The same chart asked for twice is rendered once.

Every button uses ``on_click="ignore"``: a download does not rerun the page.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from lumap import workers
from lumap.viz import publish

CSV_HELP = "The store's numbers, unrounded, exactly as the source published them."


def csv_bytes(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False).encode("utf-8")


def csv_button(
    label: str, frame: pd.DataFrame, file_name: str, key: str | None = None, help: str | None = CSV_HELP
) -> None:
    st.download_button(
        label,
        csv_bytes(frame),
        file_name=file_name,
        mime="text/csv",
        key=key,
        on_click="ignore",
        help=help,
    )


def png_button(label: str, chart, file_name: str, key: str | None, credits: publish.Credits) -> None:
    """A PNG of an Altair chart or of a Vega-Lite spec dict, ready to publish as it is: the
    title, the period and the source and licence burned into the chart
    (:func:`lumap.viz.publish.publishable`), 900 px wide, white, twice the pixel density."""
    job_png_button(label, file_name, key, publish.chart_png, chart, credits)


def credits(store, meta: dict | list[dict], title: str, period: str) -> publish.Credits:
    """What a PNG says about itself: ``title``, ``period`` (and what else it shows), the
    producers of the indicator(s) ``meta``, the licence's attribution with the build's year."""
    year = (store.build_info.get("built") or "")[:4] or None
    return publish.credits_for(meta, title, period, year)


def job_png_button(label: str, file_name: str, key: str | None, build: Callable[..., bytes], *args, **kwargs):
    """A PNG made by ``build(*args, **kwargs)`` in a worker process when clicked; ``build``
    is importable (module level, e.g. ``charts.trend_png``) and its arguments pickle."""
    job_file_button(label, file_name, key, "image/png", build, *args, **kwargs)


def job_file_button(
    label: str,
    file_name: str,
    key: str | None,
    mime: str,
    build: Callable[..., bytes],
    *args,
    help: str = "Drawn on the server when you click; a large chart takes a few seconds.",
    **kwargs,
):
    """A file (PNG, SVG, HTML …) made by ``build(*args, **kwargs)`` in a worker process when
    clicked, as :func:`job_png_button`."""
    workers.pool().prestart()  # once per process: the first click need not wait for it
    st.download_button(
        label,
        lambda: workers.run(build, *args, remember=True, **kwargs),
        file_name=file_name,
        mime=mime,
        key=key,
        on_click="ignore",
        help=help,
    )


def map_buttons(stem: str, key: str, build: Callable[..., bytes], *args) -> None:
    """ "Download map (PNG)" and "(SVG)": the view with its title, legend with units, period,
    no-data key and attribution burned in, drawn in a worker (``lumap.jobs``)."""
    with st.container(horizontal=True):
        for fmt, mime in (("png", "image/png"), ("svg", "image/svg+xml")):
            job_file_button(
                f"Download map ({fmt.upper()})",
                f"{stem}.{fmt}",
                f"{key}_{fmt}",
                mime,
                build,
                *args,
                fmt,
                help="This map with its title, legend, period and source, 1920×1080, drawn when you click.",
            )
