"""Problems found in source files, reported all at once with file, line and column."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

PROBLEMS_DDL = """CREATE OR REPLACE TEMP TABLE problems (
    file VARCHAR, line BIGINT, "column" VARCHAR, message VARCHAR, value VARCHAR)"""
# A million bad lines must not become a million stored rows (memory, and a rejects file
# nobody can read): each check keeps its first PER_CHECK problems, the whole
# load its first MAX_STORED, and every other problem is only counted.
PER_CHECK = 1_000
MAX_STORED = 10_000
MAX_VALUE_CHARS = 200


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int  # 1-based line in the file; 0 when the problem is about the file as a whole
    column: str  # CSV column name, or "" when the problem is about a whole line or file
    message: str
    value: str = ""

    def __str__(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}"
        if self.column:
            where += f" column {self.column}"
        value = f" (value {self.value!r})" if self.value else ""
        return f"{where}: {self.message}{value}"


class ValidationFailed(Exception):
    """Raised when source files are invalid; carries every problem and the total count."""

    def __init__(
        self,
        problems: list[Problem],
        total: int,
        rejects_path: str | None = None,
        stored: int | None = None,
    ):
        self.problems = problems
        self.total = total
        self.rejects_path = rejects_path
        self.stored = total if stored is None else stored
        shown = "\n".join(f"  {p}" for p in problems[:50])
        more = f"\n  ... and {total - 50:,} more" if total > 50 else ""
        super().__init__(f"{total:,} problem(s) in the source files:\n{shown}{more}{self._where()}")

    def _where(self) -> str:
        if not self.rejects_path:
            return ""
        if self.stored < self.total:
            return (
                f"\nThe first {self.stored:,} problems are listed in {self.rejects_path} "
                "(the rest are counted only)"
            )
        return f"\nAll problems are listed in {self.rejects_path}"

    def summary(self) -> str:
        """One line for a terminal: how many, the first, and where the rest are."""
        first = f"; first: {self.problems[0]}" if self.problems else ""
        where = f"; see {self.rejects_path}" if self.rejects_path else ""
        return f"{self.total:,} problem(s) in the source files{first}{where}"


class ProblemStore:
    """Problems in a DuckDB table: the first few of each check stored, every one counted."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con = con
        # per file: [problems stored, problems only counted]
        self._counts: dict[str, list[int]] = {}
        con.execute(PROBLEMS_DDL)

    def _room(self, file: str, found: int) -> int:
        """How many of `found` new problems of `file` to store; counts them all."""
        stored = sum(c[0] for c in self._counts.values())
        room = max(0, min(found, PER_CHECK, MAX_STORED - stored))
        counts = self._counts.setdefault(file, [0, 0])
        counts[0] += room
        counts[1] += found - room
        return room

    def add(self, problems: list[Problem], uncounted: int = 0) -> None:
        """Store problems found outside DuckDB; `uncounted` more were found but not kept."""
        by_file: dict[str, list[Problem]] = {}
        for p in problems:
            by_file.setdefault(p.file, []).append(p)
        for file, found in by_file.items():
            kept = found[: self._room(file, len(found))]
            if kept:
                self.con.executemany(
                    "INSERT INTO problems VALUES (?, ?, ?, ?, ?)",
                    [
                        (p.file, p.line, p.column, p.message, p.value[:MAX_VALUE_CHARS])
                        for p in kept
                    ],
                )
        if uncounted and problems:
            self._counts.setdefault(problems[0].file, [0, 0])[1] += uncounted

    def _insert(self, select_sql: str) -> None:
        """Run one check (a SELECT of problem rows); store its first few, count the rest."""
        self.con.execute(
            f"""CREATE OR REPLACE TEMP TABLE found AS
            SELECT * FROM ({select_sql}) t(file, line, "column", message, value)"""
        )
        rows = self.con.execute("SELECT count(*), any_value(file) FROM found").fetchall()
        total, file = int(rows[0][0]), rows[0][1]
        if total:
            room = self._room(str(file), total)
            self.con.execute(
                f"""INSERT INTO problems SELECT file, line, "column", message,
                       left(value, {MAX_VALUE_CHARS}) FROM found
                ORDER BY line, "column" LIMIT {room}"""
            )
        self.con.execute("DROP TABLE found")

    def _forget(self, file: str) -> None:
        self.con.execute("DELETE FROM problems WHERE file = ?", [file])
        self._counts.pop(file, None)

    def count(self) -> int:
        """Every problem found, stored or only counted."""
        return sum(sum(c) for c in self._counts.values())

    def stored(self) -> int:
        return sum(c[0] for c in self._counts.values())

    def first(self, limit: int = 200) -> list[Problem]:
        rows = self.con.execute(
            f"""SELECT file, line, "column", message, coalesce(value, '') FROM problems
            ORDER BY file, line, "column" LIMIT {int(limit)}"""
        ).fetchall()
        return [Problem(*r) for r in rows]

    def write_rejects(self, path: Path) -> None:
        """Every problem with the rejected line's text, as CSV."""
        path.parent.mkdir(parents=True, exist_ok=True)
        self.con.execute(
            """COPY (SELECT file, line, "column", message, value FROM problems
                      ORDER BY file, line, "column")
                TO ? (FORMAT csv, HEADER true)""",
            [str(path)],
        )
