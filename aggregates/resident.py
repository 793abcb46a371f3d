"""Rollup answers summed in process memory with numpy, from exact pre-aggregates.

A rollup-sized answer spends most of its time in DuckDB's per-statement cost (a GROUP BY
over a few thousand rows through the Python API, more on the Working Futures rollups, which
keep every year; figures in docs/benchmarks.md), not in summing. A query only needs the rollup summed down
to the columns it uses (its axes, its cuts, and for a period the years and the replacement
key) over the years it reads. That projection is asked of DuckDB once, as exact integer
sums, kept in a cache bounded in bytes (OLAP servers call this a segment cache), and every
query that needs those columns and years, whatever its levels, cuts, measures or fallback,
is then answered with one `bincount` pass over the projection's rows. Only the query that
builds it pays the GROUP BY; the response cache is a separate, later layer.

Building a projection scans the whole rollup for the years, whatever the query's cuts, while
the SQL on the same rollup pushes the cuts into its one scan. Under many different requests
at once (a public API: nearly every request a new set of cut columns) building a projection
for every new set of columns, each evicting others, was most of the loaded server's time. So
a projection is built only when it is worth keeping (`worth_building`): its columns were
asked for before (a set asked for once is answered by the SQL), and it has at most
`PROJECTION_GROUPS` groups, as bounded before it is built (`estimated_groups`): then it is
small, quick to sum and many fit in the cache. Everything else is answered by the SQL with
the cuts in the scan.

The numbers must be identical to DuckDB's, which sums DECIMAL measures exactly and converts
each sum to a double once. A projection holds every measure as an exact integer count of
millionths (DuckDB sums the DECIMAL values scaled to BIGINT, exactly) split into a high and a
low part (value = high * 2**26 + low, 0 <= low < 2**26), whose sums stay below 2**53 and so
are exact in float64; the integer total is rebuilt from them and converted to a double once,
as DuckDB does. A projection whose values could break those bounds, or that has NULLs, more
than `PROJECTION_ROWS` rows or too many groups, is not used: DuckDB answers those queries,
as it does a query with no axes. `tests/test_rollups.py` compares both on random queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb
import numpy as np

from lmi_cubes.aggregates.catalog import Catalog
from lmi_cubes.aggregates.lru import Memo, SizedLRU
from lmi_cubes.aggregates.query import Query
from lmi_cubes.aggregates.sql import EMPLOYMENT_YEAR, REPLACEMENT_KEY, YEAR_KEY, Source, source_keys
from lmi_cubes.model import Dimension, Level
from lmi_cubes.warehouse import Reader
from lmi_cubes.warehouse.quoting import sql_identifier

PROJECTION_ROWS = 250_000
PROJECTION_GROUPS = 20_000  # the most groups a projection may have, as estimated
ADMIT_AFTER = 2  # the request for a set of columns that builds its projection
MAX_GROUPS = 1_000_000  # dense grid of groups; larger shapes go to DuckDB
SCALE = 1_000_000  # the measures are DECIMAL(.., 6)
SPLIT = 2**26
CACHE_BYTES = 16 << 20  # projections kept per process


@dataclass(frozen=True)
class Table:
    """A projection's columns: integer keys, measures as (high, low) float64 parts."""

    rows: int
    keys: dict[str, np.ndarray]
    measures: dict[str, tuple[np.ndarray, np.ndarray]]


class Grid(dict[str, np.ndarray]):
    """Sums per measure over the axes' members, dense (shape: one position per member of
    each axis, in the axes' key order, margins not yet added), as opposed to the sparse
    rows of a GROUP BY result."""


def read(
    reader: Reader,
    cursor: Any,
    source: Source,
    measures: list[str],
    columns: tuple[str, ...],
    years: tuple[str, tuple[int, ...]] | None,
) -> Table | None:
    """The rollup summed by `columns` (with `years`, (year column, years), over those years
    only), measures as exact integers of millionths; None when it has more than
    `PROJECTION_ROWS` rows or its values could not be summed exactly this way. The statement
    runs through the reader, on the request's cursor, within the statement time limit: over
    it, the request is a 504 like any other statement's."""
    keys = [sql_identifier(k) for k in columns]
    # DuckDB sums the DECIMALs exactly, then each sum is scaled to an integer: the same
    # integers as summing the scaled values, without a HUGEINT cast on every row (which was
    # three quarters of the statement's time)
    sums = [f"CAST(SUM({q}) * {SCALE} AS BIGINT) AS {q}" for q in map(sql_identifier, measures)]
    where = ""
    if years is not None:
        # the years are integers (the query's validated period or the catalog's members),
        # never user text, so they are inlined like the engine's cut keys
        column, wanted = years
        where = f" WHERE {sql_identifier(column)} IN ({', '.join(str(int(y)) for y in wanted)})"
    group = f" GROUP BY {', '.join(keys)}" if keys else ""
    sql = f"SELECT {', '.join([*keys, *sums])} FROM {sql_identifier(source.table)}{where}{group}"
    try:
        data = reader.columns(f"{sql} LIMIT {PROJECTION_ROWS + 1}", cursor)
    except duckdb.DataError:  # a sum or its cast to BIGINT overflows: DuckDB sums this table
        return None
    out: dict[str, np.ndarray] = {}
    for k in columns:
        if isinstance(data[k], np.ma.MaskedArray):
            return None  # NULL keys: leave the join semantics to DuckDB
        if np.asarray(data[k]).dtype.kind not in "iu":
            return None
        # as intp: indexing a lookup table with int16 keys converted them on every query
        out[k] = np.asarray(data[k], dtype=np.intp)
        if out[k].size and out[k].min() < 0:
            return None
    rows = len(next(iter(data.values()))) if data else 0
    if rows > PROJECTION_ROWS:
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
    return Table(rows, out, parts)


def estimated_groups(sizes: list[int], rows: int) -> int:
    """At most how many groups a projection has: the product of its columns' numbers of
    distinct keys, and never more than the rows it sums."""
    product = 1
    for size in sizes:
        product *= max(size, 1)
        if product >= rows:
            return rows
    return product


def worth_building(groups: int, asked_before: bool, max_groups: int = PROJECTION_GROUPS) -> bool:
    """Whether a missing projection is built, or the query answered by the SQL on the rollup
    (cuts pushed into its scan). A projection costs one scan and GROUP BY of the whole
    rollup, so it pays only when kept and used again: its columns were asked for before, and
    it is small enough (`max_groups`) that many stay in the cache."""
    return asked_before and groups <= max_groups


def _nbytes(key: Any, table: Table | None) -> int:
    if table is None:
        return 64
    arrays = [*table.keys.values(), *(p for parts in table.measures.values() for p in parts)]
    return 64 + sum(a.nbytes for a in arrays)


class Resident:
    """The projections of one engine (one warehouse vintage), made on first use."""

    def __init__(
        self,
        catalog: Catalog,
        cache_bytes: int = CACHE_BYTES,
        admit_after: int = ADMIT_AFTER,
        max_groups: int = PROJECTION_GROUPS,
    ):
        self.catalog = catalog
        self.projections: SizedLRU[Table | None] = SizedLRU(cache_bytes, _nbytes)
        self.admit_after, self.max_groups = admit_after, max_groups
        self._positions: Memo[tuple[Any, ...], np.ndarray | None] = Memo()
        self._groups: Memo[tuple[Any, ...], int] = Memo()  # by projection key

    def clear(self) -> None:
        """Forget every projection and every set of columns asked for."""
        self.projections.clear()

    def projection(
        self,
        reader: Reader,
        cursor: Any,
        query: Query,
        source: Source,
        measures: list[str],
        dims: set[str],
    ) -> Table | None:
        """The rollup summed down to the columns of `dims` over the years the query reads
        (cached); None when it is not worth building (yet) or cannot be summed here."""
        time = query.cube.time_dimension()
        years = None
        if time is not None and time.name in source.columns:
            wanted = self._years(query, time)
            if wanted is not None:
                years = (source.columns[time.name], wanted)
        kept = tuple(sorted({source.columns[d] for d in dims}))
        key = (source.table, years, kept)
        found, table = self.projections.lookup(key)
        if found:
            return table
        asked = self.projections.asked(key)
        groups = self._groups.get(key)
        if groups is None:  # the same sets of columns come again, mostly not yet worth building
            sizes = [self._distinct(query, source, d, years) for d in dims]
            groups = self._groups.remember(key, estimated_groups(sizes, source.rows))
        if not worth_building(groups, asked >= self.admit_after, self.max_groups):
            return None
        table = read(reader, cursor, source, measures, kept, years)
        self.projections.put(key, table)
        return table

    def _distinct(
        self, query: Query, source: Source, dim_name: str, years: tuple[str, tuple[int, ...]] | None
    ) -> int:
        """How many distinct keys the dimension's column of `source` can hold."""
        time = query.cube.time_dimension()
        if time is not None and dim_name == time.name and years is not None:
            return len(years[1])
        dim = query.cube.dimension(dim_name, "rows")
        return len(self.catalog.members(dim, dim.level(source.levels[dim_name], "rows")))

    @staticmethod
    def _years(query: Query, time: Dimension) -> tuple[int, ...] | None:
        """The years the query's cuts and period leave, None when all."""
        years: set[int] | None = None
        if query.year_from is not None and query.year_to is not None:
            years = set(range(query.year_from, query.year_to + 1))
        for cut in query.cuts:
            if cut.dimension == time.name and not cut.invert:
                years = set(cut.fact_keys) if years is None else years & cut.fact_keys
        return tuple(sorted(years)) if years is not None else None

    def _position_lut(
        self, table: Table, source: Source, dim: Dimension, target: Level, domain: tuple[int, ...]
    ) -> np.ndarray | None:
        """Source key -> position of its member at `target` in `domain` (-1: not there)."""
        key = (source.table, dim.name, target.name, domain)
        column = table.keys[source.columns[dim.name]]
        size = int(column.max()) + 1 if column.size else 1
        known = self._positions.get(key)
        if key in self._positions and (known is None or len(known) >= size):
            return known  # made for this table, or a slice of it with keys as large
        have = dim.level(source.levels[dim.name], "rows")
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
        return self._positions.remember(key, lut)

    def fetch(
        self, reader: Reader, cursor: Any, query: Query, source: Source
    ) -> Grid | dict[str, Any] | None:
        """The query's sums as the compiled GROUP BY would give them, or None; `cursor` is
        the request's cursor of the reader's shared DuckDB instance. Without a period they
        come as a `Grid`, dense over the axes' members: the bins are already the grid's
        cells, so nothing is made sparse to be scattered back. Over a period they come as
        the GROUP BY's rows (with the year and replacement key), for `period.regroup`."""
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
        measures = sorted({m for a in cube.sums() if (m := a.measure)})
        used = {a.dimension.name for a in query.axes} | {c.dimension for c in query.cuts}
        if period:
            rates, time = cube.replacement_key(), cube.time_dimension()
            if rates is None or time is None:
                return None
            used |= {rates.dimension, time.name}
        table = self.projection(reader, cursor, query, source, measures, used)
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
        bins = int(np.prod(sizes))
        everything = bool(keep.all())  # no copies of the columns when every row counts
        code = code if everything else code[keep]

        def summed(measure: str) -> np.ndarray:
            """Every bin's exact sum, as the double DuckDB would give (0 for an empty bin)."""
            high, low = table.measures[measure]
            if not everything:
                high, low = high[keep], low[keep]
            total = np.bincount(code, weights=high, minlength=bins).astype(np.int64) * SPLIT
            total += np.bincount(code, weights=low, minlength=bins).astype(np.int64)
            return total.astype(np.float64) / SCALE

        if not period:  # the axes' grid itself, each member at its key's position
            return Grid({name: summed(measure).reshape(sizes) for name, measure in sums})
        # a period's rows go on to be regrouped by year and replacement key (period.py),
        # which sums them in the canonical row order a GROUP BY result has
        present = np.flatnonzero(np.bincount(code, minlength=bins))
        out: dict[str, Any] = {}
        for axis_index, index in enumerate(np.unravel_index(present, sizes)):
            out[groups[axis_index][0]] = np.asarray(groups[axis_index][3], dtype=np.int64)[index]
        for name, measure in sums:
            out[name] = summed(measure)[present]
        return out
