"""Small workbooks in the official layouts, written by openpyxl, so the importer's layout
rules are tested without the publishers' files. Every figure written is returned too, so
tests compare served figures with what was written, not with what was read back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook

# each ASHE sheet and the (sex, working pattern) group it holds, as the tests read them
SHEET_GROUPS = {
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
ASHE_SHEETS = tuple(SHEET_GROUPS)
PERCENTILES = (10, 20, 25, 30, 40, 60, 70, 75, 80, 90)
STATISTICS = (
    "jobs",
    "median",
    "median_change",
    "mean",
    "mean_change",
    *(f"p{p}" for p in PERCENTILES),
)
# Table 14's rows: SOC 2010 codes at four levels under the all-employees total
OCCUPATIONS = (
    ("All employees", ""),
    ("Managers, directors and senior officials", "1"),
    ("Corporate managers and directors", "11"),
    ("Chief executives and senior officials", "111"),
    ("Chief executives and senior officials", "1115"),
    ("Elected officers and representatives", "1116"),
    ("Professional occupations", "2"),
    ("Science, research, engineering and technology professionals", "21"),
    ("Information technology and telecommunications professionals", "213"),
    ("IT business analysts, architects and systems designers", "2135"),
    ("Programmers and software development professionals", "2136"),
    ("Not Classified", ""),
)
# cells that hold the publisher's symbols instead of numbers: (sheet, row index, statistic)
SYMBOLS = {
    ("Male Part-Time", 4, "median"): "x",
    ("Male Part-Time", 5, "jobs"): "..",
    ("Female Part-Time", 5, "mean"): ":",
    ("Part-Time", 4, "p90"): "-",
}


def ashe_value(sheet: int, row: int, column: int) -> float:
    return round(200 + 37.5 * row + 11 * column + sheet * 3.1, 1)


def cv_value(sheet: int, row: int, column: int) -> float:
    return [2.5, 7.0, 12.5, 25.0, 10.0, 20.0][(sheet + row + column) % 6]


def write_ashe(
    path: Path,
    table: str = "14.1a",
    variable: str = "Weekly pay - Gross (£)",
    year: int = 2022,
    rows: tuple[tuple[str, str], ...] = OCCUPATIONS,
    cv: bool = False,
    sheets: tuple[str, ...] = ASHE_SHEETS,
    edit: Any = None,
) -> dict[tuple[str, str, str], Any]:
    """An ASHE estimates (or, with cv, coefficients of variation) workbook; returns
    {(sheet, code or label, statistic): what the cell holds}."""
    book = Workbook()
    notes = book.active
    notes.title = "CV notes" if cv else "Notes"
    notes["A1"] = "Guide to results from the Annual Survey of Hours and Earnings (ASHE)"
    written: dict[tuple[str, str, str], Any] = {}
    for s, name in enumerate(sheets):
        ws = book.create_sheet(name)
        group = name.lower() if name in ASHE_SHEETS else "all"
        what = f"Coefficients of variation for {variable}" if cv else variable
        ws.append([f"Table {table}   {what} - For {group} employee jobsa: United Kingdom, {year}"])
        ws.append([])
        ws.append(["", "", "Number", "", "Annual", "", "Annual"])
        ws.append(["", "", "of jobsb", "", "percentage", "", "percentage", "Percentiles"])
        ws.append(
            [
                "Description",
                "Code",
                "(thousand)",
                "Median",
                "change",
                "Mean",
                "change",
                *PERCENTILES,
            ]
        )
        for r, (label, code) in enumerate(rows):
            line: list[Any] = [label, code]
            for c, statistic in enumerate(STATISTICS):
                value: Any = (cv_value if cv else ashe_value)(s, r, c)
                if cv and statistic.endswith("_change"):
                    value = "."
                value = SYMBOLS.get((name, r, statistic), value)
                if label == "Not Classified":
                    value = ":" if statistic == "jobs" else None
                line.append(value)
                written[(name, code or label, statistic)] = value
            ws.append(line)
        ws.append(["a  Employees on adult rates whose pay was not affected by absence."])
        ws.append(["Source: Annual Survey of Hours and Earnings, Office for National Statistics."])
    if edit is not None:
        edit(book)
    book.save(path)
    return written


WF_OCCUPATIONS = (
    "Managers, directors and senior officials",
    "Professional occupations",
    "Associate professional and technical",
    "Administrative and secretarial",
    "Skilled trades occupations",
    "Caring, leisure and other service",
    "Sales and customer service",
    "Process, plant and machine operatives",
    "Elementary occupations",
)
WF_SUB_MAJOR = ("11 Corporate managers and directors", "12 Other managers and proprietors")
WF_YEARS = (2010, 2015, 2020, 2025, 2030)
WF_INDUSTRIES = ("Primary sector and utilities", "Manufacturing", "Construction")
WF_QUALIFICATIONS = ("RQF8 Doctorate", "RQF4 HE below degree level", "No Qualification")


def wf_value(sheet: int, block: int, row: int, column: int) -> float:
    return round(1000 + 101.25 * row + 7.5 * column + 50 * block + sheet, 4)


def _wf_sheet(
    book: Workbook,
    name: str,
    title: str,
    labels: tuple[str, ...],
    total: str,
    period: bool,
    genders: bool,
    number: int,
    written: dict[tuple[Any, ...], float],
) -> None:
    ws = book.create_sheet(name)
    blocks = (
        (("", "all"), ("Males: ", "male"), ("Females: ", "female")) if genders else (("", "all"),)
    )
    width = 11
    grid: dict[tuple[int, int], Any] = {}
    for b, (prefix, gender) in enumerate(blocks):
        c0 = b * width
        grid[(0, c0)] = (
            f"{title.split('  ')[0]}.{b}  {prefix}{title.split('  ')[1]}" if b else title
        )
        if period:
            grid[(2, c0 + 7)] = "2020-2030"
            grid[(3, c0 + 7)], grid[(3, c0 + 8)], grid[(3, c0 + 9)] = "Net", "Replacement", "Total"
            grid[(4, c0 + 7)], grid[(4, c0 + 8)], grid[(4, c0 + 9)] = (
                "Change",
                "Demand",
                "Requirement",
            )
        grid[(4, c0)] = "Levels (000s)"
        for y, year in enumerate(WF_YEARS):
            grid[(4, c0 + 1 + y)] = year
        for r, label in enumerate((*labels, total)):
            grid[(5 + r, c0)] = label
            for y, year in enumerate(WF_YEARS):
                value = wf_value(number, b, r, y)
                grid[(5 + r, c0 + 1 + y)] = value
                written[(name, gender, label, "employment", year)] = value
            if period:
                for k, statistic in enumerate(
                    ("net_change", "replacement_demand", "total_requirement")
                ):
                    value = wf_value(number, b, r, 10 + k)
                    grid[(5 + r, c0 + 7 + k)] = value
                    written[(name, gender, label, statistic, 2030)] = value
    for (r, c), value in grid.items():
        ws.cell(row=r + 1, column=c + 1, value=value)


STATUS_YEARS = (2010, 2020, 2030)
STATUS_HEADINGS = (
    ("FT", "full_time"),
    ("PT", "part_time"),
    ("SE", "self_employed"),
    ("Total", "all"),
)


def _wf_status_sheet(book: Workbook, written: dict[tuple[Any, ...], float]) -> None:
    """Occupation Table 5: FT, PT, SE and Total under each of three years, per gender."""
    ws = book.create_sheet("Occ T5")
    title = "Occupation Table 5  Employment Change by Status (SOC 2020), 2010-2030"
    blocks = (("", "all"), ("Males: ", "male"), ("Females: ", "female"))
    for b, (prefix, gender) in enumerate(blocks):
        c0 = b * 16
        ws.cell(
            row=1,
            column=c0 + 1,
            value=title
            if not b
            else f"Occupation Table 5.{b}  {prefix}Employment Change by Status (SOC 2020)",
        )
        ws.cell(row=6, column=c0 + 1, value="Levels (000s)")
        for y, year in enumerate(STATUS_YEARS):
            ws.cell(row=5, column=c0 + 2 + 5 * y, value=year)
            for k, (heading, status) in enumerate(STATUS_HEADINGS):
                col = c0 + 2 + 5 * y + k
                ws.cell(row=6, column=col, value=heading)
                for r, label in enumerate((*WF_OCCUPATIONS, "All occupations")):
                    ws.cell(row=8 + r, column=c0 + 1, value=label)
                    value = wf_value(6, b, r, 20 + 5 * y + k)
                    ws.cell(row=8 + r, column=col, value=value)
                    written[("Occ T5", gender, label, status, year)] = value


def write_wf(path: Path, area: str = "Wales", edit: Any = None) -> dict[tuple[Any, ...], float]:
    """A MainTables workbook in the published layout: {(sheet, gender, label, statistic,
    year): value} of every figure written."""
    book = Workbook()
    stored = book.active
    stored.title = "Stored"
    info = book.create_sheet("Info")
    for row in (("Country", area), ("Scenario", ".Main"), ("Country name", area)):
        info.append(row)
    contents = book.create_sheet("Contents")
    contents.append(["Contents"])
    written: dict[tuple[Any, ...], float] = {}
    occ = "Occupation Table 1  Employment Change by Occupation Group (SOC 2020) and Replacement Demand, 2010-2030"
    sub = "Occupation Table 2  Employment Change by Occupation (SOC 2020) and Replacement Demand, 2010-2030"
    _wf_sheet(
        book,
        "Ind T1",
        "Industry Table 1  Employment by Industry Sector (SIC 2007), 2010-2030",
        WF_INDUSTRIES,
        "All industries",
        True,
        False,
        1,
        written,
    )
    _wf_sheet(
        book,
        "Ind T2",
        "Industry Table 2  Employment by Industry Group (SIC 2007), 2010-2030",
        WF_INDUSTRIES,
        "All industries",
        False,
        False,
        2,
        written,
    )
    _wf_sheet(book, "Occ T1", occ, WF_OCCUPATIONS, "All occupations", True, True, 3, written)
    _wf_sheet(book, "Occ T2", sub, WF_SUB_MAJOR, "All occupations", True, True, 4, written)
    _wf_status_sheet(book, written)
    _wf_sheet(
        book,
        "Qual T1",
        "Qualification Table 1  Employment by Qualification, 2010-2030",
        WF_QUALIFICATIONS,
        "All qualifications",
        False,
        False,
        5,
        written,
    )
    if edit is not None:
        edit(book)
    book.save(path)
    return written


def expected_flag(value: Any, cv: Any) -> tuple[Any, str]:
    """The quality rule, written out independently of the server's code."""
    if value == "x":
        return None, "suppressed"
    if value == "..":
        return None, "suppressed"
    if value == ":":
        return None, "not_applicable"
    if value == "-":
        return 0, "nil"
    if value is None or value == "":
        return None, "not_available"
    if cv is None:
        return value, "quality_unknown"
    if cv == ".":
        return value, "quality_unknown"
    if cv > 20:
        return None, "suppressed"
    if cv > 10:
        return value, "low_reliability"
    return value, "reliable"


def wf_expected(statistic: str, value: float) -> tuple[float | None, str]:
    """The publisher's guidance on its own workbooks (their Warning sheet), written out
    independently of the server: levels are thousands of people; under 1,000 too uncertain
    to be useful (withheld), under 10,000 below the minimum for publication."""
    if statistic == "employment" and abs(value) < 1:
        return None, "suppressed"
    if statistic == "employment" and abs(value) < 10:
        return value, "low_reliability"
    return value, "projection"


# Table 16's rows: SIC 2007 sections to classes; ONS prints divisions 01-09 (sections A and
# B) without their leading zero ('1' is division 01, '11' group 01.1, '111' class 01.11)
INDUSTRIES = (
    ("ALL EMPLOYEES", ""),
    ("All Manufacturing", ""),
    ("AGRICULTURE, FORESTRY AND FISHING", "A"),
    ("Crop and animal production", "1"),
    ("Growing of non-perennial crops", "11"),
    ("Growing of cereals", "111"),
    ("MANUFACTURING", "C"),
    ("Manufacture of food products", "10"),
    ("Processing and preserving of meat", "101"),
    ("Processing and preserving of meat", "1011"),
)
