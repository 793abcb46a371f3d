"""The publishers' own files (ONS ASHE tables, Working Futures and Skills Imperative
MainTables workbooks) import, and served figures match their cells read here directly with
xlrd and openpyxl, not through the importer's reader.

The files are not part of the project: the tests read them from $LMI_CUBES_OFFICIAL_DIR,
else `../shared/official/` beside the repository. Without them these tests fail with a
message saying where to put them; they are never skipped.
"""

from __future__ import annotations

import os
import random
import warnings
from collections import Counter
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlrd
from flask.testing import FlaskClient
from official_workbooks import SHEET_GROUPS, expected_flag, wf_expected

from lmi_cubes.aggregates.published_choice import ASHE, WF
from lmi_cubes.cube_server.app import create_app
from lmi_cubes.etl.official.importer import import_files, store_path

ENV = "LMI_CUBES_OFFICIAL_DIR"
REPO = Path(__file__).resolve().parent.parent
ASHE_2018 = "ons-ashe-2018-provisional"
# the published column of each statistic (A description, B code, C jobs, D median, ...)
COLUMNS = {
    "jobs": 2,
    "median": 3,
    "median_change": 4,
    "mean": 5,
    "mean_change": 6,
    "p10": 7,
    "p25": 9,
    "p75": 14,
    "p90": 16,
}


def official_dir() -> Path:
    folder = Path(os.environ.get(ENV) or REPO.parent / "shared" / "official")
    if not (folder / ASHE_2018).is_dir():
        raise RuntimeError(
            f"the official-data tests need the publishers' workbooks in {folder} (set ${ENV} "
            "to the folder holding ons-ashe-2018-provisional/, ons-ashe-2020/, "
            "working-futures-2017-2027/ and skills-imperative-2035/; docs/official-data.md "
            "says where to download them)"
        )
    return folder


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = official_dir()
    target = tmp_path_factory.mktemp("official") / "w.duckdb"
    # folders as given on the command line; the 2018 files' names say PROV: provisional
    first = [folder / ASHE_2018, *folder.glob("working-futures-*"), *folder.glob("skills-*")]
    import_files(first, target)
    # the 2020 workbook's name does not say which release it is, so the import is told
    import_files(sorted((folder / "ons-ashe-2020").glob("*.xls")), target, "provisional")
    return target


@pytest.fixture(scope="module")
def client(imported: Path, tmp_path_factory: pytest.TempPathFactory) -> FlaskClient:
    app = create_app(
        {
            "WAREHOUSE": str(tmp_path_factory.mktemp("none") / "w.duckdb"),
            "OFFICIAL_STORE": str(store_path(imported)),
        }
    )
    return app.test_client()


def test_every_workbook_imports(client: FlaskClient) -> None:
    listing = client.get("/published").get_json()
    tables = {(t["provenance"]["table"], t["provenance"]["area"]) for t in listing["tables"]}
    for number in ("7.1a", "7.5a", "7.7a", "7.9a", "7.12", "8.1a", "8.9a", "16.7a"):
        assert (f"Table {number}", "United Kingdom") in tables
    for area in ("United Kingdom", "England", "Greater London"):
        assert ("Occ T1", area) in tables and ("Qual T1", area) in tables
    cvs = {t["provenance"]["table"]: t["provenance"]["cv_file"] for t in listing["tables"]}
    assert "7.1b" in cvs["Table 7.1a"] and "7.9b" in cvs["Table 7.9a"]
    assert cvs["Table 7.5a"] is None


def _served(
    client: FlaskClient, dimension: str, code: str, sex: str, pattern: str, measure: str, year: int
) -> dict[str, Any]:
    body = client.get(
        f"/published/{ASHE}/crosstab",
        query_string={
            "rows": "sex",
            "measure": measure,
            "cut": f"{dimension}:{code}|sex:{sex}|working_pattern:{pattern}|year:{year}",
        },
    )
    assert body.status_code == 200, body.get_data(as_text=True)
    ((cell,),) = body.get_json()["cells"]
    return cell


def _code(value: Any) -> str:
    return str(int(value)) if isinstance(value, float) else str(value).strip()


def _cell(sheet: Any, r: int, c: int) -> Any:
    value = sheet.cell_value(r, c)
    return value.strip() if isinstance(value, str) else value


def _check_ashe(
    client: FlaskClient,
    path: Path,
    cv_path: Path | None,
    dimension: str,
    variable: str,
    year: int,
    statistics: tuple[str, ...],
    per_sheet: int = 5,
) -> Counter[str]:
    """Figures sampled from every sheet, and every withheld kind found, against the cells."""
    book = xlrd.open_workbook(str(path))
    cv_book = xlrd.open_workbook(str(cv_path)) if cv_path else None
    rng = random.Random(path.name)
    flags: Counter[str] = Counter()
    for name in book.sheet_names():
        if name not in SHEET_GROUPS:
            continue
        sheet = book.sheet_by_name(name)
        cv_sheet = cv_book.sheet_by_name(name) if cv_book else None
        header = next(r for r in range(30) if _cell(sheet, r, 0) == "Description")
        rows = [
            r
            for r in range(header + 1, sheet.nrows)
            if _code(_cell(sheet, r, 1))
            and (
                dimension != "industry"
                or _code(_cell(sheet, r, 1)).isalpha()
                or len(_code(_cell(sheet, r, 1))) == 4
            )
        ]
        symbols = [
            (r, c)
            for r in rows
            for c in (COLUMNS[s] for s in statistics)
            if _cell(sheet, r, c) in ("x", "..", "-")
        ][:3]
        picks = [(r, COLUMNS[rng.choice(statistics)]) for r in rng.sample(rows, per_sheet)]
        for r, c in picks + symbols:
            statistic = next(s for s, col in COLUMNS.items() if col == c)
            code = _code(_cell(sheet, r, 1))
            sex, pattern = SHEET_GROUPS[name]
            served = _served(client, dimension, code, sex, pattern, f"{variable}_{statistic}", year)
            published = _cell(sheet, r, c)
            cv = _cell(cv_sheet, r, c) if cv_sheet is not None else None
            value, flag = expected_flag(published, cv)
            assert (served["value"], served["flag"]) == (value, flag), (path.name, name, r, c)
            if published == "x":
                assert "unreliable" in served["reason"]
            if published == "..":
                assert "disclosive" in served["reason"]
            flags[flag] += 1
    return flags


def test_ashe_2018_weekly_pay_with_cvs(client: FlaskClient) -> None:
    folder = official_dir() / ASHE_2018
    flags = _check_ashe(
        client,
        folder / "PROV - Work Geography Table 7.1a   Weekly pay - Gross 2018.xls",
        folder / "PROV - Work Geography Table 7.1b   Weekly pay - Gross 2018 CV.xls",
        "geography",
        "weekly_pay_gross",
        2018,
        ("median", "mean", "p10", "p90", "jobs"),
    )
    assert sum(flags.values()) >= 30
    assert flags["reliable"] and flags["low_reliability"] and flags["suppressed"]


def test_ashe_2018_paid_hours_with_cvs_and_the_home_tables(client: FlaskClient) -> None:
    folder = official_dir() / ASHE_2018
    flags = _check_ashe(
        client,
        folder / "PROV - Work Geography Table 7.9a   Paid hours worked - Total 2018.xls",
        folder / "PROV - Work Geography Table 7.9b   Paid hours worked - Total 2018 CV.xls",
        "geography",
        "paid_hours_worked_total",
        2018,
        ("median", "mean", "p25", "p75"),
    )
    flags += _check_ashe(
        client,
        folder / "PROV - Home Geography Table 8.1a   Weekly pay - Gross 2018.xls",
        None,
        "home_geography",
        "weekly_pay_gross",
        2018,
        ("median", "median_change", "p90"),
    )
    flags += _check_ashe(
        client,
        folder / "PROV - Work Geography Table 7.5a   Hourly pay - Gross 2018.xls",
        None,
        "geography",
        "hourly_pay_gross",
        2018,
        ("mean", "mean_change", "p10"),
    )
    assert sum(flags.values()) >= 90
    assert flags["quality_unknown"] and flags["suppressed"]


def test_ashe_2020_industry_table(client: FlaskClient) -> None:
    path = (official_dir() / "ons-ashe-2020").glob("*16.7a*.xls")
    flags = _check_ashe(
        client,
        next(path),
        None,
        "industry",
        "annual_pay_gross",
        2020,
        ("median", "mean", "p10", "p90", "jobs"),
    )
    assert sum(flags.values()) >= 30 and flags["suppressed"]


def test_ashe_gender_pay_gap(client: FlaskClient) -> None:
    path = official_dir() / ASHE_2018 / "PROV - Work Geography Table 7.12  Gender pay gap 2018.xls"
    book = xlrd.open_workbook(str(path))
    checked = 0
    for name in book.sheet_names()[1:]:
        sheet = book.sheet_by_name(name)
        for r in range(5, 60, 5):
            code = _code(_cell(sheet, r, 1))
            for statistic, c in (("median", 2), ("mean", 3)):
                sex, pattern = SHEET_GROUPS[name]
                served = _served(
                    client, "geography", code, sex, pattern, f"gender_pay_gap_{statistic}", 2018
                )
                value, _ = expected_flag(_cell(sheet, r, c), None)
                assert served["value"] == value, (name, r, c)
                checked += 1
    assert checked >= 30


def _wf_blocks(sheet: Any) -> list[tuple[int, int, dict[int, int], dict[str, int]]]:
    """(header row, label column, year columns, period columns) of each 'Levels' block."""
    rows = [list(r) for r in sheet.iter_rows(min_row=1, max_row=12, values_only=True)]
    out = []
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, str) and value.startswith("Levels"):
                for h in (r, r - 1):
                    years = {
                        int(v): k
                        for k, v in enumerate(rows[h])
                        if k > c and isinstance(v, (int, float)) and 1990 < v < 2100 and k < c + 8
                    }
                    if years:
                        period = {
                            name: k
                            for k, v in enumerate(rows[h])
                            if k > c and k < c + 11
                            for name, word in (
                                ("net_change", "Change"),
                                ("replacement_demand", "Demand"),
                                ("total_requirement", "Requirement"),
                            )
                            if v == word
                        }
                        out.append((h, c, years, period))
                        break
    return out


@pytest.mark.parametrize(
    ("folder", "area", "round_"),
    [
        ("working-futures-2017-2027/UK_MainTables.Main.xlsm", "United Kingdom", "2017-2027"),
        ("skills-imperative-2035/EN_MainTables.Main.xlsm", "England", "2020-2035"),
        ("skills-imperative-2035/GL_LSIP_MainTables.Main.xlsm", "Greater London", "2020-2035"),
    ],
)
def test_working_futures(client: FlaskClient, folder: str, area: str, round_: str) -> None:
    flags: Counter[str] = Counter()
    with warnings.catch_warnings():  # the workbooks' print areas name whole rows, which
        warnings.simplefilter("ignore", UserWarning)  # openpyxl cannot represent
        book = openpyxl.load_workbook(official_dir() / folder, read_only=True, data_only=True)
    checked = 0
    for name, dimension, level in (
        ("Occ T1", "occupation", "soc_major"),
        ("Ind T1", "industry", "sector"),
        ("Qual T1", "qualification", "rqf"),
    ):
        sheet = book[name]
        blocks = _wf_blocks(sheet)
        grid = [list(r) for r in sheet.iter_rows(min_row=1, max_row=40, values_only=True)]
        for block, gender in zip(blocks, ("all", "male", "female"), strict=False):
            header, c, years, period = block
            labelled = [
                (r, str(grid[r][c]).strip())
                for r in range(header + 1, header + 14)
                if grid[r][c] and not str(grid[r][c]).startswith(("All", "Shares", "Levels"))
            ]
            stats = [("employment", y, k) for y, k in years.items()][:2]
            stats += [(s, None, k) for s, k in period.items()]
            for statistic, year, k in stats:
                cut = f"area:{area}|round:{round_}"
                if year:
                    cut += f"|year:{year}"
                if name == "Occ T1":
                    cut += f"|gender:{gender}"
                response = client.get(
                    f"/published/{WF}/crosstab",
                    query_string={"rows": f"{dimension}:{level}", "measure": statistic, "cut": cut},
                )
                assert response.status_code == 200, response.get_data(as_text=True)
                body = response.get_json()
                served = {
                    m["label"]: row[0]
                    for m, row in zip(body["rows"]["members"], body["cells"], strict=True)
                }
                for r, label in labelled[:6]:
                    cell = served[" ".join(label.split())]
                    value, flag = wf_expected(statistic, grid[r][k])
                    assert cell["value"] == pytest.approx(value, rel=1e-12), (name, label, k)
                    assert cell["flag"] == flag
                    flags[flag] += 1
                    checked += 1
                assert "10,000 individuals per cell" in body["provenance"]["caveat"]
    assert checked >= 30


def test_geography_hierarchy_by_gss_code(client: FlaskClient) -> None:
    """Parents as the GSS geography has them (public facts, not read from the workbook):
    districts in their county, boroughs in Inner London, unitary authorities and counties
    in their region, Scottish and Welsh authorities in their nation."""
    members = client.get(f"/published/{ASHE}/members/geography").get_json()["members"]
    parent = {m["key"]: m["parent"] for m in members}
    level = {m["key"]: m["level"] for m in members}
    expected = {
        "E08000037": "E11000007",  # Gateshead: Tyne and Wear
        "E06000005": "E12000001",  # Darlington: North East
        "E07000105": "E10000016",  # Ashford: Kent
        "E10000016": "E12000008",  # Kent: South East
        "E09000033": "E13000001",  # Westminster: Inner London
        "E13000001": "E12000007",  # Inner London: London
        "E12000007": "E92000001",  # London: England
        "S12000040": "S92000003",  # West Lothian: Scotland
        "W06000015": "W92000004",  # Cardiff: Wales
        "E92000001": "K04000001",  # England: England and Wales
        "S92000003": "K03000001",  # Scotland: Great Britain
        "N92000002": "K02000001",  # Northern Ireland: United Kingdom
    }
    assert {code: parent[code] for code in expected} == expected
    assert [code for code, lv in level.items() if lv == "region"] == [
        f"E1200000{n}" for n in range(1, 10)
    ]
    assert level["K02000001"] == "uk" and parent["K02000001"] is None


@pytest.mark.parametrize(
    ("folder", "area", "round_"),
    [
        ("working-futures-2017-2027/UK_MainTables.Main.xlsm", "United Kingdom", "2017-2027"),
        ("skills-imperative-2035/GL_LSIP_MainTables.Main.xlsm", "Greater London", "2020-2035"),
    ],
)
def test_working_futures_by_status(
    client: FlaskClient, folder: str, area: str, round_: str
) -> None:
    """Occupation Table 5: FT, PT, SE and Total under each year, for all, males, females."""
    flags: Counter[str] = Counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        book = openpyxl.load_workbook(official_dir() / folder, read_only=True, data_only=True)
    grid = [list(r) for r in book["Occ T5"].iter_rows(min_row=1, max_row=20, values_only=True)]
    statuses = {"FT": "full_time", "PT": "part_time", "SE": "self_employed", "Total": "all"}
    starts = [c for c, v in enumerate(grid[5]) if isinstance(v, str) and v.startswith("Levels")]
    checked = 0
    for start, gender in zip(starts, ("all", "male", "female"), strict=True):
        year = None
        for k in range(start + 1, start + 15):
            if isinstance(grid[4][k], (int, float)):
                year = int(grid[4][k])
            if grid[5][k] not in statuses:
                continue
            response = client.get(
                f"/published/{WF}/crosstab",
                query_string={
                    "rows": "occupation:soc_major",
                    "columns": "status",
                    "measure": "employment",
                    "cut": f"area:{area}|round:{round_}|year:{year}|gender:{gender}",
                },
            )
            assert response.status_code == 200, response.get_data(as_text=True)
            body = response.get_json()
            j = [m["key"] for m in body["columns"]["members"]].index(statuses[grid[5][k]])
            served = {
                m["label"]: row[j]
                for m, row in zip(body["rows"]["members"], body["cells"], strict=True)
            }
            for r in range(6, 20):
                label = grid[r][start]
                if isinstance(label, str) and label.strip() and label != "All occupations":
                    cell = served[" ".join(label.split())]
                    value, flag = wf_expected("employment", grid[r][k])
                    assert cell["value"] == pytest.approx(value, rel=1e-12), (label, k)
                    assert cell["flag"] == flag
                    flags[flag] += 1
                    checked += 1
    assert checked >= 30
    if area == "Greater London":  # small cells of a local area: the guidance applies
        assert flags["low_reliability"]
