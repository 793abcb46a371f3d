"""Workbooks as downloaded: `.xls`, `.xlsx`, `.xlsm`, or a zip of them, read cell by cell.

One reader (calamine, a Rust library) serves every format the publishers use: ONS still
publishes ASHE as BIFF `.xls`, the Department for Education as macro-enabled `.xlsm`.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

from lmi_cubes.etl.official.problems import ImportProblem

EXTENSIONS = (".xls", ".xlsx", ".xlsm")
Cell = str | float | int | bool | datetime.date | datetime.time | datetime.timedelta | None


@dataclass(frozen=True)
class Source:
    """One workbook's bytes and the name it is reported under (a zip member as zip:member)."""

    name: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def sources(path: Path) -> Iterator[Source]:
    """The workbooks in a file: itself, or every workbook member of a zip."""
    data = path.read_bytes()
    if path.suffix.lower() == ".zip" or (data[:4] == b"PK\x03\x04" and _is_plain_zip(data)):
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
            members = [
                m
                for m in archive.infolist()
                if not m.is_dir() and m.filename.lower().endswith(EXTENSIONS)
            ]
            for member in members:
                yield Source(f"{path.name}:{member.filename}", archive.read(member))
        except (zipfile.BadZipFile, EOFError) as exc:
            raise ImportProblem(path.name, "", 0, "", f"not a readable zip file ({exc})") from exc
        if not members:
            raise ImportProblem(path.name, "", 0, "", "the zip file holds no .xls/.xlsx/.xlsm")
        return
    if path.suffix.lower() not in EXTENSIONS:
        raise ImportProblem(
            path.name, "", 0, "", "not a workbook: expected .xls, .xlsx, .xlsm or .zip"
        )
    yield Source(path.name, data)


def _is_plain_zip(data: bytes) -> bool:
    """An .xlsx is a zip too: it is a workbook when it has the Office manifest."""
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except (zipfile.BadZipFile, EOFError):
        return False
    return "[Content_Types].xml" not in names


class Book:
    """A workbook's sheets as lists of rows, read on first use."""

    def __init__(self, source: Source):
        self.name = source.name
        try:
            self._book = CalamineWorkbook.from_filelike(io.BytesIO(source.data))
        except Exception as exc:  # calamine's errors name no common base class
            raise ImportProblem(
                self.name, "", 0, "", f"not a readable workbook, truncated or corrupt ({exc})"
            ) from exc
        self.sheet_names: list[str] = list(self._book.sheet_names)
        self._rows: dict[str, list[list[Cell]]] = {}

    def rows(self, sheet: str) -> list[list[Cell]]:
        if sheet not in self._rows:
            try:
                rows: list[list[Any]] = self._book.get_sheet_by_name(sheet).to_python()
                self._rows[sheet] = rows
            except Exception as exc:
                raise ImportProblem(
                    self.name, sheet, 0, "", f"sheet cannot be read, truncated or corrupt ({exc})"
                ) from exc
        return self._rows[sheet]


def cell(rows: list[list[Cell]], r: int, c: int) -> Cell:
    if r < 0 or r >= len(rows) or c < 0 or c >= len(rows[r]):
        return ""
    return rows[r][c]


def text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def column_letter(c: int) -> str:
    """0 -> A, 26 -> AA: how a spreadsheet user finds the cell."""
    out = ""
    c += 1
    while c:
        c, rem = divmod(c - 1, 26)
        out = chr(65 + rem) + out
    return out
