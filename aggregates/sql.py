"""Compiling a query to one SQLAlchemy Core statement over a source table.

A source is the fact table or one of its rollups; both hold one key column per dimension
at some level and one column per stored (summable) measure. Axes at a coarser level than
the source's are reached through a small DISTINCT mapping of the dimension table; cuts
become IN-lists of keys at the source's level (bound here; the engine inlines them when it
compiles the text once per query shape, as they are integers from the catalog). No user text
reaches the SQL.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from lmi_cubes.aggregates.catalog import Catalog, Cut
from lmi_cubes.aggregates.query import Query
from lmi_cubes.model import Cube, Dimension, Level

EMPLOYMENT_YEAR, YEAR_KEY = "employment_year", "year_key"
REPLACEMENT_KEY = "replacement_key"  # the member replacement rates are given for


@dataclass(frozen=True)
class Source:
    """A table that can answer queries: the facts, or a rollup of them."""

    table: str
    levels: dict[str, str] = field(hash=False)  # dimension -> level of its key column
    columns: dict[str, str] = field(hash=False)  # dimension -> key column name
    rows: int = 0

    @classmethod
    def facts(cls, cube: Cube, rows: int = 0) -> Source:
        levels = {d.name: d.level_of_key().name for d in cube.dimensions}
        return cls(cube.fact, levels, dict(cube.fact_keys), rows)


def source_keys(catalog: Catalog, dim: Dimension, level: Level, cut: Cut) -> list[int]:
    """The cut's keys at the source level (exact only when the cut is aligned to it)."""
    if level.key == dim.table_key:
        return sorted(cut.fact_keys)
    to_level = catalog.level_of_fact_keys(dim, level)
    return sorted({to_level[k] for k in cut.fact_keys})


def compile_statement(
    query: Query, source: Source, catalog: Catalog | None, labels: list[str] | None = None
) -> sa.Select:
    cube = query.cube
    measures = [a.measure for a in cube.sums() if a.measure]
    table = sa.table(source.table, *map(sa.column, {*source.columns.values(), *measures})).alias(
        "f"
    )
    joined: sa.FromClause = table
    keys = []

    def at_level(dim: Dimension, target: Level, alias: str) -> sa.ColumnElement:
        nonlocal joined
        column = table.c[source.columns[dim.name]]
        have = dim.level(source.levels[dim.name], "rows")
        if have.key == target.key:
            return column
        mapping = sa.table(dim.table, sa.column(have.key), sa.column(target.key))
        pairs = sa.select(mapping.c[have.key], mapping.c[target.key]).distinct().subquery(alias)
        joined = joined.join(pairs, column == pairs.c[have.key])
        return pairs.c[target.key]

    for i, axis in enumerate(query.axes):
        label = labels[i] if labels else f"k{i}"
        keys.append(at_level(axis.dimension, axis.level, f"m{i}").label(label))
    conditions = []
    for cut in query.cuts:
        dim = cube.dimension(cut.dimension, "cut")
        have = dim.level(source.levels[dim.name], "cut")
        assert catalog is not None or have.key == dim.table_key
        allowed = source_keys(catalog, dim, have, cut) if catalog else sorted(cut.fact_keys)
        column = table.c[source.columns[dim.name]]
        condition = column.in_(allowed) if allowed else sa.false()
        conditions.append(sa.not_(condition) if cut.invert else condition)
    weight = cube.aggregate(cube.reliability.weight, "measure").measure
    assert weight is not None  # the model requires the weight to be a stored sum
    if query.year_from is not None:
        rates, time = cube.replacement_key(), cube.time_dimension()
        assert rates is not None and rates.level is not None and time is not None
        by = cube.dimension(rates.dimension, "measures")
        keys.append(at_level(by, by.level(rates.level, "measures"), "ms").label(REPLACEMENT_KEY))
        year = table.c[source.columns[time.name]]
        keys.append(year.label(YEAR_KEY))
        sums = [sa.func.sum(table.c[weight]).label(EMPLOYMENT_YEAR)]
        conditions.append(year.between(query.year_from, query.year_to))
    else:
        sums = [sa.func.sum(table.c[a.measure]).label(a.name) for a in cube.sums() if a.measure]
    statement = sa.select(*keys, *sums).select_from(joined).where(*conditions)
    return statement.group_by(*keys) if keys else statement
