"""Slicer parameters: repeats combined or refused, the cache keyed on the parsed query, the
default drilldown level, concrete aggregate names, and the reliability rules on every path."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

import oracle


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_repeated_cuts_are_combined_not_truncated(client, pay):
    """Regression: `cut=region:1,1&cut=gender:1` answered the England total for both sexes."""
    url = "/cube/ashe_pay/aggregate?aggregates=employment|mean_pay&cut=region:1,1&cut=gender:1"
    body = get(client, url)
    rows = pay[(pay.nation == 1) & (pay.gender == 1)]
    assert body["summary"]["employment"] == oracle.round_to(rows.Employment.sum(), 10)
    assert body["summary"]["mean_pay"] == oracle.round_to(
        rows.PayBill.sum() / rows.Employment.sum(), 10
    )
    assert body == get(
        client, "/cube/ashe_pay/aggregate?aggregates=employment|mean_pay&cut=region:1,1|gender:1"
    )
    crosstab = get(
        client,
        "/cube/ashe_pay/crosstab?rows=occupation:soc1&measure=employment&cut=region:1,1&cut=gender:1",
    )
    assert crosstab["grand_total"]["value"] == body["summary"]["employment"]
    twice = client.get("/cube/ashe_pay/aggregate?cut=gender:1&cut=gender:2")
    assert twice.status_code == 400 and twice.get_json()["error"]["parameter"] == "cut"


def test_repeated_drilldown_aggregates_and_order_are_combined(client):
    one = get(
        client,
        "/cube/ashe_pay/aggregate?drilldown=occupation:soc1|gender&aggregates=employment|mean_pay&order=gender:desc,employment",
    )
    many = get(
        client,
        "/cube/ashe_pay/aggregate?drilldown=occupation:soc1&drilldown=gender&aggregates=employment&aggregates=mean_pay&order=gender:desc&order=employment",
    )
    assert one == many and one["aggregates"] == ["employment", "mean_pay"]
    cells = one["cells"]
    assert [c["gender.gender"] for c in cells] == [2] * 9 + [1] * 9
    assert [c["employment"] for c in cells[:9]] == sorted(c["employment"] for c in cells[:9])
    commas = get(
        client,
        "/cube/ashe_pay/aggregate?drilldown=occupation:soc1,gender&aggregates=employment,mean_pay&order=gender:desc,employment",
    )
    assert commas == one  # the Python Slicer client joins lists with commas


@pytest.mark.parametrize(
    "url",
    [
        "/cube/ashe_pay/crosstab?rows=gender&measure=mean_pay&measure=employment",
        "/cube/ashe_pay/crosstab?rows=gender&rows=status",
        "/cube/ashe_pay/aggregate?pagesize=5&pagesize=6",
        "/cube/ashe_pay/aggregate?format=json&format=csv",
        "/cube/ashe_pay/members/occupation?level=soc1&level=soc2",
    ],
)
def test_a_repeated_single_valued_parameter_is_refused(client, url):
    response = client.get(url)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert (
        error["parameter"] == url.rsplit("&", 1)[1].split("=")[0] and "2 times" in error["message"]
    )


def test_cache_keys_on_the_parsed_query(app, client, pay):
    """Regression: the cache keyed on sorted arguments while the parser took the first of
    a repeated one, so a reordered repeat was served the other request's table."""
    first = get(
        client,
        "/cube/ashe_pay/aggregate?drilldown=gender&aggregates=mean_pay&aggregates=employment",
    )
    second = get(
        client,
        "/cube/ashe_pay/aggregate?drilldown=gender&aggregates=employment&aggregates=mean_pay",
    )
    assert first["aggregates"] == ["mean_pay", "employment"] and second["aggregates"] == [
        "employment",
        "mean_pay",
    ]
    male = pay[pay.gender == 1]
    for body in (first, second):
        assert body["cells"][0]["employment"] == oracle.round_to(male.Employment.sum(), 10)
        assert body["cells"][0]["mean_pay"] == oracle.round_to(
            male.PayBill.sum() / male.Employment.sum(), 10
        )
    cache = app.extensions["lmi_cubes"].cache
    url = "/cube/ashe_hours/aggregate?drilldown=status&cut=gender:2"
    get(client, url)
    size = len(cache)
    same = [
        "/cube/ashe_hours/aggregate?cut=gender:2&drilldown=status",  # reordered
        url + "&_=1712345",  # a cache buster
        url + "&lang=en",  # ignored: English labels only
    ]
    for other in same:
        assert get(client, other) == get(client, url)
    assert len(cache) == size + 1  # only lang=en made a new (identical) entry
    pretty = client.get(url + "&prettyprint=true").get_data(as_text=True)
    assert pretty.startswith("{\n  ") and json.loads(pretty) == get(client, url)


@pytest.mark.parametrize(
    ("cut", "levels"),
    [
        (None, ["uk"]),
        ("region:1", ["uk", "nation"]),
        ("region:1,1", ["uk", "nation", "region"]),
        ("!region:1,1", ["uk", "nation"]),  # an inverted cut does not drill further
        ("region:1,1;1,2", ["uk"]),  # a set drills from the top, as Cubes does
    ],
)
def test_drilldown_without_a_level_goes_one_below_the_cut(client, cut, levels):
    """Regression: `drilldown=region` once went to the deepest level whatever the cut."""
    url = "/cube/ashe_pay/aggregate?drilldown=region&aggregates=employment"
    body = get(client, url + (f"&cut={cut}" if cut else ""))
    assert body["levels"] == {"region": levels}
    assert body["attributes"] == [
        a for lv in levels for a in (f"region.{lv}", f"region.{lv}_title")
    ]


def test_drilling_below_the_deepest_level_or_another_hierarchy_is_refused(client):
    error = client.get("/cube/ashe_pay/aggregate?drilldown=region&cut=region:1,1,1").get_json()[
        "error"
    ]
    assert error["parameter"] == "drilldown" and error["choices"] == ["uk", "nation", "region"]
    nqf = get(client, "/cube/ashe_pay/aggregate?drilldown=qualification@nqf&aggregates=employment")
    assert nqf["levels"] == {"qualification@nqf": ["nqf6"]}
    mixed = client.get("/cube/ashe_pay/aggregate?drilldown=qualification@nqf&cut=qualification:1")
    assert mixed.status_code == 400
    split = client.get("/cube/ashe_pay/aggregate?split=gender:1").get_json()["error"]
    assert split["parameter"] == "split" and "not supported" in split["message"]


def test_order_by_label_attribute_and_natural_order(client):
    body = get(client, "/cube/ashe_pay/aggregate?drilldown=region:region&aggregates=employment")
    keys = [(c["region.nation"], c["region.region"]) for c in body["cells"]]
    assert keys == sorted(keys)  # Slicer's natural order: every level's key, top down
    named = get(
        client,
        "/cube/ashe_pay/aggregate?drilldown=region:region&aggregates=employment&order=region.region_title",
    )
    titles = [c["region.region_title"] for c in named["cells"]]
    assert titles == sorted(titles)
    bad = client.get("/cube/ashe_pay/aggregate?drilldown=region&order=region.shoe").get_json()[
        "error"
    ]
    assert bad["parameter"] == "order" and "region.uk_title" in bad["choices"]


def test_concrete_aggregate_names_equal_the_parametrised_crosstab(client):
    base = "/cube/ashe_pay/crosstab?rows=occupation:soc1&cut=region:1,1"
    body = get(
        client,
        "/cube/ashe_pay/aggregate?drilldown=occupation:soc1&cut=region:1,1&aggregates=pay_decile_p90|mean_pay_at_age_30|pay_decile_p10",
    )
    p90 = get(client, base + "&measure=pay_decile&decile=90")
    p10 = get(client, base + "&measure=pay_decile&decile=10")
    at30 = get(client, base + "&measure=mean_pay_at_age&age=30")
    for i, cell in enumerate(body["cells"]):
        assert cell["pay_decile_p90"] == p90["cells"][i][0]["value"]
        assert cell["pay_decile_p10"] == p10["cells"][i][0]["value"]
        assert cell["mean_pay_at_age_30"] == at30["cells"][i][0]["value"]
        assert cell["flag"] == p90["cells"][i][0]["flag"]
    bad = client.get("/cube/ashe_pay/aggregate?aggregates=pay_decile_p95").get_json()["error"]
    assert bad["parameter"] == "aggregates" and "pay_decile_p10..p90" in bad["choices"]


def test_default_aggregates_and_default_period(client, tiny_dir):
    years = pd.read_csv(tiny_dir / "wf_years.csv")
    start = int(years[years.kind == "history"].year.max())
    end = int(years.year.max())
    model = get(client, "/cube/working_futures/model")
    change = next(a for a in model["aggregates"] if a["name"] == "total_requirement")
    assert change["info"]["defaults"] == {"from": start, "to": end}
    body = get(client, "/cube/working_futures/aggregate?drilldown=occupation:soc1")
    assert body["aggregates"] == [a["name"] for a in model["aggregates"]]
    assert body["defaults"] == {"year": start, "from": start, "to": end}
    assert {"type": "point", "dimension": "year", "hierarchy": None, "level_depth": 1,
            "invert": False, "hidden": True, "path": [start]} in body["cell"]  # fmt: skip
    crosstab = get(
        client,
        f"/cube/working_futures/crosstab?rows=occupation:soc1&measure=total_requirement&from={start}&to={end}",
    )
    assert [c["total_requirement"] for c in body["cells"]] == [
        row[0]["value"] for row in crosstab["cells"]
    ]
    by_year = get(client, "/cube/working_futures/aggregate?drilldown=year")
    assert by_year["aggregates"] == ["employment"]  # a change over years cannot be drilled by year
    assert [c["year.year"] for c in by_year["cells"]] == [int(y) for y in years.year]
    pay = get(client, "/cube/ashe_pay/model")
    assert list(get(client, "/cube/ashe_pay/aggregate")["summary"])[:-1] == [
        a["name"] for a in pay["aggregates"]
    ]


WITHHELD_URL = "/cube/ashe_pay/aggregate?drilldown=occupation:soc4|region:nation&cut=gender:2|status:2|qualification:1,1"


def test_withheld_cells_stay_withheld_on_the_slicer_path(client):
    body = get(
        client, WITHHELD_URL + "&aggregates=mean_pay|employment|pay_decile_p90|mean_pay_at_age_40"
    )
    crosstab = get(
        client,
        "/cube/ashe_pay/crosstab?rows=occupation:soc4&columns=region:nation&measure=mean_pay&cut=gender:2|status:2|qualification:1,1",
    )
    grid = {
        (r["key"], c["key"]): crosstab["cells"][i][j]
        for i, r in enumerate(crosstab["rows"]["members"])
        for j, c in enumerate(crosstab["columns"]["members"])
    }
    withheld = 0
    for cell in body["cells"]:
        expected = grid[(cell["occupation.soc4"], cell["region.nation"])]
        assert cell["flag"] == expected["flag"] and cell["mean_pay"] == expected["value"]
        assert cell.get("go_up") == expected.get("go_up")
        assert "weight" not in cell
        if cell["flag"] == "suppressed":
            withheld += 1
            assert all(cell[a] is None for a in body["aggregates"])
            assert cell["reason"] == "no reliable data available"
    assert withheld > 10
    filled = get(client, WITHHELD_URL + "&aggregates=mean_pay&fallback=true")
    fills = get(
        client,
        "/cube/ashe_pay/crosstab?rows=occupation:soc4&columns=region:nation&measure=mean_pay&cut=gender:2|status:2|qualification:1,1&fallback=true",
    )
    by_key = {
        (r["key"], c["key"]): fills["cells"][i][j]
        for i, r in enumerate(fills["rows"]["members"])
        for j, c in enumerate(fills["columns"]["members"])
    }
    sources_seen = 0
    for cell in filled["cells"]:
        expected = by_key[(cell["occupation.soc4"], cell["region.nation"])]
        assert (
            cell.get("filled_from") == expected.get("filled_from")
            and cell["mean_pay"] == expected["value"]
        )
        sources_seen += "filled_from" in cell
    assert sources_seen > 0
    csv_text = client.get(WITHHELD_URL + "&aggregates=mean_pay&format=csv&header=names").get_data(
        as_text=True
    )
    rows = list(pd.read_csv(io.StringIO(csv_text)).itertuples(index=False))
    assert all(pd.isna(r.mean_pay) for r in rows if r.flag == "suppressed")


def test_mixed_parameter_sets_merge_to_the_most_severe_flag(client):
    """employment (the default year) and a change from 2021 are two queries; each record
    shows each value as its own cross-tab does and the most severe flag."""
    cut = "occupation:2|region:1,1"
    end = get(client, "/cube/working_futures/model")["info"]["default_period"]["to"]
    url = f"/cube/working_futures/aggregate?drilldown=occupation:soc4&cut={cut}&aggregates=employment|total_requirement&from=2021&to={end}"
    body = get(client, url)
    base = f"/cube/working_futures/crosstab?rows=occupation:soc4&cut={cut}"
    jobs = get(client, base + "&measure=employment")
    change = get(client, base + f"&measure=total_requirement&from=2021&to={end}")
    severity = ["reliable", "low_reliability", "suppressed"]
    for i, cell in enumerate(body["cells"]):
        a, b = jobs["cells"][i][0], change["cells"][i][0]
        assert (cell["employment"], cell["total_requirement"]) == (a["value"], b["value"])
        assert cell["flag"] == max(a["flag"], b["flag"], key=severity.index)
        if a["flag"] != b["flag"]:
            assert cell["flags"] == {"employment": a["flag"], "total_requirement": b["flag"]}
    page = get(client, url + "&page=1&page_size=3&fields=ignored")
    assert page["cells"] == body["cells"][3:6] and page["pagesize"] == 3
    both = client.get(url + "&pagesize=3&page_size=3").get_json()["error"]
    assert both["parameter"] == "page_size"
    assert client.get("/cube/working_futures/search?query=x").status_code == 404


@pytest.mark.parametrize("drilldown", ["gender:", "occupation%20:%20soc1", "region@:region"])
def test_a_malformed_drilldown_is_refused_like_a_malformed_axis(client, drilldown):
    """Drilldowns and cross-tab axes are one syntax, dimension[@hierarchy][:level]."""
    for path in (
        f"/cube/ashe_pay/aggregate?drilldown={drilldown}",
        f"/cube/ashe_pay/crosstab?rows={drilldown}",
    ):
        response = client.get(path)
        assert response.status_code == 400, path
        error = response.get_json()["error"]
        assert error["parameter"] == ("drilldown" if "drilldown" in path else "rows")
        assert "is not dimension[@hierarchy][:level]" in error["message"]
        assert error["choices"] == [
            "year",
            "gender",
            "status",
            "industry",
            "occupation",
            "region",
            "qualification",
        ]
