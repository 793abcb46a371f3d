"""What a client of the API gets over real HTTP from `lmi-cubes serve`: compressed bodies,
the documented defaults, year cuts checked against the loaded years, files that say what
they hold, cube descriptions and the /docs page."""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qsl, urljoin, urlsplit

import brotli
import orjson
import pandas as pd
import pytest
import requests

import oracle
from lmi_cubes.etl import sources
from support import serving

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


def _get(base: str, path: str) -> requests.Response:
    return requests.get(base + path, timeout=60)


def _wf_years(tiny_dir) -> tuple[int, int]:
    """The latest history year and the last year, read from the source years file."""
    years = pd.read_csv(tiny_dir / sources.WF_YEARS_FILE)
    return int(years[years.kind == "history"].year.max()), int(years.year.max())


def test_one_rule_for_what_a_request_leaves_out(base, tiny_dir):
    first, last = _wf_years(tiny_dir)
    change = "measure=expansion_demand&rows=occupation:soc1"
    table = _get(base, f"/cube/working_futures/crosstab?{change}")
    assert table.status_code == 200, table.text
    explicit = _get(base, f"/cube/working_futures/crosstab?{change}&from={first}&to={last}").json()
    body = table.json()
    assert body["defaults"] == {"from": first, "to": last}
    assert body["parameters"] == {"from": first, "to": last}
    assert body["cells"] == explicit["cells"] and "defaults" not in explicit
    slicer = _get(base, "/cube/working_futures/aggregate?drilldown=occupation:soc1"
                  "&aggregates=expansion_demand").json()  # fmt: skip
    assert slicer["defaults"] == {"from": first, "to": last}
    assert [c["expansion_demand"] for c in slicer["cells"]] == [
        r[0]["value"] for r in body["cells"]
    ]
    half = _get(base, f"/cube/working_futures/crosstab?{change}&to={last}").json()
    assert half["defaults"] == {"from": first} and half["cells"] == body["cells"]

    # a dimension without a level: the same level on both endpoints, reported
    for cut, level in (
        ("", "soc1"),
        ("&cut=occupation:2", "soc2"),
        ("&cut=occupation:2,21", "soc3"),
    ):
        rows = _get(base, f"/cube/ashe_pay/crosstab?rows=occupation&measure=mean_pay{cut}").json()
        drill = _get(
            base, f"/cube/ashe_pay/aggregate?drilldown=occupation&aggregates=mean_pay{cut}"
        )
        assert rows["rows"]["level"] == level and rows["defaults"] == {
            "rows": f"occupation:{level}"
        }
        assert drill.json()["levels"]["occupation"][-1] == level
    deepest = _get(base, "/cube/ashe_pay/crosstab?rows=occupation&cut=occupation:2,21,211,2111")
    assert deepest.status_code == 400 and deepest.json()["error"]["parameter"] == "rows"

    # a missing measure is the model's default measure, and says so
    for cube in ("ashe_pay", "ashe_hours", "working_futures"):
        model = json.loads((MODEL_DIR / f"{cube}.json").read_text())["cubes"][0]
        chosen = model["info"]["default_measure"]
        body = _get(base, f"/cube/{cube}/crosstab?rows=gender").json()
        assert body["measure"]["name"] == chosen and body["defaults"]["measure"] == chosen
    empty = _get(base, "/cube/ashe_pay/crosstab?rows=gender&measure=").json()["error"]
    assert empty["parameter"] == "measure" and empty["message"].startswith("measure")


def test_a_year_cut_must_select_a_loaded_year(base, pay):
    ashe_years = sorted(int(y) for y in pay.year.unique())  # the source rows' years
    for cut in ("year:2015-2020", "year:1900", "!year:" + str(ashe_years[0]), "year:1900-1901"):
        error = _get(base, f"/cube/ashe_pay/crosstab?rows=gender&cut={cut}").json()["error"]
        assert error["status"] == 400 and error["parameter"] == "cut", cut
        assert error["choices"] == [str(y) for y in ashe_years], cut
        assert str(ashe_years[0]) in error["message"]
        slicer = _get(base, f"/cube/ashe_pay/aggregate?drilldown=gender&cut={cut}")
        assert slicer.status_code == 400 and slicer.json()["error"]["choices"] == error["choices"]
    around = _get(base, f"/cube/ashe_pay/crosstab?rows=gender&cut=year:2000-{ashe_years[-1] + 5}")
    plain = _get(base, "/cube/ashe_pay/crosstab?rows=gender")
    assert around.status_code == 200 and around.json()["cells"] == plain.json()["cells"]
    assert around.json()["cuts"][0]["keys"] == ashe_years


def test_csv_files_say_what_they_hold_and_join_on_numeric_codes(base, pay):
    query = (
        "/cube/ashe_pay/crosstab?rows=occupation:soc2&columns=region:nation&measure=mean_pay"
        "&cut=industry:2|gender:2&fallback=true"
    )
    body = _get(base, query).json()
    wide = _get(base, query + "&format=csv&layout=wide")
    name = wide.headers["Content-Disposition"]
    assert "industry-sector6-2" in name and "gender-gender-2" in name and "filled" in name
    assert f"v{body['vintage']}" in name and name.startswith(
        'attachment; filename="ashe_pay_mean_pay'
    )
    frame = pd.read_csv(io.StringIO(wide.text))
    frame[[c for c in frame.columns if c.endswith("(symbol)")]] = frame.filter(
        like="(symbol)"
    ).fillna("")
    assert list(frame.columns[:2]) == ["occupation_soc2_code", "occupation_soc2_label"]
    # every fill is marked [f], every withheld cell [x], and the values are the source's
    women = pay[(pay.sector6 == 2) & (pay.gender == 2)]
    sums = women.groupby(["soc2", "nation"])[["Employment", "PayBill"]].sum()
    fills = checked = 0
    for i, member in enumerate(body["rows"]["members"]):
        line = frame.iloc[i]
        assert int(line["occupation_soc2_code"]) == member["key"]
        for j, nation in enumerate(body["columns"]["members"]):
            title = f"{nation['key']} {nation['label']}"
            value, symbol = line[title], line[f"{title} (symbol)"]
            cell = body["cells"][i][j]
            if "filled_from" in cell:
                assert symbol == "[f]" and value == cell["value"]
                fills += 1
            elif cell["value"] is None:
                assert symbol == "[x]" and pd.isna(value)
            else:
                s = sums.loc[(member["key"], nation["key"])]
                assert value == oracle.round_to(s.PayBill / s.Employment, 10)
                assert symbol == ("[u]" if oracle.flag(s.Employment) == "low_reliability" else "")
                checked += 1
    assert fills and checked
    tidy = pd.read_csv(io.StringIO(_get(base, query + "&format=csv").text))
    assert (tidy.filled_from.notna()).sum() == fills

    # years summed over are not applicable: [z], not [x]
    years = pd.read_csv(io.StringIO(_get(base, "/cube/working_futures/crosstab?rows=gender"
                                     "&columns=year&format=csv&layout=wide").text))  # fmt: skip
    assert set(years["Total (symbol)"]) == {"[z]"} and years["Total"].isna().all()
    assert years.gender_gender_code.dropna().astype(int).tolist() == [1, 2]


def test_a_csv_links_to_its_csvw_description(base, tiny_dir):
    query = (
        "/cube/ashe_pay/crosstab?rows=occupation:soc1&columns=region:nation&measure=median_pay"
        "&cut=gender:2|industry:2&format=csv&layout=wide"
    )
    response = _get(base, query)
    link = requests.utils.parse_header_links(response.headers["Link"])[0]
    assert link["rel"] == "describedby" and link["type"] == "application/csvm+json"
    described_at = urljoin(response.url, link["url"])
    meta_response = requests.get(described_at, timeout=60)
    assert meta_response.headers["Content-Type"].startswith("application/csvm+json")
    meta = meta_response.json()
    assert meta["@context"] == "http://www.w3.org/ns/csvw"
    described, served = urlsplit(urljoin(described_at, meta["url"])), urlsplit(response.url)
    assert described.path == served.path  # it describes that very file
    assert sorted(parse_qsl(described.query)) == sorted(parse_qsl(served.query))
    header = next(csv.reader(io.StringIO(response.text)))
    assert [c["titles"] for c in meta["tableSchema"]["columns"]] == header
    kinds = {c["titles"]: c["datatype"] for c in meta["tableSchema"]["columns"]}
    assert kinds["occupation_soc1_code"] == "integer" and kinds["1 England"] == "number"
    notes = {n["type"]: n for n in meta["notes"]}
    recorded = notes["query"]["query"]
    genders = pd.read_csv(tiny_dir / "genders.csv")
    female = genders.set_index("gender").loc[2].iloc[0]
    sectors = pd.read_csv(tiny_dir / "industries.csv").drop_duplicates("sector6")
    sector = sectors.set_index("sector6").loc[2, "sector6_title"]
    assert recorded["cube"] == "ashe_pay" and recorded["measure"] == "median_pay"
    assert recorded["cuts"] == [
        {
            "dimension": "gender",
            "level": "gender",
            "keys": [2],
            "labels": [female],
            "excluded": False,
        },
        {
            "dimension": "industry",
            "level": "sector6",
            "keys": [2],
            "labels": [sector],
            "excluded": False,
        },
    ]
    assert recorded["vintage"] == response.headers["X-Data-Vintage"]
    assert female in meta["dc:title"] and sector in meta["dc:title"]
    assert set(notes["symbols"]["symbols"]) == {"[x]", "[u]", "[z]", "[f]"}
    name = response.headers["Content-Disposition"]
    assert f"gender-gender-2-{female}" in name and recorded["vintage"] in name


def test_aggregate_csv_marks_filled_records_as_its_json_does(base):
    query = (
        "/cube/ashe_pay/aggregate?drilldown=occupation:soc2|region:nation&aggregates=mean_pay"
        "&cut=industry:2|gender:2&fallback=true"
    )
    records = _get(base, query).json()["cells"]
    frame = pd.read_csv(io.StringIO(_get(base, query + "&format=csv&header=names").text))
    assert len(frame) == len(records)
    expected = [
        "{dimension}:{level}:{key}".format(**r["filled_from"]) if "filled_from" in r else ""
        for r in records
    ]
    assert frame.filled_from.fillna("").tolist() == expected and any(expected)
    plain = pd.read_csv(
        io.StringIO(_get(base, query.replace("&fallback=true", "") + "&format=csv").text)
    )
    assert "filled_from" not in plain.columns and "Filled from" not in plain.columns
