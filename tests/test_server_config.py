"""The server settings lumap relies on are the ones Streamlit actually reads from
.streamlit/config.toml (an option renamed in a Streamlit upgrade would be ignored silently)."""

from __future__ import annotations

import os
from pathlib import Path

from streamlit import config

ROOT = Path(__file__).resolve().parent.parent


def test_streamlit_reads_lumaps_server_settings(monkeypatch):
    monkeypatch.chdir(ROOT)
    for name in list(os.environ):
        if name.startswith("STREAMLIT_"):
            monkeypatch.delenv(name)
    config.get_config_options(force_reparse=True)
    try:
        assert config.get_option("runner.postScriptGC") is False  # 30% of CPU under load
        assert config.get_option("server.address") == "127.0.0.1"  # no external-IP lookup
        assert config.get_option("server.fileWatcherType") == "none"
        assert config.get_option("server.maxUploadSize") == 10
        assert config.get_option("server.maxMessageSize") == 25
        assert config.get_option("client.showErrorDetails") == "none"
    finally:
        monkeypatch.undo()
        config.get_config_options(force_reparse=True)
