"""Every download button (CSV and PNG), in one place.

- CSV: the frame as UTF-8 CSV, index left out; numbers as the store holds them.
- PNG: rendered only when the reader clicks (vl-convert takes ≈0.2 s and more for big
  charts), from an Altair chart or a Vega-Lite spec dict, by :func:`png_bytes`.

Every button uses ``on_click="ignore"``: a download does not rerun the page.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pandas as pd
import streamlit as st

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


def png_bytes(chart) -> bytes:
    """PNG of an Altair chart (:func:`lumap.viz.charts.to_png`: 900 px wide, white
    background) or of a Vega-Lite spec dict as it stands, both at twice the pixel density."""
    if isinstance(chart, dict):
        import vl_convert

        return vl_convert.vegalite_to_png(json.dumps(chart), scale=2)
    from lumap.viz.charts import to_png

    return to_png(chart)


def _later(chart) -> Callable[[], bytes]:
    return lambda: png_bytes(chart)


def png_button(label: str, chart, file_name: str, key: str | None = None) -> None:
    """A PNG of ``chart``, rendered only when clicked."""
    st.download_button(
        label, _later(chart), file_name=file_name, mime="image/png", key=key, on_click="ignore"
    )
