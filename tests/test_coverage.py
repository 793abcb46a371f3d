"""What a cross-tab's figures cover, over real HTTP: the data years and restricted members.

Expected values come from the source CSV files with pandas (tests/oracle.py), never from the
engine: a row whose figure covers only the cut's finer members says so in the JSON and in a
header, and every answer names the years its figures are for.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import requests

import oracle
from support import serving


@pytest.fixture(scope="module")
def base(warehouse):
    with serving(warehouse) as url:
        yield url


@pytest.fixture(scope="module")
def pay(tiny_dir: Path) -> pd.DataFrame:
    return oracle.read(tiny_dir, "ashe_pay_main.csv")


def get(base: str, cube: str, **params: str) -> requests.Response:
    response = requests.get(f"{base}/cube/{cube}/crosstab", params=params, timeout=60)
    assert response.status_code == 200, response.text
    return response


def mean_pay(frame: pd.DataFrame) -> float:
    return oracle.round_to(frame.PayBill.sum() / frame.Employment.sum(), 10)


def test_rows_coarser_than_the_cut_are_labelled_restricted(base, pay):
    response = get(
        base, "ashe_pay", rows="occupation:soc2", cut="occupation:2,21,211", measure="mean_pay"
    )
    body = response.json()
    assert [m["key"] for m in body["rows"]["members"]] == [21]
    # the figure is minor group 211's, not sub-major group 21's
    assert body["cells"][0][0]["value"] == mean_pay(pay[pay.soc3 == 211])
    assert mean_pay(pay[pay.soc3 == 211]) != mean_pay(pay[pay.soc2 == 21])
    [restricted] = body["restricted"]
    label = body["rows"]["members"][0]["label"]
    assert restricted["axis"] == "rows" and restricted["key"] == 21
    assert restricted["by"]["level"] == "soc3" and restricted["by"]["keys"] == [211]
    assert restricted["note"] == f"21 {label} (211 only)"
    header = response.headers["X-Restricted-Members"]
    assert header == "rows occupation:soc2 21 (occupation:soc3 211 only)"
    exposed = response.headers["Access-Control-Expose-Headers"]  # readable by other origins
    assert "X-Restricted-Members" in exposed and "X-Data-Years" in exposed
    csv = requests.get(
        f"{base}/cube/ashe_pay/crosstab",
        params={"rows": "occupation:soc2", "cut": "occupation:2,21,211", "format": "csv"},
        timeout=60,
    )
    assert csv.headers["X-Restricted-Members"] == header
    assert csv.headers["X-Data-Years"] == response.headers["X-Data-Years"]


def test_whole_members_and_inverted_cuts(base, pay):
    whole = get(base, "ashe_pay", rows="occupation:soc2", cut="occupation:2,21")
    assert whole.json()["restricted"] == []
    assert "X-Restricted-Members" not in whole.headers
    finer_rows = get(base, "ashe_pay", rows="occupation:soc4", cut="occupation:2,21")
    assert finer_rows.json()["restricted"] == []

    inverted = get(
        base, "ashe_pay", rows="occupation:soc2", cut="!occupation:2,21,211", measure="mean_pay"
    ).json()
    by_key = {r["key"]: r for r in inverted["restricted"]}
    assert set(by_key) == {21}
    assert by_key[21]["by"]["invert"] and by_key[21]["note"].endswith("(excluding 211)")
    keys = [m["key"] for m in inverted["rows"]["members"]]
    value = inverted["cells"][keys.index(21)][0]["value"]
    assert value == mean_pay(pay[(pay.soc2 == 21) & (pay.soc3 != 211)])


def test_every_answer_names_the_years_of_its_figures(base, tiny_dir):
    ashe_years = sorted(pd.read_csv(tiny_dir / "ashe_pay_main.csv").year.unique().tolist())
    response = get(base, "ashe_pay", rows="occupation:soc1")
    assert response.json()["data_years"] == ashe_years
    assert response.headers["X-Data-Years"] == ", ".join(map(str, ashe_years))

    wf_years = sorted(pd.read_csv(tiny_dir / "wf_employment.csv").year.unique().tolist())
    by_year = get(base, "working_futures", rows="occupation:soc1", columns="year:year")
    assert by_year.json()["data_years"] == wf_years
    cut = f"year:{wf_years[1]}-{wf_years[3]}"
    some = get(base, "working_futures", rows="occupation:soc1", columns="year:year", cut=cut)
    assert some.json()["data_years"] == wf_years[1:4]
    one = get(base, "working_futures", rows="occupation:soc1", measure="employment").json()
    assert one["data_years"] == [one["defaults"]["year"]]
