"""DuckDB: the served warehouse is one file, published by an atomic rename over it.

A reader pins the file it opened by holding a descriptor to it and attaching
`/proc/self/fd/N`: every connection the pool makes later, even after a load renamed a new
file over the path (and unlinked the old one), attaches the same inode. So a request that
started on one version reads that version to its end, and the old inode's space is freed
when the last request using it has finished and the reader is closed.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Hashable
from pathlib import Path

import sqlalchemy as sa

from lmi_cubes.settings import Settings
from lmi_cubes.warehouse.base import Warehouse
from lmi_cubes.warehouse.errors import WarehouseUnavailable
from lmi_cubes.warehouse.files import FileIdentity, close_shared, open_read_only
from lmi_cubes.warehouse.reader import DEFAULT_TIMEOUT_S, Reader

MAGIC = b"DUCK"  # at offset 8 of every DuckDB database file
# What DuckDB says when the bytes of the file are wrong (a block fails its checksum, the file
# ends early) or when such an error has invalidated the database instance
_DAMAGE = re.compile(
    r"Corrupt database file|does not match stored checksum|Could not read enough bytes"
    r"|database has been invalidated",
)
# not InternalException: a request that trips a DuckDB bug must not take the version down
_DAMAGE_TYPES = frozenset({"IOException", "FatalException"})


class DuckDBWarehouse(Warehouse):
    def __init__(self, path: Path, settings: Settings):
        self.path = self.local_path = path
        self.memory_limit = settings.duckdb_memory
        self.target = str(path)

    @property
    def name(self) -> str:
        return self.path.name

    def version(self) -> Hashable | None:
        return FileIdentity.of(self.path)

    def open(
        self, version: Hashable, pool_size: int = 8, timeout_s: float = DEFAULT_TIMEOUT_S
    ) -> Reader:
        try:
            fd = os.open(self.path, os.O_RDONLY)
        except FileNotFoundError:
            raise WarehouseUnavailable(self.missing()) from None
        try:
            _check_header(fd, self.name)
            pinned = Path(f"/proc/self/fd/{fd}") if sys.platform == "linux" else self.path
            st = os.fstat(fd)
            identity = FileIdentity(st.st_ino, st.st_mtime_ns, st.st_size)
            try:  # attaching reads the catalog: a truncated or corrupt file fails here
                engine = open_read_only(pinned, self.memory_limit, pool_size=pool_size)
            except Exception as exc:
                raise self.unreadable(exc) from exc
            try:  # a cheap probe: a truncated file fails here, not in a user's request
                with engine.connect() as con:
                    con.execute(sa.text("SELECT count(*) FROM load_runs")).fetchall()
            except Exception as exc:
                engine.dispose()
                raise self.unreadable(exc) from exc
        except BaseException:
            os.close(fd)
            raise

        def close() -> None:  # the shared instance, then the descriptor that pins the file
            close_shared(engine)
            os.close(fd)

        return Reader(engine, identity, timeout_s, close=close)

    def damaged(self, exc: BaseException) -> WarehouseUnavailable | None:
        seen: BaseException | None = exc
        while seen is not None:
            orig = getattr(seen, "orig", None)
            for e in (seen, orig) if isinstance(orig, BaseException) else (seen,):
                if type(e).__name__ in _DAMAGE_TYPES or _DAMAGE.search(str(e)):
                    return self.unreadable(e)
            seen = seen.__cause__ or seen.__context__
        return None

    def redact(self, text: str) -> str:
        """DuckDB's messages name the file; the public sees only its name."""
        text = re.sub(r"/proc/self/fd/\d+", self.name, text)
        return text.replace(str(self.path), self.name).replace(str(self.path.parent), "")


def _check_header(fd: int, name: str) -> None:
    head = os.pread(fd, 16, 0)
    if len(head) < 12 or head[8:12] != MAGIC:
        raise WarehouseUnavailable(
            f"the warehouse {name} is not a DuckDB database file (empty, truncated or "
            "overwritten); load the data again"
        )
