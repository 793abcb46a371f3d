"""LMI for All API v1 protocol: JSONP, CORS, signed requests, lenient and unknown
parameters, the original's error shapes and quirks, and the OpenAPI document."""

from __future__ import annotations

import re
from pathlib import Path

import orjson
import pytest
from openapi_spec_validator import validate
from test_lmi4all import SIGNED, get, js

from lmi_cubes.cube_server.app import create_app


@pytest.fixture(scope="module")
def client(warehouse: Path):
    return create_app({"WAREHOUSE": str(warehouse)}).test_client()


URLS = [
    "/api/v1/soc/search?q=nurse",
    "/api/v1/soc/code/2231",
    "/api/v1/ashe/estimatePay?soc=2231&coarse=true",
    "/api/v1/ashe/estimateHours?soc=2231",
    "/api/v1/ashe/annualChanges?soc=2231",
    "/api/v1/ashe/filters/all",
    "/api/v1/wf/predict?soc=2231",
    "/api/v1/wf/predict/breakdown/region?soc=2231",
    "/api/v1/wf/replacement_demand?soc=2231",
    "/api/v1/wf/filters/all",
]


@pytest.mark.parametrize("url", URLS)
def test_jsonp_signing_and_junk_parameters(client, url):
    url += "&" if "?" in url else "?"
    plain = get(client, url)
    assert plain.content_type == "application/json; charset=utf-8"
    assert "Expires" in plain.headers
    wrapped = get(client, url + "callback=jQuery1234_567&_=1700000000")
    assert wrapped.content_type == "application/javascript; charset=utf-8"
    text = wrapped.get_data(as_text=True)
    match = re.fullmatch(r"/\*\*/jQuery1234_567\((.*)\);", text, re.S)
    assert match and orjson.loads(match.group(1)) == orjson.loads(plain.data)
    assert get(client, url, headers=SIGNED).data == plain.data
    assert get(client, url + "filter=region:1&unknown=x").data == plain.data
    bad = get(client, url + "callback=alert(1)//")  # not an identifier: plain JSON
    assert bad.content_type == "application/json; charset=utf-8" and bad.data == plain.data


def test_glued_parameters_are_read_leniently(client):
    glued = js(client, "/api/v1/ashe/estimatePay?soc=2231coarse=false")
    assert glued == js(client, "/api/v1/ashe/estimatePay?soc=2231")
    filtered = js(client, "/api/v1/ashe/estimatePay?soc=2231&filters=region%3A12coarse=false")
    assert filtered == js(client, "/api/v1/ashe/estimatePay?soc=2231&filters=region:12")
    encoded = js(client, "/api/v1/ashe/estimatePay?soc=2231&filters=region%3A1%7Cgender%3A2")
    assert encoded == js(client, "/api/v1/ashe/estimatePay?soc=2231&filters=region:1|gender:2")


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/v1/soc/search", 400),
        ("/api/v1/soc/search?q=+", 400),
        ("/api/v1/ashe/estimatePay", 400),
        ("/api/v1/ashe/estimatePay?soc=abc", 400),
        ("/api/v1/ashe/estimatePay?soc=99999", 400),
        ("/api/v1/ashe/estimatePay?soc=2231&filters=shoe:1", 400),
        ("/api/v1/ashe/estimatePay?soc=2231&filters=region:99", 400),
        ("/api/v1/ashe/estimatePay?soc=2231&filters=region:x", 400),
        ("/api/v1/ashe/estimatePay?soc=2231&filters=region:1|region:2", 400),
        ("/api/v1/ashe/estimatePay?soc=2231&breakdown=postcode", 404),
        ("/api/v1/ashe/estimateHours?soc=2231'%20OR%201=1--", 200),
        ("/api/v1/ashe/estimatePay?soc=2231&filters=region:1;DROP%20TABLE%20x", 200),
        ("/api/v1/wf/predict?soc=", 400),
        ("/api/v1/wf/replacement_demand?soc=2231&minYear=2027&maxYear=2024", 400),
        ("/api/v1/vacancies/search?keywords=nurse", 404),
        ("/api/v1/census/jobs_breakdown?area=SW1A", 404),
        ("/api/v1/lfs/unemployment?soc=2231", 404),
        ("/api/v1/hesa/courses/2231", 404),
        ("/api/v1/ashe/estimatePayMD?soc=2231", 404),
    ],
)
def test_errors_have_the_original_shape(client, url, status):
    body = js(client, url, status)
    if status != 200:
        assert set(body) == {"error"} and isinstance(body["error"], str)
        assert not re.search(r"SELECT|Traceback|duckdb|sqlalchemy", body["error"], re.I)


def test_unknown_soc_code_is_an_empty_200(client):
    response = get(client, "/api/v1/soc/code/9999")
    assert response.data == b"" and response.headers["Content-Length"] == "0"
    # not labelled JSON: an empty body is no JSON document (found by the OpenAPI fuzzer)
    assert response.mimetype == "text/plain"
    assert get(client, "/api/v1/soc/code/abc").data == b""


def test_only_get(client):
    for method in (client.post, client.put, client.delete):
        response = method("/api/v1/soc/search?q=nurse")
        assert response.status_code == 405
        assert orjson.loads(response.data) == {"error": "Only GET requests are supported."}


def test_openapi_covers_api_v1(client):
    document = orjson.loads(client.get("/openapi.json").data)
    validate(document)
    paths = [p for p in document["paths"] if p.startswith("/api/v1/")]
    assert len(paths) == 14 and "/cube/{cube}/crosstab" in document["paths"]
    for path in paths:
        concrete = path.replace("{soc}", "2231").replace("{name}", "region")
        concrete = concrete.replace("{dimension}", "region")
        response = client.get(concrete + "?soc=2231&q=nurse")
        assert response.status_code == 200, path


def test_cors_preflight_for_signed_requests(client):
    response = client.options(
        "/api/v1/ashe/estimatePay?soc=2231",
        headers={"Origin": "null", "Access-Control-Request-Headers": "authorization"},
    )
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    # header names are case-insensitive; the preflight allows what the browser asked for
    assert "authorization" in response.headers["Access-Control-Allow-Headers"].lower()
