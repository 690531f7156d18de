"""Which way is better for an indicator: the one reading of the catalogue's polarity."""

from __future__ import annotations

import math
from enum import IntEnum


class Polarity(IntEnum):
    """+1 higher is better, -1 lower is better, 0 neither (neutral, or not set).

    An ``IntEnum``, so it multiplies a change into an improvement and compares with the
    plain ints the store keeps (``meta["polarity"]`` is 1, -1, 0 or None).
    """

    LOWER_IS_BETTER = -1
    NEUTRAL = 0
    HIGHER_IS_BETTER = 1

    @classmethod
    def of(cls, value) -> Polarity:
        """Read a polarity from metadata: ints, floats, numeric strings, None and NaN
        (anything that is not a number counts as neutral)."""
        if value is None:
            return cls.NEUTRAL
        try:
            p = float(value)
        except (TypeError, ValueError):
            return cls.NEUTRAL
        if math.isnan(p) or p == 0:
            return cls.NEUTRAL
        return cls.HIGHER_IS_BETTER if p > 0 else cls.LOWER_IS_BETTER

    @property
    def directed(self) -> bool:
        """True when one direction is better (better/worse words apply)."""
        return self is not Polarity.NEUTRAL


def as_neutral(meta: dict) -> dict:
    """The indicator's metadata for neutral wording: no better direction (so every page says
    higher/lower and colours by value), the catalogue's own direction kept under
    ``catalogue_polarity`` for the words that name it."""
    if meta.get("neutral_wording"):
        return meta
    return {**meta, "polarity": 0, "catalogue_polarity": meta.get("polarity"), "neutral_wording": True}
