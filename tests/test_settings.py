"""One settings object: every variable the code reads is documented in one table, only the
settings module reads the environment, and `create_app(config)` reaches every setting,
the warehouse layer's included."""

from __future__ import annotations

import re
from pathlib import Path

import sqlalchemy as sa

from lmi_cubes.cube_server.app import create_app
from lmi_cubes.settings import FIELDS, Settings
from lmi_cubes.warehouse import open_target

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("aggregates", "cube_server", "etl", "lmi_cubes", "model", "warehouse")
TABLE_ROW = re.compile(r"^\| `([A-Z_]+)` \| `([A-Z_]+)` \|", re.M)


def documented() -> dict[str, str]:
    """Environment variable -> config key, from the table in docs/settings.md."""
    text = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    return dict(TABLE_ROW.findall(text))


def sources() -> dict[Path, str]:
    return {
        path: path.read_text(encoding="utf-8")
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
    }


def test_every_variable_the_code_names_is_in_the_table() -> None:
    named = {
        name for text in sources().values() for name in re.findall(r"LMI_CUBES_[A-Z_]*[A-Z]", text)
    }
    assert len(named) > 20
    assert named - set(documented()) == set()


def test_the_table_is_the_settings_object() -> None:
    fields = {f.metadata["env"]: f.metadata["key"] for f in FIELDS}
    assert documented() == fields


def test_only_the_settings_module_reads_the_environment() -> None:
    readers = {
        str(path.relative_to(ROOT))
        for path, text in sources().items()
        if re.search(r"os\.environ\b(?!\s*,\s*ENV_VAR)|os\.getenv|\bgetenv\(", text)
    }
    assert readers == {"lmi_cubes/settings.py"}
    # the CLI passes the environment on to the server it starts, adding to it, not reading it
    cli = (ROOT / "lmi_cubes" / "cli.py").read_text(encoding="utf-8")
    assert re.findall(r"os\.environ.*", cli) == [
        'os.environ, ENV_VAR: target.target, "LMI_CUBES_THREADS": str(threads)}'
    ]


def test_the_environment_is_read_and_config_wins() -> None:
    env = {
        "LMI_CUBES_DUCKDB_MEMORY": "96MB",
        "LMI_CUBES_ROLLUPS": "no",
        "LMI_CUBES_THREADS": "3",
        "LMI_CUBES_REQUIRE_API_KEY": "1",
        "LMI_CUBES_VERSION_CHECK_S": "",  # empty is unset
    }
    settings = Settings.from_env(env)
    assert (settings.duckdb_memory, settings.rollups, settings.threads) == ("96MB", False, 3)
    assert settings.require_api_key is True and settings.version_check_s == 1.0
    changed = settings.with_config({"USE_ROLLUPS": True, "POOL_SIZE": "5", "SECRET_KEY": "x"})
    assert (changed.rollups, changed.threads, changed.duckdb_memory) == (True, 5, "96MB")
    assert Settings.from_env({}) == Settings()


def test_create_app_sets_the_warehouse_layer(warehouse: Path, tmp_path: Path) -> None:
    app = create_app(
        {"WAREHOUSE": str(warehouse), "DUCKDB_MEMORY": "96MB", "VERSION_CHECK_S": 7, "CACHE_MB": 0}
    )
    settings = app.extensions["lmi_cubes_settings"]
    assert (settings.duckdb_memory, settings.version_check_s) == ("96MB", 7.0)
    assert app.config["DUCKDB_MEMORY"] == "96MB"
    assert app.test_client().get("/health").status_code == 200
    wh = app.extensions["lmi_cubes"].warehouse
    reader = wh.open(wh.version())
    try:
        with reader.engine.connect() as con:
            limit = con.execute(sa.text("SELECT current_setting('memory_limit')")).scalar()
    finally:
        reader.close()
    assert limit in ("96.0 MiB", "91.5 MiB", "96.0 MB", "91.5 MB"), limit


def test_the_staging_directory_comes_from_the_settings(tmp_path: Path) -> None:
    settings = Settings(staging_dir=str(tmp_path / "staging"), version_check_s=9.0)
    wh = open_target("postgresql://nobody@127.0.0.1:1/lmi", settings)
    assert wh.local_path.parent == tmp_path / "staging"
    assert wh.pointer.check_s == 9.0  # type: ignore[attr-defined]
