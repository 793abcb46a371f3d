"""Small rollup tables held in process memory, summed with numpy instead of DuckDB.

A rollup-sized answer spends most of its time in DuckDB's per-statement cost (0.7-2.6 ms
for a GROUP BY over 2,600-18,000 rows through the Python API), not in summing. So rollups
up to `RESIDENT_ROWS` rows are read once per warehouse vintage and process, and a query on
one is answered with one `bincount` pass over positions in the result grid.

The numbers must be identical to DuckDB's, which sums DECIMAL measures exactly and converts
each sum to a double once. Here every measure is held as an exact integer count of
millionths split into a high and a low part (value = high * 2**26 + low, 0 <= low < 2**26),
whose sums stay below 2**53 and so are exact in float64; the integer total is rebuilt from
them and converted to a double once, as DuckDB does. A table whose values could break those
bounds is not made resident, and any query shape this module does not handle (no axes, a
mapping that is not unique, too many groups) returns None so that DuckDB answers it.
`tests/test_rollups.py` compares both on random queries.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import numpy as np

from aggregates.catalog import Catalog
from aggregates.model import Dimension, Level
from aggregates.query import Query
from aggregates.sql import EMPLOYMENT_YEAR, REPLACEMENT_KEY, YEAR_KEY, Source, source_keys

RESIDENT_ROWS = 250_000
MAX_GROUPS = 1_000_000  # dense grid of groups; larger shapes go to DuckDB
SCALE = 1_000_000  # the measures are DECIMAL(.., 6)
SPLIT = 2**26


@dataclass(frozen=True)
class Table:
    """One rollup's columns: integer keys, measures as (high, low) float64 parts."""

    rows: int
    keys: dict[str, np.ndarray]
    measures: dict[str, tuple[np.ndarray, np.ndarray]]


def read(cursor: Any, source: Source, measures: list[str]) -> Table | None:
    """Read a rollup with its measures as exact integers of millionths, or None when it is
    too large or its values could not be summed exactly this way."""
    if source.rows > RESIDENT_ROWS:
        return None
    keys = sorted(set(source.columns.values()))
    select = [f'"{k}"' for k in keys] + [
        f'CAST("{m}" * {SCALE} AS BIGINT) AS "{m}"' for m in measures
    ]
    try:
        data = cursor.execute(f'SELECT {", ".join(select)} FROM "{source.table}"').fetchnumpy()
    except Exception:  # an overflowing cast: DuckDB sums this table
        return None
    columns: dict[str, np.ndarray] = {}
    for k in keys:
        if isinstance(data[k], np.ma.MaskedArray):
            return None  # NULL keys: leave the join semantics to DuckDB
        columns[k] = np.asarray(data[k])  # SMALLINT keys stay int16: a quarter of the memory
        if columns[k].dtype.kind not in "iu":
            return None
        if columns[k].size and columns[k].min() < 0:
            return None
    parts: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for m in measures:
        if isinstance(data[m], np.ma.MaskedArray):
            return None
        values = np.asarray(data[m], dtype=np.int64)
        high = values // SPLIT
        low = values - high * SPLIT
        # every partial sum of either part must be an exact float64 integer
        if np.abs(high).sum(dtype=np.float64) >= 2**52 or low.size * SPLIT >= 2**52:
            return None
        parts[m] = (high.astype(np.float64), low.astype(np.float64))
    return Table(len(next(iter(columns.values()))) if columns else 0, columns, parts)


class Resident:
    """The resident rollups of one engine (one warehouse vintage), read on first use."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self._tables: dict[str, Table | None] = {}
        self._positions: dict[tuple[Any, ...], np.ndarray | None] = {}
        self._lock = threading.Lock()

    def table(self, cursor: Any, source: Source, measures: list[str]) -> Table | None:
        if source.table not in self._tables:
            with self._lock:
                if source.table not in self._tables:
                    self._tables[source.table] = read(cursor, source, measures)
        return self._tables[source.table]

    def _position_lut(
        self, table: Table, source: Source, dim: Dimension, target: Level, domain: tuple[int, ...]
    ) -> np.ndarray | None:
        """Source key -> position of its member at `target` in `domain` (-1: not there)."""
        key = (source.table, dim.name, target.name, domain)
        if key in self._positions:
            return self._positions[key]
        column = table.keys[source.columns[dim.name]]
        have = dim.level(source.levels[dim.name], "rows")
        size = int(column.max()) + 1 if column.size else 1
        lut: np.ndarray | None = np.full(size, -1, dtype=np.int64)
        assert lut is not None
        where = {k: p for p, k in enumerate(domain)}
        if have.key == target.key:
            for k in range(size):
                lut[k] = where.get(k, -1)
        else:
            parent = self.catalog.ancestor_map(dim, have, target)
            if parent is None:
                lut = None
            else:
                for k, v in parent.items():
                    if 0 <= k < size:
                        lut[k] = where.get(v, -1)
        if len(self._positions) > 4096:
            self._positions.clear()
        self._positions[key] = lut
        return lut

    def fetch(self, cursor: Any, query: Query, source: Source) -> dict[str, Any] | None:
        """The same columns and groups as the compiled GROUP BY gives, or None."""
        if not query.axes:
            return None
        cube = query.cube
        period = query.year_from is not None and query.year_to is not None
        weight = cube.aggregate(cube.reliability.weight, "measure").measure
        assert weight is not None
        sums = (
            [(EMPLOYMENT_YEAR, weight)]
            if period
            else [(a.name, a.measure) for a in cube.sums() if a.measure]
        )
        table = self.table(cursor, source, sorted({m for a in cube.sums() if (m := a.measure)}))
        if table is None:
            return None
        groups: list[tuple[str, Dimension | None, Level | None, tuple[int, ...]]] = [
            (f"k{i}", a.dimension, a.level, tuple(a.keys)) for i, a in enumerate(query.axes)
        ]
        keep = np.ones(table.rows, dtype=bool)
        for cut in query.cuts:
            dim = cube.dimension(cut.dimension, "cut")
            have = dim.level(source.levels[dim.name], "cut")
            allowed = source_keys(self.catalog, dim, have, cut)
            column = table.keys[source.columns[dim.name]]
            wanted = np.zeros(max(int(column.max()) if column.size else 0, *allowed, 0) + 1, bool)
            wanted[allowed] = True
            inside = wanted[column]  # a lookup, not np.isin's sort
            keep &= ~inside if cut.invert else inside
        if period:
            assert query.year_from is not None and query.year_to is not None
            rates, time = cube.replacement_key(), cube.time_dimension()
            if rates is None or rates.level is None or time is None:
                return None
            by = cube.dimension(rates.dimension, "measures")
            level = by.level(rates.level, "measures")
            domain = tuple(sorted({m.key for m in self.catalog.members(by, level)}))
            groups.append((REPLACEMENT_KEY, by, level, domain))
            years = table.keys[source.columns[time.name]]
            keep &= (years >= query.year_from) & (years <= query.year_to)
            groups.append((YEAR_KEY, None, None, tuple(range(query.year_from, query.year_to + 1))))
        sizes = [len(domain) for *_, domain in groups]
        if not all(sizes) or int(np.prod(sizes, dtype=np.float64)) > MAX_GROUPS:
            return None
        code = np.zeros(table.rows, dtype=np.int64)
        for _, group_dim, group_level, domain in groups:
            if group_dim is None or group_level is None:  # the year, within the period
                time = cube.time_dimension()
                assert time is not None
                position = table.keys[source.columns[time.name]].astype(np.int64) - domain[0]
                position = np.where(keep, position, 0)
            else:
                lut = self._position_lut(table, source, group_dim, group_level, domain)
                if lut is None:
                    return None
                position = lut[table.keys[source.columns[group_dim.name]]]
                keep &= position >= 0
            code = code * len(domain) + position
        code = code[keep]
        bins = int(np.prod(sizes))
        present = np.flatnonzero(np.bincount(code, minlength=bins))
        out: dict[str, Any] = {}
        for axis_index, index in enumerate(np.unravel_index(present, sizes)):
            out[groups[axis_index][0]] = np.asarray(groups[axis_index][3], dtype=np.int64)[index]
        for name, measure in sums:
            high, low = table.measures[measure]
            total = np.bincount(code, weights=high[keep], minlength=bins)[present].astype(np.int64)
            total = total * SPLIT + np.bincount(code, weights=low[keep], minlength=bins)[
                present
            ].astype(np.int64)
            out[name] = total.astype(np.float64) / SCALE
        return out
