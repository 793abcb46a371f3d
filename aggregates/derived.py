"""Derived estimates of SPEC section 6: medians and deciles, pay at an age, WF demand.

The formulas are plain functions on numbers (tested against the worked examples); the
lookups pick, for each cell, the ratio row that matches what the cell is fixed to. The
lookup files' own structure (SPEC 3.4, 3.5, 3.6) fixes which levels they are keyed by:
SOC level 1..4 for the distribution, SOC major group and broad qualification for ages,
SOC sub-major group for replacement rates.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd
import sqlalchemy as sa

# z-scores of the standard normal at deciles 10..90 (SPEC 6.1)
Z = {10: -1.28, 20: -0.84, 30: -0.52, 40: -0.25, 50: 0.0, 60: 0.25, 70: 0.52, 80: 0.84, 90: 1.28}
AGE_OCCUPATION_LEVEL = "soc1"
AGE_QUALIFICATION_LEVEL = "broad3"
RATE_COLUMNS = ("retirement_rate", "mortality_rate", "mobility_rate")


def median_pay(mean: np.ndarray, r: np.ndarray) -> np.ndarray:
    return mean / r


def pay_decile(mean: np.ndarray, r: np.ndarray, k: np.ndarray, decile: int) -> np.ndarray:
    """exp(ln(median) + z_p * k * ln(median)) under the log-normal assumption."""
    with np.errstate(divide="ignore", invalid="ignore"):
        log_median = np.log(mean / r)
        return np.exp(log_median + Z[decile] * k * log_median)


def pay_at_age(mean: np.ndarray, ratio: np.ndarray) -> np.ndarray:
    return mean * ratio


def _encode(*parts: np.ndarray) -> np.ndarray:
    """Pack small non-negative integer codes into one int64 key (10,000 values per part)."""
    key = np.zeros(np.shape(parts[0]), dtype=np.int64).ravel()
    for part in parts:
        key = key * 10_000 + np.asarray(part, dtype=np.int64).ravel()
    return key


class Lookups:
    """The ratio tables, read once per warehouse vintage."""

    def __init__(
        self,
        distribution: dict[tuple[int, int, int, int], tuple[float, float]],
        age_ratios: dict[tuple[int, int, int, int, int], float],
        replacement: dict[int, float],
    ):
        self.distribution = distribution  # (soc_level, occupation, status, gender) -> (r, k)
        self.age_ratios = age_ratios  # (soc1, gender, status, broad3, age) -> ratio
        self.replacement = replacement  # soc2 -> summed annual outflow rate

    @classmethod
    def read(cls, engine: sa.Engine, tables: dict[str, str]) -> Lookups:
        distribution: dict[tuple[int, int, int, int], tuple[float, float]] = {}
        ages: dict[tuple[int, int, int, int, int], float] = {}
        replacement: dict[int, float] = {}
        with engine.connect() as con:
            if "pay_distribution" in tables:
                t = sa.table(
                    tables["pay_distribution"],
                    *map(sa.column, ("soc_level", "occupation", "status", "gender")),
                    sa.column("mean_median_ratio"),
                    sa.column("sd_ratio"),
                )
                for lv, occ, st, g, r, k in con.execute(sa.select(t)).fetchall():
                    distribution[(int(lv), int(occ), int(st), int(g))] = (float(r), float(k))
            if "age_ratios" in tables:
                t = sa.table(
                    tables["age_ratios"],
                    *map(sa.column, ("soc1", "gender", "status", "broad3", "age", "ratio")),
                )
                for occ, g, st, q, age, ratio in con.execute(sa.select(t)).fetchall():
                    ages[(int(occ), int(g), int(st), int(q), int(age))] = float(ratio)
            if "replacement_rates" in tables:
                t = sa.table(
                    tables["replacement_rates"], sa.column("soc2"), *map(sa.column, RATE_COLUMNS)
                )
                for soc2, *rates in con.execute(sa.select(t)).fetchall():
                    replacement[int(soc2)] = float(sum(rates))
        return cls(distribution, ages, replacement)

    def distribution_ratios(
        self, soc_level: np.ndarray, occupation: np.ndarray, status: np.ndarray, gender: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        table = self._distribution_table
        where = table["index"].get_indexer(_encode(soc_level, occupation, status, gender))
        r = np.where(where >= 0, table["r"][where], np.nan).reshape(soc_level.shape)
        k = np.where(where >= 0, table["k"][where], np.nan).reshape(soc_level.shape)
        return r, k

    def age_ratio(
        self, soc1: np.ndarray, gender: np.ndarray, status: np.ndarray, broad3: np.ndarray, age: int
    ) -> np.ndarray:
        table = self._age_table
        keys = _encode(soc1, gender, status, broad3, np.full(soc1.shape, age))
        where = table["index"].get_indexer(keys)
        return np.where(where >= 0, table["ratio"][where], np.nan).reshape(soc1.shape)

    @cached_property
    def _distribution_table(self) -> dict[str, Any]:
        keys = np.array(list(self.distribution), dtype=np.int64).reshape(-1, 4)
        values = np.array(list(self.distribution.values()), dtype=float).reshape(-1, 2)
        return {"index": pd.Index(_encode(*keys.T)), "r": values[:, 0], "k": values[:, 1]}

    @cached_property
    def _age_table(self) -> dict[str, Any]:
        keys = np.array(list(self.age_ratios), dtype=np.int64).reshape(-1, 5)
        ratios = np.array(list(self.age_ratios.values()), dtype=float)
        return {"index": pd.Index(_encode(*keys.T)), "ratio": ratios}
