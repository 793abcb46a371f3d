"""The statement time limit's watchdog: finished statements leave nothing queued behind them
(each one stayed for the whole limit, and woke the thread once after it), a statement past
its limit is still interrupted, and one that finished in time never is, whatever the
cancelled alarms around it."""

from __future__ import annotations

import threading

import duckdb
import sqlalchemy as sa

from lmi_cubes.warehouse import reader
from lmi_cubes.warehouse.reader import COMPACT_AT, Reader, _Watchdog


def test_finished_statements_leave_no_alarm_queued() -> None:
    watchdog = _Watchdog()
    for _ in range(10 * COMPACT_AT):
        watchdog.arm(30.0, lambda: None).cancel()
    assert watchdog.pending() <= 1


def test_a_long_statement_does_not_let_finished_ones_pile_up_behind_it() -> None:
    watchdog = _Watchdog()
    long_running = watchdog.arm(30.0, lambda: None)  # first due: it stays at the top
    for _ in range(10 * COMPACT_AT):
        watchdog.arm(30.0, lambda: None).cancel()
    assert watchdog.pending() <= COMPACT_AT
    long_running.cancel()


def test_a_statement_past_its_limit_is_interrupted_among_cancelled_ones() -> None:
    watchdog = _Watchdog()
    fired = threading.Event()
    spared = threading.Event()
    for _ in range(3 * COMPACT_AT):
        watchdog.arm(0.01, spared.set).cancel()
    watchdog.arm(0.05, fired.set)
    for _ in range(3 * COMPACT_AT):
        watchdog.arm(0.02, spared.set).cancel()
    assert fired.wait(10.0)
    assert not spared.is_set()
    assert watchdog.pending() == 0


def test_the_readers_statements_leave_nothing_queued() -> None:
    """Through the reader's own path, as a request runs its statement on a cursor."""
    con = duckdb.connect()
    con.execute("CREATE TABLE t AS SELECT range AS k FROM range(100)")
    read = Reader(sa.create_engine("duckdb:///:memory:"), timeout_s=30.0)
    before = reader._WATCHDOG.pending()
    for _ in range(3 * COMPACT_AT):
        assert len(read.columns("SELECT sum(k) AS s FROM t", con.cursor())["s"]) == 1
    assert reader._WATCHDOG.pending() <= before + 1
