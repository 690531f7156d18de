"""Questions about a session's own indicators that the shared answers cannot give alone."""

from __future__ import annotations

import pandas as pd

from lumap.analysis.profile import LevelIndex


class JoinedIndex:
    """A level's ranked rows for the official indicators (the shared :class:`LevelIndex`)
    and for a session's own ones (a small LevelIndex of theirs), read as one: what an area
    profile asks of a level index, answered by whichever holds the indicator."""

    def __init__(self, shared: LevelIndex, own: LevelIndex, own_indicators):
        self.level = shared.level
        self.shared, self.own = shared, own
        self.own_indicators = set(own_indicators)

    def _of(self, indicator: str) -> LevelIndex:
        return self.own if str(indicator) in self.own_indicators else self.shared

    def slice(self, indicator: str, period: str) -> pd.DataFrame:
        return self._of(indicator).slice(indicator, period)

    def has_prefix(self, indicator: str, prefix: str) -> bool:
        return self._of(indicator).has_prefix(indicator, prefix)

    def area(self, code: str) -> pd.DataFrame:
        own = self.own.area(code)
        shared = self.shared.area(code)
        if own.empty:
            return shared
        frames = [f.astype({c: "object" for c in f.select_dtypes("category").columns}) for f in (shared, own)]
        return pd.concat(frames, ignore_index=True)
