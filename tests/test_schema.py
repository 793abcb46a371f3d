"""The star schema is declared once, by the model; `load` holds every new warehouse to it.

The ETL declares its files and what each column fills in the model's terms; the tables and
columns are the model's. A model the files cannot fill, or files that fill what the model
does not map, are refused before anything changes; a new warehouse that does not match the
model is never swapped in; `load` and `rollups build` read the model-directory setting.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest
from click.testing import CliRunner

from lmi_cubes.aggregates.warehouse_check import is_kind
from lmi_cubes.cli import main
from lmi_cubes.etl import load as load_module
from lmi_cubes.etl import schema, sources
from lmi_cubes.etl.classifications import reference_path
from lmi_cubes.etl.load import LoadError, WarehouseMismatch, load
from lmi_cubes.model.loader import default_model_dir, load_model

Docs = dict[str, dict[str, Any]]
# what the load writes beside the model's tables: members per fact, the journal, the
# occupation texts the LMI for All routes read, and the rollups
NOT_MODELLED = ("fact_members", "load_runs", "soc_index", "soc_descriptions")


def model_dir(directory: Path, edit: Callable[[Docs], None]) -> Path:
    """A copy of the packaged model files, edited."""
    docs = {f.name: json.loads(f.read_text()) for f in default_model_dir().glob("*.json")}
    edit(docs)
    directory.mkdir(parents=True)
    for name, doc in docs.items():
        (directory / name).write_text(json.dumps(doc, indent=2))
    return directory


def dimension(docs: Docs, name: str) -> dict[str, Any]:
    return next(d for d in docs["dimensions.json"]["dimensions"] if d["name"] == name)


def cube(docs: Docs, name: str) -> dict[str, Any]:
    return docs[f"{name}.json"]["cubes"][0]


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def columns_of(path: Path) -> dict[str, dict[str, str]]:
    with duckdb.connect(str(path), read_only=True) as con:
        rows = con.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns"
        ).fetchall()
    out: dict[str, dict[str, str]] = {}
    for table, column, sql_type in rows:
        out.setdefault(table, {})[column] = sql_type
    return out


def mapped_by_json(directory: Path) -> set[tuple[str, str]]:
    """Every (table, column) the model files map, read from the JSON itself."""
    mapped = set()
    for f in directory.glob("*.json"):
        doc = json.loads(f.read_text())
        for dim in doc.get("dimensions", []):
            for level in dim["levels"]:
                mapped |= {(dim["info"]["table"], a) for a in level["attributes"]}
        for c in doc.get("cubes", []):
            mapped |= {tuple(j["master"].split(".")) for j in c["joins"]}  # type: ignore[misc]
            mapped |= {(c["fact"], m["name"]) for m in c["measures"]}
            for lookup in c["info"].get("lookups", {}).values():
                names = [*lookup["values"], *filter(None, [lookup.get("parameter")])]
                for key in lookup["keys"]:
                    names += [key["column"], *filter(None, [key.get("level_column")])]
                mapped |= {(lookup["table"], n) for n in names}
    return mapped


@pytest.fixture(scope="module")
def plain(tiny_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny warehouse loaded without rollups, copied by the tests that reload over it."""
    target = tmp_path_factory.mktemp("plain") / "plain.duckdb"
    load(tiny_dir, target)
    return target


def test_the_warehouse_has_exactly_the_tables_and_columns_the_model_maps(warehouse):
    found = {
        (table, column)
        for table, cols in columns_of(warehouse).items()
        if table not in NOT_MODELLED and not table.startswith("rollup_")
        for column in cols
    }
    assert found == mapped_by_json(default_model_dir())
    assert schema.mismatches(load_model()) == []


# The warehouse layout as loaded before the model became the one declaration of it: column
# names, types and order of every table but the rollups (their own tests) and the journal.
LAYOUT = {
    "ashe_age_ratios": "soc1 SMALLINT, gender SMALLINT, status SMALLINT, broad3 SMALLINT, "
    "age SMALLINT, ratio DOUBLE",
    "ashe_pay_distribution": "soc_level SMALLINT, occupation SMALLINT, status SMALLINT, "
    "gender SMALLINT, mean_median_ratio DOUBLE, sd_ratio DOUBLE",
    "dim_gender": "gender SMALLINT, gender_title VARCHAR",
    "dim_industry": "sector6 SMALLINT, sector6_title VARCHAR, ind22 SMALLINT, ind22_title "
    "VARCHAR, ind75 SMALLINT, ind75_title VARCHAR, sic2007_divisions VARCHAR",
    "dim_occupation": "soc1 SMALLINT, soc1_title VARCHAR, soc2 SMALLINT, soc2_title VARCHAR, "
    "soc3 SMALLINT, soc3_title VARCHAR, soc4 SMALLINT, soc4_title VARCHAR",
    "dim_qualification": "broad3 SMALLINT, broad3_title VARCHAR, nqf6 SMALLINT, nqf6_title "
    "VARCHAR, qualification SMALLINT, qualification_title VARCHAR, qcf_level VARCHAR",
    "dim_region": "uk SMALLINT, uk_title VARCHAR, nation SMALLINT, nation_title VARCHAR, "
    "region SMALLINT, region_title VARCHAR",
    "dim_status": "status SMALLINT, status_title VARCHAR",
    "dim_year": "year SMALLINT, kind VARCHAR",
    "fact_ashe_hours": "year SMALLINT, gender SMALLINT, status SMALLINT, industry SMALLINT, "
    "occupation SMALLINT, region SMALLINT, employment DECIMAL(18,6), total_hours DECIMAL(18,6)",
    "fact_ashe_pay": "year SMALLINT, gender SMALLINT, status SMALLINT, industry SMALLINT, "
    "occupation SMALLINT, region SMALLINT, qualification SMALLINT, employment DECIMAL(18,6), "
    "paybill DECIMAL(18,6)",
    "fact_members": "fact VARCHAR, column VARCHAR, key SMALLINT",
    "fact_wf_employment": "year SMALLINT, gender SMALLINT, status SMALLINT, industry SMALLINT, "
    "occupation SMALLINT, region SMALLINT, qualification SMALLINT, employment DECIMAL(18,6)",
    "soc_descriptions": "soc4 SMALLINT, description VARCHAR, qualifications VARCHAR, tasks VARCHAR",
    "soc_index": "soc4 SMALLINT, title VARCHAR, index_entry VARCHAR, qualifier VARCHAR",
    "wf_replacement_rates": "soc2 SMALLINT, retirement_rate DOUBLE, mortality_rate DOUBLE, "
    "mobility_rate DOUBLE",
}
DIMENSION_FILES = {  # table -> (file, key)
    "dim_gender": ("genders.csv", "gender"),
    "dim_status": ("statuses.csv", "status"),
    "dim_industry": ("industries.csv", "ind75"),
    "dim_occupation": ("soc2010.csv", "soc4"),
    "dim_qualification": ("qualifications.csv", "qualification"),
    "dim_region": ("regions.csv", "region"),
}


def test_the_layout_and_the_dimension_tables_are_those_of_the_files(warehouse):
    """Each dimension table holds its classification file's rows, sorted by the key, in the
    model's column order (the UK root added), read here with pandas."""
    columns = columns_of(warehouse)
    found = {
        table: ", ".join(f"{c} {t}" for c, t in cols.items())
        for table, cols in columns.items()
        if table != "load_runs" and not table.startswith("rollup_")
    }
    assert found == LAYOUT
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for table, (file, key) in DIMENSION_FILES.items():
            loaded = con.sql(f"SELECT * FROM {table}").df()
            expected = pd.read_csv(reference_path(file), dtype=str, keep_default_na=False)
            if table == "dim_region":
                expected["uk"], expected["uk_title"] = "1", "United Kingdom"
            expected = expected.sort_values(key, key=lambda k: k.astype(int))[list(loaded)]
            assert loaded.astype(str).values.tolist() == expected.values.tolist(), table


def test_a_level_or_attribute_the_files_cannot_fill_is_refused(tiny_dir, plain, tmp_path):
    def edit(docs: Docs) -> None:
        occupation = dimension(docs, "occupation")
        occupation["levels"].append(
            {"name": "soc5", "attributes": ["soc5", "soc5_title"], "key": "soc5"}
        )
        occupation["hierarchies"][0]["levels"].append("soc5")
        dimension(docs, "industry")["levels"][2]["attributes"].append("sic2007_sections")
        pay = cube(docs, "ashe_pay")
        pay["info"]["lookups"]["pay_distribution"]["values"].append("p90_ratio")

    model = load_model(model_dir(tmp_path / "model", edit))
    problems = schema.mismatches(model)
    assert problems == [
        "dimension occupation: level soc5: soc2010.csv fills no column of it (dim_occupation.soc5)",
        "dimension industry: level ind75: industries.csv fills no column "
        "dim_industry.sic2007_sections",
        "cube ashe_pay: column ashe_pay_distribution.p90_ratio (value p90_ratio) is filled by "
        "no column of ashe_pay_distribution.csv",
    ]
    target = tmp_path / "wh.duckdb"
    shutil.copyfile(plain, target)
    before = sha(target)
    with pytest.raises(LoadError) as refused:
        load(tiny_dir, target, model=model)
    assert "dim_occupation.soc5" in str(refused.value)
    env = {"LMI_CUBES_MODEL_DIR": str(tmp_path / "model")}
    ran = CliRunner().invoke(main, ["load", str(tiny_dir), "--warehouse", str(target)], env=env)
    assert ran.exit_code == 1
    assert ran.stderr.splitlines()[-1] == (
        "load failed: the model and the source files do not match (3 problems): "
        + "; ".join(problems)
        + f"; {target} is unchanged"
    )
    assert sha(target) == before


def test_a_measure_or_level_renamed_on_one_side_only_is_refused(tmp_path, monkeypatch):
    """Measures and levels are concepts both sides name (a measure is the fact column): one
    renamed in the model, or in the file contract, alone is refused, naming both ends."""

    def edit(docs: Docs) -> None:
        pay = cube(docs, "ashe_pay")
        pay["measures"][1]["name"] = "pay_bill"
        pay["aggregates"][1]["measure"] = "pay_bill"

    assert schema.mismatches(load_model(model_dir(tmp_path / "model", edit))) == [
        "ashe_pay_main.csv: column PayBill fills measure paybill, which table fact_ashe_pay "
        "of cube ashe_pay does not map (or another column already fills)",
        "cube ashe_pay: column fact_ashe_pay.pay_bill (measure pay_bill) is filled by no "
        "column of ashe_pay_main.csv",
    ]
    pay = sources.ASHE_PAY
    renamed = tuple(
        dataclasses.replace(c, feeds=sources.measure("pay_bill")) if c.name == "PayBill" else c
        for c in pay.columns
    )
    renamed = tuple(
        dataclasses.replace(c, codes="occupation.soc5") if c.name == "occupation" else c
        for c in renamed
    )
    monkeypatch.setattr(
        schema,
        "SOURCES",
        tuple(dataclasses.replace(s, columns=renamed) if s is pay else s for s in sources.SOURCES),
    )
    problems = schema.mismatches(load_model())
    assert problems.pop(0).startswith(
        "ashe_pay_main.csv: column occupation takes codes of occupation.soc5, a level no file "
        "lists (levels: ['gender.gender', "
    )
    assert problems == [
        "ashe_pay_main.csv: column PayBill fills measure pay_bill, which table fact_ashe_pay "
        "of cube ashe_pay does not map (or another column already fills)",
        "cube ashe_pay: column fact_ashe_pay.paybill (measure paybill) is filled by no column "
        "of ashe_pay_main.csv",
    ]


def test_tables_and_columns_renamed_in_the_model_alone_are_renamed_in_the_warehouse(
    tiny_dir, tmp_path
):
    """The model is the one declaration: renaming a table or column there renames it in the
    load, with no edit to the ETL."""

    def edit(docs: Docs) -> None:
        soc4 = dimension(docs, "occupation")["levels"][3]
        soc4["attributes"] = ["soc4", "soc4_name"]
        soc4["label_attribute"] = "soc4_name"
        dimension(docs, "gender")["info"]["table"] = "dim_sex"
        for doc in docs.values():
            for c in doc.get("cubes", []):
                for join in c["joins"]:
                    join["detail"] = join["detail"].replace("dim_gender.", "dim_sex.")
        pay = cube(docs, "ashe_pay")
        region = next(j for j in pay["joins"] if j["detail"] == "dim_region.region")
        region["master"] = "fact_ashe_pay.region_code"
        hours = cube(docs, "ashe_hours")
        hours["fact"] = "hours_facts"
        for join in hours["joins"]:
            join["master"] = join["master"].replace("fact_ashe_hours.", "hours_facts.")

    target = tmp_path / "renamed.duckdb"
    load(tiny_dir, target, model=load_model(model_dir(tmp_path / "model", edit)))
    columns = columns_of(target)
    assert {"dim_sex", "hours_facts"} <= set(columns)
    assert not {"dim_gender", "fact_ashe_hours"} & set(columns)
    assert list(columns["dim_occupation"])[-2:] == ["soc4", "soc4_name"]
    assert "region_code" in columns["fact_ashe_pay"]
    assert "region" not in columns["fact_ashe_pay"]
    with duckdb.connect(str(target), read_only=True) as con:
        hours = con.sql("SELECT count(*) FROM hours_facts").fetchall()[0][0]
        sexes = con.sql("SELECT gender, gender_title FROM dim_sex ORDER BY 1").fetchall()
        titles = con.sql("SELECT soc4, soc4_name FROM dim_occupation ORDER BY soc4").df()
        fact = con.sql(
            "SELECT region_code, sum(paybill)::DOUBLE AS pay FROM fact_ashe_pay GROUP BY 1"
        ).df()
    assert hours == len(pd.read_csv(tiny_dir / sources.ASHE_HOURS.file))
    genders = pd.read_csv(reference_path("genders.csv")).sort_values("gender")
    assert sexes == list(genders.itertuples(index=False, name=None))
    soc = pd.read_csv(reference_path("soc2010.csv")).sort_values("soc4")
    assert titles["soc4_name"].tolist() == soc["soc4_title"].tolist()
    csv = pd.read_csv(tiny_dir / sources.ASHE_PAY.file).groupby("geography")["PayBill"].sum()
    by_region = fact.set_index("region_code")["pay"].sort_index()
    assert by_region.index.tolist() == csv.index.tolist()
    assert by_region.to_numpy() == pytest.approx(csv.to_numpy(), rel=1e-12)


@pytest.mark.parametrize(
    ("damage", "problem"),
    [
        (
            "ALTER TABLE wh.dim_gender DROP COLUMN gender_title",
            "dimension gender: level gender: column dim_gender.gender_title is not in the "
            "warehouse",
        ),
        (
            "ALTER TABLE wh.fact_ashe_pay ALTER paybill TYPE VARCHAR",
            "cube ashe_pay: aggregate paybill: column fact_ashe_pay.paybill is VARCHAR, not a "
            "number",
        ),
        (
            "ALTER TABLE wh.ashe_age_ratios ALTER age TYPE DOUBLE",
            "cube ashe_pay: info.lookups.age_ratios: column ashe_age_ratios.age is DOUBLE, not "
            "an integer",
        ),
    ],
)
def test_load_never_swaps_in_a_warehouse_that_does_not_match_the_model(
    tiny_dir, plain, tmp_path, monkeypatch, damage, problem
):
    """A loader that writes what the model does not map fails before the swap."""
    build = load_module._build

    def damaged(con: duckdb.DuckDBPyConnection, *args: Any) -> dict[str, int]:
        rows = build(con, *args)
        con.execute(damage)
        return rows

    monkeypatch.setattr(load_module, "_build", damaged)
    target = tmp_path / "wh.duckdb"
    shutil.copyfile(plain, target)
    before = sha(target)
    ran = CliRunner().invoke(main, ["load", str(tiny_dir), "--warehouse", str(target)])
    assert ran.exit_code == 1
    assert ran.stderr.splitlines()[-1] == (
        f"load failed: the new warehouse does not match the model (1 problem): {problem}; "
        f"{target} is unchanged"
    )
    assert sha(target) == before
    assert not list(tmp_path.glob("wh.duckdb.building-*"))
    with pytest.raises(WarehouseMismatch):
        load(tiny_dir, tmp_path / "new.duckdb")
    assert not (tmp_path / "new.duckdb").exists()


def test_column_kinds():
    assert all(is_kind(t, "integer") for t in ("SMALLINT", "INTEGER", "BIGINT", "int4"))
    assert all(is_kind(t, "number") for t in ("DECIMAL(18,6)", "DOUBLE", "SMALLINT", "REAL"))
    assert not any(is_kind(t, "integer") for t in ("DECIMAL(18,6)", "DOUBLE", "VARCHAR"))
    assert not any(is_kind(t, "number") for t in ("VARCHAR", "DATE", "BOOLEAN"))


def rollup_tables(path: Path) -> set[str]:
    return {t for t in columns_of(path) if t.startswith("rollup_")}


def test_load_and_rollups_build_use_the_model_directory_setting(tiny_dir, tmp_path):
    def one_rollup_fewer(docs: Docs) -> None:
        hours = cube(docs, "ashe_hours")["info"]["rollups"]
        hours[:] = [r for r in hours if r["name"] != "no_occupation"]

    custom = {"LMI_CUBES_MODEL_DIR": str(model_dir(tmp_path / "model", one_rollup_fewer))}
    packaged = {"LMI_CUBES_MODEL_DIR": ""}
    every = {r.table for c in load_model().cubes for r in c.rollups}
    dropped = "rollup_ashe_hours_no_occupation"
    assert dropped in every
    target = tmp_path / "wh.duckdb"
    runner = CliRunner()

    ran = runner.invoke(main, ["load", str(tiny_dir), "--warehouse", str(target)], env=custom)
    assert ran.exit_code == 0, ran.output
    assert rollup_tables(target) == every - {dropped}

    # a packaged model would add the dropped rollup; the custom one rebuilds the others only
    ran = runner.invoke(main, ["rollups", "build", "--warehouse", str(target)], env=custom)
    assert ran.exit_code == 0, ran.output
    built = ran.stderr.splitlines()[-1].split("built ")[1]
    assert {part.split("=")[0] for part in built.split(", ")} == every - {dropped}
    assert rollup_tables(target) == every - {dropped}

    # the former command name still works, says the new one, and reads the setting too
    ran = runner.invoke(main, ["aggregates", "build", "--warehouse", str(target)], env=packaged)
    assert ran.exit_code == 0, ran.output
    assert ran.stderr.splitlines()[0] == "note: `lmi-cubes aggregates` is now `lmi-cubes rollups`"
    assert rollup_tables(target) == every
    assert "aggregates" not in runner.invoke(main, ["--help"]).output


def test_serve_checks_the_warehouse_against_the_model_of_the_setting(plain, tmp_path, monkeypatch):
    """`serve` reports at start-up what the server would answer 503 with, for the model it
    will serve: the folder of the setting, not the packaged one."""
    from lmi_cubes import cli

    monkeypatch.setattr(cli, "port_in_use", lambda host, port: False)
    monkeypatch.setattr(cli, "_exec_server", lambda *args: None)

    def edit(docs: Docs) -> None:
        dimension(docs, "industry")["levels"][2]["attributes"].append("sic2007_sections")

    custom = {"LMI_CUBES_MODEL_DIR": str(model_dir(tmp_path / "model", edit))}
    runner = CliRunner()
    ran = runner.invoke(main, ["serve", "--warehouse", str(plain)], env=custom)
    assert ran.exit_code == 0, ran.output
    assert ran.stderr.splitlines()[0].startswith("warning: the warehouse plain.duckdb ")
    ran = runner.invoke(main, ["serve", "--warehouse", str(plain)], env={"LMI_CUBES_MODEL_DIR": ""})
    assert ran.exit_code == 0, ran.output
    assert not ran.stderr.startswith("warning")
