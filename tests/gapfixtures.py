"""Small hand-made period frames for the gap, verdict and change-table tests."""

import numpy as np
import pandas as pd

ONE_TO_TEN = list(range(1, 11))


def frame(values, half_width=None, groups=None, prefix="E0"):
    """A tidy period frame; ``half_width`` (scalar or list) gives value ± half_width as the CI."""
    n = len(values)
    v = np.asarray(values, dtype=float)
    if half_width is None:
        lci = uci = np.full(n, np.nan)
    else:
        hw = np.broadcast_to(np.asarray(half_width, dtype=float), (n,))
        lci, uci = v - hw, v + hw
    return pd.DataFrame(
        {
            "areacd": [f"{prefix}{i:02d}" for i in range(n)],
            "areanm": [f"Area {i}" for i in range(n)],
            "value": v,
            "lci_95": lci,
            "uci_95": uci,
            "group": groups if groups is not None else ["G"] * n,
        }
    )
