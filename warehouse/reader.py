"""One published warehouse version, opened for reading: the single way the engine runs SQL.

`Reader` reads the embedded DuckDB, the default backend and the one every load is built in:
columns come back as numpy arrays and a statement past its time limit is stopped with
`interrupt()`. A backend that reads differently subclasses it and overrides only what
differs (`postgres.PostgresReader`, `spark.SparkReader`), so the backends are told apart by
their reader's type, never by comparing names. Reflection is filtered to the current
database and schema, because PostgreSQL's information_schema lists every schema a user can
see: unfiltered, a check passed against an older published version.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import os
import threading
import time
import weakref
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from lmi_cubes.warehouse.errors import QueryTimeout

DEFAULT_TIMEOUT_S = 30.0
COMPACT_AT = 1024  # queued alarms at which cancelled ones are swept out of the heap
Frame = dict[str, Any]  # column name -> numpy array, as DuckDB's fetchnumpy gives them

# The reader type that opened an engine, for code that holds only the engine (the model
# check, the catalog): it reflects the engine the way its backend can.
_OPENED_BY: weakref.WeakKeyDictionary[sa.Engine, type[Reader]] = weakref.WeakKeyDictionary()


def table_columns(engine: sa.Engine) -> dict[str, set[str]]:
    """Table name -> its column names, for the tables of the version this engine reads."""
    return _OPENED_BY.get(engine, Reader).reflect(engine)


class Reader:
    """A SQLAlchemy engine pinned to one version, plus how to fetch from it within a limit.

    `close` releases what pins the version (an open file descriptor, a lease on a schema);
    the server calls it once no request uses the version any more."""

    def __init__(
        self,
        engine: sa.Engine,
        version: object = None,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        close: Callable[[], None] | None = None,
    ):
        self.engine = engine
        self.version = version
        self.timeout_s = timeout_s
        _OPENED_BY[engine] = type(self)
        # also on garbage collection: the pins (a descriptor, a lease connection) must not
        # outlive a reader nobody closed
        self._finalizer = weakref.finalize(self, _close, engine, close)

    def columns(self, sql: str, cursor: Any | None = None) -> Frame:
        """SQL text the engine compiled (literals only, no user text) as numpy columns,
        cancelled after `timeout_s`. With `cursor` (the request's cursor of the process'
        shared DuckDB instance) the hot path skips the pool and SQLAlchemy altogether."""
        try:
            if cursor is not None:
                timer = self._start(cursor.interrupt)
                try:
                    return dict(cursor.execute(sql).fetchnumpy())
                finally:
                    timer.cancel()
            with self.engine.connect() as con:
                armed = self._arm(con)
                try:
                    result = con.exec_driver_sql(sql)
                    try:
                        return self._frame(result)
                    finally:
                        result.close()
                finally:
                    if armed is not None:
                        armed.cancel()
        except Exception as exc:
            if self.timed_out(exc):
                raise QueryTimeout(self.timeout_s) from exc
            raise

    def _frame(self, result: sa.CursorResult[Any]) -> Frame:
        """The statement's columns, as DuckDB's cursor hands them over: numpy arrays."""
        return dict(result.cursor.fetchnumpy())

    def _start(self, interrupt: Callable[[], Any]) -> _Alarm:
        return _WATCHDOG.arm(self.timeout_s, interrupt)

    def _arm(self, con: sa.Connection) -> _Alarm | None:
        """DuckDB has no statement timeout: a timer interrupts the connection instead."""
        dbapi: Any = con.connection.dbapi_connection
        return self._start(dbapi.interrupt)

    @staticmethod
    def timed_out(exc: BaseException) -> bool:
        """Whether `exc` is this backend stopping a statement at its time limit."""
        orig = getattr(exc, "orig", None) or exc
        return type(orig).__name__ == "InterruptException"  # duckdb.InterruptException

    @classmethod
    def reflect(cls, engine: sa.Engine) -> dict[str, set[str]]:
        """Table name -> its column names, from information_schema."""
        info = sa.table(
            "columns",
            sa.column("table_catalog"),
            sa.column("table_schema"),
            sa.column("table_name"),
            sa.column("column_name"),
            schema="information_schema",
        )
        query = sa.select(info.c.table_name, info.c.column_name).where(
            info.c.table_catalog == sa.func.current_database(),
            info.c.table_schema == sa.func.current_schema(),
        )
        with engine.connect() as con:
            rows = con.execute(query).fetchall()
        columns: dict[str, set[str]] = {}
        for table, column in rows:
            columns.setdefault(str(table), set()).add(str(column))
        return columns

    def close(self) -> None:
        """Release the version: connections, then what pinned it. Idempotent."""
        self._finalizer()


class _Alarm:
    """One armed time limit; `cancel` when the statement has finished."""

    __slots__ = ("callback", "cancelled")

    def __init__(self, callback: Callable[[], Any]):
        self.callback = callback
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True


class _Watchdog:
    """One thread per process that interrupts statements past their time limit.

    A `threading.Timer` per statement would start and stop a thread each time (thread churn
    under load); here arming is a heap push and cancelling sets a flag. Nearly every alarm
    is cancelled within milliseconds, so cancelled alarms are dropped from the heap's top
    whenever it is looked at, and the heap is rebuilt from its live alarms when it has
    doubled: otherwise each finished statement stayed queued for the whole time limit, and
    the thread woke once per statement (for nothing) after it, taking the interpreter's lock
    from the requests it should leave alone."""

    def __init__(self) -> None:
        self._heap: list[tuple[float, int, _Alarm]] = []
        self._seq = itertools.count()
        self._wake = threading.Condition()
        self._pid = 0
        self._compact_at = COMPACT_AT

    def arm(self, timeout_s: float, callback: Callable[[], Any]) -> _Alarm:
        alarm = _Alarm(callback)
        with self._wake:
            if self._pid != os.getpid():  # first use in this process (or after a fork)
                self._pid, self._heap = os.getpid(), []
                threading.Thread(target=self._run, name="lmi-cubes-watchdog", daemon=True).start()
            self._drop_cancelled()
            deadline = time.monotonic() + timeout_s
            heapq.heappush(self._heap, (deadline, next(self._seq), alarm))
            if self._heap[0][2] is alarm:
                self._wake.notify()
        return alarm

    def pending(self) -> int:
        """Alarms queued, live or cancelled but not yet dropped."""
        with self._wake:
            return len(self._heap)

    def _drop_cancelled(self) -> None:
        """With the lock held: drop the cancelled alarms at the top; rebuild the heap from
        its live alarms when it has reached `_compact_at` (a long statement at the top keeps
        the cancelled ones after it), so it stays about as large as the statements running."""
        heap = self._heap
        while heap and heap[0][2].cancelled:
            heapq.heappop(heap)
        if len(heap) >= self._compact_at:
            heap[:] = [entry for entry in heap if not entry[2].cancelled]
            heapq.heapify(heap)
            self._compact_at = max(COMPACT_AT, 2 * len(heap))

    def _run(self) -> None:
        while True:
            with self._wake:
                self._drop_cancelled()
                while not self._heap or self._heap[0][0] > time.monotonic():
                    self._wake.wait(self._heap[0][0] - time.monotonic() if self._heap else None)
                    self._drop_cancelled()
                _, _, alarm = heapq.heappop(self._heap)
            if not alarm.cancelled:
                # the statement's connection may be gone already
                with contextlib.suppress(Exception):
                    alarm.callback()


_WATCHDOG = _Watchdog()


def _close(engine: sa.Engine, release: Callable[[], None] | None) -> None:
    engine.dispose()
    if release is not None:  # a reader that owns its version lets go of what pins it
        release()
