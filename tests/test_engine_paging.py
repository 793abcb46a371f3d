"""The engine orders and pages result cells: checked against pandas over the source rows.

The expected order is computed independently: pandas sums the source rows per cell, rounds
them as published, and sorts with a stable sort after the natural order (every level's key
from the top down, the first axis slowest), missing (withheld) values last. Which cells are
withheld is taken from the engine; suppression itself is checked in test_engine.py.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

import oracle
from lmi_cubes.aggregates.engine import Engine
from lmi_cubes.aggregates.paging import MAX_PAGE_SIZE
from lmi_cubes.aggregates.result import Result
from lmi_cubes.model.errors import QueryError
from lmi_cubes.model.loader import load_model
from lmi_cubes.warehouse.files import open_read_only
from support import ask

AXES = ["occupation:soc2", "gender"]
CUT = "status:2|qualification:3"  # part-time, low qualifications: about half withheld


@pytest.fixture(scope="module")
def engine(warehouse) -> Engine:
    return Engine(load_model(), open_read_only(warehouse), vintage="test")


@pytest.fixture(scope="module")
def cells(engine, pay, tiny_dir: Path) -> pd.DataFrame:
    """One row per (soc2, gender) cell of AXES in natural order, with its attributes and
    its published employment and mean pay (None where the engine withholds the cell)."""
    result = engine.run(
        ask(engine, "ashe_pay", axes=AXES, measures=["employment", "mean_pay"], cut=CUT)
    )
    soc = pd.read_csv(tiny_dir / "soc2010.csv").drop_duplicates("soc2")
    genders = pd.read_csv(tiny_dir / "genders.csv")
    frame = soc[["soc1", "soc1_title", "soc2", "soc2_title"]].merge(genders, how="cross")
    frame = frame[frame.soc2.isin(result.query.axes[0].keys)]
    rows = pay[(pay.status == 2) & (pay.broad3 == 3)]
    sums = rows.groupby(["soc2", "gender"])[["Employment", "PayBill"]].sum().reset_index()
    frame = frame.merge(sums, on=["soc2", "gender"], how="left").fillna(0.0)
    frame = frame.sort_values(["soc1", "soc2", "gender"], ignore_index=True)
    withheld = [_withheld(result, r.soc2, r.gender) for r in frame.itertuples()]
    frame["employment"] = [
        None if w else oracle.round_to(e, 10)
        for w, e in zip(withheld, frame.Employment, strict=True)
    ]
    frame["mean_pay"] = [
        None if w else oracle.round_to(p / e, 10)
        for w, p, e in zip(withheld, frame.PayBill, frame.Employment, strict=True)
    ]
    assert sum(withheld) > 0 and frame.employment.notna().sum() > 10  # both kinds present
    return frame


def _withheld(result: Result, soc2: int, gender: int) -> bool:
    i = result.query.axes[0].keys.index(soc2)
    j = result.query.axes[1].keys.index(gender)
    return bool(math.isnan(result.values["employment"][i, j]))


def expected(frame: pd.DataFrame, order: list[tuple[str, str]]) -> list[tuple[int, int]]:
    """(soc2, gender) in the independent order: stable sorts, last key first, None last."""
    rows = list(frame.itertuples(index=False))
    for field, direction in reversed(order):
        column = {"occupation": "soc2", "gender": "gender"}.get(field, field.split(".")[-1])
        present = [r for r in rows if not pd.isna(getattr(r, column))]
        missing = [r for r in rows if pd.isna(getattr(r, column))]
        present.sort(key=lambda r: getattr(r, column), reverse=direction == "desc")
        rows = present + missing
    return [(int(r.soc2), int(r.gender)) for r in rows]


def ordered(engine: Engine, **fields) -> tuple[Result, list[tuple[int, int]]]:
    result = engine.run(
        ask(engine, "ashe_pay", axes=AXES, measures=["employment", "mean_pay"], cut=CUT, **fields)
    )
    soc2, gender = (a.keys for a in result.query.axes)
    return result, [(soc2[i], gender[j]) for i, j in result.page().positions]


def test_natural_order_without_an_order(engine, cells):
    result, got = ordered(engine)
    assert got == expected(cells, [])
    page = result.page()
    assert (page.total, page.number, page.size) == (len(cells), 0, len(cells))


@pytest.mark.parametrize(
    "order",
    [
        [("employment", "desc")],
        [("employment", "asc")],
        [("mean_pay", "desc"), ("employment", "asc")],
        [("gender", "desc"), ("mean_pay", "asc")],  # rounded pay ties often
        [("occupation.soc1_title", "asc")],  # many soc2 share a soc1: ties keep natural order
        [("occupation.soc1_title", "desc"), ("occupation.soc2_title", "asc")],
        [("occupation", "desc"), ("gender.gender_title", "asc")],
    ],
)
def test_order_matches_pandas(engine, cells, order):
    _, got = ordered(engine, order=order)
    assert got == expected(cells, order)


def test_ties_keep_the_natural_order(engine, cells):
    """Ordering by gender only: within a gender, cells stay in soc1, soc2 order."""
    _, got = ordered(engine, order=[("gender.gender_title", "asc")])  # Female before Male
    female = [(s, g) for s, g in expected(cells, []) if g == 2]
    male = [(s, g) for s, g in expected(cells, []) if g == 1]
    assert got == female + male


def test_withheld_values_come_last_in_both_directions(engine, cells):
    for direction in ("asc", "desc"):
        _, got = ordered(engine, order=[("employment", direction)])
        values = cells.set_index(["soc2", "gender"]).employment
        tail = [values[k] for k in got[-int(values.isna().sum()) :]]
        assert all(pd.isna(v) for v in tail)
        shown = [values[k] for k in got if not pd.isna(values[k])]
        assert shown == sorted(shown, reverse=direction == "desc")


@pytest.mark.parametrize("size", [1, 7, 10])
def test_pages_cover_the_order_and_the_last_is_partial(engine, cells, size):
    order = [("mean_pay", "desc")]
    whole = expected(cells, order)
    pages, number = [], 0
    while True:
        result, got = ordered(engine, order=order, page=number, page_size=size)
        page = result.page()
        assert (page.total, page.number, page.size) == (len(cells), number, size)
        if not got:
            break
        pages.append(got)
        number += 1
    assert [k for p in pages for k in p] == whole
    assert len(pages) == math.ceil(len(cells) / size)
    assert all(len(p) == size for p in pages[:-1])
    assert len(pages[-1]) == len(cells) - size * (len(pages) - 1)


def test_a_page_past_the_last_is_empty(engine, cells):
    result, got = ordered(engine, page=10**6, page_size=MAX_PAGE_SIZE)
    assert got == [] and result.page().total == len(cells)


@pytest.mark.parametrize(
    ("fields", "field", "choice"),
    [
        ({"order": [("occupation.shoe", "asc")]}, "order", "occupation.soc1_title"),
        ({"order": [("occupation.soc3", "asc")]}, "order", "occupation.soc2"),  # not on the axis
        ({"order": [("median_pay", "asc")]}, "order", "mean_pay"),  # not a measure asked for
        ({"order": [("region", "asc")]}, "order", "gender"),
        ({"order": [("employment", "up")]}, "order", "desc"),
        ({"page": -1}, "page", "0.."),
        ({"page_size": 0}, "page_size", f"1..{MAX_PAGE_SIZE}"),
        ({"page_size": MAX_PAGE_SIZE + 1}, "page_size", f"1..{MAX_PAGE_SIZE}"),
    ],
)
def test_bad_order_and_page_name_the_field_and_the_choices(engine, fields, field, choice):
    with pytest.raises(QueryError) as caught:
        ask(engine, "ashe_pay", axes=AXES, measures=["employment", "mean_pay"], **fields)
    error = caught.value
    assert error.parameter == field and choice in error.choices
    text = str(error)
    assert "pagesize" not in text and "400" not in text  # no HTTP vocabulary
    if field == "order":
        name, direction = fields["order"][0]
        assert repr(direction if direction == "up" else name) in error.message


def test_order_fields_list_measures_then_attributes_then_dimensions(engine):
    with pytest.raises(QueryError) as caught:
        ask(engine, "ashe_pay", axes=AXES, measures=["mean_pay"], order=[("x", "asc")])
    assert caught.value.choices == [
        "mean_pay",
        "occupation.soc1",
        "occupation.soc1_title",
        "occupation.soc2",
        "occupation.soc2_title",
        "gender.gender",
        "gender.gender_title",
        "occupation",
        "gender",
    ]


def test_natural_order_follows_the_axis_hierarchy(engine, tiny_dir):
    """qualification@nqf: every qualification under its NQF level, not by its own key."""
    query = ask(
        engine, "ashe_pay", axes=["qualification@nqf:qualification"], measures=["employment"]
    )
    keys = query.axes[0].keys
    got = [keys[i] for (i,) in engine.cells(query).page().positions]
    frame = pd.read_csv(tiny_dir / "qualifications.csv")
    frame = frame[frame.qualification.isin(keys)].sort_values(["nqf6", "qualification"])
    assert got == list(frame.qualification)
    assert got != sorted(got), "the hierarchy must reorder the keys for this test to mean anything"
    assert "qualification.nqf6_title" in engine.cells(query).fields
    assert "qualification.broad3" not in engine.cells(query).fields


def test_cells_without_values_order_by_attributes_only(engine):
    """Members are ordered without running the query: a measure is then no order key."""
    query = ask(engine, "ashe_pay", axes=["gender"], measures=["employment"])
    cells = engine.cells(query)
    assert [p for (p,) in cells.page(cells.resolve([("gender", "desc")])).positions] == [1, 0]
    with pytest.raises(QueryError) as caught:
        cells.page(cells.resolve([("employment", "asc")]))
    assert caught.value.parameter == "order" and "gender.gender_title" in caught.value.choices


def test_a_query_without_axes_has_one_cell(engine):
    result = engine.run(ask(engine, "ashe_pay", measures=["employment"], page_size=5))
    page = result.page()
    assert page.positions == ((),) and (page.total, page.size) == (1, 5)


def test_a_level_outside_the_default_hierarchy_orders_in_its_own(engine):
    """`qualification:nqf6` names no hierarchy; nqf6 is not in the default one (broad3)."""
    query = ask(
        engine,
        "ashe_pay",
        axes=["qualification:nqf6"],
        measures=["employment"],
        order=[("qualification.nqf6_title", "desc")],
    )
    keys = query.axes[0].keys
    titles = {
        k: engine.catalog.label(query.axes[0].dimension, query.axes[0].level, k) for k in keys
    }
    got = [keys[i] for (i,) in engine.run(query).page().positions]
    assert got == sorted(keys, key=titles.__getitem__, reverse=True)
    assert "qualification.broad3" not in engine.cells(query).fields
