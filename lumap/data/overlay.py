"""One session's own indicators over the shared, read-only store.

An :class:`Overlay` *is a* :class:`~lumap.data.store.Store` for everything that reads one:
its catalogue holds the official indicators and the session's uploads
(:class:`~lumap.data.upload.OwnIndicator`), and every query (values, series, period rows,
an area's rows) answers for both. What belongs to the build (geography, boundaries,
successors, names, every cached property of the Store) is the shared store's own object,
never copied. Nothing is written anywhere: the overlay lives as long as the session that
holds it.

``key`` stays the build's key, so the caches shared by every session never see an
uploaded indicator: :mod:`lumap.ui.cache` keeps those in the session instead. A worker
process gets a :class:`Spec` (the build's key and the uploaded rows), never a key to look
the rows up by.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from lumap.data.store import Store
from lumap.data.upload import OwnIndicator


class Overlay(Store):
    def __init__(self, base: Store, own: Iterable[OwnIndicator], with_base: bool = True):
        # no Store.__init__: nothing is read, the base's state is shared
        self.base = base
        self.own = {o.indicator: o for o in own}
        self.data_dir, self.build, self._lease, self.root = base.data_dir, base.build, base._lease, base.root
        self.obs, self._rows, self._boundaries = base.obs, base._rows, base._boundaries
        official = base.meta if with_base else {}
        self.meta = {**official, **{indicator: o.meta for indicator, o in self.own.items()}}
        self.with_base = with_base

    @property
    def spec(self) -> Spec:
        return Spec(self.base.key, tuple(self.own.values()))

    def owns(self, indicator: str) -> bool:
        return indicator in self.own

    def only_own(self) -> Overlay:
        """The same overlay without the official indicators (for tables over every indicator
        that the shared caches already hold for those)."""
        return Overlay(self.base, self.own.values(), with_base=False)

    def rows(self, indicator: str) -> pd.DataFrame:
        if indicator in self.own:
            return self.own[indicator].obs
        if not self.with_base:
            return self.base.obs.iloc[0:0]
        return self.base.rows(indicator)

    def area_obs(self, codes: list[str]) -> pd.DataFrame:
        frames = [self.base.area_obs(codes)] if self.with_base else []
        for o in self.own.values():
            frames.append(o.obs[o.obs["areacd"].astype(str).isin(codes).to_numpy()])
        frames = [f.astype({c: "object" for c in f.select_dtypes("category").columns}) for f in frames]
        return pd.concat(frames, ignore_index=True) if frames else self.base.obs.iloc[0:0]

    @cached_property
    def _indicator_table(self) -> pd.DataFrame:
        return Store._indicator_table.func(self)  # type: ignore[attr-defined]


def _shared(name: str) -> property:
    return property(lambda self: getattr(self.base, name), doc=f"The shared store's ``{name}``.")


# Every cached property of the Store is about the build (geography, boundaries, names,
# successors …): read the base's, so a session never recomputes or copies it.
for _name, _attr in list(vars(Store).items()):
    if isinstance(_attr, cached_property) and _name != "_indicator_table":
        setattr(Overlay, _name, _shared(_name))


@dataclass(frozen=True, eq=False)
class Spec:
    """What a worker process needs to answer for an overlay: the build's key and the
    uploaded indicators themselves (pickled with the job)."""

    base_key: str
    own: tuple[OwnIndicator, ...]

    @property
    def digest(self) -> str:
        return self.base_key + ":" + ",".join(o.digest for o in self.own)

    def __hash__(self) -> int:
        return hash(self.digest)

    def __eq__(self, other) -> bool:
        return isinstance(other, Spec) and other.digest == self.digest

    def open(self, base: Store) -> Overlay:
        return Overlay(base, self.own)
