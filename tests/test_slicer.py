"""Recorded Slicer request sequences, checked field by field against the Cubes server's shapes.

Each sequence is what a Cubes client sends (cubes.js: /version, then the model; a browser:
drill down, filter by a member, drill through by clicking a cell; the Python SlicerBrowser:
the model's `features`, members as json_lines). Shapes follow `cubes/server/blueprint.py`,
`AggregationResult.to_dict`, the metadata `to_dict` methods and `doc/server.rst`; numbers
are checked against pandas over the source files.
"""

from __future__ import annotations

import json

import pandas as pd

import oracle

MODEL_KEYS = {"name", "label", "description", "info", "dimensions", "aggregates", "measures"}
MODEL_KEYS |= {"details", "features", "key", "category"}
DIMENSION_KEYS = {"name", "label", "info", "levels", "hierarchies", "default_hierarchy_name"}
DIMENSION_KEYS |= {"is_flat", "has_details", "cardinality", "role", "category"}
LEVEL_KEYS = {"name", "label", "key", "label_attribute", "order_attribute", "order"}
LEVEL_KEYS |= {"cardinality", "attributes", "info"}
AGGREGATE_KEYS = {"name", "ref", "label", "function", "measure", "info"}
RESULT_KEYS = {"summary", "cells", "total_cell_count", "aggregates", "cell", "levels"}
RESULT_KEYS |= {"remainder", "attributes", "has_split"}
CUT_KEYS = {"type", "dimension", "hierarchy", "level_depth", "invert", "hidden"}


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_connect_sequence_version_info_cubes_model(client):
    version = get(client, "/version")
    assert version["api_version"] == 2 and version["server_version"] == version["version"]
    info = get(client, "/info")
    assert info["api_version"] == 2 and info["authentication"] == {"type": "none"}
    assert isinstance(info["json_record_limit"], int) and info["json_record_limit"] >= 10000
    cubes = get(client, "/cubes")
    assert (
        info["cubes"] == [c["name"] for c in cubes] == ["ashe_hours", "ashe_pay", "working_futures"]
    )
    for c in cubes:
        assert {"name", "label", "description", "category"} <= set(c)
    model = get(client, "/cube/ashe_pay/model")
    assert set(model) >= MODEL_KEYS
    assert "aggregate" in model["features"]["actions"]  # the Python client pops `features`
    assert model["info"]["reliability"]["suppress_below"] == oracle.SUPPRESS_BELOW
    assert model["info"]["reliability"]["reliable_from"] == oracle.RELIABLE_FROM
    for dim in model["dimensions"]:
        assert set(dim) >= DIMENSION_KEYS, dim["name"]
        assert dim["is_flat"] == (len(dim["levels"]) == 1)
        names = {lv["name"] for lv in dim["levels"]}
        assert dim["default_hierarchy_name"] in {h["name"] for h in dim["hierarchies"]}
        for h in dim["hierarchies"]:
            assert set(h["levels"]) <= names
        for level in dim["levels"]:
            assert set(level) >= LEVEL_KEYS
            # as Cubes' server: a level names its attributes by `name`, records use `ref`
            attribute_names = [a["name"] for a in level["attributes"]]
            assert level["key"] == attribute_names[0]
            assert {level["label_attribute"], level["order_attribute"]} <= set(attribute_names)
            for a in level["attributes"]:
                assert {"name", "ref", "label", "order"} <= set(a)
                assert a["ref"] == f"{dim['name']}.{a['name']}"
    region = next(d for d in model["dimensions"] if d["name"] == "region")
    nation = next(lv for lv in region["levels"] if lv["name"] == "nation")
    assert (nation["key"], nation["label_attribute"]) == ("nation", "nation_title")
    for a in model["aggregates"] + model["measures"]:
        assert {"name", "ref", "label", "info"} <= set(a)
    for a in model["aggregates"]:
        assert set(a) >= AGGREGATE_KEYS
    names = [a["name"] for a in model["aggregates"]]
    assert names[:3] == ["employment", "mean_pay", "median_pay"]
    assert [n for n in names if n.startswith("pay_decile_")] == [
        f"pay_decile_p{d}" for d in range(10, 100, 10)
    ]
    employment = next(a for a in model["aggregates"] if a["name"] == "employment")
    assert (employment["function"], employment["measure"]) == ("sum", "employment")


def test_browser_drills_down_and_through_by_the_keys_in_each_cell(client, pay):
    """cubes.js: aggregate with drilldown=region (no level), then a click builds the next
    cut from the clicked cell's keys of every level, then drills through to Wales."""
    top = get(client, "/cube/ashe_pay/aggregate?drilldown=region&aggregates=employment")
    assert set(top) >= RESULT_KEYS and top["levels"] == {"region": ["uk"]}
    assert top["attributes"] == ["region.uk", "region.uk_title"]
    (uk,) = top["cells"]
    cut = f"region@default:{uk['region.uk']}"
    nations = get(
        client, f"/cube/ashe_pay/aggregate?drilldown=region&cut={cut}&aggregates=employment"
    )
    assert nations["levels"] == {"region": ["uk", "nation"]}
    assert [c["region.nation_title"] for c in nations["cells"]] == [
        "England", "Wales", "Scotland", "Northern Ireland"
    ]  # fmt: skip
    wales = nations["cells"][1]
    assert nations["cell"] == [
        {"type": "point", "dimension": "region", "hierarchy": "default", "level_depth": 1,
         "invert": False, "hidden": False, "path": [1]}
    ]  # fmt: skip
    path = f"{wales['region.uk']},{wales['region.nation']}"
    regions = get(
        client,
        f"/cube/ashe_pay/aggregate?drilldown=region&cut=region@default:{path}&aggregates=employment|mean_pay",
    )
    assert regions["levels"] == {"region": ["uk", "nation", "region"]}
    (cell,) = regions["cells"]
    assert {k: cell[k] for k in cell if k.startswith("region.")} == {
        "region.uk": 1, "region.uk_title": "United Kingdom", "region.nation": 2,
        "region.nation_title": "Wales", "region.region": 10, "region.region_title": "Wales",
    }  # fmt: skip
    through = f"region@default:{cell['region.uk']},{cell['region.nation']},{cell['region.region']}"
    leaf = get(client, f"/cube/ashe_pay/aggregate?cut={through}&aggregates=employment|mean_pay")
    rows = pay[pay.region == 10]
    expected = {
        "employment": oracle.round_to(rows.Employment.sum(), 10),
        "mean_pay": oracle.round_to(rows.PayBill.sum() / rows.Employment.sum(), 10),
    }
    assert {k: leaf["summary"][k] for k in expected} == expected == {k: cell[k] for k in expected}
    assert leaf["cells"] == [] and leaf["summary"]["flag"] == oracle.flag(rows.Employment.sum())


def test_filter_by_members_then_drill_one_level_below_the_cut(client, pay):
    members = get(client, "/cube/ashe_pay/members/occupation?depth=1")
    assert {"dimension", "hierarchy", "depth", "data"} <= set(members)
    assert (members["dimension"], members["hierarchy"], members["depth"]) == (
        "occupation",
        "default",
        1,
    )
    first = members["data"][0]
    assert first == {
        "occupation.soc1": 1,
        "occupation.soc1_title": "Managers, directors and senior officials",
    }
    body = get(
        client,
        "/cube/ashe_pay/aggregate?drilldown=occupation&cut=occupation:1&aggregates=employment",
    )
    assert body["levels"] == {"occupation": ["soc1", "soc2"]}
    sums = pay[pay.soc1 == 1].groupby("soc2").Employment.sum()
    assert [(c["occupation.soc2"], c["employment"], c["flag"]) for c in body["cells"]] == [
        (k, oracle.round_to(v, 10), oracle.flag(v)) for k, v in sums.items()
    ]
    assert all(c["occupation.soc1"] == 1 for c in body["cells"])


def test_members_shape_depth_order_paging_and_formats(client, tiny_dir):
    two = get(client, "/cube/ashe_pay/members/occupation?depth=2")
    assert set(two["data"][0]) == {
        "occupation.soc1",
        "occupation.soc1_title",
        "occupation.soc2",
        "occupation.soc2_title",
    }
    soc = pd.read_csv(tiny_dir / "soc2010.csv")
    assert [r["occupation.soc2"] for r in two["data"]] == sorted(soc.soc2.unique())
    same = get(client, "/cube/ashe_pay/members/occupation?level=soc2")
    assert same["data"] == two["data"] and same["depth"] == 2
    ordered = get(
        client,
        "/cube/ashe_pay/members/occupation?depth=2&order=occupation.soc2_title:desc&page=1&pagesize=5",
    )
    titles = sorted((r["occupation.soc2_title"] for r in two["data"]), reverse=True)
    assert [r["occupation.soc2_title"] for r in ordered["data"]] == titles[5:10]
    lines = client.get("/cube/ashe_pay/members/gender?format=json_lines").get_data(as_text=True)
    assert [json.loads(x) for x in lines.splitlines()] == [
        {"gender.gender": 1, "gender.gender_title": "Male"},
        {"gender.gender": 2, "gender.gender_title": "Female"},
    ]
    years = get(client, "/cube/working_futures/members/year")["data"]
    expected = pd.read_csv(tiny_dir / "wf_years.csv")
    assert years == [
        {"year.year": int(y), "year.kind": k} for y, k in expected.itertuples(index=False)
    ]
    error = client.get("/cube/ashe_pay/members/occupation?depth=2&level=soc2").get_json()["error"]
    assert error["parameter"] == "depth"


def test_cell_describes_every_cut_with_details(client):
    body = get(client, "/cube/ashe_pay/cell?cut=occupation:2,21|region:1,1;1,2|year:2023-")
    assert body["cube"] == "ashe_pay"
    point, subset, years = body["cuts"]
    assert set(point) >= CUT_KEYS and point["path"] == [2, 21] and point["level_depth"] == 2
    assert point["details"][1] == {
        "occupation.soc2": 21,
        "occupation.soc2_title": "Science, research, engineering and technology professionals",
        "_key": 21,
        "_label": "Science, research, engineering and technology professionals",
    }
    assert subset["type"] == "set" and subset["paths"] == [[1, 1], [1, 2]]
    assert [d[-1]["_label"] for d in subset["details"]] == ["England", "Wales"]
    assert years["type"] == "range" and years["from"] == [2023] and years["to"] == []
    only = get(client, "/cube/ashe_pay/cell?cut=occupation:2|gender:1&dimension=gender")
    assert [c["dimension"] for c in only["cuts"]] == ["gender"]


def test_report_bundles_queries_like_the_separate_requests(client):
    spec = {
        "queries": {
            "by_soc": {
                "query": "aggregate",
                "drilldown": ["occupation"],
                "aggregates": ["employment", "mean_pay"],
            },
            "by_nation": {
                "query": "aggregate",
                "drilldown": {"region": "nation"},
                "rollup": "occupation",
            },
            "genders": {"query": "members", "dimension": "gender"},
            "cell": {"query": "cell"},
        }
    }
    response = client.post("/cube/ashe_pay/report?cut=occupation:2,21", json=spec)
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["by_soc"] == get(
        client,
        "/cube/ashe_pay/aggregate?cut=occupation:2,21&drilldown=occupation&aggregates=employment|mean_pay",
    )
    assert body["by_nation"] == get(
        client, "/cube/ashe_pay/aggregate?cut=occupation:2&drilldown=region:nation"
    )
    assert body["genders"] == get(client, "/cube/ashe_pay/members/gender?cut=occupation:2,21")
    assert body["cell"] == get(client, "/cube/ashe_pay/cell?cut=occupation:2,21")
    spec = {
        "cell": [{"type": "point", "dimension": "gender", "path": [2]}],
        "queries": {"s": {"query": "aggregate"}},
    }
    override = client.post("/cube/ashe_pay/report?cut=gender:1", json=spec).get_json()
    assert override["s"] == get(client, "/cube/ashe_pay/aggregate?cut=gender:2")
    bad = client.post(
        "/cube/ashe_pay/report",
        json={"queries": {"x": {"query": "aggregate", "drilldown": "shoe"}}},
    )
    assert bad.status_code == 400 and bad.get_json()["error"]["parameter"] == "queries.x.drilldown"
    rows = client.post("/cube/ashe_pay/report", json={"queries": {"x": {"query": "facts"}}})
    assert rows.status_code == 403
    assert client.post("/cube/ashe_pay/report", data="nope").status_code == 400


def test_facts_and_fact_are_refused_with_the_reason(client):
    for url in (
        "/cube/ashe_pay/facts",
        "/cube/ashe_pay/fact/1",
        "/cube/ashe_pay/facts?cut=gender:1",
    ):
        response = client.get(url)
        assert response.status_code == 403
        error = response.get_json()["error"]
        assert error["type"] == "forbidden" and "withheld" in error["message"]
        assert "aggregate" in error["choices"]
    assert client.get("/cube/nope/facts").status_code == 404


def test_cors_preflight_and_csv_headers_as_labels(client):
    preflight = client.options(
        "/cube/ashe_pay/aggregate",
        headers={"Origin": "http://elsewhere.example", "Access-Control-Request-Method": "GET",
                 "Access-Control-Request-Headers": "X-Requested-With"},
    )  # fmt: skip
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight.headers["Access-Control-Allow-Methods"]
    assert preflight.headers["Access-Control-Allow-Headers"] == "X-Requested-With"
    url = "/cube/ashe_pay/aggregate?drilldown=gender&aggregates=employment|mean_pay&format=csv"
    response = client.get(url)
    assert response.headers["Content-Disposition"].startswith('attachment; filename="ashe_pay-')
    lines = response.get_data(as_text=True).splitlines()
    assert (
        lines[0]
        == "Gender: Gender code,Gender: Gender,Employment,Mean weekly pay (GBP),Reliability"
    )
    assert client.get(url + "&header=names").get_data(as_text=True).splitlines()[0] == (
        "gender.gender,gender.gender_title,employment,mean_pay,flag"
    )
    assert client.get(url + "&header=none").get_data(as_text=True).splitlines() == lines[1:]
    members = client.get("/cube/ashe_pay/members/region?depth=2&format=csv").get_data(as_text=True)
    assert members.splitlines()[:2] == [
        "United Kingdom code,United Kingdom,Nation code,Nation",
        "1,United Kingdom,1,England",
    ]
