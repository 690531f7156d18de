"""Leaflet, served by Streamlit's static file server from an installed package
(xstatic-leaflet), so maps need no CDN. The copy is git-ignored and made on demand."""

from __future__ import annotations

import shutil
from pathlib import Path

from lumap import config


def ensure_leaflet(static_dir: Path | None = None) -> Path:
    """Copy leaflet.js/.css (and its images) into ``static/leaflet`` if missing."""
    target = (static_dir or config.STATIC_DIR) / "leaflet"
    if (target / "leaflet.js").exists() and (target / "leaflet.css").exists():
        return target
    import xstatic.pkg.leaflet as xl

    src = Path(xl.BASE_DIR)
    target.mkdir(parents=True, exist_ok=True)
    for name in ("leaflet.js", "leaflet.css"):
        shutil.copy2(src / name, target / name)
    if (src / "images").is_dir():
        shutil.copytree(src / "images", target / "images", dirs_exist_ok=True)
    return target


if __name__ == "__main__":
    print(ensure_leaflet())
