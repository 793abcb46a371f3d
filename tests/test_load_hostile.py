"""Files a user really has: odd warehouse names, empty, mis-encoded, runaway and very bad files.

Each is reported with file, line and column (never a traceback), and the served warehouse
stays exactly as it was.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from lmi_cubes.aggregates import rollups
from lmi_cubes.cli import load_warehouse
from lmi_cubes.etl import sources
from lmi_cubes.etl.load import load, rebuild
from lmi_cubes.etl.occupation_texts import SOC_DESCRIPTIONS_FILE, read_occupation_texts
from lmi_cubes.etl.problems import MAX_STORED, Problem, ValidationFailed
from lmi_cubes.model.loader import load_model
from lmi_cubes.warehouse.journal import read_journal, sidecar
from support import copy_data, rewrite

PAY = sources.ASHE_PAY.file


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def count(path: Path, table: str) -> int:
    with duckdb.connect(str(path), read_only=True) as con:
        return int(con.sql(f"SELECT count(*) FROM {table}").fetchall()[0][0])


def replace_bytes(path: Path, data: bytes) -> None:
    path.unlink()
    path.write_bytes(data)


@pytest.mark.parametrize("name", ["wh.duckdb", "wh.live.duckdb", "it's here.duckdb"])
def test_warehouse_names_that_collide_with_aliases_or_need_quoting(tiny_dir, tmp_path, name):
    target = tmp_path / name
    load_warehouse(tiny_dir, target)
    load_warehouse(tiny_dir, target)  # a reload attaches beside an existing file
    model = load_model()
    rows = rebuild(target, lambda con: rollups.build(con, model))
    assert rows and count(target, "fact_ashe_pay") > 0
    assert [r["outcome"] for r in read_journal(target)] == ["loaded", "loaded", "rebuilt"]


@pytest.fixture()
def live(tiny_dir, tmp_path) -> Path:
    target = tmp_path / "wh" / "live.duckdb"
    load(tiny_dir, target)
    return target


def test_a_header_only_fact_file_is_an_error_unless_allowed(live, tiny_dir, tmp_path):
    data = copy_data(tiny_dir, tmp_path / "empty")

    def header_only(lines: list[str]) -> None:
        del lines[1:]

    rewrite(data / sources.ASHE_HOURS.file, header_only)
    before = sha(live)
    with pytest.raises(ValidationFailed) as caught:
        load(data, live)
    [problem] = caught.value.problems
    assert (problem.file, problem.line) == (sources.ASHE_HOURS.file, 0)
    assert "no rows" in problem.message and "--allow-empty" in problem.message
    assert sha(live) == before
    load(data, live, allow_empty=True)
    assert count(live, "fact_ashe_hours") == 0
    assert count(live, "fact_ashe_pay") > 0


def test_an_integer_too_wide_for_the_warehouse_is_a_problem_at_its_line(live, tiny_dir, tmp_path):
    """Regression (found by the fuzz test): year 33000 passed validation, then the load
    failed with a raw ConversionException casting it to SMALLINT."""
    data = copy_data(tiny_dir, tmp_path / "wide")
    rewrite(data / sources.ASHE_PAY.file, lambda ls: ls.__setitem__(3, "33000" + ls[3][4:]))
    before = sha(live)
    with pytest.raises(ValidationFailed) as caught:
        load(data, live)
    [problem] = caught.value.problems
    assert (problem.file, problem.line, problem.column) == (sources.ASHE_PAY.file, 4, "year")
    assert "out of range" in problem.message and problem.value == "33000"
    assert sha(live) == before


def test_bad_bytes_utf16_and_runaway_lines_are_problems_with_line_and_column(
    live, tiny_dir, tmp_path
):
    data = copy_data(tiny_dir, tmp_path / "bytes")
    # a Windows-1252 byte in a value (line 5, Employment) of a fact file
    pay_lines = (tiny_dir / PAY).read_bytes().split(b"\n")
    fields = pay_lines[4].split(b",")
    fields[7] = b"12\xa3"
    pay_lines[4] = b",".join(fields)
    replace_bytes(data / PAY, b"\n".join(pay_lines))
    # a Windows-1252 header of another fact file
    hours = (tiny_dir / sources.ASHE_HOURS.file).read_bytes()
    replace_bytes(data / sources.ASHE_HOURS.file, hours.replace(b"year", b"ye\xe4r", 1))
    # a label saved from Excel as Windows-1252 (line 3, region_title)
    regions = (tiny_dir / "regions.csv").read_text("utf-8").splitlines()
    regions[2] = regions[2].replace("South East", "Sud-Est \u00e9")
    replace_bytes(data / "regions.csv", "\n".join(regions).encode("cp1252"))
    # a whole classification saved as UTF-16
    soc = (tiny_dir / "soc2010.csv").read_text("utf-8")
    replace_bytes(data / "soc2010.csv", soc.encode("utf-16"))
    # a 10 MB line (line 4) in the Working Futures file
    wf_lines = (tiny_dir / sources.WF_EMPLOYMENT.file).read_bytes().split(b"\n")
    wf_lines[3] = wf_lines[3] + b"9" * 10_000_000
    replace_bytes(data / sources.WF_EMPLOYMENT.file, b"\n".join(wf_lines))
    before = sha(live)
    with pytest.raises(ValidationFailed) as caught:
        load(data, live)
    found = {(p.file, p.line, p.column): p for p in caught.value.problems}
    assert "not UTF-8" in found[(PAY, 5, "Employment")].message
    assert found[(PAY, 5, "Employment")].value == "12\\xa3"
    assert "not UTF-8" in found[(sources.ASHE_HOURS.file, 1, "year")].message
    assert "not UTF-8" in found[("regions.csv", 3, "region_title")].message
    assert "UTF-16" in found[("soc2010.csv", 1, "")].message
    assert "10,000,0" in found[(sources.WF_EMPLOYMENT.file, 4, "")].message
    assert sha(live) == before
    assert read_journal(live)[-1]["outcome"] == "rejected"


@pytest.mark.parametrize("bad", [30_000, 90_000])
def test_very_many_bad_lines_are_counted_but_storage_is_bounded(live, tiny_dir, tmp_path, bad):
    """The stored problems (and so the rejects file) are capped whatever the count of bad
    lines, and the total is still exact."""
    data = copy_data(tiny_dir, tmp_path / "many")
    header = (tiny_dir / PAY).read_text().splitlines()[0]
    # distinct keys (years within the warehouse's SMALLINT, then another industry)
    lines = [header] + [
        f"{1000 + i % 30000},x,1,{1 + i // 30000},1115,1,1,10,100" for i in range(bad)
    ]
    (data / PAY).unlink()
    (data / PAY).write_text("\n".join(lines) + "\n")
    with pytest.raises(ValidationFailed) as caught:
        load(data, live)
    assert caught.value.total == bad
    assert caught.value.stored <= MAX_STORED
    assert f"{bad:,} problem(s)" in caught.value.summary()
    rejects = sidecar(live, "rejects.csv")
    assert len(pd.read_csv(rejects)) == caught.value.stored
    assert rejects.stat().st_size < 500_000  # the same bound for 30,000 and 90,000 lines


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "lmi_cubes.cli", *args],
        capture_output=True,
        text=True,
        timeout=180,
    )


def messages(stderr: str) -> list[str]:
    """stderr without the progress lines ("[   0.1s] ...")."""
    return [line for line in stderr.splitlines() if line and not line.startswith("[")]


def test_a_failed_load_prints_one_line_and_journals_the_details(live, tiny_dir, tmp_path):
    data = copy_data(tiny_dir, tmp_path / "bad")
    rewrite(data / PAY, lambda lines: lines.__setitem__(5, lines[5].replace(",", ";")))
    done = run_cli("load", str(data), "--warehouse", str(live))
    assert done.returncode == 2
    [line] = messages(done.stderr)
    assert line.startswith("load failed: 1 problem(s)") and f"{PAY}:6" in line
    assert "unchanged" in line and "Traceback" not in done.stderr
    # an unexpected fault (here DuckDB refusing the memory limit) is one line too
    before = sha(live)
    done = run_cli("load", str(tiny_dir), "--warehouse", str(live), "--memory-limit", "lots")
    assert done.returncode == 1
    [line] = messages(done.stderr)
    assert line.startswith("load failed (") and "load_runs.jsonl" in line
    assert "Traceback" not in done.stderr
    record = read_journal(live)[-1]
    assert record["outcome"] == "failed" and "Traceback" in str(record["traceback"])
    assert sha(live) == before


def test_a_soc_code_of_digits_int_refuses_is_a_problem_not_a_traceback(tmp_path):
    """'¹'.isdigit() is True but int('¹') raises; such a code is a problem like any other."""
    (tmp_path / SOC_DESCRIPTIONS_FILE).write_text("soc4,description\n\u00b9,x\n1111,y\n")
    problems: list[Problem] = []
    tables = read_occupation_texts(tmp_path, {1111}, problems)
    # (the packaged coding index names unit groups other than 1111: only this file counts)
    assert [
        (p.file, p.line, p.column, p.value) for p in problems if p.file == SOC_DESCRIPTIONS_FILE
    ] == [(SOC_DESCRIPTIONS_FILE, 2, "soc4", "\u00b9")]
    assert list(tables["soc_descriptions"]["soc4"]) == [1111]
