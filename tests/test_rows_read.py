"""The chooser counts the rows a scan reads after DuckDB's zone maps skip row groups.

The count is checked against DuckDB's own profile of each statement (the row groups its scan
read), on a copy of the tiny warehouse whose facts and rollups are stored in row groups of
2,048 rows, in the order the load wrote them, so that cuts skip some groups as they do in a
full-sized warehouse. The choice itself is a pure function, checked case by case on zone
maps written out in the tests.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import duckdb
import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from lmi_cubes.aggregates.engine import Engine
from lmi_cubes.aggregates.resident import Resident
from lmi_cubes.aggregates.rollups import can_answer, choose, groups_read, rows_read
from lmi_cubes.model.errors import QueryError
from lmi_cubes.model.loader import load_model
from lmi_cubes.warehouse.files import open_read_only, shared
from lmi_cubes.warehouse.reader import RowGroup
from support import ask, random_query

GROUP_ROWS = 2048


@pytest.fixture(scope="module")
def small_groups(warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny warehouse with every fact and rollup table rewritten in small row groups."""
    target = tmp_path_factory.mktemp("small-groups") / "tiny.duckdb"
    shutil.copyfile(warehouse, target)
    con = duckdb.connect()
    con.execute("SET threads = 1")  # one writer: full groups, rows kept in their order
    con.execute(f"ATTACH '{target}' AS w (ROW_GROUP_SIZE {GROUP_ROWS})")
    for cube in load_model().cubes:
        for table in [cube.fact, *(r.table for r in cube.rollups)]:
            con.execute(f"CREATE TABLE w.copy AS SELECT * FROM w.{table} ORDER BY rowid")
            con.execute(f"DROP TABLE w.{table}")
            con.execute(f"ALTER TABLE w.copy RENAME TO {table}")
    con.execute("CHECKPOINT w")
    con.close()
    return target


@pytest.fixture(scope="module")
def small_engines(small_groups: Path) -> tuple[Engine, Engine]:
    model = load_model()
    return (
        Engine(model, open_read_only(small_groups), use_rollups=False),
        Engine(model, open_read_only(small_groups), use_rollups=True),
    )


def test_zone_maps_are_each_row_groups_key_ranges(small_groups: Path, small_engines) -> None:
    """Against the rows themselves: group n holds rows n * 2048 onwards of the rewrite."""
    engine = small_engines[1]
    facts = engine.sources["ashe_pay"][0]
    assert facts.zones is not None and len(facts.zones) > 10
    columns = sorted(facts.columns.values())
    con = duckdb.connect(str(small_groups), read_only=True)
    spans = ", ".join(f"min({c}), max({c})" for c in columns)
    expected = con.execute(
        f"SELECT count(*), {spans} FROM {facts.table} "
        f"GROUP BY rowid // {GROUP_ROWS} ORDER BY rowid // {GROUP_ROWS}"
    ).fetchall()
    con.close()
    got = [
        (g.rows, *(v for c in columns for v in g.ranges[c]))
        for g in engine.reader.zone_maps(facts.table, set(columns)) or ()
    ]
    assert got == [tuple(row) for row in expected]
    assert sum(g.rows for g in facts.zones) == facts.rows


def test_a_column_without_integer_bounds_has_no_range(small_groups: Path, small_engines) -> None:
    """Labels are text: their range would not compare with integer keys, so none is kept."""
    engine = small_engines[1]
    groups = engine.reader.zone_maps("dim_occupation", {"soc4_title", "soc4"})
    assert groups is not None and groups
    for group in groups:
        assert "soc4_title" not in group.ranges
        assert "soc4" in group.ranges


def scanned_groups(con: duckdb.DuckDBPyConnection, profile: Path, sql: str, table: str) -> int:
    """The row groups DuckDB's scan of `table` read for `sql`, from its own profile."""
    con.execute(sql).fetchall()
    found: list[int] = []

    def walk(node: dict) -> None:
        if node.get("type") == "TABLE_SCAN" and node["extra_info"]["Table"].endswith(f".{table}"):
            found.append(int(node["row_groups_scanned"]))
        for child in node.get("children", []):
            walk(child)

    for node in json.loads(profile.read_text())["operator"]:
        walk(node)
    assert len(found) <= 1, found
    return found[0] if found else 0  # no scan left in the plan: nothing can pass the filters


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_the_groups_counted_are_the_groups_duckdb_scans(
    small_groups: Path, small_engines, tmp_path_factory, data
) -> None:
    """For every table that can answer a random query, as DuckDB's profile counts them."""
    base_engine, engine = small_engines
    cube, kwargs = data.draw(random_query(engine))
    try:
        query = ask(engine, cube, **kwargs)
    except QueryError:
        assume(False)
        return
    assume(not engine._statement_free(query))
    profile = tmp_path_factory.mktemp("profile") / "profile.json"
    con = duckdb.connect(str(small_groups), read_only=True)
    con.execute("PRAGMA enable_profiling = 'json'")
    con.execute(f"PRAGMA profiling_output = '{profile}'")
    try:
        facts, *rollups = engine.sources[cube]
        able = [facts, *(s for s in rollups if can_answer(query, s, engine.catalog))]
        for source in able:
            groups = groups_read(query, source, engine.catalog)
            assert groups is not None
            got = scanned_groups(con, profile, engine.sql(query, source), source.table)
            assert len(groups) == got, source.table
    finally:
        con.close()
    # whichever table is chosen, the answer is the facts' answer
    chosen = engine.run(query)
    base = base_engine.run(ask(base_engine, cube, **kwargs))
    assert (base.flags == chosen.flags).all()
    for name, values in base.values.items():
        np.testing.assert_array_equal(values, chosen.values[name])


def groups(*spans: tuple[int, int, int]) -> tuple[RowGroup, ...]:
    """Row groups of (rows, smallest gender, largest gender)."""
    return tuple(RowGroup(rows, {"gender": (low, high)}) for rows, low, high in spans)


# the facts hold each gender in its own row groups, 100 rows of each
FACTS = groups((100, 1, 1), (100, 2, 2))


@pytest.mark.parametrize(
    ("cut", "smallest", "next_one", "projects", "chosen"),
    [
        # a rollup whose scan reads fewer rows answers
        ("gender:2", groups((60, 1, 2)), None, False, "smallest"),
        # one that reads as many saves nothing: the facts answer
        ("gender:2", groups((50, 1, 1), (100, 1, 2)), None, False, "facts"),
        # ... or more
        ("gender:2", groups((150, 1, 2)), None, False, "facts"),
        # unless its projection can answer from memory
        ("gender:2", groups((150, 1, 2)), None, True, "smallest"),
        # the next smallest rollup, when it reads fewer rows
        ("gender:2", groups((150, 1, 2)), groups((30, 1, 1), (50, 2, 2)), False, "next"),
        # an excluding cut skips a group that holds only what it excludes (the facts' 100
        # rows of gender 2), not one that also holds what it keeps
        ("!gender:2", groups((150, 1, 2)), None, False, "facts"),
        ("!gender:2", groups((90, 1, 2)), None, False, "smallest"),
        # a group the cut's keys fall outside is skipped
        ("gender:1", groups((100, 2, 2), (99, 1, 1)), None, False, "smallest"),
    ],
)
def test_the_rollup_read_is_one_that_reads_fewer_rows(
    small_engines, cut, smallest, next_one, projects, chosen
) -> None:
    engine = small_engines[1]
    query = ask(
        engine,
        "ashe_pay",
        axes=["occupation:soc4", "qualification"],
        measures=["mean_pay"],
        cut=cut,
    )
    facts, *others = engine.sources["ashe_pay"]
    unknown = [dataclasses.replace(s, zones=None) for s in [facts, *others]]
    first = choose(query, unknown, engine.catalog)  # without zones: the smallest that can
    second = choose(query, [unknown[0], *(s for s in unknown[1:] if s != first)], engine.catalog)
    assert facts.table not in (first.table, second.table)
    sources = [dataclasses.replace(facts, zones=FACTS)]
    for source in unknown[1:]:
        if source == first:
            source = dataclasses.replace(source, zones=smallest)
        elif source == second and next_one is not None:
            source = dataclasses.replace(source, zones=next_one)
        elif source == second:
            source = dataclasses.replace(source, zones=groups((10**6, 1, 2)))
        sources.append(source)
    picked = choose(query, sources, engine.catalog, lambda s: projects and s == first)
    expected = {"facts": facts, "smallest": first, "next": second}[chosen]
    assert picked.table == expected.table


def test_without_zone_maps_a_table_reads_all_its_rows(small_engines) -> None:
    engine = small_engines[1]
    query = ask(engine, "ashe_pay", axes=["occupation:soc4"], measures=["mean_pay"], cut="gender:2")
    facts = dataclasses.replace(engine.sources["ashe_pay"][0], zones=None)
    assert groups_read(query, facts, engine.catalog) is None
    assert rows_read(query, facts, engine.catalog) == facts.rows
    with_zones = dataclasses.replace(facts, zones=FACTS)
    assert rows_read(query, with_zones, engine.catalog) == 100


@pytest.mark.parametrize("max_groups", [10, 20_000])
def test_a_projection_said_to_answer_is_the_one_built(small_engines, max_groups) -> None:
    """`can_answer`, which exempts a rollup from the count, holds exactly when the rollup's
    projection is built from the second request and then answers."""
    engine = small_engines[1]
    query = ask(
        engine,
        "ashe_pay",
        axes=["occupation:soc2", "region"],
        measures=["mean_pay"],
        cut="gender:2",
    )
    source = engine.source_for(query)
    assert source.table != engine.sources["ashe_pay"][0].table
    resident = Resident(engine.catalog, max_groups=max_groups)
    instance = shared(engine.warehouse)
    assert instance is not None
    with instance.cursor() as cursor:
        answers = [resident.fetch(engine.reader, cursor, query, source) for _ in range(2)]
    assert answers[0] is None
    assert (answers[1] is not None) is resident.can_answer(query, source)
    assert resident.can_answer(query, source) is (max_groups > 10)
