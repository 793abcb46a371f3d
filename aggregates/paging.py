"""Ordering and paging of a result's cells, the same for every front end.

A grid's inner cells (its totals left out) are listed as rows in natural order: each axis'
members by their keys from the top level of its hierarchy down, the first axis slowest.
An order is a list of (field, direction): a measure, an attribute of an axis' level or of a
coarser level of its hierarchy (`dimension.attribute`, keys or labels), or an axis'
dimension name (its level's key). Each sort is stable and puts missing values (withheld
cells) last in either direction, so ties keep the natural order.

The SQL cannot order: what is published is computed, flagged, withheld and rounded after
the statement, and withheld cells must sort as missing, not by their hidden value.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from lmi_cubes.aggregates.catalog import Catalog, attribute_ref
from lmi_cubes.model.errors import QueryError

if TYPE_CHECKING:
    from lmi_cubes.aggregates.query import Axis

MAX_PAGE_SIZE = 10_000
DIRECTIONS = ("asc", "desc")
Position = tuple[int, ...]  # a cell's index in the result's grid, one entry per axis
Column = Callable[[Position], Any]  # a cell's value of one field; None when missing


@dataclass(frozen=True)
class Sort:
    """One key of an order: a column of the cells, resolved from a field name."""

    column: str
    descending: bool = False


@dataclass(frozen=True)
class Page:
    """One page of ordered cells: their grid positions, and where the page sits."""

    positions: tuple[Position, ...]
    total: int  # cells on all pages
    number: int  # from 0
    size: int  # cells per page (every cell when no page size was asked for)


def order_fields(axes: Sequence[Axis], measures: Iterable[str] = ()) -> dict[str, str]:
    """The names an order may use -> the column each orders by: measures first, then the
    attributes of every axis' levels (top down), then each axis' dimension name."""
    fields = {m: m for m in measures}
    for axis in axes:
        for level in axis.path:
            fields.update(
                (r, r) for r in (attribute_ref(axis.dimension, a) for a in level.attributes)
            )
    for axis in axes:
        fields[axis.dimension.name] = attribute_ref(axis.dimension, axis.level.key)
    return fields


def resolve_order(order: Iterable[tuple[str, str]], fields: Mapping[str, str]) -> tuple[Sort, ...]:
    """(field, "asc"|"desc") pairs as sorts; QueryError naming `order` lists the choices."""
    sorts = []
    for name, direction in order:
        if direction not in DIRECTIONS:
            raise QueryError("order", f"direction {direction!r} must be asc or desc", DIRECTIONS)
        if name not in fields:
            raise QueryError("order", f"cannot order by {name!r}", list(fields))
        sorts.append(Sort(fields[name], direction == "desc"))
    return tuple(sorts)


def check_page(number: int, size: int | None) -> None:
    """A page number from 0 and a page size of 1..MAX_PAGE_SIZE (None: one page of all)."""
    if isinstance(number, bool) or not isinstance(number, int) or number < 0:
        raise QueryError("page", f"{number!r} is not a whole number of 0 or more", ["0.."])
    if size is not None and (
        isinstance(size, bool) or not isinstance(size, int) or not 1 <= size <= MAX_PAGE_SIZE
    ):
        raise QueryError("page_size", f"{size!r} is out of range", [f"1..{MAX_PAGE_SIZE}"])


class Cells:
    """The inner cells of a query's grid as rows: natural order, columns computed on demand.

    Building one costs nothing until a column or the positions are read, so every result
    can carry one; columns are the axes' attributes plus any values added (`with_values`).
    """

    def __init__(
        self,
        catalog: Catalog,
        axes: Sequence[Axis],
        values: Mapping[str, np.ndarray] | None = None,
    ):
        self._catalog = catalog
        self._axes = tuple(axes)
        self._values = dict(values or {})

    def with_values(self, values: Mapping[str, np.ndarray]) -> Cells:
        """The same cells with more value columns (grids shaped like the result's, NaN
        where withheld), named as an order names them; they come first among the fields."""
        return Cells(self._catalog, self._axes, {**values, **self._values})

    @cached_property
    def fields(self) -> dict[str, str]:
        return order_fields(self._axes, self._values)

    def resolve(self, order: Iterable[tuple[str, str]]) -> tuple[Sort, ...]:
        return resolve_order(order, self.fields)

    @cached_property
    def _records(self) -> tuple[dict[int, dict[str, Any]], ...]:
        return tuple(
            self._catalog.attributes(a.dimension, a.hierarchy, a.level) for a in self._axes
        )

    @cached_property
    def positions(self) -> tuple[Position, ...]:
        """Every inner cell in natural order (one cell, `()`, without axes)."""
        orders = []
        for axis, records in zip(self._axes, self._records, strict=True):
            path = [attribute_ref(axis.dimension, lv.key) for lv in axis.path]
            natural = [tuple(records[k][r] for r in path) for k in axis.keys]
            orders.append(sorted(range(len(axis.keys)), key=natural.__getitem__))
        return tuple(itertools.product(*orders))

    def column(self, name: str) -> Column:
        """The values of one column: a value grid's, or an attribute of an axis' members."""
        if name in self._values:
            grid = self._values[name]
            return lambda p: json_number(grid[p])
        for i, (axis, records) in enumerate(zip(self._axes, self._records, strict=True)):
            if axis.keys and name in records[axis.keys[0]]:
                by_index = [records[k][name] for k in axis.keys]
                return lambda p: by_index[p[i]]
        raise QueryError("order", f"cannot order by {name!r}", list(self.fields))

    def page(self, order: Sequence[Sort] = (), number: int = 0, size: int | None = None) -> Page:
        """The cells of page `number` (from 0) of `size` (None: all), after ordering; a page
        past the last is empty, the last may be partial."""
        check_page(number, size)
        rows = list(self.positions)
        for sort in reversed(order):  # stable sorts, last key first: a lexicographic order
            column = self.column(sort.column)
            keyed = [(column(p), p) for p in rows]
            present = [x for x in keyed if x[0] is not None]
            present.sort(key=lambda x: x[0], reverse=sort.descending)
            rows = [p for _, p in present] + [p for v, p in keyed if v is None]
        size = size or max(len(rows), 1)
        start = number * size
        return Page(tuple(rows[start : start + size]), len(rows), number, size)


def json_number(value: Any) -> float | int | None:
    """A published value as JSON shows it: None where withheld, whole numbers as int."""
    if value is None or value != value:
        return None
    return int(value) if float(value).is_integer() else float(value)
