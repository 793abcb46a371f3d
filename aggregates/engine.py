"""The cube engine: one SQL statement per query, then reliability, derived values, rounding.

The statement groups the fact table by the axes' level keys (after the cuts) and sums the
cube's stored measures. Everything published is computed from those sums: margins, the
coarser tables used to "go up a level", ratios and derived measures. Because every stored
measure is a sum, this is exact, and a margin can never disagree with its cells.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import sqlalchemy as sa

from aggregates import derived, reliability, rollups
from aggregates.catalog import Catalog
from aggregates.derived import Lookups
from aggregates.model import Aggregate, Cube, Model, check_warehouse
from aggregates.query import Axis, Query, build_query
from aggregates.sql import (
    EMPLOYMENT_FROM,
    EMPLOYMENT_PERIOD,
    EMPLOYMENT_TO,
    REPLACEMENT_LEVEL,
    Source,
    compile_statement,
)

REPLACEMENT = "replacement"
CHANGE_KINDS = {"change", "replacement", "requirement"}


@dataclass(frozen=True)
class Fill:
    """Where a withheld cell's filled value came from."""

    dimension: str
    level: str
    key: int
    label: str


@dataclass(frozen=True)
class Result:
    """A computed grid: the last position on every axis is that axis' total."""

    query: Query
    labels: tuple[tuple[str, ...], ...]
    values: dict[str, np.ndarray] = field(repr=False)  # NaN where withheld
    flags: np.ndarray = field(repr=False)
    # Going up a level: for each candidate (dimension, level), the cells whose parent at
    # that level is shown; and, with fallback, which candidate filled each cell (-1: none)
    # and the parent's key.
    suggestions: tuple[tuple[str, str, np.ndarray], ...] = field(repr=False)
    fill_source: np.ndarray = field(repr=False)
    fill_key: np.ndarray = field(repr=False)
    fill_labels: tuple[dict[int, str], ...]
    table: str
    vintage: str
    elapsed_ms: float

    @property
    def shape(self) -> tuple[int, ...]:
        return self.flags.shape

    def fill(self, index: tuple[int, ...]) -> Fill | None:
        source = int(self.fill_source[index])
        if source < 0:
            return None
        dimension, level, _ = self.suggestions[source]
        return Fill(
            dimension,
            level,
            int(self.fill_key[index]),
            self.fill_labels[source][int(self.fill_key[index])],
        )

    def suggested(self, index: tuple[int, ...]) -> list[tuple[str, str]]:
        return [(d, lv) for d, lv, works in self.suggestions if works[index]]


class Engine:
    """Answers queries on one warehouse; holds the members and lookups of its vintage."""

    def __init__(
        self, model: Model, warehouse: sa.Engine, vintage: str = "", use_rollups: bool = True
    ):
        self.model = model
        self.warehouse = warehouse
        self.vintage = vintage
        self.use_rollups = use_rollups
        check_warehouse(model, warehouse)
        self.sources = self._sources()
        self.catalog = Catalog.read(model, warehouse)
        self.lookups = {
            cube.name: Lookups.read(warehouse, cube.lookups) for cube in model.cubes if cube.lookups
        }

    def _sources(self) -> dict[str, list[Source]]:
        """The facts first, then every declared rollup present in this warehouse."""
        tables = sa.table("tables", sa.column("table_name"), schema="information_schema")
        counts: dict[str, int] = {}
        with self.warehouse.connect() as con:
            present = {r[0] for r in con.execute(sa.select(tables.c.table_name)).fetchall()}
            for cube in self.model.cubes:
                for table in [cube.fact, *(r.table for r in cube.rollups)]:
                    if table in present:
                        count = sa.select(sa.func.count()).select_from(sa.table(table))
                        counts[table] = int(con.execute(count).scalar_one())
        return {
            cube.name: [Source.facts(cube, counts.get(cube.fact, 0))]
            + [
                rollups.rollup_source(cube, r.table, r.level_map, counts[r.table])
                for r in cube.rollups
                if r.table in counts
            ]
            for cube in self.model.cubes
        }

    def query(self, cube: str, **kwargs: Any) -> Query:
        return build_query(self.model.cube(cube), self.catalog, **kwargs)

    def run(self, query: Query) -> Result:
        started = time.perf_counter()
        source = self.source_for(query)
        sums = self._grid(query, self._fetch(query, source))
        weights, mask, values = self._evaluate(query, sums)
        flags = reliability.flags(weights, mask, query.cube.reliability)
        for axis_index, additive in enumerate(self._additive(query)):
            if not additive:  # totals over a non-additive axis (years) are not published
                index: list[Any] = [slice(None)] * len(query.axes)
                index[axis_index] = -1
                flags[tuple(index)] = reliability.NOT_APPLICABLE
                mask[tuple(index)] = False
        fill_source = np.full(flags.shape, -1)
        fill_key = np.zeros(flags.shape, dtype=np.int64)
        suggestions: list[tuple[str, str, np.ndarray]] = []
        fill_labels: list[dict[int, str]] = []
        if mask.any() and query.axes:
            self._go_up(
                query, sums, mask, values, flags, fill_source, fill_key, suggestions, fill_labels
            )
        hidden = (flags == reliability.SUPPRESSED) | (flags == reliability.NOT_APPLICABLE)
        for aggregate in query.measures:
            array = reliability.round_to(values[aggregate.name], aggregate.round_to)
            array[hidden] = np.nan
            values[aggregate.name] = array
        labels = tuple(
            tuple(self.catalog.label(a.dimension, a.level, k) for k in a.keys) for a in query.axes
        )
        elapsed_ms = (time.perf_counter() - started) * 1000
        return Result(
            query,
            labels,
            values,
            flags,
            tuple(suggestions),
            fill_source,
            fill_key,
            tuple(fill_labels),
            source.table,
            self.vintage,
            elapsed_ms,
        )

    # -- SQL -------------------------------------------------------------------------

    def statement(self, query: Query) -> sa.Select:
        return compile_statement(query, self.source_for(query), self.catalog)

    def source_for(self, query: Query) -> Source:
        sources = self.sources[query.cube.name]
        return rollups.choose(query, sources, self.catalog) if self.use_rollups else sources[0]

    def _fetch(self, query: Query, source: Source) -> pd.DataFrame:
        statement = compile_statement(query, source, self.catalog)
        with self.warehouse.connect() as con:
            result = con.execute(statement)
            try:  # columnar fetch from the DBAPI cursor: no per-row Python objects
                frame = pd.DataFrame(result.cursor.fetchnumpy())
            finally:
                result.close()
        if query.year_from is None:
            return frame
        # replacement demand: each SOC sub-major group's rate times its employment over the
        # period, summed in Python from exact sums so every source gives identical numbers
        rates = self.lookups[query.cube.name].replacement
        frame[REPLACEMENT] = frame[EMPLOYMENT_PERIOD].astype(float) * frame[REPLACEMENT_LEVEL].map(
            rates
        )
        frame = frame.drop(columns=[REPLACEMENT_LEVEL, EMPLOYMENT_PERIOD])
        keys = [f"k{i}" for i in range(len(query.axes))]
        return frame.groupby(keys, as_index=False).sum() if keys else frame.sum().to_frame().T

    # -- grids -----------------------------------------------------------------------

    def _components(self, query: Query) -> list[str]:
        if query.year_from is not None:
            return [EMPLOYMENT_FROM, EMPLOYMENT_TO, REPLACEMENT]
        return [a.name for a in query.cube.sums()]

    def _weight_component(self, query: Query) -> str:
        return EMPLOYMENT_FROM if query.year_from is not None else query.cube.reliability.weight

    @staticmethod
    def _additive(query: Query) -> tuple[bool, ...]:
        nonadditive = query.cube.nonadditive_time()
        return tuple(not (nonadditive and a.dimension.role == "time") for a in query.axes)

    def _grid(self, query: Query, frame: pd.DataFrame) -> dict[str, np.ndarray]:
        shape = tuple(len(a.keys) + 1 for a in query.axes)
        positions = []
        for i, axis in enumerate(query.axes):  # axis keys are sorted: binary search
            keys = np.asarray(axis.keys, dtype=np.int64)
            positions.append(np.searchsorted(keys, frame[f"k{i}"].to_numpy(dtype=np.int64)))
        grids = {}
        for name in self._components(query):
            grid = np.zeros(shape)
            data = np.nan_to_num(frame[name].to_numpy(dtype=float))
            if query.axes:
                np.add.at(grid, tuple(positions), data)
            else:
                grid = np.array(data.sum())
            for dim_index in range(len(shape)):
                total: list[Any] = [slice(None)] * len(shape)
                total[dim_index] = -1
                parts: list[Any] = [slice(None)] * len(shape)
                parts[dim_index] = slice(0, -1)
                grid[tuple(total)] = grid[tuple(parts)].sum(axis=dim_index)
            grids[name] = grid
        return grids

    def _evaluate(
        self, query: Query, sums: dict[str, np.ndarray]
    ) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
        weights = sums[self._weight_component(query)]
        mask = reliability.suppress(weights, query.cube.reliability, self._additive(query))
        values = {a.name: self._measure(query, a, sums) for a in query.measures}
        return weights, mask, values

    def _measure(
        self, query: Query, aggregate: Aggregate, sums: dict[str, np.ndarray]
    ) -> np.ndarray:
        cube = query.cube
        with np.errstate(divide="ignore", invalid="ignore"):
            if aggregate.function == "sum":
                return sums[aggregate.name].astype(float)
            if aggregate.ratio:
                numerator, denominator = aggregate.ratio
                return sums[numerator] / sums[denominator]
            kind = aggregate.derived
            if kind in CHANGE_KINDS:
                expansion = sums[EMPLOYMENT_TO] - sums[EMPLOYMENT_FROM]
                return {
                    "change": expansion,
                    "replacement": sums[REPLACEMENT],
                    "requirement": expansion + sums[REPLACEMENT],
                }[kind]
            base = self._mean_of(cube, sums)
            lookups = self.lookups[cube.name]
            shape = base.shape
            status = self._fixed(query, "status", None, shape)[1]
            gender = self._fixed(query, "gender", None, shape)[1]
            if query.age is not None:
                soc1 = self._fixed(query, "occupation", derived.AGE_OCCUPATION_LEVEL, shape)[1]
                broad3 = self._fixed(
                    query, "qualification", derived.AGE_QUALIFICATION_LEVEL, shape
                )[1]
                ratio = lookups.age_ratio(soc1, gender, status, broad3, query.age)
                base = derived.pay_at_age(base, ratio)
            if kind == "pay_at_age":
                return base
            level, occupation = self._fixed(query, "occupation", None, shape)
            r, k = lookups.distribution_ratios(level, occupation, status, gender)
            if aggregate.parameters and "decile" in aggregate.parameters:
                assert query.decile is not None
                return derived.pay_decile(base, r, k, query.decile)
            return derived.median_pay(base, r)

    @staticmethod
    def _mean_of(cube: Cube, sums: dict[str, np.ndarray]) -> np.ndarray:
        ratio = next(a for a in cube.aggregates if a.ratio)
        numerator, denominator = ratio.ratio  # type: ignore[misc]
        return sums[numerator] / sums[denominator]

    def _fixed(
        self, query: Query, dimension: str, target: str | None, shape: tuple[int, ...]
    ) -> tuple[np.ndarray, np.ndarray]:
        """Per cell: the level number (1-based, 0 = not fixed) and member key the cell is
        fixed to in `dimension` (by its axis position, else by a one-member cut), mapped
        to the `target` level when given (0 where it cannot be mapped)."""
        cube = query.cube
        if not cube.has_dimension(dimension):
            return np.zeros(shape, dtype=int), np.zeros(shape, dtype=int)
        dim = cube.dimension(dimension, "measure")
        hierarchy = dim.hierarchy(None, "measure")

        def convert(level_name: str, keys: list[int]) -> tuple[list[int], list[int]]:
            level = dim.level(level_name, "measure")
            number = hierarchy.levels.index(level) + 1 if level in hierarchy.levels else 0
            if target is None:
                return [number] * len(keys), keys
            if level.name == target:
                return [number] * len(keys), keys
            mapping = self.catalog.ancestor_map(dim, level, dim.level(target, "measure")) or {}
            mapped = [mapping.get(k, 0) for k in keys]
            return [number if m else 0 for m in mapped], mapped

        const_level, const_key = 0, 0
        cut = query.cut(dimension)
        if cut is not None and not cut.invert and len(cut.keys) == 1:
            (const_level,), (const_key,) = convert(cut.level, [cut.keys[0]])
        for i, axis in enumerate(query.axes):
            if axis.dimension.name == dimension:
                levels, keys = convert(axis.level.name, list(axis.keys))
                view = [1] * len(shape)
                view[i] = shape[i]
                level_arr = np.array([*levels, const_level]).reshape(view)
                key_arr = np.array([*keys, const_key]).reshape(view)
                return np.broadcast_to(level_arr, shape), np.broadcast_to(key_arr, shape)
        return np.full(shape, const_level), np.full(shape, const_key)

    # -- going up a level ------------------------------------------------------------

    def _go_up(
        self,
        query: Query,
        sums: dict[str, np.ndarray],
        mask: np.ndarray,
        values: dict[str, np.ndarray],
        flags: np.ndarray,
        fill_source: np.ndarray,
        fill_key: np.ndarray,
        suggestions: list[tuple[str, str, np.ndarray]],
        fill_labels: list[dict[int, str]],
    ) -> None:
        """For each withheld cell, the coarser levels (one axis at a time, nearest first)
        whose own table shows its parent cell; with fallback, fill it from the nearest."""
        candidates = []
        for i, axis in enumerate(query.axes):
            hierarchy = axis.dimension.hierarchy_of(axis.level)
            for steps, level in enumerate(hierarchy.ancestors(axis.level), start=1):
                candidates.append((steps, i, level))
        candidates.sort(key=lambda c: (c[0], c[1]))
        unresolved = mask.copy()
        grid_index = np.indices(mask.shape)
        for _, i, level in candidates:
            axis = query.axes[i]
            parent_of = self.catalog.ancestor_map(axis.dimension, axis.level, level)
            if parent_of is None:
                continue
            parent_keys = tuple(sorted({parent_of[k] for k in axis.keys}))
            coarse_query = dataclasses.replace(
                query,
                axes=tuple(
                    Axis(a.dimension, level, parent_keys) if j == i else a
                    for j, a in enumerate(query.axes)
                ),
            )
            position = {k: p for p, k in enumerate(parent_keys)}
            to_parent = np.array([position[parent_of[k]] for k in axis.keys] + [len(parent_keys)])
            coarse_sums = {name: _roll_up(grid, i, to_parent) for name, grid in sums.items()}
            c_weights, c_mask, c_values = self._evaluate(coarse_query, coarse_sums)
            index = list(grid_index)
            index[i] = to_parent[grid_index[i]]
            at_parent = tuple(index)
            works = mask & ~c_mask[at_parent] & (grid_index[i] < len(axis.keys))
            if not works.any():
                continue
            suggestions.append((axis.dimension.name, level.name, works))
            fill_labels.append(
                {k: self.catalog.label(axis.dimension, level, k) for k in parent_keys}
            )
            fill = works & unresolved
            if not query.fallback or not fill.any():
                continue
            c_flags = reliability.flags(c_weights, c_mask, query.cube.reliability)
            for name in values:
                values[name][fill] = c_values[name][at_parent][fill]
            flags[fill] = c_flags[at_parent][fill]
            fill_source[fill] = len(suggestions) - 1
            fill_key[fill] = np.array((*parent_keys, 0))[at_parent[i]][fill]
            unresolved &= ~fill


def _roll_up(grid: np.ndarray, axis: int, to_parent: np.ndarray) -> np.ndarray:
    """Sum a grid's members along one axis into their parents (the total stays last)."""
    moved = np.moveaxis(grid, axis, 0)
    out = np.zeros((int(to_parent[-1]) + 1, *moved.shape[1:]))
    np.add.at(out, to_parent[:-1], moved[:-1])
    out[-1] = moved[-1]
    return np.moveaxis(out, 0, axis)
