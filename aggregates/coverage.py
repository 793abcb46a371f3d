"""What a query's figures cover beyond what its axes say.

Two things a reader cannot see in a table's headers: the years of data behind its figures
(a cube with one loaded year answers for that year without a year cut), and axis members
shown only in part because a cut on the same dimension is finer than the axis (rows by
sub-major group with a cut to one minor group shows that group's figure under the
sub-major group's name). The engine reports both; how to say them is the server's and the
pages' business.
"""

from __future__ import annotations

from dataclasses import dataclass

from lmi_cubes.aggregates.catalog import Catalog
from lmi_cubes.aggregates.query import Query


@dataclass(frozen=True)
class Part:
    """A member of the cut's level under a restricted axis member."""

    key: int
    label: str


@dataclass(frozen=True)
class Restriction:
    """An axis member whose figure covers only part of it: `parts` are the cut's members
    under it that are kept (or, for an inverted cut, the ones left out)."""

    axis: int
    member: int
    level: str  # the cut's level
    parts: tuple[Part, ...]
    invert: bool


def data_years(query: Query, catalog: Catalog) -> tuple[int, ...]:
    """The years the figures are for: the period of a change measure, the year a
    time-nonadditive measure defaulted to, else the cube's loaded years its cuts keep."""
    if query.year_from is not None and query.year_to is not None:
        return (query.year_from, query.year_to)
    if query.default_year is not None:
        return (query.default_year,)
    dim = query.cube.time_dimension()
    if dim is None:
        return ()
    years = catalog.universe(query.cube, dim)
    for cut in query.cuts:
        if cut.dimension == dim.name:
            years = cut.allowed(years)
    for axis in query.axes:
        if axis.dimension.name == dim.name:
            to_member = catalog.level_of_fact_keys(dim, axis.level)
            shown = set(axis.keys)
            years = frozenset(y for y in years if to_member.get(y) in shown)
    return tuple(sorted(years))


def restrictions(query: Query, catalog: Catalog) -> tuple[Restriction, ...]:
    """Axis members that a cut on their dimension keeps only in part."""
    out: list[Restriction] = []
    for index, axis in enumerate(query.axes):
        dim = axis.dimension
        universe = catalog.universe(query.cube, dim)
        to_member = catalog.level_of_fact_keys(dim, axis.level)
        shown = set(axis.keys)
        for cut in query.cuts:
            if cut.dimension != dim.name or cut.level == axis.level.name:
                continue
            cut_level = dim.level(cut.level, "cut")
            to_part = catalog.level_of_fact_keys(dim, cut_level)
            kept = cut.allowed(universe)
            dropped = universe - kept
            whole = {to_member[f] for f in kept} - {to_member[f] for f in dropped}
            for member in axis.keys:
                if member in whole or member not in shown:
                    continue
                facts = dropped if cut.invert else kept
                keys = sorted({to_part[f] for f in facts if to_member[f] == member})
                if not keys:
                    continue
                parts = tuple(Part(k, catalog.label(dim, cut_level, k)) for k in keys)
                out.append(Restriction(index, member, cut_level.name, parts, cut.invert))
    return tuple(out)
