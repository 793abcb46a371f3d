"""The ETL: every validation rule, atomic and idempotent loads, the coding maps."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from lmi_cubes.etl import sources
from lmi_cubes.etl.load import LoadError, load
from lmi_cubes.etl.problems import ValidationFailed
from lmi_cubes.warehouse.journal import read_journal, sidecar
from support import copy_data, rewrite

FACTS = ("fact_ashe_pay", "fact_ashe_hours", "fact_wf_employment")


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def table(path: Path, name: str) -> pd.DataFrame:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.sql(f"SELECT * FROM {name}").df()


def edit_field(lines: list[str], index: int, field: int, value: str) -> None:
    parts = lines[index].split(",")
    parts[field] = value
    lines[index] = ",".join(parts)


@pytest.fixture()
def live(tiny_dir, tmp_path) -> Path:
    """A private loaded warehouse a test may reload or damage."""
    target = tmp_path / "wh" / "live.duckdb"
    load(tiny_dir, target)
    return target


def test_loaded_tables_equal_the_source_files(warehouse, tiny_dir):
    pay = pd.read_csv(tiny_dir / sources.ASHE_PAY.file)
    fact = table(warehouse, "fact_ashe_pay")
    assert len(fact) == len(pay)
    assert fact["employment"].sum() == pytest.approx(pay["Employment"].sum(), rel=1e-12)
    assert fact["paybill"].sum() == pytest.approx(pay["PayBill"].sum(), rel=1e-12)
    merged = fact.merge(
        pay.rename(columns={"geography": "region"}),
        on=["year", "gender", "status", "industry", "occupation", "region", "qualification"],
    )
    assert len(merged) == len(pay)
    assert (merged["employment"] == merged["Employment"]).all()
    wf = pd.read_csv(tiny_dir / sources.WF_EMPLOYMENT.file)
    assert table(warehouse, "fact_wf_employment")["employment"].sum() == pytest.approx(
        wf["weight"].sum(), rel=1e-12
    )
    region = table(warehouse, "dim_region")
    assert list(region.columns[:4]) == ["uk", "uk_title", "nation", "nation_title"]
    assert len(table(warehouse, "dim_occupation")) == 369
    years = table(warehouse, "dim_year")
    assert set(years["year"]) == set(wf["year"]) | set(pay["year"])


def test_age_ratio_codes_are_mapped_to_the_main_files_coding(warehouse, tiny_dir):
    raw = pd.read_csv(tiny_dir / sources.ASHE_AGE_RATIOS.file)
    loaded = table(warehouse, "ashe_age_ratios")
    # file: gender 0 female, 1 male, 2 total; status 0 PT, 1 FT, 2 total;
    # occupation1 10 = all; qual3 4 = all.  warehouse: 1 male, 2 female, 1 FT, 2 PT, 0 = all.
    expected = raw.assign(
        soc1=raw["occupation1"].replace({10: 0}),
        gender=raw["gender"].map({0: 2, 1: 1, 2: 0}),
        status=raw["status"].map({0: 2, 1: 1, 2: 0}),
        broad3=raw["qual3"].replace({4: 0}),
    )[["soc1", "gender", "status", "broad3", "age", "ratio"]]
    pd.testing.assert_frame_equal(
        loaded.sort_values(list(loaded.columns[:5])).reset_index(drop=True),
        expected.sort_values(list(expected.columns[:5])).reset_index(drop=True),
        check_dtype=False,
    )
    female_ft_row = raw[
        (raw.gender == 0)
        & (raw.status == 1)
        & (raw.occupation1 == 3)
        & (raw.qual3 == 1)
        & (raw.age == 33)
    ]["ratio"].item()
    got = loaded[
        (loaded.gender == 2)
        & (loaded.status == 1)
        & (loaded.soc1 == 3)
        & (loaded.broad3 == 1)
        & (loaded.age == 33)
    ]["ratio"].item()
    assert got == female_ft_row


def _bad_pay(lines: list[str]) -> None:
    edit_field(lines, 5, 1, "3")  # line 6: gender 3 unknown
    lines[10] = "2023,1,1,1,1115"  # line 11: 5 fields
    edit_field(lines, 20, 8, "abc")  # line 21: PayBill not a number
    lines[30] = lines[2]  # line 31: duplicate of line 3
    edit_field(lines, 40, 7, "0")  # line 41: Employment 0 with PayBill > 0
    edit_field(lines, 50, 4, "9999")  # line 51: unknown occupation
    edit_field(lines, 60, 7, "-5")  # line 61: negative employment
    edit_field(lines, 70, 2, "3")  # line 71: status 3 (self-employed) not in ASHE
    edit_field(lines, 80, 6, "")  # line 81: missing qualification


def test_every_problem_is_reported_with_line_and_column(live, tiny_dir, tmp_path):
    data = copy_data(tiny_dir, tmp_path / "bad")
    rewrite(data / sources.ASHE_PAY.file, _bad_pay)
    rewrite(data / sources.ASHE_AGE_RATIOS.file, lambda lines: lines.pop(100))  # line 101
    rewrite(data / sources.ASHE_PAY_DISTRIBUTION.file, lambda ls: edit_field(ls, 3, 4, "0"))
    rewrite(data / sources.ASHE_PAY_DISTRIBUTION.file, lambda ls: edit_field(ls, 12, 1, "77"))
    rewrite(data / sources.WF_EMPLOYMENT.file, lambda ls: edit_field(ls, 7, 0, "1999"))
    rewrite(data / sources.WF_REPLACEMENT_RATES.file, lambda ls: edit_field(ls, 2, 3, "inf"))
    before = sha(live)
    with pytest.raises(ValidationFailed) as caught:
        load(data, live)
    found = {(p.file, p.line, p.column) for p in caught.value.problems}
    pay = sources.ASHE_PAY.file
    key = "+".join(sources.ASHE_PAY.key)
    expected = {
        (pay, 6, "gender"),
        (pay, 11, ""),
        (pay, 21, "PayBill"),
        (pay, 31, key),
        (pay, 41, "PayBill"),
        (pay, 51, "occupation"),
        (pay, 61, "Employment"),
        (pay, 71, "status"),
        (pay, 81, "qualification"),
        (sources.ASHE_AGE_RATIOS.file, 94, "age"),  # first line of the group lacking an age
        (sources.ASHE_PAY_DISTRIBUTION.file, 4, "mean_median_ratio"),
        (sources.ASHE_PAY_DISTRIBUTION.file, 13, "occupation"),
        (sources.WF_EMPLOYMENT.file, 8, "year"),
        (sources.WF_REPLACEMENT_RATES.file, 3, "mobility_rate"),
    }
    assert found == expected
    assert caught.value.total == len(expected)
    messages = {(p.line, p.column): p.message for p in caught.value.problems if p.file == pay}
    assert "valid: 1..2" in messages[(6, "gender")]
    assert messages[(11, "")] == "expected 9 fields, found 5"
    assert "first on line 3" in messages[(31, key)]
    assert messages[(81, "qualification")] == "missing value"
    # all problems also land in the rejects file beside the warehouse
    rejects = pd.read_csv(sidecar(live, "rejects.csv"), keep_default_na=False)
    assert set(zip(rejects["file"], rejects["line"], rejects["column"], strict=True)) == expected
    # and nothing served changed
    assert sha(live) == before
    assert read_journal(live)[-1]["outcome"] == "rejected"


def test_bad_header_missing_file_and_bad_classification(live, tiny_dir, tmp_path):
    data = copy_data(tiny_dir, tmp_path / "bad")
    rewrite(data / sources.ASHE_HOURS.file, lambda ls: ls.__setitem__(0, ls[0].lower()))
    (data / sources.WF_REPLACEMENT_RATES.file).unlink()
    rewrite(data / "regions.csv", lambda ls: edit_field(ls, 3, 3, "Wessex"))  # 2nd title
    rewrite(data / "soc2010.csv", lambda ls: ls.append(ls[1]))
    rewrite(data / sources.WF_YEARS_FILE, lambda ls: edit_field(ls, 1, 1, "guess"))
    with pytest.raises(ValidationFailed) as caught:
        load(data, live)
    found = {(p.file, p.line, p.column) for p in caught.value.problems}
    assert (sources.ASHE_HOURS.file, 1, "Employment") in found
    assert (sources.ASHE_HOURS.file, 1, "TotalHours") in found
    assert (sources.WF_REPLACEMENT_RATES.file, 0, "") in found
    assert ("regions.csv", 4, "nation_title") in found
    rewrite(data / "regions.csv", lambda ls: edit_field(ls, 3, 2, "2"))  # region 3 in Wales...
    rewrite(data / "regions.csv", lambda ls: ls.append("3,Anglia,1,England"))  # ...and England
    with pytest.raises(ValidationFailed) as caught:
        load(data, live)
    found = {(p.file, p.line, p.column) for p in caught.value.problems}
    assert ("regions.csv", 14, "region") in found  # duplicate code
    assert ("regions.csv", 14, "nation") in found  # a second parent
    assert ("soc2010.csv", 371, "soc4") in found  # duplicate unit group
    assert (sources.WF_YEARS_FILE, 2, "kind") in found


def test_a_failed_load_leaves_the_served_data_exactly_as_it_was(live, tiny_dir, tmp_path):
    before = {name: table(live, name) for name in FACTS}
    digest = sha(live)
    data = copy_data(tiny_dir, tmp_path / "bad")
    rewrite(data / sources.WF_EMPLOYMENT.file, lambda ls: edit_field(ls, 99, 7, "-1"))
    with pytest.raises(ValidationFailed):
        load(data, live)
    assert sha(live) == digest
    for name, frame in before.items():
        pd.testing.assert_frame_equal(table(live, name), frame)
    assert not list(live.parent.glob("*.building-*"))


def test_loading_the_same_files_twice_gives_identical_tables(live, tiny_dir):
    with duckdb.connect(str(live), read_only=True) as con:
        names = [r[0] for r in con.sql("SHOW TABLES").fetchall()]
    first = {n: table(live, n) for n in names if n != "load_runs"}
    load(tiny_dir, live)
    for name, frame in first.items():
        pd.testing.assert_frame_equal(table(live, name), frame, check_exact=True)
    runs = table(live, "load_runs")
    assert list(runs["outcome"]) == ["loaded", "loaded"]
    assert runs["vintage"].nunique() == 1
    files = runs["files"].iloc[-1]
    assert sources.ASHE_PAY.file in files and "sha256" in files


def test_a_reader_keeps_its_snapshot_while_a_load_swaps_in_new_data(live, tiny_dir, tmp_path):
    reader = duckdb.connect(str(live), read_only=True)
    old_total = reader.sql("SELECT sum(employment) FROM fact_ashe_pay").fetchall()[0][0]
    data = copy_data(tiny_dir, tmp_path / "changed")
    rewrite(data / sources.ASHE_PAY.file, lambda ls: edit_field(ls, 1, 7, "1000000"))
    load(data, live)  # the reader's open file does not block the load
    assert reader.sql("SELECT sum(employment) FROM fact_ashe_pay").fetchall()[0][0] == old_total
    reader.close()
    with duckdb.connect(str(live), read_only=True) as fresh:
        new_total = fresh.sql("SELECT sum(employment) FROM fact_ashe_pay").fetchall()[0][0]
    assert new_total > old_total + 900_000


def test_kill_9_during_a_load_leaves_the_warehouse_intact(live, tiny_dir):
    digest = sha(live)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "lmi_cubes.cli", "load", str(tiny_dir), "--warehouse", str(live)],
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stderr is not None
    for line in proc.stderr:
        if "loading fact_ashe_pay" in line:  # mid-way: the new file is being written
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc.stderr.close()
    assert sha(live) == digest
    load(tiny_dir, live)  # the next load cleans up and succeeds
    assert not list(live.parent.glob("*.building-*"))
    assert not list(live.parent.glob("*.scratch-*"))


def test_only_one_load_at_a_time(live, tiny_dir):
    import fcntl

    with sidecar(live, "lock").open("w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        with pytest.raises(LoadError, match="another load"):
            load(tiny_dir, live)


def test_cli_exit_status_and_message(live, tiny_dir, tmp_path):
    data = copy_data(tiny_dir, tmp_path / "bad")
    rewrite(data / sources.ASHE_PAY.file, lambda ls: edit_field(ls, 5, 1, "3"))
    done = subprocess.run(
        [sys.executable, "-m", "lmi_cubes.cli", "load", str(data), "--warehouse", str(live)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert "ashe_pay_main.csv:6 column gender" in done.stderr
    assert "unchanged" in done.stderr
    started = time.monotonic()
    bad_target = subprocess.run(
        [
            sys.executable,
            "-m",
            "lmi_cubes.cli",
            "load",
            str(data),
            "--warehouse",
            "mysql://x/y",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad_target.returncode == 2 and "supported warehouses" in bad_target.stderr
    assert time.monotonic() - started < 60
    shutil.rmtree(data)
