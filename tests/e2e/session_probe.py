"""A page for tests/e2e/test_limits.py: shows its session id (no uploader on it, as in lumap)
and what the server's upload manager holds, with lumap's cap installed as app.py does."""

import json

import streamlit as st
from streamlit import runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

from lumap.ui import uploadcap

uploadcap.install()
st.code(get_script_run_ctx().session_id, language=None)
manager = runtime.get_instance().uploaded_file_mgr
held = {sid: sum(len(f.data) for f in files.values()) for sid, files in manager.file_storage.items()}
st.text("held: " + json.dumps(held))
