"""The project installs under one import root, `lmi_cubes`: an analyst's own `model.py` or
`etl/` folder beside a notebook can neither shadow ours nor be shadowed by it, and the wheel
carries every module and data file the server reads (models, reference files, pages)."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SUBPACKAGES = ("aggregates", "cube_server", "etl", "model", "warehouse")
SHIPPED = (".py", ".json", ".csv", ".html", ".js", ".css", ".ico")


def test_only_the_root_is_importable_by_name(tmp_path: Path) -> None:
    # a notebook folder with its own `model.py`: ours stays reachable under the root
    (tmp_path / "model.py").write_text("MINE = True\n")
    probe = (
        "import importlib, importlib.util, json\n"
        f"subs = {SUBPACKAGES!r}\n"
        "found = {n: importlib.import_module('lmi_cubes.' + n).__file__ for n in subs}\n"
        "bare = {n: importlib.util.find_spec(n) is not None for n in subs}\n"
        "import model\n"
        "print(json.dumps({'found': found, 'bare': bare, 'mine': model.MINE}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=True
    )

    seen = json.loads(done.stdout)
    assert seen["mine"] is True
    assert seen["bare"] == {"aggregates": False, "cube_server": False, "etl": False,
                            "model": True, "warehouse": False}  # fmt: skip
    for name, file in seen["found"].items():
        assert Path(file).resolve() == (ROOT / name / "__init__.py").resolve()


def test_the_wheel_holds_every_module_under_the_root(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("lmi_cubes-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    tops = {name.split("/")[0] for name in names}
    assert {t for t in tops if not t.endswith(".dist-info")} == {"lmi_cubes"}
    expected = {
        f"lmi_cubes/{path.relative_to(ROOT).as_posix()}"
        for package in SUBPACKAGES
        for path in (ROOT / package).rglob("*")
        if path.suffix in SHIPPED and "__pycache__" not in path.parts
    }
    assert expected - names == set()
    assert {"lmi_cubes/model/ashe_pay.json", "lmi_cubes/cube_server/static/explorer.html"} <= names
