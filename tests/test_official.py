"""Importing published workbooks and serving them as published: layout rules on workbooks
the tests write, bad input, the table chooser case by case, flags and provenance."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from official_workbooks import (
    INDUSTRIES,
    OCCUPATIONS,
    SHEET_GROUPS,
    WF_OCCUPATIONS,
    WF_YEARS,
    expected_flag,
    write_ashe,
    write_wf,
)

from lmi_cubes.aggregates.published_choice import (
    ASHE,
    WF,
    Axis,
    NoPublishedTable,
    PublishedQuery,
    TableInfo,
    choose,
)
from lmi_cubes.cube_server.app import create_app
from lmi_cubes.etl.official.importer import import_files, store_path
from lmi_cubes.etl.official.problems import ImportFailed
from lmi_cubes.warehouse.journal import read_journal


@pytest.fixture()
def client_for(tmp_path: Path, warehouse: Path):
    """A server over the tiny warehouse whose published store is the given import's."""

    def make(target: Path) -> FlaskClient:
        app = create_app({"WAREHOUSE": str(warehouse), "OFFICIAL_STORE": str(store_path(target))})
        return app.test_client()

    return make


def _crosstab(client: FlaskClient, cube: str, **params: str) -> dict[str, Any]:
    response = client.get(f"/published/{cube}/crosstab", query_string=params)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_ashe_occupation_table_every_figure_as_written(tmp_path: Path, client_for) -> None:
    estimates = write_ashe(tmp_path / "table14a.xlsx")
    cvs = write_ashe(tmp_path / "table14b.xlsx", table="14.1b", cv=True)
    target = tmp_path / "w.duckdb"
    import_files([tmp_path / "table14a.xlsx", tmp_path / "table14b.xlsx"], target, "revised")
    client = client_for(target)
    checked = 0
    for sheet, (sex, pattern) in SHEET_GROUPS.items():
        for statistic in ("median", "mean", "jobs", "p10", "p90", "median_change"):
            body = _crosstab(
                client,
                ASHE,
                rows="occupation:soc4",
                measure=f"weekly_pay_gross_{statistic}",
                cut=f"sex:{sex}|working_pattern:{pattern}",
            )
            keys = [m["key"] for m in body["rows"]["members"]]
            assert keys == [code for _, code in OCCUPATIONS if len(code) == 4]
            for key, (cell,) in zip(keys, body["cells"], strict=True):
                value, flag = expected_flag(
                    estimates[(sheet, key, statistic)], cvs[(sheet, key, statistic)]
                )
                assert (cell["value"], cell["flag"]) == (value, flag), (sheet, key, statistic)
                checked += 1
    assert checked == 9 * 6 * 4
    body = _crosstab(
        client, ASHE, rows="occupation:soc1", columns="sex", measure="weekly_pay_gross_median"
    )
    assert [m["key"] for m in body["rows"]["members"]] == ["1", "2"]
    assert body["provenance"]["table"] == "Table 14.1a"
    assert body["provenance"]["release"] == "revised"
    assert body["provenance"]["attribution"] == (
        "Source: Office for National Statistics licensed under the Open Government Licence v3.0"
    )


def test_symbols_are_flags_with_their_own_reasons(tmp_path: Path, client_for) -> None:
    write_ashe(tmp_path / "t.xlsx")
    target = tmp_path / "w.duckdb"
    import_files([tmp_path / "t.xlsx"], target, "provisional")
    client = client_for(target)
    # row 4 is SOC 1115: median 'x' for male part-time
    cells = _crosstab(
        client,
        ASHE,
        rows="occupation:soc4",
        measure="weekly_pay_gross_median",
        cut="occupation:1115|sex:male|working_pattern:part_time",
    )["cells"]
    assert cells[0][0]["value"] is None and cells[0][0]["flag"] == "suppressed"
    assert "unreliable" in cells[0][0]["reason"]
    cells = _crosstab(
        client,
        ASHE,
        rows="occupation:soc4",
        measure="weekly_pay_gross_jobs",
        cut="occupation:1116|sex:male|working_pattern:part_time",
    )["cells"]
    assert cells[0][0]["flag"] == "suppressed" and "disclosive" in cells[0][0]["reason"]
    cells = _crosstab(
        client,
        ASHE,
        rows="occupation:soc4",
        measure="weekly_pay_gross_p90",
        cut="occupation:1115|working_pattern:part_time",
    )["cells"]
    assert cells[0][0] == {
        "value": 0,
        "flag": "nil",
        "note": "nil or negligible",
        "source": "Part-Time!Q10",
    }
    # without the CV workbook the quality of a plain number is said to be unknown
    cells = _crosstab(client, ASHE, rows="occupation:soc4", measure="weekly_pay_gross_mean")[
        "cells"
    ]
    assert {c[0]["flag"] for c in cells} == {"quality_unknown"}


def test_wf_workbook_figures_as_written(tmp_path: Path, client_for) -> None:
    written = write_wf(tmp_path / "MainTables.xlsm")
    target = tmp_path / "w.duckdb"
    import_files([tmp_path / "MainTables.xlsm"], target)
    client = client_for(target)
    body = _crosstab(
        client,
        WF,
        rows="occupation:soc_major",
        columns="year",
        measure="employment",
        cut="gender:female",
    )
    assert [m["label"] for m in body["rows"]["members"]] == list(WF_OCCUPATIONS)
    assert [int(m["key"]) for m in body["columns"]["members"]] == list(WF_YEARS)
    for i, label in enumerate(WF_OCCUPATIONS):
        for j, year in enumerate(WF_YEARS):
            cell = body["cells"][i][j]
            assert cell["value"] == written[("Occ T1", "female", label, "employment", year)]
            assert cell["flag"] == "projection"
    body = _crosstab(
        client, WF, rows="occupation:soc_major", columns="gender", measure="replacement_demand"
    )
    for i, label in enumerate(WF_OCCUPATIONS):
        for j, gender in enumerate(("all", "male", "female")):
            expected = written[("Occ T1", gender, label, "replacement_demand", 2030)]
            assert body["cells"][i][j]["value"] == expected
    assert body["provenance"]["period"] == "2020-2030"
    assert body["provenance"]["area"] == "Wales"
    # by employment status: Occupation Table 5
    body = _crosstab(
        client,
        WF,
        rows="occupation:soc_major",
        columns="status",
        measure="employment",
        cut="year:2020|gender:male",
    )
    assert body["provenance"]["table"] == "Occ T5"
    statuses = [m["key"] for m in body["columns"]["members"]]
    assert statuses == ["all", "full_time", "part_time", "self_employed"]
    for i, label in enumerate(WF_OCCUPATIONS):
        for j, status in enumerate(statuses):
            expected = written[("Occ T5", "male", label, status, 2020)]
            assert body["cells"][i][j]["value"] == expected
    body = _crosstab(client, WF, rows="qualification", measure="employment", cut="year:2025")
    assert [m["key"] for m in body["rows"]["members"]] == ["rqf8", "rqf4", "none"]
    assert (
        body["cells"][0][0]["value"]
        == written[("Qual T1", "all", "RQF8 Doctorate", "employment", 2025)]
    )


def test_nothing_is_summed_an_unpublished_cross_classification_is_a_400(
    tmp_path: Path, client_for
) -> None:
    write_wf(tmp_path / "MainTables.xlsm")
    target = tmp_path / "w.duckdb"
    import_files([tmp_path / "MainTables.xlsm"], target)
    client = client_for(target)
    response = client.get(
        f"/published/{WF}/crosstab",
        query_string={"rows": "industry:sector", "columns": "gender", "measure": "employment"},
    )
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["parameter"] == "rows"
    assert any(c.startswith("occupation x gender x year") for c in error["choices"])
    assert any(c.startswith("industry x year") for c in error["choices"])
    # a cut to several members of a dimension that is not an axis would need a sum
    response = client.get(
        f"/published/{WF}/crosstab",
        query_string={"rows": "gender", "measure": "employment", "cut": "occupation:1,2"},
    )
    assert response.status_code == 400 and "not summed" in response.get_json()["error"]["message"]


def _table(key: str, cube: str = ASHE, **kw: Any) -> TableInfo:
    base: dict[str, Any] = {
        "key": key,
        "cube": cube,
        "table_no": key,
        "title": key,
        "variable": "weekly_pay_gross",
        "dimension": "geography",
        "levels": ("uk", "region"),
        "year": 2018,
        "release": "provisional",
        "area": "United Kingdom",
        "measures": frozenset({"weekly_pay_gross_median"}),
        "free": frozenset({"sex", "working_pattern"}),
    }
    base.update(kw)
    return TableInfo(**base)


def _q(
    axes: list[tuple[str, str | None]],
    measure: str = "weekly_pay_gross_median",
    cut: dict[str, tuple[str, ...]] | None = None,
    cube: str = ASHE,
) -> PublishedQuery:
    return PublishedQuery(cube, tuple(Axis(d, lv) for d, lv in axes), measure, cut or {})


T7 = _table("7.1a")
T8 = _table("8.1a", dimension="home_geography")
T14 = _table("14.1a", dimension="occupation", levels=("soc1", "soc2", "soc3", "soc4"))
T7_REV = _table("7.1a-rev", release="revised")
T7_2019 = _table("7.1a-2019", year=2019)
T7_HOURLY = _table(
    "7.5a", variable="hourly_pay_gross", measures=frozenset({"hourly_pay_gross_median"})
)


@pytest.mark.parametrize(
    ("tables", "query", "chosen"),
    [
        # the table whose rows are the requested dimension
        ([T7, T8, T14], _q([("geography", "region"), ("sex", None)]), T7),
        ([T7, T8, T14], _q([("home_geography", "region")]), T8),
        ([T7, T8, T14], _q([("occupation", "soc4"), ("working_pattern", None)]), T14),
        # a cut on the classifying dimension is as good as an axis on it
        ([T7, T14], _q([("sex", None)], cut={"occupation": ("2136",)}), T14),
        # sex alone: every table has it at its total; the tie goes to the first table
        ([T14, T8, T7], _q([("sex", None)]), T7),
        # the latest year, then the latest release of that year
        ([T7, T7_2019], _q([("geography", "region")]), T7_2019),
        ([T7, T7_REV], _q([("geography", "region")]), T7_REV),
        # a year or release asked for is the one served
        ([T7, T7_2019], _q([("geography", None)], cut={"year": ("2018",)}), T7),
        ([T7, T7_REV], _q([("geography", None)], cut={"release": ("provisional",)}), T7),
        # the measure decides between tables of the same layout
        ([T7, T7_HOURLY], _q([("geography", None)], "hourly_pay_gross_median"), T7_HOURLY),
    ],
)
def test_chooser(tables: list[TableInfo], query: PublishedQuery, chosen: TableInfo) -> None:
    assert choose(tables, query) == chosen


@pytest.mark.parametrize(
    "query",
    [
        _q([("geography", "region"), ("occupation", "soc1")]),  # no table crosses them
        _q([("geography", "local_authority")]),  # a level no table has
        _q([("geography", None)], cut={"year": ("2017",)}),  # a year not imported
        _q([("geography", None)], cut={"release": ("revised",)}),
    ],
)
def test_chooser_refuses_what_no_table_publishes(query: PublishedQuery) -> None:
    with pytest.raises(NoPublishedTable) as error:
        choose([T7, T14], query)
    assert error.value.choices and all("Table" in c for c in error.value.choices)


def test_chooser_wf_levels_pick_the_table() -> None:
    occ1 = _table(
        "Occ T1",
        WF,
        dimension="occupation",
        levels=("soc_major",),
        measures=frozenset({"employment"}),
        free=frozenset({"gender", "year"}),
    )
    occ2 = _table(
        "Occ T2",
        WF,
        dimension="occupation",
        levels=("soc_sub_major",),
        measures=frozenset({"employment"}),
        free=frozenset({"gender", "year"}),
    )
    ind1 = _table(
        "Ind T1",
        WF,
        dimension="industry",
        levels=("sector",),
        measures=frozenset({"employment"}),
        free=frozenset({"year"}),
    )
    tables = [ind1, occ2, occ1]
    wales = _table(
        "Occ T1 Wales",
        WF,
        dimension="occupation",
        levels=("soc_major",),
        area="Wales",
        measures=frozenset({"employment"}),
        free=frozenset({"gender", "year"}),
    )
    # the United Kingdom's workbook unless an area is cut
    assert choose([wales, occ1], _q([("occupation", None)], "employment", cube=WF)) == occ1
    assert (
        choose([wales, occ1], _q([("occupation", None)], "employment", {"area": ("Wales",)}, WF))
        == wales
    )
    assert choose(tables, _q([("occupation", "soc_sub_major")], "employment", cube=WF)) == occ2
    assert choose(tables, _q([("occupation", "soc_major")], "employment", cube=WF)) == occ1
    assert choose(tables, _q([("industry", None), ("year", None)], "employment", cube=WF)) == ind1
    with pytest.raises(NoPublishedTable):
        choose(tables, _q([("industry", None), ("gender", None)], "employment", cube=WF))


# -- bad input: one clear line naming file, sheet, row and column; nothing served changes


def _prepared(tmp_path: Path) -> tuple[Path, str]:
    """A store with one good import, and its checksum."""
    write_wf(tmp_path / "good.xlsm")
    target = tmp_path / "w.duckdb"
    import_files([tmp_path / "good.xlsm"], target)
    return target, hashlib.sha256(store_path(target).read_bytes()).hexdigest()


def _rejected(tmp_path: Path, files: list[Path], release: str | None = "revised") -> str:
    target, before = _prepared(tmp_path)
    with pytest.raises(ImportFailed) as error:
        import_files(files, target, release)
    assert hashlib.sha256(store_path(target).read_bytes()).hexdigest() == before
    assert read_journal(target)[-1]["outcome"] == "rejected"
    assert not list(tmp_path.glob("*building*"))
    (problem,) = error.value.problems
    line = problem.line()
    assert "\n" not in line
    return line


def test_unknown_layout(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active["A1"] = "Something else entirely"
    book.save(tmp_path / "other.xlsx")
    line = _rejected(tmp_path, [tmp_path / "other.xlsx"])
    assert line.startswith("other.xlsx: unknown layout")


def test_renamed_sheet(tmp_path: Path) -> None:
    def rename(book: Any) -> None:
        book["Male Part-Time"].title = "Men PT"

    write_ashe(tmp_path / "t.xlsx", edit=rename)
    line = _rejected(tmp_path, [tmp_path / "t.xlsx"])
    assert line.startswith("t.xlsx, sheet 'Men PT': unknown sheet (renamed?)")


def test_missing_column(tmp_path: Path) -> None:
    def drop_mean(book: Any) -> None:
        book["Female"].delete_cols(6)  # column F, the mean

    write_ashe(tmp_path / "t.xlsx", edit=drop_mean)
    line = _rejected(tmp_path, [tmp_path / "t.xlsx"])
    assert line.startswith("t.xlsx, sheet 'Female', row 5: the column 'mean' is missing")


def test_text_in_a_number_cell(tmp_path: Path) -> None:
    def text(book: Any) -> None:
        book["Full-Time"]["H9"] = "n/a"

    write_ashe(tmp_path / "t.xlsx", edit=text)
    line = _rejected(tmp_path, [tmp_path / "t.xlsx"])
    assert line.startswith("t.xlsx, sheet 'Full-Time', row 9, column H: text in a number cell")


def test_text_in_a_wf_number_cell(tmp_path: Path) -> None:
    def text(book: Any) -> None:
        book["Occ T2"]["C7"] = "tbc"

    write_wf(tmp_path / "wf.xlsm", edit=text)
    line = _rejected(tmp_path, [tmp_path / "wf.xlsm"])
    assert line.startswith("wf.xlsm, sheet 'Occ T2', row 7, column C: text in a number cell")


def test_cv_workbook_without_its_estimates(tmp_path: Path) -> None:
    write_ashe(tmp_path / "t14b.xlsx", table="14.1b", cv=True)
    line = _rejected(tmp_path, [tmp_path / "t14b.xlsx"])
    assert line.startswith("t14b.xlsx: a CV workbook (Table 14.1b) without its estimates")


def test_the_same_table_twice(tmp_path: Path) -> None:
    write_ashe(tmp_path / "a.xlsx")
    write_ashe(tmp_path / "copy.xlsx")
    line = _rejected(tmp_path, [tmp_path / "a.xlsx", tmp_path / "copy.xlsx"])
    assert line.startswith("copy.xlsx: the same table") and "also in a.xlsx" in line


def test_truncated_file(tmp_path: Path) -> None:
    write_ashe(tmp_path / "t.xlsx")
    data = (tmp_path / "t.xlsx").read_bytes()
    (tmp_path / "cut.xlsx").write_bytes(data[: len(data) // 2])
    line = _rejected(tmp_path, [tmp_path / "cut.xlsx"])
    assert line.startswith("cut.xlsx: not a readable workbook, truncated or corrupt")


def test_a_zip_of_workbooks_imports_and_names_its_members(tmp_path: Path) -> None:
    write_ashe(tmp_path / "t14a.xlsx")
    write_ashe(tmp_path / "t14b.xlsx", table="14.1b", cv=True)
    with zipfile.ZipFile(tmp_path / "ashetable14revised2022.zip", "w") as archive:
        archive.write(tmp_path / "t14a.xlsx", "t14a.xlsx")
        archive.write(tmp_path / "t14b.xlsx", "t14b.xlsx")
    target = tmp_path / "w.duckdb"
    result = import_files([tmp_path / "ashetable14revised2022.zip"], target)  # release from name
    assert result.tables == ["ashe:14.1a:United Kingdom:2022:revised"]
    record = read_journal(target)[-1]
    assert record["outcome"] == "imported"
    digest = hashlib.sha256((tmp_path / "t14b.xlsx").read_bytes()).hexdigest()
    assert {"file": "ashetable14revised2022.zip:t14b.xlsx", "sha256": digest} in record["files"]


def test_reimport_replaces_the_table_and_keeps_the_others(tmp_path: Path, client_for) -> None:
    write_wf(tmp_path / "wales.xlsm")
    write_ashe(tmp_path / "t.xlsx", year=2022)
    target = tmp_path / "w.duckdb"
    import_files([tmp_path / "wales.xlsm", tmp_path / "t.xlsx"], target, "provisional")
    import_files([tmp_path / "t.xlsx"], target, "provisional")
    client = client_for(target)
    listing = client.get("/published").get_json()
    assert sorted(listing["cubes"]) == [ASHE, WF]
    assert sum(t["cube"] == ASHE for t in listing["tables"]) == 1


def test_health_and_csv_carry_provenance(tmp_path: Path, client_for) -> None:
    write_ashe(tmp_path / "t.xlsx")
    target = tmp_path / "w.duckdb"
    import_files([tmp_path / "t.xlsx"], target, "provisional")
    client = client_for(target)
    health = client.get("/health").get_json()
    (entry,) = health["published"]
    assert entry["table"] == "Table 14.1a" and entry["release"] == "provisional"
    assert entry["attribution"].startswith("Source: Office for National Statistics")
    csv_text = client.get(
        f"/published/{ASHE}/crosstab",
        query_string={
            "rows": "occupation:soc4",
            "columns": "sex",
            "measure": "weekly_pay_gross_median",
            "format": "csv",
        },
    ).get_data(as_text=True)
    lines = csv_text.strip().splitlines()
    assert lines[0].split(",")[:6] == [
        "occupation",
        "occupation_label",
        "sex",
        "sex_label",
        "weekly_pay_gross_median",
        "flag",
    ]
    assert len(lines) == 1 + 4 * 3
    assert all("Open Government Licence v3.0" in line for line in lines[1:])


def test_bad_parameters_are_400s_in_the_one_error_shape(tmp_path: Path, client_for) -> None:
    write_ashe(tmp_path / "t.xlsx")
    target = tmp_path / "w.duckdb"
    import_files([tmp_path / "t.xlsx"], target, "provisional")
    client = client_for(target)
    for params, parameter in [
        ({"rows": "occupation", "measure": "nope"}, "measure"),
        ({"rows": "planet", "measure": "weekly_pay_gross_median"}, "rows"),
        ({"rows": "occupation:soc9", "measure": "weekly_pay_gross_median"}, "rows"),
        ({"rows": "occupation", "measure": "weekly_pay_gross_median", "cut": "sex"}, "cut"),
        ({"rows": "occupation", "measure": "weekly_pay_gross_median", "bogus": "1"}, "bogus"),
        ({"measure": "weekly_pay_gross_median"}, "rows"),
    ]:
        response = client.get(f"/published/{ASHE}/crosstab", query_string=params)
        assert response.status_code == 400, params
        assert response.get_json()["error"]["parameter"] == parameter, params
    assert client.get("/published/nope/crosstab?rows=x&measure=y").status_code == 404
    assert json.loads(client.get(f"/published/{ASHE}/model").data)["measures"]


def test_estimate_pay_answers_from_an_imported_occupation_table(tmp_path: Path, client_for) -> None:
    def withhold(book: Any) -> None:
        book["All"]["F11"] = "x"  # the mean of SOC 1116 (the sixth data row)

    written = write_ashe(tmp_path / "t14.xlsx", edit=withhold)
    target = tmp_path / "w.duckdb"
    import_files([tmp_path / "t14.xlsx"], target, "revised")
    client = client_for(target)
    body = client.get("/api/v1/ashe/estimatePay?soc=2136").get_json()
    (item,) = body["series"]
    published_mean = written[("All", "2136", "mean")]
    assert body["soc"] == 2136 and item["year"] == 2022
    assert item["estpay"] == round(published_mean / 10) * 10
    assert item["source"]["published_value"] == published_mean
    assert item["source"]["table"] == "Table 14.1a"
    assert item["source"]["attribution"].endswith("Open Government Licence v3.0")
    # a withheld figure is left out; coarse=true answers from the SOC group above
    assert client.get("/api/v1/ashe/estimatePay?soc=1116").get_json()["series"] == []
    (item,) = client.get("/api/v1/ashe/estimatePay?soc=1116&coarse=true").get_json()["series"]
    assert item["source"]["soc"] == 111
    assert item["source"]["published_value"] == written[("All", "111", "mean")]
    # what the table does not publish (a filter) is answered from the modelled cube
    modelled = client.get("/api/v1/ashe/estimatePay?soc=2136&filters=gender:1").get_json()
    assert all("source" not in i for i in modelled.get("series", []))


def test_a_zip_without_workbooks_and_a_code_twice(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "empty.zip", "w") as archive:
        archive.writestr("readme.txt", "no workbooks here")
    line = _rejected(tmp_path, [tmp_path / "empty.zip"])
    assert line.startswith("empty.zip: the zip file holds no .xls/.xlsx/.xlsm")
    (tmp_path / "downloads").mkdir()
    line = _rejected(tmp_path, [tmp_path / "downloads"])
    assert line.startswith("downloads: no .xls, .xlsx, .xlsm or .zip files in it")

    def twice(book: Any) -> None:
        book["Male"]["B10"] = "1116"  # SOC 1115's row now repeats 1116

    write_ashe(tmp_path / "t.xlsx", edit=twice)
    line = _rejected(tmp_path, [tmp_path / "t.xlsx"])
    assert line.startswith("t.xlsx, sheet 'Male', row 11, column B: code '1116' appears twice")


def test_cli_import_exit_status_and_one_line_per_problem(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from lmi_cubes.cli import main

    write_ashe(tmp_path / "t14b.xlsx", table="14.1b", cv=True)
    write_wf(tmp_path / "wf.xlsm")
    target = tmp_path / "w.duckdb"
    runner = CliRunner()
    bad = runner.invoke(
        main,
        ["import", str(tmp_path / "t14b.xlsx"), "--warehouse", str(target), "--release", "revised"],
    )
    assert bad.exit_code == 2
    assert "import failed: t14b.xlsx: a CV workbook (Table 14.1b) without its estimates" in (
        bad.output
    )
    assert not store_path(target).exists()
    good = runner.invoke(main, ["import", str(tmp_path / "wf.xlsm"), "--warehouse", str(target)])
    assert good.exit_code == 0, good.output
    assert "imported 6 table(s)" in good.output


def test_a_running_server_serves_a_new_import(tmp_path: Path, client_for) -> None:
    write_ashe(tmp_path / "t.xlsx")
    target = tmp_path / "w.duckdb"
    import_files([tmp_path / "t.xlsx"], target, "provisional")
    client = client_for(target)
    query = {
        "rows": "occupation:soc4",
        "measure": "weekly_pay_gross_median",
        "cut": "occupation:2136",
    }
    before = _crosstab(client, ASHE, **query)["cells"][0][0]["value"]

    def change(book: Any) -> None:
        book["All"]["D16"] = 999.9  # SOC 2136's median

    write_ashe(tmp_path / "t.xlsx", edit=change)
    import_files([tmp_path / "t.xlsx"], target, "provisional")
    after = _crosstab(client, ASHE, **query)["cells"][0][0]["value"]
    assert before != 999.9 and after == 999.9


TEXT = st.text(alphabet=st.sampled_from("geoinducpatsx_:|,.0123456789ablmr -"), max_size=30)
PARTS = st.sampled_from(
    [
        "occupation",
        "occupation:soc4",
        "occupation:soc1",
        "sex",
        "working_pattern",
        "year",
        "release",
        "sex:male",
        "occupation:2136",
        "year:2022",
        "x:y",
        "",
        "|",
        ":",
        ",",
    ]
)


@given(
    rows=st.one_of(PARTS, TEXT),
    columns=st.one_of(PARTS, TEXT),
    cut=st.lists(st.one_of(PARTS, TEXT), max_size=3).map("|".join),
    measure=st.sampled_from(["weekly_pay_gross_median", "weekly_pay_gross_p90", "jobs", ""]),
)
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_hostile_crosstab_parameters_never_crash(
    fuzz_client: FlaskClient, rows: str, columns: str, cut: str, measure: str
) -> None:
    response = fuzz_client.get(
        f"/published/{ASHE}/crosstab",
        query_string={"rows": rows, "columns": columns, "cut": cut, "measure": measure},
    )
    assert response.status_code in (200, 400), response.get_data(as_text=True)
    if response.status_code == 400:
        assert response.get_json()["error"]["parameter"] in ("rows", "columns", "cut", "measure")


@pytest.fixture(scope="module")
def fuzz_client(tmp_path_factory: pytest.TempPathFactory, warehouse: Path) -> FlaskClient:
    folder = tmp_path_factory.mktemp("fuzz")
    write_ashe(folder / "t14.xlsx")
    import_files([folder / "t14.xlsx"], folder / "w.duckdb", "revised")
    app = create_app(
        {"WAREHOUSE": str(warehouse), "OFFICIAL_STORE": str(store_path(folder / "w.duckdb"))}
    )
    return app.test_client()


def test_slicer_aggregate_and_cell_serve_the_same_figures(tmp_path: Path, client_for) -> None:
    written = write_ashe(tmp_path / "t.xlsx")
    target = tmp_path / "w.duckdb"
    import_files([tmp_path / "t.xlsx"], target, "provisional")
    client = client_for(target)
    body = client.get(
        f"/published/{ASHE}/aggregate",
        query_string={"drilldown": "occupation:soc2|sex", "aggregates": "weekly_pay_gross_mean"},
    ).get_json()
    assert "summary" not in body and len(body["cells"]) == 2 * 3
    for record in body["cells"]:
        sheet = {"all": "All", "male": "Male", "female": "Female"}[record["sex"]]
        assert record["weekly_pay_gross_mean"] == written[(sheet, record["occupation"], "mean")]
        assert record["flag"] == "quality_unknown"
    one = client.get(
        f"/published/{ASHE}/cell",
        query_string={
            "aggregates": "weekly_pay_gross_p75",
            "cut": "occupation:2135|sex:female|working_pattern:full_time",
        },
    ).get_json()
    assert one["cell"]["value"] == written[("Female Full-Time", "2135", "p75")]
    assert one["cell"]["source"] == "Female Full-Time!O15"
    assert one["provenance"]["table"] == "Table 14.1a"
    refused = client.get(
        f"/published/{ASHE}/aggregate",
        query_string={"drilldown": "occupation|sex|working_pattern", "aggregates": "x"},
    )
    assert refused.status_code == 400 and refused.get_json()["error"]["parameter"] == "drilldown"


def test_occupation_hierarchy_from_soc_codes(tmp_path: Path, client_for) -> None:
    write_ashe(tmp_path / "t.xlsx")
    target = tmp_path / "w.duckdb"
    import_files([tmp_path / "t.xlsx"], target, "provisional")
    client = client_for(target)
    members = client.get(f"/published/{ASHE}/members/occupation").get_json()["members"]
    by_code = {m["key"]: (m["level"], m["parent"]) for m in members}
    assert by_code["2136"] == ("soc4", "213")
    assert by_code["213"] == ("soc3", "21")
    assert by_code["21"] == ("soc2", "2")
    assert by_code["2"] == ("soc1", "total")
    assert by_code["total"] == ("total", None)
    level = client.get(f"/published/{ASHE}/members/occupation?level=soc1").get_json()
    assert [m["key"] for m in level["members"]] == ["1", "2"]


def test_postgres_warehouse_serves_the_published_tables_beside_its_staging_file(
    postgres_url: str, tmp_path: Path
) -> None:
    """With a PostgreSQL warehouse the store sits beside the loader's local staging file;
    a server on the same machine (same staging directory) serves it."""
    from click.testing import CliRunner

    from lmi_cubes.cli import main

    written = write_ashe(tmp_path / "t14.xlsx")
    result = CliRunner().invoke(
        main,
        ["import", str(tmp_path / "t14.xlsx"), "--warehouse", postgres_url, "--release", "revised"],
    )
    assert result.exit_code == 0, result.output
    client = create_app({"WAREHOUSE": postgres_url}).test_client()
    body = _crosstab(client, ASHE, rows="occupation:soc4", measure="weekly_pay_gross_median")
    assert body["cells"][0][0]["value"] == written[("All", "1115", "median")]


def test_a_failure_while_writing_leaves_the_store_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import lmi_cubes.etl.official.importer as importer

    target, before = _prepared(tmp_path)
    write_ashe(tmp_path / "t.xlsx")
    real_write = importer._write

    def write_then_fail(building: Path, tables: Any, imported_at: str) -> int:
        real_write(building, tables, imported_at)  # the copy is complete, then the disk fails
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(importer, "_write", write_then_fail)
    with pytest.raises(OSError):
        import_files([tmp_path / "t.xlsx"], target, "revised")
    assert hashlib.sha256(store_path(target).read_bytes()).hexdigest() == before
    assert not list(tmp_path.glob("*building*"))
    record = read_journal(target)[-1]
    assert record["outcome"] == "failed" and "No space left" in record["message"]
    assert record["files"] == [
        {"file": "t.xlsx", "sha256": hashlib.sha256((tmp_path / "t.xlsx").read_bytes()).hexdigest()}
    ]


def test_wf_publisher_guidance_flags_small_cells(tmp_path: Path, client_for) -> None:
    def small(book: Any) -> None:
        book["Occ T1"]["B6"] = 0.5  # managers, 2010: 500 people
        book["Occ T1"]["C6"] = 9.5  # managers, 2015: 9,500 people
        book["Occ T1"]["D6"] = 10.0  # managers, 2020: 10,000 people

    write_wf(tmp_path / "wf.xlsm", edit=small)
    target = tmp_path / "w.duckdb"
    import_files([tmp_path / "wf.xlsm"], target)
    client = client_for(target)
    body = _crosstab(
        client,
        WF,
        rows="occupation:soc_major",
        columns="year",
        measure="employment",
        cut="occupation:1",
    )
    first, second, third = body["cells"][0][:3]
    assert first["value"] is None and first["flag"] == "suppressed"
    assert "1,000" in first["reason"]
    assert (second["value"], second["flag"]) == (9.5, "low_reliability")
    assert (third["value"], third["flag"]) == (10.0, "projection")
    assert body["provenance"]["caveat"].startswith("The projections are calculated")


def test_provisional_and_revised_are_two_tables_and_revised_is_the_default(
    tmp_path: Path, client_for
) -> None:
    write_ashe(tmp_path / "t.xlsx")
    target = tmp_path / "w.duckdb"
    import_files([tmp_path / "t.xlsx"], target, "provisional")
    import_files([tmp_path / "t.xlsx"], target, "revised")
    client = client_for(target)
    releases = sorted(
        t["provenance"]["release"] for t in client.get("/published").get_json()["tables"]
    )
    assert releases == ["provisional", "revised"]
    query = {"rows": "occupation:soc1", "measure": "weekly_pay_gross_median"}
    assert _crosstab(client, ASHE, **query)["provenance"]["release"] == "revised"
    chosen = _crosstab(client, ASHE, **query, cut="release:provisional")
    assert chosen["provenance"]["release"] == "provisional"


def test_industry_table_levels_and_leading_zeros(tmp_path: Path, client_for) -> None:

    written = write_ashe(
        tmp_path / "t16.xlsx", table="16.7a", variable="Annual pay - Gross (£)", rows=INDUSTRIES
    )
    target = tmp_path / "w.duckdb"
    import_files([tmp_path / "t16.xlsx"], target, "revised")
    client = client_for(target)
    members = client.get(f"/published/{ASHE}/members/industry").get_json()["members"]
    by_code = {m["key"]: (m["level"], m["parent"]) for m in members}
    assert by_code["A"] == ("section", "total")
    assert by_code["01"] == ("division", "A")
    assert by_code["011"] == ("group", "01")
    assert by_code["0111"] == ("class", "011")
    assert by_code["10"] == ("division", "C")
    assert by_code["1011"] == ("class", "101")
    assert by_code["other:all_manufacturing"] == ("other", None)
    body = _crosstab(
        client, ASHE, rows="industry:division", columns="sex", measure="annual_pay_gross_median"
    )
    assert [m["key"] for m in body["rows"]["members"]] == ["01", "10"]
    assert body["cells"][0][1]["value"] == written[("Male", "1", "median")]


def test_errors_name_each_endpoints_own_parameters(tmp_path: Path, client_for) -> None:
    write_ashe(tmp_path / "t.xlsx")
    target = tmp_path / "w.duckdb"
    import_files([tmp_path / "t.xlsx"], target, "provisional")
    client = client_for(target)
    median = "weekly_pay_gross_median"
    for path, params, parameter in [
        ("crosstab", {"rows": "sex", "columns": "sex", "measure": median}, "columns"),
        ("crosstab", {"rows": "sex", "columns": "planet", "measure": median}, "columns"),
        ("crosstab", {"rows": "year", "measure": median}, "rows"),
        ("crosstab", {"rows": "sex", "measure": median, "cut": "occupation:9999"}, "cut"),
        ("crosstab", {"rows": "sex", "measure": median, "cut": "working_pattern:night"}, "cut"),
        ("crosstab", {"rows": "geography", "measure": median}, "rows"),
        ("aggregate", {"drilldown": "planet", "aggregates": median}, "drilldown"),
        ("aggregate", {"drilldown": "sex", "aggregates": "nope"}, "aggregates"),
        ("aggregate", {"drilldown": "geography", "aggregates": median}, "drilldown"),
        ("cell", {"aggregates": "nope"}, "aggregates"),
        ("cell", {"aggregates": median, "cut": "sex:other"}, "cut"),
    ]:
        response = client.get(f"/published/{ASHE}/{path}", query_string=params)
        assert response.status_code == 400, (path, params, response.get_data(as_text=True))
        assert response.get_json()["error"]["parameter"] == parameter, (path, params)
