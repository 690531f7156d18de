"""A page for tests/e2e/test_limits.py: shows its session id (no uploader on it, as in lumap)."""

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

st.code(get_script_run_ctx().session_id, language=None)
