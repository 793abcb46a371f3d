"""The Cubes Slicer endpoints: /info, /version, /cubes, model, members, aggregate, cell, report.

Shapes follow the Cubes server (`cubes/server/blueprint.py`) so its clients work unchanged;
our additions are extra keys they ignore. `/facts` and `/fact/<id>` exist only to say why
individual rows are not served: they are the small modelled cells the reliability policy
withholds.
"""

from __future__ import annotations

import contextlib
import csv
import io
from collections.abc import Iterator
from typing import Any

import orjson
from flask import Blueprint, Response, request
from werkzeug.datastructures import MultiDict

from lmi_cubes.aggregates.cuts import MAX_CUT_PARTS, parse_cuts
from lmi_cubes.aggregates.engine import Engine
from lmi_cubes.aggregates.query import Request
from lmi_cubes.cube_server import (
    VERSION,
    errors,
    limits,
    params,
    slicer,
    slicer_aggregate,
    slicer_cells,
)
from lmi_cubes.cube_server.published_slicer import cube_entries
from lmi_cubes.cube_server.responses import as_json, cached, state
from lmi_cubes.cube_server.state import Served
from lmi_cubes.model.errors import QueryError

slicer_api = Blueprint("slicer", __name__)

WITHHELD = (
    "individual fact rows are not published: they are modelled cells, most of them below "
    "the weight of 1,000 under which values are withheld (no reliable data available); "
    "use /aggregate, where every record carries its reliability flag"
)


class Withheld(QueryError):
    """A request for data the reliability policy never publishes."""

    status = 403


def _info(served: Served) -> dict[str, Any]:
    model = served.engine.model
    return {
        "label": "lmi-cubes",
        "description": "UK labour-market information: employment, pay, hours and projections; "
        "every cell carries a reliability flag and small cells are withheld",
        "json_record_limit": max(c.max_cells for c in model.cubes),
        "cubes_version": VERSION,
        "api_version": slicer.API_VERSION,
        "timezone": "UTC",
        "first_weekday": 0,
        "authentication": {"type": "none"},
        "cubes": [c.name for c in model.cubes],
        "vintage": served.vintage,
    }


@slicer_api.get("/info")
@cached("info")
def info(served: Served, p: dict[str, Any]) -> tuple[bytes, str]:
    return as_json(_info(served), p)


@slicer_api.get("/version")
@cached("version")
def version(served: Served, p: dict[str, Any]) -> tuple[bytes, str]:
    v = VERSION
    return as_json({"version": v, "server_version": v, "api_version": slicer.API_VERSION}, p)


@slicer_api.get("/cubes")
@cached("cubes")
def cubes(served: Served, p: dict[str, Any]) -> tuple[bytes, str]:
    return as_json(
        [
            {
                "name": c.name,
                "label": c.label,
                "description": c.description,
                "category": c.category,
                "info": {},
            }
            for c in served.engine.model.cubes
        ]
        + cube_entries(),
        p,
    )


@slicer_api.get("/cube/<cube>/model")
@cached("model")
def model(cube: str, served: Served, p: dict[str, Any]) -> tuple[bytes, str]:
    engine = served.engine
    return as_json(slicer.model_dict(engine.model.cube(cube), engine.catalog), p)


def members_body(engine: Engine, cube: str, dimension: str, p: dict[str, Any]) -> dict[str, Any]:
    c = engine.model.cube(cube)
    dim = c.dimension(dimension, "dimension")
    hierarchy = dim.hierarchy(p["hierarchy"], "hierarchy")
    n = len(hierarchy.levels)
    if p["depth"] is not None and p["level"]:
        raise QueryError("depth", "give depth or level, not both", ["depth", "level"])
    if p["depth"] is not None:
        if not 1 <= p["depth"] <= n:
            raise QueryError("depth", f"must be 1..{n}", [str(i) for i in range(1, n + 1)])
        level = hierarchy.levels[p["depth"] - 1]
    else:
        level = hierarchy.level(p["level"], "level") if p["level"] else hierarchy.levels[-1]
    # the engine resolves the cut and the members it leaves, as for an axis, and orders
    # and pages them without running the query (so no measure is an order key)
    query = engine.query(
        Request(
            cube,
            axes=(f"{dim.name}@{hierarchy.name}:{level.name}",),
            measures=(c.reliability.weight,),
            cut=p["cut"],
        ),
        c,
    )
    cells = engine.cells(query)
    page = cells.page(cells.resolve(params.order(p["order"])), p["page"], params.page_size(p, None))
    records = slicer.member_records(engine.catalog, dim, hierarchy, level)
    keys = query.axes[0].keys
    attributes = [
        slicer.ref(dim, a) for x in slicer.path_levels(hierarchy, level) for a in x.attributes
    ]
    return {
        "dimension": dim.name,
        "hierarchy": hierarchy.name,
        "depth": hierarchy.levels.index(level) + 1,
        "level": level.name,
        "data": [records[keys[i]] for (i,) in page.positions],
        "total_member_count": page.total,
        "attributes": attributes,
        "labels": [
            slicer.attribute_label(x, a)
            for x in slicer.path_levels(hierarchy, level)
            for a in x.attributes
        ],
    }


@slicer_api.get("/cube/<cube>/members/<dimension>")
@cached("members")
def members(cube: str, dimension: str, served: Served, p: dict[str, Any]) -> tuple[Any, str]:
    body = members_body(served.engine, cube, dimension, p)
    if p["format"] == "json_lines":
        lines = b"".join(orjson.dumps(r) + b"\n" for r in body["data"])
        return lines, "application/x-json-lines"
    if p["format"] == "csv":
        header = {"labels": body["labels"], "names": body["attributes"], "none": None}
        return _csv(body["data"], body["attributes"], header[p["header"]]), "text/csv"
    return as_json(body, p)


@slicer_api.get("/cube/<cube>/aggregate")
@cached("aggregate")
def aggregate(cube: str, served: Served, p: dict[str, Any]) -> tuple[Any, str]:
    body = slicer_aggregate.run(served.engine, cube, p)
    if p["format"] == "csv":
        fields, header = slicer_aggregate.csv_fields(
            served.engine, cube, body, p["header"], p["fallback"]
        )
        return _csv(body["cells"], fields, header), "text/csv"
    return as_json(body, p)


def _text(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dict):  # filled_from: the group a withheld cell was filled from
        return f"{value['dimension']}:{value['level']}:{value['key']}"
    return value


def _csv(records: list[dict[str, Any]], fields: list[str], header: list[str] | None) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if header is not None:
        writer.writerow(header)
    for r in records:
        writer.writerow([_text(r.get(f)) for f in fields])
    return buffer.getvalue()


def cell_body(engine: Engine, cube: str, cut: str | None, dimension: str | None) -> dict[str, Any]:
    """Cubes' `Cell.to_dict()` with each cut's `details` (every level's attributes)."""
    c = engine.model.cube(cube)
    if dimension:
        c.dimension(dimension, "dimension")
    cuts = []
    for spec in parse_cuts(cut):
        engine.catalog.resolve_cut(c, spec)  # checks names and members, as any query does
        if dimension and spec.dimension != dimension:
            continue
        out = slicer_cells.cut_dict(spec)
        out["details"] = slicer_cells.cut_details(engine.catalog, c, spec)
        cuts.append(out)
    return {"cube": c.name, "cuts": cuts}


@slicer_api.get("/cube/<cube>/cell")
@cached("cell")
def cell(cube: str, served: Served, p: dict[str, Any]) -> tuple[bytes, str]:
    return as_json(cell_body(served.engine, cube, p["cut"], p["dimension"]), p)


@slicer_api.get("/cube/<cube>/facts")
def facts(cube: str) -> Response:
    state().current().engine.model.cube(cube)  # an unknown cube is a 404 first
    raise Withheld("facts", WITHHELD, ["aggregate", "members", "cell", "report"])


@slicer_api.get("/cube/<cube>/fact/<fact_id>")
def fact(cube: str, fact_id: str) -> Response:
    state().current().engine.model.cube(cube)
    raise Withheld("fact", WITHHELD, ["aggregate", "members", "cell", "report"])


@slicer_api.route("/cube/<cube>/report", methods=["GET", "POST"])
def report(cube: str) -> Response:
    """Several queries in one request (Cubes' `browser.report`); not cached, as a body
    is part of the request. Errors name the query: `queries.<name>.<parameter>`. Every query
    is resolved before any runs, so the request's whole cost is checked first."""
    p = params.parse("cell", request.args)
    engine = state().current().engine
    engine.model.cube(cube)
    spec = _report_body()
    bounds = limits.limits()
    if len(spec["queries"]) > bounds.report_queries:
        raise limits.OverBudget(
            "queries",
            f"a report may hold at most {bounds.report_queries} queries, not "
            f"{len(spec['queries'])}; split it into several reports",
        )
    cut = p["cut"]
    if spec.get("cell") is not None:  # replaces the URL's cut, as in Cubes
        if not isinstance(spec["cell"], list):
            raise QueryError("cell", "cell must be a list of cuts")
        if len(spec["cell"]) > MAX_CUT_PARTS:
            raise QueryError("cell", f"cell may list at most {MAX_CUT_PARTS} cuts")
        cut = "|".join(slicer_cells.cut_string(x) for x in spec["cell"]) or None
    planned = {}
    for name, query in spec["queries"].items():
        with _named(name, query):
            planned[name] = _plan_query(engine, cube, cut, query)
    cells = sum(x[1].cells for x in planned.values() if x is not None)
    limits.charge(cells, "queries", "split it into several reports, or ask for fewer aggregates")
    result = {}
    for name, query in spec["queries"].items():
        limits.check_time()
        with _named(name, query):
            result[name] = _run_query(engine, cube, cut, query, planned[name])
    body = orjson.dumps(result)
    limits.check_response(len(body))
    return Response(body, mimetype="application/json")


def _report_body() -> dict[str, Any]:
    """The JSON body, bounded in bytes (the app's body limit) and in nesting."""
    data = request.get_data(cache=False)
    problem = "the body must be JSON with a 'queries' object"
    try:
        spec = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        if "depth" in str(exc):
            problem = "the body is nested too deeply"
        raise QueryError("queries", problem, ["queries"]) from None
    if limits.too_deep(spec, limits.limits().json_depth):
        raise QueryError("queries", "the body is nested too deeply", ["queries"])
    if not isinstance(spec, dict) or not isinstance(spec.get("queries"), dict):
        raise QueryError("queries", problem, ["queries"])
    return spec


@contextlib.contextmanager
def _named(name: str, query: Any) -> Iterator[None]:
    """A query's errors name it: `queries.<name>.<parameter>`."""
    try:
        yield
    except QueryError as exc:
        kind = query.get("query") if isinstance(query, dict) else None
        field = errors.parameter_of("members" if kind == "values" else str(kind), exc.parameter)
        raise type(exc)(f"queries.{name[:80]}.{field}", exc.message, exc.choices) from None


def _plan_query(engine: Engine, cube: str, cut: str | None, query: Any) -> Any:
    """What an aggregate query will run (its cost is counted before anything runs); the
    other kinds are cheap and checked when they run."""
    if not isinstance(query, dict) or not isinstance(query.get("query"), str):
        raise QueryError("query", "each query needs a 'query' type", REPORT_TYPES)
    if query["query"] != "aggregate":
        return None
    cut = _rollup(engine, cube, cut, query.get("rollup"))
    args = _args(query, ("drilldown", "aggregates", "order", "page", "page_size", "pagesize",
                         "split", "age", "decile", "from", "to", "fallback"))  # fmt: skip
    args.setlist("cut", [cut] if cut else [])
    p = params.parse("aggregate", args)
    return p, slicer_aggregate.plan(engine, cube, p)


def _run_query(engine: Engine, cube: str, cut: str | None, query: Any, planned: Any) -> Any:
    kind = query["query"]
    if planned is not None:
        p, plan = planned
        return slicer_aggregate.execute(engine, plan, p)
    cut = _rollup(engine, cube, cut, query.get("rollup"))
    if kind in ("members", "values"):
        args = _args(query, ("depth", "level", "hierarchy", "page", "page_size", "pagesize",
                             "order"))  # fmt: skip
        args.setlist("cut", [cut] if cut else [])
        dimension = query.get("dimension")
        if not isinstance(dimension, str):
            raise QueryError("dimension", "a members query needs a dimension")
        return members_body(engine, cube, dimension, params.parse("members", args))
    if kind in ("cell", "details"):
        body = cell_body(engine, cube, cut, query.get("dimension"))
        return body if kind == "cell" else [c["details"] for c in body["cuts"]]
    if kind in ("facts", "fact"):
        raise Withheld("query", WITHHELD, REPORT_TYPES)
    raise QueryError("query", f"unknown report query {kind!r}", REPORT_TYPES)


REPORT_TYPES = ["aggregate", "members", "values", "cell", "details"]


def _args(query: dict[str, Any], allowed: tuple[str, ...]) -> MultiDict[str, str]:
    """A report query's JSON values as URL parameters: lists become repeats (combined as
    in a URL), a {dimension: level} drilldown becomes dimension:level."""
    args: MultiDict[str, str] = MultiDict()
    for key, value in query.items():
        if key in ("query", "rollup", "dimension"):
            continue
        if key not in allowed:
            raise QueryError(key, "unknown parameter for this query", list(allowed))
        if key == "drilldown" and isinstance(value, dict):
            value = [f"{d}:{lv}" if lv else d for d, lv in value.items()]
        if key == "order" and isinstance(value, list):
            value = [":".join(map(str, v)) if isinstance(v, list) else v for v in value]
        for v in value if isinstance(value, list) else [value]:
            if isinstance(v, bool):
                v = "true" if v else "false"
            if not isinstance(v, str | int):
                raise QueryError(key, f"{v!r} is not a string or a number")
            args.add(key, str(v))
    return args


def _rollup(engine: Engine, cube: str, cut: str | None, rollup: Any) -> str | None:
    """Cubes' report `rollup`: a dimension (or list) goes up one level of its point cut; a
    {dimension: level} mapping goes up to that level."""
    if not rollup:
        return cut
    targets = {rollup: None} if isinstance(rollup, str) else rollup
    if isinstance(targets, list):
        targets = dict.fromkeys(targets)
    if not isinstance(targets, dict):
        raise QueryError("rollup", "a dimension, a list of them or {dimension: level}")
    c = engine.model.cube(cube)
    out = []
    for spec in parse_cuts(cut):
        d = slicer_cells.cut_dict(spec)
        if spec.dimension in targets and spec.kind == "point":
            dim = c.dimension(spec.dimension, "rollup")
            hierarchy = dim.hierarchy(spec.hierarchy, "rollup")
            level = targets[spec.dimension]
            depth = len(d["path"]) - 1
            if level:
                depth = hierarchy.levels.index(hierarchy.level(str(level), "rollup")) + 1
            d["path"] = d["path"][:depth]
            if not d["path"]:
                continue
        out.append(slicer_cells.cut_string(d))
    return "|".join(out) or None
