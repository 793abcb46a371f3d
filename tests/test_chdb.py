"""ClickHouse (in-process, chDB) runs the engine's compiled cross-tab SQL and agrees with DuckDB.

Every table of the tiny warehouse is exported to Parquet and loaded into a chDB session;
each cross-tab below is compiled by the engine (`compile_statement`) once for the fact table
and once for the rollup the engine would choose, to SQLAlchemy's generic SQL (the engine has
no ClickHouse dialect; double-quoted identifiers, literal IN-lists), and run unchanged on
both. The grouped keys and exact DECIMAL sums must be identical, row for row.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest
import sqlalchemy as sa
from chdb import session as chdb_session

from lmi_cubes.aggregates.engine import Engine
from lmi_cubes.aggregates.query import Request
from lmi_cubes.aggregates.sql import compile_statement
from lmi_cubes.model.loader import load_model

CROSSTABS = [
    Request("ashe_pay", ["occupation:soc1", "region:nation"], ["mean_pay"]),
    Request("ashe_pay", ["occupation:soc4", "region:nation"], ["median_pay"], "occupation:2,21|gender:2"),
    Request("ashe_pay", ["occupation:soc2", "gender"], ["pay_decile"], decile=90),
    Request("ashe_pay", ["region:region", "status"], ["mean_pay_at_age"], age=30),
    Request("ashe_pay", ["industry:ind22", "qualification:broad3"], ["employment"]),
    Request("ashe_pay", ["industry:sector6"], ["employment"], "!occupation:1"),
    Request("ashe_hours", ["gender", "status"], ["mean_hours"]),
    Request("ashe_hours", ["occupation:soc3", "region:nation"], ["total_hours"]),
    Request("ashe_hours", ["industry:sector6", "gender"], ["employment"], "region:1"),
    Request("working_futures", ["occupation:soc2", "gender"], ["total_requirement"], year_from=2021, year_to=2027),
    Request("working_futures", ["occupation:soc1", "status"], ["employment"]),
    Request("working_futures", ["year", "gender"], ["employment"]),
    Request("working_futures", ["industry:sector6", "qualification:broad3"], ["employment_change"], year_from=2022, year_to=2026),
    Request("working_futures", ["occupation:soc1", "region:nation"], ["replacement_demand"], year_from=2021, year_to=2027),
    Request("working_futures", [], ["employment"], "occupation:3"),
]  # fmt: skip


@pytest.fixture(scope="module")
def clickhouse(warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A chDB session holding every warehouse table, loaded from Parquet."""
    folder = tmp_path_factory.mktemp("parquet")
    duck = duckdb.connect(str(warehouse), read_only=True)
    tables = [r[0] for r in duck.execute("SELECT table_name FROM duckdb_tables()").fetchall()]
    kinds = dict(
        duck.execute(
            "SELECT table_name || '.' || column_name, data_type FROM information_schema.columns"
        ).fetchall()
    )
    for table in tables:
        columns = [c.split(".", 1)[1] for c in kinds if c.startswith(table + ".")]
        select = ", ".join(
            f'CAST("{c}" AS VARCHAR) AS "{c}"' if kinds[f"{table}.{c}"] == "JSON" else f'"{c}"'
            for c in columns
        )
        duck.execute(f"COPY (SELECT {select} FROM \"{table}\") TO '{folder}/{table}.parquet'")
    duck.close()
    ch = chdb_session.Session()
    for table in tables:
        ch.query(
            f'CREATE TABLE "{table}" ENGINE = Memory AS '
            f"SELECT * FROM file('{folder}/{table}.parquet', Parquet)"
        )
    yield ch
    ch.close()


def _normal(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Keys as int, sums as exact decimals, in one order."""
    out = []
    for row in rows:
        out.append(tuple(None if v in (None, "\\N") else Decimal(str(v)).normalize() for v in row))
    return sorted(out, key=lambda r: tuple((v is None, v or 0) for v in r))


def test_clickhouse_runs_the_compiled_sql_with_identical_answers(
    warehouse: Path, clickhouse: Any
) -> None:
    duck_engine = sa.create_engine(f"duckdb:///{warehouse}", connect_args={"read_only": True})
    engine = Engine(load_model(), duck_engine)
    generic = sa.engine.default.DefaultDialect()
    generic.supports_native_boolean = True
    con = duck_engine.connect()
    agree, statements, tables = 0, 0, set()
    disagree: list[str] = []
    try:
        for request in CROSSTABS:
            query = engine.query(request)
            facts = engine.sources[query.cube.name][0]
            for source in {facts, engine.source_for(query)}:
                statement = compile_statement(query, source, engine.catalog)
                sql = str(
                    statement.compile(dialect=generic, compile_kwargs={"literal_binds": True})
                )
                statements += 1
                tables.add(source.table)
                expected = _normal([tuple(r) for r in con.exec_driver_sql(sql).fetchall()])
                text = clickhouse.query(sql, "CSVWithNames").bytes().decode()
                got = _normal([tuple(r) for r in list(csv.reader(io.StringIO(text)))[1:]])
                if got == expected and expected:
                    agree += 1
                else:
                    disagree.append(f"{request.cube} {request.axes} on {source.table}")
    finally:
        con.close()
        engine.reader.close()
        duck_engine.dispose()
    print(f"chDB agrees with DuckDB on {agree} of {statements} statements")
    assert not disagree, disagree
    assert statements >= 25 and {"fact_ashe_pay", "fact_ashe_hours", "fact_wf_employment"} <= tables
    assert sum(t.startswith("rollup_") for t in tables) >= 6
