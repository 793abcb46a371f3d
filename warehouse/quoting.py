"""SQL text for what a statement cannot take as a bound value: the one place quotes are doubled.

Values are bound wherever the driver allows it (DuckDB binds a path in ATTACH, COPY and
read_csv; psycopg binds every value). What is left is text that must be part of the
statement itself: an identifier (a table or column name from the model or the source-file
contract), or a literal inside a statement built as text (a file name or a problem message
in the loader's checks). Both follow standard SQL, as DuckDB and PostgreSQL do; Spark SQL
escapes with backslashes instead, so the Spark backend writes only names it made and checked.
Nothing a user sends is quoted here: names are resolved against the model first.
"""

from __future__ import annotations

import os


def sql_literal(text: str | os.PathLike[str]) -> str:
    """A standard SQL string literal: `it's` becomes `'it''s'`."""
    return "'" + os.fspath(text).replace("'", "''") + "'"


def sql_identifier(name: str) -> str:
    """A standard SQL quoted identifier: `a"b` becomes `"a""b"`."""
    return '"' + name.replace('"', '""') + '"'
