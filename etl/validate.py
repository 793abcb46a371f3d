"""Full validation of the source files inside DuckDB, with line and column for every problem.

Each file is read as raw lines (one VARCHAR per line, so the row id is the line number even
for malformed lines), then split and cast into a typed staging table. Every rule that
docs/reference.md lists under "What the loader checks" is one query over that table,
producing rows of the `problems` table; nothing is raised until every file has been
checked, so a user sees all problems at once.
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pandas as pd

from lmi_cubes.aggregates.query import AGES
from lmi_cubes.etl import textfile
from lmi_cubes.etl.problems import Problem, ProblemStore
from lmi_cubes.etl.sources import MAX_AMOUNT, WF_YEARS_FILE, Column, SourceFile
from lmi_cubes.warehouse.quoting import sql_identifier, sql_literal

_SQL_TYPES = {"int": "BIGINT", "float": "DOUBLE", "amount": "DOUBLE"}
SMALLINT_MIN, SMALLINT_MAX = -32768, 32767  # the warehouse's integer columns (etl/load.py)


def staging_table(source: SourceFile) -> str:
    return f"stage_{source.table}"


def _choices(values: list[int]) -> str:
    """A short description of valid codes, e.g. '1..12' or '1, 2, 3 ... 9 (369 codes)'."""
    values = sorted(values)
    if values and values == list(range(values[0], values[-1] + 1)):
        return f"{values[0]}..{values[-1]}"
    if len(values) <= 12:
        return ", ".join(map(str, values))
    head = ", ".join(map(str, values[:4]))
    return f"{head} ... {values[-1]} ({len(values)} codes)"


def _level_name(codes: str) -> str:
    classification, level = codes.split(".")
    return level if level == classification else f"{classification} ({level})"


class Validator(ProblemStore):
    """Stages and checks files on one DuckDB connection; problems accumulate in a table."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        codes: dict[str, list[int]],
        allow_empty: bool = False,
    ):
        super().__init__(con)
        self.codes = codes  # "<classification>.<level>" -> valid codes
        self.allow_empty = allow_empty
        for name, values in codes.items():
            con.execute(
                f"CREATE OR REPLACE TEMP TABLE {sql_identifier('codes_' + name)} (code BIGINT)"
            )
            con.executemany(
                f"INSERT INTO {sql_identifier('codes_' + name)} VALUES (?)",
                [(int(v),) for v in values],
            )

    def _unreadable(self, source: SourceFile, path: Path) -> bool:
        """Report encoding and overlong-line problems; True if there were any."""
        problems, total = textfile.scan(path, source.file, source.header)
        self.add(problems, total - len(problems))
        return bool(problems)

    def stage(self, source: SourceFile, path: Path) -> bool:
        """Read, type and check one file; False if it could not be staged at all."""
        name = source.file
        try:
            header = _read_header(path)
        except UnicodeDecodeError:
            self._unreadable(source, path)
            return False
        if header is None:
            self.add([Problem(name, 0, "", "file is empty")])
            return False
        if header != source.header:
            problems = []
            for i, expected in enumerate(source.header):
                found = header[i] if i < len(header) else "(nothing)"
                if found != expected:
                    problems.append(
                        Problem(
                            name,
                            1,
                            expected,
                            f"header column {i + 1} should be {expected!r}",
                            found,
                        )
                    )
            if len(header) > len(source.header):
                problems.append(
                    Problem(
                        name, 1, "", f"header has {len(header)} columns; expected {source.header}"
                    )
                )
            self.add(problems)
            return False
        stage = staging_table(source)
        if self._stage_fast(source, path, stage):
            self._check(source, stage, None)
            if self._count(source.file) == 0:
                return self._has_rows(source, stage)
            # something is wrong: read it again line by line so that every problem gets
            # its exact line and column
            self._forget(source.file)
        elif self._unreadable(source, path):
            return False
        raw = f"raw_{source.table}"
        try:
            self.con.execute(
                f"""CREATE OR REPLACE TABLE {raw} AS
                SELECT line FROM read_csv(?, columns = {{'line': 'VARCHAR'}},
                    header = false, delim = '\x1f', quote = '', escape = '',
                    new_line = '\\r\\n', parallel = false, auto_detect = false,
                    strict_mode = false)""",
                [str(path)],
            )
        except duckdb.Error as exc:  # the byte scan above should have found why
            first = str(exc).splitlines()[0][:300]
            self.add([Problem(name, 0, "", f"cannot be read as CSV text: {first}")])
            return False
        casts = []
        for i, col in enumerate(source.columns, start=1):
            field = f"trim(f[{i}], ' \"')"
            casts.append(f"{field} AS {sql_identifier('raw_' + col.name)}")
            casts.append(
                f"TRY_CAST({field} AS {_SQL_TYPES[col.kind]}) AS {sql_identifier(col.name)}"
            )
        self.con.execute(f"DROP VIEW IF EXISTS {stage}")
        self.con.execute(
            f"""CREATE OR REPLACE TABLE {stage} AS
            SELECT line_no, len(f) AS n_fields, {", ".join(casts)}
            FROM (SELECT rowid + 1 AS line_no, string_split(rtrim(line, chr(13)), ',') AS f
                  FROM {raw} WHERE rowid > 0 AND trim(coalesce(line, '')) <> '')"""
        )
        self._check(source, stage, raw)
        self.con.execute(f"DROP TABLE {raw}")
        return self._has_rows(source, stage)

    def _has_rows(self, source: SourceFile, stage: str) -> bool:
        """A header-only file would silently empty its table (a whole cube): refuse it
        unless the load explicitly allows empty files."""
        if self.allow_empty:
            return True
        rows = self.con.execute(f"SELECT count(*) FROM {stage}").fetchall()
        if int(rows[0][0]) == 0:
            self.add(
                [
                    Problem(
                        source.file,
                        0,
                        "",
                        "has a header but no rows, which would empty "
                        f"{source.table}; load with --allow-empty if that is intended",
                    )
                ]
            )
        return True

    def _stage_fast(self, source: SourceFile, path: Path, stage: str) -> bool:
        """The usual case, a valid file: DuckDB's parallel typed reader. False if the file
        does not even parse; line numbers are then only trusted from the slow path."""
        types = ", ".join(f"{sql_literal(c.name)}: '{_SQL_TYPES[c.kind]}'" for c in source.columns)
        raw_columns = ", ".join(
            f"NULL::VARCHAR AS {sql_identifier('raw_' + c.name)}" for c in source.columns
        )
        try:
            self.con.execute(
                f"""CREATE OR REPLACE TABLE {stage}_typed AS
                SELECT {len(source.columns)} AS n_fields, *, {raw_columns}
                FROM read_csv(?, header = true, columns = {{{types}}}, auto_detect = false)""",
                [str(path)],
            )
        except duckdb.Error:
            return False
        # row ids follow the file (insertion order is preserved); only used to tell rows
        # apart here, since any problem sends the file through the exact slow path
        self.con.execute(
            f"CREATE OR REPLACE VIEW {stage} AS SELECT rowid + 2 AS line_no, * FROM {stage}_typed"
        )
        return True

    def _count(self, file: str) -> int:
        return sum(self._counts.get(file, [0, 0]))

    def _check(self, source: SourceFile, stage: str, raw: str | None) -> None:
        file = sql_literal(source.file)
        n = len(source.columns)
        if raw is not None:
            self._insert(
                f"""SELECT {file}, s.line_no, '', 'expected {n} fields, found ' || s.n_fields, r.line
                FROM {stage} s JOIN {raw} r ON r.rowid + 1 = s.line_no WHERE s.n_fields <> {n}"""
            )
        for col in source.columns:
            self._check_column(source, stage, col)
        key = ", ".join(sql_identifier(k) for k in source.key)
        self._insert(
            f"""SELECT {file}, line_no, '{"+".join(source.key)}',
                   'duplicate cell key (first on line ' || first_line || ')', cell
            FROM (SELECT s.line_no, min(s.line_no) OVER w AS first_line,
                         concat_ws(',', {key}) AS cell
                  FROM {stage} s
                  JOIN (SELECT {key} FROM {stage} WHERE n_fields = {n}
                        GROUP BY ALL HAVING count(*) > 1) USING ({key})
                  WINDOW w AS (PARTITION BY {key}))
            WHERE line_no <> first_line"""
        )
        for value, weight in source.zero_with:
            self._insert(
                f"""SELECT {file}, line_no, '{value}', '{value} must be 0 where {weight} is 0',
                       {sql_identifier("raw_" + value)}
                FROM {stage} WHERE {sql_identifier(weight)} = 0 AND {sql_identifier(value)} <> 0"""
            )
        for rule in source.extra_rules:
            getattr(self, f"_rule_{rule}")(source, stage)

    def _check_column(self, source: SourceFile, stage: str, col: Column) -> None:
        file, c, raw = (
            sql_literal(source.file),
            sql_identifier(col.name),
            sql_identifier("raw_" + col.name),
        )
        what = "an integer" if col.kind == "int" else "a number"
        self._insert(
            f"""SELECT {file}, line_no, '{col.name}',
                   CASE WHEN coalesce({raw}, '') = '' THEN 'missing value' ELSE 'not {what}' END,
                   coalesce({raw}, '')
            FROM {stage} WHERE {c} IS NULL AND n_fields = {len(source.columns)}"""
        )
        if col.kind != "int":
            self._insert(
                f"""SELECT {file}, line_no, '{col.name}', 'not a finite number', {raw}
                FROM {stage} WHERE {c} IS NOT NULL AND NOT isfinite({c})"""
            )
        else:  # codes and years are stored as SMALLINT: a wider value could never load
            self._insert(
                f"""SELECT {file}, line_no, '{col.name}',
                       'out of range (codes and years are {SMALLINT_MIN}..{SMALLINT_MAX})', {raw}
                FROM {stage} WHERE {c} NOT BETWEEN {SMALLINT_MIN} AND {SMALLINT_MAX}"""
            )
        if col.kind == "amount":
            self._insert(
                f"""SELECT {file}, line_no, '{col.name}', 'too large (at most {MAX_AMOUNT:,})',
                       {raw}
                FROM {stage} WHERE isfinite({c}) AND abs({c}) >= {MAX_AMOUNT}"""
            )
        if col.non_negative:
            self._insert(
                f"""SELECT {file}, line_no, '{col.name}', 'must be >= 0', {raw}
                FROM {stage} WHERE {c} < 0"""
            )
        if col.positive:
            self._insert(
                f"""SELECT {file}, line_no, '{col.name}', 'must be > 0', {raw}
                FROM {stage} WHERE {c} <= 0"""
            )
        if col.codes and col.codes in self.codes:  # else its classification is itself invalid
            valid = self.codes[col.codes]
            self._insert(
                f"""SELECT {file}, line_no, '{col.name}',
                       {sql_literal(f"unknown {_level_name(col.codes)} code; valid: {_choices(valid)}")},
                       {raw}
                FROM {stage} WHERE {c} IS NOT NULL
                  AND {c} NOT IN (SELECT code FROM {sql_identifier("codes_" + col.codes)})"""
            )
        if col.allowed:
            allowed = ", ".join(map(str, col.allowed))
            self._insert(
                f"""SELECT {file}, line_no, '{col.name}',
                       {sql_literal(f"not a valid code; valid: {_choices(list(col.allowed))}")}, {raw}
                FROM {stage} WHERE {c} IS NOT NULL AND {c} NOT IN ({allowed})"""
            )

    def _rule_ages_complete(self, source: SourceFile, stage: str) -> None:
        """Every group has ages 20..65 exactly, and every group of the file's coding exists."""
        groups = [c for c in source.key if c != "age"]
        cols = ", ".join(sql_identifier(g) for g in groups)
        label = " || ', ' || ".join(f"'{g}=' || {sql_identifier(g)}" for g in groups)
        self._insert(
            f"""SELECT {sql_literal(source.file)}, first_line, 'age',
                   'group (' || {label} || ') lacks age(s) ' || missing
                   || '; ages {AGES[0]}..{AGES[-1]} must all be present', ''
            FROM (SELECT *, array_to_string(list_filter(range({AGES[0]}, {AGES[-1] + 1}),
                                 lambda a: NOT list_contains(ages, a)), ',') AS missing
                  FROM (SELECT {cols}, min(line_no) AS first_line, list(age) AS ages
                        FROM {stage} WHERE age IS NOT NULL GROUP BY ALL))
            WHERE missing <> ''"""
        )
        domains = " CROSS JOIN ".join(
            f"(SELECT unnest([{', '.join(map(str, source.column(g).allowed or ()))}]) AS {sql_identifier(g)})"
            for g in groups
        )
        self._insert(
            f"""SELECT {sql_literal(source.file)}, 0, '{"+".join(groups)}',
                   'group (' || {label} || ') is missing; every group needs ages '
                   || '{AGES[0]}..{AGES[-1]}', ''
            FROM (SELECT * FROM {domains}
                  EXCEPT SELECT {cols} FROM {stage})"""
        )

    def _rule_occupation_at_level(self, source: SourceFile, stage: str) -> None:
        """The occupation code must exist at the row's soc_level (0 = all occupations)."""
        if "occupation.soc4" not in self.codes:
            return  # the SOC classification is itself invalid and already reported
        parts = ["(soc_level = 0 AND occupation = 0)"]
        for level in (1, 2, 3, 4):
            table = sql_identifier(f"codes_occupation.soc{level}")
            parts.append(f"(soc_level = {level} AND occupation IN (SELECT code FROM {table}))")
        self._insert(
            f"""SELECT {sql_literal(source.file)}, line_no, 'occupation',
                   'not an occupation code at soc_level ' || soc_level
                   || ' (level 0 needs occupation 0)', raw_occupation
            FROM {stage} WHERE soc_level IN (0, 1, 2, 3, 4) AND occupation IS NOT NULL
              AND NOT ({" OR ".join(parts)})"""
        )


def _read_header(path: Path) -> list[str] | None:
    """The header's column names; UnicodeDecodeError if it is not UTF-8."""
    if path.stat().st_size == 0:
        return None
    row = next(csv.reader([textfile.first_line(path).decode("utf-8")]), [])
    return [c.strip() for c in row]


def read_wf_years(path: Path, problems: list[Problem]) -> pd.DataFrame | None:
    """wf_years.csv: `year,kind` with kind history or projection, one row per year."""
    name = path.name
    if not path.exists():
        problems.append(Problem(WF_YEARS_FILE, 0, "", "file is missing"))
        return None
    unreadable = textfile.check(path, name)
    if unreadable:
        problems.extend(unreadable)
        return None
    try:
        return _read_wf_years(path, name, problems)
    except csv.Error as exc:
        problems.append(Problem(name, 0, "", f"not a readable CSV file: {exc}"))
        return None


def _read_wf_years(path: Path, name: str, problems: list[Problem]) -> pd.DataFrame | None:
    rows = []
    before = len(problems)
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.reader(fh)
        header = [c.strip() for c in next(reader, [])]
        if header != ["year", "kind"]:
            problems.append(Problem(name, 1, "", "header should be year,kind", ",".join(header)))
            return None
        seen: dict[int, int] = {}
        for record in reader:
            if not record or all(not v.strip() for v in record):
                continue
            line = reader.line_num
            if len(record) != 2:
                problems.append(Problem(name, line, "", f"expected 2 fields, found {len(record)}"))
                continue
            year_text, kind = record[0].strip(), record[1].strip()
            try:
                year = int(year_text)
            except ValueError:
                problems.append(Problem(name, line, "year", "not an integer", year_text))
                continue
            if kind not in ("history", "projection"):
                problems.append(Problem(name, line, "kind", "must be history or projection", kind))
                continue
            if year in seen:
                problems.append(
                    Problem(
                        name,
                        line,
                        "year",
                        f"duplicate year (first on line {seen[year]})",
                        year_text,
                    )
                )
                continue
            seen[year] = line
            rows.append((year, kind))
    if not rows:
        problems.append(Problem(name, 0, "", "no rows"))
    if len(problems) > before:
        return None  # its years would only cascade into "unknown year" on every WF row
    return pd.DataFrame(rows, columns=["year", "kind"])
