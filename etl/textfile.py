"""Byte-level checks of a CSV file before any CSV reader sees it.

The CSV readers (DuckDB's and Python's) stop at the first byte that is not UTF-8 or the first
line longer than their buffer, with an exception that names neither the column nor, often,
the line. Users meet exactly these files (a classification saved from Excel as Windows-1252
or UTF-16, a runaway quoted field), so each is found here first and reported like any other
problem: file, line, column and the offending text.

The scan reads the file in bounded pieces, so a 1 GB line costs no more memory than a short
one. It runs on every (small) classification file and, for the large source files, only when
DuckDB's fast reader has already failed on them, so valid files pay nothing for it.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from lmi_cubes.etl.problems import Problem

# Real lines are under 200 bytes; a line this long is a broken file (an unclosed quote,
# a missing newline), not data, and it would overflow the CSV readers' buffers.
MAX_LINE_BYTES = 64 * 1024
# A badly encoded file has a problem on nearly every line: the first few locate it.
MAX_PROBLEMS_PER_FILE = 20
_SHOWN = 60  # characters of an offending value that are quoted back

UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
UTF8_BOM = b"\xef\xbb\xbf"


def _column(header: list[str], line: bytes, offset: int) -> str:
    """The name of the CSV field that contains byte `offset` of `line`."""
    index = line.count(b",", 0, offset)
    return header[index] if index < len(header) else f"field {index + 1}"


def _field(line: bytes, offset: int) -> str:
    start = line.rfind(b",", 0, offset) + 1
    end = line.find(b",", offset)
    raw = line[start : end if end >= 0 else len(line)].rstrip(b"\r\n")
    return raw[:_SHOWN].decode("utf-8", errors="backslashreplace")


def first_line(path: Path) -> bytes:
    """The header line as bytes, without its BOM and newline; bounded in length."""
    with path.open("rb") as fh:
        line = fh.readline(MAX_LINE_BYTES + 1)
    return line.removeprefix(UTF8_BOM).rstrip(b"\r\n")


def scan(path: Path, name: str, header: list[str]) -> tuple[list[Problem], int]:
    """Encoding and line-length problems of one file: (the first few, how many in all).

    `header` names the columns for the problems' column field; the file's own header line
    is checked too (its problems are on line 1).
    """
    problems: list[Problem] = []
    total = 0

    def report(problem: Problem) -> None:
        nonlocal total
        total += 1
        if len(problems) < MAX_PROBLEMS_PER_FILE:
            problems.append(problem)

    with path.open("rb") as fh:
        start = fh.read(4)
        if start[:2] in UTF16_BOMS or (len(start) == 4 and start[1::2] == b"\0\0"):
            report(
                Problem(
                    name,
                    1,
                    "",
                    "the file is UTF-16 encoded; save it as UTF-8 (CSV UTF-8 in Excel)",
                )
            )
            return problems, total
        fh.seek(len(UTF8_BOM) if start.startswith(UTF8_BOM) else 0)
        line_no = 0
        while True:
            line = fh.readline(MAX_LINE_BYTES + 1)
            if not line:
                break
            line_no += 1
            if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
                length = len(line)
                while not line.endswith(b"\n"):  # skip the rest of it, a piece at a time
                    line = fh.readline(1 << 20)
                    if not line:
                        break
                    length += len(line)
                report(
                    Problem(
                        name,
                        line_no,
                        "",
                        f"line is {length:,} bytes long; lines may be at most "
                        f"{MAX_LINE_BYTES:,} bytes (an unclosed quote or a missing line break?)",
                    )
                )
                continue
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as exc:
                report(
                    Problem(
                        name,
                        line_no,
                        _column(header, line, exc.start),
                        "not UTF-8 text (perhaps Windows-1252 or Latin-1: save the file as UTF-8)",
                        _field(line, exc.start),
                    )
                )
    return problems, total


def check(path: Path, name: str) -> list[Problem]:
    """`scan` for a file whose columns are named by its own header line."""
    header = first_line(path).decode("utf-8", errors="replace").split(",")
    return scan(path, name, [h.strip().strip('"') for h in header])[0]


def csv_rows(
    path: Path, name: str, columns: Sequence[str], problems: list[Problem]
) -> list[tuple[int, dict[str, str]]] | None:
    """The records of a small CSV file (a classification or text file) as (line, values),
    blank lines skipped; None if the file is empty or lacks a column. A record with the
    wrong number of fields is a problem at its line, not a row."""
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if header is None:
            problems.append(Problem(name, 0, "", "file is empty"))
            return None
        missing = [c for c in columns if c not in header]
        if missing:
            problems.append(
                Problem(name, 1, "", f"missing column(s) {', '.join(missing)}; expected {columns}")
            )
            return None
        rows = []
        for record in reader:
            if not record or all(not v.strip() for v in record):
                continue
            if len(record) != len(header):
                message = f"expected {len(header)} fields, found {len(record)}"
                problems.append(Problem(name, reader.line_num, "", message))
                continue
            rows.append((reader.line_num, dict(zip(header, record, strict=True))))
    return rows
