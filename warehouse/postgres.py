"""PostgreSQL: each load is published as a new schema, then one pointer row is updated.

The load is built and validated in embedded DuckDB exactly as for a DuckDB warehouse (so
both serve identical numbers); `publish` then streams every table of the finished file into
a fresh schema `lmi_v_<run id>` with `COPY ... FROM STDIN` (DuckDB writes the CSV, so
decimals keep their exact text) and, in the same transaction, points
`lmi_cubes.published` at it. A reader sets `search_path` to the version it opened, so all
its connections read that version, and holds a shared advisory lock on it (the lease) for
as long as it is open. Old schemas are dropped by whoever can take that lock exclusively:
the next publish, or the last reader of a replaced version when it closes.
"""

from __future__ import annotations

import hashlib
import weakref
from collections.abc import Hashable
from pathlib import Path
from typing import Any

import numpy as np
import psycopg
import sqlalchemy as sa
from psycopg.types.numeric import FloatLoader

from lmi_cubes.settings import Settings
from lmi_cubes.warehouse.base import ThrottledPointer, Warehouse, open_build
from lmi_cubes.warehouse.errors import VersionGone, WarehouseUnavailable
from lmi_cubes.warehouse.files import default_warehouse
from lmi_cubes.warehouse.quoting import sql_identifier
from lmi_cubes.warehouse.reader import DEFAULT_TIMEOUT_S, Frame, Reader

PREFIX = "lmi_v_"
POINTER = "lmi_cubes.published"
TYPES = {
    "TINYINT": "smallint",
    "SMALLINT": "smallint",
    "INTEGER": "integer",
    "BIGINT": "bigint",
    "HUGEINT": "numeric(38,0)",
    "DOUBLE": "double precision",
    "FLOAT": "real",
    "VARCHAR": "text",
    "BOOLEAN": "boolean",
    "DATE": "date",
    "TIMESTAMP": "timestamp",
    "TIMESTAMP WITH TIME ZONE": "timestamptz",
    "JSON": "json",
}


def _pg_type(duck_type: str) -> str:
    upper = duck_type.upper()
    if upper.startswith("DECIMAL"):
        return "numeric" + upper[len("DECIMAL") :]
    if upper not in TYPES:
        raise ValueError(f"no PostgreSQL type for the DuckDB type {duck_type}")
    return TYPES[upper]


class PostgresReader(Reader):
    """Rows from psycopg (numeric already float, see `open`), turned into numpy columns; the
    server stops a statement itself through `statement_timeout`, set when a reader connects."""

    def _frame(self, result: sa.CursorResult[Any]) -> Frame:
        rows, keys = result.fetchall(), list(result.keys())
        return {k: np.array([r[i] for r in rows]) for i, k in enumerate(keys)}

    def _arm(self, con: sa.Connection) -> None:
        return None

    @staticmethod
    def timed_out(exc: BaseException) -> bool:
        orig = getattr(exc, "orig", None) or exc  # psycopg.errors.QueryCanceled, SQLSTATE 57014
        return isinstance(orig, psycopg.errors.QueryCanceled) or (
            getattr(orig, "sqlstate", None) == "57014"
        )


class PostgresWarehouse(Warehouse):
    remote = True

    def __init__(self, url: sa.URL, settings: Settings):
        self.url = url.set(drivername="postgresql+psycopg")
        self.target = self.url.render_as_string(hide_password=False)
        self.conninfo = self.url.set(drivername="postgresql").render_as_string(hide_password=False)
        public = self.url.render_as_string(hide_password=True)
        digest = hashlib.sha256(public.encode()).hexdigest()[:12]
        staging = Path(settings.staging_dir or default_warehouse(settings).parent)
        self.local_path = staging / f"postgres-{digest}.duckdb"
        self.pointer = ThrottledPointer(self._read_pointer, settings.version_check_s)
        self._control = sa.create_engine(self.url, pool_size=1, max_overflow=4, pool_pre_ping=True)
        weakref.finalize(self, self._control.dispose)

    @property
    def name(self) -> str:
        return (
            f"postgresql {self.url.host or 'localhost'}:{self.url.port or 5432}/{self.url.database}"
        )

    def version(self) -> Hashable | None:
        return self.pointer.get()

    def _read_pointer(self) -> str | None:
        try:
            with self._control.connect() as con:
                exists = con.execute(sa.text("SELECT to_regclass(:t)"), {"t": POINTER})
                if exists.scalar_one() is None:
                    return None
                row = con.execute(
                    sa.text(f"SELECT schema_name FROM {POINTER} WHERE id = 1")
                ).first()
                return None if row is None else str(row[0])
        except sa.exc.OperationalError as exc:
            raise WarehouseUnavailable(f"cannot reach {self.name}: {_first(exc)}") from exc

    def open(
        self, version: Hashable, pool_size: int = 8, timeout_s: float = DEFAULT_TIMEOUT_S
    ) -> Reader:
        schema = str(version)
        try:
            lease = psycopg.connect(self.conninfo, autocommit=True)
        except psycopg.Error as exc:
            raise WarehouseUnavailable(f"cannot reach {self.name}: {_first(exc)}") from exc
        try:
            lease.execute("SELECT pg_advisory_lock_shared(hashtext(%s))", (schema,))
            found = lease.execute(
                "SELECT 1 FROM pg_namespace WHERE nspname = %s", (schema,)
            ).fetchone()
            if found is None:
                self.pointer.forget()
                raise VersionGone(f"version {schema} of {self.name} was replaced; retry")
        except BaseException:
            lease.close()
            raise
        options = (
            f"-c search_path={schema} -c statement_timeout={int(timeout_s * 1000)} "
            "-c default_transaction_read_only=on"
        )
        engine = sa.create_engine(
            self.url,
            pool_size=pool_size,
            max_overflow=4,
            pool_pre_ping=True,
            connect_args={"options": options},
        )

        @sa.event.listens_for(engine, "connect")
        def _floats(dbapi_connection: Any, _record: Any) -> None:
            # numeric -> float at the driver, as DuckDB's fetchnumpy gives DECIMAL sums
            dbapi_connection.adapters.register_loader("numeric", FloatLoader)

        def close() -> None:
            try:
                lease.execute("SELECT pg_advisory_unlock_shared(hashtext(%s))", (schema,))
                drop_unused(lease)
            except psycopg.Error:
                pass  # a reader may lack the right to drop; the next publish will
            finally:
                lease.close()

        return PostgresReader(engine, schema, timeout_s, close=close)

    def publish(self, building: Path, run_id: str) -> None:
        schema = PREFIX + run_id
        scratch = building.with_name(building.name + ".copy.csv")
        duck, columns, vintage = open_build(building)
        try:
            tables: dict[str, list[str]] = {}
            for table, column, kind in columns:
                tables.setdefault(table, []).append(f"{sql_identifier(column)} {_pg_type(kind)}")
            with psycopg.connect(self.conninfo) as pg:  # one transaction, committed at exit
                pg.execute("SELECT pg_advisory_xact_lock(hashtext('lmi_cubes.publish'))")
                pg.execute("CREATE SCHEMA IF NOT EXISTS lmi_cubes")
                pg.execute(
                    f"CREATE TABLE IF NOT EXISTS {POINTER} (id smallint PRIMARY KEY "
                    "CHECK (id = 1), schema_name text NOT NULL, vintage text, "
                    "published_at timestamptz NOT NULL DEFAULT now())"
                )
                pg.execute(f"CREATE SCHEMA {sql_identifier(schema)}")
                for table, defs in tables.items():
                    qualified = f"{sql_identifier(schema)}.{sql_identifier(table)}"
                    pg.execute(f"CREATE TABLE {qualified} ({', '.join(defs)})")
                    duck.execute(
                        f"COPY (SELECT * FROM b.{sql_identifier(table)}) TO ? (FORMAT csv, HEADER false)",
                        [str(scratch)],
                    )
                    with (
                        pg.cursor().copy(f"COPY {qualified} FROM STDIN (FORMAT csv)") as copy,
                        scratch.open("rb") as fh,
                    ):
                        for block in iter(lambda: fh.read(1 << 20), b""):
                            copy.write(block)
                    pg.execute(f"ANALYZE {qualified}")
                pg.execute(
                    f"INSERT INTO {POINTER} (id, schema_name, vintage) VALUES (1, %s, %s) "
                    "ON CONFLICT (id) DO UPDATE SET schema_name = excluded.schema_name, "
                    "vintage = excluded.vintage, published_at = now()",
                    (schema, vintage),
                )
        finally:
            duck.close()
            scratch.unlink(missing_ok=True)
        with psycopg.connect(self.conninfo, autocommit=True) as pg:
            drop_unused(pg)
        self.pointer.forget()

    def versions(self) -> list[str]:
        """Every version schema present (published or still leased by a reader)."""
        with psycopg.connect(self.conninfo, autocommit=True) as pg:
            rows = pg.execute(
                "SELECT nspname FROM pg_namespace WHERE starts_with(nspname, %s) ORDER BY 1",
                (PREFIX,),
            ).fetchall()
        return [str(r[0]) for r in rows]


def drop_unused(pg: psycopg.Connection[Any]) -> list[str]:
    """Drop every version schema that is not published and that no reader holds a lease on."""
    current = None
    if pg.execute("SELECT to_regclass(%s)", (POINTER,)).fetchone() != (None,):
        row = pg.execute(f"SELECT schema_name FROM {POINTER} WHERE id = 1").fetchone()
        current = None if row is None else row[0]
    dropped = []
    names = pg.execute(
        "SELECT nspname FROM pg_namespace WHERE starts_with(nspname, %s)", (PREFIX,)
    ).fetchall()
    for (schema,) in names:
        if schema == current:
            continue
        got = pg.execute("SELECT pg_try_advisory_lock(hashtext(%s))", (schema,)).fetchone()
        if got and got[0]:
            try:
                pg.execute(f"DROP SCHEMA IF EXISTS {sql_identifier(schema)} CASCADE")
                dropped.append(schema)
            finally:
                pg.execute("SELECT pg_advisory_unlock(hashtext(%s))", (schema,))
    return dropped


def _first(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [""])[0][:200]
