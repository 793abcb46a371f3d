"""Shared fixtures: tiny synthetic data generated once and loaded through the real ETL."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import psycopg
import pytest
import requests
import sqlalchemy as sa
from pgserver import ENV as POSTGRES_ENV
from pgserver import start as start_postgres
from pgserver import stop as stop_postgres
from sparkserver import ENV as SPARK_ENV
from sparkserver import start as start_spark
from sparkserver import stop as stop_spark
from sparkserver import wait as wait_spark

import oracle
from aggregates.query import Query, Request
from cube_server.app import create_app
from etl import sources
from etl.generate import generate
from lmi_cubes.cli import load_warehouse
from model.loader import default_model_dir


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


def model_with_protection(directory: Path, protection: str) -> Path:
    """A copy of the shipped model whose every cube declares the given protection policy."""
    directory.mkdir(parents=True, exist_ok=True)
    for f in default_model_dir().glob("*.json"):
        doc = json.loads(f.read_text())
        for cube in doc.get("cubes", []):
            cube["info"]["reliability"]["protection"] = protection
        (directory / f.name).write_text(json.dumps(doc, indent=2))
    return directory


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def serving(
    warehouse: Path | str,
    env: dict[str, str] | None = None,
    timeout: float = 60,
    workers: int = 2,
    threads: int = 2,
) -> Iterator[str]:
    """`lmi-cubes serve` as a real process on a free port; yields its base URL."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "lmi_cubes.cli", "serve", "--warehouse", str(warehouse),
         "--port", str(port), "--workers", str(workers), "--threads", str(threads)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        env={**os.environ, **(env or {})},
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:  # the first request of a worker opens the warehouse: give it time
                if requests.get(f"{base}/health", timeout=20).status_code == 200:
                    break
            except (requests.ConnectionError, requests.Timeout):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield base
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def ask(engine, cube: str, **fields) -> Query:
    """engine.query for a request spelled as keywords (tests only)."""
    return engine.query(Request(cube, **fields))


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
    server started here (20-40 s)."""
    if os.environ.get(SPARK_ENV):
        wait_spark(os.environ[SPARK_ENV])
        yield os.environ[SPARK_ENV]
        return
    url, base = start_spark()
    try:
        yield url
    finally:
        stop_spark(base)


def spark_namespace(server: str) -> str:
    """The server's URL with a fresh namespace (where lmi-cubes keeps its versions)."""
    return (
        sa.make_url(server)
        .set(database="lmi_t" + os.urandom(4).hex())
        .render_as_string(hide_password=False)
    )


def drop_spark_namespace(url: str) -> None:
    from etl.backends.spark import SparkWarehouse, _tick

    wh = SparkWarehouse(sa.make_url(url))
    con = wh.connect()
    try:
        cur = con.cursor()
        for name in [*wh.versions(), wh.namespace]:
            cur.execute(f"DROP DATABASE IF EXISTS {_tick(name)} CASCADE")
        cur.close()
    finally:
        con.close()


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
