"""What a published table is once read: its identity, its members and its figures."""

from __future__ import annotations

from dataclasses import dataclass, field

ONS_ATTRIBUTION = (
    "Source: Office for National Statistics licensed under the Open Government Licence v3.0"
)
DFE_ATTRIBUTION = (
    "Source: Department for Education (Warwick Institute for Employment Research, Cambridge "
    "Econometrics), published on GOV.UK; GOV.UK content is under the Open Government "
    "Licence v3.0 unless stated otherwise"
)
# what a MainTables workbook's Warning sheet says, for a workbook without one
WF_CAVEAT = (
    "The projections are calculated from a number of different data sources, using a variety "
    "of econometric and statistical techniques; precise margins of error cannot be assigned. "
    "Published data: ideally a minimum of 10,000 individuals per cell; unpublished data: a "
    "minimum of 1,000 individuals per cell."
)

# the publisher's symbols (the key on the Notes sheet) and what the served figure says
MARKS = {
    "x": "unreliable",  # CV over 20%: not shown by ONS
    "..": "disclosive",
    ":": "not_applicable",
    "-": "nil",  # nil or negligible: served as 0, marked
    ".": "unavailable",  # in CV workbooks: no CV for this estimate (annual % changes)
    "": "not_published",  # an empty cell beside a withheld or not-applicable figure
}


@dataclass
class Member:
    code: str
    label: str
    level: str
    parent: str | None
    row: int  # 1-based row in the sheet it was read from


@dataclass
class Figure:
    member: str  # the code of the classifying dimension's member
    sex: str  # all, male, female
    pattern: str  # all, full_time, part_time
    statistic: str
    year: int
    value: float | None
    mark: str | None  # a key of MARKS, or None for a plain number
    sheet: str
    cell: str  # e.g. D7: where the figure is in the sheet
    cv: float | None = None
    cv_mark: str | None = None


@dataclass
class Table:
    """One published table: a workbook of ASHE (all its sheets) or one block set of a
    Working Futures sheet."""

    publication: str  # "ashe" or "working_futures"
    table: str  # the publisher's table number, e.g. "7.1a" or "Occ T1"
    title: str
    variable: str  # e.g. weekly_pay_gross, employment
    dimension: str  # the classifying dimension: geography, home_geography, industry, ...
    year: int  # the reference year (ASHE) or the last year (Working Futures)
    release: str  # provisional/revised (ASHE); the projection period (Working Futures)
    area: str
    file: str
    sha256: str
    attribution: str
    caveat: str = ""
    period: str = ""
    cv_file: str = ""
    cv_sha256: str = ""
    statistics: list[str] = field(default_factory=list)
    members: list[Member] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.publication}:{self.table}:{self.area}:{self.year}:{self.release}"
