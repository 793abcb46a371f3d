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
ROOT_PACKAGE = "lmi_cubes"
# what each layer may import of the others (anything lower, never a sibling or higher); the
# command line is the root package's own modules, the others are its subpackages
ALLOWED: dict[str, frozenset[str]] = {
    "lmi_cubes": frozenset({"cube_server", "etl", "aggregates", "model", "warehouse"}),
    "cube_server": frozenset({"aggregates", "model", "warehouse"}),
    "etl": frozenset({"aggregates", "model", "warehouse"}),
    "aggregates": frozenset({"model", "warehouse"}),
    "model": frozenset(),
    "warehouse": frozenset(),
}
SUBPACKAGES = frozenset(ALLOWED) - {ROOT_PACKAGE}
# the files of the settings layer: importing the module runs its package's __init__ too
SETTINGS_FILES = ("lmi_cubes/settings.py", "lmi_cubes/__init__.py")
# an import of one of our packages by its bare name, outside the one import root
OUTSIDE_ROOT = "outside the lmi_cubes root"


def layer_of(module: str, names: tuple[str, ...] = ()) -> str:
    """The layer an absolute import reaches: a subpackage of the root, the settings, or the
    command line (the root's own modules)."""
    parts = module.split(".")
    if parts[0] in SUBPACKAGES:
        return OUTSIDE_ROOT
    if parts[0] != ROOT_PACKAGE:
        return parts[0]
    if len(parts) == 1:
        if names == ("settings",):
            return SETTINGS
        return names[0] if len(names) == 1 and names[0] in SUBPACKAGES else ROOT_PACKAGE
    if parts[1] == "settings":
        return SETTINGS
    return parts[1] if parts[1] in SUBPACKAGES else ROOT_PACKAGE


def imported_packages(source: str) -> list[tuple[int, str]]:
    """(line, layer) of every absolute import in the source, at any depth."""
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
        # the root's own modules only: its subpackages are links to the other layers
        files = (root / package).glob("*.py") if package == ROOT_PACKAGE else (
            (root / package).rglob("*.py"))  # fmt: skip
        paths = [p for p in sorted(files) if p not in {root / name for name in SETTINGS_FILES}]
        allowed = ALLOWED[package] | {SETTINGS}
    wrong = []
    for path in paths:
        for line, target in imported_packages(path.read_text(encoding="utf-8")):
            if target == OUTSIDE_ROOT:
                wrong.append(f"{path.relative_to(root)}:{line} imports a package {target}")
            elif (
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
    linked = {p.name for p in (ROOT / ROOT_PACKAGE).iterdir() if p.is_symlink()}
    assert linked == SUBPACKAGES


def test_an_import_inside_a_function_is_seen(tmp_path: Path) -> None:
    (tmp_path / "model").mkdir()
    (tmp_path / "model" / "types.py").write_text(
        "import json\n\ndef check(m):\n    from lmi_cubes.warehouse.reader import table_columns\n"
        "    import lmi_cubes.aggregates.engine\n    from lmi_cubes import cube_server\n"
        "    from model import loader\n    return m\n"
    )
    assert wrong_arrows("model", tmp_path) == [
        "model/types.py:4 imports warehouse",
        "model/types.py:5 imports aggregates",
        "model/types.py:6 imports cube_server",
        f"model/types.py:7 imports a package {OUTSIDE_ROOT}",
    ]


def test_the_settings_import_nothing_of_ours(tmp_path: Path) -> None:
    (tmp_path / "lmi_cubes").mkdir()
    (tmp_path / "lmi_cubes" / "__init__.py").write_text("")
    (tmp_path / "lmi_cubes" / "settings.py").write_text(
        "import os\n\ndef f():\n    from lmi_cubes.warehouse import files\n"
    )
    assert wrong_arrows(SETTINGS, tmp_path) == ["lmi_cubes/settings.py:4 imports warehouse"]
    # and every layer may read them, however the import is spelt
    (tmp_path / "model").mkdir()
    (tmp_path / "model" / "types.py").write_text(
        "from lmi_cubes.settings import Settings\nfrom lmi_cubes import settings\n"
        "from lmi_cubes import cli\n"
    )
    assert wrong_arrows("model", tmp_path) == ["model/types.py:3 imports lmi_cubes"]
