"""Indicator slugs that never change meaning: a link shared once must not show other data later.

The store keeps a registry (``slugs.json``): every slug it ever gave out, and the (dataset,
indicator string) it belongs to. Each build starts from the previous registry: an indicator
keeps its slug across builds (even if its manifest row disappears), and a slug that belongs
to one indicator is never given to another: that is a collision, reported as a problem that
rejects the newcomer's dataset, instead of a silent rename or a silent take-over.
"""

from __future__ import annotations

import json
from pathlib import Path

from lumap.data.metadata import slugify

REGISTRY = "slugs.json"


class SlugCollision(Exception):
    pass


class Slugs:
    def __init__(self, previous: dict[str, tuple[str, str]] | None = None):
        self.owner: dict[str, tuple[str, str]] = dict(previous or {})
        self.slug_of: dict[tuple[str, str], str] = {pair: slug for slug, pair in self.owner.items()}

    @classmethod
    def load(cls, build_dir: Path | None) -> Slugs:
        """The registry of a previous build (older builds without one: their catalogue)."""
        if build_dir is None:
            return cls()
        owner: dict[str, tuple[str, str]] = {}
        try:
            p = build_dir / REGISTRY
            if p.exists():
                owner = {slug: (d, c) for slug, (d, c) in json.loads(p.read_text()).items()}
            else:
                for f in sorted((build_dir / "indicators" / "meta").glob("*.json")):
                    for rec in json.loads(f.read_text()):
                        owner.setdefault(rec["indicator"], (rec["dataset"], rec["code"]))
        except (OSError, ValueError, KeyError, TypeError):
            owner = {}
        return cls(owner)

    def propose(self, dataset: str, code: str, manifest_slug: str | None) -> str:
        """The slug this indicator should have: the manifest's, else the one it had, else one
        made from its name. Raises :class:`SlugCollision` when another indicator holds it."""
        pair = (dataset, code)
        slug = manifest_slug or self.slug_of.get(pair) or slugify(code)
        holder = self.owner.get(slug)
        if holder is not None and holder != pair:
            raise SlugCollision(
                f"indicator {code!r} would get the slug {slug!r}, which already belongs to {holder[1]!r} of "
                f"dataset {holder[0]!r}: links to it would show other data. Give it its own slug in "
                "meta/manifest_metadata.csv"
            )
        return slug

    def claim(self, dataset: str, code: str, slug: str) -> None:
        self.owner[slug] = (dataset, code)
        self.slug_of[(dataset, code)] = slug

    def save(self, build_dir: Path) -> None:
        data = {slug: list(pair) for slug, pair in sorted(self.owner.items())}
        (build_dir / REGISTRY).write_text(json.dumps(data, indent=0))
