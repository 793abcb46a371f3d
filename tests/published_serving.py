"""What the tests of the published cubes on the shared surfaces use: a real server over a
copy of the tiny warehouse with an ASHE occupation table imported beside it, and figures
read straight from the workbook cells."""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from official_workbooks import write_ashe
from openpyxl import load_workbook

from lmi_cubes.etl.official.importer import import_files
from support import serving


def workbook_cell(path: Path, sheet: str, code: str, column: str) -> Any:
    """A figure read with openpyxl, not the importer: the row whose code column holds `code`."""
    book = load_workbook(path, read_only=True, data_only=True)
    for row in book[sheet].iter_rows():
        if row[1].value is not None and str(row[1].value).strip() == code:
            return next(c.value for c in row if c.column_letter == column)
    raise AssertionError(f"{code} not in {sheet}")


@contextlib.contextmanager
def serving_published(
    directory: Path, warehouse: Path, more: Callable[[Path], None] | None = None
) -> Iterator[tuple[str, Path, Path]]:
    """Yields (base URL, warehouse copy, workbook path) of a served ASHE Table 14 import
    (provisional); `more(warehouse copy)` may import more before the server starts."""
    target = directory / "w.duckdb"
    shutil.copy(warehouse, target)
    book = directory / "table14a.xlsx"
    write_ashe(book)
    import_files([book], target, "provisional")
    if more is not None:
        more(target)
    with serving(target, workers=1, threads=2) as url:
        yield url, target, book
