"""The packages are layers and their imports run one way: the command line over the server
and the loader, both over the engine, the engine over the model; the engine, the loader and
the server reach SQL through the warehouse layer. Nothing imports back up, not even inside a
function, where an import that dodges a cycle would otherwise hide it.

Read from the source with `ast`, so a module the tests never run is checked too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# what each package may import of the others (anything lower, never a sibling or higher)
ALLOWED: dict[str, frozenset[str]] = {
    "lmi_cubes": frozenset({"cube_server", "etl", "aggregates", "model", "warehouse"}),
    "cube_server": frozenset({"aggregates", "model", "warehouse"}),
    "etl": frozenset({"aggregates", "model", "warehouse"}),
    "aggregates": frozenset({"model", "warehouse"}),
    "model": frozenset(),
    "warehouse": frozenset(),
}


def imported_packages(source: str) -> list[tuple[int, str]]:
    """(line, top-level package) of every absolute import in the source, at any depth."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name.split(".")[0]) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module.split(".")[0]))
    return found


def wrong_arrows(package: str, root: Path = ROOT) -> list[str]:
    wrong = []
    for path in sorted((root / package).rglob("*.py")):
        for line, target in imported_packages(path.read_text(encoding="utf-8")):
            if target in ALLOWED and target != package and target not in ALLOWED[package]:
                wrong.append(f"{path.relative_to(root)}:{line} imports {target}")
    return wrong


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_imports_run_down_the_layers(package: str) -> None:
    assert (ROOT / package / "__init__.py").is_file()
    assert wrong_arrows(package) == []


def test_every_package_is_a_layer() -> None:
    """A new top-level package is placed in the layers before it can be imported."""
    packages = {p.parent.name for p in ROOT.glob("*/__init__.py")}
    assert packages - {"tests", "benchmarks", "scripts"} == set(ALLOWED)


def test_an_import_inside_a_function_is_seen(tmp_path: Path) -> None:
    (tmp_path / "model").mkdir()
    (tmp_path / "model" / "types.py").write_text(
        "import json\n\ndef check(m):\n    from warehouse.reader import table_columns\n"
        "    import aggregates.engine\n    return m\n"
    )
    assert wrong_arrows("model", tmp_path) == [
        "model/types.py:4 imports warehouse",
        "model/types.py:5 imports aggregates",
    ]
