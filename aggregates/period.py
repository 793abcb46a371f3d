"""Period measures' per-year regrouping in numpy, with the same floating-point sums as pandas.

A change measure over a period needs one column per year of the period (each year's
employment decides reliability) and replacement demand (each SOC sub-major group's rate
times its employment over the period), summed per cell from rows grouped by the axes, the
replacement-rate key and the year, in numpy so that the server need not import pandas.

pandas sums a float group with Kahan's compensated summation, row by row in the order the
rows come (they are sorted into one canonical order first, because DuckDB's GROUP BY gives
them in any order). `kahan_group_sum` does exactly those operations, in the same order, for
all groups at once, so every published figure keeps its last bit: the recorded responses
(benchmarks/responses.py) and tests/test_period.py check it against pandas.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


def kahan_group_sum(group: np.ndarray, values: np.ndarray, groups: int) -> np.ndarray:
    """Per group, the Kahan sum of `values` rows in their order (NaN rows skipped), as
    pandas' grouped sum computes it; `group` is each row's group number, rows of a group
    need not be adjacent. Returns shape (groups, columns)."""
    values = np.asarray(values, dtype=np.float64).reshape(len(group), -1)
    total = np.zeros((groups, values.shape[1]))
    compensation = np.zeros_like(total)
    if not len(group):
        return total
    # the n-th row of every group is added in step n: rows ordered by (step, group)
    order = np.argsort(group, kind="stable")
    starts = np.searchsorted(group[order], np.arange(groups))
    step = np.empty(len(group), dtype=np.int64)
    step[order] = np.arange(len(group)) - starts[group[order]]
    by_step = np.lexsort((group, step))
    bounds = np.searchsorted(step[by_step], np.arange(int(step.max()) + 2))
    with np.errstate(invalid="ignore"):
        for n in range(len(bounds) - 1):
            rows = by_step[bounds[n] : bounds[n + 1]]
            g = group[rows]
            value = values[rows]
            s, c = total[g], compensation[g]
            y = value - c
            t = s + y
            c_new = (t - s) - y
            c_new[c_new != c_new] = 0.0  # an infinite value: keep the sum infinite, not NaN
            skip = np.isnan(value)
            total[g] = np.where(skip, s, t)
            compensation[g] = np.where(skip, c, c_new)
    return total


def regroup(
    frame: dict[str, Any],
    keys: list[str],
    year_key: str,
    replacement_key: str,
    employment: str,
    rates: Rates,
    years: range,
    year_columns: list[str],
    replacement: str,
) -> dict[str, np.ndarray]:
    """Rows per (axes, replacement key, year) -> one row per axes' group, with a column per
    year of `years` (named by `year_columns`) and the replacement demand, groups in key
    order (as pandas' `groupby(keys).sum()` gives them)."""
    key_arrays = [np.asarray(frame[k]) for k in keys]
    rkey = np.asarray(frame[replacement_key])
    year = np.asarray(frame[year_key])
    emp = _floats(frame[employment])
    # the canonical row order; rows summed in process come in it already (a stable sort
    # would leave them as they are), a GROUP BY's rows in any order
    if not _in_order([*key_arrays, rkey, year]):
        order = np.lexsort((year, rkey, *reversed(key_arrays)))
        key_arrays = [k[order] for k in key_arrays]
        rkey, year, emp = rkey[order], year[order], emp[order]
    columns = [np.where(year == y, emp, 0.0) for y in years]
    in_period = (year >= years.start) & (year < years.stop - 1)
    rate = _lookup(rates, rkey)
    columns.append(np.where(in_period, emp * rate, 0.0))
    if key_arrays:
        change = np.zeros(len(year), dtype=bool)
        for k in key_arrays:
            change[1:] |= k[1:] != k[:-1]
        if len(year):
            change[0] = True
        group = np.cumsum(change) - 1
        first = np.flatnonzero(change)
        # pandas (3.1) sums a column whose groups are sorted with `np.add.reduceat`, and
        # one with a NaN (a group without a replacement rate) with its Kahan loop
        summed = (
            np.column_stack(
                [
                    kahan_group_sum(group, c, len(first))[:, 0]
                    if np.isnan(c).any()
                    else np.add.reduceat(c, first)
                    for c in columns
                ]
            )
            if len(first)
            else np.zeros((0, len(columns)))
        )
        out = {name: k[first] for name, k in zip(keys, key_arrays, strict=True)}
    else:  # no axes: one total row (pandas' column sum, pairwise)
        summed = np.array([[float(np.where(np.isnan(c), 0.0, c).sum()) for c in columns]])
        out = {}
    for i, name in enumerate([*year_columns, replacement]):
        out[name] = summed[:, i]
    return out


def _in_order(columns: list[np.ndarray]) -> bool:
    """Whether the rows are sorted by `columns`, the first the most significant."""
    if len(columns[0]) < 2:
        return True
    settled = np.zeros(len(columns[0]) - 1, dtype=bool)  # pairs ordered by an earlier column
    for column in columns:
        before, after = column[:-1], column[1:]
        if (~settled & (before > after)).any():
            return False
        settled |= before < after
    return True


@dataclass(frozen=True)
class Rates:
    """Replacement rates by key, as sorted arrays: made once per warehouse vintage, not per
    period query."""

    known: np.ndarray  # int64 keys, ascending
    values: np.ndarray  # each key's rate

    @classmethod
    def of(cls, rates: dict[int, float]) -> Rates:
        known = np.array(sorted(rates), dtype=np.int64)
        return cls(known, np.array([rates[k] for k in known.tolist()], dtype=np.float64))


def _lookup(rates: Rates, keys: np.ndarray) -> np.ndarray:
    """Each key's rate, NaN where there is none (what pandas' `Series.map(dict)` gave)."""
    known, values = rates.known, rates.values
    keys = keys.astype(np.int64)
    at = np.minimum(np.searchsorted(known, keys), max(len(known) - 1, 0))
    found = known[at] == keys if len(known) else np.zeros(len(keys), dtype=bool)
    return np.where(found, values[at] if len(known) else np.nan, np.nan)


def _floats(data: Any) -> np.ndarray:
    if isinstance(data, np.ma.MaskedArray):
        return np.asarray(np.ma.filled(data.astype(float), np.nan), dtype=np.float64)
    return np.asarray(data, dtype=np.float64)
