"""How often each of the most recent keys has come, for caches that keep only what is asked
for again (the response cache, the rollup projections, the prepared statements).

The counts are kept by the key's hash, not the key: a key may be a whole parsed request or a
statement's text, a kilobyte or more, and the counts must cost the same whatever the keys.
Two keys of one hash share a count, which only lets one of them in a request early."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable


class RecentCounts:
    """The counts of the last `limit` keys; an older key's count is dropped and starts again
    from one."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._counts: OrderedDict[int, int] = OrderedDict()  # hash of a key -> its count
        self._lock = threading.Lock()

    def add(self, key: Hashable) -> int:
        """Count one more coming of `key`: how many there have been, this one included."""
        digest = hash(key)
        with self._lock:
            count = self._counts.pop(digest, 0) + 1
            self._counts[digest] = count
            if len(self._counts) > self.limit:
                self._counts.popitem(last=False)
            return count

    def forget(self, key: Hashable) -> None:
        with self._lock:
            self._counts.pop(hash(key), None)

    def clear(self) -> None:
        with self._lock:
            self._counts.clear()
