"""The cube engine: one SQL statement per query, then reliability, derived values, rounding.

The statement groups the fact table by the axes' level keys (after the cuts) and sums the
cube's stored measures. Everything published is computed from those sums: margins, the
coarser tables used to "go up a level", ratios and derived measures. Because every stored
measure is a sum, this is exact, and a margin can never disagree with its cells.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import sqlalchemy as sa

from lmi_cubes.aggregates import period, reliability, rollups
from lmi_cubes.aggregates.catalog import Catalog
from lmi_cubes.aggregates.derived import LookupTable
from lmi_cubes.aggregates.go_up import RolledUp, Steps, roll_up
from lmi_cubes.aggregates.lru import Memo
from lmi_cubes.aggregates.measures import REPLACEMENT, Measures, year_component
from lmi_cubes.aggregates.paging import Cells
from lmi_cubes.aggregates.query import Axis, Query, Request, build_query
from lmi_cubes.aggregates.resident import Grid, Resident
from lmi_cubes.aggregates.result import Result
from lmi_cubes.aggregates.sql import (
    EMPLOYMENT_YEAR,
    REPLACEMENT_KEY,
    YEAR_KEY,
    Source,
    compile_statement,
)
from lmi_cubes.aggregates.warehouse_check import check_warehouse
from lmi_cubes.model import TABLE_PROTECTION, Cube, Level, Model
from lmi_cubes.warehouse.files import shared
from lmi_cubes.warehouse.reader import Frame, Reader, table_columns


class Engine:
    """Answers queries on one warehouse; holds the members and lookups of its vintage."""

    def __init__(
        self,
        model: Model,
        warehouse: sa.Engine | Reader,
        vintage: str = "",
        use_rollups: bool = True,
        use_resident: bool = True,
    ):
        self.model = model
        # all SQL goes through the warehouse layer's reader (time limit, backend's fetch)
        self.reader = warehouse if isinstance(warehouse, Reader) else Reader(warehouse)
        self.warehouse = warehouse = self.reader.engine
        self.vintage = vintage
        self.use_rollups = use_rollups
        self._sql_cache: Memo[tuple[Any, ...], str] = Memo()
        self._choices: Memo[tuple[Any, ...], Source] = Memo()
        check_warehouse(model, warehouse)
        self.sources = self._sources()
        self.catalog = Catalog.read(model, warehouse)
        self.use_resident = use_resident
        self.resident = Resident(self.catalog)
        self.lookups = {
            cube.name: {role: LookupTable.read(warehouse, lk) for role, lk in cube.lookups.items()}
            for cube in model.cubes
        }
        self.measures = Measures(self.catalog, self.lookups)
        self.steps = Steps(
            lambda axis, level: self.catalog.ancestor_map(axis.dimension, axis.level, level),
            lambda axis, level, key: self.catalog.label(axis.dimension, level, key),
        )
        self._labels: Memo[tuple[str, str, tuple[int, ...]], tuple[str, ...]] = Memo()

    def _sources(self) -> dict[str, list[Source]]:
        """The facts first, then every declared rollup present in this warehouse."""
        present = set(table_columns(self.warehouse))
        counts: dict[str, int] = {}
        with self.warehouse.connect() as con:
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

    def query(self, request: Request, cube: Cube | None = None) -> Query:
        """The request resolved against the model and catalog; `cube`, the request's cube
        when the caller has looked it up already (once per request is enough)."""
        if cube is None or cube.name != request.cube:
            cube = self.model.cube(request.cube)
        return build_query(cube, self.catalog, request)

    def cells(self, query: Query) -> Cells:
        """The query's cells to order and page without running it, or with several runs' values."""
        return Cells(self.catalog, query.axes)

    def run(self, query: Query, suggest: bool = True) -> Result:
        """The query's grid. `suggest` False leaves out the "go up a level" suggestions for
        callers that never show them (a CSV, the LMI for All API): finding them rolls the
        grid up and protects it once per coarser level, which on the largest tables is as
        much work as protecting the grid itself. A query with fallback always finds them,
        since its fills come from them."""
        if self._statement_free(query):
            # every sum is zero, known from the catalog's record of the facts' members: no
            # table is read, so none is chosen, and the answer names the facts it describes
            source = self.sources[query.cube.name][0]
            shape = tuple(len(a.keys) for a in query.axes)
            frame: Grid | Frame = Grid({n: np.zeros(shape) for n in self._components(query)})
        else:
            source = self.source_for(query)
            frame = self._fetch(query, source)
        sums = self._grid(query, frame)
        weights, mask, moved, values = self._evaluate(query, sums)
        flags = reliability.flags(weights, mask, query.cube.reliability)
        # withheld although reliable enough on its own: a partner of the table policy
        protects = mask & ~reliability.primary(weights, query.cube.reliability)
        for axis_index, additive in enumerate(self._additive(query)):
            if not additive:  # totals over a non-additive axis (years) are not published
                index: list[Any] = [slice(None)] * len(query.axes)
                index[axis_index] = -1
                flags[tuple(index)] = reliability.Flag.NOT_APPLICABLE
                mask[tuple(index)] = False
        fill_source = np.full(flags.shape, -1)
        fill_key = np.zeros(flags.shape, dtype=np.int64)
        suggestions: list[tuple[str, str, np.ndarray]] = []
        fill_labels: list[dict[int, str]] = []
        if mask.any() and query.axes and (suggest or query.fallback):
            self._go_up(
                query,
                sums,
                mask,
                moved,
                values,
                flags,
                fill_source,
                fill_key,
                suggestions,
                fill_labels,
            )
        hidden = (flags == reliability.Flag.SUPPRESSED) | (flags == reliability.Flag.NOT_APPLICABLE)
        for aggregate in query.measures:  # rounding last, only what is delivered
            array = reliability.round_to(values[aggregate.name], aggregate.round_to)
            array[hidden] = np.nan
            values[aggregate.name] = array
        return Result(
            query,
            tuple(self._axis_labels(a) for a in query.axes),
            values,
            flags,
            tuple(suggestions),
            fill_source,
            fill_key,
            tuple(fill_labels),
            source.table,
            self.vintage,
            self.cells(query).with_values(values),
            protects & (fill_source < 0),
        )

    def _axis_labels(self, axis: Axis) -> tuple[str, ...]:
        """The labels of an axis' members, made once per axis (they are the catalog's)."""
        key = (axis.dimension.name, axis.level.name, axis.keys)
        labels = self._labels.get(key)
        if labels is None:
            labels = self._labels.remember(
                key, tuple(self.catalog.label(axis.dimension, axis.level, k) for k in axis.keys)
            )
        return labels

    # -- SQL -------------------------------------------------------------------------

    def statement(self, query: Query) -> sa.Select:
        return compile_statement(query, self.source_for(query), self.catalog)

    def table_for(self, query: Query) -> str:
        """The table an answer names: the facts when it needs no statement, else the table
        chosen to read."""
        if self._statement_free(query):
            return self.sources[query.cube.name][0].table
        return self.source_for(query).table

    def source_for(self, query: Query) -> Source:
        """`rollups.choose`, remembered by all it reads of the query (the axes' levels, the
        cuts' keys, whether a period is asked): walking every rollup's levels and checking
        each cut's alignment on every request cost a server with rollups time on requests
        no rollup answers, which a server without them does not spend."""
        sources = self.sources[query.cube.name]
        if not self.use_rollups:
            return sources[0]
        key = (query.cube.name, *self._shape(query), query.year_from is not None)
        source = self._choices.get(key)
        if source is None:
            source = self._choices.remember(key, rollups.choose(query, sources, self.catalog))
        return source

    @staticmethod
    def _shape(query: Query) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
        """The axes' levels and the cuts' keys: what the table read and its SQL depend on,
        besides the years."""
        return (
            tuple((a.dimension.name, a.level.name) for a in query.axes),
            tuple((c.dimension, c.invert, c.fact_keys) for c in query.cuts),
        )

    def sql(self, query: Query, source: Source) -> str:
        """The statement as DuckDB SQL text, compiled once per query shape.

        The text depends only on the source, the axes' levels, the cuts' keys and the
        years, so it is cached by them and the hot path skips SQLAlchemy entirely. Cut keys
        are inlined as literals: they are integers from the catalog, never user text, and
        DuckDB 2.0 pushes a literal IN-list into the scan but not a bound one, and a literal
        list is also faster than a VALUES join (figures in docs/benchmarks.md).
        """
        key = (source.table, *self._shape(query), query.year_from, query.year_to)
        text = self._sql_cache.get(key)
        if text is None:
            statement = compile_statement(query, source, self.catalog)
            compiled = statement.compile(
                dialect=self.warehouse.dialect, compile_kwargs={"literal_binds": True}
            )
            text = self._sql_cache.remember(key, str(compiled))
        return text

    def _fetch(self, query: Query, source: Source) -> Grid | Frame:
        instance = shared(self.warehouse)
        if instance is None:  # a pooled connection through the warehouse layer
            frame: Frame = self.reader.columns(self.sql(query, source))
        else:
            # a rollup summed in process memory from its projection (resident.py), else the
            # SQL on a cursor of the shared DuckDB instance, with the layer's time limit
            with instance.cursor() as cursor:
                resident = None
                if self.use_resident and source.table != query.cube.fact:
                    resident = self.resident.fetch(self.reader, cursor, query, source)
                if isinstance(resident, Grid):
                    return resident
                frame = (
                    resident
                    if resident is not None
                    else self.reader.columns(self.sql(query, source), cursor)
                )
        if query.year_from is None or query.year_to is None:
            return frame
        return self._period(query, frame)

    def _statement_free(self, query: Query) -> bool:
        return query.year_from is None and self._keeps_no_facts(query)

    def _keeps_no_facts(self, query: Query) -> bool:
        """Whether a cut keeps none of the members the cube's facts have (the self-employed
        in a survey of employees): every sum is then zero, known from the catalog without a
        scan, the same zeros a statement would return. It is decided before a rollup is
        chosen, so such a request costs the same with rollups as without them."""
        cube = query.cube
        return any(
            not cut.allowed(self.catalog.universe(cube, cube.dimension(cut.dimension, "cut")))
            for cut in query.cuts
        )

    def _period(self, query: Query, frame: Frame) -> Frame:
        # one column per year of the period (every year's employment decides reliability),
        # and replacement demand: each SOC sub-major group's rate times its employment over
        # the period, summed here from exact sums so every source gives identical numbers
        # (in numpy, with pandas' compensated sums in one canonical row order: period.py)
        assert query.year_from is not None and query.year_to is not None
        years = range(query.year_from, query.year_to + 1)
        return period.regroup(
            frame,
            [f"k{i}" for i in range(len(query.axes))],
            YEAR_KEY,
            REPLACEMENT_KEY,
            EMPLOYMENT_YEAR,
            self.lookups[query.cube.name]["replacement_rates"].summed_by_key,
            years,
            [year_component(y) for y in years],
            REPLACEMENT,
        )

    # -- grids -----------------------------------------------------------------------

    def _components(self, query: Query) -> list[str]:
        if query.year_from is not None and query.year_to is not None:
            years = range(query.year_from, query.year_to + 1)
            return [*map(year_component, years), REPLACEMENT]
        return [a.name for a in query.cube.sums()]

    @staticmethod
    def _weight(query: Query, sums: dict[str, np.ndarray]) -> np.ndarray:
        """The employment behind a cell; over a period, its smallest year, so that no
        published change or demand can be combined with another year's figure to give a
        year's employment that is withheld."""
        if query.year_from is not None and query.year_to is not None:
            years = range(query.year_from, query.year_to + 1)
            return np.minimum.reduce([sums[year_component(y)] for y in years])
        return sums[query.cube.reliability.weight]

    @staticmethod
    def _additive(query: Query) -> tuple[bool, ...]:
        nonadditive = query.cube.nonadditive_time()
        return tuple(not (nonadditive and a.dimension.role == "time") for a in query.axes)

    def _parents(self, query: Query) -> list[np.ndarray | None]:
        """Each axis member's parent one level up (the total last), so that suppression can
        pick partners among siblings and leave every coarser cell as it is; only the table
        policy picks partners."""
        out: list[np.ndarray | None] = []
        if query.cube.reliability.protection != TABLE_PROTECTION:
            return out
        for axis in query.axes:
            up = axis.hierarchy.ancestors(axis.level)
            parent_of = self.catalog.ancestor_map(axis.dimension, axis.level, up[0]) if up else None
            out.append(
                None if parent_of is None else np.array([parent_of[k] for k in axis.keys] + [0])
            )
        return out

    def _grid(self, query: Query, frame: Grid | Frame) -> dict[str, np.ndarray]:
        """Each component's sums over the axes' members with every axis' total last: a
        dense `Grid` is copied in, the rows of a GROUP BY are scattered to their members."""
        shape = tuple(len(a.keys) + 1 for a in query.axes)
        inner = tuple(slice(0, -1) for _ in query.axes)
        positions = []
        if not isinstance(frame, Grid):
            for i, axis in enumerate(query.axes):  # axis keys are sorted: binary search
                keys = np.asarray(axis.keys, dtype=np.int64)
                positions.append(np.searchsorted(keys, _column(frame, f"k{i}", np.int64)))
        # each row's cell; bincount adds a cell's rows in row order, as adding them one by one
        cell = np.ravel_multi_index(tuple(positions), shape) if positions else None
        grids = {}
        for name in self._components(query):
            grid = np.zeros(shape)
            if isinstance(frame, Grid):
                grid[inner] = frame[name]
            elif cell is not None:
                data = np.nan_to_num(_column(frame, name, float))
                summed = np.bincount(cell, weights=data, minlength=grid.size)
                grid = np.asarray(summed, dtype=float).reshape(shape)
            else:
                grid = np.array(np.nan_to_num(_column(frame, name, float)).sum())
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
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, np.ndarray]]:
        weights = self._weight(query, sums)
        moved = np.zeros((len(query.axes), *np.shape(weights)), dtype=bool)
        mask = reliability.suppress(
            weights, query.cube.reliability, self._additive(query), self._parents(query), moved
        )
        values = {a.name: self.measures.value(query, a, sums) for a in query.measures}
        return weights, mask, moved, values

    # -- going up a level ------------------------------------------------------------

    @staticmethod
    def _coarser(query: Query, i: int, level: Level, keys: tuple[int, ...]) -> Query:
        """The query with axis i at a coarser level, over the parents `keys`."""
        axes = tuple(
            dataclasses.replace(a, level=level, keys=keys) if j == i else a
            for j, a in enumerate(query.axes)
        )
        return dataclasses.replace(query, axes=axes)

    def _go_up(
        self,
        query: Query,
        sums: dict[str, np.ndarray],
        mask: np.ndarray,
        moved: np.ndarray,
        values: dict[str, np.ndarray],
        flags: np.ndarray,
        fill_source: np.ndarray,
        fill_key: np.ndarray,
        suggestions: list[tuple[str, str, np.ndarray]],
        fill_labels: list[dict[int, str]],
    ) -> None:
        """For each withheld cell, the coarser levels (one axis at a time, nearest first)
        whose own table shows its parent cell; with fallback, fill it from the nearest.
        Only withheld cells are filled: a cell's own figure, reliable or not, is never
        replaced. Ties between axes go to the cube's dimension order, not the axes', so
        swapping a table's axes fills every cell from the same parent."""
        candidates = []
        order = [d.name for d in query.cube.dimensions]
        for i, axis in enumerate(query.axes):
            hierarchy = axis.hierarchy
            for steps, level in enumerate(hierarchy.ancestors(axis.level), start=1):
                candidates.append((steps, order.index(axis.dimension.name), i, level))
        candidates.sort(key=lambda c: (c[0], c[1]))
        unresolved = mask.copy()
        additive = self._additive(query)
        protects = query.cube.reliability.protection == TABLE_PROTECTION
        for _, _, i, level in candidates:
            axis = query.axes[i]
            step = self.steps.of(axis, level)
            if step is None:
                continue
            parent_keys, to_parent = step.parent_keys, step.to_parent
            coarse_sums = RolledUp(sums, i, to_parent)
            # the coarser table's withheld cells decide what works; its values are needed
            # only to fill (what `_evaluate` does, with the measures left for later). Its
            # weight and additive axes are the query's own (same cube, period and axes'
            # dimensions); only the table policy's partners depend on the coarser levels.
            c_weights = self._weight(query, coarse_sums)
            c_mask = reliability.suppress(
                c_weights,
                query.cube.reliability,
                additive,
                self._parents(self._coarser(query, i, level, parent_keys)) if protects else (),
            )
            # a parent with one child here covers the same facts as the child: it is the
            # same cell under another name, so it can neither fill nor be suggested for it
            # (nor can a total, which has no parent)
            along = [1] * mask.ndim  # a vector along axis i, broadcast over the others
            along[i] = -1
            wider = np.append(step.children[to_parent[:-1]] > 1, False).reshape(along)
            works = mask & ~np.take(c_mask, to_parent, axis=i) & wider
            if not works.any():
                continue
            fillable = works
            if moved[i].any():
                # a parent that a protecting box moved (partners under different parents)
                # would give the box away if published here as a fill
                shifted = roll_up(moved[i].astype(float), i, to_parent) > 0
                fillable = works & ~np.take(shifted, to_parent, axis=i)
            suggestions.append((axis.dimension.name, level.name, works))
            fill_labels.append(step.labels)
            fill = fillable & unresolved
            if not query.fallback or not fill.any():
                continue
            coarse_query = self._coarser(query, i, level, parent_keys)
            c_values = {
                a.name: self.measures.value(coarse_query, a, coarse_sums) for a in query.measures
            }
            c_flags = reliability.flags(c_weights, c_mask, query.cube.reliability)
            for name in values:
                values[name][fill] = np.take(c_values[name], to_parent, axis=i)[fill]
            flags[fill] = np.take(c_flags, to_parent, axis=i)[fill]
            fill_source[fill] = len(suggestions) - 1
            keys = np.array((*parent_keys, 0))[to_parent].reshape(along)
            fill_key[fill] = np.broadcast_to(keys, mask.shape)[fill]
            unresolved &= ~fill


def _column(frame: Frame, name: str, dtype: Any) -> np.ndarray:
    """A fetched column as a plain array; DuckDB gives a masked array where it has NULLs."""
    data = frame[name]
    if isinstance(data, np.ma.MaskedArray):
        return np.asarray(np.ma.filled(data.astype(float), np.nan), dtype=dtype)
    return np.asarray(data, dtype=dtype)
