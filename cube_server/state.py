"""The served warehouse version: reopened when a load publishes a new one, with a result cache.

Each request asks the warehouse layer for the published version (a stat for a DuckDB file,
the pointer row, at most once a second, for PostgreSQL). When it changes, a reader pinned to
the new version is opened and the result cache starts afresh. A request pins the version it
started on (`current()` returns the same `Served` for the whole request), so catalog,
vintage, cache key and numbers always agree; a replaced version is closed, releasing its
file or schema, when its last request has finished.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import g, has_request_context

from lmi_cubes.aggregates.engine import Engine
from lmi_cubes.aggregates.lru import ENTRY_BYTES, SizedLRU, deep_size
from lmi_cubes.model import Model
from lmi_cubes.warehouse import Warehouse, WarehouseUnavailable, open_target
from lmi_cubes.warehouse.errors import VersionGone
from lmi_cubes.warehouse.journal import read_load_info
from lmi_cubes.warehouse.reader import DEFAULT_TIMEOUT_S


@dataclass(frozen=True)
class Served:
    """One opened warehouse version and what /health reports about it."""

    engine: Engine
    identity: Hashable  # the version: a file's identity, a schema name
    vintage: str
    loaded_at: str | None
    row_counts: dict[str, int]


def _weight(key: Any, value: Any) -> int:
    """Bytes an entry holds in memory: its key and value, every object they reach.

    Rendered bodies dominate, and their sizes differ by orders of magnitude, so a count of
    entries would not bound a worker's memory; nor would a flat allowance for an entry that
    is not one bytes body (a computed LMI for All answer is kept as its serialized JSON)."""
    return ENTRY_BYTES + deep_size(key) + deep_size(value)


class ResultCache(SizedLRU[Any]):
    """Rendered responses, keyed by vintage and request, bounded in bytes; one entry may
    take at most an eighth of the budget. A response is kept from the second time its
    request comes (`offer`): one-off requests, most of a public API's, do not evict the
    repeated ones, nor fill the workers' memory."""

    ADMIT_AFTER = 2

    def __init__(self, max_bytes: int):
        super().__init__(max_bytes, _weight, max_bytes // 8)

    def get(self, key: Any) -> Any:
        return self.lookup(key)[1]

    def offer(self, key: Any, value: Any) -> None:
        """Keep a rendered response if its request has come before."""
        if self.asked(key) >= self.ADMIT_AFTER:
            self.put(key, value)


class WarehouseState:
    def __init__(
        self,
        warehouse: Warehouse | Path,
        model: Model,
        cache_bytes: int = 16 << 20,
        use_rollups: bool = True,
        pool_size: int = 8,
        timeout_s: float = DEFAULT_TIMEOUT_S,
    ):
        self.warehouse = open_target(warehouse)
        self.model = model
        self.use_rollups = use_rollups
        self.pool_size = pool_size  # at least the server's threads: no request waits
        self.timeout_s = timeout_s
        self.cache = ResultCache(cache_bytes)
        self._served: Served | None = None
        self._users: dict[int, int] = {}  # id(Served) -> requests using it
        self._retired: dict[int, Served] = {}
        self._damaged: dict[Hashable, str] = {}  # versions a query found damaged -> why
        self._lock = threading.Lock()

    def current(self) -> Served:
        """The version this request uses: the same one from its first call to its end."""
        if has_request_context():
            pinned: Served | None = g.get("lmi_served")
            if pinned is not None:
                return pinned
            served = self._current(pin=True)
            g.lmi_served = served
            return served
        return self._current(pin=False)

    def release(self) -> None:
        """Called when a request ends: a replaced version closes with its last request."""
        served: Served | None = g.pop("lmi_served", None)
        if served is None:
            return
        with self._lock:
            key = id(served)
            self._users[key] -= 1
            if self._users[key] > 0:
                return
            del self._users[key]
            retired = self._retired.pop(key, None)
        if retired is not None:
            retired.engine.reader.close()

    def _current(self, pin: bool) -> Served:
        for attempt in (1, 2):
            try:
                return self._switch(pin)
            except VersionGone:  # replaced and dropped while we opened it: read again
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def fault(self, exc: BaseException) -> WarehouseUnavailable | None:
        """An unexpected error of a request that says the version it read is damaged: that
        version is answered with 503s (and /health is unhealthy) until another is published."""
        unavailable = self.warehouse.damaged(exc)
        served: Served | None = g.get("lmi_served") if has_request_context() else None
        if unavailable is not None and served is not None:
            with self._lock:
                self._damaged[served.identity] = str(unavailable)
        return unavailable

    def _switch(self, pin: bool) -> Served:
        """The served version, switched first if the warehouse layer publishes another.

        The version is read once per request, outside the lock. When it is the one served,
        the lock is held only to count the request as a user, and `_served` is checked again
        under it: a switch that replaced it in between sees no user and may already have
        closed it, so the request takes the slow path. Reading the version a second time
        under the lock gained nothing: a load published just after either read is seen by
        the next request, and the request pins the version it got either way, so its
        catalog, vintage, cache key and numbers agree."""
        version = self.warehouse.version()
        if version in self._damaged:
            raise WarehouseUnavailable(self._damaged[version])
        served = self._served
        if served is not None and served.identity == version:
            if not pin:
                return served
            with self._lock:
                if self._served is served:
                    self._users[id(served)] = self._users.get(id(served), 0) + 1
                    return served
        with self._lock:
            version = self.warehouse.version()
            if self._served is None or self._served.identity != version:
                if version is None:
                    raise WarehouseUnavailable(self.warehouse.missing())
                previous, self._served = self._served, self._open(version)
                self.cache.clear()
                if previous is not None:
                    if self._users.get(id(previous)):
                        self._retired[id(previous)] = previous  # closed by its last request
                    else:
                        previous.engine.reader.close()
            served = self._served
            if pin:
                self._users[id(served)] = self._users.get(id(served), 0) + 1
            return served

    def _open(self, version: Hashable) -> Served:
        reader = self.warehouse.open(version, self.pool_size, self.timeout_s)
        try:
            info = read_load_info(reader.engine)
            engine = Engine(
                self.model, reader, vintage=info["vintage"], use_rollups=self.use_rollups
            )
        except WarehouseUnavailable:
            reader.close()
            raise
        except Exception as exc:  # truncated or corrupt past the probe, tables missing
            reader.close()
            raise self.warehouse.unreadable(exc) from exc
        # what the reader actually opened: a swap between the check and the open is seen
        # by the next request, never cached under the previous version's key
        opened = reader.version if reader.version is not None else version
        return Served(engine, opened, info["vintage"], info["loaded_at"], info["row_counts"])


def problem_of(warehouse: Warehouse, model: Model) -> str | None:
    """What a server opening this warehouse now would answer 503 with, or None when it
    opens: `serve` reports it in one line at start-up instead of at the first request."""
    state = WarehouseState(warehouse, model, cache_bytes=0, pool_size=1)
    try:
        state.current().engine.reader.close()
    except WarehouseUnavailable as exc:
        return str(exc)
    return None
