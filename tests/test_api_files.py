"""What a client of the API gets over real HTTP from `lmi-cubes serve`: compressed bodies,
the documented defaults, year cuts checked against the loaded years, files that say what
they hold, cube descriptions and the /docs page."""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Iterator
from pathlib import Path

import brotli
import orjson
import pytest
import requests

from conftest import serving

MODEL_DIR = Path(__file__).resolve().parent.parent / "model"
BIG = "/cube/ashe_pay/crosstab?rows=occupation:soc4&columns=region:region&measure=mean_pay"


@pytest.fixture(scope="module")
def base(warehouse) -> Iterator[str]:
    with serving(warehouse) as url:
        yield url


def _raw(base: str, path: str, encoding: str, **headers: str) -> requests.Response:
    response = requests.get(
        base + path, headers={"Accept-Encoding": encoding, **headers}, timeout=60, stream=True
    )
    response.raw.decode_content = False
    response._content = response.raw.read()  # the bytes as sent, not decoded by requests
    return response


def test_large_responses_are_compressed_when_the_client_asks(base):
    plain = _raw(base, BIG, "identity")
    assert plain.status_code == 200 and "Content-Encoding" not in plain.headers
    body = orjson.loads(plain.content)
    assert len(plain.content) > 100_000 and body["cells"]
    for encoding, decode in (("gzip", gzip.decompress), ("br", brotli.decompress)):
        packed = _raw(base, BIG, encoding)
        assert packed.headers["Content-Encoding"] == encoding
        assert "Accept-Encoding" in packed.headers["Vary"]
        assert len(packed.content) < len(plain.content) / 5
        assert orjson.loads(decode(packed.content)) == body
        # the encoded body has its own validator, and revalidating it costs no body
        again = _raw(base, BIG, encoding, **{"If-None-Match": packed.headers["ETag"]})
        assert again.status_code == 304 and again.content == b""
    both = _raw(base, BIG, "gzip, deflate, br")
    assert both.headers["Content-Encoding"] == "br"
    csv_packed = _raw(base, BIG + "&format=csv", "gzip")
    assert csv_packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(csv_packed.content).startswith(b"occupation")
    small = _raw(base, "/cubes", "gzip")  # a few hundred bytes: not worth compressing
    assert "Content-Encoding" not in small.headers
    assert io.BytesIO(small.content).read(1) == b"["


def test_cubes_have_the_descriptions_and_categories_of_the_model_files(base):
    files = {}
    for path in sorted(MODEL_DIR.glob("*.json")):
        for cube in json.loads(path.read_text()).get("cubes", []):
            files[cube["name"]] = cube
    listed = requests.get(f"{base}/cubes", timeout=30).json()
    assert {c["name"] for c in listed} == set(files) and len(listed) == 3
    for c in listed:
        assert c["description"] == files[c["name"]]["description"] and len(c["description"]) > 40
        assert c["category"] == files[c["name"]]["category"] and c["category"]
        model = requests.get(f"{base}/cube/{c['name']}/model", timeout=30).json()
        assert (model["description"], model["category"]) == (c["description"], c["category"])
