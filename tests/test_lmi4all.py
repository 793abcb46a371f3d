"""LMI for All API v1 contract: shapes, types, status codes and quirks per the reference
(shared/LMI4ALL-API.md), and every number against the cube API's own answer for the same
cut and against the pandas oracle over the source files."""

from __future__ import annotations

from pathlib import Path

import orjson
import pandas as pd
import pytest

import oracle
from lmi_cubes.cube_server.app import create_app

NOTE = "The sample size for this estimate is small, so the data may be inaccurate."
SIGNED = {
    "Date": "Mon, 23 Nov 2026 10:00:00 GMT",
    "Authorization": 'Signature keyId="abc",algorithm="hmac-sha1",signature="c2lnbmF0dXJl"',
}


@pytest.fixture(scope="module")
def client(warehouse: Path):
    return create_app({"WAREHOUSE": str(warehouse)}).test_client()


@pytest.fixture(scope="module")
def pay(tiny_dir: Path):
    return oracle.read(tiny_dir, "ashe_pay_main.csv")


@pytest.fixture(scope="module")
def wf(tiny_dir: Path):
    return oracle.read(tiny_dir, "wf_employment.csv")


def get(client, url: str, status: int = 200, **kwargs):
    response = client.get(url, **kwargs)
    assert response.status_code == status, (url, response.get_data(as_text=True))
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    if response.data and "/api/v1/" in url:
        assert response.content_type in (
            "application/json; charset=utf-8",
            "application/javascript; charset=utf-8",
        )
    return response


def js(client, url: str, status: int = 200, **kwargs):
    return orjson.loads(get(client, url, status, **kwargs).data)


def soc_path(soc: int) -> str:
    text = str(soc)
    return ",".join(text[:n] for n in range(1, len(text) + 1))


def crosstab(client, cube: str, rows: str, measure: str, cut: str, columns: str = "") -> dict:
    url = f"/cube/{cube}/crosstab?rows={rows}&measure={measure}&cut={cut}"
    return js(client, url + (f"&columns={columns}" if columns else ""))


def per_row(table: dict) -> list[dict]:
    """The cell per row of a rows-only table, or the row totals of a two-way one."""
    return table["row_totals"] if "row_totals" in table else [r[0] for r in table["cells"]]


def shown(cell: dict) -> bool:
    return cell["flag"] in ("reliable", "low_reliability")


# -- ASHE --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "cube", "measure", "field"),
    [
        ("estimatePay", "ashe_pay", "mean_pay", "estpay"),
        ("estimateHours", "ashe_hours", "mean_hours", "hours"),
    ],
)
@pytest.mark.parametrize("filters", ["", "region:1", "gender:2|status:1", "region:12|gender:2"])
def test_ashe_series_equal_the_cube_answer(client, path, cube, measure, field, filters):
    checked = 0
    for soc in (2231, 5314, 4135, 2136, 9233, 1171):
        body = js(client, f"/api/v1/ashe/{path}?soc={soc}&filters={filters}")
        assert set(body) == {"soc", "series"} and body["soc"] == soc
        cut = "|".join(["occupation:" + soc_path(soc)] + [_cut(f) for f in filters.split("|") if f])
        table = crosstab(client, cube, "year", measure, cut)
        expected = [
            {"year": m["key"], field: round(cell["value"])}
            for m, cell in zip(table["rows"]["members"], per_row(table), strict=True)
            if shown(cell)
        ]
        assert body["series"] == expected
        for item in body["series"]:
            assert type(item["year"]) is int and type(item[field]) is int
            if field == "estpay":
                assert item["estpay"] % 10 == 0
        checked += len(expected)
    assert checked > 0


def _cut(f: str) -> str:
    name, value = f.split(":")
    return {
        "region": f"region:1,{1 if int(value) <= 9 else int(value) - 8},{value}",
        "gender": f"gender:{value}",
        "status": f"status:{value}",
    }[name]


def test_estimate_pay_against_the_oracle(client, pay):
    """The unit group's mean pay from the source CSV: sum(PayBill)/sum(Employment), to GBP 10."""
    compared = 0
    for soc, part in pay[pay["region"] == 1].groupby("soc4"):
        weight = float(part["Employment"].sum())
        body = js(client, f"/api/v1/ashe/estimatePay?soc={soc}&filters=region:1")
        if oracle.flag(weight) == "suppressed":
            assert body["series"] == [], soc
        else:
            mean = float(part["PayBill"].sum()) / weight
            assert body["series"] == [{"year": 2023, "estpay": oracle.round_to(mean, 10)}]
            compared += 1
    assert compared > 20


def _finest_publishable(frame, soc: int, mask) -> int:
    for level, code in (("soc4", soc), ("soc3", soc // 10), ("soc2", soc // 100)):
        if float(frame[mask & (frame[level] == code)]["Employment"].sum()) >= 1000:
            return code
    return soc // 100


def test_coarse_goes_up_only_when_the_unit_group_is_withheld(client, pay):
    mask = (pay["region"] == 12) & (pay["gender"] == 2)
    weights = pay[mask].groupby("soc4")["Employment"].sum()
    suppressed = [int(s) for s, w in weights.items() if w < 1000][:15]
    reliable = [int(s) for s, w in weights.items() if w >= 1000][:10]
    assert suppressed and reliable
    levels = set()
    for soc in suppressed + reliable:
        url = f"/api/v1/ashe/estimatePay?soc={soc}&coarse=true&filters=region:12|gender:2"
        body = js(client, url)
        expected = _finest_publishable(pay, soc, mask)
        assert body["soc"] == expected, soc
        levels.add(len(str(expected)))
        cut = f"occupation:{soc_path(expected)}|region:1,4,12|gender:2"
        total = per_row(crosstab(client, "ashe_pay", "year", "mean_pay", cut))[0]
        assert body["series"] == (
            [{"year": 2023, "estpay": total["value"]}] if shown(total) else []
        )
        plain = js(client, url.replace("coarse=true", "coarse=false"))
        assert plain["soc"] == soc
        assert (plain["series"] == []) == (soc in suppressed)
    assert 4 in levels and levels & {2, 3}  # both publishable and withheld unit groups seen


def test_coarse_hours_report_the_level_code(client, tiny_dir):
    """No ASHE hours row is for unit group 1171 (armed forces): the answer is its minor
    group 117's mean hours, and says so with the level's code."""
    hours = oracle.read(tiny_dir, "ashe_hours_main.csv")
    assert float(hours[hours.soc4 == 1171].Employment.sum()) == 0
    minor = hours[hours.soc3 == 117]
    assert oracle.flag(float(minor.Employment.sum())) != "suppressed"
    mean = float(minor.TotalHours.sum()) / float(minor.Employment.sum())
    body = js(client, "/api/v1/ashe/estimateHours?soc=1171&coarse=true")
    assert body == {"soc": 117, "series": [{"year": 2023, "hours": round(mean)}]}


@pytest.mark.parametrize("name", ["region", "gender", "status", "qualification"])
def test_ashe_breakdown_items_are_the_published_cells(client, name):
    column = {"region": "region:region", "qualification": "qualification:qualification"}.get(
        name, name
    )
    seen = 0
    for soc in (2231, 4135, 9233):
        body = js(client, f"/api/v1/ashe/estimatePay?soc={soc}&breakdown={name}")
        table = crosstab(
            client, "ashe_pay", "year", "mean_pay", f"occupation:{soc_path(soc)}", column
        )
        for item in body["series"]:
            cells = table["cells"][0]
            keys = [m["key"] for m in table["columns"]["members"]]
            expected = [
                {name: k, "estpay": c["value"]}
                for k, c in zip(keys, cells, strict=True)
                if shown(c)
            ]
            assert item["breakdown"] == expected
            seen += len(expected)
    assert seen > 0


def test_age_gives_pay_at_that_age(client):
    by_param = js(client, "/api/v1/ashe/estimatePay?soc=2231&age=40")
    by_filter = js(client, "/api/v1/ashe/estimatePay?soc=2231&filters=age:40")
    table = crosstab(
        client, "ashe_pay", "year", "mean_pay_at_age&age=40", "occupation:2,22,223,2231"
    )
    assert by_param == by_filter
    assert by_param["series"] == [{"year": 2023, "estpay": per_row(table)[0]["value"]}]
    assert js(client, "/api/v1/ashe/estimatePay?soc=2231&age=70", 400)["error"]


def test_hours_ignore_age(client):
    plain = js(client, "/api/v1/ashe/estimateHours?soc=2231")
    assert js(client, "/api/v1/ashe/estimateHours?soc=2231&age=40") == plain
    assert js(client, "/api/v1/ashe/estimateHours?soc=2231&filters=age:40") == plain


def test_annual_changes_shape(client):
    body = js(client, "/api/v1/ashe/annualChanges?soc=2231")
    assert body == {"soc": 2231, "annual_changes": []}  # the tiny data has one ASHE year


def test_ashe_filter_metadata(client):
    names = js(client, "/api/v1/ashe/filters")
    assert names == ["region", "gender", "status", "qualification", "industry", "age"]
    every = js(client, "/api/v1/ashe/filters/all")
    assert [f["name"] for f in every] == names
    region = js(client, "/api/v1/ashe/filter/region")
    assert region == every[0] and len(region["codings"]) == 12
    assert region["codings"][0] == {"name": "London", "value": 1}
    assert all(set(c) == {"name", "value"} for f in every for c in f["codings"])
    assert js(client, "/api/v1/ashe/filter/shoe_size", 404) == {
        "error": "There is no ASHE filter named 'shoe_size'."
    }


# -- Working Futures ---------------------------------------------------------------------


def test_wf_predict_equals_the_cube_and_the_oracle(client, wf):
    for soc in (2231, 5314, 9233):
        body = js(client, f"/api/v1/wf/predict?soc={soc}")
        assert set(body) == {"soc", "predictedEmployment"} and body["soc"] == soc
        table = crosstab(
            client,
            "working_futures",
            "year",
            "employment",
            f"occupation:{soc_path(soc)}|year:2025-2027",
        )
        expected = []
        for m, cell in zip(table["rows"]["members"], table["cells"], strict=True):
            if shown(cell[0]):
                item = {"year": m["key"], "employment": cell[0]["value"]}
                weight = float(wf[(wf["soc4"] == soc) & (wf["year"] == m["key"])]["weight"].sum())
                assert item["employment"] == oracle.round_to(weight, 10)
                if oracle.flag(weight) == "low_reliability":
                    item["note"] = NOTE
                expected.append(item)
        assert body["predictedEmployment"] == expected and expected
    one = js(client, "/api/v1/wf/predict?soc=2231&minYear=2026&maxYear=2026")
    assert [i["year"] for i in one["predictedEmployment"]] == [2026]
    history = js(client, "/api/v1/wf/predict?soc=2231&minYear=2021&maxYear=2022")
    assert [i["year"] for i in history["predictedEmployment"]] == [2021, 2022]
    out_of_range = js(client, "/api/v1/wf/predict?soc=2231&minYear=2040&maxYear=2045")
    assert out_of_range == {"soc": 2231, "predictedEmployment": []}


# the original's region names, from its recorded responses (LMI4ALL-API.md section 2)
RECORDED_REGION_NAMES = {
    1: "London",
    2: "South East (England)",
    3: "East of England",
    4: "South West (England)",
    5: "West Midlands (England)",
    6: "East Midlands (England)",
    7: "Yorkshire and the Humber",
    8: "North West (England)",
    9: "North East (England)",
    10: "Wales",
    11: "Scotland",
    12: "Northern Ireland",
}


@pytest.mark.parametrize("name", ["region", "industry", "gender", "status", "qualification"])
def test_wf_breakdown_notes_and_withheld_items(client, name):
    column = {
        "region": "region:region",
        "industry": "industry:ind22",
        "qualification": "qualification:qualification",
    }.get(name, name)
    notes = 0
    for soc in (2231, 5314):
        body = js(client, f"/api/v1/wf/predict/breakdown/{name}?soc={soc}&region=1&_=17")
        assert body["soc"] == soc and body["breakdown"] == name
        cut = f"occupation:{soc_path(soc)}|year:2025-2027"
        table = crosstab(client, "working_futures", "year", "employment", cut, column)
        members = table["columns"]["members"]
        assert [y["year"] for y in body["predictedEmployment"]] == [2025, 2026, 2027]
        for year, cells in zip(body["predictedEmployment"], table["cells"], strict=True):
            expected = []
            for m, c in zip(members, cells, strict=True):
                if shown(c):
                    label = RECORDED_REGION_NAMES[m["key"]] if name == "region" else m["label"]
                    item = {"code": m["key"], "name": label, "employment": c["value"]}
                    if c["flag"] == "low_reliability":
                        item["note"] = NOTE
                    expected.append(item)
            assert year["breakdown"] == expected
            notes += sum("note" in i for i in expected)
            assert all(type(i["employment"]) is int for i in expected)
    if name == "region":
        assert notes > 0
    assert js(client, "/api/v1/wf/predict/breakdown/postcode?soc=2231", 404)["error"]


def test_replacement_demand_equals_the_cube(client, wf, tiny_dir):
    body = js(client, "/api/v1/wf/replacement_demand?soc=2231")
    assert set(body) == {"soc", "start_year", "end_year", "rate"}
    assert (body["start_year"], body["end_year"]) == (2024, 2027)
    cube = js(
        client,
        "/cube/working_futures/aggregate?aggregates=replacement_demand&cut=occupation:2,22,223,2231"
        "&from=2024&to=2027",
    )
    assert body["rate"] == cube["summary"]["replacement_demand"] and type(body["rate"]) is int
    period = js(client, "/api/v1/wf/replacement_demand?soc=2231&minYear=2025&maxYear=2027")
    assert (period["start_year"], period["end_year"]) == (2025, 2027)
    # the documented formula: the 2-digit group's three annual rates summed, times the unit
    # group's employment in each year from the first up to the last (2024, 2025, 2026)
    rates = pd.read_csv(tiny_dir / "wf_replacement_rates.csv").set_index("soc2").loc[11]
    jobs = wf[(wf.soc4 == 1171) & wf.year.between(2024, 2026)]
    assert oracle.flag(float(wf[(wf.soc4 == 1171) & (wf.year == 2024)].weight.sum())) == "reliable"
    rate = float(rates.sum()) * float(jobs.weight.sum())
    armed = js(client, "/api/v1/wf/replacement_demand?soc=1171")
    assert armed == {
        "soc": 1171,
        "start_year": 2024,
        "end_year": 2027,
        "rate": oracle.round_to(rate, 10),
    }


def test_wf_filter_metadata(client):
    names = js(client, "/api/v1/wf/filters")
    assert names == ["region", "gender", "status", "qualification", "industry"]
    info = js(client, "/api/v1/wf/filters/info/region")
    assert set(info) == {"name", "description", "coding"}
    assert info["coding"][0] == {"code": 1, "description": "London"}
    assert info["coding"][1] == {"code": 2, "description": "South East (England)"}
    assert [c["description"] for c in info["coding"]] == list(RECORDED_REGION_NAMES.values())
    industry = js(client, "/api/v1/wf/filters/info/industry")["coding"]
    assert [c["code"] for c in industry] == list(range(1, 23))
    qualification = js(client, "/api/v1/wf/filters/info/qualification")["coding"]
    assert [c["code"] for c in qualification] == list(range(1, 10))
    assert js(client, "/api/v1/wf/filters/all") == [
        js(client, f"/api/v1/wf/filters/info/{n}") for n in names
    ]
    assert len(js(client, "/api/v1/wf/filters/info/status")["coding"]) == 3


def test_qualification_and_industry_filters_against_the_oracle(client, pay):
    compared = 0
    for soc in (2231, 4135, 9233, 2136):
        body = js(client, f"/api/v1/ashe/estimatePay?soc={soc}&filters=qualification:3|industry:5")
        part = pay[(pay["soc4"] == soc) & (pay["qualification"] == 3) & (pay["ind22"] == 5)]
        weight = float(part["Employment"].sum())
        if oracle.flag(weight) == "suppressed":
            assert body["series"] == []
        else:
            mean = float(part["PayBill"].sum()) / weight
            assert body["series"] == [{"year": 2023, "estpay": oracle.round_to(mean, 10)}]
            compared += 1
    nurses = pay[pay["soc4"] == 2231]
    biggest = int(nurses.groupby("ind22")["Employment"].sum().idxmax())  # a publishable cell
    wide = js(client, f"/api/v1/ashe/estimatePay?soc=2231&filters=industry:{biggest}")
    part = nurses[nurses["ind22"] == biggest]
    mean = float(part["PayBill"].sum()) / float(part["Employment"].sum())
    assert wide["series"] == [{"year": 2023, "estpay": oracle.round_to(mean, 10)}]
    assert js(client, "/api/v1/wf/filters/info/shoe_size", 404)["error"]
