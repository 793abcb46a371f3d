"""The response cache's budget bounds the memory its entries hold, whatever their kind: a
rendered cross-tab, an LMI for All answer, a published table. What the entries hold is
measured here by their serialized bytes, independently of the cache's own weighing."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path
from typing import Any

import orjson
import pytest
from official_workbooks import write_ashe

from lmi_cubes.aggregates.published_choice import ASHE
from lmi_cubes.cube_server.app import create_app
from lmi_cubes.etl.official.importer import import_files

# a budget below what each kind's requests answer in all, above an eighth of one answer
BUDGET_MB = {"cross-tab": 1 / 8, "LMI for All": 1 / 16, "published (Slicer routes)": 1 / 32}

SOC4 = ["1115", "1116", "1121", "1122", "1131", "1132", "1133", "1134", "1135", "2111", "2112"]
LEVELS = ["soc1", "soc2", "soc3", "soc4"]
KINDS: dict[str, list[str]] = {
    "cross-tab": [
        f"/cube/ashe_pay/crosstab?rows=occupation:{level}&columns={columns}&measure={measure}"
        for level in LEVELS
        for columns in ("gender", "region", "industry:ind22")
        for measure in ("mean_pay", "median_pay")
    ],
    "LMI for All": [
        *(
            f"/api/v1/wf/predict/breakdown/{breakdown}?soc={soc}"
            for soc in SOC4
            for breakdown in ("region", "industry", "qualification", "status")
        ),
        *(f"/api/v1/ashe/estimatePay?soc={soc}&breakdown=region" for soc in SOC4),
    ],
    "published (Slicer routes)": [
        f"/cube/{ASHE}/crosstab?rows=occupation:{level}&measure={measure}{columns}{form}"
        for level in LEVELS
        for measure in ("weekly_pay_gross_median", "weekly_pay_gross_mean")
        for columns in ("", "&columns=sex")
        for form in ("", "&format=csv")
    ],
}


@pytest.fixture(scope="module")
def with_published(warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("cache")
    target = directory / "w.duckdb"
    shutil.copy(warehouse, target)
    book = directory / "table14a.xlsx"
    write_ashe(book)
    import_files([book], target, "provisional")
    return target


def _serialized(value: Any) -> int:
    """The bytes of body a kept value holds: every bytes, text and JSON part of it."""
    if isinstance(value, (bytes, str)):
        return len(value)
    if isinstance(value, tuple):
        return sum(_serialized(v) for v in value)
    if isinstance(value, dict):
        return sum(_serialized(k) + _serialized(v) for k, v in value.items())
    return len(orjson.dumps(value))


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_cache_of_n_mb_never_holds_more_than_n_mb_of_any_kind(kind, with_published):
    app = create_app({"WAREHOUSE": str(with_published), "CACHE_MB": BUDGET_MB[kind]})
    budget = int(BUDGET_MB[kind] * (1 << 20))
    cache = app.extensions["lmi_cubes"].cache
    client = app.test_client()
    answered = 0
    for url in KINDS[kind]:
        for _ in range(2):  # a response is kept from its second request
            response = client.get(url)
            assert response.status_code == 200, (url, response.get_data()[:300])
        answered += len(response.get_data())
        held = sum(_serialized(value) for value, _ in cache._items.values())
        assert held <= budget, (kind, url, held)
        assert cache.bytes <= budget
    # the budget was tested, not idle: the answers exceed it and some are kept
    assert answered > budget, (kind, answered)
    assert len(cache) > 0
    for value, weight in cache._items.values():
        assert weight >= _serialized(value)


def test_a_repeated_request_is_compressed_once_per_encoding(warehouse, monkeypatch):
    import brotli
    import flask_compress.flask_compress as fc

    calls: list[str] = []
    original = fc._compress_data

    def counted(app: Any, data: bytes, algorithm: str) -> bytes:
        calls.append(algorithm)
        return original(app, data, algorithm)

    monkeypatch.setattr(fc, "_compress_data", counted)
    app = create_app({"WAREHOUSE": str(warehouse), "CACHE_MB": 8})
    client = app.test_client()
    url = KINDS["cross-tab"][-1]
    plain = client.get(url).get_data()
    answers = {}
    for encoding, decode in (("br", brotli.decompress), ("gzip", gzip.decompress)):
        sent = [client.get(url, headers={"Accept-Encoding": encoding}) for _ in range(4)]
        for response in sent:
            assert response.headers["Content-Encoding"] == encoding
            assert decode(response.get_data()) == plain
        etags = {r.headers["ETag"] for r in sent}
        assert len(etags) == 1 and encoding in etags.pop()
        answers[encoding] = sent[-1].get_data()
        # computed by its first two requests (kept from the second), then from the cache
        assert calls.count(encoding) == 2, calls
        assert sent[-1].get_data() == sent[-2].get_data()
    assert brotli.decompress(answers["br"]) == gzip.decompress(answers["gzip"]) == plain


def test_a_request_reads_the_other_stores_versions_once(warehouse):
    """The published store's version (a stat of its file) is read once per request: for
    the response cache's key and, when the body is compressed, for its compressed form's."""
    app = create_app({"WAREHOUSE": str(warehouse), "CACHE_MB": 8})
    versions = app.extensions["cache_versions"]
    assert versions
    calls: list[int] = []

    def counted(version: Any) -> Any:
        def read() -> Any:
            calls.append(1)
            return version()

        return read

    versions[:] = [counted(v) for v in versions]
    client = app.test_client()
    url = KINDS["cross-tab"][-1]
    for encoding in ("", "gzip", "gzip", "br", ""):
        calls.clear()
        response = client.get(url, headers={"Accept-Encoding": encoding} if encoding else {})
        assert response.status_code == 200
        assert response.headers.get("Content-Encoding", "") == encoding
        assert len(calls) == len(versions)
