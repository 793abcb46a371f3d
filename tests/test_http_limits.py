"""One client's requests cannot take the server down: bounded parsing, bounded work per
request, bounded bodies, and every hostile input a 4xx, over real HTTP to `lmi-cubes serve`.

Each request here once cost minutes of CPU, hundreds of megabytes, a silently wrong answer
or a 500; each test bounds the time it waits, so a regression fails instead of hanging.
"""

from __future__ import annotations

import json
import socket
import time
from urllib.parse import urlsplit

import pytest
import requests

from support import serving

CROSSTAB = "/cube/ashe_pay/crosstab"
AGES = "|".join(f"mean_pay_at_age_{a}" for a in range(20, 66))
DECILES = "|".join(f"pay_decile_p{d}" for d in range(10, 100, 10))
EVERY_AGGREGATE = f"employment|mean_pay|median_pay|{DECILES}|{AGES}"
# 369 unit groups x 75 industries: under the per-query cell limit, 58 queries' worth of work
WIDEST = "occupation:soc4|industry:ind75"


@pytest.fixture(scope="module")
def base(warehouse):
    with serving(warehouse) as url:
        yield url


def json_error(response: requests.Response, status: int, parameter: str | None = None) -> dict:
    assert response.status_code == status, response.text[:300]
    assert response.headers["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["status"] == status and error["message"] and error["request_id"]
    if parameter is not None:
        assert error["parameter"] == parameter, error
    return error


def raw_exchange(base: str, request: bytes, half_close: bool = False, wait: float = 20) -> bytes:
    """Send bytes no HTTP library would send; everything the server answers before it closes
    (or `wait` seconds pass)."""
    where = urlsplit(base)
    with socket.create_connection((where.hostname, where.port), timeout=wait) as sock:
        sock.sendall(request)
        if half_close:
            sock.shutdown(socket.SHUT_WR)
        data = b""
        deadline = time.monotonic() + wait
        try:
            while time.monotonic() < deadline and (chunk := sock.recv(65536)):
                data += chunk
                if b"\r\n\r\n" in data and _complete(data):
                    break
        except (TimeoutError, ConnectionResetError):
            pass
    return data


def _complete(data: bytes) -> bool:
    head, _, body = data.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return len(body) >= int(value)
    return False


def status_of(data: bytes) -> int | None:
    return int(data.split()[1]) if data.startswith(b"HTTP/") else None


# -- parsing is linear, and bounded before it starts -----------------------------------------


def test_a_cut_of_fifty_thousand_parts_is_refused_at_once(base):
    """52,423 repeated parts took 76 s of CPU before their 400 (a quadratic repeat check);
    26,000 (a 234 KB form body, under the form limit) took a quarter of that."""
    started = time.monotonic()
    response = requests.post(
        base + CROSSTAB,
        data={"rows": "gender", "cut": "|".join(["ab:1"] * 26_000)},
        timeout=10,
    )
    error = json_error(response, 400, "cut")
    assert "at most" in error["message"]
    assert time.monotonic() - started < 5


def test_a_repeated_dimension_is_still_named(base):
    error = json_error(
        requests.get(f"{base}{CROSSTAB}?rows=gender&cut=gender:1|region:1|gender:2", timeout=30),
        400,
        "cut",
    )
    assert "'gender' is cut more than once" in error["message"]


def test_a_report_with_thousands_of_cuts_is_refused_at_once(base):
    """A 2 MB /report with 60,000 cuts took 205 s."""
    body = {
        "queries": {"c": {"query": "cell"}},
        "cell": [{"type": "point", "dimension": "ab", "path": ["1"]}] * 15_000,
    }
    started = time.monotonic()
    response = requests.post(f"{base}/cube/ashe_pay/report", json=body, timeout=10)
    assert "at most" in json_error(response, 400, "cell")["message"]
    assert time.monotonic() - started < 5


def test_json_nested_a_hundred_thousand_deep_is_a_400(base):
    body = b'{"queries": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    response = requests.post(
        f"{base}/cube/ashe_pay/report",
        data=body,
        headers={"Content-Type": "application/json"},
        timeout=10,
    )
    assert "nested" in json_error(response, 400, "queries")["message"]


def test_a_report_of_too_many_queries_is_refused(base):
    queries = {f"q{i}": {"query": "cell"} for i in range(1000)}
    response = requests.post(f"{base}/cube/ashe_pay/report", json={"queries": queries}, timeout=10)
    assert "at most" in json_error(response, 413, "queries")["message"]


# -- every request has a budget, checked before the work -------------------------------------


def test_an_aggregate_of_every_parameter_set_is_over_the_budget(base):
    """58 parameter sets of 27,675 cells each: 15 s of CPU, 358 MB and a 60 MB body."""
    url = f"{base}/cube/ashe_pay/aggregate?drilldown={WIDEST}&aggregates={EVERY_AGGREGATE}"
    started = time.monotonic()
    error = json_error(requests.get(url + "&fallback=true", timeout=10), 413, "aggregates")
    assert time.monotonic() - started < 3
    assert "cells" in error["message"] and "split" in error["message"]
    assert "LMI_CUBES" not in error["message"]  # the limit, not the server's settings


def test_a_report_adds_its_queries_up_against_the_budget(base):
    one = {"query": "aggregate", "drilldown": WIDEST.split("|"), "aggregates": DECILES.split("|")}
    started = time.monotonic()
    response = requests.post(
        f"{base}/cube/ashe_pay/report",
        json={"queries": {f"q{i}": one for i in range(4)}},
        timeout=10,
    )
    error = json_error(response, 413, "queries")
    assert "split" in error["message"] and time.monotonic() - started < 3


def test_an_ordinary_request_of_several_parameter_sets_is_answered(base):
    url = (
        f"{base}/cube/ashe_pay/aggregate?drilldown=occupation:soc1"
        f"&aggregates=employment|mean_pay|{DECILES}"
    )
    response = requests.get(url, timeout=30)
    assert response.status_code == 200, response.text[:300]
    assert len(response.json()["cells"]) == 9


# -- bodies: bounded, complete, in any framing -------------------------------------------------


def test_a_report_body_is_bounded(base):
    body = json.dumps({"queries": {"c": {"query": "cell"}}, "pad": "x" * 5_000_000})
    response = requests.post(
        f"{base}/cube/ashe_pay/report",
        data=body,
        headers={"Content-Type": "application/json"},
        timeout=20,
    )
    assert "bytes" in json_error(response, 413)["message"]


def test_a_chunked_form_post_keeps_its_cut(base):
    """The body of a chunked POST was dropped: the unfiltered table came back with a 200."""
    form = b"rows=occupation:soc1&measure=employment&cut=gender:2"
    chunks = b"%x\r\n%s\r\n0\r\n\r\n" % (len(form), form)
    answer = raw_exchange(
        base,
        b"POST /cube/ashe_pay/crosstab HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n" + chunks,
    )
    women = requests.get(
        f"{base}{CROSSTAB}?rows=occupation:soc1&measure=employment&cut=gender:2", timeout=30
    ).json()
    assert status_of(answer) == 200, answer[:300]
    body = json.loads(answer.partition(b"\r\n\r\n")[2])
    assert body["grand_total"] == women["grand_total"]


def test_a_body_shorter_than_its_content_length_is_never_answered_200(base):
    form = b"rows=occupation:soc1&measure=employment&cut=gender:2"
    answer = raw_exchange(
        base,
        b"POST /cube/ashe_pay/crosstab HTTP/1.1\r\nHost: x\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n"
        b"Content-Length: %d\r\n\r\n%s" % (len(form) + 100, form),
        half_close=True,
    )
    assert status_of(answer) in (None, 400), answer[:300]


def test_a_form_body_that_is_not_utf8_is_a_400(base):
    response = requests.post(
        base + CROSSTAB,
        data=b"rows=gender&cut=gender:\xff\xfe",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        timeout=10,
    )
    json_error(response, 400)


# -- hostile numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/ashe/estimatePay?soc={n}",
        "/api/v1/ashe/estimatePay?soc=2231&age={n}",
        "/api/v1/wf/predict?soc=2231&minYear={n}",
        "/api/v1/wf/predict?soc=2231&maxYear={n}",
        "/api/v1/soc/code/{n}",
    ],
)
def test_integers_of_thousands_of_digits_are_400s_in_api_v1(base, path):
    response = requests.get(base + path.format(n="9" * 5000), timeout=10)
    if path.startswith("/api/v1/soc/code/"):  # the original's "not found": an empty 200
        assert response.status_code == 200 and response.content == b""
        return
    assert response.status_code == 400, response.text[:200]
    assert "error" in response.json()


@pytest.mark.parametrize(
    "value", ["\u0662\u0662\u0663\u0661", "\uff12\uff12\uff13\uff11", "2231\0"]
)
def test_api_v1_numbers_are_ascii_digits(base, value):
    response = requests.get(f"{base}/api/v1/ashe/estimatePay", params={"soc": value}, timeout=10)
    assert response.status_code == 400, response.text[:200]
    assert "error" in response.json()


# -- methods -----------------------------------------------------------------------------------


def test_api_v1_405s_say_which_methods_are_allowed(base):
    response = requests.post(f"{base}/api/v1/soc/search?q=nurse", timeout=10)
    assert response.status_code == 405 and "GET" in response.headers["Allow"]


def test_options_on_a_cube_endpoint_lists_post(base):
    response = requests.options(f"{base}/cube/ashe_pay/aggregate", timeout=10)
    assert response.status_code == 200
    allowed = {m.strip() for m in response.headers["Allow"].split(",")}
    assert {"GET", "POST", "OPTIONS"} <= allowed


# -- headers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/widget",
        "/docs",
        "/cubes",
        "/health",
        "/openapi.json",
        "/static/explorer.js",
        "/cube/nope/model",
        "/api/v1/soc/search?q=nurse",
        f"{CROSSTAB}?rows=gender&format=csv",
    ],
)
def test_no_answer_may_be_sniffed_as_another_type(base, path):
    response = requests.get(base + path, timeout=30)
    assert response.headers["X-Content-Type-Options"] == "nosniff", response.headers


def test_an_unparseable_request_is_not_sniffed_either(base):
    response = requests.get(f"{base}{CROSSTAB}?cut={'x' * 9000}", timeout=30)
    assert response.status_code == 414 and response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("path", ["/", "/explorer", "/slicer", "/docs"])
def test_pages_load_only_their_own_code_and_are_not_framed(base, path):
    response = requests.get(base + path, timeout=30)
    policy = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy and "default-src 'self'" in policy
    assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";")[0]
    assert response.headers["X-Frame-Options"] == "DENY"


def test_the_widget_can_be_embedded_anywhere(base):
    response = requests.get(f"{base}/widget", timeout=30)
    assert "frame-ancestors *" in response.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in response.headers


def test_the_docs_page_allows_exactly_its_own_inline_script(base):
    import base64
    import hashlib
    import re

    response = requests.get(f"{base}/docs", timeout=30)
    scripts = re.findall(rb"<script>(.*?)</script>", response.content, re.S)
    policy = response.headers["Content-Security-Policy"]
    for script in scripts:
        digest = base64.b64encode(hashlib.sha256(script).digest()).decode()
        assert f"'sha256-{digest}'" in policy


def test_a_double_slash_path_is_no_redirect_to_another_host(base):
    """`//cubes` was a 308 to an absolute URL built from the Host header, as an HTML page."""
    for path in (b"//cubes", b"//evil.example/cubes", b"//cube//ashe_pay//model"):
        answer = raw_exchange(
            base, b"GET %s HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n" % path
        )
        head, _, body = answer.partition(b"\r\n\r\n")
        assert b"evil.example" not in head and b"<html" not in body.lower(), answer[:400]
        assert b"application/json" in head.lower() or status_of(answer) == 200, answer[:400]


def test_the_access_log_cuts_long_urls_and_no_control_socket_is_shared(warehouse, tmp_path):
    """A 4,300-digit URL was logged whole; gunicorn's control socket sat at a path every
    instance on the machine shares (under $HOME)."""
    import os
    import signal
    import subprocess
    import sys

    from support import free_port

    port = free_port()
    out = tmp_path / "access.log"
    with out.open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "lmi_cubes.cli", "serve", "--warehouse", str(warehouse),
             "--port", str(port), "--workers", "1", "--threads", "2"],
            stdout=log, stderr=subprocess.DEVNULL, start_new_session=True,
            env={**os.environ, "HOME": str(tmp_path)},
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(f"{base}/version", timeout=20)
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline
                time.sleep(0.2)
        digits = "9" * 4300
        requests.get(f"{base}/api/v1/ashe/estimatePay?soc={digits}", timeout=10)
        time.sleep(0.5)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    lines = [line for line in out.read_text().splitlines() if "estimatePay" in line]
    assert lines and all(len(line) < 1000 and digits not in line for line in lines), lines
    assert not (tmp_path / ".gunicorn").exists()


def test_the_servers_own_refusals_in_api_v1_keep_its_error_shape(base):
    """A URL over the length limit in /api/v1 fell through to its catch-all handler: a 500."""
    digits = "9" * 5000
    response = requests.get(f"{base}/api/v1/wf/predict?soc={digits}&minYear={digits}", timeout=10)
    assert response.status_code == 414 and "POST" in response.json()["error"]


def test_wall_clock_and_response_size_limits(warehouse):
    """A request of many short statements stopped at none of them: the request's own clock
    is checked between its queries; an answer over the byte limit is refused, not sent."""
    env = {"LMI_CUBES_REQUEST_TIMEOUT_S": "0.000001", "LMI_CUBES_MAX_RESPONSE_MB": "0.01"}
    with serving(warehouse, env=env, workers=1, threads=2) as url:
        slow = requests.get(
            f"{url}/cube/ashe_pay/aggregate?drilldown=gender&aggregates=mean_pay|{DECILES}",
            timeout=30,
        )
        assert slow.status_code == 504, slow.text[:300]
        assert "limit of 1e-06 s" in slow.json()["error"]["message"]
        big = requests.get(f"{url}{CROSSTAB}?rows=occupation:soc4&columns=region", timeout=30)
        error = json_error(big, 413, "format")
        assert "bytes; the limit is 10,485;" in error["message"]
