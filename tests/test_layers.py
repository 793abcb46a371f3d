"""The packages are layers and their imports run one way: the command line over the server
and the loader, both over the engine, the engine over the model; the engine, the loader and
the server reach SQL through the warehouse layer. Nothing imports back up, not even inside a
function, where an import that dodges a cycle would otherwise hide it.

The deployment's settings (`lmi_cubes.settings`) lie under every layer: any package may read
them, and they import nothing of ours. Read from the source with `ast`, so a module the
tests never run is checked too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

SETTINGS = "lmi_cubes.settings"
# what each layer may import of the others (anything lower, never a sibling or higher)
ALLOWED: dict[str, frozenset[str]] = {
    "lmi_cubes": frozenset({"cube_server", "etl", "aggregates", "model", "warehouse"}),
    "cube_server": frozenset({"aggregates", "model", "warehouse"}),
    "etl": frozenset({"aggregates", "model", "warehouse"}),
    "aggregates": frozenset({"model", "warehouse"}),
    "model": frozenset(),
    "warehouse": frozenset(),
}
# the files of the settings layer: importing the module runs its package's __init__ too
SETTINGS_FILES = ("lmi_cubes/settings.py", "lmi_cubes/__init__.py")


def layer_of(module: str, names: tuple[str, ...] = ()) -> str:
    """The layer an absolute import reaches: its top-level package, or the settings."""
    if (
        module == SETTINGS
        or module.startswith(SETTINGS + ".")
        or (module == "lmi_cubes" and names == ("settings",))
    ):
        return SETTINGS
    return module.split(".")[0]


def imported_packages(source: str) -> list[tuple[int, str]]:
    """(line, top-level package) of every absolute import in the source, at any depth."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, layer_of(alias.name)) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = tuple(alias.name for alias in node.names)
            found.append((node.lineno, layer_of(node.module, names)))
    return found


def wrong_arrows(package: str, root: Path = ROOT) -> list[str]:
    if package == SETTINGS:
        paths = [root / name for name in SETTINGS_FILES]
        allowed: frozenset[str] = frozenset()
    else:
        paths = [p for p in sorted((root / package).rglob("*.py")) if p not in
                 {root / name for name in SETTINGS_FILES}]  # fmt: skip
        allowed = ALLOWED[package] | {SETTINGS}
    wrong = []
    for path in paths:
        for line, target in imported_packages(path.read_text(encoding="utf-8")):
            if (
                (target in ALLOWED or target == SETTINGS)
                and target != package
                and (target not in allowed)
            ):
                wrong.append(f"{path.relative_to(root)}:{line} imports {target}")
    return wrong


@pytest.mark.parametrize("package", [*sorted(ALLOWED), SETTINGS])
def test_imports_run_down_the_layers(package: str) -> None:
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


def test_the_settings_import_nothing_of_ours(tmp_path: Path) -> None:
    (tmp_path / "lmi_cubes").mkdir()
    (tmp_path / "lmi_cubes" / "__init__.py").write_text("")
    (tmp_path / "lmi_cubes" / "settings.py").write_text(
        "import os\n\ndef f():\n    from warehouse import files\n"
    )
    assert wrong_arrows(SETTINGS, tmp_path) == ["lmi_cubes/settings.py:4 imports warehouse"]
    # and every layer may read them, however the import is spelt
    (tmp_path / "model").mkdir()
    (tmp_path / "model" / "types.py").write_text(
        "from lmi_cubes.settings import Settings\nfrom lmi_cubes import settings\n"
        "from lmi_cubes import cli\n"
    )
    assert wrong_arrows("model", tmp_path) == ["model/types.py:3 imports lmi_cubes"]
