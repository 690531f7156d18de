"""Is an area's value different from a comparator's, and is that difference real?

The test is the one Fingertips uses for a point benchmark: the area's own 95% confidence
interval either excludes the comparator's value (significant) or not. The comparator's own
uncertainty is ignored, which is why the rule is stated on the page (``RULE_TEXT``).
Where no interval is published the difference is reported but marked *untested*, never
silently called significant or similar.
"""

from __future__ import annotations

import math

from lumap.analysis.polarity import Polarity

RULE_TEXT = (
    "A difference is called significant only when the area's 95% confidence interval "
    "does not include the comparator's value. Where no confidence interval is published, "
    "differences are shown but marked untested; this simple check ignores any uncertainty "
    "in the comparator's own value."
)

UNTESTED = "untested: no confidence interval published"


def _number(x) -> float | None:
    """A float, or None for None/NaN/non-numbers."""
    if x is None:
        return None
    try:
        f = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def compare(value, lci, uci, comparator_value, polarity=None) -> dict:
    """Compare one area's value with a comparator's value.

    Returns ``{direction, judgement, significant, word}``:

    - ``direction``: "higher" | "lower" | "same" (exact comparison of the unrounded values).
    - ``judgement``: "better"/"worse" when polarity is known, else "higher"/"lower";
      "similar" when the difference is not significant or the values are equal.
      When untested (no interval) the judgement follows the direction, and
      ``significant`` is None so callers can tell.
    - ``significant``: True / False / None (None = untested: no interval published).
    - ``word``: ready-to-use words, e.g. "significantly lower", "not significantly
      different", "higher (untested: no confidence interval published)".

    If the value or the comparator is missing every field is None and ``word`` is
    "no data to compare".
    """
    v, c = _number(value), _number(comparator_value)
    if v is None or c is None:
        return {"direction": None, "judgement": None, "significant": None, "word": "no data to compare"}
    lo, hi = _number(lci), _number(uci)
    tested = lo is not None and hi is not None

    if v == c:
        return {
            "direction": "same",
            "judgement": "similar",
            "significant": False if tested else None,
            "word": "the same" if not tested else "not significantly different",
        }

    direction = "higher" if v > c else "lower"
    sign = Polarity.of(polarity)
    if not sign.directed:
        judged = direction
    else:
        judged = "better" if (direction == "higher") == (sign > 0) else "worse"

    if lo is None or hi is None:  # untested: no interval published
        return {
            "direction": direction,
            "judgement": judged,
            "significant": None,
            "word": f"{judged} ({UNTESTED})",
        }
    if c < min(lo, hi) or c > max(lo, hi):
        return {
            "direction": direction,
            "judgement": judged,
            "significant": True,
            "word": f"significantly {judged}",
        }
    return {
        "direction": direction,
        "judgement": "similar",
        "significant": False,
        "word": "not significantly different",
    }
