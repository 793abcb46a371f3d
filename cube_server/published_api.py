"""HTTP endpoints of the published-statistics cubes: parameters in, the engine's answer out.

`/published` lists what is imported with its provenance; `/published/<cube>/crosstab`
answers from the one published table with exactly the requested cross-classification
(aggregates/published.py chooses it); `/published/<cube>/model` and `.../members/<dim>`
describe the cubes as they are loaded. Every figure carries its provenance.
"""

from __future__ import annotations

import csv
import io
import json
import threading
from pathlib import Path
from typing import Any

import orjson
from flask import Blueprint, Flask, Response, current_app, request

from lmi_cubes.aggregates import published, published_choice
from lmi_cubes.cube_server.published_openapi import extend_openapi
from lmi_cubes.model.errors import NotFound, QueryError
from lmi_cubes.warehouse.files import FileIdentity
from lmi_cubes.warehouse.journal import sidecar

published_api = Blueprint("published", __name__)
EXTENSION = "lmi_cubes_published"
PARAMETERS = {
    "crosstab": ("rows", "columns", "measure", "cut", "format"),
    "aggregate": ("drilldown", "aggregates", "cut"),
    "cell": ("aggregates", "cut"),
    "model": (),
    "members": ("level",),
    "index": (),
}


class PublishedState:
    """The published store beside the warehouse, reopened when an import swaps a new one in."""

    def __init__(self, path: Path):
        self.path = path
        self._lock = threading.Lock()
        self._identity: FileIdentity | None = None
        self._store: published.PublishedStore | None = None

    def current(self) -> published.PublishedStore | None:
        identity = FileIdentity.of(self.path)
        if identity is None:
            return None
        if identity != self._identity:
            with self._lock:
                if identity != self._identity:
                    self._store = published.PublishedStore(self.path)
                    self._identity = identity
        return self._store


def register(app: Flask, warehouse_path: Path) -> None:
    path = Path(app.config.get("OFFICIAL_STORE") or sidecar(warehouse_path, "official.duckdb"))
    app.extensions[EXTENSION] = PublishedState(path)
    app.register_blueprint(published_api)
    app.extensions.setdefault("openapi_extensions", []).append(extend_openapi)
    app.extensions.setdefault("cache_versions", []).append(store_version)


def store_version() -> FileIdentity | None:
    """The published store's version: part of every cache key, so an import is seen at once."""
    state = current_app.extensions.get(EXTENSION)
    return None if state is None else FileIdentity.of(state.path)


def _state() -> PublishedState:
    return current_app.extensions[EXTENSION]


def _store() -> published.PublishedStore:
    store = _state().current()
    if store is None:
        raise NotFound("cube", "no published tables are imported (lmi-cubes import FILES)", [])
    return store


def provenance_summary() -> list[dict[str, Any]]:
    """What /health reports of the published tables: one entry per table."""
    state = current_app.extensions.get(EXTENSION)
    store = state.current() if state is not None else None
    if store is None:
        return []
    return [dict(t.provenance, cube=t.cube) for t in store.tables]


def _args(endpoint: str) -> dict[str, str]:
    allowed = PARAMETERS[endpoint]
    out: dict[str, str] = {}
    for name in request.args:
        if name not in allowed:
            raise QueryError(name, "unknown parameter", allowed)
        values = request.args.getlist(name)
        if len(values) > 1:
            raise QueryError(name, "given more than once", allowed)
        out[name] = values[0]
    return out


def _axis(name: str, raw: str) -> published_choice.Axis:
    """An axis from `dimension[:level]`; `name` is the parameter it came in."""
    dimension, _, level = raw.partition(":")
    if not dimension:
        raise QueryError(name, "expected dimension[:level]")
    return published_choice.Axis(dimension, level or None)


def _cut(raw: str) -> dict[str, tuple[str, ...]]:
    cut: dict[str, tuple[str, ...]] = {}
    for part in raw.split("|") if raw else []:
        dimension, sep, codes = part.partition(":")
        if not sep or not codes:
            raise QueryError("cut", f"expected dimension:member[,member...], got {part[:60]!r}")
        if dimension in cut:
            raise QueryError("cut", f"{dimension} is cut twice")
        cut[dimension] = tuple(c for c in codes.split(",") if c)
    return cut


@published_api.get("/published")
def index() -> Response:
    _args("index")
    state = current_app.extensions[EXTENSION]
    store = state.current()
    tables = [] if store is None else store.tables
    body = {
        "cubes": sorted({t.cube for t in tables}),
        "tables": [
            {
                "cube": t.cube,
                "cross_classification": t.classification(),
                "measures": sorted(t.measures),
                "provenance": dict(t.provenance),
            }
            for t in tables
        ],
    }
    return Response(json.dumps(body), mimetype="application/json")


@published_api.get("/published/<cube>/model")
def model(cube: str) -> Response:
    _args("model")
    store = _store()
    tables = [t for t in store.tables if t.cube == cube]
    if not tables:
        raise NotFound("cube", f"no published cube {cube!r}", store.cubes())
    dims: dict[str, list[str]] = {}
    for t in tables:
        levels = dims.setdefault(t.dimension, [])
        levels.extend(lv for lv in t.levels if lv not in levels)
    body = {
        "name": cube,
        "label": published_choice.CUBE_LABELS[cube],
        "dimensions": [
            {"name": d, "levels": dims.get(d, [d])} for d in published_choice.dimensions_of(cube)
        ],
        "measures": sorted({m for t in tables for m in t.measures}),
        "cross_classifications": sorted({t.classification() for t in tables}),
        "tables": [_table_json(t) for t in tables],
        # the members of the dimensions every table has besides its rows (sex, status...)
        "free_members": {
            name: [{"key": k, "label": label} for k, label in published_choice.FREE_MEMBERS[name]]
            for name in published_choice.FREE_TOTALS[cube]
        },
    }
    return Response(json.dumps(body), mimetype="application/json")


def _table_json(t: published_choice.TableInfo) -> dict[str, Any]:
    """One table's cross-classification as a page needs it to offer only what exists: its
    classifying dimension and levels, the other dimensions it classifies by, its measures
    and the selector members (year and release, or area and round) that pick it."""
    return {
        "table": t.provenance.get("table", t.table_no),
        "dimension": t.dimension,
        "levels": list(t.levels),
        "free": sorted(t.free),
        "measures": sorted(t.measures),
        "selectors": {
            name: str(published_choice.selector(t, name))
            for name in published_choice.SELECTORS[t.cube]
        },
        "provenance": dict(t.provenance),
    }


@published_api.get("/published/<cube>/members/<dimension>")
def members(cube: str, dimension: str) -> Response:
    args = _args("members")
    store = _store()
    tables = [t for t in store.tables if t.cube == cube and t.dimension == dimension]
    if not tables:
        raise NotFound("dimension", f"no published table of {cube} is by {dimension}", [])
    level = args.get("level")
    seen: dict[str, dict[str, Any]] = {}
    for t in tables:
        for m in store.members[t.key]:
            if level is None or m.level == level:
                seen.setdefault(
                    m.code,
                    {"key": m.code, "label": m.label, "level": m.level, "parent": m.parent},
                )
    if not seen:
        levels = sorted({lv for t in tables for lv in t.levels})
        raise QueryError("level", f"no members at level {level!r}", levels)
    return Response(json.dumps({"members": list(seen.values())}), mimetype="application/json")


@published_api.get("/published/<cube>/crosstab")
def crosstab(cube: str) -> Response:
    args = _args("crosstab")
    if "rows" not in args:
        raise QueryError("rows", "a cross-tab needs rows=dimension[:level]")
    if "measure" not in args:
        raise QueryError("measure", "a published cross-tab needs measure=NAME")
    fmt = args.get("format", "json")
    if fmt not in ("json", "csv"):
        raise QueryError("format", f"unknown format {fmt!r}", ["json", "csv"])
    axes = [_axis("rows", args["rows"])]
    if args.get("columns"):
        axes.append(_axis("columns", args["columns"]))
    query = published_choice.PublishedQuery(
        cube, tuple(axes), args["measure"], _cut(args.get("cut", ""))
    )
    result = published.crosstab(_store(), query)
    if fmt == "csv":
        return Response(_csv(result), mimetype="text/csv")
    response = Response(orjson.dumps(_json(result)), mimetype="application/json")
    response.headers["Cache-Control"] = "public, max-age=60"
    return response


def _axis_json(axis: published.AxisResult) -> dict[str, Any]:
    return {
        "dimension": axis.dimension,
        "level": axis.level,
        "members": [{"key": k, "label": label} for k, label in axis.members],
    }


def _json(result: published.PublishedResult) -> dict[str, Any]:
    body: dict[str, Any] = {
        "cube": result.table.cube,
        "measure": result.measure,
        "rows": _axis_json(result.axes[0]),
    }
    if len(result.axes) > 1:
        body["columns"] = _axis_json(result.axes[1])
    body["fixed"] = result.fixed
    body["cells"] = result.cells if len(result.axes) > 1 else [row for row in result.cells]
    body["provenance"] = dict(result.table.provenance)
    return body


def _csv(result: published.PublishedResult) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    p = result.table.provenance
    rows = result.axes[0]
    cols = result.axes[1] if len(result.axes) > 1 else None
    header = [rows.dimension, f"{rows.dimension}_label"]
    if cols:
        header += [cols.dimension, f"{cols.dimension}_label"]
    header += [result.measure, "flag", "cv", "reason", "source_cell", "publication", "table"]
    header += ["published_year", "release", "area", "attribution"]
    writer.writerow(header)
    for i, (rcode, rlabel) in enumerate(rows.members):
        for j, (ccode, clabel) in enumerate(cols.members if cols else [("", "")]):
            cell = result.cells[i][j]
            line: list[Any] = [rcode, rlabel] + ([ccode, clabel] if cols else [])
            line += [
                "" if cell["value"] is None else cell["value"],
                cell["flag"],
                cell.get("cv", ""),
                cell.get("reason") or cell.get("note") or "",
                cell.get("source", ""),
                p["publication"],
                p["table"],
                p["year"],
                p["release"],
                p["area"],
                p["attribution"],
            ]
            writer.writerow(line)
    return out.getvalue()


@published_api.get("/published/<cube>/aggregate")
def aggregate(cube: str) -> Response:
    """Slicer's aggregate: one record per published figure of the drilldown (at most two
    dimensions), with no summary: a total is a published member, never a sum."""
    args = _args("aggregate")
    if "aggregates" not in args:
        raise QueryError("aggregates", "name the published measure: aggregates=NAME")
    drilldown = [d for d in args.get("drilldown", "").split("|") if d]
    if len(drilldown) > 2:
        raise QueryError("drilldown", "a published table has at most two axes here")
    axes = tuple(_axis("drilldown", d) for d in drilldown)
    measure = args["aggregates"]
    query = published_choice.PublishedQuery(cube, axes, measure, _cut(args.get("cut", "")))
    result = published.crosstab(_store(), query)
    records = []
    columns = result.axes[1].members if len(result.axes) > 1 else [("", "")]
    rows = result.axes[0].members if result.axes else [("", "")]
    for i, (rcode, rlabel) in enumerate(rows):
        for j, (ccode, clabel) in enumerate(columns):
            record: dict[str, Any] = {}
            for axis, code, label in zip(
                result.axes, (rcode, ccode), (rlabel, clabel), strict=False
            ):
                record[axis.dimension] = code
                record[f"{axis.dimension}.label"] = label
            cell = result.cells[i][j]
            record[measure] = cell["value"]
            record.update({k: v for k, v in cell.items() if k != "value"})
            records.append(record)
    body = {
        "aggregates": [measure],
        "drilldown": [a.dimension for a in result.axes],
        "cells": records,
        "fixed": result.fixed,
        "provenance": dict(result.table.provenance),
    }
    return Response(orjson.dumps(body), mimetype="application/json")


@published_api.get("/published/<cube>/cell")
def cell(cube: str) -> Response:
    """One published figure: the cut names its members, the rest are the table's totals."""
    args = _args("cell")
    if "aggregates" not in args:
        raise QueryError("aggregates", "name the published measure: aggregates=NAME")
    query = published_choice.PublishedQuery(cube, (), args["aggregates"], _cut(args.get("cut", "")))
    try:
        result = published.crosstab(_store(), query)
    except QueryError as exc:  # the engine names the measure field `measures`
        if exc.parameter != "measures":
            raise
        raise QueryError("aggregates", exc.message, exc.choices) from exc
    body = {
        "cut": result.fixed,
        "cell": result.cells[0][0],
        "provenance": dict(result.table.provenance),
    }
    return Response(orjson.dumps(body), mimetype="application/json")
