"""Working Futures and Skills Imperative "MainTables" workbooks (DfE), as published.

Each workbook is one area (UK, a nation, an English region or a local skills area); its
sheets hold blocks headed "Levels (000s)": a row per industry, occupation or qualification
and a column per year, then, where the table has them, net change, replacement demand and
total requirement over the projection period. A sheet's blocks side by side are all people,
males and females. The blocks are found from their headings, not fixed cell addresses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lmi_cubes.etl.official.problems import ImportProblem
from lmi_cubes.etl.official.records import DFE_ATTRIBUTION, WF_CAVEAT, Figure, Member, Table
from lmi_cubes.etl.official.workbook import Book, Cell, cell, column_letter, text

# the title of a sheet's first block -> (dimension, level, table number)
SHEET_TITLES = (
    (re.compile(r"^Occupation Table 1\b"), "occupation", "soc_major"),
    (re.compile(r"^Occupation Table 2\b"), "occupation", "soc_sub_major"),
    (re.compile(r"^Industry Table 1\b"), "industry", "sector"),
    (re.compile(r"^Industry Table 2\b"), "industry", "industry_group"),
    (re.compile(r"^Industry Table 3\b"), "industry", "industry_detail"),
    (re.compile(r"^Qualification Table 1\b"), "qualification", "rqf"),
    (re.compile(r"^Occupation Table 5\b"), "occupation", "soc_major"),
)
REQUIRED_SHEETS = ("Occ T1", "Occ T2", "Ind T1", "Ind T2", "Qual T1")
# the status columns of Occupation Table 5, under each year: full-time and part-time
# employees, self-employed, all
STATUSES = {"FT": "full_time", "PT": "part_time", "SE": "self_employed", "Total": "all"}
PERIOD_STATISTICS = {
    ("net", "change"): "net_change",
    ("replacement", "demand"): "replacement_demand",
    ("total", "requirement"): "total_requirement",
}
TOTAL = "total"
SOC_VERSION = re.compile(r"\(SOC (\d{4})\)")


def is_working_futures(book: Book) -> bool:
    return {"Info", "Contents", "Occ T1"} <= set(book.sheet_names)


@dataclass
class Block:
    sheet: str
    gender: str
    header_row: int  # 0-based row of the years
    label_col: int
    first_row: int
    years: dict[int, int]  # year -> column
    period: dict[str, int]  # statistic -> column
    period_text: str
    # (year, column, status) of each level by employment status (Occupation Table 5)
    by_status: list[tuple[int, int, str]] = field(default_factory=list)


def _number(value: Cell) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


def _years(rows: list[list[Cell]], r: int, c: int) -> dict[int, int]:
    years: dict[int, int] = {}
    col = c + 1
    while True:
        value = _number(cell(rows, r, col))
        if value is None or not (1990 <= value <= 2100) or not value.is_integer():
            break
        years[int(value)] = col
        col += 1
    return years


def _gender(title: str) -> str:
    if re.search(r"\bFemales:", title):
        return "female"
    if re.search(r"\bMales:", title):
        return "male"
    return "all"


def _status_columns(rows: list[list[Cell]], r: int, c: int) -> list[tuple[int, int, str]]:
    """FT, PT, SE, Total under each year (the year over the first of them), until the next
    block; empty when the block is not by status."""
    found: list[tuple[int, int, str]] = []
    year: int | None = None
    for col in range(c + 1, c + 16):
        heading = text(cell(rows, r, col))
        if heading.startswith("Levels"):
            break
        above = _number(cell(rows, r - 1, col))
        if above is not None and above.is_integer() and 1990 <= above <= 2100:
            year = int(above)
        if heading in STATUSES and year is not None:
            found.append((year, col, STATUSES[heading]))
    return found


def _blocks(book: Book, sheet: str, rows: list[list[Cell]]) -> list[Block]:
    blocks: list[Block] = []
    for r in range(min(len(rows), 12)):
        for c, value in enumerate(rows[r]):
            if not text(value).startswith("Levels"):
                continue
            title = next(
                (text(cell(rows, 0, col)) for col in range(c, -1, -1) if text(cell(rows, 0, col))),
                "",
            )
            by_status = _status_columns(rows, r, c)
            if by_status:
                years = {y: col for y, col, status in by_status if status == "all"}
                blocks.append(Block(sheet, _gender(title), r, c, r + 1, years, {}, "", by_status))
                continue
            header = r
            years = _years(rows, r, c)
            if not years:
                header, years = r - 1, _years(rows, r - 1, c)
            if not years:
                continue  # a chart's data block
            period: dict[str, int] = {}
            period_text = ""
            last_year_col = max(years.values())
            for col in range(last_year_col + 1, last_year_col + 6):
                key = (
                    text(cell(rows, header - 1, col)).lower(),
                    text(cell(rows, header, col)).lower(),
                )
                if key in PERIOD_STATISTICS:
                    period[PERIOD_STATISTICS[key]] = col
                    period_text = period_text or text(cell(rows, header - 2, col))
            blocks.append(
                Block(sheet, _gender(title), header, c, r + 1, years, period, period_text)
            )
    return blocks


def _code(dimension: str, label: str, position: int, book: Book, sheet: str, row: int) -> str:
    if label.lower().startswith("all "):
        return TOTAL
    if dimension == "occupation":
        found = re.match(r"^(\d{1,2})\s", label)
        return found[1] if found else str(position)
    if dimension == "qualification":
        found = re.match(r"^(RQF\d)", label, re.IGNORECASE)
        if found:
            return found[1].lower()
        if label.lower().startswith("no qual"):
            return "none"
        raise ImportProblem(book.name, sheet, row, "A", f"not an RQF level: {label[:40]!r}")
    return str(position)


def _read_block(
    book: Book, rows: list[list[Cell]], block: Block, dimension: str, level: str
) -> tuple[list[Member], list[Figure]]:
    members: list[Member] = []
    figures: list[Figure] = []
    end_year = max(block.years)
    r = block.first_row
    position = 0
    while r < len(rows):
        label = " ".join(text(cell(rows, r, block.label_col)).split())
        following = text(cell(rows, r + 1, block.label_col))
        if not label and (not members or following.startswith("All ")):
            r += 1  # some rounds leave a blank row under the heading or above the total
            continue
        if not label or label.startswith(("Shares", "Levels", "Growth", "Change")):
            break
        position += 1
        code = _code(dimension, label, position, book, block.sheet, r + 1)
        members.append(Member(code, label, TOTAL if code == TOTAL else level, None, r + 1))
        columns = [("all", "employment", y, col) for y, col in block.years.items()]
        columns += [("all", s, end_year, col) for s, col in block.period.items()]
        if block.by_status:
            columns = [(status, "employment", y, col) for y, col, status in block.by_status]
        for status, statistic, year, col in columns:
            raw = cell(rows, r, col)
            value = _number(raw)
            if value is None:
                raise ImportProblem(
                    book.name,
                    block.sheet,
                    r + 1,
                    column_letter(col),
                    f"text in a number cell: {text(raw)[:40]!r}",
                )
            figures.append(
                Figure(
                    code,
                    block.gender,
                    status,
                    statistic,
                    year,
                    value,
                    None,
                    block.sheet,
                    f"{column_letter(col)}{r + 1}",
                )
            )
        r += 1
    if not members:
        raise ImportProblem(
            book.name, block.sheet, block.first_row + 1, "A", "no rows under 'Levels'"
        )
    if members[-1].code != TOTAL:
        raise ImportProblem(
            book.name, block.sheet, members[-1].row, "A", "the block has no 'All ...' total row"
        )
    return members, figures


def _caveat(book: Book) -> str:
    """The publisher's own caveat: the Warning sheet's text from "REPORTING" on."""
    if "Warning" not in book.sheet_names:
        return WF_CAVEAT
    lines = [" ".join(text(c) for c in row if text(c)) for row in book.rows("Warning")]
    lines = [line for line in lines if line]
    if "REPORTING" in lines:
        lines = lines[lines.index("REPORTING") + 1 :]
    return " ".join(" ".join(lines).split()) or WF_CAVEAT


def _area(book: Book) -> str:
    for row in book.rows("Info"):
        key = text(cell([row], 0, 0))
        if key.lower().endswith(" name"):
            return text(cell([row], 0, 1))
    raise ImportProblem(book.name, "Info", 0, "B", "no area name ('Country name', 'LSIP name')")


def read(book: Book, sha256: str) -> list[Table]:
    """Every table the importer serves from one MainTables workbook."""
    for sheet in REQUIRED_SHEETS:
        if sheet not in book.sheet_names:
            raise ImportProblem(
                book.name,
                sheet,
                0,
                "",
                "the sheet is missing (renamed?) from a MainTables workbook",
            )
    area = _area(book)
    caveat = _caveat(book)
    occ_title = text(cell(book.rows("Occ T1"), 0, 0))
    soc = SOC_VERSION.search(occ_title)
    tables: list[Table] = []
    period = ""
    for sheet in book.sheet_names:
        if not re.match(r"^(Occ|Ind|Qual) T\d$", sheet):
            continue
        rows = book.rows(sheet)
        title = text(cell(rows, 0, 0))
        match = next(((d, lv) for pat, d, lv in SHEET_TITLES if pat.search(title)), None)
        if match is None:
            if sheet in REQUIRED_SHEETS:
                raise ImportProblem(book.name, sheet, 1, "A", f"unknown table title {title[:60]!r}")
            continue  # tables this importer does not serve (status, composition)
        dimension, level = match
        blocks = _blocks(book, sheet, rows)
        if not blocks:
            raise ImportProblem(book.name, sheet, 0, "A", "no 'Levels (000s)' block with years")
        members: dict[str, Member] = {}
        figures: list[Figure] = []
        for block in blocks:
            got_members, got_figures = _read_block(book, rows, block, dimension, level)
            for m in got_members:
                members.setdefault(m.code, m)
            figures.extend(got_figures)
            period = period or block.period_text
        years = sorted({f.year for f in figures if f.statistic == "employment"})
        tables.append(
            Table(
                publication="working_futures",
                table=sheet,
                title=re.sub(r"\s+", " ", title),
                variable="employment",
                dimension=dimension,
                year=years[-1],
                release="",
                area=area,
                file=book.name,
                sha256=sha256,
                attribution=DFE_ATTRIBUTION,
                caveat=caveat,
                statistics=sorted({f.statistic for f in figures}),
                members=list(members.values()),
                figures=figures,
            )
        )
    if not period:
        raise ImportProblem(book.name, "Occ T1", 0, "", "no projection period over 'Net Change'")
    for table in tables:
        table.release = period  # the round, e.g. 2017-2027
        table.period = period
        if soc:
            table.title += f" [SOC {soc[1]}]"
    return tables
