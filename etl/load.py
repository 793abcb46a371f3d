"""Validated, atomic, idempotent loads of the source files into the DuckDB star schema.

A load validates every file completely in a scratch database, then builds a complete new
warehouse file beside the live one and renames it over the live file. The rename is the
commit: a failure or a `kill -9` at any earlier point leaves the served file untouched and
at worst a stray `*.building-*` file, removed by the next load. Each run, failed or not, is
appended to a journal beside the warehouse; the warehouse's `load_runs` table holds the
journal as of its own load.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import os
import shutil
import time
import traceback
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from lmi_cubes.aggregates.warehouse_check import problems_with
from lmi_cubes.etl.classifications import CLASSIFICATIONS, classification_path, read_classifications
from lmi_cubes.etl.occupation_texts import read_occupation_texts, text_paths
from lmi_cubes.etl.problems import Problem, ValidationFailed
from lmi_cubes.etl.schema import Schema, SchemaMismatch, bind
from lmi_cubes.etl.sources import SOURCES, WF_YEARS_FILE, YEAR_DIMENSION, SourceFile
from lmi_cubes.etl.validate import Validator, read_wf_years, staging_table
from lmi_cubes.model import Model
from lmi_cubes.model.loader import load_model
from lmi_cubes.warehouse.journal import read_journal, sidecar, write_journal, write_load_runs
from lmi_cubes.warehouse.quoting import sql_literal

Progress = Callable[[str], None]
# Builds derived tables (rollups) inside the new warehouse, attached as `wh`, before the
# swap; returns their row counts. The ETL does not know what they are.
Extra = Callable[[duckdb.DuckDBPyConnection], dict[str, int]]
# Publishes the finished build (a complete DuckDB file) to a remote warehouse as a new
# version, before the local file is swapped in; a failure fails the load (warehouse/).
Publish = Callable[[Path, str], None]


class LoadError(RuntimeError):
    """A load that could not run (locked, missing directory); nothing was changed."""


class WarehouseMismatch(LoadError):
    """The new warehouse lacks a table or column the model maps, or holds one as another
    kind: it is not swapped in, so the server never opens a warehouse it would refuse."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(
            f"the new warehouse does not match the model ({len(problems)} problem"
            f"{'s' if len(problems) != 1 else ''}): " + "; ".join(problems[:5])
        )


@dataclass(frozen=True)
class LoadResult:
    warehouse: Path
    run_id: str
    vintage: str
    rows: dict[str, int]
    seconds: float


def file_checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@contextlib.contextmanager
def _exclusive(target: Path) -> Iterator[None]:
    """One load at a time per warehouse; the lock dies with the process."""
    with sidecar(target, "lock").open("w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise LoadError(f"another load into {target} is running") from exc
        yield


def _fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _lit(text: str | Path) -> str:
    """A SQL string literal: a warehouse path may contain quotes."""
    return sql_literal(text)


@contextlib.contextmanager
def _building(con: duckdb.DuckDBPyConnection, building: Path) -> Iterator[None]:
    """The new warehouse file attached as `wh` and, on success, checkpointed and detached
    so that it is complete on disk before the rename. The alias is fixed because the
    rollup builder writes into `wh`; connections that use it start in-memory, so no
    database of theirs can already be called `wh` (a warehouse named wh.duckdb used to
    collide with its own scratch file's name)."""
    con.execute(f"ATTACH {_lit(building)} AS wh")
    yield
    con.execute("CHECKPOINT wh")
    con.execute("DETACH wh")


def _commit(building: Path, target: Path) -> None:
    """The atomic commit of a load or rebuild: the new file is made durable, renamed over
    the live one, and the rename is made durable. Until the rename the served file is
    untouched; after it, new readers open the new file."""
    _fsync_path(building)
    os.replace(building, target)
    _fsync_path(target.parent)


def load(
    data_dir: Path,
    target: Path,
    progress: Progress | None = None,
    memory_limit: str = "4GB",
    extra: Extra | None = None,
    allow_empty: bool = False,
    publish: Publish | None = None,
    model: Model | None = None,
) -> LoadResult:
    """Validate every file in data_dir and swap a new warehouse in at target.

    The tables and columns are the model's (the packaged model unless one is given), and
    the new warehouse is checked against it before the swap. A source file with a header
    and no rows is a problem unless `allow_empty`: it would silently empty a whole cube."""
    say = progress or (lambda _msg: None)
    data_dir, target = Path(data_dir), Path(target)
    if not data_dir.is_dir():
        raise LoadError(f"data directory {data_dir} does not exist")
    model = model or load_model()
    try:
        schema = bind(model)
    except SchemaMismatch as exc:
        raise LoadError(str(exc)) from exc
    target.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    run_id = uuid.uuid4().hex[:12]
    record: dict[str, object] = {
        "run_id": run_id,
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "data_dir": str(data_dir.resolve()),
    }
    with _exclusive(target):
        _make_reserve(target)
        for stale in target.parent.glob(f"{target.name}.building-*"):
            stale.unlink()
        for stale in target.parent.glob(f"{target.name}.scratch-*"):
            if stale.is_dir():
                shutil.rmtree(stale, ignore_errors=True)
            else:
                stale.unlink()
        scratch = sidecar(target, f"scratch-{run_id}")
        building = sidecar(target, f"building-{run_id}")
        failure: BaseException | None = None
        try:
            result = _load(
                data_dir,
                target,
                scratch,
                building,
                record,
                say,
                memory_limit,
                extra,
                allow_empty,
                publish,
                model,
                schema,
            )
        except ValidationFailed as exc:
            failure = exc
            record.update(outcome="rejected", problems=exc.total, message=str(exc)[:2000])
            raise
        except BaseException as exc:
            failure = exc
            record.update(
                outcome="failed",
                message=f"{type(exc).__name__}: {exc}"[:2000],
                traceback=traceback.format_exc()[-8000:],
            )
            raise
        finally:
            # scratch files first: on a full disk their space is what the journal needs
            for leftover in (scratch, sidecar(scratch, "wal"), building, sidecar(building, "wal")):
                leftover.unlink(missing_ok=True)
            shutil.rmtree(sidecar(scratch, "tmp"), ignore_errors=True)
            record["finished_at"] = datetime.now(UTC).isoformat(timespec="seconds")
            record["seconds"] = round(time.monotonic() - started, 3)
            _journal(target, record, say, failure)
    return result


JOURNAL_NOT_WRITTEN = "the journal could not be written either"
RESERVE_BYTES = 64 << 10


def _reserve(target: Path) -> Path:
    """Space set aside for the journal: a load that fills the disk, or starts on a full one,
    frees it to journal its failure. Made again by the next load that has room."""
    return sidecar(target, "journal-reserve")


def _make_reserve(target: Path) -> None:
    path = _reserve(target)
    if path.exists() and path.stat().st_size >= RESERVE_BYTES:
        return
    try:
        with path.open("wb") as fh:
            fh.write(b"\0" * RESERVE_BYTES)
            fh.flush()
            os.fsync(fh.fileno())
    except OSError:
        path.unlink(missing_ok=True)  # no room now: the next load tries again


def _journal(
    target: Path, record: dict[str, object], say: Progress, failure: BaseException | None
) -> None:
    """Journal the run. If that fails too (the disk is full), the load's own outcome stands:
    a failed load still raises its own error, with a note; a committed load says so."""
    try:
        try:
            write_journal(target, record)
        except OSError as exc:
            if exc.errno != errno.ENOSPC or not _reserve(target).exists():
                raise
            _reserve(target).unlink()  # its space is now the journal's
            write_journal(target, record)
    except OSError as exc:
        if failure is None:
            say(f"warning: the load was committed but not journalled ({exc.strerror or exc})")
        else:
            failure.add_note(f"{JOURNAL_NOT_WRITTEN} ({exc.strerror or exc})")


def _inputs(data_dir: Path) -> dict[str, Path]:
    files = {c.file: classification_path(data_dir, c.file) for c in CLASSIFICATIONS}
    files.update({f: p for f, p in text_paths(data_dir).items() if p.exists()})
    files[WF_YEARS_FILE] = data_dir / WF_YEARS_FILE
    files.update({s.file: data_dir / s.file for s in SOURCES})
    return files


def _load(
    data_dir: Path,
    target: Path,
    scratch: Path,
    building: Path,
    record: dict[str, object],
    say: Progress,
    memory_limit: str,
    extra: Extra | None,
    allow_empty: bool,
    publish: Publish | None,
    model: Model,
    schema: Schema,
) -> LoadResult:
    started = time.monotonic()
    inputs = _inputs(data_dir)
    say("checksumming source files")
    checksums = {name: file_checksum(p) for name, p in inputs.items() if p.exists()}
    record["files"] = [
        {"file": name, "path": str(inputs[name]), "sha256": digest}
        for name, digest in sorted(checksums.items())
    ]
    vintage = hashlib.sha256(
        "".join(f"{n}={d};" for n, d in sorted(checksums.items())).encode()
    ).hexdigest()[:12]
    record["vintage"] = vintage

    say("checking classifications")
    problems: list[Problem] = []
    dims = read_classifications(data_dir, problems)
    wf_years = read_wf_years(inputs[WF_YEARS_FILE], problems)
    texts = {}  # checked against SOC only once soc2010.csv is sound (no cascade of problems)
    if "occupation" in dims:
        texts = read_occupation_texts(data_dir, set(dims["occupation"]["soc4"]), problems)
    codes: dict[str, list[int]] = {}
    for spec in CLASSIFICATIONS:
        if spec.dimension in dims:
            for level in spec.levels:
                codes[f"{spec.dimension}.{level.level}"] = sorted(
                    dims[spec.dimension][level.code].unique()
                )
    if wf_years is not None:
        codes[f"{YEAR_DIMENSION}.{schema.years.level}"] = sorted(wf_years["year"])

    # in memory, with the scratch file attached under a fixed name: DuckDB would name a
    # file database after the file (`wh` for wh.duckdb.scratch-...), clashing with `wh`
    con = duckdb.connect(
        ":memory:",
        config={"memory_limit": memory_limit, "temp_directory": str(sidecar(scratch, "tmp"))},
    )
    try:
        con.execute(f"ATTACH {_lit(scratch)} AS lmi_scratch")
        con.execute("USE lmi_scratch")
        con.execute("SET preserve_insertion_order = true")
        con.execute("SET enable_progress_bar = false")
        validator = Validator(con, codes, allow_empty=allow_empty)
        validator.add(problems)
        staged: list[SourceFile] = []
        for number, source in enumerate(schema.sources, start=1):
            path = inputs[source.file]
            if not path.exists():
                validator.add([Problem(source.file, 0, "", f"file is missing from {data_dir}")])
                continue
            say(f"validating {source.file} (file {number} of {len(schema.sources)})")
            if validator.stage(source, path):
                staged.append(source)
        total = validator.count()
        if total:
            rejects = sidecar(target, "rejects.csv")
            validator.write_rejects(rejects)
            raise ValidationFailed(validator.first(), total, str(rejects), validator.stored())
        assert wf_years is not None  # any problem above would have raised
        say("building the new warehouse")
        with _building(con, building):
            rows = _build(con, schema, dims, wf_years, staged, say, texts)
            say("checking the new warehouse against the model")
            check_against(model, con)  # before the rollups, which read what it checks
            if extra is not None:
                say("building rollup tables")
                rows.update(extra(con))
            record.update(outcome="loaded", rows=rows)
            history = [
                *read_journal(target),
                {**record, "finished_at": datetime.now(UTC).isoformat(timespec="seconds")},
            ]
            write_load_runs(con, history)
    finally:
        con.close()
    if publish is not None:
        say("publishing the new version")
        publish(building, str(record["run_id"]))
    say("swapping the new warehouse in")
    _commit(building, target)
    sidecar(target, "rejects.csv").unlink(missing_ok=True)
    return LoadResult(target, str(record["run_id"]), vintage, rows, time.monotonic() - started)


def check_against(model: Model, con: duckdb.DuckDBPyConnection) -> None:
    """Raise WarehouseMismatch unless the new warehouse (attached as `wh`) has every table and
    column the model maps, each of its kind: the check the server makes when it opens a
    warehouse, made on the new file while the served one is still untouched."""
    rows = con.execute(
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_catalog = 'wh' AND table_schema = 'main'"
    ).fetchall()
    columns: dict[str, dict[str, str | None]] = {}
    for table, column, sql_type in rows:
        columns.setdefault(str(table), {})[str(column)] = str(sql_type)
    problems = problems_with(model, columns)
    if problems:
        raise WarehouseMismatch(problems)


def _build(
    con: duckdb.DuckDBPyConnection,
    schema: Schema,
    dims: dict[str, pd.DataFrame],
    wf_years: pd.DataFrame,
    staged: list[SourceFile],
    say: Progress,
    texts: dict[str, pd.DataFrame],
) -> dict[str, int]:
    rows: dict[str, int] = {}
    for table, frame in texts.items():  # occupation titles and descriptions (lookups)
        con.register("frame", frame)
        text = ", ".join(f'"{c}"::VARCHAR AS "{c}"' for c in frame.columns if c != "soc4")
        con.execute(
            f"CREATE TABLE wh.{table} AS SELECT soc4::SMALLINT AS soc4, {text} FROM frame "
            "ORDER BY ALL"
        )
        con.unregister("frame")
        rows[table] = len(frame)
    for dim in schema.dimensions:  # the model's table and columns, from the file's columns
        frame = dims[dim.classification.dimension]
        select = ", ".join(
            f"{_q(f.source) if f.source else _constant(f.constant)}::"
            f"{'SMALLINT' if f.code else 'VARCHAR'} AS {_q(f.column)}"
            for f in dim.fills
        )
        con.register("frame", frame)
        con.execute(
            f"CREATE TABLE wh.{_q(dim.table)} AS SELECT {select} FROM frame ORDER BY {_q(dim.key)}"
        )
        con.unregister("frame")
        rows[dim.table] = len(frame)
    for number, source in enumerate(staged, start=1):
        say(f"loading {source.table} (table {number} of {len(staged)})")
        cols = []
        for col in source.columns:
            expr = f'"{col.name}"'
            if col.kind == "amount":  # from the text, so that 0.1 stays exactly 0.1
                expr = (
                    f'coalesce(TRY_CAST("raw_{col.name}" AS DECIMAL(18,6)), {expr}::DECIMAL(18,6))'
                )
            if col.mapping:
                whens = " ".join(f"WHEN {k} THEN {v}" for k, v in col.mapping.items())
                expr = f"CASE {expr} {whens} END"
            sql_type = {"int": "SMALLINT", "float": "DOUBLE", "amount": "DECIMAL(18,6)"}[col.kind]
            cols.append(f'{expr}::{sql_type} AS "{col.target}"')
        con.execute(
            f"""CREATE TABLE wh.{source.table} AS SELECT {", ".join(cols)}
            FROM {staging_table(source)} ORDER BY line_no"""
        )
        rows[source.table] = int(
            con.execute(f"SELECT count(*) FROM wh.{source.table}").fetchall()[0][0]
        )
    # which members each fact table actually has (armed forces have no pay data, the
    # self-employed no ASHE rows): the engine leaves structural absences off its axes
    facts = [s for s in staged if s.lookup is None]
    present = " UNION ALL ".join(
        f"SELECT '{s.table}' AS fact, '{c.target}' AS \"column\", \"{c.target}\" AS key "
        f'FROM wh.{s.table} GROUP BY "{c.target}"'
        for s in facts
        for c in s.columns
        if c.kind == "int"
    )
    con.execute(f'CREATE TABLE wh.fact_members AS {present} ORDER BY fact, "column", key')
    years = schema.years
    fact_years = " UNION ".join(
        f"SELECT DISTINCT {_q(c.target)} AS year FROM wh.{_q(s.table)}"
        for s in facts
        for c in s.columns
        if c.feeds.role == "dimension" and c.feeds.name == YEAR_DIMENSION
    )
    con.register("wf_years", wf_years)
    con.execute(
        f"""CREATE TABLE wh.{_q(years.table)} AS
        SELECT y.year::SMALLINT AS {_q(years.key)}, coalesce(w.kind, 'history') AS {_q(years.kind)}
        FROM (SELECT year FROM wf_years UNION {fact_years}) y
        LEFT JOIN wf_years w USING (year) ORDER BY y.year"""
    )
    con.unregister("wf_years")
    count = con.execute(f"SELECT count(*) FROM wh.{_q(years.table)}").fetchall()[0][0]
    rows[years.table] = int(count)
    return rows


def _q(name: str) -> str:
    """A quoted SQL name: the model's table and column names are data."""
    return '"' + name.replace('"', '""') + '"'


def _constant(value: int | str | None) -> str:
    return str(value) if isinstance(value, int) else _lit(str(value))


def rebuild(
    target: Path,
    extra: Extra,
    progress: Progress | None = None,
    publish: Publish | None = None,
    model: Model | None = None,
) -> dict[str, int]:
    """Rebuild derived tables of a loaded warehouse: copy it, build, check it against the
    model (when one is given), swap atomically."""
    say = progress or (lambda _msg: None)
    if not target.exists():
        raise LoadError(f"no warehouse at {target}; run `lmi-cubes load` first")
    run_id = uuid.uuid4().hex[:12]
    record: dict[str, object] = {
        "run_id": run_id,
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "outcome": "failed",
    }
    with _exclusive(target):
        building = sidecar(target, f"building-{run_id}")
        try:
            say("copying the warehouse")
            shutil.copyfile(target, building)
            con = duckdb.connect(":memory:")
            try:
                with _building(con, building):
                    if model is not None:
                        say("checking the warehouse against the model")
                        check_against(model, con)
                    say("building rollup tables")
                    rows = extra(con)
            finally:
                con.close()
            if publish is not None:
                say("publishing the new version")
                publish(building, run_id)
            _commit(building, target)
            record.update(outcome="rebuilt", rows=rows)
        finally:
            record["finished_at"] = datetime.now(UTC).isoformat(timespec="seconds")
            write_journal(target, record)
            building.unlink(missing_ok=True)
    return rows
