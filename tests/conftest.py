"""Shared fixtures: tiny synthetic data generated once and loaded through the real ETL."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from cube_server.cli import load_warehouse
from etl.generate import generate


@pytest.fixture(scope="session")
def tiny_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("tiny-data")
    generate(out, "tiny", seed=1)
    return out


@pytest.fixture(scope="session")
def warehouse(tiny_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A loaded tiny warehouse with its rollups; tests must treat it as read-only."""
    target = tmp_path_factory.mktemp("warehouse") / "tiny.duckdb"
    load_warehouse(tiny_dir, target)
    return target


@pytest.fixture()
def wh_con(warehouse: Path):
    con = duckdb.connect(str(warehouse), read_only=True)
    yield con
    con.close()


def copy_data(src: Path, dst: Path) -> Path:
    """A data directory whose files are symlinks to src, so a test can replace one file."""
    dst.mkdir(parents=True, exist_ok=True)
    for f in src.iterdir():
        if not f.name.startswith("."):
            (dst / f.name).symlink_to(f)
    return dst


def rewrite(path: Path, edit) -> None:
    """Replace a (symlinked) file with an edited copy of its lines."""
    lines = path.read_text().splitlines()
    edit(lines)
    path.unlink()
    path.write_text("\n".join(lines) + "\n")
