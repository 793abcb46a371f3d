"""Shared fixtures: tiny synthetic data generated once and loaded through the real ETL."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import psycopg
import pytest
import sqlalchemy as sa
from pgserver import ENV as POSTGRES_ENV
from pgserver import start as start_postgres
from pgserver import stop as stop_postgres
from sparkserver import ENV as SPARK_ENV
from sparkserver import start as start_spark
from sparkserver import stop as stop_spark
from sparkserver import wait as wait_spark

import oracle
from lmi_cubes.cli import load_warehouse
from lmi_cubes.cube_server.app import create_app
from lmi_cubes.etl import sources
from lmi_cubes.etl.generate import generate


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


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """$LMI_CUBES_TEST_POSTGRES (`.ci/run` starts one), else a server started here."""
    if os.environ.get(POSTGRES_ENV):
        yield os.environ[POSTGRES_ENV]
        return
    url, base = start_postgres()
    try:
        yield url
    finally:
        stop_postgres(base)


@pytest.fixture()
def postgres_url(
    postgres_server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """A fresh, empty database per test, with the loader's local build under tmp_path."""
    name = "lmi_test_" + os.urandom(5).hex()
    with psycopg.connect(postgres_server, autocommit=True) as con:
        con.execute(f'CREATE DATABASE "{name}"')
    monkeypatch.setenv("LMI_CUBES_STAGING_DIR", str(tmp_path / "staging"))
    monkeypatch.setenv("LMI_CUBES_VERSION_CHECK_S", "0")
    yield sa.make_url(postgres_server).set(database=name).render_as_string(hide_password=False)
    with psycopg.connect(postgres_server, autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def spark_server() -> Iterator[str]:
    """$LMI_CUBES_TEST_SPARK (`.ci/run` launches one; it may still be starting), else a
    server started here."""
    if os.environ.get(SPARK_ENV):
        wait_spark(os.environ[SPARK_ENV])
        yield os.environ[SPARK_ENV]
        return
    url, base = start_spark()
    try:
        yield url
    finally:
        stop_spark(base)


@pytest.fixture(scope="module")
def app(warehouse: Path):
    """The HTTP app on the shared tiny warehouse (one per test module, so one cache)."""
    return create_app({"WAREHOUSE": str(warehouse)})


@pytest.fixture(scope="module")
def client(app):
    return app.test_client()


@pytest.fixture(scope="module")
def pay(tiny_dir: Path) -> pd.DataFrame:
    """The ASHE pay source rows with every level's key, for independent expectations."""
    return oracle.read(tiny_dir, sources.ASHE_PAY.file)


# -- the slow modules: marked here, in one place, for `pytest -m "not slow"` ---------------
SLOW_MODULES = frozenset(
    {
        "test_backends.py",  # a real PostgreSQL
        "test_spark.py",  # a Spark Thrift server
        "test_protection.py",  # linear programs over every withheld cell
        "test_adversary.py",  # the HTTP adversary
        "test_browser.py",  # headless Chromium
        "test_lmi4all_browser.py",
        "test_docs_page.py",
        "test_load_full_disk.py",  # a tmpfs in a private mount namespace
    }
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.name in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)


def pytest_runtest_logstart(nodeid: str, location: tuple[str, int | None, str]) -> None:
    """A line as each slow test starts, so a run that sits in one for minutes says where
    (pytest's dots appear only when a test ends)."""
    reporter = _config[0].pluginmanager.get_plugin("terminalreporter") if _config else None
    if Path(location[0]).name in SLOW_MODULES and reporter and reporter.verbosity <= 0:
        elapsed = time.monotonic() - _started[0]
        reporter.write_line(f"\n[{elapsed:5.0f} s into the run] slow test started: {nodeid}")


_config: list[pytest.Config] = []
_started = [time.monotonic()]


def pytest_configure(config: pytest.Config) -> None:
    _config.append(config)
    _started[0] = time.monotonic()


# -- the Spark tests' own time budget ----------------------------------------------------
SPARK_BUDGET_ENV = "LMI_CUBES_SPARK_BUDGET_S"  # seconds; default 600 (2 cores, shared)
_spark_seconds: list[float] = [0.0]


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if "spark" in report.keywords:  # setup (the server, the publish), call and teardown
        _spark_seconds[0] += report.duration


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    if _spark_seconds[0]:
        budget = float(os.environ.get(SPARK_BUDGET_ENV, "600"))
        terminalreporter.write_line(
            f"Spark tests: {_spark_seconds[0]:.0f} s of their {budget:.0f} s budget "
            f"(${SPARK_BUDGET_ENV})"
        )


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    budget = float(os.environ.get(SPARK_BUDGET_ENV, "600"))
    if _spark_seconds[0] > budget and exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        print(f"\nthe Spark tests took {_spark_seconds[0]:.0f} s, over their {budget:.0f} s budget")
