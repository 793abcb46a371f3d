"""Slicer clients reach the published cubes by the protocol they already speak: `/cubes`
lists them and `/cube/<name>/...` answers as `/published/<name>/...` does, through a real
`lmi-cubes serve` process; an import is seen on the next request."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import requests
from official_workbooks import OCCUPATIONS, expected_flag, write_ashe, write_wf
from published_serving import serving_published, workbook_cell

from lmi_cubes.aggregates.published_choice import ASHE, WF
from lmi_cubes.cube_server.app import create_app
from lmi_cubes.cube_server.published_slicer import NameClash
from lmi_cubes.etl.official.importer import import_files
from lmi_cubes.model.loader import default_model_dir

SOC4 = [code for _, code in OCCUPATIONS if len(code) == 4]


@pytest.fixture()
def served(tmp_path: Path, warehouse: Path):
    with serving_published(tmp_path, warehouse) as served:
        yield served


def _get(url: str, **params: str) -> requests.Response:
    return requests.get(url, params=params, timeout=30)


def test_slicer_routes_answer_as_the_published_routes(served) -> None:
    base, _, book = served
    cubes = {c["name"]: c for c in _get(f"{base}/cubes").json()}
    assert cubes[ASHE]["category"] == "published statistics"
    assert "Office for National Statistics" in cubes[ASHE]["description"]
    assert "Table 14.1a (2022 provisional)" in cubes[ASHE]["description"]
    assert WF not in cubes and "ashe_pay" in cubes  # modelled cubes still listed
    crosstab = {"rows": "occupation:soc4", "measure": "weekly_pay_gross_median"}
    aggregate = {"drilldown": "occupation:soc2|sex", "aggregates": "weekly_pay_gross_mean"}
    cell = {"aggregates": "weekly_pay_gross_p75", "cut": "occupation:2135|sex:female"}
    for tail, params in (
        ("model", {}),
        ("members/occupation", {"level": "soc2"}),
        ("aggregate", aggregate),
        ("cell", cell),
        ("crosstab", crosstab),
        ("crosstab", {**crosstab, "format": "csv"}),
    ):
        slicer = _get(f"{base}/cube/{ASHE}/{tail}", **params)
        published = _get(f"{base}/published/{ASHE}/{tail}", **params)
        assert slicer.status_code == published.status_code == 200, (tail, slicer.text)
        assert slicer.content == published.content, tail
        assert slicer.headers["Content-Type"] == published.headers["Content-Type"]
    for sheet, cut in (("All", ""), ("Male Part-Time", "sex:male|working_pattern:part_time")):
        body = _get(f"{base}/cube/{ASHE}/crosstab", **crosstab, cut=cut).json()
        keys = [m["key"] for m in body["rows"]["members"]]
        assert keys == SOC4
        for key, (figure,) in zip(keys, body["cells"], strict=True):
            written = workbook_cell(book, sheet, key, "D")  # column D: the median, or a symbol
            assert (figure["value"], figure["flag"]) == expected_flag(written, None), key
    documented = _get(f"{base}/openapi.json").json()["paths"]
    for tail in ("model", "members/{dimension}", "aggregate", "cell", "crosstab"):
        assert ASHE in documented[f"/cube/{{cube}}/{tail}"]["get"]["description"], tail
    one = _get(f"{base}/cube/{ASHE}/cell", **cell).json()["cell"]
    assert one["value"] == workbook_cell(
        book, "Female", "2135", "O"
    )  # column O: the 75th percentile


def test_published_cube_errors_are_the_published_routes_errors(served) -> None:
    base, _, _ = served
    bad = _get(f"{base}/cube/{ASHE}/crosstab", rows="occupation", measure="m", bogus="1")
    assert bad.status_code == 400
    assert bad.json()["error"]["parameter"] == "bogus"
    unsummed = _get(
        f"{base}/cube/{ASHE}/crosstab", rows="industry", measure="weekly_pay_gross_median"
    )
    assert unsummed.status_code == 400
    assert any("Table 14.1a" in c for c in unsummed.json()["error"]["choices"])
    missing = _get(f"{base}/cube/{WF}/model")
    assert missing.status_code == 404 and missing.json()["error"]["parameter"] == "cube"
    unknown = _get(f"{base}/cube/no_such_cube/model")
    assert unknown.status_code == 404 and "ashe_pay" in unknown.json()["error"]["choices"]


def test_a_running_server_sees_a_second_import_on_the_next_request(served, tmp_path: Path) -> None:
    base, target, book = served
    query = {
        "rows": "occupation:soc4",
        "measure": "weekly_pay_gross_median",
        "cut": "occupation:2136",
    }
    before = _get(f"{base}/cube/{ASHE}/crosstab", **query).json()["cells"][0][0]["value"]
    names = [c["name"] for c in _get(f"{base}/cubes").json()]
    assert WF not in names

    def change(workbook: Any) -> None:
        workbook["All"]["D16"] = 999.9  # SOC 2136's median

    shutil.copy(book, tmp_path / "before.xlsx")
    write_ashe(book, edit=change)
    write_wf(tmp_path / "wf.xlsm")
    import_files([book, tmp_path / "wf.xlsm"], target, "provisional")
    after = _get(f"{base}/cube/{ASHE}/crosstab", **query).json()["cells"][0][0]["value"]
    assert before == workbook_cell(tmp_path / "before.xlsx", "All", "2136", "D") != 999.9
    assert after == 999.9 == workbook_cell(book, "All", "2136", "D")
    names = [c["name"] for c in _get(f"{base}/cubes").json()]
    assert WF in names and ASHE in names


def test_a_model_cube_named_like_a_published_cube_is_refused(
    tmp_path: Path, warehouse: Path
) -> None:
    model_dir = tmp_path / "model"
    model_dir.mkdir()
    for f in default_model_dir().glob("*.json"):
        text = f.read_text()
        if f.name == "ashe_hours.json":
            text = text.replace('"ashe_hours"', json.dumps(ASHE))
        (model_dir / f.name).write_text(text)
    with pytest.raises(NameClash, match=ASHE):
        create_app({"WAREHOUSE": str(warehouse), "MODEL_DIR": str(model_dir)})
