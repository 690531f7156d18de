"""The one-way flow of DESIGN.md, checked on the imports of every module:
data -> analysis -> queries -> viz -> ui -> pages. A module may import its own layer and
the layers before it, never a later one; nothing below lumap.ui imports streamlit."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "lumap"
ORDER = ["data", "analysis", "queries", "viz", "ui"]


def imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
    return found


@pytest.mark.parametrize("layer", ORDER)
def test_no_layer_imports_a_later_one(layer):
    later = ORDER[ORDER.index(layer) + 1 :]
    for path in sorted((ROOT / layer).glob("*.py")):
        bad = sorted(
            m for m in imports(path) if any(m == f"lumap.{x}" or m.startswith(f"lumap.{x}.") for x in later)
        )
        assert not bad, f"{path.relative_to(ROOT.parent)} imports {bad}"
        if layer != "ui":
            assert not any(m.split(".")[0] == "streamlit" for m in imports(path)), path
