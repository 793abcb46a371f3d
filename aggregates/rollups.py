"""Pre-computed rollup tables: which one answers a query, and how they are built.

A rollup keeps some dimensions at a declared level and sums the others away. It can answer
a query exactly when every axis is at its level or coarser, every cut selects whole members
of its level, and (for change measures over a period) years are kept and the dimension replacement rates
are keyed by is at their level or finer. `choose` is a pure function of the query, the candidate sources
and the catalog; among the rollups that can answer, the one with fewest rows wins.
"""

from __future__ import annotations

import re

import duckdb
from duckdb_engine import Dialect

from lmi_cubes.aggregates.catalog import Catalog, Cut
from lmi_cubes.aggregates.query import Axis, Query
from lmi_cubes.aggregates.sql import Source, compile_statement
from lmi_cubes.model import Cube, Dimension, Model
from lmi_cubes.warehouse.quoting import sql_identifier


def _covers(catalog: Catalog, dim: Dimension, have: str, want: str) -> bool:
    """Whether members at level `have` each fall in exactly one member at level `want`."""
    if have == want:
        return True
    fine, coarse = dim.level(have, "rows"), dim.level(want, "rows")
    return catalog.ancestor_map(dim, fine, coarse) is not None


def _aligned(catalog: Catalog, dim: Dimension, have: str, cut: Cut) -> bool:
    """Whether the cut keeps or drops whole members of level `have`."""
    level = dim.level(have, "cut")
    if level.key == dim.table_key:
        return True
    to_level = catalog.level_of_fact_keys(dim, level)
    touched = {to_level[k] for k in cut.fact_keys}
    return all((k in cut.fact_keys) == (v in touched) for k, v in to_level.items())


def can_answer(query: Query, source: Source, catalog: Catalog) -> bool:
    cube = query.cube
    for axis in query.axes:
        have = source.levels.get(axis.dimension.name)
        if have is None or not _covers(catalog, axis.dimension, have, axis.level.name):
            return False
    for cut in query.cuts:
        have = source.levels.get(cut.dimension)
        if have is None or not _aligned(catalog, cube.dimension(cut.dimension, "cut"), have, cut):
            return False
    if query.year_from is not None:  # employment per year and per replacement-rate group
        rates, time = cube.replacement_key(), cube.time_dimension()
        if rates is None or rates.level is None or time is None:
            return False
        have = source.levels.get(rates.dimension)
        if time.name not in source.levels or have is None:
            return False
        if not _covers(catalog, cube.dimension(rates.dimension, "measures"), have, rates.level):
            return False
    return True


def choose(query: Query, sources: list[Source], catalog: Catalog) -> Source:
    """The smallest source that answers the query exactly; sources[0] must be the facts. A
    rollup is read only when it has fewer rows than the facts (as counted when the warehouse
    was opened): one as large saves nothing, and the facts' scan pushes the cuts down as well."""
    facts = sources[0]
    able = [s for s in sources[1:] if s.rows < facts.rows and can_answer(query, s, catalog)]
    return min(able, key=lambda s: (s.rows, s.table)) if able else facts


def rollup_source(cube: Cube, table: str, levels: dict[str, str], rows: int) -> Source:
    return Source(table, dict(levels), {d: d for d in levels}, rows)


def build_statements(model: Model) -> list[tuple[str, str]]:
    """(table, CREATE TABLE ... AS SELECT) for every rollup declared in the model."""
    dialect = Dialect()
    out = []
    for cube in model.cubes:
        facts = Source.facts(cube)
        for rollup in cube.rollups:
            axes = tuple(
                Axis(
                    cube.dimension(d, "rollup"), cube.dimension(d, "rollup").level(lv, "rollup"), ()
                )
                for d, lv in rollup.levels
            )
            query = Query(cube, axes, (), ())
            select = compile_statement(query, facts, None, labels=[d for d, _ in rollup.levels])
            order = ", ".join(sql_identifier(d) for d, _ in rollup.levels)
            sql = str(select.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
            name = sql_identifier(rollup.table)
            out.append((rollup.table, f"CREATE TABLE {name} AS {sql} ORDER BY {order}"))
    return out


def build(con: duckdb.DuckDBPyConnection, model: Model, schema: str = "wh") -> dict[str, int]:
    """Create every declared rollup inside `schema` (the new warehouse, before its swap)."""
    original = con.execute("SELECT current_database()").fetchall()[0][0]
    con.execute(f"USE {schema}")
    measure_types = {
        rollup.table: _column_types(con, cube.fact, [a.measure for a in cube.sums() if a.measure])
        for cube in model.cubes
        for rollup in cube.rollups
    }
    rows = {}
    try:
        for table, statement in build_statements(model):
            con.execute(f"DROP TABLE IF EXISTS {sql_identifier(table)}")
            con.execute(statement)
            _narrow_sums(con, table, measure_types[table])
            counted = con.execute(f"SELECT count(*) FROM {sql_identifier(table)}")
            rows[table] = int(counted.fetchall()[0][0])
    finally:
        con.execute(f"USE {sql_identifier(original)}")
    return rows


def _column_types(con: duckdb.DuckDBPyConnection, table: str, columns: list[str]) -> dict[str, str]:
    found = con.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_name = ? AND table_catalog = current_database()",
        [table],
    ).fetchall()
    return {name: kind for name, kind in found if name in columns}


_DECIMAL = re.compile(r"DECIMAL\((\d+),\s*(\d+)\)")


def _narrow_sums(con: duckdb.DuckDBPyConnection, table: str, fact_types: dict[str, str]) -> None:
    """Store each summed measure in the facts' own DECIMAL type when every sum fits it.

    DuckDB widens a DECIMAL(18, s) sum to DECIMAL(38, s), a 128-bit integer, and summing
    those again is several times slower than summing the 64-bit facts: a rollup half the
    size of the facts answered no faster than they did. The values are the same exact
    decimals either way; a sum too large for the narrower type keeps the wide one."""
    for column, kind in fact_types.items():
        match = _DECIMAL.fullmatch(kind)
        if match is None:
            continue
        precision, scale = int(match[1]), int(match[2])
        bound = 10 ** (precision - scale)
        quoted, name = sql_identifier(column), sql_identifier(table)
        fits = con.execute(
            f"SELECT coalesce(max(abs({quoted})), 0) < {bound} FROM {name}"
        ).fetchall()[0][0]
        if fits:
            con.execute(f"ALTER TABLE {name} ALTER {quoted} TYPE DECIMAL({precision}, {scale})")
