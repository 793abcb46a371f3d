"""The warehouse layer: one object per backend, chosen by the target's URL.

`open_target` turns what the user typed (`--warehouse`, `$LMI_CUBES_WAREHOUSE`) into a
`Warehouse`: a plain path or `duckdb:///path` is a DuckDB file, `postgresql://...` a
PostgreSQL database, `hive://host:port/namespace` a Spark Thrift server. Loaders, the server and the engine reach SQL only through it.
"""

from __future__ import annotations

import os

import sqlalchemy as sa

from lmi_cubes.settings import Settings
from lmi_cubes.warehouse.base import Warehouse
from lmi_cubes.warehouse.errors import QueryTimeout, WarehouseUnavailable
from lmi_cubes.warehouse.files import WarehouseTargetError, resolve_target
from lmi_cubes.warehouse.reader import Reader, table_columns

__all__ = [
    "QueryTimeout",
    "Reader",
    "Warehouse",
    "WarehouseTargetError",
    "WarehouseUnavailable",
    "open_target",
    "table_columns",
]


def open_target(
    target: str | os.PathLike[str] | Warehouse | None, settings: Settings | None = None
) -> Warehouse:
    """The warehouse a target names; `settings` (else the environment's) give the staging
    directory, the DuckDB memory limit and how often a remote pointer is read."""
    if isinstance(target, Warehouse):
        return target
    settings = settings or Settings.from_env()
    text = None if target is None else os.fspath(target)
    if text is not None and "://" in text:
        try:
            url = sa.engine.make_url(text)
        except sa.exc.ArgumentError as exc:
            raise WarehouseTargetError(f"not a path or SQLAlchemy URL: {text!r}") from exc
        backend = url.get_backend_name()
        if backend == "postgresql":
            from lmi_cubes.warehouse.postgres import PostgresWarehouse  # psycopg only when used

            return PostgresWarehouse(url, settings)
        if backend == "hive":
            try:
                from lmi_cubes.warehouse.spark import SparkWarehouse  # pyhive only when used
            except ImportError as exc:
                raise WarehouseTargetError(
                    "a hive:// warehouse (Spark's Thrift server) needs the spark extra: "
                    "pip install 'lmi-cubes[spark]'"
                ) from exc
            return SparkWarehouse(url, settings)
        if backend != "duckdb":
            raise WarehouseTargetError(
                "supported warehouses: a DuckDB file (a path or duckdb:///path/file.duckdb), "
                "PostgreSQL (postgresql://user@host:port/database) or Spark's Thrift server "
                f"(hive://host:port/namespace); got a {backend!r} URL"
            )
    from lmi_cubes.warehouse.duckdb_file import DuckDBWarehouse

    return DuckDBWarehouse(resolve_target(text, settings), settings)
