"""The model held against the warehouse it maps to, before the engine serves it.

A model file naming a table or column the load did not write would otherwise fail at the
first query that touches it; checked once when the engine opens a warehouse, every missing
name is reported together.
"""

from __future__ import annotations

from typing import Any

from lmi_cubes.model import Model
from lmi_cubes.model.errors import ModelError
from lmi_cubes.warehouse.reader import table_columns


def check_warehouse(model: Model, engine: Any) -> None:
    """Every table and column the model maps to must exist; raise ModelError listing all."""
    # information_schema rather than the dialect's inspector (duckdb-engine's reflection
    # queries pg_catalog, not reliable across DuckDB releases), filtered to the schema the
    # engine reads: PostgreSQL lists every published version's tables
    columns = table_columns(engine)
    problems: list[str] = []

    def need(table: str, column: str | None, where: str) -> None:
        if table not in columns:
            problems.append(f"{where}: table {table!r} is not in the warehouse")
        elif column is not None and column not in columns[table]:
            problems.append(f"{where}: column {table}.{column} is not in the warehouse")

    for cube in model.cubes:
        for dim in cube.dimensions:
            need(cube.fact, cube.fact_keys.get(dim.name), f"cube {cube.name}: joins ({dim.name})")
            for level in dim.levels:
                for attribute in level.attributes:
                    need(dim.table, attribute, f"dimension {dim.name}: level {level.name}")
        for aggregate in cube.sums():
            need(cube.fact, aggregate.measure, f"cube {cube.name}: aggregate {aggregate.name}")
        for role, lookup in cube.lookups.items():
            where = f"cube {cube.name}: info.lookups.{role}"
            for key in lookup.keys:
                need(lookup.table, key.column, where)
                if key.level_column:
                    need(lookup.table, key.level_column, where)
            for column in (*lookup.values, *([lookup.parameter] if lookup.parameter else [])):
                need(lookup.table, column, where)
    if problems:
        raise ModelError(sorted(set(problems)))
