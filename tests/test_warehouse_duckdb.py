"""The DuckDB warehouse as served: faults answered with JSON 503s, versions pinned per
request across a load, and the time limit."""

from __future__ import annotations

import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from lmi_cubes.cli import load_warehouse
from lmi_cubes.cube_server.app import create_app
from lmi_cubes.etl.generate import generate
from support import ask

CROSSTAB = "/cube/ashe_pay/crosstab?rows=occupation:soc1&columns=region:nation&measure=mean_pay"


def _unavailable(target: Path, contains: str) -> None:
    client = create_app({"WAREHOUSE": str(target)}).test_client()
    for path in ("/health", CROSSTAB, "/cube/ashe_pay/aggregate", "/api/v1/soc/code/2136"):
        response = client.get(path)
        assert response.status_code == 503, path
        body = response.get_json()
        message = body["error"] if path.startswith("/api/v1") else body["error"]["message"]
        assert contains in message, (path, message)
        assert target.name in message and str(target.parent) not in message


def test_missing_warehouse_is_a_503_and_unhealthy(tmp_path: Path) -> None:
    _unavailable(tmp_path / "absent.duckdb", "no warehouse has been loaded into absent.duckdb")


def test_truncated_warehouse_is_a_503_naming_the_problem(warehouse: Path, tmp_path: Path) -> None:
    target = tmp_path / "truncated.duckdb"
    shutil.copyfile(warehouse, target)
    with target.open("r+b") as fh:
        fh.truncate(target.stat().st_size // 3)
    _unavailable(target, "cannot be read")


def test_overwritten_warehouse_is_a_503_naming_the_problem(tmp_path: Path) -> None:
    target = tmp_path / "garbage.duckdb"
    target.write_bytes(b"this is not a database\n" * 1000)
    _unavailable(target, "is not a DuckDB database file")


def test_a_good_load_over_a_corrupt_file_heals_the_server(
    warehouse: Path, tiny_dir: Path, tmp_path: Path
) -> None:
    target = tmp_path / "w.duckdb"
    target.write_bytes(b"\0" * 8192)
    client = create_app({"WAREHOUSE": str(target)}).test_client()
    assert client.get("/health").status_code == 503
    load_warehouse(tiny_dir, target)
    health = client.get("/health")
    assert health.status_code == 200 and health.get_json()["status"] == "ok"


def _deleted_descriptors(name: str) -> list[str]:
    links = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            links.append(os.readlink(f"/proc/self/fd/{fd}"))
        except OSError:
            continue
    return [link for link in links if name in link and link.endswith("(deleted)")]


def test_a_request_keeps_its_file_across_a_load(
    warehouse: Path, tmp_path: Path, tiny_dir: Path
) -> None:
    target = tmp_path / "pinned.duckdb"
    shutil.copyfile(warehouse, target)
    app = create_app({"WAREHOUSE": str(target), "CACHE_MB": 0})
    state = app.extensions["lmi_cubes"]
    kwargs: dict[str, Any] = {"axes": ["occupation:soc1", "gender"], "measures": ["employment"]}
    other = tmp_path / "seed2"
    generate(other, "tiny", seed=2)
    with app.test_request_context("/slow"):
        pinned = state.current()
        before = pinned.engine.run(ask(pinned.engine, "ashe_pay", **kwargs))
        load_warehouse(other, target)  # renames a new file over the served one
        with ThreadPoolExecutor(1) as other_request:
            fresh = other_request.submit(lambda: app.test_client().get("/health").get_json())
            assert fresh.result()["vintage"] != pinned.vintage
        pinned.engine.warehouse.dispose()  # connections made now must attach the old file
        again = pinned.engine.run(ask(pinned.engine, "ashe_pay", **kwargs))
        assert again.vintage == before.vintage == pinned.vintage
        assert np.array_equal(
            again.values["employment"], before.values["employment"], equal_nan=True
        )
        assert _deleted_descriptors("pinned.duckdb")  # the old file is still held...
    assert not _deleted_descriptors("pinned.duckdb")  # ...until its last request ended
    new = state.current()
    now = new.engine.run(ask(new.engine, "ashe_pay", **kwargs))
    assert not np.array_equal(now.values["employment"], before.values["employment"], equal_nan=True)


def test_a_query_over_its_time_limit_is_a_json_504(
    warehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # base facts, so the answer comes from SQL (small rollups are summed in memory)
    config = {"WAREHOUSE": str(warehouse), "CACHE_MB": 0, "QUERY_TIMEOUT_S": 0.3}
    app = create_app({**config, "USE_ROLLUPS": False})
    client = app.test_client()
    assert client.get("/health").status_code == 200
    slow = "SELECT count(*) FROM range(100000000) a, range(100000000) b WHERE a.range + b.range = 3"
    monkeypatch.setattr("lmi_cubes.aggregates.engine.Engine.sql", lambda self, query, source: slow)
    response = client.get(CROSSTAB)
    assert response.status_code == 504
    error = response.get_json()["error"]
    assert error["type"] == "timeout" and "0.3 s" in error["message"]
    monkeypatch.undo()
    assert client.get(CROSSTAB).status_code == 200  # the interrupted connection still works
