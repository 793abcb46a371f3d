"""One status per cell: the same facts asked for by different routes give the same figure.

Hypothesis draws a cell (two members of two dimensions, under a cut on a third, one measure)
and two routes to it: two axes, the axes swapped, one axis with a point cut, with a
one-member set cut, with the inverse of the cut's complement (a double inversion), and
`/aggregate` with a point cut; each route's margins too. Under the default protection
policy (`none`) every route gives the same value and flag. Under `table` the partners of a
table's own withheld cells make some routes differ, which the last test finds, so the
property is one that can fail.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import oracle
from lmi_cubes.cube_server.app import create_app
from support import model_with_protection

LEVELS = {  # axis spec -> the oracle column of its level
    "occupation:soc1": "soc1", "occupation:soc2": "soc2", "industry:sector6": "sector6",
    "industry:ind22": "ind22", "region:nation": "nation", "region:region": "region",
    "gender": "gender", "status": "status",
}  # fmt: skip
MEASURES = {
    "ashe_pay": ["employment", "mean_pay", "median_pay", "pay_decile", "mean_pay_at_age"],
    "ashe_hours": ["employment", "mean_hours"],
    "working_futures": ["employment", "employment_change", "total_requirement"],
}
ROUTES = ["two axes", "swapped", "point cut", "one-member set", "double inversion", "aggregate"]
Answer = tuple[Any, str]
MISSING: Answer = (None, "suppressed")
POLICY = "none"  # the policy the property holds under (set to "table", it fails)  # a route that lists no such cell: nothing published


@pytest.fixture(scope="module")
def cubes(tiny_dir: Path) -> oracle.Cubes:
    return oracle.Cubes(tiny_dir)  # only for member codes and paths, never for figures


@pytest.fixture(scope="module")
def clients(warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = {}
    for policy in ("none", "table"):
        model = model_with_protection(tmp_path_factory.mktemp(f"model-{policy}"), policy)
        config = {"WAREHOUSE": str(warehouse), "CACHE_MB": 0, "MODEL_DIR": str(model)}
        out[policy] = create_app(config).test_client()
    return out


class Hypothesis:
    """Choices drawn by Hypothesis (so that a failure shrinks to a small example)."""

    def __init__(self, draw: Any) -> None:
        self.draw = draw

    def one(self, items: list[Any]) -> Any:
        return self.draw(st.sampled_from(items))

    def coin(self) -> bool:
        return bool(self.draw(st.booleans()))

    def integer(self, low: int, high: int) -> int:
        return int(self.draw(st.integers(low, high)))


class Random(Hypothesis):
    """The same choices from a seeded generator, outside `@given`."""

    def __init__(self, seed: int) -> None:
        self.rng = np.random.default_rng(seed)

    def one(self, items: list[Any]) -> Any:
        return items[int(self.rng.integers(len(items)))]

    def coin(self) -> bool:
        return bool(self.rng.random() < 0.5)

    def integer(self, low: int, high: int) -> int:
        return int(self.rng.integers(low, high + 1))


class Cell:
    """Members a (of axis A) and b (of B), under `cut`, of one measure; or A's margin."""

    def __init__(self, cubes: oracle.Cubes, pick: Hypothesis) -> None:
        self.cubes = cubes
        self.cube = pick.one(list(MEASURES))
        self.measure = pick.one(MEASURES[self.cube])
        chosen: list[str] = []
        for _ in range(3):  # three axes of three different dimensions
            used = {x.split(":")[0] for x in chosen}
            chosen.append(pick.one([x for x in LEVELS if x.split(":")[0] not in used]))
        a_axis, b_axis, c_axis = chosen
        self.a_axis, self.b_axis = a_axis, b_axis
        self.a = pick.one(self.codes(a_axis))
        self.b_all = self.codes(b_axis)
        self.b = pick.one(self.b_all)
        self.margin = pick.coin()  # A's member over all of B instead
        self.cut = ""
        if pick.coin():
            c = pick.one(self.codes(c_axis))
            self.cut = f"{c_axis.split(':')[0]}:{self.path(c_axis, c)}"
        self.parameters = ""
        if self.measure == "pay_decile":
            self.parameters += f"&decile={pick.one(sorted(oracle.Z))}"
        if self.measure in ("mean_pay_at_age", "pay_decile"):
            self.parameters += f"&age={pick.integer(20, 65)}"
        if self.measure in oracle.PERIOD:
            start = pick.integer(2021, 2025)
            self.parameters += f"&from={start}&to={pick.integer(start + 1, 2027)}"

    def describe(self) -> dict[str, Any]:
        return {k: v for k, v in vars(self).items() if k not in ("cubes", "b_all")}

    def codes(self, axis: str) -> list[int]:
        return sorted(int(k) for k in self.cubes.frames[self.cube][LEVELS[axis]].unique())

    def path(self, axis: str, code: int) -> str:
        dim = axis.split(":")[0]
        return self.cubes.path(self.cube, dim, "default", LEVELS[axis], code)

    def b_cut(self, route: str) -> str:
        dim = self.b_axis.split(":")[0]
        b = self.path(self.b_axis, self.b)
        if route == "one-member set":
            return f"{dim}:{b};{b}"
        if route == "double inversion":
            others = [self.path(self.b_axis, k) for k in self.b_all if k != self.b]
            return f"!{dim}:{';'.join(others)}" if others else f"{dim}:{b}"
        return f"{dim}:{b}"


def join(*cuts: str) -> str:
    return "|".join(c for c in cuts if c)


def ask(client: Any, cell: Cell, route: str) -> Answer:
    """The cell's (value, flag) by one route."""
    base = f"/cube/{cell.cube}"
    measure = f"measure={cell.measure}{cell.parameters}"
    if route in ("two axes", "swapped"):
        rows, cols = (cell.a_axis, cell.b_axis)[:: 1 if route == "two axes" else -1]
        body = get(client, f"{base}/crosstab?rows={rows}&columns={cols}&{measure}&cut={cell.cut}")
        row_keys = [m["key"] for m in body["rows"]["members"]]
        col_keys = [m["key"] for m in body["columns"]["members"]]
        a, b = (cell.a, cell.b) if route == "two axes" else (cell.b, cell.a)
        if cell.margin:  # A's member over all of B: a row total or a column total
            if route == "two axes":
                found = row_keys.index(a) if a in row_keys else None
                return MISSING if found is None else answer(body["row_totals"][found])
            found = col_keys.index(b) if b in col_keys else None
            return MISSING if found is None else answer(body["column_totals"][found])
        if a not in row_keys or b not in col_keys:
            return MISSING
        return answer(body["cells"][row_keys.index(a)][col_keys.index(b)])
    b_cut = "" if cell.margin else cell.b_cut(route)
    if route == "aggregate":
        level = LEVELS[cell.a_axis]
        dim = cell.a_axis.split(":")[0]
        url = (
            f"{base}/aggregate?drilldown={cell.a_axis}&aggregates={cell.measure}"
            f"{cell.parameters}&cut={join(cell.cut, b_cut)}"
        )
        for record in get(client, url)["cells"]:
            if record[f"{dim}.{level}"] == cell.a:
                return record[cell.measure], record["flag"]
        return MISSING
    body = get(client, f"{base}/crosstab?rows={cell.a_axis}&{measure}&cut={join(cell.cut, b_cut)}")
    keys = [m["key"] for m in body["rows"]["members"]]
    return MISSING if cell.a not in keys else answer(body["cells"][keys.index(cell.a)][0])


def answer(cell: dict[str, Any]) -> Answer:
    return cell["value"], cell["flag"]


def get(client: Any, url: str) -> dict[str, Any]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.get_json())
    return response.get_json()


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.large_base_example,
    ],
)
@given(data=st.data())
def test_the_same_facts_give_the_same_figure_by_every_route(cubes, clients, data) -> None:
    cell = Cell(cubes, Hypothesis(data.draw))
    answers = {route: ask(clients[POLICY], cell, route) for route in ROUTES}
    assert len(set(answers.values())) == 1, (cell.describe(), answers)


@pytest.mark.parametrize("level", ["soc2", "soc4"])
def test_the_v1_api_publishes_an_occupations_pay_as_the_crosstab_does(clients, level) -> None:
    """`/api/v1/ashe/estimatePay` (no coarser fallback) shows an occupation's mean pay
    exactly when, and as, the cross-tab of that level shows it."""
    body = get(clients["none"], f"/cube/ashe_pay/crosstab?rows=occupation:{level}&measure=mean_pay")
    withheld = 0
    for member, (cell,) in zip(body["rows"]["members"], body["cells"], strict=True):
        v1 = get(clients["none"], f"/api/v1/ashe/estimatePay?soc={member['key']}")
        assert v1["soc"] == member["key"]
        shown = v1["series"][-1]["estpay"] if v1["series"] else None
        assert shown == (None if cell["flag"] == "suppressed" else cell["value"]), member
        withheld += shown is None
    assert withheld > 0 or level == "soc2"  # unit groups include withheld cells


def test_under_the_table_policy_routes_disagree(cubes, clients) -> None:
    """The same comparison finds differences once partners are withheld per table: a cell
    shown by one route is withheld by another."""
    pick = Random(7)
    differ = 0
    for _ in range(60):
        cell = Cell(cubes, pick)
        answers = {route: ask(clients["table"], cell, route) for route in ROUTES}
        differ += len(set(answers.values())) > 1
    assert differ > 0


@pytest.mark.parametrize("policy", ["none", "table"])
def test_every_response_names_its_policy(clients, policy) -> None:
    client = clients[policy]
    csv = client.get("/cube/ashe_pay/crosstab?rows=gender&measure=mean_pay&format=csv")
    assert csv.status_code == 200 and csv.headers["X-Protection-Policy"] == policy
    aggregate = client.get("/cube/ashe_pay/aggregate?drilldown=gender&aggregates=mean_pay")
    assert aggregate.headers["X-Protection-Policy"] == policy
    assert aggregate.get_json()["protection"] == policy
    model = client.get("/cube/working_futures/model").get_json()
    assert model["reliability"]["protection"] == policy
    crosstab = get(client, "/cube/ashe_hours/crosstab?rows=status&measure=mean_hours")
    assert crosstab["policy"]["protection"] == policy
