"""ONS Annual Survey of Hours and Earnings tables (Tables 2-27), as published.

A workbook holds one measure (weekly pay, hourly pay, paid hours...) for one table; its
sheets are the sex x working-pattern groups; each row is a member of one classification
(GSS geography, SOC occupation or SIC industry) with its description and code; the columns
are jobs (thousands), median, annual % change, mean, annual % change and percentiles. The
`b` workbook of a table gives each figure's coefficient of variation (CV) in the same cells.
Everything is recognised from the cells (titles, header rows, codes), not the file name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lmi_cubes.etl.official.problems import ImportProblem
from lmi_cubes.etl.official.records import MARKS, ONS_ATTRIBUTION, Figure, Member, Table
from lmi_cubes.etl.official.workbook import Book, Cell, cell, column_letter, text

# sheet name -> (sex, working pattern); the title of each sheet names the same group
SHEETS = {
    "All": ("all", "all"),
    "Male": ("male", "all"),
    "Female": ("female", "all"),
    "Full-Time": ("all", "full_time"),
    "Part-Time": ("all", "part_time"),
    "Male Full-Time": ("male", "full_time"),
    "Male Part-Time": ("male", "part_time"),
    "Female Full-Time": ("female", "full_time"),
    "Female Part-Time": ("female", "part_time"),
}
PERCENTILES = (10, 20, 25, 30, 40, 60, 70, 75, 80, 90)
ESTIMATE_STATISTICS = (
    "jobs",
    "median",
    "median_change",
    "mean",
    "mean_change",
    *(f"p{p}" for p in PERCENTILES),
)
GAP_STATISTICS = ("median", "mean")
TITLE = re.compile(
    r"Table\s+(?P<table>\d+\.\d+[a-z]?)\s+(?P<cv>Coefficients of variation for\s+)?"
    r"(?P<variable>.+?)\s+-\s+For\s+(?P<group>.+?)\s+employee jobs[a-z]?\W*:\s*"
    r"(?P<area>.+?),\s*(?P<year>\d{4})\s*$",
    re.IGNORECASE,
)
GSS = re.compile(r"^[EKNSW]\d{8}$")
SECTION = re.compile(r"^[A-U]$")
# GSS entity codes -> level; the order is the hierarchy's
GEOGRAPHY_LEVELS = ("uk", "gb", "england_wales", "nation", "region", "county", "local_authority")
_ENTITY_LEVEL = {
    "K02": "uk",
    "K03": "gb",
    "K04": "england_wales",
    "E92": "nation",
    "W92": "nation",
    "S92": "nation",
    "N92": "nation",
    "E12": "region",
    "E10": "county",
    "E11": "county",
    "E13": "county",
}
_NATION_PARENT = {
    "K03000001": "K02000001",
    "K04000001": "K03000001",
    "E92000001": "K04000001",
    "W92000004": "K04000001",
    "S92000003": "K03000001",
    "N92000002": "K02000001",
}
INDUSTRY_LEVELS = ("section", "division", "group", "class")
OCCUPATION_LEVELS = ("soc1", "soc2", "soc3", "soc4")
TOTAL = "total"
OTHER = "other"


@dataclass(frozen=True)
class Title:
    table: str
    is_cv: bool
    variable: str
    variable_label: str
    group: str
    area: str
    year: int


def slug(label: str) -> str:
    cleaned = re.sub(r"\(.*?\)|[\^£%]", " ", label.lower())
    return re.sub(r"[^a-z0-9]+", "_", cleaned).strip("_")


def read_title(book: Book, sheet: str, rows: list[list[Cell]]) -> Title | None:
    found = TITLE.search(text(cell(rows, 0, 0)))
    if not found:
        return None
    label = found["variable"].strip().rstrip("^ ")
    return Title(
        table=found["table"],
        is_cv=bool(found["cv"]),
        variable=slug(label),
        variable_label=label,
        group=found["group"].strip().lower(),
        area=found["area"].strip(),
        year=int(found["year"]),
    )


def is_ashe(book: Book) -> bool:
    """An ASHE table: its first data sheet's title says so."""
    for sheet in book.sheet_names:
        if sheet in SHEETS:
            return TITLE.search(text(cell(book.rows(sheet), 0, 0))) is not None
    return False


def _header(book: Book, sheet: str, rows: list[list[Cell]]) -> tuple[int, dict[str, int]]:
    """The header row (Description, Code, ...) and the column of each statistic."""
    for r in range(min(len(rows), 30)):
        if text(cell(rows, r, 0)).lower() == "description":
            if text(cell(rows, r, 1)).lower() != "code":
                raise ImportProblem(
                    book.name, sheet, r + 1, "B", "expected the column heading 'Code'"
                )
            break
    else:
        raise ImportProblem(
            book.name, sheet, 0, "", "no header row with 'Description' and 'Code' in column A, B"
        )
    columns: dict[str, int] = {}
    last = ""
    for c in range(2, max(len(row) for row in rows[: r + 1])):
        heading = " ".join(text(cell(rows, h, c)) for h in range(max(0, r - 3), r + 1)).lower()
        heading = " ".join(heading.split())
        value = cell(rows, r, c)
        if isinstance(value, float | int) and not isinstance(value, bool) and value in PERCENTILES:
            columns[f"p{int(value)}"] = c
        elif "jobs" in heading:
            columns["jobs"] = c
        elif "pay gap" in heading:
            columns[f"gap_{heading.split()[-1]}"] = c
        elif heading.endswith("median"):
            last = "median"
            columns["median"] = c
        elif heading.endswith("mean"):
            last = "mean"
            columns["mean"] = c
        elif "change" in heading and last:
            columns[f"{last}_change"] = c
    return r, columns


def _expected(columns: dict[str, int]) -> tuple[str, ...]:
    """The gender pay gap tables (N.12) publish two gaps per row, the others the full set."""
    if any(k.startswith("gap_") for k in columns):
        for statistic in GAP_STATISTICS:  # stored as the gap's median and mean
            if f"gap_{statistic}" in columns:
                columns[statistic] = columns.pop(f"gap_{statistic}")
        return GAP_STATISTICS
    return ESTIMATE_STATISTICS


def _dimension(codes: list[str], table: str) -> str:
    """Which classification the rows are in, from their codes."""
    if any(GSS.match(c) for c in codes):
        # ASHE Table 8 is by home (residence) geography, the others by workplace
        return "home_geography" if table.split(".")[0] == "8" else "geography"
    if any(SECTION.match(c) for c in codes):
        return "industry"
    return "occupation"


def _members(
    book: Book, sheet: str, rows: list[list[Cell]], first: int, last: int, dimension: str
) -> list[Member]:
    members: list[Member] = []
    seen: set[str] = set()
    section = ""
    county = region = ""
    for r in range(first, last):
        raw_label = text(cell(rows, r, 0)) if rows[r] else ""
        label = " ".join(raw_label.split())
        code = text(cell(rows, r, 1))
        indented = isinstance(cell(rows, r, 0), str) and str(cell(rows, r, 0)).startswith(" ")
        if not code:
            code, level, parent = (
                (TOTAL, TOTAL, None) if not members else (f"{OTHER}:{slug(label)}", OTHER, None)
            )
        elif dimension in ("geography", "home_geography"):
            if not GSS.match(code):
                raise ImportProblem(book.name, sheet, r + 1, "B", f"not a GSS code: {code!r}")
            level = _ENTITY_LEVEL.get(code[:3], "local_authority")
            if level in ("uk", "gb", "england_wales", "nation"):
                parent = _NATION_PARENT.get(code)
                region = county = ""
                if level == "nation":
                    region = code
            elif level == "region":
                parent, region, county = "E92000001", code, ""
            elif level == "county":
                parent, county = region or None, code
            else:
                parent = county if (indented and county) else (region or None)
                if not indented:
                    county = ""
        elif dimension == "industry":
            if SECTION.match(code):
                section, level, parent = code, "section", TOTAL
            else:
                if not code.isdigit():
                    raise ImportProblem(
                        book.name, sheet, r + 1, "B", f"not a SIC 2007 code: {code!r}"
                    )
                if section in ("A", "B") and len(code) < 4:
                    code = "0" + code  # divisions 01-09 lose their leading zero in the cells
                level = INDUSTRY_LEVELS[min(len(code), 4) - 1]
                parent = section if len(code) == 2 else code[:-1]
        else:
            if not code.isdigit() or len(code) > 4:
                raise ImportProblem(book.name, sheet, r + 1, "B", f"not a SOC code: {code!r}")
            level = OCCUPATION_LEVELS[len(code) - 1]
            parent = TOTAL if len(code) == 1 else code[:-1]
        if code in seen:
            raise ImportProblem(book.name, sheet, r + 1, "B", f"code {code!r} appears twice")
        seen.add(code)
        members.append(Member(code, label, level, parent, r + 1))
    return members


def _data_rows(rows: list[list[Cell]], start: int) -> int:
    """The row after the last data row: data ends at the first row with no code and no
    figures after the total (the footnotes)."""
    r = start
    while r < len(rows):
        label = text(cell(rows, r, 0))
        code = text(cell(rows, r, 1))
        figures = any(text(cell(rows, r, c)) for c in range(2, 6))
        if not label and not code:
            break
        if not code and not figures:
            break
        r += 1
    return r


def read_sheet(
    book: Book, sheet: str, title: Title
) -> tuple[list[str], str, list[Member], list[Figure]]:
    rows = book.rows(sheet)
    header, columns = _header(book, sheet, rows)
    expected = _expected(columns)
    for statistic in expected:
        if statistic not in columns:
            raise ImportProblem(
                book.name, sheet, header + 1, "", f"the column {statistic!r} is missing"
            )
    end = _data_rows(rows, header + 1)
    if end == header + 1:
        raise ImportProblem(book.name, sheet, header + 2, "", "no data rows under the header")
    codes = [text(cell(rows, r, 1)) for r in range(header + 1, end)]
    dimension = _dimension(codes, title.table)
    members = _members(book, sheet, rows, header + 1, end, dimension)
    sex, pattern = SHEETS[sheet]
    figures: list[Figure] = []
    for member in members:
        r = member.row - 1
        for statistic in expected:
            c = columns[statistic]
            raw = cell(rows, r, c)
            where = f"{column_letter(c)}{r + 1}"
            value: float | None
            mark: str | None = None
            if isinstance(raw, bool):
                raise ImportProblem(
                    book.name, sheet, r + 1, column_letter(c), f"not a number: {raw!r}"
                )
            if isinstance(raw, int | float):
                value = float(raw)
            else:
                symbol = text(raw)
                if symbol in MARKS:
                    mark = symbol
                    value = 0.0 if symbol == "-" else None
                else:
                    raise ImportProblem(
                        book.name,
                        sheet,
                        r + 1,
                        column_letter(c),
                        f"text in a number cell: {symbol[:40]!r} (a number or one of "
                        f"{', '.join(repr(m) for m in MARKS)} expected)",
                    )
            figures.append(
                Figure(member.code, sex, pattern, statistic, title.year, value, mark, sheet, where)
            )
    return list(expected), dimension, members, figures


def read(book: Book, sha256: str, release: str | None) -> Table:
    """An estimates or CV workbook, every sheet, checked against the published layout."""
    titles: dict[str, Title] = {}
    for sheet in book.sheet_names:
        if sheet.lower() in ("notes", "cv notes"):
            continue
        rows = book.rows(sheet)
        title = read_title(book, sheet, rows)
        if sheet not in SHEETS:
            raise ImportProblem(
                book.name,
                sheet,
                0,
                "",
                f"unknown sheet (renamed?); an ASHE table has the sheets {', '.join(SHEETS)}",
            )
        if title is None:
            raise ImportProblem(
                book.name, sheet, 1, "A", "no ASHE table title ('Table N.N ... For ... jobs: ...')"
            )
        if title.group != sheet.lower():
            raise ImportProblem(
                book.name,
                sheet,
                1,
                "A",
                f"the title is for {title.group!r} employee jobs but the sheet is {sheet!r} "
                "(renamed sheet?)",
            )
        titles[sheet] = title
    if "All" not in titles:
        raise ImportProblem(book.name, "All", 0, "", "the sheet 'All' is missing")
    first = titles["All"]
    for sheet, title in titles.items():
        if (title.table, title.year, title.variable) != (first.table, first.year, first.variable):
            raise ImportProblem(
                book.name, sheet, 1, "A", f"the title names another table: Table {title.table}"
            )
    table = Table(
        publication="ashe",
        table=first.table,
        title=f"Table {first.table} {first.variable_label}",
        variable=first.variable,
        dimension="",
        year=first.year,
        release=release or "",
        area=first.area,
        file=book.name,
        sha256=sha256,
        attribution=ONS_ATTRIBUTION,
    )
    member_rows: dict[str, Member] = {}
    for sheet in titles:
        statistics, dimension, members, figures = read_sheet(book, sheet, first)
        table.statistics = statistics
        if table.dimension and dimension != table.dimension:
            raise ImportProblem(book.name, sheet, 0, "B", f"the rows are {dimension} codes")
        table.dimension = dimension
        for m in members:
            member_rows.setdefault(m.code, m)
        table.figures.extend(figures)
    table.members = list(member_rows.values())
    return table


def is_cv(table_no: str) -> bool:
    return table_no.endswith("b")


def estimates_of(cv_table: str) -> str:
    return cv_table[:-1] + "a"


def merge_cv(estimates: Table, cv: Table) -> None:
    """Each estimate gets the CV published for it in the same sheet and cell."""
    by_cell = {(f.sheet, f.cell): f for f in cv.figures}
    for figure in estimates.figures:
        partner = by_cell.get((figure.sheet, figure.cell))
        if partner is not None:
            figure.cv, figure.cv_mark = partner.value, partner.mark
    estimates.cv_file, estimates.cv_sha256 = cv.file, cv.sha256
