"""The bounds the build holds every source file to, in one place.

They are far above anything in the ONS data (largest CSV 3.6 MB, largest value 1.4e7, periods
1993-2026, 58,885 boundary vertices) and far below what could exhaust the machine or break the
app: a hostile or broken file is rejected in seconds, with a reason, instead of running for
minutes or taking all the memory.
"""

from __future__ import annotations

import os

MB = 1024 * 1024

#: Largest file the build reads, by kind (bytes).
MAX_BYTES = {
    "observations": 256 * MB,  # one CSV (the ONS ones are at most 3.6 MB)
    "metadata": 4 * MB,  # a dataset's JSON (at most 14 KB)
    "manifest": 8 * MB,  # manifest_metadata.csv (14 KB)
    "areas": 64 * MB,  # geo-metadata, similar areas, clusters (at most 0.3 MB)
    "boundaries": 256 * MB,  # one TopoJSON (0.7 MB)
}

#: Deepest nesting of arrays/objects accepted in a JSON file (TopoJSON needs 6).
MAX_JSON_DEPTH = 32

#: Largest magnitude of an observation or limit. Values this large are a units or exponent
#: mistake (the whole UK economy is about 2.5e12 pounds); much larger ones (~1e154) make the
#: natural-breaks classifier overflow.
MAX_MAGNITUDE = 1e15

#: Years a period may start in (pandas dates cover 1677-2262), and the longest period.
FIRST_YEAR, LAST_YEAR = 1800, 2200
MAX_PERIOD_MONTHS = 100 * 12

#: Longest text per CSV column (characters); the ONS maxima are 9, 70, 33, 66, 14, 75, 40, 47, 140.
MAX_TEXT = {
    "areacd": 12,
    "areanm": 200,
    "geography": 100,
    "indicator": 200,
    "period": 40,
    "measure": 200,
    "unit": 100,
    "status": 200,
    "notes": 2000,
}
MAX_NUMBER_TEXT = 40  # characters of one number as written

#: Longest text in metadata JSON: one-line fields, and paragraphs (caveats are up to 2.3k).
MAX_LINE_TEXT = 500
MAX_PARAGRAPHS = 20_000

#: Decimal places the metadata may ask for.
MAX_DECIMALS = 6

#: TopoJSON: features per layer, arcs, and vertices in one file (ONS: 409, 2,821, 58,885).
MAX_FEATURES = 20_000
MAX_ARCS = 1_000_000
MAX_VERTICES = 10_000_000

#: The boundary simplification runs in a worker process held to these (the ONS boundaries
#: take about 5 s and 0.4 GB). Environment variables override them.
BOUNDARY_SECONDS = float(os.environ.get("LUMAP_BOUNDARY_SECONDS", 180))
BOUNDARY_MEMORY = int(float(os.environ.get("LUMAP_BOUNDARY_MEMORY_MB", 4096)) * MB)

#: Problems listed per file.
MAX_PROBLEMS = 20
