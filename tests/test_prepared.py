"""Repeated statements run prepared on each thread's cursor of the shared instance."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import duckdb
import pytest

from lmi_cubes.cube_server.app import create_app
from lmi_cubes.warehouse import files
from lmi_cubes.warehouse.files import (
    COUNTED_STATEMENTS,
    PreparedCursor,
    close_shared,
    open_read_only,
    shared,
)
from lmi_cubes.warehouse.recent import RecentCounts


class Recording:
    """A DuckDB cursor that records every text it is given."""

    def __init__(self, cursor: duckdb.DuckDBPyConnection) -> None:
        self.cursor = cursor
        self.texts: list[str] = []

    def execute(self, sql: str) -> Any:
        self.texts.append(sql)
        return self.cursor.execute(sql)

    def interrupt(self) -> None:
        self.cursor.interrupt()


@pytest.fixture()
def recorded() -> Recording:
    con = duckdb.connect()
    con.execute("CREATE TABLE t AS SELECT i % 7 AS k, i AS v FROM range(1000) r(i)")
    return Recording(con)


def statement(k: int) -> str:
    return f"SELECT k, sum(v) AS v FROM t WHERE k IN ({k}) GROUP BY k"


def test_a_text_is_prepared_from_its_second_run_and_then_only_executed(
    recorded: Recording,
) -> None:
    cursor = PreparedCursor(recorded, RecentCounts(COUNTED_STATEMENTS))  # type: ignore[arg-type]
    sql = statement(3)
    expected = (
        duckdb.connect()
        .execute("SELECT 3 AS k, sum(i) FROM range(1000) r(i) WHERE i % 7 = 3")
        .fetchall()
    )
    answers = [cursor.execute(sql).fetchall() for _ in range(4)]
    assert answers == [expected] * 4
    prepares = [t for t in recorded.texts if t.startswith("PREPARE")]
    executes = [t for t in recorded.texts if t.startswith("EXECUTE")]
    assert recorded.texts[0] == sql  # once: run as text, not prepared
    assert len(prepares) == 1 and prepares[0].endswith(f" AS {sql}")
    assert len(executes) == 3  # the second, third and fourth runs
    assert recorded.texts.count(sql) == 1


def test_runs_are_counted_across_cursors(recorded: Recording) -> None:
    runs = RecentCounts(COUNTED_STATEMENTS)
    other = Recording(recorded.cursor.cursor())
    first, second = (PreparedCursor(r, runs) for r in (recorded, other))  # type: ignore[arg-type]
    first.execute(statement(1)).fetchall()
    second.execute(statement(1)).fetchall()  # the instance's second run: prepared here
    assert recorded.texts == [statement(1)]
    assert [t.split()[0] for t in other.texts] == ["PREPARE", "EXECUTE"]


def test_each_cursor_keeps_its_last_statements_prepared(
    recorded: Recording, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files, "PREPARED_PER_CURSOR", 3)
    cursor = PreparedCursor(recorded, RecentCounts(COUNTED_STATEMENTS))  # type: ignore[arg-type]
    for k in range(5):
        for _ in range(2):
            cursor.execute(statement(k)).fetchall()
    deallocated = [t for t in recorded.texts if t.startswith("DEALLOCATE")]
    assert len(deallocated) == 2
    recorded.texts.clear()
    # the oldest was let go and is prepared again; the newest is still prepared
    assert cursor.execute(statement(0)).fetchall() == [(0, sum(range(0, 1000, 7)))]
    assert cursor.execute(statement(4)).fetchall() == [(4, sum(range(4, 1000, 7)))]
    assert [t.split()[0] for t in recorded.texts] == ["PREPARE", "DEALLOCATE", "EXECUTE", "EXECUTE"]


def test_the_same_request_gives_the_same_bytes_prepared(warehouse: Path) -> None:
    """A fact-table cross-tab asked again (then run prepared) answers byte for byte alike."""
    client = create_app(
        {"WAREHOUSE": str(warehouse), "CACHE_MB": 0, "USE_ROLLUPS": False}
    ).test_client()
    path = "/cube/ashe_pay/crosstab?rows=occupation:soc2&columns=region&cut=gender:2"
    bodies = [client.get(path).data for _ in range(4)]
    assert all(b == bodies[0] for b in bodies) and b'"cells"' in bodies[0]


def test_a_request_borrows_the_cursor_returned_last(warehouse: Path) -> None:
    """Requests one after another, on whichever thread, get the same cursor (and so its
    prepared statements); requests at once get one each."""
    engine = open_read_only(warehouse)
    instance = shared(engine)
    assert instance is not None
    with instance.cursor() as first, instance.cursor() as second:
        assert first is not second  # two requests at once
    seen: list[Any] = []

    def request() -> None:
        with instance.cursor() as cursor:
            seen.append(cursor)
            cursor.execute("SELECT count(*) FROM load_runs").fetchall()

    for _ in range(3):
        thread = threading.Thread(target=request)
        thread.start()
        thread.join()
    assert seen == [first] * 3  # returned last, lent first
    close_shared(engine)


def test_a_cursor_keeps_its_last_32_statements_prepared(recorded: Recording) -> None:
    """The number docs/caching.md gives: the 33rd repeated statement lets the first go."""
    cursor = PreparedCursor(recorded, RecentCounts(COUNTED_STATEMENTS))  # type: ignore[arg-type]
    for k in range(33):
        for _ in range(2):
            cursor.execute(statement(k)).fetchall()
        deallocated = [t for t in recorded.texts if t.startswith("DEALLOCATE")]
        assert len(deallocated) == (k == 32)


def test_runs_are_counted_for_the_last_4096_texts() -> None:
    """A text whose count was dropped (4,096 newer texts since) starts again from one."""
    runs = RecentCounts(COUNTED_STATEMENTS)
    assert runs.add("first") == 1
    for n in range(4095):
        runs.add(f"other {n}")
    assert runs.add("first") == 2  # still counted: 4,096 texts in all
    for n in range(4096):
        runs.add(f"newer {n}")
    assert runs.add("first") == 1
