"""Hand-made source rows through the real ETL: threshold edges and the worked examples of
docs/reference.md, through the engine and through HTTP."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lmi_cubes.aggregates.engine import Engine
from lmi_cubes.aggregates.reliability import Flag, name_of
from lmi_cubes.cube_server.app import create_app
from lmi_cubes.etl import sources
from lmi_cubes.etl.load import load
from lmi_cubes.model.loader import load_model
from lmi_cubes.warehouse.files import open_read_only
from support import ask, copy_data, rewrite

HEADER = ",".join(sources.ASHE_PAY.header)
# year,gender,status,industry,occupation,geography,qualification,Employment,PayBill
ROWS = [
    "2023,1,1,1,1115,1,1,999,799200",
    "2023,1,1,1,1115,2,1,1000,800000",
    "2023,1,1,1,1115,3,1,9999,7999200",
    "2023,1,1,1,1115,4,1,10000,8000000",
    # a second small cell, so that no secondary suppression is needed on the region line
    "2023,1,1,1,1115,5,1,500,400000",
    "2023,1,1,1,3111,1,3,5000,4250000",
    # a mean that is not a multiple of GBP 10: 1,004
    "2023,2,1,1,2111,1,1,5000,5020000",
]
REFERENCE = Path(__file__).resolve().parents[1] / "docs" / "reference.md"


@pytest.fixture(scope="module")
def crafted(tiny_dir, tmp_path_factory) -> Path:
    data = copy_data(tiny_dir, tmp_path_factory.mktemp("crafted"))
    rewrite(data / sources.ASHE_PAY.file, lambda ls: ls.__setitem__(slice(None), [HEADER, *ROWS]))

    def set_distribution(lines: list[str]) -> None:
        for i, line in enumerate(lines):
            if line.startswith("4,1115,1,1,"):
                lines[i] = "4,1115,1,1,1.2,0.1"
            if line.startswith("4,2111,1,2,"):
                lines[i] = "4,2111,1,2,1.2,0.1"

    def set_age(lines: list[str]) -> None:
        for i, line in enumerate(lines):  # file coding: gender 1 male, status 1 full-time
            if line.startswith("3,1,1,1,33,"):
                lines[i] = "3,1,1,1,33,0.93143"

    rewrite(data / sources.ASHE_PAY_DISTRIBUTION.file, set_distribution)
    rewrite(data / sources.ASHE_AGE_RATIOS.file, set_age)
    target = tmp_path_factory.mktemp("crafted-wh") / "crafted.duckdb"
    load(data, target)
    return target


@pytest.fixture(scope="module")
def engine(crafted) -> Engine:
    return Engine(load_model(), open_read_only(crafted))


@pytest.fixture(scope="module")
def client(crafted):
    return create_app({"WAREHOUSE": str(crafted), "CACHE_MB": 0}).test_client()


def test_flags_and_rounding_at_the_threshold_edges(engine):
    q = ask(
        engine,
        "ashe_pay",
        axes=["region:region"],
        measures=["employment", "mean_pay"],
        cut="occupation:1,11,111,1115",
    )
    r = engine.run(q)
    assert list(name_of(r.flags)) == [
        "suppressed",
        "low_reliability",
        "low_reliability",
        "reliable",
        "suppressed",
        "reliable",
    ]  # regions with no pay rows at all are not on the axis
    assert r.flags[-1] == Flag.RELIABLE
    employment = r.values["employment"]
    assert math.isnan(employment[0]) and list(employment[1:4]) == [1000, 10000, 10000]
    assert employment[-1] == 22500  # 22,498 delivered to the nearest 10
    assert list(r.values["mean_pay"][1:4]) == [800, 800, 800]


def test_median_and_deciles_worked_example(engine):
    cut = "occupation:1,11,111,1115|status:1|gender:1"
    med = engine.run(
        ask(engine, "ashe_pay", axes=["occupation:soc4"], measures=["median_pay"], cut=cut)
    )
    assert med.values["median_pay"][0] == 670  # 666.67
    d10 = engine.run(
        ask(
            engine,
            "ashe_pay",
            axes=["occupation:soc4"],
            measures=["pay_decile"],
            cut=cut,
            decile=10,
        )
    )
    d90 = engine.run(
        ask(
            engine,
            "ashe_pay",
            axes=["occupation:soc4"],
            measures=["pay_decile"],
            cut=cut,
            decile=90,
        )
    )
    assert d10.values["pay_decile"][0] == 290  # 290.03
    assert d90.values["pay_decile"][0] == 1530  # 1532.39


def test_pay_at_age_worked_example(engine):
    cut = "status:1|gender:1|qualification:1"
    q = ask(
        engine, "ashe_pay", axes=["occupation:soc1"], measures=["mean_pay_at_age"], cut=cut, age=33
    )
    r = engine.run(q)
    soc1 = list(q.axes[0].keys)
    assert r.values["mean_pay_at_age"][soc1.index(3)] == 790  # 850 x 0.93143 = 791.72


def test_decile_at_an_age_applies_the_age_ratio_first(engine, tiny_dir):
    cut = "status:1|gender:1|qualification:1"
    q = ask(
        engine,
        "ashe_pay",
        axes=["occupation:soc1"],
        measures=["pay_decile"],
        cut=cut,
        age=33,
        decile=90,
    )
    r = engine.run(q)
    dist = pd.read_csv(tiny_dir / sources.ASHE_PAY_DISTRIBUTION.file)
    # the only pay facts in major group 3 are unit group 3111's: the cell is fixed to it
    row = dist[
        (dist.soc_level == 4) & (dist.occupation == 3111) & (dist.status == 1) & (dist.gender == 1)
    ]
    ratio, k = float(row.mean_median_ratio.iloc[0]), float(row.sd_ratio.iloc[0])
    median = 850 * 0.93143 / ratio
    expected = math.exp(math.log(median) + 1.28 * k * math.log(median))
    got = r.values["pay_decile"][list(q.axes[0].keys).index(3)]
    assert got == float(np.sign(expected) * np.floor(expected / 10 + 0.5) * 10)


def served(client, url: str) -> float:
    """The first cell's value of a served cross-tab."""
    response = client.get(url)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["cells"][0][0]["value"]


@pytest.mark.parametrize(
    ("sentence", "url", "shown"),
    [
        (
            "m = 800, r = 1.2, k = 0.1 give median 666.67",
            "measure=median_pay&rows=occupation:soc4&cut=occupation:1,11,111,1115|status:1|gender:1",
            670,
        ),
        (
            "decile 10 = 290.03",
            "measure=pay_decile&decile=10&rows=occupation:soc4"
            "&cut=occupation:1,11,111,1115|status:1|gender:1",
            290,
        ),
        (
            "decile 90 = 1532.39",
            "measure=pay_decile&decile=90&rows=occupation:soc4"
            "&cut=occupation:1,11,111,1115|status:1|gender:1",
            1530,
        ),
        (
            "m = 1,004 and r = 1.2 give median 836.67, shown as 840",
            "measure=median_pay&rows=occupation:soc4&cut=occupation:2,21,211,2111|status:1|gender:2",
            840,
        ),
        (
            "m = 850 and R = 0.93143 give 791.72, shown as 790",
            "measure=mean_pay_at_age&age=33&rows=occupation:soc4"
            "&cut=occupation:3|status:1|gender:1|qualification:1",
            790,
        ),
    ],
)
def test_the_references_worked_examples_are_served(client, sentence, url, shown):
    """Each worked example of docs/reference.md, from crafted source rows through the ETL
    and HTTP, gives the documented value as delivered (rounded to GBP 10, last)."""
    assert sentence in " ".join(REFERENCE.read_text().split())
    assert served(client, f"/cube/ashe_pay/crosstab?{url}") == shown


def test_the_mean_behind_the_last_example_is_shown_rounded(client):
    url = "measure=mean_pay&rows=occupation:soc4&cut=occupation:2,21,211,2111|status:1|gender:2"
    assert served(client, f"/cube/ashe_pay/crosstab?{url}") == 1000  # 1,004 delivered
