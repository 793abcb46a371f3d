"""The served warehouse: reopened when a load swaps a new file in, with a result cache.

A load renames a new file over the warehouse path. Each request stats the path (cheap);
when the file's identity changes, a new read-only engine is opened on the new file and the
result cache starts afresh. Requests already running finish on the old engine, whose file
stays readable through its open descriptor, so no request fails during a reload.
"""

from __future__ import annotations

import json
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from aggregates.engine import Engine
from aggregates.model import Model
from etl.warehouse import FileIdentity, open_read_only


@dataclass(frozen=True)
class Served:
    """One opened warehouse file and what /health reports about it."""

    engine: Engine
    identity: FileIdentity
    vintage: str
    loaded_at: str | None
    row_counts: dict[str, int]
    opened_at: float


def _weight(key: Any, value: Any) -> int:
    """Bytes an entry holds: its byte and text parts plus a fixed allowance for the rest.
    Rendered bodies dominate; counting entries instead let 240 large cross-tabs take a
    worker from 284 MB to 956 MB."""
    parts = [*(value if isinstance(value, tuple) else (value,)), *key[1:]]
    return 512 + sum(len(p) for p in parts if isinstance(p, (bytes, str)))


class ResultCache:
    """A thread-safe LRU of rendered responses, keyed by vintage and request, bounded in
    bytes. One entry may take at most an eighth of the budget, so a single huge table
    cannot flush everything else."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.bytes = 0
        self._items: OrderedDict[Any, tuple[Any, int]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Any) -> Any:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key][0]
        return None

    def put(self, key: Any, value: Any) -> None:
        weight = _weight(key if isinstance(key, tuple) else (key,), value)
        if weight > self.max_bytes // 8:
            return
        with self._lock:
            if key in self._items:
                self.bytes -= self._items.pop(key)[1]
            self._items[key] = (value, weight)
            self.bytes += weight
            while self.bytes > self.max_bytes:
                self.bytes -= self._items.popitem(last=False)[1][1]

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.bytes = 0

    def __len__(self) -> int:
        return len(self._items)


class WarehouseState:
    def __init__(
        self, path: Path, model: Model, cache_bytes: int = 64 << 20, use_rollups: bool = True
    ):
        self.path = path
        self.model = model
        self.use_rollups = use_rollups
        self.cache = ResultCache(cache_bytes)
        self._served: Served | None = None
        self._lock = threading.Lock()

    def current(self) -> Served:
        identity = FileIdentity.of(self.path)
        served = self._served
        if served is not None and served.identity == identity:
            return served
        with self._lock:
            identity = FileIdentity.of(self.path)
            if self._served is None or self._served.identity != identity:
                if identity is None:
                    raise FileNotFoundError(f"no warehouse at {self.path}")
                previous, self._served = self._served, self._open(identity)
                self.cache.clear()
                if previous is not None:
                    # idle connections close now; ones still serving a request close when
                    # they are returned, which releases the replaced file
                    previous.engine.warehouse.dispose()
            return self._served

    def _open(self, identity: FileIdentity) -> Served:
        warehouse = open_read_only(self.path)
        info = _load_info(warehouse)
        engine = Engine(
            self.model, warehouse, vintage=info["vintage"], use_rollups=self.use_rollups
        )
        return Served(
            engine, identity, info["vintage"], info["loaded_at"], info["row_counts"], time.time()
        )


def _load_info(warehouse: sa.Engine) -> dict[str, Any]:
    runs = sa.table(
        "load_runs",
        sa.column("seq"),
        sa.column("vintage"),
        sa.column("finished_at"),
        sa.column("outcome"),
        sa.column("row_counts"),
    )
    query = (
        sa.select(runs.c.vintage, sa.cast(runs.c.finished_at, sa.String), runs.c.row_counts)
        .where(runs.c.outcome == "loaded")
        .order_by(runs.c.seq.desc())
        .limit(1)
    )
    with warehouse.connect() as con:
        row = con.execute(query).fetchall()
    if not row:
        return {"vintage": "unknown", "loaded_at": None, "row_counts": {}}
    vintage, finished, counts = row[0]
    counts = json.loads(counts) if isinstance(counts, str) else dict(counts or {})
    return {
        "vintage": str(vintage),
        "loaded_at": str(finished),
        "row_counts": {k: int(v) for k, v in counts.items() if k.startswith("fact_")},
    }
