"""The model held against the warehouse it maps to, before the engine serves it.

A model file naming a table or column the load did not write would otherwise fail at the
first query that touches it; checked once when the engine opens a warehouse, and by `load`
on the new warehouse before it is swapped in, every missing name is reported together.
Where the column types are known (the load reads them from the new DuckDB file), each
mapped column must also be of its kind: keys are integers, summed and looked-up values
numbers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Literal

from lmi_cubes.model import Model
from lmi_cubes.model.errors import ModelError
from lmi_cubes.warehouse.reader import table_columns

Kind = Literal["integer", "number"]
_INTEGER = re.compile(r"^(U?(TINY|SMALL|BIG|HUGE)?INT(EGER)?\d*|U?HUGEINT|SERIAL|BIGSERIAL)$")
_NUMBER = re.compile(r"^(DECIMAL|NUMERIC|DOUBLE|FLOAT|REAL)\b")

# table -> column -> its SQL type, or None where only the names are known
Columns = Mapping[str, Mapping[str, str | None]]


def is_kind(sql_type: str, kind: Kind) -> bool:
    """Whether a column of this SQL type holds values of the kind (an integer is a number)."""
    name = sql_type.strip().upper()
    if _INTEGER.match(name):
        return True
    return kind == "number" and bool(_NUMBER.match(name))


def problems_with(model: Model, columns: Columns) -> list[str]:
    """Every table and column the model maps that `columns` lacks or holds as another kind."""
    problems: list[str] = []

    def need(table: str, column: str | None, where: str, kind: Kind | None = None) -> None:
        if table not in columns:
            problems.append(f"{where}: table {table!r} is not in the warehouse")
        elif column is not None and column not in columns[table]:
            problems.append(f"{where}: column {table}.{column} is not in the warehouse")
        elif column is not None and kind is not None:
            sql_type = columns[table][column]
            if sql_type is not None and not is_kind(sql_type, kind):
                problems.append(
                    f"{where}: column {table}.{column} is {sql_type}, not an {kind}"
                    if kind == "integer"
                    else f"{where}: column {table}.{column} is {sql_type}, not a {kind}"
                )

    for cube in model.cubes:
        for dim in cube.dimensions:
            where = f"cube {cube.name}: joins ({dim.name})"
            need(cube.fact, cube.fact_keys.get(dim.name), where, "integer")
            for level in dim.levels:
                for attribute in level.attributes:
                    kind: Kind | None = "integer" if attribute == level.key else None
                    need(dim.table, attribute, f"dimension {dim.name}: level {level.name}", kind)
        for aggregate in cube.sums():
            where = f"cube {cube.name}: aggregate {aggregate.name}"
            need(cube.fact, aggregate.measure, where, "number")
        for role, lookup in cube.lookups.items():
            where = f"cube {cube.name}: info.lookups.{role}"
            for key in lookup.keys:
                need(lookup.table, key.column, where, "integer")
                if key.level_column:
                    need(lookup.table, key.level_column, where, "integer")
            if lookup.parameter:
                need(lookup.table, lookup.parameter, where, "integer")
            for column in lookup.values:
                need(lookup.table, column, where, "number")
    return sorted(set(problems))


def check_warehouse(model: Model, engine: Any) -> None:
    """Every table and column the model maps to must exist; raise ModelError listing all."""
    # information_schema rather than the dialect's inspector (duckdb-engine's reflection
    # queries pg_catalog, not reliable across DuckDB releases), filtered to the schema the
    # engine reads: PostgreSQL lists every published version's tables
    names = table_columns(engine)
    problems = problems_with(model, {t: dict.fromkeys(cols) for t, cols in names.items()})
    if problems:
        raise ModelError(problems)
