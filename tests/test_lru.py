"""The byte-bounded caches keep what is asked for again: a one-off request neither fills a
worker's memory nor evicts what repeated requests use."""

from __future__ import annotations

from lmi_cubes.aggregates.lru import ASKED_KEYS, MEMO_ENTRIES, Memo, SizedLRU
from lmi_cubes.cube_server.app import create_app
from lmi_cubes.cube_server.state import ResultCache


def test_requests_for_missing_keys_are_counted_until_kept():
    cache: SizedLRU[bytes] = SizedLRU(1000, lambda key, value: len(value))
    assert [cache.asked("a") for _ in range(3)] == [1, 2, 3]
    assert cache.asked("b") == 1
    cache.put("a", b"x")
    assert cache.asked("a") == 1  # counted afresh once kept and then missing again
    cache.clear()
    assert cache.asked("b") == 1


def test_only_the_latest_keys_asked_for_are_counted():
    cache: SizedLRU[bytes] = SizedLRU(1000, lambda key, value: len(value))
    cache.asked("old")
    for i in range(ASKED_KEYS):
        cache.asked(i)
    assert cache.asked("old") == 1  # forgotten: the count stays bounded
    assert cache.asked(ASKED_KEYS - 1) == 2


def test_a_memo_never_holds_more_than_its_limit():
    """Distinct keys without end (a stream of new request shapes) empty the memo when it is
    full, and what was just remembered is always there."""
    memo: Memo[int, str] = Memo(3)
    for key in range(10):
        assert memo.remember(key, str(key)) == str(key)
        assert len(memo) <= 3
        assert memo.get(key) == str(key)
    assert Memo().limit == MEMO_ENTRIES == 4096  # what docs/caching.md says


def test_a_cache_turned_off_weighs_nothing():
    """With no room (the response cache off), a repeated entry is not even weighed."""
    weighed: list[int] = []

    def size_of(key: object, value: bytes) -> int:
        weighed.append(1)
        return len(value)

    cache: SizedLRU[bytes] = SizedLRU(0, size_of)
    for _ in range(3):
        cache.put("a", b"x")
    assert weighed == [] and cache.lookup("a") == (False, None) and cache.bytes == 0


def test_a_response_is_kept_from_its_second_request():
    cache = ResultCache(100_000)
    value = (b"x" * 100, "application/json", "etag")
    cache.offer(("id", "/once"), value)
    assert cache.get(("id", "/once")) is None and cache.bytes == 0
    cache.offer(("id", "/twice"), value)
    cache.offer(("id", "/twice"), value)
    assert cache.get(("id", "/twice")) == value


def test_the_server_caches_repeated_requests_only(warehouse):
    app = create_app({"WAREHOUSE": str(warehouse), "CACHE_MB": 8})
    client = app.test_client()
    cache = app.extensions["lmi_cubes"].cache
    once = [
        f"/cube/ashe_pay/crosstab?rows=occupation:{level}&columns=gender"
        for level in ("soc1", "soc2", "soc3")
    ]
    headers = ("ETag", "Cache-Control", "X-Data-Vintage", "Content-Type")

    def answers() -> list[tuple[bytes, list[str | None]]]:
        out = []
        for url in once:
            response = client.get(url)
            out.append((response.get_data(), [response.headers.get(h) for h in headers]))
        return out

    first = answers()  # computed, not kept
    assert len(cache) == 0 and cache.bytes == 0
    assert answers() == first  # computed again, kept
    assert len(cache) == 3
    assert answers() == first  # served from the cache: the same bytes and headers


def test_counting_requests_holds_no_keys():
    """The counts of the last ASKED_KEYS keys cost the same whatever the keys' size: a key
    (a whole parsed request) is not kept until its entry is."""
    import sys

    cache: SizedLRU[bytes] = SizedLRU(1000, lambda key, value: len(value))
    for i in range(ASKED_KEYS):
        cache.asked(f"request {i} " + "x" * 2000)
    held = sum(sys.getsizeof(k) + sys.getsizeof(v) for k, v in cache._asked._counts.items())
    assert held < ASKED_KEYS * 100
