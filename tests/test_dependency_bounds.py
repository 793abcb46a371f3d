"""The versions the code depends on: docs/dependencies.md states the bounds pyproject.toml
declares, the installed versions satisfy them, and every library the package imports is
declared (a library pulled in only by another one can vanish when that one changes)."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ("aggregates", "cube_server", "etl", "model", "warehouse", "lmi_cubes")
ROW = re.compile(r"^\| `([^`]+)` \| `([^`]+)` \|")


def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def served() -> list[Requirement]:
    """What an installation of the server (with its Spark extra) depends on."""
    spec = project()
    return [
        Requirement(r) for r in [*spec["dependencies"], *spec["optional-dependencies"]["spark"]]
    ]


def every() -> list[Requirement]:
    spec = project()
    extras = [r for group in spec["optional-dependencies"].values() for r in group]
    requirements = [Requirement(r) for r in [*spec["dependencies"], *extras]]
    return [r for r in requirements if canonicalize_name(r.name) != "lmi-cubes"]


def documented() -> dict[str, SpecifierSet]:
    text = (ROOT / "docs" / "dependencies.md").read_text()
    table = text.split("## Version bounds", 1)[1]
    rows = [ROW.match(line) for line in table.splitlines()]
    return {canonicalize_name(Requirement(m[1]).name): SpecifierSet(m[2]) for m in rows if m}


def test_the_docs_state_the_bounds_pyproject_declares() -> None:
    assert documented() == {canonicalize_name(r.name): r.specifier for r in served()}


def test_every_bound_has_a_floor() -> None:
    """A dependency without a lower bound lets an installer keep any old version."""
    floorless = [
        str(r) for r in every() if not any(s.operator in (">=", "==", "~=") for s in r.specifier)
    ]
    assert floorless == []


@pytest.mark.parametrize("requirement", every(), ids=str)
def test_the_installed_version_satisfies_the_bound(requirement: Requirement) -> None:
    installed = metadata.version(requirement.name)
    assert requirement.specifier.contains(installed, prereleases=True), (
        f"{requirement.name} {installed} is installed; pyproject.toml asks {requirement.specifier}"
    )


def imported_names() -> set[str]:
    """The top-level names of every module the package's own code imports."""
    names: set[str] = set()
    for layer in LAYERS:
        pattern = "*.py" if layer == "lmi_cubes" else "**/*.py"  # lmi_cubes/ links the layers
        for path in (ROOT / layer).glob(pattern):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Import):
                    names.update(a.name.split(".")[0] for a in node.names)
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - {"lmi_cubes", "__future__"}


def test_every_library_the_package_imports_is_declared() -> None:
    owners = metadata.packages_distributions()
    declared = {canonicalize_name(r.name) for r in served()}
    undeclared = {
        name: sorted(canonicalize_name(d) for d in owners.get(name, [name]))
        for name in imported_names()
    }
    assert {n: d for n, d in undeclared.items() if not declared & set(d)} == {}
