"""Which published table answers a query: the cubes' vocabulary and `choose`.

A published table is a fixed cross-classification (ASHE Table 7: workplace geography by
sex by working pattern; Working Futures Occupation Table 1: SOC major group by gender by
year). A median cannot be recomputed from other cells and nothing the publisher did not sum
may be summed, so a query is answered from one table that has exactly the requested
cross-classification, or refused naming those that exist. `choose` is that decision, a pure
function of the tables' descriptions and the query, beside the rollup chooser
(rollups.py) that does the same for the modelled cubes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from lmi_cubes.model.errors import NotFound, QueryError

ASHE, WF = "ashe_published", "working_futures_published"
PUBLICATIONS = {"ashe": ASHE, "working_futures": WF}
CUBE_LABELS = {
    ASHE: "ONS Annual Survey of Hours and Earnings tables, as published",
    WF: "Working Futures / Skills Imperative projections (DfE MainTables), as published",
}
CLASSIFYING = {
    ASHE: ("geography", "home_geography", "occupation", "industry"),
    WF: ("occupation", "industry", "qualification"),
}
# the dimensions every table of a cube classifies by besides its rows, and their totals
FREE_TOTALS = {
    ASHE: {"sex": "all", "working_pattern": "all"},
    WF: {"gender": "all", "status": "all"},
}
FREE_MEMBERS = {
    "sex": (("all", "All employees"), ("male", "Male"), ("female", "Female")),
    "working_pattern": (("all", "All"), ("full_time", "Full-time"), ("part_time", "Part-time")),
    "gender": (("all", "All persons"), ("male", "Males"), ("female", "Females")),
    "status": (
        ("all", "All"),
        ("full_time", "Full-time employees"),
        ("part_time", "Part-time employees"),
        ("self_employed", "Self-employed"),
    ),
}
# selectors pick a table; they are cut to one member, never axes (ASHE) or are axes (WF year)
SELECTORS = {ASHE: ("year", "release"), WF: ("area", "round")}
RELEASE_RANK = {"revised": 0, "provisional": 1}
WF_PERIOD_MEASURES = ("net_change", "replacement_demand", "total_requirement")
GEOGRAPHY_TOTAL = "K02000001"
# every level a published table may have, coarsest first; `other` holds the rows a
# publisher prints without a code (e.g. "All Manufacturing")
LEVEL_ORDER = (
    "uk",
    "gb",
    "england_wales",
    "nation",
    "region",
    "county",
    "local_authority",
    "section",
    "division",
    "group",
    "class",
    "soc1",
    "soc2",
    "soc3",
    "soc4",
    "sector",
    "industry_group",
    "industry_detail",
    "soc_major",
    "soc_sub_major",
    "rqf",
    "other",
)
TOTAL = "total"


@dataclass(frozen=True)
class TableInfo:
    """What the chooser knows of a published table."""

    key: str
    cube: str
    table_no: str
    title: str
    variable: str
    dimension: str
    levels: tuple[str, ...]  # the classifying dimension's levels, coarsest first
    year: int
    release: str
    area: str
    measures: frozenset[str]
    free: frozenset[str]  # the other dimensions it classifies by (sex, gender, year...)
    has_cv: bool = False
    provenance: Mapping[str, Any] = field(default_factory=dict)

    def classification(self) -> str:
        dims = " x ".join([self.dimension, *sorted(self.free)])
        what = f"{self.release}" if self.cube == ASHE else f"{self.area}, {self.release}"
        return (
            f"{dims} (Table {self.table_no}, {self.year} {what}; "
            f"{self.dimension} levels {', '.join(self.levels)})"
        )


@dataclass(frozen=True)
class Axis:
    dimension: str
    level: str | None = None


@dataclass(frozen=True)
class PublishedQuery:
    cube: str
    axes: tuple[Axis, ...]
    measure: str
    cut: Mapping[str, tuple[str, ...]]


class NoPublishedTable(QueryError):
    """No loaded table has the requested cross-classification."""


def dimensions_of(cube: str) -> tuple[str, ...]:
    extra = ("year",) if cube == WF else ()
    return (*CLASSIFYING[cube], *FREE_TOTALS[cube], *extra, *SELECTORS[cube])


def choose(tables: Iterable[TableInfo], query: PublishedQuery) -> TableInfo:
    """The one table that answers the query exactly; NoPublishedTable naming the
    cross-classifications loaded otherwise. Ties go to the latest year, then the latest
    release of it (revised before provisional), then the first area and table."""
    candidates = [t for t in tables if t.cube == query.cube]
    if not candidates:
        raise NotFound("cube", "no published tables of this cube are imported", [])
    named = {a.dimension for a in query.axes} | set(query.cut)
    selectors = SELECTORS[query.cube]
    asked = named - set(selectors)
    with_measure = [t for t in candidates if query.measure in t.measures]
    if not with_measure:
        measures = sorted({m for t in candidates for m in t.measures})
        raise QueryError("measures", f"no imported table has {query.measure!r}", measures)

    def fits(t: TableInfo) -> bool:
        if not asked <= {t.dimension, *t.free}:
            return False
        for axis in query.axes:
            if axis.dimension == t.dimension and axis.level and axis.level not in t.levels:
                return False
        for name in selectors:
            chosen = query.cut.get(name)
            if chosen and str(selector(t, name)) not in chosen:
                return False
        return True

    fitting = [t for t in with_measure if fits(t)]
    if not fitting:
        shown = sorted({t.classification() for t in with_measure})
        raise NoPublishedTable(
            "axes" if query.axes else "cut",
            f"no imported table has {query.measure} by exactly "
            f"{' x '.join(sorted(asked)) or 'its total'}; published figures are served as "
            "published, never summed or recomputed",
            shown,
        )
    latest = max(t.year for t in fitting)
    fitting = [t for t in fitting if t.year == latest]
    return min(
        fitting,
        key=lambda t: (
            t.dimension not in asked,
            RELEASE_RANK.get(t.release, 2),
            t.area != "United Kingdom",
            t.area,
            _table_order(t.table_no),
        ),
    )


def selector(t: TableInfo, name: str) -> str | int:
    if name == "year":
        return t.year
    if name == "area":
        return t.area
    return t.release  # release (ASHE) or round (Working Futures)


def _table_order(table_no: str) -> tuple[Any, ...]:
    parts = table_no.replace(" ", ".").split(".")
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts)
