"""SQL text is quoted in one place (`warehouse/quoting.py`) and values are bound wherever the
driver takes them; backends are told apart by their reader's type, not by name.

Paths with quotes and spaces go through every statement that names a file: the generator's
COPY, the loader's read_csv, ATTACH and rejects file, the server's ATTACH, a publish's build.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pandas as pd
import pytest
import sqlalchemy as sa

from lmi_cubes.cli import load_warehouse
from lmi_cubes.etl import sources
from lmi_cubes.etl.generate import generate
from lmi_cubes.etl.problems import ValidationFailed
from lmi_cubes.warehouse import open_target
from lmi_cubes.warehouse.base import open_build
from lmi_cubes.warehouse.files import close_shared, open_read_only
from lmi_cubes.warehouse.journal import sidecar
from lmi_cubes.warehouse.quoting import sql_identifier, sql_literal
from lmi_cubes.warehouse.reader import Reader, table_columns
from support import copy_data, rewrite

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("aggregates", "cube_server", "etl", "model", "warehouse")
AWKWARD = ["", "plain", "it's", "''", "'; DROP TABLE t; --", 'say "hi"', "a\\b", "naïve ✓"]


def package_sources() -> list[Path]:
    """Every module of the package: the layers' folders and `lmi_cubes/` itself (whose
    links to the folders are not followed twice)."""
    files = [p for package in PACKAGES for p in (ROOT / package).rglob("*.py")]
    return sorted(files + list((ROOT / "lmi_cubes").glob("*.py")))


@pytest.mark.parametrize("text", AWKWARD)
def test_a_literal_and_an_identifier_read_back_as_written(text: str) -> None:
    con = duckdb.connect()
    assert con.execute(f"SELECT {sql_literal(text)}").fetchall() == [(text,)]
    if text:  # an empty identifier is no name at all
        con.execute(f"CREATE TABLE {sql_identifier(text)} ({sql_identifier(text)} INTEGER)")
        con.execute(f"INSERT INTO {sql_identifier(text)} VALUES (7)")
        assert con.execute(
            f"SELECT {sql_identifier(text)} FROM {sql_identifier(text)}"
        ).fetchall() == [(7,)]


def test_paths_with_quotes_and_spaces_through_generate_load_and_serve(tmp_path: Path) -> None:
    top = tmp_path / 'it\'s a "folder"'
    data = top / "o'data"
    generate(data, "tiny", seed=3)
    target = top / "wh's file.duckdb"
    load_warehouse(data, target)

    pay = pd.read_csv(data / sources.ASHE_PAY.file)
    warehouse = open_target(target)
    reader = warehouse.open(warehouse.version())
    try:
        got = reader.columns("SELECT count(*) AS n, sum(employment) AS e FROM fact_ashe_pay")
    finally:
        reader.close()
    assert int(got["n"][0]) == len(pay)
    assert float(got["e"][0]) == pytest.approx(float(pay.Employment.sum()), rel=1e-12)
    engine = open_read_only(target)  # by its path (a descriptor pins what the server opens)
    with engine.connect() as con:
        assert con.execute(sa.text("SELECT count(*) FROM fact_ashe_pay")).scalar_one() == len(pay)
    close_shared(engine)
    engine.dispose()

    duck, columns, vintage = open_build(target)  # what a remote backend publishes from
    duck.close()
    assert ("fact_ashe_pay", "employment", "DECIMAL(18,6)") in columns and vintage

    bad = copy_data(data, top / "bad 'data'")

    def break_one(lines: list[str]) -> None:
        lines[1] = lines[1].replace(",", ",x", 1)

    rewrite(bad / sources.ASHE_PAY.file, break_one)
    with pytest.raises(ValidationFailed) as caught:
        load_warehouse(bad, target)
    rejects = sidecar(target, "rejects.csv")
    assert caught.value.rejects_path == str(rejects) and "'" in str(rejects)
    listed = pd.read_csv(rejects)
    assert (listed.file == sources.ASHE_PAY.file).all() and 2 in set(listed.line)


def lines_matching(pattern: re.Pattern[str]) -> list[str]:
    """`file:line` of every line of the package's sources the pattern finds."""
    return [
        f"{p.relative_to(ROOT)}:{n}"
        for p in package_sources()
        for n, line in enumerate(p.read_text().splitlines(), 1)
        if pattern.search(line)
    ]


def test_quotes_are_doubled_only_in_the_quoting_module() -> None:
    quote = r"""(["']'["']|chr\(39\))"""
    doubled = r"""(["']''["']|chr\(39\) \* 2)"""
    doubling = re.compile(rf"replace\(\s*{quote},\s*{doubled}\)")
    assert lines_matching(doubling) == ["warehouse/quoting.py:19"]


def test_no_code_tells_backends_apart_by_dialect_name() -> None:
    compared = re.compile(r"dialect(\.name)?\s*[!=]=|==\s*\S*dialect|\.dialect\.name")
    assert lines_matching(compared) == []


def test_an_engine_is_reflected_the_way_the_reader_that_opened_it_can() -> None:
    """Code that holds only the engine (the model check, the catalog) gets the reflection of
    the backend whose reader opened it; an engine no reader opened, information_schema's."""

    class Listing(Reader):  # a backend without information_schema, as Spark's Thrift server
        @classmethod
        def reflect(cls, engine: sa.Engine) -> dict[str, set[str]]:
            return {"listed": {"by", "the", "backend"}}

    plain, listed = sa.create_engine("duckdb:///:memory:"), sa.create_engine("duckdb:///:memory:")
    with plain.begin() as con:
        con.execute(sa.text("CREATE TABLE t (a INTEGER, b VARCHAR)"))
    assert table_columns(plain) == {"t": {"a", "b"}}
    reader = Listing(listed)
    assert table_columns(listed) == {"listed": {"by", "the", "backend"}}
    reader.close()
    plain.dispose()
