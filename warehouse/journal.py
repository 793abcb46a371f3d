"""The record of loads: a journal file beside the warehouse, and the `load_runs` table.

The journal (`<warehouse>.load_runs.jsonl`) outlives failed loads; the table is written
into each new warehouse, so a reader of any version knows its own vintage and row counts.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any

import duckdb
import sqlalchemy as sa


def sidecar(target: Path, suffix: str) -> Path:
    """A file that lives beside the warehouse, e.g. its journal or rejects."""
    return target.with_name(f"{target.name}.{suffix}")


def write_journal(target: Path, record: dict[str, object]) -> None:
    """Append one record as one line. A write that fails midway (a full disk) is undone, so
    the journal never holds a torn line; the error is raised."""
    line = (json.dumps(record, sort_keys=True) + "\n").encode("utf-8")
    fd = os.open(sidecar(target, "load_runs.jsonl"), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        size = os.fstat(fd).st_size
        try:
            view = memoryview(line)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        except OSError:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, size)
            raise
    finally:
        os.close(fd)


def read_journal(target: Path) -> list[dict[str, object]]:
    path = sidecar(target, "load_runs.jsonl")
    if not path.exists():
        return []
    records = []
    for line in path.read_text(encoding="utf-8").splitlines():
        with contextlib.suppress(json.JSONDecodeError):  # a torn last line after a crash
            records.append(json.loads(line))
    return records


def write_load_runs(con: duckdb.DuckDBPyConnection, history: list[dict[str, object]]) -> None:
    import pandas as pd  # at load time only: the server reads the journal without pandas

    frame = pd.DataFrame(
        [
            {
                "seq": seq,
                "run_id": r.get("run_id"),
                "started_at": r.get("started_at"),
                "finished_at": r.get("finished_at"),
                "outcome": r.get("outcome"),
                "vintage": r.get("vintage"),
                "data_dir": r.get("data_dir"),
                "files": json.dumps(r.get("files", [])),
                "row_counts": json.dumps(r.get("rows", {})),
                "problems": int(r.get("problems", 0) or 0),  # type: ignore[call-overload]
                "message": r.get("message"),
            }
            for seq, r in enumerate(history, start=1)
        ]
    )
    con.register("history", frame)
    con.execute(
        """CREATE TABLE wh.load_runs AS SELECT seq::INTEGER AS seq, run_id::VARCHAR AS run_id,
               started_at::TIMESTAMPTZ AS started_at, finished_at::TIMESTAMPTZ AS finished_at,
               outcome::VARCHAR AS outcome, vintage::VARCHAR AS vintage,
               data_dir::VARCHAR AS data_dir, files::JSON AS files, row_counts::JSON AS row_counts,
               problems::INTEGER AS problems, message::VARCHAR AS message
           FROM history ORDER BY seq"""
    )
    con.unregister("history")


def read_load_info(warehouse: sa.Engine) -> dict[str, Any]:
    """The vintage, finish time and fact row counts of the version an engine reads."""
    runs = sa.table(
        "load_runs",
        sa.column("seq"),
        sa.column("vintage"),
        sa.column("finished_at"),
        sa.column("outcome"),
        sa.column("row_counts"),
    )
    query = (
        sa.select(runs.c.vintage, sa.cast(runs.c.finished_at, sa.String), runs.c.row_counts)
        .where(runs.c.outcome == "loaded")
        .order_by(runs.c.seq.desc())
        .limit(1)
    )
    with warehouse.connect() as con:
        row = con.execute(query).fetchall()
    if not row:
        return {"vintage": "unknown", "loaded_at": None, "row_counts": {}}
    vintage, finished, counts = row[0]
    counts = json.loads(counts) if isinstance(counts, str) else dict(counts or {})
    return {
        "vintage": str(vintage),
        "loaded_at": str(finished),
        "row_counts": {k: int(v) for k, v in counts.items() if k.startswith("fact_")},
    }
