"""PostgreSQL against DuckDB: the same tiny data, published to both, answers identically.

The PostgreSQL server is real (`.ci/run` starts one; otherwise the `postgres_server`
fixture does). Loads go through the real ETL and publish; answers go through the real app.
"""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import requests
import sqlalchemy as sa
from flask.testing import FlaskClient

from lmi_cubes.cli import load_warehouse
from lmi_cubes.cube_server.app import create_app
from lmi_cubes.etl.generate import generate
from lmi_cubes.etl.schema import bind
from lmi_cubes.model.loader import load_model
from lmi_cubes.warehouse import open_target
from lmi_cubes.warehouse.postgres import PostgresWarehouse
from support import ask, free_port, serving

QUERIES = [
    "/cube/ashe_pay/crosstab?rows=occupation:soc1&columns=region:nation&measure=mean_pay",
    "/cube/ashe_pay/crosstab?rows=occupation:soc4&columns=region:nation&measure=median_pay"
    "&cut=occupation:2,21|gender:2",
    "/cube/ashe_pay/crosstab?rows=occupation:soc4&columns=region:nation&measure=median_pay"
    "&cut=occupation:2,21|gender:2&fallback=true",
    "/cube/ashe_pay/crosstab?rows=occupation:soc2&columns=gender&measure=pay_decile&decile=90",
    "/cube/ashe_pay/crosstab?rows=region:region&columns=status&measure=mean_pay_at_age&age=30",
    "/cube/ashe_pay/crosstab?rows=industry:ind22&columns=qualification:broad3&measure=employment"
    "&fallback=true",
    "/cube/ashe_hours/crosstab?rows=gender&columns=status&measure=mean_hours",
    "/cube/ashe_hours/crosstab?rows=occupation:soc3&columns=region:nation&measure=total_hours"
    "&fallback=true",
    "/cube/ashe_hours/crosstab?rows=industry:sector6&columns=gender&measure=employment"
    "&cut=region:1",
    "/cube/working_futures/crosstab?rows=occupation:soc2&columns=gender&measure=total_requirement"
    "&from=2021&to=2027",
    "/cube/working_futures/crosstab?rows=occupation:soc1&columns=status&measure=employment",
    "/cube/working_futures/crosstab?rows=year&columns=gender&measure=employment",
    "/cube/working_futures/crosstab?rows=occupation:soc1&columns=region:nation"
    "&measure=replacement_demand&from=2021&to=2027&fallback=true",
    "/cube/working_futures/crosstab?rows=industry:sector6&columns=qualification:broad3"
    "&measure=employment_change&from=2022&to=2026",
    "/cube/ashe_pay/aggregate?drilldown=occupation:soc2|region:nation",
    "/cube/working_futures/aggregate?drilldown=year&cut=occupation:3",
    "/cube/ashe_pay/members/occupation?depth=2",
]


def _strip(body: Any) -> Any:
    """The answer without what depends on the vintage or the clock."""
    if isinstance(body, dict):
        return {
            k: _strip(v) for k, v in body.items() if k not in ("vintage", "elapsed_ms", "loaded_at")
        }
    if isinstance(body, list):
        return [_strip(v) for v in body]
    return body


@pytest.fixture()
def published(postgres_url: str, tiny_dir: Path) -> str:
    load_warehouse(tiny_dir, postgres_url)
    return postgres_url


@dataclass
class Seen:
    """What a comparison covered: the tables that answered, the flags and the fills."""

    tables: set[str] = field(default_factory=set)
    flags: set[str] = field(default_factory=set)
    fills: int = 0


def same_answers(duck: FlaskClient, other: FlaskClient, queries: list[str], seen: Seen) -> None:
    """Every query answers the same from DuckDB and from the other warehouse."""
    for query in queries:
        a, b = duck.get(query), other.get(query)
        assert a.status_code == b.status_code == 200, (query, b.get_data(as_text=True)[:300])
        expected, got = a.get_json(), b.get_json()
        assert _strip(got) == _strip(expected), query
        if "table" in expected:
            seen.tables.add(expected["table"])
        if "/crosstab" in query:
            seen.flags.update(c["flag"] for row in expected["cells"] for c in row)
            seen.fills += a.get_data(as_text=True).count('"filled_from"')


def test_postgres_gives_identical_answers_to_duckdb(published: str, warehouse: Path) -> None:
    duck = create_app({"WAREHOUSE": str(warehouse), "CACHE_MB": 0}).test_client()
    pg = create_app({"WAREHOUSE": published, "CACHE_MB": 0}).test_client()
    seen = Seen()
    same_answers(duck, pg, QUERIES, seen)
    # the comparison covered withheld and filled cells, base facts and several rollups
    assert {"reliable", "suppressed"} <= seen.flags and seen.fills > 0
    assert len(seen.tables) >= 3


def test_load_publishes_a_schema_and_drops_the_replaced_one(
    published: str, tiny_dir: Path, tmp_path: Path
) -> None:
    wh = open_target(published)
    assert isinstance(wh, PostgresWarehouse)
    first = wh.versions()
    assert len(first) == 1 and wh.version() == first[0]
    other = tmp_path / "seed2"
    generate(other, "tiny", seed=2)
    load_warehouse(other, published)
    second = wh.versions()
    assert len(second) == 1 and second != first  # nobody read the old one: dropped
    engine = sa.create_engine(wh.url)
    with engine.connect() as con:
        pointer = con.execute(sa.text("SELECT schema_name FROM lmi_cubes.published")).all()
        rows = con.execute(
            sa.text(f'SELECT count(*) FROM "{second[0]}".fact_ashe_pay')
        ).scalar_one()
        types = con.execute(
            sa.text(
                "SELECT table_name, column_name, data_type, numeric_precision, numeric_scale "
                "FROM information_schema.columns WHERE table_schema = :s "
                "AND column_name IN ('employment', 'paybill', 'total_hours')"
            ),
            {"s": second[0]},
        ).all()
    engine.dispose()
    assert pointer == [(second[0],)]
    assert rows > 0
    # amounts stay exact DECIMALs: the source files' amount columns in the fact tables, and
    # their sums in every rollup
    amounts = {
        (s.table, c.target)
        for s in bind(load_model()).sources
        for c in s.columns
        if c.kind == "amount"
    }
    assert amounts == {
        ("fact_ashe_pay", "employment"),
        ("fact_ashe_pay", "paybill"),
        ("fact_ashe_hours", "employment"),
        ("fact_ashe_hours", "total_hours"),
        ("fact_wf_employment", "employment"),
    }
    facts = {(t, c): rest for t, c, *rest in types if t.startswith("fact_")}
    assert facts == {key: ["numeric", 18, 6] for key in amounts}
    rollups = {(t, c): rest for t, c, *rest in types if not t.startswith("fact_")}
    assert all(t.startswith("rollup_") for t, _ in rollups)
    # the sums keep the facts' DECIMAL(18,6) where every sum fits, as all do in the tiny data
    assert len(rollups) > 10 and all(rest == ["numeric", 18, 6] for rest in rollups.values())


def test_a_request_keeps_its_version_across_a_publish(published: str, tmp_path: Path) -> None:
    app = create_app({"WAREHOUSE": published, "CACHE_MB": 0})
    state = app.extensions["lmi_cubes"]
    wh = state.warehouse
    kwargs: dict[str, Any] = {"axes": ["occupation:soc1", "gender"], "measures": ["employment"]}
    other = tmp_path / "seed2"
    generate(other, "tiny", seed=2)
    with app.test_request_context("/slow"):  # a slow request, started before the publish
        pinned = state.current()
        before = pinned.engine.run(ask(pinned.engine, "ashe_pay", **kwargs))
        load_warehouse(other, published)
        assert len(wh.versions()) == 2  # the old version is leased by this request
        with ThreadPoolExecutor(1) as other_request:  # a concurrent request, its own context
            fresh = other_request.submit(lambda: app.test_client().get("/health").get_json())
            fresh = fresh.result()
        assert fresh["vintage"] != pinned.vintage
        pinned.engine.warehouse.dispose()  # new connections must still read the old version
        again = pinned.engine.run(ask(pinned.engine, "ashe_pay", **kwargs))
        assert state.current() is pinned and again.vintage == before.vintage == pinned.vintage
        assert np.array_equal(
            again.values["employment"], before.values["employment"], equal_nan=True
        )
    new = state.current()
    now = new.engine.run(ask(new.engine, "ashe_pay", **kwargs))
    assert not np.array_equal(now.values["employment"], before.values["employment"], equal_nan=True)
    assert wh.versions() == [new.identity]  # the request ended: its version was dropped


def test_a_query_over_its_time_limit_is_a_json_504(
    published: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = create_app({"WAREHOUSE": published, "CACHE_MB": 0, "QUERY_TIMEOUT_S": 0.3})
    client = app.test_client()
    assert client.get("/health").status_code == 200
    monkeypatch.setattr(
        "lmi_cubes.aggregates.engine.compile_statement", lambda *a: sa.text("SELECT pg_sleep(20)")
    )
    response = client.get(QUERIES[0])
    assert response.status_code == 504
    error = response.get_json()["error"]
    assert error["type"] == "timeout" and "0.3 s" in error["message"]


def empty_and_unreachable_are_503s(empty_target: str, down_target: str, reach: str) -> None:
    """A warehouse with nothing published, and one that does not answer: 503s that say so
    (naming the server, `reach`), never a trace."""
    empty = create_app({"WAREHOUSE": empty_target}).test_client()
    response = empty.get("/health")
    assert response.status_code == 503
    assert "no warehouse has been loaded" in response.get_json()["error"]["message"]
    down = create_app({"WAREHOUSE": down_target})
    for path in ("/health", QUERIES[0]):
        response = down.test_client().get(path)
        assert response.status_code == 503, path
        message = response.get_json()["error"]["message"]
        assert reach in message and "Traceback" not in message


def test_unreachable_or_empty_postgres_is_a_503_naming_the_problem(postgres_url: str) -> None:
    down = f"postgresql://nobody@127.0.0.1:{free_port()}/x"
    empty_and_unreachable_are_503s(postgres_url, down, "cannot reach postgresql 127.0.0.1")


def test_cli_load_and_serve_postgres_40_clients(
    postgres_url: str, tiny_dir: Path, warehouse: Path
) -> None:
    """`lmi-cubes load/serve --warehouse postgresql://...` over real HTTP; 40 concurrent
    clients on --threads 32 get no 5xx (the pool is sized to the threads)."""
    run = subprocess.run(
        [sys.executable, "-m", "lmi_cubes.cli", "load", str(tiny_dir), "--warehouse",
         postgres_url],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "publishing the new version" in run.stderr and "postgresql 127.0.0.1" in run.stderr
    duck = create_app({"WAREHOUSE": str(warehouse), "CACHE_MB": 0}).test_client()
    with serving(postgres_url, env={"LMI_CUBES_CACHE_MB": "0"}, workers=1, threads=32) as base:
        health = requests.get(f"{base}/health", timeout=30).json()
        assert health["status"] == "ok" and "@" not in health["warehouse"]
        expected = duck.get(QUERIES[2]).get_json()
        assert _strip(requests.get(base + QUERIES[2], timeout=30).json()) == _strip(expected)

        def client(i: int) -> list[int]:
            with requests.Session() as s:
                return [
                    s.get(base + QUERIES[(i + k) % len(QUERIES)], timeout=60).status_code
                    for k in range(4)
                ]

        with ThreadPoolExecutor(40) as pool:
            statuses = [code for codes in pool.map(client, range(40)) for code in codes]
    assert len(statuses) == 160 and set(statuses) == {200}
