"""The import of published workbooks: read and check every file, then swap a new store in.

The published tables live in their own DuckDB file beside the warehouse
(`<warehouse>.official.duckdb`): `lmi-cubes load` rebuilds the warehouse from source files
and must not drop what was imported, and an import must not rebuild the modelled cubes.
Like a load, an import checks every file before it changes anything, builds a complete new
file and renames it over the live one (the commit), and is journalled with each file's
SHA-256 in the warehouse's journal. Importing a table again (same publication, table, area,
year and release) replaces it; other tables already imported stay.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from lmi_cubes.etl.load import file_checksum
from lmi_cubes.etl.official import ashe, wf
from lmi_cubes.etl.official.problems import ImportFailed, ImportProblem
from lmi_cubes.etl.official.records import Table
from lmi_cubes.etl.official.workbook import EXTENSIONS, Book, sources
from lmi_cubes.warehouse.journal import sidecar, write_journal

Progress = Callable[[str], None]
RELEASES = ("provisional", "revised")


def store_path(warehouse: Path) -> Path:
    return sidecar(warehouse, "official.duckdb")


@dataclass(frozen=True)
class ImportResult:
    store: Path
    run_id: str
    tables: list[str]
    figures: int
    seconds: float


def _release_from_name(name: str) -> str | None:
    """ASHE workbooks do not say in their cells whether they are provisional or revised;
    ONS says it in the download's name (PROV ..., ...provisional2018.zip)."""
    lowered = name.lower()
    if re.search(r"(^|[^a-z])prov", lowered):
        return "provisional"
    if re.search(r"(^|[^a-z])rev", lowered):
        return "revised"
    return None


def expand(paths: list[Path]) -> list[Path]:
    """The files given, a folder standing for every workbook and zip under it."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file() and p.suffix.lower() in (*EXTENSIONS, ".zip")
                )
            )
        else:
            out.append(path)
    return out


def read_files(paths: list[Path], release: str | None = None) -> list[Table]:
    """Every table in the files, CV workbooks merged into their estimates; every problem
    (each file's first) raised together."""
    problems: list[ImportProblem] = []
    tables: list[Table] = []
    cvs: list[Table] = []
    for path in paths:
        try:
            if not path.is_file():
                raise ImportProblem(path.name, "", 0, "", "no such file")
            for source in sources(path):
                book = Book(source)
                if ashe.is_ashe(book):
                    chosen = release or _release_from_name(source.name)
                    if chosen is None:
                        raise ImportProblem(
                            source.name,
                            "",
                            0,
                            "",
                            "cannot tell whether this ASHE release is "
                            "provisional or revised; give --release provisional|revised",
                        )
                    table = ashe.read(book, source.sha256, chosen)
                    (cvs if ashe.is_cv(table.table) else tables).append(table)
                elif wf.is_working_futures(book):
                    tables.extend(wf.read(book, source.sha256))
                else:
                    raise ImportProblem(
                        source.name,
                        "",
                        0,
                        "",
                        "unknown layout: neither an ONS ASHE table "
                        "(a 'Table N.N ... For ... employee jobs: area, year' title on sheet 'All') "
                        "nor a Working Futures MainTables workbook (sheets Info, Contents, Occ T1)",
                    )
        except ImportProblem as problem:
            problems.append(problem)
    by_key: dict[str, Table] = {}
    for table in tables:
        if table.key in by_key:
            problems.append(
                ImportProblem(
                    table.file,
                    "",
                    0,
                    "",
                    f"the same table ({table.title}, {table.area}, "
                    f"{table.year}, {table.release}) is also in {by_key[table.key].file}",
                )
            )
        by_key[table.key] = table
    for cv in cvs:
        key = cv.key.replace(f":{cv.table}:", f":{ashe.estimates_of(cv.table)}:")
        estimates = by_key.get(key)
        if estimates is None:
            problems.append(
                ImportProblem(
                    cv.file,
                    "",
                    0,
                    "",
                    f"a CV workbook (Table {cv.table}) without its estimates: "
                    f"import Table {ashe.estimates_of(cv.table)} with it",
                )
            )
        elif estimates.cv_file:
            problems.append(ImportProblem(cv.file, "", 0, "", f"Table {cv.table} given twice"))
        else:
            ashe.merge_cv(estimates, cv)
    if problems:
        raise ImportFailed(problems)
    return tables


@contextlib.contextmanager
def _exclusive(store: Path) -> Iterator[None]:
    with sidecar(store, "lock").open("w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise ImportFailed(
                [ImportProblem(store.name, "", 0, "", "another import is running")]
            ) from exc
        yield


def _frames(tables: list[Table], imported_at: str) -> dict[str, pd.DataFrame]:
    meta = pd.DataFrame(
        [
            {
                "key": t.key,
                "publication": t.publication,
                "table_no": t.table,
                "title": t.title,
                "variable": t.variable,
                "dimension": t.dimension,
                "year": t.year,
                "release": t.release,
                "area": t.area,
                "period": t.period,
                "file": t.file,
                "sha256": t.sha256,
                "cv_file": t.cv_file,
                "cv_sha256": t.cv_sha256,
                "attribution": t.attribution,
                "caveat": t.caveat,
                "statistics": json.dumps(t.statistics),
                "imported_at": imported_at,
            }
            for t in tables
        ]
    )
    members = pd.DataFrame(
        [
            (t.key, m.code, m.label, m.level, m.parent, n)
            for t in tables
            for n, m in enumerate(t.members)
        ],
        columns=["key", "code", "label", "level", "parent", "ord"],
    )
    figures = pd.DataFrame(
        [
            (
                t.key,
                f.member,
                f.sex,
                f.pattern,
                f.statistic,
                f.year,
                f.value,
                f.mark,
                f.cv,
                f.cv_mark,
                f.sheet,
                f.cell,
            )
            for t in tables
            for f in t.figures
        ],
        columns=[
            "key",
            "member",
            "sex",
            "pattern",
            "statistic",
            "year",
            "value",
            "mark",
            "cv",
            "cv_mark",
            "sheet",
            "cell",
        ],
    )
    return {"published_tables": meta, "published_members": members, "published_figures": figures}


SCHEMA = {
    "published_tables": """key VARCHAR PRIMARY KEY, publication VARCHAR, table_no VARCHAR,
        title VARCHAR, variable VARCHAR, dimension VARCHAR, year SMALLINT, release VARCHAR,
        area VARCHAR, period VARCHAR, file VARCHAR, sha256 VARCHAR, cv_file VARCHAR,
        cv_sha256 VARCHAR, attribution VARCHAR, caveat VARCHAR, statistics VARCHAR,
        imported_at VARCHAR""",
    "published_members": """key VARCHAR, code VARCHAR, label VARCHAR, level VARCHAR,
        parent VARCHAR, ord INTEGER""",
    "published_figures": """key VARCHAR, member VARCHAR, sex VARCHAR, pattern VARCHAR,
        statistic VARCHAR, year SMALLINT, value DOUBLE, mark VARCHAR, cv DOUBLE,
        cv_mark VARCHAR, sheet VARCHAR, cell VARCHAR""",
}


def _write(building: Path, tables: list[Table], imported_at: str) -> int:
    con = duckdb.connect(str(building))
    try:
        for name, columns in SCHEMA.items():
            con.execute(f"CREATE TABLE IF NOT EXISTS {name} ({columns})")
        keys = pd.DataFrame({"key": [t.key for t in tables]})
        con.register("replaced", keys)
        for name in SCHEMA:
            con.execute(f"DELETE FROM {name} WHERE key IN (SELECT key FROM replaced)")
        con.unregister("replaced")
        for name, frame in _frames(tables, imported_at).items():
            con.register("frame", frame)
            con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM frame")
            con.unregister("frame")
        con.execute("CHECKPOINT")
        return int(con.execute("SELECT count(*) FROM published_figures").fetchall()[0][0])
    finally:
        con.close()


def _commit(building: Path, store: Path) -> None:
    fd = os.open(building, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(building, store)
    fd = os.open(store.parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def import_files(
    paths: list[Path],
    warehouse: Path,
    release: str | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Check every workbook, then add its tables to the published store atomically."""
    say = progress or (lambda _m: None)
    started = time.monotonic()
    run_id = uuid.uuid4().hex[:12]
    store = store_path(warehouse)
    store.parent.mkdir(parents=True, exist_ok=True)
    record: dict[str, object] = {
        "run_id": run_id,
        "kind": "import",
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "files": [],
    }
    given, paths = paths, expand(paths)
    # every file given, checksummed before it is read (a rejected run says what it was given);
    # on success the workbooks inside zips too
    files = [(p.name, file_checksum(p)) for p in paths if p.is_file()]
    with _exclusive(store):
        building = sidecar(store, f"building-{run_id}")
        try:
            say(f"reading {len(paths)} file(s)")
            if not paths:  # a folder without workbooks: say so, change nothing
                names = ", ".join(p.name for p in given) or "(no files)"
                raise ImportFailed(
                    [ImportProblem(names, "", 0, "", "no .xls, .xlsx, .xlsm or .zip files in it")]
                )
            tables = read_files(paths, release)
            files.extend(
                sorted(
                    (
                        {(t.file, t.sha256) for t in tables}
                        | {(t.cv_file, t.cv_sha256) for t in tables if t.cv_file}
                    )
                    - set(files)
                )
            )
            say(f"writing {len(tables)} table(s)")
            if store.exists():
                shutil.copyfile(store, building)
            imported_at = datetime.now(UTC).isoformat(timespec="seconds")
            total = _write(building, tables, imported_at)
            say("swapping the new published tables in")
            _commit(building, store)
            record.update(outcome="imported", tables=[t.key for t in tables], figures=total)
            return ImportResult(
                store, run_id, [t.key for t in tables], total, time.monotonic() - started
            )
        except ImportFailed as exc:
            record.update(
                outcome="rejected",
                problems=[p.as_dict() for p in exc.problems],
                message=exc.summary(),
            )
            raise
        except BaseException as exc:
            record.update(outcome="failed", message=f"{type(exc).__name__}: {exc}"[:2000])
            raise
        finally:
            for leftover in (building, sidecar(building, "wal")):
                leftover.unlink(missing_ok=True)
            record["files"] = [{"file": f, "sha256": s} for f, s in files]
            record["finished_at"] = datetime.now(UTC).isoformat(timespec="seconds")
            record["seconds"] = round(time.monotonic() - started, 3)
            write_journal(warehouse, record)
