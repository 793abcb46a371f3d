"""Slicer's `/aggregate`: drilldown cells with every level's keys and labels, on top of the engine.

A request may name aggregates that need different parameters (`pay_decile_p10|pay_decile_p90`,
`employment|employment_change`); the engine answers one parameter set per query, so each
set is run separately on the same cells and the records merged. Each run applies the
reliability rules to its own table; a record carries the most severe flag of its runs, and
every value a run withheld stays null, so merging never reveals a withheld cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from lmi_cubes.aggregates.cuts import parse_cuts
from lmi_cubes.aggregates.engine import Engine, Result
from lmi_cubes.aggregates.paging import json_number
from lmi_cubes.aggregates.query import Query, Request
from lmi_cubes.cube_server import limits, params, slicer, slicer_cells
from lmi_cubes.cube_server.errors import parameter_of
from lmi_cubes.cube_server.formats import CellGrid
from lmi_cubes.model import Cube, Dimension, Hierarchy, Level
from lmi_cubes.model.errors import QueryError

SEVERITY = {"reliable": 0, "low_reliability": 1, "not_applicable": 2, "suppressed": 3}
_LIST = re.compile(r"[|,]")
Items = list[tuple[Dimension, Hierarchy, Level]]


def names(text: str | None) -> list[str]:
    """`a|b` or `a,b` (the Python Slicer client joins with commas); names never hold either."""
    return [n.strip() for n in _LIST.split(text or "") if n.strip()]


def _groups(
    cube: Cube, engine: Engine, p: dict[str, Any], chosen: list[slicer.Concrete]
) -> dict[tuple[Any, ...], list[slicer.Concrete]]:
    """Aggregates keyed by the (age, decile, from, to, change) their query needs."""
    used: set[str] = set()
    groups: dict[tuple[Any, ...], list[slicer.Concrete]] = {}
    for c in chosen:
        a, fixed = c.base, dict(c.overrides)
        age = decile = y0 = y1 = None
        change = "from" in a.parameters  # a change over years is never one query with others
        if "age" in a.parameters or a.derived == "pay_distribution":
            age = fixed.get("age", p["age"])
            used.add("age")
        if "decile" in a.parameters:
            decile = fixed.get("decile", p["decile"])
            used.add("decile")
        if "from" in a.parameters:
            used.update(("from", "to"))
            y0, y1 = p["from"], p["to"]  # the engine fills in the default period
        groups.setdefault((age, decile, y0, y1, change), []).append(c)
    for name in ("age", "decile", "from", "to"):
        if p[name] not in (None, "") and name not in used:
            raise QueryError(name, f"none of the requested aggregates takes {name}=")
    return groups


def _default_aggregates(cube: Cube, engine: Engine, items: Items, cut: str | None) -> list[str]:
    """Every aggregate of the Slicer model that applies: a change over years cannot be
    drilled or cut by year, so it is left out then."""
    by_year = any(d.name == "year" for d, _, _ in items) or any(
        s.dimension == "year" for s in parse_cuts(cut)
    )
    return [
        c.name
        for c in slicer.concrete_aggregates(cube, engine.catalog)
        if not ("from" in c.base.parameters and by_year)
    ]


@dataclass(frozen=True)
class Plan:
    """The queries one /aggregate request will run, resolved but not yet run: the request's
    cost (cells x parameter sets) is known and checked before any of them starts."""

    cube: Cube
    items: Items
    chosen: list[slicer.Concrete]
    queries: list[tuple[list[slicer.Concrete], Query]]

    @property
    def cells(self) -> int:
        return sum(q.cell_count for _, q in self.queries)


SPLIT = "split it into requests of fewer aggregates (each set of age, decile or years is a query)"


def plan(engine: Engine, cube_name: str, p: dict[str, Any]) -> Plan:
    cube = engine.model.cube(cube_name)
    if p.get("split"):
        raise QueryError(
            "split",
            "split cells are not supported; ask twice, with and without the split cut",
            ["cut", "drilldown", "aggregates", "order", "page", "pagesize"],
        )
    items = slicer.resolve_drilldown(cube, names(p["drilldown"]), p["cut"])
    axes = [f"{d.name}@{h.name}:{lv.name}" for d, h, lv in items]
    wanted = names(p["aggregates"]) or _default_aggregates(cube, engine, items, p["cut"])
    chosen = list({c.name: c for c in (slicer.resolve_aggregate(cube, n) for n in wanted)}.values())
    queries = []
    for (age, decile, y0, y1, _), group in _groups(cube, engine, p, chosen).items():
        query = engine.query(
            Request(
                cube.name,
                axes=tuple(axes),
                measures=tuple(dict.fromkeys(c.base.name for c in group)),
                cut=p["cut"],
                age=age,
                decile=decile,
                year_from=y0,
                year_to=y1,
                fallback=p["fallback"],
            ),
            cube,
        )
        queries.append((group, query))
    return Plan(cube, items, chosen, queries)


def run(engine: Engine, cube_name: str, p: dict[str, Any]) -> dict[str, Any]:
    """The Slicer aggregation result (Cubes' `AggregationResult.to_dict`) plus our fields."""
    planned = plan(engine, cube_name, p)
    limits.charge(planned.cells, "aggregates", SPLIT)
    return execute(engine, planned, p)


def execute(engine: Engine, planned: Plan, p: dict[str, Any]) -> dict[str, Any]:
    items, chosen = planned.items, planned.chosen
    runs: list[tuple[list[slicer.Concrete], Result]] = []
    for group, query in planned.queries:
        limits.check_time()
        # a CSV lists its fields only, never a cell's "go up" choices
        runs.append((group, engine.run(query, suggest=p.get("format") != "csv")))
    order = [c.name for c in chosen]
    grids = [CellGrid(result, group[0].base.name) for group, result in runs]
    summary = _measures(runs, grids, tuple(-1 for _ in items), order)
    first = runs[0][1]
    # the engine orders and pages the cells, here by values that come from several runs
    value_of = {c.name: result.values[c.base.name] for group, result in runs for c in group}
    cells = engine.cells(first.query).with_values({name: value_of[name] for name in order})
    page = cells.page(cells.resolve(params.order(p["order"])), p["page"], params.page_size(p, None))
    members = [
        slicer.member_records(engine.catalog, d, h, lv) for d, h, lv in items
    ]  # per axis: key -> attributes of every level down to the drilled one
    records = []
    for index in page.positions if items else ():
        record: dict[str, Any] = {}
        for axis, pos, table in zip(first.query.axes, index, members, strict=True):
            record.update(table[axis.keys[pos]])
        record.update(_measures(runs, grids, index, order))
        records.append(record)
    attributes = [
        slicer.ref(d, a)
        for d, h, lv in items
        for x in slicer.path_levels(h, lv)
        for a in x.attributes
    ]
    defaults: dict[str, Any] = {}
    for _, result in runs:
        q = result.query
        if q.default_year is not None:
            defaults["year"] = q.default_year
        defaults.update({parameter_of("aggregate", f): v for f, v in q.defaults})
    body: dict[str, Any] = {
        "summary": summary,
        "remainder": {},
        "cells": records,
        "total_cell_count": page.total if items else 0,
        "aggregates": order,
        "cell": slicer_cells.cell_cuts(p["cut"], defaults.get("year")),
        "levels": {
            slicer.drilldown_key(d, h): [x.name for x in slicer.path_levels(h, lv)]
            for d, h, lv in items
        },
        "attributes": attributes,
        "has_split": False,
        "page": page.number,
        "pagesize": page.size,
        "table": first.table,
        "vintage": first.vintage,
        "protection": first.query.cube.reliability.protection,
    }
    if defaults:
        body["defaults"] = defaults
    return body


def _measures(
    runs: list[tuple[list[slicer.Concrete], Result]],
    grids: list[CellGrid],
    index: tuple[int, ...],
    order: list[str],
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    flags: dict[str, str] = {}
    worst: dict[str, Any] = {}
    for (group, result), grid in zip(runs, grids, strict=True):
        cell = grid[index]
        for c in group:
            values[c.name] = json_number(result.values[c.base.name][index])
            flags[c.name] = cell["flag"]
        if not worst or SEVERITY[cell["flag"]] > SEVERITY[worst["flag"]]:
            worst = cell
    out: dict[str, Any] = {name: values[name] for name in order}
    out.update({k: v for k, v in worst.items() if k != "value"})
    if len(set(flags.values())) > 1:
        out["flags"] = {name: flags[name] for name in order}
    return out


def csv_fields(
    engine: Engine, cube_name: str, body: dict[str, Any], header: str, filled: bool = False
) -> tuple[list[str], list[str] | None]:
    """The columns of an aggregate CSV and its header: labels by default, as Slicer writes.
    With fallback, a `filled_from` column marks filled records, as in every other format."""
    cube = engine.model.cube(cube_name)
    fields = [
        *body["attributes"],
        *body["aggregates"],
        "flag",
        *(["filled_from"] if filled else []),
    ]
    if header == "none":
        return fields, None
    if header == "names":
        return fields, fields
    labels: dict[str, str] = {"flag": "Reliability", "filled_from": "Filled from"}
    for dim in cube.dimensions:
        for level in dim.levels:
            for a in level.attributes:
                labels[slicer.ref(dim, a)] = f"{dim.label}: {slicer.attribute_label(level, a)}"
    for name in body["aggregates"]:
        c = slicer.resolve_aggregate(cube, name)
        labels[name] = slicer.aggregate_dict(c, None)["label"]
    return fields, [labels.get(f, f) for f in fields]
