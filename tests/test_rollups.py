"""Rollup tables: the routing rule case by case, and identical answers from every table."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from lmi_cubes.aggregates.engine import Engine
from lmi_cubes.aggregates.lru import Memo
from lmi_cubes.aggregates.resident import (
    PROJECTION_GROUPS,
    Resident,
    estimated_groups,
    worth_building,
)
from lmi_cubes.aggregates.rollups import can_answer, choose
from lmi_cubes.model.errors import QueryError
from lmi_cubes.model.loader import load_model
from lmi_cubes.warehouse.files import open_read_only, shared
from support import ask


@pytest.fixture(scope="module")
def engines(warehouse):
    model = load_model()
    return (
        Engine(model, open_read_only(warehouse), use_rollups=False),
        Engine(model, open_read_only(warehouse), use_rollups=True),
    )


def routed(engine: Engine, cube: str, **kwargs) -> str:
    query = ask(engine, cube, **kwargs)
    return choose(query, engine.sources[cube], engine.catalog).table


@pytest.mark.parametrize(
    ("cube", "kwargs", "table"),
    [
        # coarse axes with no cuts: the smallest table holding both dimensions
        (
            "ashe_pay",
            dict(axes=["occupation:soc1", "region:nation"], measures=["mean_pay"]),
            "rollup_ashe_pay_soc1_sector",
        ),
        # soc2 is finer than soc1_sector keeps, and only soc2_ind22 also keeps region
        (
            "ashe_pay",
            dict(
                axes=["occupation:soc2", "industry:ind22"],
                measures=["mean_pay"],
                cut="region:1,1,1",
            ),
            "rollup_ashe_pay_soc2_ind22",
        ),
        # unit groups by region: the occupation x region table
        (
            "ashe_pay",
            dict(axes=["occupation:soc4", "region"], measures=["employment"]),
            "rollup_ashe_pay_occupation_region",
        ),
        # ...but a cut on industry needs a table that keeps industry
        (
            "ashe_pay",
            dict(
                axes=["occupation:soc4", "region:nation"], measures=["employment"], cut="industry:2"
            ),
            "rollup_ashe_pay_soc4_ind22_region",
        ),
        # ...at the cut's level: no rollup keeps unit groups, regions and 75 industries
        (
            "ashe_pay",
            dict(
                axes=["occupation:soc4", "region:nation"],
                measures=["employment"],
                cut="industry:2,5,6",
            ),
            "fact_ashe_pay",
        ),
        # a cut at a level the rollup keeps whole members of is fine
        (
            "ashe_pay",
            dict(
                axes=["occupation:soc2"], measures=["employment"], cut="industry:2,5|region:1,1,1"
            ),
            "rollup_ashe_pay_soc2_ind22",
        ),
        # a cut finer than the rollup's level cannot be answered by it
        (
            "ashe_pay",
            dict(axes=["occupation:soc2"], measures=["employment"], cut="industry:2,5,6"),
            "rollup_ashe_pay_occupation_industry",
        ),
        # an inverted cut of whole members is aligned too
        (
            "ashe_pay",
            dict(axes=["gender"], measures=["employment"], cut="!occupation:9"),
            "rollup_ashe_pay_soc1_sector",
        ),
        # derived aggregates route like the sums they read
        (
            "ashe_pay",
            dict(axes=["occupation:soc4"], measures=["median_pay"], cut="gender:2|region:1,1,1"),
            "rollup_ashe_pay_occupation_region",
        ),
        # replacement demand needs sub-major groups and years
        (
            "working_futures",
            dict(
                axes=["region:nation"],
                measures=["replacement_demand"],
                year_from=2022,
                year_to=2025,
                cut="industry:2",
            ),
            "rollup_working_futures_soc2_ind22",
        ),
        (
            "working_futures",
            dict(
                axes=["occupation:soc1", "gender"],
                measures=["total_requirement"],
                year_from=2022,
                year_to=2025,
                cut="industry:2",
            ),
            "rollup_working_futures_soc2_ind22",
        ),
        # WF employment carries the default one-year cut
        (
            "working_futures",
            dict(axes=["occupation:soc4", "industry"], measures=["employment"]),
            "rollup_working_futures_occupation_industry",
        ),
        (
            "ashe_hours",
            dict(axes=["industry", "region"], measures=["mean_hours"]),
            "rollup_ashe_hours_no_occupation",
        ),
    ],
)
def test_the_smallest_able_table_is_chosen(engines, cube, kwargs, table):
    assert routed(engines[1], cube, **kwargs) == table


def test_a_rollup_without_a_needed_dimension_cannot_answer(engines):
    engine = engines[1]
    query = ask(engine, "ashe_pay", axes=["qualification"], measures=["employment"])
    by_name = {s.table: s for s in engine.sources["ashe_pay"]}
    assert not can_answer(query, by_name["rollup_ashe_pay_occupation_region"], engine.catalog)
    assert can_answer(query, by_name["rollup_ashe_pay_no_occupation"], engine.catalog)
    assert can_answer(query, by_name["fact_ashe_pay"], engine.catalog)


QUERIES = [
    (
        "ashe_pay",
        dict(axes=["occupation:soc1", "region:nation"], measures=["mean_pay", "employment"]),
    ),
    (
        "ashe_pay",
        dict(axes=["occupation:soc2", "industry:ind22"], measures=["median_pay"], fallback=True),
    ),
    (
        "ashe_pay",
        dict(axes=["occupation:soc4", "region"], measures=["employment"], cut="gender:2|status:2"),
    ),
    (
        "ashe_pay",
        dict(
            axes=["occupation:soc3", "qualification@nqf:nqf6"], measures=["mean_pay"], fallback=True
        ),
    ),
    (
        "ashe_pay",
        dict(
            axes=["industry:ind75"], measures=["pay_decile"], decile=90, age=40, cut="occupation:2"
        ),
    ),
    (
        "ashe_pay",
        dict(
            axes=["occupation:soc2"],
            measures=["mean_pay_at_age"],
            age=25,
            cut="industry:2,5|gender:1",
        ),
    ),
    (
        "ashe_pay",
        dict(axes=["gender", "status"], measures=["mean_pay"], cut="!occupation:9|region:1,1"),
    ),
    ("ashe_hours", dict(axes=["industry", "region"], measures=["mean_hours"], fallback=True)),
    (
        "ashe_hours",
        dict(
            axes=["occupation:soc4", "gender"],
            measures=["mean_hours", "employment"],
            cut="region:1,3",
        ),
    ),
    ("working_futures", dict(axes=["occupation:soc4", "industry:ind22"], measures=["employment"])),
    (
        "working_futures",
        dict(axes=["occupation:soc1", "year"], measures=["employment"], cut="region:1,1,1"),
    ),
    (
        "working_futures",
        dict(
            axes=["region:nation", "qualification"],
            measures=["total_requirement"],
            year_from=2021,
            year_to=2027,
        ),
    ),
    (
        "working_futures",
        dict(
            axes=["occupation:soc3"],
            measures=["replacement_demand", "expansion_demand"],
            year_from=2023,
            year_to=2026,
            cut="gender:2",
        ),
    ),
]


@pytest.mark.parametrize(("cube", "kwargs"), QUERIES)
def test_rollups_and_base_facts_give_identical_answers(engines, cube, kwargs):
    base_engine, rollup_engine = engines
    base = base_engine.run(ask(base_engine, cube, **kwargs))
    fast = rollup_engine.run(ask(rollup_engine, cube, **kwargs))
    assert base.table.startswith("fact_")
    # regression: results once named the fact table whichever table answered
    assert fast.table == routed(rollup_engine, cube, **kwargs)
    assert (base.flags == fast.flags).all()
    for name, values in base.values.items():
        np.testing.assert_array_equal(values, fast.values[name])  # NaN == NaN here
    np.testing.assert_array_equal(base.fill_source, fast.fill_source)
    np.testing.assert_array_equal(base.fill_key, fast.fill_key)
    assert [(d, lv) for d, lv, _ in base.suggestions] == [(d, lv) for d, lv, _ in fast.suggestions]


def test_the_choice_is_the_smallest_table_that_can_answer(engines):
    engine = engines[1]
    for cube, kwargs in QUERIES:
        query = ask(engine, cube, **kwargs)
        able = [s for s in engine.sources[cube] if can_answer(query, s, engine.catalog)]
        chosen = choose(query, engine.sources[cube], engine.catalog)
        assert chosen.rows == min(s.rows for s in able), (cube, kwargs)


def test_the_remembered_choice_follows_the_cut_members_and_the_period(engines):
    """The engine remembers each choice by what `choose` reads of a query. Queries alike but
    for which members a cut keeps, or for asking a period, are each routed afresh."""
    engine = engines[1]
    axes = ["occupation:soc2", "gender"]
    queries = [
        ask(engine, "ashe_pay", axes=axes, measures=["employment"], cut=cut)
        for cut in ("industry:2", "industry:2,5", "!industry:2,5")
    ]
    period = ask(
        engine,
        "working_futures",
        axes=["region:nation"],
        measures=["replacement_demand"],
        cut="industry:2",
        year_from=2022,
        year_to=2025,
    )
    # the same query without its period, which the model's requests never make
    queries += [period, dataclasses.replace(period, year_from=None, year_to=None)]
    chosen = []
    for query in [*queries, *reversed(queries)]:
        expected = choose(query, engine.sources[query.cube.name], engine.catalog)
        assert engine.source_for(query) == expected, (query.cuts, query.year_from)
        chosen.append(expected.table)
    assert len(set(chosen)) >= 4


def test_most_of_those_queries_are_answered_by_a_rollup(engines):
    tables = [routed(engines[1], cube, **kwargs) for cube, kwargs in QUERIES]
    assert sum(t.startswith("rollup_") for t in tables) >= len(QUERIES) - 2


def test_rollups_build_rebuilds_in_place(warehouse, tmp_path):
    copy = tmp_path / "copy.duckdb"
    copy.write_bytes(warehouse.read_bytes())
    done = subprocess.run(
        [sys.executable, "-m", "lmi_cubes.cli", "rollups", "build", "--warehouse", str(copy)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "rollup_ashe_pay_soc2_ind22=" in done.stderr
    engine = Engine(load_model(), open_read_only(copy))
    assert len(engine.sources["working_futures"]) == 7


@st.composite
def random_query(draw, engine: Engine):
    """A random valid query: any cube, one or two axes at any level, cuts of every kind."""
    model = engine.model
    cube = draw(st.sampled_from(model.cubes))
    dims = draw(
        st.lists(
            st.sampled_from(cube.dimensions), min_size=1, max_size=2, unique_by=lambda d: d.name
        )
    )
    axes = [f"{d.name}:{draw(st.sampled_from(d.levels)).name}" for d in dims]
    measure = draw(st.sampled_from([a for a in cube.aggregates if a.public]))
    kwargs = {"axes": axes, "measures": [measure.name], "fallback": draw(st.booleans())}
    if "age" in measure.parameters or (
        measure.derived == "pay_distribution" and draw(st.booleans())
    ):
        kwargs["age"] = draw(st.integers(20, 65))
    if "decile" in measure.parameters:
        kwargs["decile"] = draw(st.sampled_from([10, 20, 30, 40, 50, 60, 70, 80, 90]))
    if "from" in measure.parameters:
        years = [
            m.key
            for m in engine.catalog.members(
                cube.dimension("year", "x"), cube.dimension("year", "x").finest
            )
        ]
        y0, y1 = sorted(draw(st.lists(st.sampled_from(years), min_size=2, max_size=2, unique=True)))
        kwargs["year_from"], kwargs["year_to"] = y0, y1
    cuts = []
    for dim in draw(
        st.lists(st.sampled_from(cube.dimensions), max_size=2, unique_by=lambda d: d.name)
    ):
        hierarchy = dim.hierarchy(None, "x")
        depth = draw(st.integers(1, len(hierarchy.levels)))
        table = engine.catalog.table(dim)
        row = table.records()[draw(st.integers(0, len(table) - 1))]
        path = ",".join(str(int(row[lv.key])) for lv in hierarchy.levels[:depth])
        cuts.append(("!" if draw(st.booleans()) else "") + f"{dim.name}:{path}")
    if cuts:
        kwargs["cut"] = "|".join(cuts)
    return cube.name, kwargs


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_random_queries_give_identical_answers_from_rollups_and_facts(engines, data):
    base_engine, rollup_engine = engines
    cube, kwargs = data.draw(random_query(base_engine))
    try:
        query = ask(base_engine, cube, **kwargs)
    except QueryError:
        assume(False)  # e.g. a cut that leaves nothing, or a year on the axis of a change
        return
    base = base_engine.run(query)
    fast = rollup_engine.run(ask(rollup_engine, cube, **kwargs))
    assert (base.flags == fast.flags).all()
    for name, values in base.values.items():
        np.testing.assert_array_equal(values, fast.values[name])
    np.testing.assert_array_equal(base.fill_source, fast.fill_source)
    np.testing.assert_array_equal(base.fill_key, fast.fill_key)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_resident_rollups_sum_exactly_what_duckdb_sums(engines, data):
    """Small rollups are summed in process memory: same groups, bit-identical sums."""
    _, rollup_engine = engines
    duckdb_only = Engine(
        rollup_engine.model, rollup_engine.warehouse, use_rollups=True, use_resident=False
    )
    # every projection built at its first request, however large
    eager = Resident(rollup_engine.catalog, admit_after=1, max_groups=10**9)
    cube, kwargs = data.draw(random_query(rollup_engine))
    try:
        query = ask(rollup_engine, cube, **kwargs)
    except QueryError:
        assume(False)
        return
    source = rollup_engine.source_for(query)
    instance = shared(rollup_engine.warehouse)
    assert instance is not None
    with instance.cursor() as cursor:
        summed_here = eager.fetch(rollup_engine.reader, cursor, query, source)
    assume(summed_here is not None)  # a base table, no axes, or a shape DuckDB must sum
    if query.year_from is not None:
        summed_here = rollup_engine._period(query, summed_here)
    resident = rollup_engine._grid(query, summed_here)
    summed = duckdb_only._grid(query, duckdb_only._fetch(query, source))
    assert resident.keys() == summed.keys()
    for name, grid in summed.items():
        np.testing.assert_array_equal(resident[name], grid)


def test_rollup_answers_are_summed_from_resident_projections(engines):
    _, rollup_engine = engines
    rollup_engine.resident.clear()
    query = ask(rollup_engine, "ashe_pay", axes=["occupation:soc1"], measures=["mean_pay"])
    source = rollup_engine.source_for(query)
    assert source.table.startswith("rollup_")
    first = rollup_engine.run(query)
    # a set of columns asked for once is answered by the SQL, with its cuts in the scan
    assert not [k for k in rollup_engine.resident.projections._items if k[0] == source.table]
    again = rollup_engine.run(query)
    cached = [k for k in rollup_engine.resident.projections._items if k[0] == source.table]
    assert cached and all(rollup_engine.resident.projections.lookup(k)[1] for k in cached)
    # the projection is the rollup summed down to the columns the query uses
    assert ("rollup_ashe_pay_soc1_sector", None, ("occupation",)) in cached
    for name, values in first.values.items():
        np.testing.assert_array_equal(values, again.values[name])


# a query on soc3_sector_region whose projection has more than 10 groups
OVER_TEN_GROUPS = dict(
    axes=["occupation:soc2", "region"], measures=["mean_pay"], cut="industry:1|gender:2"
)


def test_large_projections_are_never_built_and_the_sql_answers(engines):
    """A projection estimated above the limit is left to the SQL, however often asked."""
    base_engine, rollup_engine = engines
    kwargs = OVER_TEN_GROUPS
    query = ask(rollup_engine, "ashe_pay", **kwargs)
    source = rollup_engine.source_for(query)
    assert source.table == "rollup_ashe_pay_soc3_sector_region"
    small = Resident(rollup_engine.catalog, max_groups=10)
    instance = shared(rollup_engine.warehouse)
    assert instance is not None
    with instance.cursor() as cursor:
        for _ in range(3):
            assert small.fetch(rollup_engine.reader, cursor, query, source) is None
        assert len(small.projections) == 0
        # with room for it, the second request builds it
        roomy = Resident(rollup_engine.catalog)
        assert roomy.fetch(rollup_engine.reader, cursor, query, source) is None
        assert roomy.fetch(rollup_engine.reader, cursor, query, source) is not None
    assert len(roomy.projections) == 1
    base = base_engine.run(ask(base_engine, "ashe_pay", **kwargs))
    for name, values in rollup_engine.run(query).values.items():
        np.testing.assert_array_equal(values, base.values[name])


def test_a_projections_estimated_size_is_worked_out_once_per_set_of_columns(engines):
    """A set of columns too large to build comes again and again; its estimate is kept, so
    the catalog's members are not counted on every request."""
    _, rollup_engine = engines
    query = ask(rollup_engine, "ashe_pay", **OVER_TEN_GROUPS)
    source = rollup_engine.source_for(query)
    small = Resident(rollup_engine.catalog, max_groups=10)
    counted: list[str] = []
    distinct = small._distinct

    def counting(query, source, dim_name, years):
        counted.append(dim_name)
        return distinct(query, source, dim_name, years)

    small._distinct = counting  # type: ignore[method-assign]
    instance = shared(rollup_engine.warehouse)
    assert instance is not None
    with instance.cursor() as cursor:
        for _ in range(3):
            assert small.fetch(rollup_engine.reader, cursor, query, source) is None
    assert sorted(counted) == ["gender", "industry", "occupation", "region"]


def test_what_the_engine_works_out_per_shape_stays_bounded(warehouse):
    """The SQL text, labels, choices, position tables and size estimates are each kept in a
    memo of bounded entries: many request shapes never grow them past it."""
    engine = Engine(load_model(), open_read_only(warehouse), use_rollups=True)
    memos = [m for o in (engine, engine.resident) for m in vars(o).values() if isinstance(m, Memo)]
    assert len(memos) == 5
    for memo in memos:
        memo.limit = 2
    shapes = [kwargs for cube, kwargs in QUERIES if cube == "ashe_pay"]
    for kwargs in shapes * 3:  # the second request of a set of columns builds its projection
        engine.run(ask(engine, "ashe_pay", **kwargs))
        assert all(len(memo) <= 2 for memo in memos)
    assert all(memos), "every memo was used"


@pytest.mark.parametrize(
    ("sizes", "rows", "groups"),
    [
        ([], 500, 1),  # no columns: one group
        ([25, 12, 2], 10**6, 600),  # the product of the columns' distinct keys
        ([25, 12, 2], 100, 100),  # never more than the rows summed
        ([369, 75, 3, 2], 108_115, 108_115),
        ([0, 12], 1000, 12),  # an empty level counts as one key
    ],
)
def test_estimated_groups(sizes, rows, groups):
    assert estimated_groups(sizes, rows) == groups


@pytest.mark.parametrize(
    ("groups", "asked_before", "built"),
    [
        (10, False, False),  # first request of a set of columns: the SQL answers
        (10, True, True),  # asked before and small: built, then kept
        (PROJECTION_GROUPS, True, True),
        (PROJECTION_GROUPS + 1, True, False),  # too large to keep: always the SQL
        (PROJECTION_GROUPS + 1, False, False),
    ],
)
def test_worth_building(groups, asked_before, built):
    assert worth_building(groups, asked_before) is built


def test_a_rollup_no_smaller_than_the_facts_is_never_chosen(engines):
    engine = engines[1]
    query = ask(
        engine, "ashe_pay", axes=["occupation:soc1", "region:nation"], measures=["mean_pay"]
    )
    facts, *rollups = engine.sources["ashe_pay"]
    chosen = choose(query, [facts, *rollups], engine.catalog)
    assert chosen.table == "rollup_ashe_pay_soc1_sector"
    for rows in (facts.rows, facts.rows + 1):
        grown = [dataclasses.replace(s, rows=rows) if s == chosen else s for s in rollups]
        again = choose(query, [facts, *grown], engine.catalog)
        assert again.table != chosen.table  # another, smaller rollup answers
        assert again.rows < facts.rows
    every = [dataclasses.replace(s, rows=facts.rows) for s in rollups]
    assert choose(query, [facts, *every], engine.catalog) == facts


def test_rollups_keep_the_facts_decimal_type_for_their_sums(wh_con):
    types = dict(
        wh_con.execute(
            "SELECT table_name || '.' || column_name, data_type FROM duckdb_columns() "
            "WHERE column_name IN ('employment', 'paybill', 'total_hours')"
        ).fetchall()
    )
    rollups = {name: kind for name, kind in types.items() if name.startswith("rollup_")}
    assert len(rollups) >= 20
    for name, kind in rollups.items():
        fact = {"ashe_pay": "fact_ashe_pay", "ashe_hours": "fact_ashe_hours"}.get(
            name.split("_")[1] + "_" + name.split("_")[2], "fact_wf_employment"
        )
        assert kind == types[f"{fact}.{name.split('.')[1]}"] == "DECIMAL(18,6)", name
