"""A page for tests/e2e/test_escape_render.py: every payload through lumap.escape into each
kind of place Streamlit renders Markdown, one keyed container per payload."""

import streamlit as st

from lumap.escape import html, md
from tests.payloads import PROBE_PAYLOADS

for key, payload in PROBE_PAYLOADS.items():
    text = md(payload)
    with st.container(key=f"probe-{key}"):
        st.markdown(md(payload, block=True))
        st.caption(text)
        st.warning(text)
        st.subheader(text, anchor=False)
        st.radio(text, [text, "other"], key=f"radio-{key}")
        st.checkbox(text, key=f"check-{key}", help=text)
        st.metric(text, text)
        st.expander(text).write("inside")
        st.tabs([text, "other"])
        st.markdown(f"<div class='probe-block'>{html(payload)}</div>", unsafe_allow_html=True)
        st.markdown(f"before <b class='probe-inline'>{html(payload)}</b> after", unsafe_allow_html=True)
