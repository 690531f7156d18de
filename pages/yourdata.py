"""Your data: upload one's own figures, read the validation report, then see them on every
page beside the official ones (this session only)."""

import streamlit as st

from lumap.ui import cache, chrome, ownview

store = cache.store()

st.title("Your data")
ownview.intro()
ownview.format_help()

file = ownview.uploader()
if file is not None:
    data, name = file.getvalue(), file.name
    preview = ownview.preview(data, name)
    if ownview.show_preview(preview):
        asked = ownview.form(preview)
        if asked is not None:
            ownview.check(data, name, store, *asked)
        done = ownview.checked(data, name)
        if done is not None:
            rep, own = done
            ownview.report(rep)
            if own is not None and rep.ok and ownview.accept(own, rep):
                st.rerun()

ownview.held(store)
chrome.attribution(store)
