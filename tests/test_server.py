"""The Flask app through its test client: every endpoint, every error class, CSV round trips."""

from __future__ import annotations

import csv
import io
import re

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openapi_spec_validator import validate

import oracle
from lmi_cubes.cube_server.app import create_app
from lmi_cubes.cube_server.params import ENDPOINTS
from lmi_cubes.etl import sources
from lmi_cubes.etl.load import load
from support import copy_data, rewrite


def assert_error(response, status, parameter=None):
    """The one error shape: status, type, message, request id; parameter and choices."""
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body) == {"error"}
    error = body["error"]
    assert error["status"] == status and error["message"] and error["request_id"]
    assert error["request_id"] == response.headers["X-Request-ID"]
    text = response.get_data(as_text=True)
    assert "Traceback" not in text and "SELECT" not in text
    if parameter is not None:
        assert error["parameter"] == parameter
    return error


def test_cubes_model_and_members(client):
    cubes = client.get("/cubes").get_json()
    assert [c["name"] for c in cubes] == ["ashe_hours", "ashe_pay", "working_futures"]
    model = client.get("/cube/working_futures/model").get_json()
    assert model["reliability"] == {
        "weight": "employment",
        "suppress_below": 1000,
        "reliable_from": 10000,
        "messages": {
            "suppressed": "no reliable data available",
            "low_reliability": "based on a relatively small sample",
        },
        "protection": "none",
    }
    assert "total_requirement" in [a["name"] for a in model["aggregates"]]
    members = client.get("/cube/ashe_pay/members/occupation?level=soc2&cut=occupation:2").get_json()
    assert [m["occupation.soc2"] for m in members["data"]] == [21, 22, 23, 24]
    assert members["data"][0] == {
        "occupation.soc1": 2,
        "occupation.soc1_title": "Professional occupations",
        "occupation.soc2": 21,
        "occupation.soc2_title": "Science, research, engineering and technology professionals",
    }


def test_crosstab_json_matches_an_independent_computation(client, pay):
    url = "/cube/ashe_pay/crosstab?rows=occupation:soc1&columns=gender&measure=mean_pay&cut=region:1,1"
    response = client.get(url)
    assert response.status_code == 200
    body = response.get_json()
    england = pay[pay.nation == 1].assign(weight=lambda f: f.Employment)
    expected = oracle.crosstab(england, "soc1", "gender", ["weight", "PayBill"])

    def cell(r, c):
        s = expected[(r, c)]
        return {"value": oracle.round_to(s.PayBill / s.weight, 10), "flag": oracle.flag(s.weight)}

    def strip(c):
        return {"value": c["value"], "flag": c["flag"]}

    assert [[strip(c) for c in row] for row in body["cells"]] == [
        [cell(r, g) for g in (1, 2)] for r in range(1, 10)
    ]
    assert [strip(c) for c in body["row_totals"]] == [cell(r, "total") for r in range(1, 10)]
    assert [strip(c) for c in body["column_totals"]] == [cell("total", g) for g in (1, 2)]
    assert strip(body["grand_total"]) == cell("total", "total")
    assert body["rows"]["members"][0] == {
        "key": 1,
        "label": "Managers, directors and senior officials",
    }
    assert body["table"] == "rollup_ashe_pay_soc1_sector" and body["vintage"]
    assert body["cuts"] == [
        {"dimension": "region", "level": "nation", "kind": "point", "keys": [1], "invert": False}
    ]


def test_suppressed_cells_reveal_nothing_and_offer_a_level_up(client):
    url = (
        "/cube/ashe_pay/crosstab?rows=occupation:soc4&columns=region:nation&measure=mean_pay"
        "&cut=gender:2|status:2|qualification:1,1"
    )
    body = client.get(url).get_json()
    withheld = [c for row in body["cells"] for c in row if c["flag"] == "suppressed"]
    assert withheld
    for c in withheld:
        assert c["value"] is None and c["reason"] == "no reliable data available"
        assert set(c) <= {"value", "flag", "reason", "go_up"}
    assert any(c.get("go_up") for c in withheld)
    filled = client.get(url + "&fallback=true").get_json()
    sources_seen = [c["filled_from"] for row in filled["cells"] for c in row if "filled_from" in c]
    assert sources_seen and all(s["level"] in ("soc3", "soc2", "soc1", "uk") for s in sources_seen)
    assert "row_totals" not in client.get(url + "&margins=false").get_json()


def test_csv_layouts_parse_back_to_the_json_numbers(client):
    base = "/cube/ashe_pay/crosstab?rows=occupation:soc2&columns=region:nation&measure=employment&cut=gender:1|status:2"
    body = client.get(base).get_json()
    tidy_text = client.get(base + "&format=csv").get_data(as_text=True)
    tidy = list(csv.DictReader(io.StringIO(tidy_text)))
    assert len(tidy) == (len(body["rows"]["members"]) + 1) * 5
    first = tidy[0]
    assert first["occupation_soc2_code"] == str(body["rows"]["members"][0]["key"])
    assert first["flag"] == body["cells"][0][0]["flag"]
    assert first["value"] == (
        "" if body["cells"][0][0]["value"] is None else str(body["cells"][0][0]["value"])
    )
    # codes stay numbers: a margin has no code and the label "Total"
    frame = pd.read_csv(io.StringIO(tidy_text))
    for column in ("occupation_soc2_code", "region_nation_code"):
        assert pd.api.types.is_numeric_dtype(frame[column])
    totals = frame[frame.occupation_soc2_label == "Total"]
    assert len(totals) == 5 and totals.occupation_soc2_code.isna().all()
    assert (
        frame.occupation_soc2_code.dropna()
        .astype(int)
        .isin([m["key"] for m in body["rows"]["members"]])
        .all()
    )
    wide_response = client.get(base + "&format=csv&layout=wide")
    assert wide_response.mimetype == "text/csv"
    name = wide_response.headers["Content-Disposition"]
    assert name.startswith('attachment; filename="ashe_pay_employment_occupation-soc2-by-region')
    assert "_gender-gender-1-Male_status-status-2-" in name
    assert name.endswith(f'_v{body["vintage"]}.csv"')
    text = wide_response.get_data(as_text=True)
    wide = list(csv.reader(io.StringIO(text)))
    nations = ["1 England", "2 Wales", "3 Scotland", "4 Northern Ireland", "Total"]
    assert wide[0] == ["occupation_soc2_code", "occupation_soc2_label"] + [
        h for n in nations for h in (n, f"{n} (symbol)")
    ]
    # GSS machine-readable layout: numbers stay numeric, symbols in their own columns
    frame = pd.read_csv(io.StringIO(text))
    assert all(pd.api.types.is_numeric_dtype(frame[n]) for n in nations)
    assert pd.api.types.is_numeric_dtype(frame["occupation_soc2_code"])
    symbols = 0
    for i, row in enumerate(wide[1:-1]):
        assert (int(row[0]), row[1]) == tuple(body["rows"]["members"][i].values())
        for j in range(len(nations) - 1):
            value, symbol = row[2 + 2 * j], row[3 + 2 * j]
            c = body["cells"][i][j]
            if c["flag"] == "suppressed":
                assert (value, symbol) == ("", "[x]")
                symbols += 1
            elif c["flag"] == "low_reliability":
                assert (float(value), symbol) == (c["value"], "[u]")
                symbols += 1
            else:
                assert (float(value), symbol) == (c["value"], "")
    assert symbols > 0
    assert wide[-1][:2] == ["", "Total"]


def test_aggregate_slicer_style(client, pay):
    url = "/cube/ashe_pay/aggregate?drilldown=occupation:soc1|gender&aggregates=employment|mean_pay&order=employment:desc&pagesize=5"
    body = client.get(url).get_json()
    assert body["total_cell_count"] == 18 and len(body["cells"]) == 5
    top = body["cells"][0]
    frame = pay.assign(weight=pay.Employment)
    sums = frame.groupby(["soc1", "gender"])[["weight", "PayBill"]].sum()
    r, g = sums.weight.idxmax()
    assert (top["occupation.soc1"], top["gender.gender"]) == (r, g)
    assert top["employment"] == oracle.round_to(sums.weight.max(), 10)
    assert top["mean_pay"] == oracle.round_to(
        sums.loc[(r, g), "PayBill"] / sums.loc[(r, g), "weight"], 10
    )
    assert top["flag"] == "reliable" and top["occupation.soc1_title"]
    assert body["summary"]["employment"] == oracle.round_to(frame.weight.sum(), 10)
    csv_text = client.get(url + "&format=csv&header=names").get_data(as_text=True)
    assert csv_text.splitlines()[0].startswith(
        "occupation.soc1,occupation.soc1_title,gender.gender"
    )


def test_etag_and_caching_headers(client):
    url = "/cube/ashe_hours/crosstab?rows=gender&columns=status"
    first = client.get(url)
    assert first.headers["Access-Control-Allow-Origin"] == "*"
    assert "max-age" in first.headers["Cache-Control"]
    etag = first.headers["ETag"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304


def test_health_reports_vintage_and_row_counts(client, tiny_dir):
    body = client.get("/health").get_json()
    assert body["status"] == "ok" and body["vintage"] and body["loaded_at"]
    pay_rows = len((tiny_dir / sources.ASHE_PAY.file).read_text().splitlines()) - 1
    assert body["row_counts"]["fact_ashe_pay"] == pay_rows


@pytest.mark.parametrize(
    ("url", "status", "parameter", "choice"),
    [
        ("/cube/nope/crosstab?rows=gender", 404, "cube", "ashe_pay"),
        ("/cube/ashe_pay/crosstab?rows=shoe", 400, "rows", "occupation"),
        ("/cube/ashe_pay/crosstab?rows=occupation:soc9", 400, "rows", "soc2"),
        ("/cube/ashe_pay/crosstab?rows=gender&measure=wage", 400, "measure", "mean_pay"),
        ("/cube/ashe_pay/crosstab?rows=gender&cut=gender:9", 400, "cut", "2"),
        ("/cube/ashe_pay/crosstab?rows=gender&cut=gender", 400, "cut", None),
        ("/cube/ashe_pay/crosstab?rows=gender&cut=gender:1-2-3", 400, "cut", None),
        (
            "/cube/ashe_pay/crosstab?rows=gender&measure=mean_pay_at_age&age=19",
            400,
            "age",
            "20..65",
        ),
        (
            "/cube/ashe_pay/crosstab?rows=gender&measure=mean_pay_at_age&age=66",
            400,
            "age",
            "20..65",
        ),
        ("/cube/ashe_pay/crosstab?rows=gender&measure=mean_pay_at_age&age=old", 400, "age", None),
        ("/cube/ashe_pay/crosstab?rows=gender&measure=pay_decile&decile=15", 400, "decile", "10"),
        (
            "/cube/working_futures/crosstab?rows=gender&measure=expansion_demand&from=1900&to=2025",
            400,
            "from",
            "2021",
        ),
        (
            "/cube/ashe_pay/aggregate?drilldown=occupation:soc4|industry:ind75|gender",
            413,
            "drilldown",
            None,
        ),
        ("/cube/ashe_pay/crosstab?rows=gender&format=xml", 400, "format", "csv"),
        ("/cube/ashe_pay/crosstab?rows=gender&margins=perhaps", 400, "margins", "true"),
        ("/cube/ashe_pay/crosstab?rows=gender&colour=red", 400, "colour", "rows"),
        ("/cube/ashe_pay/crosstab", 400, "rows", "occupation"),
        ("/cube/ashe_pay/aggregate?drilldown=gender&pagesize=0", 400, "pagesize", None),
        ("/cube/ashe_pay/aggregate?drilldown=gender&order=shoe", 400, "order", "gender.gender"),
        ("/cube/ashe_pay/members/shoe", 404, "dimension", "occupation"),
        ("/cube/ashe_pay/members/occupation?level=soc7", 400, "level", "soc3"),
        ("/nowhere", 404, None, None),
    ],
)
def test_every_bad_request_gets_a_helpful_4xx(client, url, status, parameter, choice):
    error = assert_error(client.get(url), status, parameter)
    if choice is not None:
        assert choice in error["choices"]


def test_wrong_method_and_internal_errors_use_the_same_shape(client, warehouse, caplog):
    assert_error(client.post("/cubes"), 405)
    app = create_app({"WAREHOUSE": str(warehouse)})

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret detail")

    response = app.test_client().get("/boom")
    error = assert_error(response, 500)
    assert "secret" not in response.get_data(as_text=True)
    assert error["request_id"] in caplog.text and "secret detail" in caplog.text


def _concrete(rule: str) -> str:
    values = {"cube": "ashe_pay", "dimension": "occupation", "fact_id": "1"}
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m: values.get(m.group(1), "x"), rule)


def test_openapi_document_matches_the_real_routes_and_parser(client, app):
    """Checked against Flask's route map and the live parser, not the declarations the
    document is generated from: every data route is documented, every documented path is
    routed, every documented parameter is accepted, every documented range is enforced,
    and the documented response type is the one served."""
    doc = client.get("/openapi.json").get_json()
    validate(doc)
    documented = {p for p in doc["paths"] if not p.startswith("/api/v1")}
    routed = set()
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()) or rule.rule.startswith(("/static", "/api/v1")):
            continue
        response = client.get(_concrete(rule.rule))
        if response.mimetype in ("application/json", "text/csv") and rule.rule != "/openapi.json":
            routed.add(re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule))
    assert routed == documented
    for path, item in doc["paths"].items():
        if path.startswith("/api/v1") or "get" not in item or "200" not in item["get"]["responses"]:
            continue
        url = path.replace("{cube}", "ashe_pay").replace("{dimension}", "occupation")
        unknown = client.get(f"{url}?zzz=1")
        assert unknown.status_code == 400 and unknown.get_json()["error"]["parameter"] == "zzz"
        for param in item["get"]["parameters"]:
            if param["in"] != "query":
                continue
            schema = param["schema"]
            value = {"integer": str(schema.get("minimum", 1)), "boolean": "true"}.get(
                schema["type"], str(schema.get("enum", [param.get("example", "x")])[0])
            )
            response = client.get(f"{url}?{param['name']}={value}")
            body = response.get_json() if response.is_json else None
            error = body.get("error") if isinstance(body, dict) else None
            assert not (error and error["message"] == "unknown parameter"), (path, param)
            if "maximum" in schema:
                too_big = client.get(f"{url}?{param['name']}={schema['maximum'] + 1}")
                assert too_big.status_code == 400, (path, param["name"])
                assert too_big.get_json()["error"]["parameter"] == param["name"]
            if param["name"] == "format":  # each format's type is documented (json_lines was not)
                served = item["get"]["responses"]["200"]["content"]
                for name in schema["enum"]:
                    answer = client.get(f"{url}?format={name}")
                    assert answer.status_code != 200 or answer.mimetype in served, (path, name)
    cubes = doc["paths"]["/cubes"]["get"]["responses"]["200"]["content"]["application/json"]
    assert cubes["schema"]["type"] == "array" and isinstance(client.get("/cubes").get_json(), list)
    page = client.get("/docs")
    assert (
        page.status_code == 200
        and b"<script>" in page.data
        and b"http" not in page.data.split(b"<script>")[1][:200]
    )


TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)
KNOWN = st.sampled_from(
    [
        "occupation:soc2",
        "gender",
        "region:nation",
        "year",
        "1",
        "2020",
        "x:y",
        "|",
        ";",
        "-",
        "!",
        "@",
        "%",
        "",
    ]
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    endpoint=st.sampled_from(["crosstab", "aggregate", "members", "model"]),
    cube=st.sampled_from(["ashe_pay", "ashe_hours", "working_futures", "x"]),
    values=st.dictionaries(
        st.sampled_from(sorted({p.name for ps in ENDPOINTS.values() for p in ps} | {"bogus"})),
        st.one_of(TEXT, KNOWN),
        max_size=6,
    ),
)
def test_random_parameters_never_cause_a_server_error(client, endpoint, cube, values):
    path = (
        f"/cube/{cube}/{endpoint}" if endpoint != "members" else f"/cube/{cube}/members/occupation"
    )
    response = client.get(path, query_string=values)
    assert response.status_code < 500, (path, values, response.get_data(as_text=True)[:300])
    if response.status_code >= 400:
        assert_error(response, response.status_code)


def test_aggregate_without_drilldown_returns_the_summary(client, pay):
    """Regression: a 0-dimensional result once crashed the rounding step (500)."""
    body = client.get("/cube/ashe_pay/aggregate?aggregates=employment").get_json()
    assert body["cells"] == [] and body["total_cell_count"] == 0
    assert body["summary"] == {
        "employment": oracle.round_to(pay.Employment.sum(), 10),
        "flag": "reliable",
    }


def test_a_swapped_in_load_is_served_without_a_restart(tiny_dir, tmp_path):
    """Regression: DuckDB keeps one instance per path per process, so reopening the
    warehouse path after a swap once served the old data; the old engine is released."""
    target = tmp_path / "w.duckdb"
    load(tiny_dir, target)
    app = create_app({"WAREHOUSE": str(target)})
    client = app.test_client()
    url = "/cube/ashe_pay/aggregate?aggregates=employment"
    before = client.get(url).get_json()
    old = app.extensions["lmi_cubes"].current()
    data = copy_data(tiny_dir, tmp_path / "changed")
    rewrite(
        data / sources.ASHE_PAY.file,
        lambda ls: ls.__setitem__(1, ",".join([*ls[1].split(",")[:7], "1000000", "500000000"])),
    )
    load(data, target)
    after = client.get(url).get_json()
    assert after["vintage"] != before["vintage"]
    assert after["summary"]["employment"] > before["summary"]["employment"] + 900_000
    assert old.engine.warehouse.pool.checkedin() == 0  # the replaced file is let go
