"""Spark (Thrift server, `hive://`) against DuckDB: the same tiny data, published to both,
answers identically; loads publish versioned databases; the time limit cancels the job.

The server is real (`.ci/run` launches one; otherwise the `spark_server` fixture starts
one). Spark statements cost ~0.1-1 s each, so this is a smaller set than the PostgreSQL
suite's, chosen to cover values, withheld and low-reliability flags, fills, two fact tables
and several rollups; `pytest -m spark` runs only these (the session reports their time
against `$LMI_CUBES_SPARK_BUDGET_S`, see conftest.py).
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import requests
import sqlalchemy as sa
from pyhive import hive
from TCLIService.ttypes import TOperationState
from test_backends import QUERIES, Seen, _strip, empty_and_unreachable_are_503s, same_answers

from lmi_cubes.cli import load_warehouse
from lmi_cubes.cube_server.app import create_app
from lmi_cubes.etl.generate import generate
from lmi_cubes.warehouse import QueryTimeout, WarehouseTargetError, open_target
from lmi_cubes.warehouse.spark import SparkReader, SparkWarehouse, message
from support import ask, drop_spark_namespace, free_port, serving, spark_namespace

pytestmark = pytest.mark.spark

WITH_ROLLUPS = [QUERIES[i] for i in (0, 1, 2, 7, 9, 13, 16)]
FACTS_ONLY = [QUERIES[i] for i in (1, 12)]  # fact_ashe_pay, fact_wf_employment (years)


@pytest.fixture(scope="module")
def spark_url(
    spark_server: str, tiny_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A fresh namespace with the tiny data published once for the whole module."""
    url = spark_namespace(spark_server)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LMI_CUBES_STAGING_DIR", str(tmp_path_factory.mktemp("spark-staging")))
        mp.setenv("LMI_CUBES_VERSION_CHECK_S", "0")
        load_warehouse(tiny_dir, url)
        try:
            yield url
        finally:
            drop_spark_namespace(url)


def test_spark_gives_identical_answers_to_duckdb(spark_url: str, warehouse: Path) -> None:
    seen = Seen()
    for rollups, queries in ((True, WITH_ROLLUPS), (False, FACTS_ONLY)):
        config = {"CACHE_MB": 0, "USE_ROLLUPS": rollups}
        duck = create_app({**config, "WAREHOUSE": str(warehouse)}).test_client()
        spark = create_app({**config, "WAREHOUSE": spark_url}).test_client()
        same_answers(duck, spark, queries, seen)
    assert {"reliable", "low_reliability", "suppressed"} <= seen.flags and seen.fills > 0
    assert {"fact_ashe_pay", "fact_wf_employment"} <= seen.tables and len(seen.tables) >= 6


def test_a_query_over_its_time_limit_is_cancelled_and_a_json_504(
    spark_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = create_app({"WAREHOUSE": spark_url, "CACHE_MB": 0, "QUERY_TIMEOUT_S": 1.0})
    client = app.test_client()
    assert client.get("/health").status_code == 200
    states: list[int] = []
    cancel = hive.Cursor.cancel

    def cancel_and_look(cursor: Any) -> None:
        cancel(cursor)
        states.append(cursor.poll(get_progress_update=False).operationState)

    monkeypatch.setattr(hive.Cursor, "cancel", cancel_and_look)
    # a task that sleeps 60 s on an executor (a column, so it is not folded on the driver)
    slow = "SELECT reflect('java.lang.Thread', 'sleep', CAST(id + 60000 AS BIGINT)) FROM range(1)"
    monkeypatch.setattr("lmi_cubes.aggregates.engine.compile_statement", lambda *a: sa.text(slow))
    started = time.monotonic()
    response = client.get(QUERIES[0])
    elapsed = time.monotonic() - started
    assert response.status_code == 504
    error = response.get_json()["error"]
    assert error["type"] == "timeout" and "1 s" in error["message"]
    assert "SELECT" not in error["message"]
    assert elapsed < 15  # the limit plus the engine's polling, not the 60 s statement
    assert states == [TOperationState.CANCELED_STATE]  # the server cancelled the operation


def test_reader_raises_the_typed_timeout(spark_url: str) -> None:
    wh = open_target(spark_url)
    assert isinstance(wh, SparkWarehouse)
    reader = wh.open(wh.version(), pool_size=1, timeout_s=0.5)
    try:
        assert isinstance(reader, SparkReader)
        with pytest.raises(QueryTimeout):
            reader.columns(
                "SELECT reflect('java.lang.Thread', 'sleep', CAST(id + 30000 AS BIGINT)) "
                "FROM range(1)"
            )
        again = reader.columns("SELECT count(*) AS n FROM dim_gender")  # the pool still works
        assert int(again["n"][0]) >= 2
    finally:
        reader.close()


def test_unreachable_or_empty_spark_is_a_503_naming_the_problem(spark_server: str) -> None:
    down = f"hive://127.0.0.1:{free_port()}/lmi"
    empty_and_unreachable_are_503s(
        spark_namespace(spark_server), down, "cannot reach spark 127.0.0.1"
    )


def test_cli_load_serve_and_versions(spark_url: str, tiny_dir: Path, tmp_path: Path) -> None:
    """`lmi-cubes load/serve --warehouse hive://...` over real HTTP. A request pinned to the
    version it started on keeps reading it across a publish; a publish keeps the version it
    replaced and drops older ones."""
    wh = open_target(spark_url)
    assert isinstance(wh, SparkWarehouse)
    (first,) = wh.versions()
    app = create_app({"WAREHOUSE": spark_url, "CACHE_MB": 0})
    state = app.extensions["lmi_cubes"]
    kwargs: dict[str, Any] = {"axes": ["occupation:soc1", "gender"], "measures": ["employment"]}
    other = tmp_path / "seed2"
    generate(other, "tiny", seed=2)
    with app.test_request_context("/slow"):  # a request started before the publishes
        pinned = state.current()
        before = pinned.engine.run(ask(pinned.engine, "ashe_pay", **kwargs))
        run = subprocess.run(
            [sys.executable, "-m", "lmi_cubes.cli", "load", str(other), "--warehouse",
             spark_url],
            capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        assert run.returncode == 0, run.stderr
        assert "publishing the new version" in run.stderr and "spark 127.0.0.1" in run.stderr
        second = wh.version()
        assert wh.versions() == sorted([first, second])  # the replaced one is kept
        pinned.engine.warehouse.dispose()  # new connections must still read the old version
        again = pinned.engine.run(ask(pinned.engine, "ashe_pay", **kwargs))
        assert again.vintage == before.vintage == pinned.vintage
        assert np.array_equal(
            again.values["employment"], before.values["employment"], equal_nan=True
        )
    duck2 = tmp_path / "seed2.duckdb"
    load_warehouse(other, duck2)
    duck = create_app({"WAREHOUSE": str(duck2), "CACHE_MB": 0}).test_client()
    with serving(spark_url, env={"LMI_CUBES_CACHE_MB": "0"}, timeout=300, workers=1) as base:
        health = requests.get(f"{base}/health", timeout=120).json()
        assert health["status"] == "ok" and health["warehouse"] == wh.name
        assert health["vintage"] != pinned.vintage
        for query in (QUERIES[2], QUERIES[9]):
            got = requests.get(base + query, timeout=120)
            assert got.status_code == 200, got.text[:300]
            assert _strip(got.json()) == _strip(duck.get(query).get_json()), query
    load_warehouse(tiny_dir, spark_url)  # a third version: the first is dropped now
    third = wh.version()
    assert wh.versions() == sorted([second, third]) and first not in wh.versions()


def test_spark_errors_reach_users_as_one_line_without_java() -> None:
    from pyhive.exc import OperationalError
    from TCLIService.ttypes import TExecuteStatementResp, TStatus

    said = (
        "Error running query: [TABLE_OR_VIEW_NOT_FOUND] org.apache.spark.sql.AnalysisException: "
        "[TABLE_OR_VIEW_NOT_FOUND] The table or view `fact_ashe_pay` cannot be found.\n"
        "'Project [*]\n+- 'UnresolvedRelation [fact_ashe_pay], [], false\n"
    )
    status = TStatus(statusCode=3, infoMessages=["*org.apache.spark.sql.X:1:2"], errorMessage=said)
    exc = OperationalError(TExecuteStatementResp(status=status))
    shown = "[TABLE_OR_VIEW_NOT_FOUND] The table or view `fact_ashe_pay` cannot be found."
    assert message(exc) == shown
    wh = open_target("hive://127.0.0.1:1/lmi")
    text = str(wh.unreadable(exc))
    assert shown in text and "org.apache" not in text and "\n" not in text


def test_a_hive_url_names_a_valid_namespace() -> None:
    with pytest.raises(WarehouseTargetError, match="lower-case letters"):
        open_target("hive://127.0.0.1:1/Bad-Name")
    assert open_target("hive://127.0.0.1:1").name == "spark 127.0.0.1:1/lmi"
    assert open_target("hive://127.0.0.1:1/default").name == "spark 127.0.0.1:1/lmi"
