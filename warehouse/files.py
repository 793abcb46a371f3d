"""Where the warehouse lives and how readers open it.

A DuckDB file allows one writing process or several readers, not both. So a load never
writes the live file: it builds a complete new file beside it and renames it over the
live one (an atomic rename on POSIX). A reader that has the old file open keeps reading
the old data until it reopens; a new open sees the new data. Readers notice a swap by the
file's identity (inode and modification time) changing.
"""

from __future__ import annotations

import contextlib
import os
import threading
import weakref
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import sqlalchemy as sa
from duckdb_engine import ConnectionWrapper

from lmi_cubes.settings import Settings
from lmi_cubes.warehouse.recent import RecentCounts

ENV_VAR = "LMI_CUBES_WAREHOUSE"
PREPARE_AFTER = 2  # the run of a statement's text that prepares it
PREPARED_PER_CURSOR = 32  # statements each cursor keeps prepared
COUNTED_STATEMENTS = 4096  # statement texts whose runs are counted


def default_warehouse(settings: Settings | None = None) -> Path:
    """$LMI_CUBES_WAREHOUSE, else $XDG_DATA_HOME/lmi-cubes/warehouse.duckdb."""
    settings = settings or Settings.from_env()
    if settings.warehouse:
        return Path(settings.warehouse)
    data_home = settings.data_home or str(Path.home() / ".local" / "share")
    return Path(data_home) / "lmi-cubes" / "warehouse.duckdb"


class WarehouseTargetError(ValueError):
    """The warehouse target is neither a file path nor a supported SQLAlchemy URL."""


def resolve_target(target: str | os.PathLike[str] | None, settings: Settings | None = None) -> Path:
    """A DuckDB file path from a path or a `duckdb:///path` SQLAlchemy URL (`open_target`
    has already sent every other URL to its own backend)."""
    if target is None:
        return default_warehouse(settings)
    text = os.fspath(target)
    if "://" not in text:
        return Path(text).expanduser().resolve()
    url = sa.engine.make_url(text)
    if not url.database or url.database == ":memory:":
        raise WarehouseTargetError(
            "an in-memory DuckDB cannot be shared between loader and server; "
            "give a file, e.g. duckdb:///var/warehouse.duckdb"
        )
    return Path(url.database).expanduser().resolve()


@dataclass(frozen=True)
class FileIdentity:
    """What changes when a load swaps a new file in."""

    inode: int
    mtime_ns: int
    size: int

    @classmethod
    def of(cls, path: Path) -> FileIdentity | None:
        try:
            st = path.stat()
        except FileNotFoundError:
            return None
        return cls(st.st_ino, st.st_mtime_ns, st.st_size)


class PreparedCursor:
    """A cursor of the shared instance, lent to one request at a time, keeping the statements
    that come again prepared.

    DuckDB parses, binds and plans every statement it is given as text; for a cross-tab's
    GROUP BY (joins to dimension tables, IN-lists of keys) that is a sizeable share of a
    fact-table answer (figures in docs/benchmarks.md). A prepared statement is planned once.
    Preparing and then executing costs more than running a text once, and most texts of a
    public API come once, so a text is prepared only from its `PREPARE_AFTER`th run on the
    instance; each cursor keeps its last `PREPARED_PER_CURSOR`. The texts are the engine's
    compiled statements (integer literals from the catalog, never user text); the names
    are this cursor's own counter."""

    def __init__(self, cursor: duckdb.DuckDBPyConnection, runs: RecentCounts) -> None:
        self.cursor = cursor
        self._runs = runs
        self._names: OrderedDict[str, str] = OrderedDict()
        self._made = 0

    def execute(self, sql: str) -> duckdb.DuckDBPyConnection:
        name = self._names.get(sql)
        if name is not None:
            self._names.move_to_end(sql)
            return self.cursor.execute(f"EXECUTE {name}")
        if self._runs.add(sql) < PREPARE_AFTER:
            return self.cursor.execute(sql)
        self._made += 1
        name = f"statement_{self._made}"
        self.cursor.execute(f"PREPARE {name} AS {sql}")
        self._names[sql] = name
        if len(self._names) > PREPARED_PER_CURSOR:
            _, oldest = self._names.popitem(last=False)
            self.cursor.execute(f"DEALLOCATE {oldest}")
        return self.cursor.execute(f"EXECUTE {name}")

    def interrupt(self) -> None:
        self.cursor.interrupt()


class SharedWarehouse:
    """One DuckDB instance per opened file and process, its cursors lent one per request.

    DuckDB keeps one database instance per file path per process, so reopening the same
    path after a swap would return the old instance. The instance is therefore an in-memory
    database that ATTACHes the file read-only, made once per swap: readers opened after a
    swap see the new file, those already running keep theirs. Every lent cursor and every
    pooled SQLAlchemy connection is a cursor of this one instance, so the process has one
    buffer pool and one thread pool (a private instance per connection multiplied both).
    """

    def __init__(self, path: Path, memory_limit: str, threads: int | None = None):
        config: dict[str, Any] = {"memory_limit": memory_limit}
        if threads:
            config["threads"] = threads
        self.root = duckdb.connect(":memory:", config=config)
        self.root.execute("SET enable_progress_bar = false")
        self.root.execute("ATTACH ? AS wh (READ_ONLY)", [str(path)])
        self._lock = threading.Lock()
        self._cursors: list[duckdb.DuckDBPyConnection] = []
        self._idle: list[PreparedCursor] = []  # free cursors, the last returned last
        self._runs = RecentCounts(COUNTED_STATEMENTS)

    def new_cursor(self) -> duckdb.DuckDBPyConnection:
        with self._lock:  # cursor() on the root is not documented as thread-safe
            cursor = self.root.cursor()
            self._cursors.append(cursor)
        cursor.execute("USE wh")
        return cursor

    def close(self) -> None:
        """Close every cursor and the instance, so the file is let go now (a replaced
        version must not stay open until the garbage collector gets to it)."""
        with self._lock:
            for cursor in self._cursors:
                cursor.close()
            self._cursors.clear()
            self.root.close()

    @contextlib.contextmanager
    def cursor(self) -> Iterator[PreparedCursor]:
        """A cursor for one request's statements, the one returned last (made when none is
        free, so there are never more than requests at once): a cursor keeps its prepared
        statements, and a server's threads take requests in turn, so a cursor per thread
        would prepare each repeated statement once per thread, a cost a statement run once
        does not have. The hot path pays no connection set-up either way."""
        with self._lock:
            cursor = self._idle.pop() if self._idle else None
        if cursor is None:
            cursor = PreparedCursor(self.new_cursor(), self._runs)
        try:
            yield cursor
        finally:
            with self._lock:
                self._idle.append(cursor)


_SHARED: weakref.WeakKeyDictionary[sa.Engine, SharedWarehouse] = weakref.WeakKeyDictionary()


def open_read_only(path: Path, memory_limit: str | None = None, pool_size: int = 4) -> sa.Engine:
    """A SQLAlchemy engine whose connections read the warehouse file as it is now.

    Its pooled connections are cursors of one shared instance (see `SharedWarehouse`,
    reachable with `shared(engine)` for the engine's hot path). The memory limit bounds the
    instance's buffer pool; the default is the settings'. A pool smaller than the columns the
    fact tables' statements read makes each statement re-read blocks that another evicted,
    while the rollups that answer most requests fit in any pool, so the default is large
    and memory is taken only as blocks are read (docs/benchmarks.md).
    """
    if not path.exists():
        raise FileNotFoundError(f"no warehouse at {path}; run `lmi-cubes load` first")
    instance = SharedWarehouse(path, memory_limit or Settings.from_env().duckdb_memory)
    engine = sa.create_engine(
        "duckdb:///:memory:",
        creator=lambda: ConnectionWrapper(instance.new_cursor()),
        poolclass=sa.pool.QueuePool,
        pool_size=pool_size,  # the server passes its thread count (warehouse/)
        max_overflow=2 * pool_size,
        pool_pre_ping=False,
    )
    _SHARED[engine] = instance
    return engine


def close_shared(engine: sa.Engine) -> None:
    """Let go of the file behind an engine from `open_read_only` (nothing for others)."""
    instance = _SHARED.pop(engine, None)
    if instance is not None:
        instance.close()


def shared(engine: sa.Engine) -> SharedWarehouse | None:
    """The shared instance behind an engine from `open_read_only` (None for others)."""
    return _SHARED.get(engine)
