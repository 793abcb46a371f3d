"""Apache Spark through its Thrift server (`hive://host:port/namespace`): each load is
published as a new Spark SQL database, then one pointer view is replaced.

As for PostgreSQL, the load is built and validated in embedded DuckDB (so every backend
serves identical numbers). `publish` writes every table of the finished file as Parquet into
an exchange directory the Spark server can read at the same path (the same machine, or a
shared mount: `$LMI_CUBES_SPARK_EXCHANGE_DIR`), copies each into a managed Parquet table of a
fresh database `<namespace>_v_<run id>` (`CREATE TABLE ... USING parquet AS SELECT`), and
then replaces the view `<namespace>.published`, whose one row names that database. Replacing
a view is one metastore operation, so readers see the old pointer or the new one, never an
empty table (an `INSERT OVERWRITE` deletes the old rows first). A reader connects with the
version as its session database, so every statement of a request reads that version.

Spark has no advisory locks to lease a version with: a publish keeps the version it
replaced (servers switch within `LMI_CUBES_VERSION_CHECK_S`, and a request that started on
it finishes on it) and drops the ones before. A request that spans two publishes gets a 503
asking to retry.

The time limit: statements run asynchronously and are polled; past the limit the operation
is cancelled on the server (its Spark job with it) and `QueryTimeout` is raised.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import time
import weakref
from collections.abc import Hashable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import sqlalchemy as sa
from pyhive import hive
from pyhive.exc import Error as HiveError
from TCLIService.ttypes import TOperationState
from thrift.Thrift import TException

from lmi_cubes.settings import Settings
from lmi_cubes.warehouse.base import ThrottledPointer, Warehouse, open_build
from lmi_cubes.warehouse.errors import QueryTimeout, VersionGone, WarehouseUnavailable
from lmi_cubes.warehouse.files import WarehouseTargetError, default_warehouse
from lmi_cubes.warehouse.quoting import sql_identifier
from lmi_cubes.warehouse.reader import DEFAULT_TIMEOUT_S, Frame, Reader

NAME = re.compile(r"[a-z][a-z0-9_]{0,40}")
TABLE = re.compile(r"[a-z][a-z0-9_]{0,127}")
RUN = re.compile(r"[0-9a-f]{1,32}")
# Spark's view of DuckDB's types: what Parquet cannot carry as DuckDB writes it
CASTS = {"JSON": "VARCHAR", "HUGEINT": "DECIMAL(38,0)", "UUID": "VARCHAR"}
DONE = TOperationState.FINISHED_STATE
FAILED = {
    TOperationState.ERROR_STATE,
    TOperationState.CANCELED_STATE,
    TOperationState.CLOSED_STATE,
    TOperationState.UKNOWN_STATE,
    getattr(TOperationState, "TIMEDOUT_STATE", -1),
}
UNREACHABLE = (TException, OSError, EOFError)


class SparkError(RuntimeError):
    """A statement the Spark server refused or failed, with its first line only."""


def message(exc: BaseException) -> str:
    """The first line of what the server said, without Java stack traces."""
    orig = getattr(exc, "orig", None) or exc
    for arg in getattr(orig, "args", ()):
        status = getattr(arg, "status", None)
        text = getattr(status, "errorMessage", None) or getattr(arg, "errorMessage", None)
        if text:
            return _first(str(text))
    return _first(str(orig))


def _first(text: str) -> str:
    line = (text.strip().splitlines() or [""])[0]
    return re.sub(r"^Error running query: (\[\w+[.\w]*\] )?[\w.]+Exception: ", "", line)[:300]


def _tick(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def _lit(text: str) -> str:
    """A Spark string literal; only ever for names and stamps this module made and checked
    (Spark SQL escapes with backslashes, not by doubling quotes as standard SQL does)."""
    if "'" in text or "\\" in text:
        raise ValueError(f"not a name or path this module makes: {text!r}")
    return f"'{text}'"


class SparkWarehouse(Warehouse):
    remote = True

    def __init__(self, url: sa.URL, settings: Settings):
        namespace = url.database if url.database not in (None, "", "default") else "lmi"
        if not NAME.fullmatch(namespace or ""):
            raise WarehouseTargetError(
                "the database part of a hive:// URL names where lmi-cubes keeps its versions: "
                f"lower-case letters, digits and _, starting with a letter; got {namespace!r}"
            )
        assert namespace is not None
        self.namespace = namespace
        self.url = url.set(drivername="hive", database=namespace)
        self.target = self.url.render_as_string(hide_password=False)
        public = self.url.render_as_string(hide_password=True)
        digest = hashlib.sha256(public.encode()).hexdigest()[:12]
        staging = Path(settings.staging_dir or default_warehouse(settings).parent)
        self.local_path = staging / f"spark-{digest}.duckdb"
        self.exchange = Path(settings.spark_exchange_dir or staging).resolve()
        self.pointer = ThrottledPointer(self._read_pointer, settings.version_check_s)
        self._control = sa.create_engine(self.url.set(database="default"), pool_size=1)
        weakref.finalize(self, self._control.dispose)

    @property
    def name(self) -> str:
        host = f"{self.url.host or 'localhost'}:{self.url.port or 10000}"
        return f"spark {host}/{self.namespace}"

    def unreadable(self, exc: BaseException) -> WarehouseUnavailable:
        """Spark's own first line, never the Thrift response with its Java stack."""
        return WarehouseUnavailable(
            f"the warehouse {self.name} cannot be read ({message(exc)}); load the data again"
        )

    def connect(self, database: str = "default") -> Any:
        """A DB-API connection (pyhive), for publishing and administration."""
        kwargs: dict[str, Any] = {
            "host": self.url.host or "localhost",
            "port": self.url.port or 10000,
            "username": self.url.username,
            "database": database,
            **dict(self.url.query),
        }
        if self.url.password:
            kwargs["password"] = self.url.password
        try:
            return hive.connect(**kwargs)
        except (HiveError, *UNREACHABLE) as exc:
            raise WarehouseUnavailable(f"cannot reach {self.name}: {message(exc)}") from exc

    def version(self) -> Hashable | None:
        return self.pointer.get()

    def _read_pointer(self) -> str | None:
        try:
            with self._control.connect() as con:
                return self._pointer(con.connection.dbapi_connection)
        except (sa.exc.DBAPIError, HiveError, *UNREACHABLE) as exc:
            raise WarehouseUnavailable(f"cannot reach {self.name}: {message(exc)}") from exc

    def _pointer(self, dbapi: Any) -> str | None:
        cur = dbapi.cursor()
        try:  # one statement (each is a Spark job): a missing pointer is an error
            cur.execute(f"SELECT schema_name FROM {_tick(self.namespace)}.published")
            rows = cur.fetchall()
        except HiveError as exc:
            if any(k in message(exc) for k in ("TABLE_OR_VIEW_NOT_FOUND", "SCHEMA_NOT_FOUND")):
                return None
            raise
        finally:
            cur.close()
        return str(rows[0][0]) if rows else None

    def open(
        self, version: Hashable, pool_size: int = 8, timeout_s: float = DEFAULT_TIMEOUT_S
    ) -> Reader:
        schema = str(version)
        if not self._is_version(schema):
            raise WarehouseUnavailable(f"the pointer of {self.name} names no version; load again")
        if schema not in self.versions():
            self.pointer.forget()
            raise VersionGone(f"version {schema} of {self.name} was replaced; retry")
        # no pre-ping: a ping is a whole Spark statement; a dead connection is seen on use
        engine = sa.create_engine(
            self.url.set(database=schema), pool_size=pool_size, max_overflow=4
        )
        return SparkReader(engine, schema, timeout_s, self.name)

    def _is_version(self, name: str) -> bool:
        prefix = f"{self.namespace}_v_"
        return name.startswith(prefix) and RUN.fullmatch(name[len(prefix) :]) is not None

    def versions(self) -> list[str]:
        """Every version database of this namespace present on the server."""
        con = self.connect()
        try:
            cur = con.cursor()
            cur.execute("SHOW DATABASES")
            names = [str(r[0]) for r in cur.fetchall()]
            cur.close()
        finally:
            con.close()
        return sorted(n for n in names if self._is_version(n))

    def publish(self, building: Path, run_id: str) -> None:
        if not RUN.fullmatch(run_id):
            raise ValueError(f"not a run id: {run_id!r}")
        schema = f"{self.namespace}_v_{run_id}"
        folder = self.exchange / f"lmi-spark-{run_id}"
        if "`" in str(folder) or "'" in str(folder) or "\\" in str(folder):
            raise WarehouseTargetError(
                f"LMI_CUBES_SPARK_EXCHANGE_DIR must not contain quotes: {folder}"
            )
        try:
            self._publish(building, schema, folder)
        except HiveError as exc:  # Java's stack trace stays out of the one-line failure
            raise SparkError(f"{self.name} refused the new version: {message(exc)}") from exc
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        self.pointer.forget()

    def _publish(self, building: Path, schema: str, folder: Path) -> None:
        """Parquet files, the new database, then the pointer; older versions dropped."""
        tables, vintage = _export(building, folder)
        con = self.connect()
        try:
            self._create(con, schema, tables, folder)
            previous = self._pointer(con)
            stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
            cur = con.cursor()
            cur.execute(
                f"CREATE OR REPLACE VIEW {_tick(self.namespace)}.published AS SELECT "
                f"{_lit(schema)} AS schema_name, {_lit(vintage)} AS vintage, "
                f"TIMESTAMP {_lit(stamp)} AS published_at"
            )
            for old in self.versions():
                if old not in (schema, previous):
                    cur.execute(f"DROP DATABASE IF EXISTS {_tick(old)} CASCADE")
            cur.close()
        finally:
            con.close()

    def _create(self, con: Any, schema: str, tables: list[str], folder: Path) -> None:
        """The new database with every table, two at a time; dropped again on failure."""
        cur = con.cursor()
        cur.execute(f"CREATE DATABASE IF NOT EXISTS {_tick(self.namespace)}")
        cur.execute(f"CREATE DATABASE {_tick(schema)}")
        cur.close()

        def copy(names: list[str]) -> None:
            worker = self.connect(schema)
            try:
                c = worker.cursor()
                for table in names:
                    source = f"parquet.{_tick(str(folder / (table + '.parquet')))}"
                    c.execute(
                        f"CREATE TABLE {_tick(table)} USING parquet AS SELECT * FROM {source}"
                    )
                c.close()
            finally:
                worker.close()

        try:
            with ThreadPoolExecutor(2) as pool:
                for done in [pool.submit(copy, tables[i::2]) for i in range(2)]:
                    done.result()
        except BaseException:
            cur = con.cursor()
            cur.execute(f"DROP DATABASE IF EXISTS {_tick(schema)} CASCADE")
            cur.close()
            raise


def _export(building: Path, folder: Path) -> tuple[list[str], str]:
    """Every table of the DuckDB build as one Parquet file; returns the tables and vintage."""
    folder.mkdir(parents=True, exist_ok=True)
    duck, columns, found = open_build(building)
    try:
        tables: dict[str, list[str]] = {}
        for table, column, kind in columns:
            name = sql_identifier(column)
            cast = CASTS.get(str(kind).upper())
            tables.setdefault(table, []).append(
                f"CAST({name} AS {cast}) AS {name}" if cast else name
            )
        for table, select in tables.items():
            if not TABLE.fullmatch(table):
                raise ValueError(f"a table name Spark would change: {table!r}")
            duck.execute(
                f"COPY (SELECT {', '.join(select)} FROM b.{sql_identifier(table)}) "
                "TO ? (FORMAT parquet)",
                [str(folder / f"{table}.parquet")],
            )
    finally:
        duck.close()
    vintage = found or ""
    return sorted(tables), vintage if RUN.fullmatch(vintage) else ""


_COLUMNS: weakref.WeakKeyDictionary[sa.Engine, dict[str, set[str]]] = weakref.WeakKeyDictionary()


class SparkReader(Reader):
    """Statements run asynchronously on the Thrift server and are cancelled at the limit."""

    def __init__(self, engine: sa.Engine, version: str, timeout_s: float, name: str):
        super().__init__(engine, version, timeout_s)
        self.name = name

    def columns(self, sql: str, cursor: Any | None = None) -> Frame:
        try:
            with self.engine.connect() as con:
                dbapi: Any = con.connection.dbapi_connection
                try:
                    return self._run(dbapi.cursor(), sql)
                except UNREACHABLE:
                    con.invalidate()
                    raise
        except (sa.exc.DBAPIError, *UNREACHABLE) as exc:
            raise WarehouseUnavailable(f"cannot reach {self.name}: {message(exc)}") from exc

    def _run(self, cur: Any, sql: str) -> Frame:
        deadline = time.monotonic() + self.timeout_s
        try:
            cur.execute(sql, async_=True)
            delay = 0.002
            while True:
                status = cur.poll(get_progress_update=False)
                if status.operationState == DONE:
                    break
                if status.operationState in FAILED:
                    raise SparkError(_first(status.errorMessage or "the statement failed"))
                left = deadline - time.monotonic()
                if left <= 0:
                    cur.cancel()  # the server cancels the operation and its Spark job
                    raise QueryTimeout(self.timeout_s)
                time.sleep(min(delay, left))
                delay = min(delay * 2, 0.05)
            rows = cur.fetchall()
            kinds = [d[1] for d in cur.description or []]
            names = [d[0] for d in cur.description or []]
        finally:
            cur.close()
        out: Frame = {}
        for i, (name, kind) in enumerate(zip(names, kinds, strict=True)):
            values = [r[i] for r in rows]
            if kind == "DECIMAL_TYPE":  # as psycopg's float loader: exact text -> nearest double
                out[name] = np.array([np.nan if v is None else float(v) for v in values])
            else:
                out[name] = np.array(values)
        return out

    @classmethod
    def reflect(cls, engine: sa.Engine) -> dict[str, set[str]]:
        """SHOW TABLES and DESCRIBE: no information_schema over Thrift (a version never
        changes: read once)."""
        cached = _COLUMNS.get(engine)
        if cached is not None:
            return cached
        columns: dict[str, set[str]] = {}
        with engine.connect() as con:
            cur = con.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
            try:
                cur.execute("SHOW TABLES")
                tables = [str(r[1]) for r in cur.fetchall() if not r[2]]
                for table in tables:
                    cur.execute(f"DESCRIBE {_tick(table)}")
                    names = {str(r[0]) for r in cur.fetchall()}
                    columns[table] = {n for n in names if n and not n.startswith("#")}
            finally:
                cur.close()
        _COLUMNS[engine] = columns
        return columns
