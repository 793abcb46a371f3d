"""Where the warehouse lives and how readers open it.

A DuckDB file allows one writing process or several readers, not both. So a load never
writes the live file: it builds a complete new file beside it and renames it over the
live one (an atomic rename on POSIX). A reader that has the old file open keeps reading
the old data until it reopens; a new open sees the new data. Readers notice a swap by the
file's identity (inode and modification time) changing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa

ENV_VAR = "LMI_CUBES_WAREHOUSE"


def default_warehouse() -> Path:
    """$LMI_CUBES_WAREHOUSE, else $XDG_DATA_HOME/lmi-cubes/warehouse.duckdb."""
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR])
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "lmi-cubes" / "warehouse.duckdb"


class WarehouseTargetError(ValueError):
    """The warehouse target is neither a file path nor a supported SQLAlchemy URL."""


def resolve_target(target: str | os.PathLike[str] | None) -> Path:
    """A DuckDB file path from a path or a `duckdb:///path` SQLAlchemy URL."""
    if target is None:
        return default_warehouse()
    text = os.fspath(target)
    if "://" not in text:
        return Path(text).expanduser().resolve()
    try:
        url = sa.engine.make_url(text)
    except sa.exc.ArgumentError as exc:
        raise WarehouseTargetError(f"not a path or SQLAlchemy URL: {text!r}") from exc
    if url.get_backend_name() != "duckdb":
        raise WarehouseTargetError(
            f"only DuckDB warehouses are supported (duckdb:///path/file.duckdb), "
            f"got a {url.get_backend_name()!r} URL"
        )
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


def open_read_only(path: Path, memory_limit: str = "2GB", pool_size: int = 4) -> sa.Engine:
    """A SQLAlchemy engine whose connections read the warehouse file as it is now.

    DuckDB keeps one database instance per file path per process, so reopening the same
    path after a swap would return the old instance. Each pooled connection is therefore
    a private in-memory database that ATTACHes the file read-only: connections made after
    a swap read the new file, connections already open keep their snapshot.
    """
    if not path.exists():
        raise FileNotFoundError(f"no warehouse at {path}; run `lmi-cubes load` first")
    literal = "'" + str(path).replace("'", "''") + "'"
    engine = sa.create_engine(
        "duckdb:///:memory:",
        poolclass=sa.pool.QueuePool,
        pool_size=pool_size,  # the server passes its thread count (etl/backends)
        max_overflow=2 * pool_size,
        pool_pre_ping=False,
    )

    @sa.event.listens_for(engine, "connect")
    def _attach(dbapi_connection: Any, _record: Any) -> None:
        for statement in (
            f"SET memory_limit = '{memory_limit}'",
            "SET enable_progress_bar = false",
            f"ATTACH {literal} AS wh (READ_ONLY)",
            "USE wh",
        ):
            dbapi_connection.execute(statement).fetchall()

    return engine
