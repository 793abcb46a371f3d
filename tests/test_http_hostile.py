"""What an attacker or a careless client sends, over real HTTP to `lmi-cubes serve`.

Every answer is the one JSON error shape (or a correct result), never a 5xx or an HTML page.
"""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

import orjson
import pytest
import requests

from lmi_cubes.cube_server.app import create_app
from lmi_cubes.cube_server.state import ResultCache
from support import serving

SOC4 = "/cube/ashe_pay/crosstab?rows=gender&measure=employment"


@pytest.fixture(scope="module")
def base(warehouse):
    with serving(warehouse) as url:
        yield url


@pytest.fixture(scope="module")
def unit_groups(base) -> list[str]:
    records = requests.get(
        f"{base}/cube/working_futures/members/occupation?level=soc4", timeout=30
    ).json()["data"]
    levels = ("soc1", "soc2", "soc3", "soc4")
    return [",".join(str(r[f"occupation.{lv}"]) for lv in levels) for r in records]


def json_error(response: requests.Response, status: int, parameter: str | None = None) -> dict:
    assert response.status_code == status, response.text[:300]
    assert response.headers["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["status"] == status and error["message"] and error["request_id"]
    if parameter is not None:
        assert error["parameter"] == parameter
    return error


def raw_request(base: str, request: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send bytes no HTTP library would send; return status, headers and body."""
    where = urlsplit(base)
    with socket.create_connection((where.hostname, where.port), timeout=30) as sock:
        sock.sendall(request)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), {k.lower(): v for k, v in headers.items()}, body


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("/cube/ashe_pay/aggregate?drilldown=gender&page=18446744073709551616", "page"),
        ("/cube/ashe_pay/aggregate?drilldown=gender&page=9999999999", "page"),
        ("/cube/ashe_pay/aggregate?drilldown=gender&pagesize=1_000", "pagesize"),
        ("/cube/ashe_pay/crosstab?rows=gender&measure=mean_pay_at_age&age=2_5", "age"),
        ("/cube/ashe_pay/crosstab?rows=gender&measure=mean_pay_at_age&age=\u0662\u0665", "age"),
        ("/cube/ashe_pay/crosstab?rows=gender&measure=mean_pay_at_age&age=%2025", "age"),
        ("/cube/ashe_pay/crosstab?rows=gender&measure=mean_pay_at_age&age=", "age"),
        ("/cube/ashe_pay/crosstab?rows=gender&format=", "format"),
    ],
)
def test_numbers_are_plain_digits_and_empty_values_are_errors(base, query, parameter):
    json_error(requests.get(base + query, timeout=30), 400, parameter)


def test_a_wrong_method_says_which_are_allowed(base):
    response = requests.put(f"{base}/cubes", timeout=30)
    error = json_error(response, 405)
    assert "GET" in response.headers["Allow"] and "GET" in error["choices"]


def test_unparseable_requests_get_the_json_error_shape(base):
    too_long = requests.get(f"{base}{SOC4}&cut={'x' * 9000}", timeout=30)
    assert "POST" in json_error(too_long, 414)["message"]
    huge_header = requests.get(f"{base}/cubes", headers={"X-Big": "y" * 20000}, timeout=30)
    json_error(huge_header, 431)
    status, headers, body = raw_request(
        base, "GET /cube/ashe_pay/members/r\u00e9gion HTTP/1.1\r\nHost: x\r\n\r\n".encode()
    )
    # the server refuses the request line itself: a 400 in the JSON error shape saying why
    assert status == 400 and headers["content-type"].startswith("application/json")
    error = orjson.loads(body)["error"]
    assert (error["status"], error["type"]) == (400, "bad_request")
    assert "non-ASCII characters in a URL must be percent-encoded" in error["message"]


def test_a_cut_of_all_369_unit_groups_works_by_get_and_by_post(base, unit_groups):
    cut = "occupation:" + ";".join(unit_groups)
    assert len(unit_groups) == 369 and len(cut) > 4096
    url = f"{base}{SOC4}&cut={cut}"  # , ; and : unencoded, as a person types them
    by_get = requests.get(url, timeout=60)
    assert by_get.status_code == 200, by_get.text[:300]
    by_post = requests.post(
        f"{base}/cube/ashe_pay/crosstab",
        data={"rows": "gender", "measure": "employment", "cut": cut},
        timeout=60,
    )
    assert by_post.status_code == 200 and by_post.json() == by_get.json()
    everyone = requests.get(f"{base}{SOC4}", timeout=30).json()
    assert by_get.json()["grand_total"] == everyone["grand_total"]
    wrong_type = requests.post(f"{base}/cube/ashe_pay/crosstab", json={"rows": "gender"})
    json_error(wrong_type, 400)


def test_set_cuts_are_deduplicated_and_bounded(base, unit_groups):
    one = requests.get(f"{base}{SOC4}&cut=occupation:{unit_groups[0]}", timeout=30).json()
    repeated = ";".join([unit_groups[0]] * 3000)
    again = requests.post(
        f"{base}/cube/ashe_pay/crosstab",
        data={"rows": "gender", "measure": "employment", "cut": f"occupation:{repeated}"},
        timeout=30,
    )
    assert again.status_code == 200 and again.json()["cells"] == one["cells"]
    many = ";".join(str(n) for n in range(1, 1100))
    error = json_error(
        requests.post(
            f"{base}/cube/ashe_pay/crosstab",
            data={"rows": "gender", "cut": f"occupation:{many}"},
            timeout=30,
        ),
        400,
        "cut",
    )
    assert "at most 1000" in error["message"]


def test_health_does_not_reveal_where_the_warehouse_lives(base, warehouse):
    text = requests.get(f"{base}/health", timeout=30).text
    assert str(warehouse.parent) not in text and warehouse.name in text


@pytest.mark.parametrize(
    "query",
    [
        "/cube/ashe_pay/aggregate?aggregates=pay_decile_p\u00b9",
        "/cube/ashe_pay/aggregate?aggregates=mean_pay_at_age_\u00b2\u2075",
    ],
)
def test_digits_that_int_refuses_are_400s_not_500s(base, query):
    """'¹'.isdigit() is True but int('¹') raises: found by the OpenAPI fuzzer as a 500."""
    json_error(requests.get(base + query, timeout=30), 400, "aggregates")


def test_digits_that_int_refuses_are_no_soc_codes_in_api_v1(base):
    """Superscripts were a 500 and Arabic-Indic digits a SOC code; codes are ASCII digits."""
    for text in ("\u00b9", "\u0662\u0662\u0663\u0661"):
        found = requests.get(f"{base}/api/v1/soc/search", params={"q": text}, timeout=30)
        assert found.status_code == 200 and found.json() == []
        code = requests.get(f"{base}/api/v1/soc/code/{text}", timeout=30)
        assert code.status_code == 200 and code.content == b""  # the original's "not found"
    assert requests.get(f"{base}/api/v1/soc/code/2231", timeout=30).json()["soc"] == 2231


@pytest.mark.parametrize(
    ("path", "status", "parameter"),
    [
        ("/cube/nope/crosstab?rows=gender", 404, "cube"),
        ("/cube/ashe_pay/members/shoe", 404, "dimension"),
        ("/cube/ashe_pay/crosstab?rows=gender&measure=wage", 400, "measure"),
        ("/cube/ashe_pay/crosstab?rows=occupation:soc9", 400, "rows"),
        ("/cube/ashe_pay/members/occupation?level=soc7", 400, "level"),
    ],
)
def test_404_is_for_the_path_and_400_for_parameter_values(base, path, status, parameter):
    json_error(requests.get(base + path, timeout=30), status, parameter)


def test_favicon(base):
    icon = requests.get(f"{base}/favicon.ico", timeout=30)
    assert icon.status_code == 200 and icon.headers["Content-Type"] == "image/x-icon"
    assert icon.content[:4] == b"\0\0\1\0"


def test_the_result_cache_is_bounded_in_bytes(warehouse):
    cache = ResultCache(max_bytes=100_000)
    for i in range(200):
        cache.put(("id", "/x", str(i)), (b"x" * 1000, "application/json", "etag"))
    assert cache.bytes <= 100_000 and 50 <= len(cache) < 100
    assert cache.get(("id", "/x", "199")) is not None and cache.get(("id", "/x", "0")) is None
    cache.put(("id", "/huge"), (b"x" * 20_000, "text/csv", "etag"))  # over an eighth: not kept
    assert cache.get(("id", "/huge")) is None
    app = create_app({"WAREHOUSE": str(warehouse), "CACHE_MB": 0.05})
    client = app.test_client()
    for level in ("soc1", "soc2", "soc3"):
        for region in ("nation", "region"):
            url = f"/cube/ashe_pay/crosstab?rows=occupation:{level}&columns=region:{region}"
            for _ in range(2):  # a response is kept from its request's second time
                assert client.get(url).status_code == 200
    state = app.extensions["lmi_cubes"]
    assert 0 < state.cache.bytes <= 0.05 * (1 << 20)
