"""Derived estimates (docs/reference.md): medians and deciles, pay at an age, WF demand.

The formulas are plain functions on numbers (tested against the worked examples); the
lookup tables give, for each cell, the ratio row that matches what the cell is fixed to.
Which dimensions and levels key each table is declared in the model (`info.lookups`), so
nothing here knows the data set's dimensions.
"""

from __future__ import annotations

from functools import cached_property

import numpy as np
import sqlalchemy as sa

from lmi_cubes.aggregates.period import Rates
from lmi_cubes.model import Lookup

# z-scores of the standard normal at deciles 10..90 (docs/reference.md, median and deciles)
Z = {10: -1.28, 20: -0.84, 30: -0.52, 40: -0.25, 50: 0.0, 60: 0.25, 70: 0.52, 80: 0.84, 90: 1.28}


def median_pay(mean: np.ndarray, r: np.ndarray) -> np.ndarray:
    return mean / r


def pay_decile(mean: np.ndarray, r: np.ndarray, k: np.ndarray, decile: int) -> np.ndarray:
    """exp(ln(median) + z_p * k * ln(median)) under the log-normal assumption."""
    with np.errstate(divide="ignore", invalid="ignore"):
        log_median = np.log(mean / r)
        return np.exp(log_median + Z[decile] * k * log_median)


def pay_at_age(mean: np.ndarray, ratio: np.ndarray) -> np.ndarray:
    return mean * ratio


class LookupTable:
    """One lookup table in memory (read once per warehouse vintage), found by key parts.

    The key parts are, in the model's order, each key's level number (when it has a
    `level_column`) and member key, then the query's parameter (the age) if any. A row's
    parts are packed into one int64 in mixed radix, each part's radix the span of its
    values in this table, so any code the warehouse can store (SMALLINT) packs without
    colliding, and a part outside the table's span matches no row.
    """

    def __init__(self, lookup: Lookup, keys: np.ndarray, values: np.ndarray):
        self.lookup = lookup
        self.keys = np.asarray(keys, dtype=np.int64)
        self._low = self.keys.min(axis=0) if len(self.keys) else np.zeros(self.keys.shape[1:])
        self._radix = self.keys.max(axis=0) - self._low + 1 if len(self.keys) else self._low + 1
        if np.prod(self._radix.astype(float)) >= 2.0**62:
            raise ValueError(f"lookup table {lookup.table}: its keys are too wide to pack")
        self.codes = self._pack(list(self.keys.T))
        self._order = np.argsort(self.codes, kind="stable")  # to find codes by bisection
        self._sorted = self.codes[self._order]
        self.values = values

    def _pack(self, parts: list[np.ndarray]) -> np.ndarray:
        """One int64 per row of parts; -1 (no row's code) where a part is outside the span."""
        code = np.zeros(np.shape(parts[0]), dtype=np.int64).ravel()
        inside = np.ones(code.shape, dtype=bool)
        for part, low, radix in zip(parts, self._low, self._radix, strict=True):
            offset = np.asarray(part, dtype=np.int64).ravel() - int(low)
            inside &= (offset >= 0) & (offset < radix)
            code = code * int(radix) + np.clip(offset, 0, int(radix) - 1)
        return np.where(inside, code, -1)

    @classmethod
    def read(cls, engine: sa.Engine, lookup: Lookup) -> LookupTable:
        key_columns = [
            c
            for k in lookup.keys
            for c in ([k.level_column] if k.level_column else []) + [k.column]
        ] + ([lookup.parameter] if lookup.parameter else [])
        table = sa.table(lookup.table, *map(sa.column, [*key_columns, *lookup.values]))
        with engine.connect() as con:
            rows = con.execute(sa.select(table)).fetchall()
        data = np.array([tuple(float(v) for v in r) for r in rows], dtype=float)
        data = data.reshape(-1, len(key_columns) + len(lookup.values))
        return cls(
            lookup, data[:, : len(key_columns)].astype(np.int64), data[:, len(key_columns) :]
        )

    def find(self, parts: list[np.ndarray]) -> np.ndarray:
        """Each cell's value row (NaN where the table has no such key): shape + (values,)."""
        shape = np.shape(parts[0])
        where = self._indexer(self._pack(parts))
        found = np.full((len(where), self.values.shape[1]), np.nan)
        hit = where >= 0  # (an empty table, loaded with --allow-empty, has no row to index)
        found[hit] = self.values[where[hit]]
        return found.reshape(*shape, self.values.shape[1])

    def _indexer(self, codes: np.ndarray) -> np.ndarray:
        """Each code's row in the table, -1 where absent (keys are unique per table)."""
        if not len(self._sorted):
            return np.full(len(codes), -1, dtype=np.int64)
        at = np.minimum(np.searchsorted(self._sorted, codes), len(self._sorted) - 1)
        return np.where(self._sorted[at] == codes, self._order[at], -1)

    @cached_property
    def summed_by_key(self) -> Rates:
        """Single-key tables (replacement rates): each key's sum of its value columns, made
        once per vintage rather than per period query."""
        assert len(self.lookup.keys) == 1 and self.lookup.parameter is None
        keys = self.keys[:, 0]
        return Rates.of(dict(zip(keys.tolist(), self.values.sum(axis=1).tolist(), strict=True)))
