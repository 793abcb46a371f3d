"""A projection's statement goes through the warehouse layer's reader like every other: it
has the statement time limit, and only an overflow (the values cannot be summed exactly in
memory, so DuckDB sums them) sends the query back to the SQL; any other error is raised."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import duckdb
import pytest
import sqlalchemy as sa

from lmi_cubes.aggregates.resident import read
from lmi_cubes.warehouse import QueryTimeout, Reader


def reader(timeout_s: float = 30.0) -> Reader:
    return Reader(sa.create_engine("duckdb:///:memory:"), timeout_s=timeout_s)


def table(name: str) -> Any:
    return SimpleNamespace(table=name)


def test_an_overflowing_sum_is_left_to_duckdb() -> None:
    con = duckdb.connect()
    con.execute("CREATE TABLE r (k SMALLINT, m DECIMAL(18, 6))")
    # ten sums of 999,999,999,999 in millionths: 10**19, past BIGINT's 9.2 * 10**18
    con.execute("INSERT INTO r SELECT 1, 999999999999 FROM range(10)")
    assert read(reader(), con.cursor(), table("r"), ["m"], ("k",), None) is None
    con.execute("DELETE FROM r WHERE rowid > 0")
    fitted = read(reader(), con.cursor(), table("r"), ["m"], ("k",), None)
    assert fitted is not None and fitted.rows == 1


def test_a_slow_projection_is_cancelled_at_the_time_limit() -> None:
    con = duckdb.connect()
    con.execute(
        "CREATE VIEW slow AS SELECT (range % 7)::SMALLINT AS k, 1::DECIMAL(18, 6) AS m "
        "FROM range(2000000000)"
    )
    with pytest.raises(QueryTimeout):
        read(reader(timeout_s=0.05), con.cursor(), table("slow"), ["m"], ("k",), None)


def test_other_errors_are_not_swallowed() -> None:
    con = duckdb.connect()
    with pytest.raises(duckdb.CatalogException):
        read(reader(), con.cursor(), table("no_such_rollup"), ["m"], ("k",), None)
