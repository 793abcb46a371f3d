"""The cross-tab data path: work done only for the callers that show it, flags as codes
rendered under their public names, exact sums on the dense path, one version read and one
cube look-up per request."""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from lmi_cubes.aggregates.engine import Engine
from lmi_cubes.aggregates.go_up import roll_up
from lmi_cubes.aggregates.reliability import LABELS, Flag, name_of
from lmi_cubes.aggregates.resident import Grid, Resident
from lmi_cubes.cube_server.app import create_app
from lmi_cubes.model import Model
from lmi_cubes.model.loader import load_model
from lmi_cubes.warehouse.files import open_read_only, shared
from lmi_cubes.warehouse.reader import Reader
from support import ask

# a cross-tab of the tiny data with withheld cells, each with a coarser level to go up to
WITHHELD = "/cube/ashe_pay/crosstab?rows=occupation:soc4&columns=region:region&measure=mean_pay"


@pytest.fixture(scope="module")
def uncached(warehouse: Path) -> Any:
    """A client of an app without the response cache: every request is computed."""
    return create_app({"WAREHOUSE": str(warehouse), "CACHE_MB": 0}).test_client()


@pytest.fixture()
def go_up_calls(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Counts the engine's searches for coarser levels ("go up a level")."""
    calls: Counter[str] = Counter()
    search = Engine._go_up

    def counted(self: Engine, query: Any, *args: Any) -> None:
        calls["go_up"] += 1
        search(self, query, *args)

    monkeypatch.setattr(Engine, "_go_up", counted)
    return calls


def test_only_responses_that_show_go_up_choices_look_for_them(uncached, go_up_calls) -> None:
    body = uncached.get(WITHHELD).get_json()
    assert any("go_up" in c for row in body["cells"] for c in row)
    assert go_up_calls["go_up"] == 1
    go_up_calls.clear()
    for path in [
        WITHHELD + "&format=csv",
        WITHHELD + "&format=csv&layout=wide",
        "/cube/ashe_pay/aggregate?drilldown=occupation:soc4|region:region&format=csv",
        "/api/v1/ashe/estimatePay?soc=2231&breakdown=region",
        "/api/v1/ashe/estimatePay?soc=2231&breakdown=gender",
        "/api/v1/ashe/estimateHours?soc=1171&coarse=true",
        "/api/v1/wf/predict/breakdown/region?soc=2231",
        "/api/v1/wf/replacement_demand?soc=2231",
    ]:
        response = uncached.get(path)
        assert response.status_code == 200, path
        assert go_up_calls["go_up"] == 0, path
    # with fallback a CSV shows fills, which come from the coarser levels
    text = uncached.get(WITHHELD + "&format=csv&fallback=true").get_data(as_text=True)
    assert go_up_calls["go_up"] == 1
    assert any(r["filled_from"] for r in csv.DictReader(io.StringIO(text)))


def test_flag_codes_have_the_public_names() -> None:
    assert [f.label for f in Flag] == [
        "reliable",
        "low_reliability",
        "suppressed",
        "not_applicable",
    ]
    assert tuple(f.label for f in Flag) == LABELS
    grid = np.array([[2, 0], [1, 3]], dtype=np.int8)
    assert name_of(grid).tolist() == [
        ["suppressed", "reliable"],
        ["low_reliability", "not_applicable"],
    ]


@pytest.mark.parametrize("fallback", ["false", "true"])
def test_csv_columns_say_what_the_json_cells_say(uncached, fallback: str) -> None:
    """The CSV is written from the result's arrays: every cell's value, flag, fill and
    wide-layout symbol agree with the JSON cell of the same request."""
    base = WITHHELD + f"&fallback={fallback}"
    body = uncached.get(base).get_json()
    cells = {
        (r["key"], c["key"]): cell
        for r, row in zip(body["rows"]["members"], body["cells"], strict=True)
        for c, cell in zip(body["columns"]["members"], row, strict=True)
    }
    tidy = list(csv.DictReader(io.StringIO(uncached.get(base + "&format=csv").get_data(True))))
    inner = [r for r in tidy if r["occupation_soc4_code"] and r["region_region_code"]]
    assert len(inner) == len(cells)
    seen = Counter()
    for r in inner:
        cell = cells[(int(r["occupation_soc4_code"]), int(r["region_region_code"]))]
        seen[cell["flag"]] += 1
        seen["filled"] += "filled_from" in cell
        assert r["flag"] == cell["flag"]
        assert r["value"] == ("" if cell["value"] is None else str(cell["value"]))
        fill = cell.get("filled_from")
        assert r["filled_from"] == (
            f"{fill['dimension']}:{fill['level']}:{fill['key']}" if fill else ""
        )
    # the request has cells of every kind its CSV must tell apart
    withheld = "suppressed" if fallback == "false" else "filled"
    assert seen[withheld] > 0 and seen["low_reliability"] > 0 and seen["reliable"] > 0
    wide = list(
        csv.reader(io.StringIO(uncached.get(base + "&format=csv&layout=wide").get_data(True)))
    )
    members = body["columns"]["members"]
    for line in wide[1:]:
        if not line[0]:
            continue  # the totals' row
        for j, member in enumerate(members):
            cell = cells[(int(line[0]), member["key"])]
            value, symbol = line[2 + 2 * j], line[3 + 2 * j]
            assert value == ("" if cell["value"] is None else str(cell["value"]))
            if "filled_from" in cell:
                want = "[f]"
            elif cell["flag"] == "not_applicable":
                want = "[z]"
            elif cell["value"] is None:
                want = "[x]"
            else:
                want = "[u]" if cell["flag"] == "low_reliability" else ""
            assert symbol == want


def _added_one_by_one(grid: np.ndarray, axis: int, to_parent: np.ndarray) -> np.ndarray:
    """Each parent as its children added in order, one at a time."""
    moved = np.moveaxis(grid, axis, 0)
    out = np.zeros((int(to_parent[-1]) + 1, *moved.shape[1:]))
    for child in range(len(to_parent) - 1):
        out[to_parent[child]] = out[to_parent[child]] + moved[child]
    out[-1] = moved[-1]
    return np.moveaxis(out, 0, axis)


@pytest.mark.parametrize("seed", range(6))
def test_roll_up_keeps_every_bit(seed: int) -> None:
    rng = np.random.default_rng(seed)
    shape = tuple(int(n) for n in rng.integers(2, 9, size=int(rng.integers(1, 4))))
    grid = rng.normal(0, 1, shape) * 10.0 ** rng.integers(-8, 12, shape)
    grid.flat[rng.integers(0, grid.size, 3)] = [np.nan, np.inf, 1e300]
    axis = int(rng.integers(0, len(shape)))
    parents = int(rng.integers(1, shape[axis]))
    to_parent = np.append(rng.integers(0, parents, shape[axis] - 1), parents)
    np.testing.assert_array_equal(
        roll_up(grid, axis, to_parent), _added_one_by_one(grid, axis, to_parent)
    )


def test_a_rollup_projection_is_summed_straight_into_the_grid(warehouse: Path) -> None:
    """No rows in between: the sums come dense over the axes' members, margins not yet
    added, and equal DuckDB's GROUP BY on the same rollup."""
    engine = Engine(load_model(), open_read_only(warehouse))
    eager = Resident(engine.catalog, admit_after=1, max_groups=10**9)
    query = ask(engine, "ashe_pay", axes=("occupation:soc1", "region:nation"), cut="gender:2")
    source = engine.source_for(query)
    assert source.table.startswith("rollup_")
    instance = shared(engine.warehouse)
    assert instance is not None
    with instance.cursor() as cursor:
        grid = eager.fetch(engine.reader, cursor, query, source)
    assert isinstance(grid, Grid)
    assert grid["employment"].shape == tuple(len(a.keys) for a in query.axes)
    # the same sums from the fact table, its keys mapped to the axes' levels here
    cube = engine.model.cube("ashe_pay")
    column = dict(cube.fact_keys)
    weight = cube.aggregate(cube.reliability.weight, "measure").measure
    with instance.cursor() as cursor:
        facts = cursor.execute(
            f'SELECT "{column["occupation"]}", "{column["region"]}", "{column["gender"]}", '
            f'"{weight}" FROM "{cube.fact}"'
        ).fetchall()
    to_soc1, to_nation, to_gender = (
        engine.catalog.level_of_fact_keys(dim, dim.level(level, "rows"))
        for dim, level in [
            (cube.dimension(name, "rows"), level)
            for name, level in [("occupation", "soc1"), ("region", "nation"), ("gender", "gender")]
        ]
    )
    want = np.zeros(grid["employment"].shape)
    for occupation, region, gender, employment in facts:
        if to_gender[gender] == 2 and employment is not None:
            i = query.axes[0].keys.index(to_soc1[occupation])
            j = query.axes[1].keys.index(to_nation[region])
            want[i, j] += float(employment)
    assert want.sum() > 0
    np.testing.assert_allclose(grid["employment"], want, rtol=1e-9)


def test_a_request_reads_the_version_once_and_looks_its_cube_up_once(
    uncached, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = uncached.application.extensions["lmi_cubes"]
    uncached.get(WITHHELD)  # the version is open
    counts: Counter[str] = Counter()
    version, cube = state.warehouse.version, Model.cube

    def read_version() -> Any:
        counts["version"] += 1
        return version()

    def look_up(self: Model, name: str) -> Any:
        counts["cube"] += 1
        return cube(self, name)

    monkeypatch.setattr(state.warehouse, "version", read_version)
    monkeypatch.setattr(Model, "cube", look_up)
    assert uncached.get(WITHHELD + "&cut=gender:2").status_code == 200
    assert counts == {"version": 1, "cube": 1}


@pytest.mark.parametrize("cut", ["status:3", "status:3|gender:2", "gender:2|status:3"])
def test_a_cut_that_keeps_no_facts_is_answered_without_a_statement(
    uncached, warehouse: Path, tiny_dir: Path, monkeypatch: pytest.MonkeyPatch, cut: str
) -> None:
    """The employees' survey has no self-employed: the answer is every cell withheld, from
    the catalog alone, the same bytes as the fact table's scan, and with or without rollups
    the same work: no rollup is chosen, no statement runs, the facts are named."""
    import pandas as pd

    statuses = set(pd.read_csv(tiny_dir / "ashe_pay_main.csv", usecols=["status"]).status)
    assert 3 not in statuses and {1, 2} <= statuses  # the source rows, read directly
    path = f"/cube/ashe_pay/crosstab?rows=occupation:soc1&columns=region:nation&cut={cut}"
    facts = create_app({"WAREHOUSE": str(warehouse), "CACHE_MB": 0, "USE_ROLLUPS": False})
    with monkeypatch.context() as patched:
        patched.setattr(Engine, "_keeps_no_facts", lambda self, query: False)
        scanned = facts.test_client().get(path)
    reads: Counter[str] = Counter()
    for owner, name in ((Reader, "columns"), (Resident, "fetch"), (Engine, "source_for")):
        original = getattr(owner, name)

        def counted(*args: Any, _original: Any = original, _name: str = name) -> Any:
            reads[_name] += 1
            return _original(*args)

        monkeypatch.setattr(owner, name, counted)
    known = uncached.get(path)
    assert known.status_code == scanned.status_code == 200
    assert known.data == scanned.data
    body = known.get_json()
    assert body["table"] == "fact_ashe_pay"
    assert {c["flag"] for row in body["cells"] for c in row} == {"suppressed"}
    assert sum(reads.values()) == 0
    # a cut that keeps facts still reads them, from the table the chooser picks
    kept = uncached.get(path.replace(cut, "status:1")).get_json()
    assert reads["source_for"] == 1 and reads["columns"] + reads["fetch"] >= 1
    assert kept["table"] != "fact_ashe_pay"
    # and the engine says beforehand which table each answer names
    engine = uncached.application.extensions["lmi_cubes"].current().engine
    for text, answer in ((cut, body), ("status:1", kept)):
        query = ask(engine, "ashe_pay", axes=("occupation:soc1", "region:nation"), cut=text)
        assert engine.table_for(query) == answer["table"]
