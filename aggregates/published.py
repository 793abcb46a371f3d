"""Cubes of published statistics: figures served exactly as their publisher printed them.

The figures of the table `published_choice.choose` picks are laid out on the query's axes;
dimensions of the table that the query does not name are read at the table's published
total (all employees, United Kingdom, all persons), never added up. The publisher's quality
marks become the flags.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from lmi_cubes.aggregates.published_choice import (
    ASHE,
    CLASSIFYING,
    FREE_MEMBERS,
    FREE_TOTALS,
    GEOGRAPHY_TOTAL,
    LEVEL_ORDER,
    PUBLICATIONS,
    RELEASE_RANK,
    SELECTORS,
    TOTAL,
    WF,
    WF_PERIOD_MEASURES,
    PublishedQuery,
    TableInfo,
    choose,
    dimensions_of,
)
from lmi_cubes.model.errors import NotFound, QueryError

WITHHELD = "suppressed"
MISSING: dict[str, Any] = {"value": None, "flag": "not_available", "reason": "not in the table"}
QUALITY_UNKNOWN_NOTE = (
    "quality not known: the coefficient-of-variation workbook of this table is not imported"
)
# Working Futures levels are in thousands of people
WF_USEFUL_FROM, WF_PUBLISH_FROM = 1.0, 10.0
WF_TOO_UNCERTAIN = (
    "fewer than 1,000 people: the publisher advises the uncertainty is probably too great "
    "for the estimate to be useful"
)
WF_BELOW_PUBLISHABLE = (
    "fewer than 10,000 people: below the publisher's advised minimum for published figures"
)
CV_CHANGE_NOTE = "quality not known: ONS publishes no CV for annual percentage changes"


@dataclass
class Member:
    code: str
    label: str
    level: str
    parent: str | None


class PublishedStore:
    """The imported tables of one store file, their members read at open, their figures
    read per table on first use and kept (a table is at most a few hundred thousand
    figures)."""

    def __init__(self, path: Path):
        self.path = path
        self._lock = threading.Lock()
        self._cells: dict[tuple[str, str], dict[tuple[Any, ...], dict[str, Any]]] = {}
        con = duckdb.connect(str(path), read_only=True)
        try:
            tables = con.execute(
                "SELECT key, publication, table_no, title, variable, dimension, year, release, "
                "area, period, file, sha256, cv_file, cv_sha256, attribution, caveat, "
                "statistics, imported_at FROM published_tables ORDER BY key"
            ).fetchall()
            members = con.execute(
                "SELECT key, code, label, level, parent FROM published_members ORDER BY key, ord"
            ).fetchall()
            genders = con.execute(
                "SELECT DISTINCT key FROM published_figures WHERE sex <> 'all'"
            ).fetchall()
            statuses = con.execute(
                "SELECT DISTINCT key FROM published_figures WHERE pattern <> 'all'"
            ).fetchall()
        finally:
            con.close()
        self.members: dict[str, list[Member]] = {}
        for key, code, label, level, parent in members:
            self.members.setdefault(key, []).append(Member(code, label, level, parent))
        gendered = {k for (k,) in genders}
        by_status = {k for (k,) in statuses}
        self.tables: list[TableInfo] = []
        for row in tables:
            (
                key,
                publication,
                table_no,
                title,
                variable,
                dimension,
                year,
                release,
                area,
                period,
                file,
                sha256,
                cv_file,
                _cv_sha256,
                attribution,
                caveat,
                statistics,
                imported_at,
            ) = row
            cube = PUBLICATIONS[publication]
            stats = json.loads(statistics)
            if cube == ASHE:
                measures = frozenset(f"{variable}_{s}" for s in stats)
                free = frozenset(FREE_TOTALS[ASHE])
            else:
                measures = frozenset(stats)
                free = frozenset(
                    {
                        "year",
                        *(("gender",) if key in gendered else ()),
                        *(("status",) if key in by_status else ()),
                    }
                )
            seen = {m.level for m in self.members.get(key, [])} - {TOTAL}
            levels = sorted(seen, key=lambda lv: (LEVEL_ORDER.index(lv), lv))
            provenance = {
                "publication": (
                    "ONS Annual Survey of Hours and Earnings"
                    if cube == ASHE
                    else "Working Futures / Skills Imperative (Department for Education)"
                ),
                "table": f"Table {table_no}" if cube == ASHE else table_no,
                "title": title,
                "area": area,
                "year": int(year),
                "release": release,
                "period": period or None,
                "file": file,
                "sha256": sha256,
                "cv_file": cv_file or None,
                "imported_at": imported_at,
                "attribution": attribution,
                "caveat": caveat or None,
            }
            self.tables.append(
                TableInfo(
                    key=key,
                    cube=cube,
                    table_no=table_no,
                    title=title,
                    variable=variable,
                    dimension=dimension,
                    levels=tuple(levels),
                    year=int(year),
                    release=release,
                    area=area,
                    measures=measures,
                    free=free,
                    has_cv=bool(cv_file),
                    provenance=provenance,
                )
            )

    def cubes(self) -> list[str]:
        return sorted({t.cube for t in self.tables})

    def cells(self, table: TableInfo, statistic: str) -> dict[tuple[Any, ...], dict[str, Any]]:
        """One statistic of a table as served cells (flag, reason, source), read from the
        store and built once: (sex, pattern, year) -> member -> cell. A statistic at a time
        keeps the first request for a table short (a 135,000-figure table took a second
        read whole), and the small inner dicts keyed by member code keep lookups in cache."""
        key = (table.key, statistic)
        found = self._cells.get(key)
        if found is not None:
            return found
        with self._lock:
            if key not in self._cells:
                con = duckdb.connect(str(self.path), read_only=True)
                try:
                    rows = con.execute(
                        "SELECT member, sex, pattern, year, value, mark, cv, cv_mark, sheet, cell "
                        "FROM published_figures WHERE key = ? AND statistic = ?",
                        [table.key, statistic],
                    ).fetchall()
                finally:
                    con.close()
                built: dict[tuple[Any, ...], dict[str, Any]] = {}
                for member, sex, pattern, year, value, mark, cv, cv_mark, sheet, where in rows:
                    cell = quality(table, statistic, value, mark, cv, cv_mark)
                    cell["source"] = f"{sheet}!{where}"
                    built.setdefault((sex, pattern, year), {})[member] = cell
                self._cells[key] = built
            return self._cells[key]


def quality(
    table: TableInfo,
    statistic: str,
    value: float | None,
    mark: str | None,
    cv: float | None,
    cv_mark: str | None,
) -> dict[str, Any]:
    """The publisher's quality marks as the served figure's flag. For Working Futures the
    marks are the publisher's guidance on its own workbooks: publish counts of at least
    10,000 people; under 1,000 the uncertainty is probably too great to be useful."""
    if mark == "x":
        return {
            "value": None,
            "flag": WITHHELD,
            "reason": "unreliable (CV over 20%; not published by ONS)",
        }
    if mark == "..":
        return {"value": None, "flag": WITHHELD, "reason": "disclosive (withheld by ONS)"}
    if mark == ":":
        return {"value": None, "flag": "not_applicable", "reason": "not applicable"}
    if mark in ("", "."):
        return {"value": None, "flag": "not_available", "reason": "not published"}
    if mark == "-":
        return {"value": 0, "flag": "nil", "note": "nil or negligible"}
    if table.cube == WF:
        if statistic == "employment" and value is not None and abs(value) < WF_USEFUL_FROM:
            return {"value": None, "flag": WITHHELD, "reason": WF_TOO_UNCERTAIN}
        if statistic == "employment" and value is not None and abs(value) < WF_PUBLISH_FROM:
            return {"value": value, "flag": "low_reliability", "note": WF_BELOW_PUBLISHABLE}
        return {"value": value, "flag": "projection"}
    if not table.has_cv:
        return {"value": value, "flag": "quality_unknown", "note": QUALITY_UNKNOWN_NOTE}
    if cv is None:
        if cv_mark == "x":
            return {"value": None, "flag": WITHHELD, "reason": "unreliable (CV over 20%)"}
        return {"value": value, "flag": "quality_unknown", "note": CV_CHANGE_NOTE}
    if cv > 20:
        return {
            "value": None,
            "flag": WITHHELD,
            "reason": f"unreliable (CV {cv:g}%, over 20%)",
            "cv": cv,
        }
    if cv > 10:
        return {
            "value": value,
            "flag": "low_reliability",
            "note": "acceptable; use with caution (CV over 10% to 20%)",
            "cv": cv,
        }
    return {"value": value, "flag": "reliable", "cv": cv}


def _valid_members(
    store: PublishedStore, table: TableInfo, dimension: str, statistic: str
) -> list[str]:
    if dimension == table.dimension:
        return [m.code for m in store.members.get(table.key, [])]
    if dimension == "year":
        return [str(y) for y in sorted({k[2] for k in store.cells(table, statistic)})]
    return [code for code, _ in FREE_MEMBERS[dimension]]


@dataclass
class AxisResult:
    dimension: str
    level: str | None
    members: list[tuple[str, str]]


@dataclass
class PublishedResult:
    table: TableInfo
    measure: str
    axes: list[AxisResult]
    fixed: dict[str, str]
    cells: list[list[dict[str, Any]]]


def crosstab(store: PublishedStore, query: PublishedQuery) -> PublishedResult:
    """The published figures of the chosen table laid out on the query's axes.

    Errors name the query's fields as the modelled engine's do (`axes.0`, `axes.1`,
    `measures`, `cut`); each endpoint maps them to its own parameter names."""
    if query.cube not in CLASSIFYING:
        raise NotFound("cube", f"no published cube {query.cube!r}", [ASHE, WF])
    known = dimensions_of(query.cube)
    for i, axis in enumerate(query.axes):
        if axis.dimension not in known:
            raise QueryError(f"axes.{i}", f"unknown dimension {axis.dimension!r}", known)
        if axis.dimension in SELECTORS[query.cube]:
            raise QueryError(
                f"axes.{i}",
                f"{axis.dimension} selects a table; cut it instead",
                [d for d in known if d not in SELECTORS[query.cube]],
            )
    for name in query.cut:
        if name not in known:
            raise QueryError("cut", f"unknown dimension {name!r}", known)
    if len({a.dimension for a in query.axes}) < len(query.axes):
        raise QueryError("axes.1", "rows and columns name the same dimension")
    for name in SELECTORS[query.cube]:
        if len(query.cut.get(name, ())) > 1:
            raise QueryError("cut", f"{name} selects one table: cut it to one member")
    table = choose(store.tables, query)
    statistic = query.measure[len(table.variable) + 1 :] if table.cube == ASHE else query.measure
    members = store.members.get(table.key, [])
    axes: list[AxisResult] = []
    for axis in query.axes:
        cut = query.cut.get(axis.dimension)
        if axis.dimension == table.dimension:
            level = axis.level or table.levels[0]
            chosen = [(m.code, m.label) for m in members if m.level == level]
            if cut:
                codes = {m.code for m in members}
                bad = [c for c in cut if c not in codes]
                if bad:
                    raise QueryError(
                        "cut",
                        f"{bad[0]!r} is not a member of {axis.dimension} in Table {table.table_no}",
                        [m.code for m in members][:200],
                    )
                chosen = [(m.code, m.label) for m in members if m.code in cut]
        elif axis.dimension == "year":
            years = sorted({k[2] for k in store.cells(table, statistic)})
            chosen = [(str(y), str(y)) for y in years if not cut or str(y) in cut]
            level = "year"
        else:
            level = axis.dimension
            chosen = [m for m in FREE_MEMBERS[axis.dimension] if not cut or m[0] in cut]
        if not chosen:
            raise QueryError("cut", f"the cut leaves no {axis.dimension} members")
        axes.append(AxisResult(axis.dimension, level, chosen))
    fixed: dict[str, str] = {}
    on_axes = {a.dimension for a in query.axes}
    total_of_dim = GEOGRAPHY_TOTAL if table.dimension.endswith("geography") else TOTAL
    defaults: dict[str, str] = {table.dimension: total_of_dim, **FREE_TOTALS[table.cube]}
    if table.cube == WF:
        defaults["year"] = str(table.year)
    for name, default in defaults.items():
        if name in on_axes:
            continue
        cut = query.cut.get(name)
        if cut and len(cut) > 1:
            raise QueryError(
                "cut",
                f"{name} is not an axis: cut it to one member (published figures are not summed)",
            )
        fixed[name] = cut[0] if cut else default
        if cut:
            valid = _valid_members(store, table, name, statistic)
            if cut[0] not in valid:
                raise QueryError(
                    "cut", f"{cut[0]!r} is not a member of {name} in {table.table_no}", valid[:200]
                )
    if table.cube == WF and statistic in WF_PERIOD_MEASURES and "year" in on_axes:
        raise QueryError(
            f"axes.{[a.dimension for a in query.axes].index('year')}",
            f"{statistic} is published over the period {table.release}, not by year",
            [],
        )
    cells = store.cells(table, statistic)
    position = {
        table.dimension: 0,
        "sex": 1,
        "gender": 1,
        "working_pattern": 2,
        "status": 2,
        "year": 4,
    }
    base: list[Any] = [None, "all", "all", statistic, table.year]
    for name, code in fixed.items():
        base[position[name]] = code
    if table.cube == WF:  # a period measure is stored at the period's last year
        period = statistic in WF_PERIOD_MEASURES
        base[4] = table.year if period else int(fixed.get("year", table.year))

    def coded(axis: AxisResult | None) -> tuple[int, list[Any]]:
        if axis is None:
            return 3, [statistic]  # a 1-D table: one column, nothing varies
        codes: list[Any] = [c for c, _ in axis.members]
        if axis.dimension == "year":
            codes = [int(c) for c in codes]
        return position[axis.dimension], codes

    ri, rcodes = coded(axes[0] if axes else None)
    ci, ccodes = coded(axes[1] if len(axes) > 1 else None)
    grid: list[list[dict[str, Any]]] = []
    empty: dict[str, dict[str, Any]] = {}
    for rcode in rcodes:
        base[ri] = rcode
        line = []
        for ccode in ccodes:
            base[ci] = ccode
            by_member = cells.get((base[1], base[2], base[4]), empty)
            line.append(by_member.get(base[0], MISSING))
        grid.append(line)
    return PublishedResult(table, query.measure, axes, fixed, grid)


@dataclass(frozen=True)
class SeriesPoint:
    year: int
    soc: str
    cell: Mapping[str, Any]
    table: TableInfo


def occupation_tables(store: PublishedStore, soc: str, measure: str) -> list[TableInfo]:
    """The imported occupation tables that have the measure and a row for the SOC code."""
    return [
        t
        for t in store.tables
        if t.cube == ASHE
        and t.dimension == "occupation"
        and measure in t.measures
        and any(m.code == soc for m in store.members.get(t.key, []))
    ]


def occupation_series(
    store: PublishedStore, soc: str, measure: str, coarse: bool = False
) -> list[SeriesPoint]:
    """A published figure of one SOC unit group for each year an occupation table with the
    measure is imported (the latest release of each year), all employees. Withheld figures
    are left out; with `coarse`, the nearest published group above takes their place."""
    by_year: dict[int, TableInfo] = {}
    for t in occupation_tables(store, soc, measure):
        best = by_year.get(t.year)
        if best is None or RELEASE_RANK.get(t.release, 2) < RELEASE_RANK.get(best.release, 2):
            by_year[t.year] = t
    statistic_of = {t.key: measure[len(t.variable) + 1 :] for t in by_year.values()}
    points = []
    for year, table in sorted(by_year.items()):
        cells = store.cells(table, statistic_of[table.key]).get(("all", "all", year), {})
        for code in [soc[:n] for n in range(len(soc), 0, -1)] if coarse else [soc]:
            cell = cells.get(code)
            if cell is not None and cell["value"] is not None:
                points.append(SeriesPoint(year, code, cell, table))
                break
    return points
