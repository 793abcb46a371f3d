"""What each cell publishes for one aggregate, computed from the cell's summed measures.

Stored sums are published as they are; ratios are sums divided; the derived estimates use
the formulas of `derived.py` with, for each cell, the lookup rows of what the cell is fixed
to (one rule for every cell, however its facts were spelled) and the cell's exact mean.
Nothing here rounds: rounding comes last, in the engine, and only to what is delivered.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from lmi_cubes.aggregates import derived
from lmi_cubes.aggregates.catalog import Catalog
from lmi_cubes.aggregates.derived import LookupTable
from lmi_cubes.aggregates.lru import ENTRY_BYTES, SizedLRU, deep_size
from lmi_cubes.aggregates.query import Query
from lmi_cubes.aggregates.sql import EMPLOYMENT_YEAR
from lmi_cubes.model import PERIOD_KINDS, Aggregate, Cube, Lookup

REPLACEMENT = "replacement"
ROWS_BYTES = 4 << 20  # lookup rows kept per process, by the bytes of their arrays


def _rows_bytes(key: Any, rows: np.ndarray) -> int:
    return ENTRY_BYTES + deep_size(key) + rows.nbytes  # rows may be a view: its data counted


def year_component(year: int) -> str:
    """The name of the summed employment of one year of a period."""
    return f"{EMPLOYMENT_YEAR}_{year}"


class Measures:
    """Per-cell values of aggregates; holds the members and lookup tables of a vintage."""

    def __init__(self, catalog: Catalog, lookups: dict[str, dict[str, LookupTable]]):
        self.catalog = catalog
        self.lookups = lookups
        self._rows_found: SizedLRU[np.ndarray] = SizedLRU(ROWS_BYTES, _rows_bytes)

    def value(self, query: Query, aggregate: Aggregate, sums: dict[str, np.ndarray]) -> np.ndarray:
        cube = query.cube
        with np.errstate(divide="ignore", invalid="ignore"):
            if aggregate.function == "sum":
                return sums[aggregate.name].astype(float)  # a copy: fills are written into it
            if aggregate.ratio:
                numerator, denominator = aggregate.ratio
                return sums[numerator] / sums[denominator]
            kind = aggregate.derived
            if kind in PERIOD_KINDS:
                assert query.year_from is not None and query.year_to is not None
                start = sums[year_component(query.year_from)]
                end = sums[year_component(query.year_to)]
                expansion = end - start
                return {
                    "change": expansion,
                    "percent_change": 100.0 * expansion / start,
                    "replacement": sums[REPLACEMENT].copy(),
                    "requirement": expansion + sums[REPLACEMENT],
                }[kind]
            base = self._mean_of(cube, sums)  # exact: docs/reference.md section 3
            tables = self.lookups[cube.name]
            shape = base.shape
            if query.age is not None:
                ages = self._rows(query, tables["age_ratios"], shape, query.age)
                base = derived.pay_at_age(base, ages[..., 0])
            if kind == "pay_at_age":
                return base
            found = self._rows(query, tables["pay_distribution"], shape)
            r, k = found[..., 0], found[..., 1]
            if aggregate.parameters and "decile" in aggregate.parameters:
                assert query.decile is not None
                return derived.pay_decile(base, r, k, query.decile)
            return derived.median_pay(base, r)

    @staticmethod
    def _mean_of(cube: Cube, sums: dict[str, np.ndarray]) -> np.ndarray:
        ratio = next(a for a in cube.aggregates if a.ratio)
        numerator, denominator = ratio.ratio  # type: ignore[misc]
        return sums[numerator] / sums[denominator]

    def _rows(
        self, query: Query, table: LookupTable, shape: tuple[int, ...], parameter: int | None = None
    ) -> np.ndarray:
        """Each cell's row of a lookup table (NaN where it has none), as `find` gives it.

        Which row a cell takes depends only on the members its facts are confined to, so on
        the axes' levels and members and the cuts, not on the sums: found once per such
        shape of request (in Python, per axis member and fact key, a large share of a
        derived figure's time otherwise) and kept, read-only, for this vintage, within
        `ROWS_BYTES`: a table of many cells holds an array as large as itself."""
        key = (
            query.cube.name,
            table.lookup.table,
            parameter,
            tuple((a.dimension.name, a.level.name, a.keys) for a in query.axes),  # and so shape
            tuple((c.dimension, c.invert, c.fact_keys) for c in query.cuts),
        )
        _, found = self._rows_found.lookup(key)
        if found is None:
            parts = self._key_parts(query, table.lookup, shape)
            if parameter is not None:
                parts.append(np.full(shape, parameter))
            found = table.find(parts)
            found.flags.writeable = False
            self._rows_found.put(key, found)
        return found

    def _key_parts(self, query: Query, lookup: Lookup, shape: tuple[int, ...]) -> list[np.ndarray]:
        """Per cell, the lookup's key columns: what the cell is fixed to in each dimension."""
        parts: list[np.ndarray] = []
        for key in lookup.keys:
            number, member = self._fixed(query, key.dimension, key.level, shape)
            parts += [number, member] if key.level_column else [member]
        return parts

    def _fixed(
        self, query: Query, dimension: str, target: str | None, shape: tuple[int, ...]
    ) -> tuple[np.ndarray, np.ndarray]:
        """Per cell: the level number (1-based in the default hierarchy, 0 = not fixed) and
        member key of `dimension` that the cell's facts are confined to.

        One rule for every cell, whatever spelled its facts (an axis, a point, set, range
        or inverted cut, or both): the facts are those the cell covers, and the cell is
        fixed to the finest level at which they all fall in one member (or, with `target`,
        to that level's member if they all fall in one, else 0).
        """
        cube = query.cube
        if not cube.has_dimension(dimension):
            return np.zeros(shape, dtype=int), np.zeros(shape, dtype=int)
        dim = cube.dimension(dimension, "measure")
        levels = list(reversed(dim.hierarchy(None, "measure").levels))
        if target is not None:
            levels = [dim.level(target, "measure")]
        numbers = {lv.name: dim.hierarchy(None, "measure").levels.index(lv) + 1 for lv in levels
                   if lv in dim.hierarchy(None, "measure").levels}  # fmt: skip
        maps = [(lv, self.catalog.level_of_fact_keys(dim, lv)) for lv in levels]

        def confine(facts: frozenset[int]) -> tuple[int, int]:
            for level, to_level in maps:
                members = {to_level[k] for k in facts}
                if len(members) == 1:
                    return numbers.get(level.name, 1), members.pop()
            return 0, 0

        allowed = self.catalog.universe(cube, dim)
        cut = query.cut(dimension)
        if cut is not None:
            allowed = cut.allowed(allowed)
        const_level, const_key = confine(allowed)
        for i, axis in enumerate(query.axes):
            if axis.dimension.name == dimension:
                to_axis = self.catalog.level_of_fact_keys(dim, axis.level)
                under: dict[int, set[int]] = {}  # axis member -> its allowed fact keys
                for k in allowed:
                    under.setdefault(to_axis[k], set()).add(k)
                pairs = [confine(frozenset(under.get(key, ()))) for key in axis.keys]
                view = [1] * len(shape)
                view[i] = shape[i]
                level_arr = np.array([*(p[0] for p in pairs), const_level]).reshape(view)
                key_arr = np.array([*(p[1] for p in pairs), const_key]).reshape(view)
                return np.broadcast_to(level_arr, shape), np.broadcast_to(key_arr, shape)
        return np.full(shape, const_level), np.full(shape, const_key)
