"""Bounded caches: a thread-safe least-recently-used cache bounded in bytes, for the per-worker
projections of rollups (aggregates/resident.py) and the rendered responses
(cube_server/state.py); and a memo bounded in entries, for what the engine works out from the
model and catalog once per query shape.

The LRU also counts how often each missing key was asked for (the last `ASKED_KEYS` of them,
by their hash: warehouse/recent.py), so a caller can keep only what is asked for again: under
many different requests, mostly new, entries made for one request and never used again would
evict those that are."""

from __future__ import annotations

import dataclasses
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

from lmi_cubes.warehouse.recent import RecentCounts

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

ASKED_KEYS = 4096  # missing keys whose requests are counted
ENTRY_BYTES = 256  # the LRU's own bookkeeping per entry: its slot and the (value, size) pair
MEMO_ENTRIES = 4096  # a memo's entries before it is emptied


class SizedLRU(Generic[V]):
    """Entries weigh what `size_of(key, value)` says; the least recently used go first once
    the total passes `max_bytes`. An entry heavier than `max_item_bytes` is not kept, so a
    single huge one cannot flush everything else."""

    def __init__(
        self,
        max_bytes: int,
        size_of: Callable[[Any, V], int],
        max_item_bytes: int | None = None,
    ) -> None:
        self.max_bytes = max_bytes
        self.max_item_bytes = max_bytes if max_item_bytes is None else max_item_bytes
        self.size_of = size_of
        self.bytes = 0
        self._items: OrderedDict[Any, tuple[V, int]] = OrderedDict()
        self._asked = RecentCounts(ASKED_KEYS)
        self._lock = threading.Lock()

    def lookup(self, key: Any) -> tuple[bool, V | None]:
        """(True, value) for a kept entry (which becomes the most recent), else (False, None):
        a kept value may itself be None."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return True, self._items[key][0]
        return False, None

    def asked(self, key: Any) -> int:
        """Count one more request for `key` (not kept): how many there have been, this one
        included, while it was among the last `ASKED_KEYS` keys asked for."""
        return self._asked.add(key)

    def put(self, key: Any, value: V) -> None:
        if self.max_item_bytes <= 0:  # a cache turned off keeps nothing: nothing to weigh
            return
        size = self.size_of(key, value)
        if size > self.max_item_bytes:
            return
        with self._lock:
            if key in self._items:
                self.bytes -= self._items.pop(key)[1]
            self._asked.forget(key)
            self._items[key] = (value, size)
            self.bytes += size
            while self.bytes > self.max_bytes:
                self.bytes -= self._items.popitem(last=False)[1][1]

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._asked.clear()
            self.bytes = 0

    def __len__(self) -> int:
        return len(self._items)


class Memo(dict[K, V]):
    """Values worked out once per query shape or set of columns (SQL text, labels, the table
    chosen, position tables, size estimates). Shapes are few in practice, so when the memo
    is full it is emptied rather than tracking use: a lookup stays a plain dict lookup on the
    hot path, and a stream of distinct requests cannot grow it past `limit` entries."""

    def __init__(self, limit: int = MEMO_ENTRIES) -> None:
        super().__init__()
        self.limit = limit

    def remember(self, key: K, value: V) -> V:
        if len(self) >= self.limit:
            self.clear()
        self[key] = value
        return value


def deep_size(part: Any) -> int:
    """Bytes an object holds in memory with every object it reaches (containers,
    dataclasses, plain objects), each as `sys.getsizeof` counts it."""
    size = sys.getsizeof(part)
    if isinstance(part, (bytes, str, int, float, bool)) or part is None:
        return size
    if isinstance(part, (tuple, list, frozenset, set)):
        return size + sum(deep_size(p) for p in part)
    if isinstance(part, dict):
        return size + sum(deep_size(k) + deep_size(v) for k, v in part.items())
    if dataclasses.is_dataclass(part):
        fields = dataclasses.fields(part)
        return size + sum(deep_size(getattr(part, f.name)) for f in fields)
    if hasattr(part, "__dict__"):
        return size + deep_size(vars(part))
    return size
