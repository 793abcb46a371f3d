"""Per-client limits over real HTTP to `lmi-cubes serve`: a request rate and a number of
requests in progress per client (its API key, else its address, else the address a trusted
proxy names), answered 429 with Retry-After in the JSON error shape; optional API keys."""

from __future__ import annotations

import concurrent.futures

import pytest
import requests

from support import serving

LIMITED = {
    "LMI_CUBES_CLIENT_RATE": "10/minute",
    "LMI_CUBES_API_KEYS": "alpha-key,beta-key",
    "LMI_CUBES_TRUSTED_PROXY": "127.0.0.1",
}


@pytest.fixture(scope="module")
def base(warehouse):
    with serving(warehouse, env=LIMITED, workers=1, threads=2) as url:
        yield url


def statuses(base: str, n: int, headers: dict[str, str] | None = None) -> list[int]:
    return [
        requests.get(f"{base}/cubes", headers=headers or {}, timeout=30).status_code
        for _ in range(n)
    ]


def test_a_client_over_its_rate_gets_a_429_saying_when_to_retry(base):
    proxy = {"X-Forwarded-For": "10.0.0.1"}
    assert statuses(base, 10, proxy) == [200] * 10
    refused = requests.get(f"{base}/cubes", headers=proxy, timeout=30)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    assert refused.headers["X-RateLimit-Limit"] == "10"
    assert refused.headers["Content-Type"].startswith("application/json")
    assert refused.json()["error"]["status"] == 429
    # another client, named by the trusted proxy, and the health check are not affected
    assert statuses(base, 3, {"X-Forwarded-For": "10.0.0.2"}) == [200] * 3
    assert requests.get(f"{base}/health", headers=proxy, timeout=30).status_code == 200
    # a key is a client of its own, wherever it comes from
    keyed = {**proxy, "X-API-Key": "alpha-key"}
    assert statuses(base, 3, keyed) == [200] * 3


def test_an_unknown_api_key_is_a_401(base):
    response = requests.get(f"{base}/cubes", headers={"X-API-Key": "guess"}, timeout=30)
    assert response.status_code == 401 and "X-API-Key" in response.json()["error"]["message"]


def test_api_keys_can_be_required(warehouse):
    env = {"LMI_CUBES_API_KEYS": "alpha-key", "LMI_CUBES_REQUIRE_API_KEY": "1"}
    with serving(warehouse, env=env, workers=1, threads=2) as url:
        missing = requests.get(f"{url}/cubes", timeout=30)
        assert missing.status_code == 401 and missing.json()["error"]["message"]
        keyed = requests.get(f"{url}/cubes", headers={"X-API-Key": "alpha-key"}, timeout=30)
        assert keyed.status_code == 200


def test_a_client_may_have_only_so_many_requests_in_progress(warehouse):
    env = {"LMI_CUBES_CLIENT_CONCURRENCY": "1", "LMI_CUBES_CACHE_MB": "0", "LMI_CUBES_ROLLUPS": "0"}
    url = "/cube/ashe_pay/aggregate?drilldown=occupation:soc4|industry:ind75&aggregates=mean_pay"
    with (
        serving(warehouse, env=env, workers=1, threads=4) as base,
        concurrent.futures.ThreadPoolExecutor(6) as pool,
    ):
        answers = list(pool.map(lambda _: requests.get(base + url, timeout=60), range(6)))
    codes = sorted(a.status_code for a in answers)
    assert 200 in codes and 429 in codes and set(codes) <= {200, 429}, codes
    busy = next(a for a in answers if a.status_code == 429)
    assert busy.headers["Retry-After"] == "1" and "in progress" in busy.json()["error"]["message"]
