"""The ETL contract: every source file's columns, keys and value rules, as data.

The generator writes these files and the loader validates and loads them, so both read
the same description here; a new column or rule is added in one place. What a file feeds is
named in the model's terms (a cube's dimension or measure, a lookup's key or value): the
table and column names are the model's alone, bound to these files by `etl.schema`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from lmi_cubes.aggregates.query import AGES

# "amount": a summable quantity (jobs, GBP, hours), stored exactly as DECIMAL(18,6) so that
# sums are exact and identical in whatever order or table they are taken.
Kind = Literal["int", "float", "amount"]
MAX_AMOUNT = 10**12


# What a column feeds, in the model's terms: a fact table's `dimension` key or `measure`; a
# lookup's `key` (by dimension), `level_column` (by dimension), `parameter` or `value`.
Role = Literal["dimension", "measure", "key", "level_column", "parameter", "value"]


@dataclass(frozen=True)
class Feeds:
    role: Role
    name: str = ""  # the dimension, measure or value; empty for the parameter


@dataclass(frozen=True)
class Column:
    """One CSV column and what it feeds; `target`, the warehouse column, is the model's."""

    name: str
    kind: Kind
    feeds: Feeds
    # "<classification>.<level>": values must be codes of that level.
    codes: str | None = None
    # Explicit allowed codes when the file has its own coding (age ratios, distribution).
    allowed: tuple[int, ...] | None = None
    # Map from the file's own coding to the warehouse coding (0 always means "all").
    mapping: dict[int, int] | None = None
    non_negative: bool = False
    positive: bool = False
    target: str = ""  # set from the model by etl.schema.bind


@dataclass(frozen=True)
class SourceFile:
    """A source CSV file and the cube's fact table, or one of its lookups, it feeds."""

    file: str
    cube: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    lookup: str | None = None  # the lookup's role; None for the fact table
    # (value column, weight column): value must be 0 where weight is 0.
    zero_with: tuple[tuple[str, str], ...] = ()
    required: bool = True
    extra_rules: tuple[str, ...] = field(default=())
    table: str = ""  # set from the model by etl.schema.bind

    @property
    def header(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def dimension(name: str) -> Feeds:
    return Feeds("dimension", name)


def measure(name: str) -> Feeds:
    return Feeds("measure", name)


def key(dimension: str) -> Feeds:
    return Feeds("key", dimension)


def value(name: str) -> Feeds:
    return Feeds("value", name)


def _dims(status_allowed: tuple[int, ...] | None, with_qual: bool) -> tuple[Column, ...]:
    # Working Futures years must be described in wf_years.csv; ASHE files carry their own year.
    cols = [
        Column("year", "int", dimension("year"), codes=None if status_allowed else "year.year"),
        Column("gender", "int", dimension("gender"), codes="gender.gender"),
        Column(
            "status",
            "int",
            dimension("status"),
            codes=None if status_allowed else "status.status",
            allowed=status_allowed,
        ),
        Column("industry", "int", dimension("industry"), codes="industry.ind75"),
        Column("occupation", "int", dimension("occupation"), codes="occupation.soc4"),
        Column("geography", "int", dimension("region"), codes="region.region"),
    ]
    if with_qual:
        cols.append(
            Column(
                "qualification",
                "int",
                dimension("qualification"),
                codes="qualification.qualification",
            )
        )
    return tuple(cols)


_PAY_KEY = ("year", "gender", "status", "industry", "occupation", "geography", "qualification")

ASHE_PAY = SourceFile(
    file="ashe_pay_main.csv",
    cube="ashe_pay",
    columns=(
        *_dims((1, 2), with_qual=True),
        Column("Employment", "amount", measure("employment"), non_negative=True),
        Column("PayBill", "amount", measure("paybill"), non_negative=True),
    ),
    key=_PAY_KEY,
    zero_with=(("PayBill", "Employment"),),
)

ASHE_HOURS = SourceFile(
    file="ashe_hours_main.csv",
    cube="ashe_hours",
    columns=(
        *_dims((1, 2), with_qual=False),
        Column("Employment", "amount", measure("employment"), non_negative=True),
        Column("TotalHours", "amount", measure("total_hours"), non_negative=True),
    ),
    key=_PAY_KEY[:-1],
    zero_with=(("TotalHours", "Employment"),),
)

WF_EMPLOYMENT = SourceFile(
    file="wf_employment.csv",
    cube="working_futures",
    columns=(
        *_dims(None, with_qual=True),
        Column("weight", "amount", measure("employment"), non_negative=True),
    ),
    key=_PAY_KEY,
)

# The age-ratio file codes gender 0 female / 1 male / 2 total and status 0 part-time /
# 1 full-time / 2 total; the main files use 1 male, 2 female, 1 full-time, 2 part-time.
# The warehouse uses the main files' codes and 0 for "all" everywhere.
AGE_GENDER_MAP = {0: 2, 1: 1, 2: 0}
AGE_STATUS_MAP = {0: 2, 1: 1, 2: 0}
AGE_OCCUPATION_MAP = {**{i: i for i in range(1, 10)}, 10: 0}
AGE_QUAL_MAP = {1: 1, 2: 2, 3: 3, 4: 0}

ASHE_AGE_RATIOS = SourceFile(
    file="ashe_age_ratios.csv",
    cube="ashe_pay",
    lookup="age_ratios",
    columns=(
        Column(
            "occupation1",
            "int",
            key("occupation"),
            allowed=tuple(AGE_OCCUPATION_MAP),
            mapping=AGE_OCCUPATION_MAP,
        ),
        Column(
            "gender", "int", key("gender"), allowed=tuple(AGE_GENDER_MAP), mapping=AGE_GENDER_MAP
        ),
        Column(
            "status", "int", key("status"), allowed=tuple(AGE_STATUS_MAP), mapping=AGE_STATUS_MAP
        ),
        Column(
            "qual3", "int", key("qualification"), allowed=tuple(AGE_QUAL_MAP), mapping=AGE_QUAL_MAP
        ),
        Column("age", "int", Feeds("parameter"), allowed=tuple(AGES)),
        Column("ratio", "float", value("ratio"), positive=True),
    ),
    key=("occupation1", "gender", "status", "qual3", "age"),
    extra_rules=("ages_complete",),
)

ASHE_PAY_DISTRIBUTION = SourceFile(
    file="ashe_pay_distribution.csv",
    cube="ashe_pay",
    lookup="pay_distribution",
    columns=(
        Column("soc_level", "int", Feeds("level_column", "occupation"), allowed=(0, 1, 2, 3, 4)),
        Column("occupation", "int", key("occupation")),
        Column("status", "int", key("status"), allowed=(0, 1, 2)),
        Column("gender", "int", key("gender"), allowed=(0, 1, 2)),
        Column("mean_median_ratio", "float", value("mean_median_ratio"), positive=True),
        Column("sd_ratio", "float", value("sd_ratio"), positive=True),
    ),
    key=("soc_level", "occupation", "status", "gender"),
    extra_rules=("occupation_at_level",),
)

WF_REPLACEMENT_RATES = SourceFile(
    file="wf_replacement_rates.csv",
    cube="working_futures",
    lookup="replacement_rates",
    columns=(
        Column("soc2", "int", key("occupation"), codes="occupation.soc2"),
        Column("retirement_rate", "float", value("retirement_rate"), non_negative=True),
        Column("mortality_rate", "float", value("mortality_rate"), non_negative=True),
        Column("mobility_rate", "float", value("mobility_rate"), non_negative=True),
    ),
    key=("soc2",),
)

SOURCES: tuple[SourceFile, ...] = (
    ASHE_PAY,
    ASHE_HOURS,
    WF_EMPLOYMENT,
    ASHE_AGE_RATIOS,
    ASHE_PAY_DISTRIBUTION,
    WF_REPLACEMENT_RATES,
)

WF_YEARS_FILE = "wf_years.csv"
# wf_years.csv and the facts' years fill the time dimension's table: its one level's key and
# the model attribute saying whether a year is history or projection.
YEAR_DIMENSION, YEAR_KIND = "year", "kind"
