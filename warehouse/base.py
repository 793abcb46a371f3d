"""What every backend offers: where loads are built, how a version is published, detected,
opened and dropped.

Loads are always built and validated in embedded DuckDB (`local_path`); a backend that is
not that file publishes the finished file as a new, immutable version and flips one pointer.
Readers pin one version for as long as a request uses it.
"""

from __future__ import annotations

import logging
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any

from lmi_cubes.warehouse.errors import WarehouseUnavailable
from lmi_cubes.warehouse.reader import DEFAULT_TIMEOUT_S, Reader

log = logging.getLogger("lmi_cubes.warehouse")


class ThrottledPointer:
    """A remote warehouse's pointer to its published version, read at most once per
    `LMI_CUBES_VERSION_CHECK_S` seconds: every request asks for it, and it changes once per
    load, while reading it costs a round trip (a whole statement on Spark)."""

    def __init__(self, read: Callable[[], str | None], check_s: float) -> None:
        self.read = read
        self.check_s = check_s
        self._seen: tuple[float, str | None] = (-1e9, None)
        self._lock = threading.Lock()

    def get(self) -> str | None:
        checked, schema = self._seen
        if time.monotonic() - checked < self.check_s:
            return schema
        with self._lock:
            schema = self.read()
            self._seen = (time.monotonic(), schema)
            return schema

    def forget(self) -> None:
        """Read the pointer again on the next `get` (after a publish, or a version gone)."""
        self._seen = (-1e9, None)


class Warehouse(ABC):
    #: what `lmi-cubes serve` passes to its workers (a path or a URL)
    target: str
    #: the DuckDB file a load builds; for DuckDB it is the served file itself
    local_path: Path
    #: whether `publish` copies the build elsewhere (else the local file is what is served)
    remote: bool = False

    @property
    @abstractmethod
    def name(self) -> str:
        """A name safe to show the public: no directories, no passwords."""

    @abstractmethod
    def version(self) -> Hashable | None:
        """The published version now, cheaply; None when nothing has been published."""

    @abstractmethod
    def open(
        self, version: Hashable, pool_size: int = 8, timeout_s: float = DEFAULT_TIMEOUT_S
    ) -> Reader:
        """A reader pinned to `version`; raises WarehouseUnavailable naming the problem."""

    def publish(self, building: Path, run_id: str) -> None:  # noqa: B027 (DuckDB: the rename)
        """Copy a finished DuckDB build into a new version and make it the published one."""

    def unreadable(self, exc: BaseException) -> WarehouseUnavailable:
        """The error for a version that cannot be read. The public sees what happened and
        what to do, never the backend's text (paths, checksums, block offsets, hosts); that
        goes to the server's log."""
        first = (str(exc).strip().splitlines() or [""])[0][:300]
        log.error("warehouse %s unreadable: %s: %s", self.name, type(exc).__name__, first)
        return WarehouseUnavailable(
            f"the warehouse {self.name} is damaged or incomplete and cannot be read; "
            "load the data again"
        )

    def redact(self, text: str) -> str:
        return text

    def damaged(self, exc: BaseException) -> WarehouseUnavailable | None:
        """The 503 for an error that says the opened version itself is damaged (found by a
        query, after it opened cleanly), else None: the server then stops serving that
        version until another is published."""
        return None

    def missing(self) -> str:
        return f"no warehouse has been loaded into {self.name} yet; run `lmi-cubes load DATA`"


def open_build(building: Path) -> tuple[Any, list[tuple[str, str, str]], str | None]:
    """The DuckDB build attached read-only as `b`, for publishing it elsewhere: the open
    connection (the caller closes it), every (table, column, type), and the loaded vintage."""
    import duckdb

    duck = duckdb.connect(":memory:")
    duck.execute("SET TimeZone = 'UTC'")
    duck.execute("ATTACH ? AS b (READ_ONLY)", [str(building)])
    columns = duck.execute(
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_catalog = 'b' ORDER BY table_name, ordinal_position"
    ).fetchall()
    found = duck.execute(
        "SELECT vintage FROM b.load_runs WHERE outcome = 'loaded' ORDER BY seq DESC LIMIT 1"
    ).fetchall()
    return duck, columns, str(found[0][0]) if found else None
