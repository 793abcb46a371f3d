"""The HTTP endpoints: parse and check parameters, call the engine, render the result.

No query logic lives here. Responses carry an ETag keyed to the data vintage and the
request, so browsers and proxies revalidate cheaply; rendered bodies are cached in process
until a new load is swapped in.
"""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from typing import Any

from flask import Blueprint, Response, current_app, request

from aggregates.engine import Engine
from aggregates.errors import NotFound, QueryError
from cube_server import formats, params
from cube_server.openapi import openapi_document
from cube_server.state import Served, WarehouseState

api = Blueprint("api", __name__)


def _state() -> WarehouseState:
    return current_app.extensions["lmi_cubes"]


def _respond(served: Served, endpoint: str, render: Any) -> Response:
    """Serve from the cache or render; set ETag/Cache-Control keyed to the vintage."""
    state = _state()
    args = tuple(sorted(request.args.items(multi=True)))
    key = (served.identity, request.path, args)
    etag = hashlib.sha256(repr((served.vintage, request.path, args)).encode()).hexdigest()[:20]
    cached = state.cache.get(key)
    if cached is None:
        body, mimetype = render(served.engine)
        cached = (body.encode() if isinstance(body, str) else body, mimetype)
        state.cache.put(key, cached)
    body, mimetype = cached
    response = Response(body, mimetype=mimetype)
    response.set_etag(etag)
    response.headers["Cache-Control"] = "public, max-age=60, must-revalidate"
    response.headers["X-Data-Vintage"] = served.vintage
    return response.make_conditional(request)


def _json(data: Any) -> tuple[str, str]:
    return json.dumps(data, separators=(",", ":"), allow_nan=False), "application/json"


def _split(text: str | None) -> list[str]:
    return [part for part in (text or "").split("|") if part.strip()]


@api.get("/cubes")
def cubes() -> Response:
    params.parse("cubes", request.args)
    served = _state().current()
    return _respond(
        served,
        "cubes",
        lambda e: _json(
            [
                {"name": c.name, "label": c.label, "description": c.description}
                for c in e.model.cubes
            ]
        ),
    )


@api.get("/cube/<cube>/model")
def model(cube: str) -> Response:
    params.parse("model", request.args)
    served = _state().current()
    c = served.engine.model.cube(cube)

    def render(_e: Engine) -> tuple[str, str]:
        return _json(
            {
                "name": c.name,
                "label": c.label,
                "description": c.description,
                "dimensions": [
                    {
                        "name": d.name,
                        "label": d.label,
                        "role": d.role,
                        "levels": [
                            {
                                "name": lv.name,
                                "label": lv.label,
                                "key": lv.key,
                                "label_attribute": lv.label_attribute,
                                "attributes": list(lv.attributes),
                            }
                            for lv in d.levels
                        ],
                        "hierarchies": [
                            {"name": h.name, "levels": h.level_names} for h in d.hierarchies
                        ],
                        "default_hierarchy_name": d.default_hierarchy,
                    }
                    for d in c.dimensions
                ],
                "measures": [
                    {"name": n, "label": m.get("label", n)} for n, m in c.measures.items()
                ],
                "aggregates": [
                    {
                        "name": a.name,
                        "label": a.label,
                        "parameters": list(a.parameters),
                        "rounding": a.round_to,
                    }
                    for a in c.aggregates
                    if a.public
                ],
                "default_measure": c.default_measure,
                "reliability": {
                    "weight": c.reliability.weight,
                    "suppress_below": c.reliability.suppress_below,
                    "reliable_from": c.reliability.reliable_from,
                    "messages": c.reliability.messages,
                },
                "max_cells": c.max_cells,
            }
        )

    return _respond(served, "model", render)


@api.get("/cube/<cube>/members/<dimension>")
def members(cube: str, dimension: str) -> Response:
    p = params.parse("members", request.args)
    served = _state().current()
    engine = served.engine
    c = engine.model.cube(cube)
    dim = c.dimension(dimension, "dimension")
    hierarchy = dim.hierarchy(p["hierarchy"], "hierarchy")
    level = hierarchy.level(p["level"], "level") if p["level"] else hierarchy.levels[-1]
    # the engine resolves the cut and the members left by it, as for an axis
    query = engine.query(
        cube,
        axes=[f"{dim.name}@{hierarchy.name}:{level.name}"],
        measures=[c.reliability.weight],
        cut=p["cut"],
        axis_parameters=("level",),
    )
    keys = query.axes[0].keys
    table = engine.catalog.table(dim)
    path_levels = hierarchy.levels[: hierarchy.levels.index(level) + 1]
    paths = table.drop_duplicates(level.key).set_index(level.key)

    def render(_e: Engine) -> tuple[str, str]:
        return _json(
            {
                "dimension": dim.name,
                "hierarchy": hierarchy.name,
                "level": level.name,
                "members": [
                    {
                        "key": k,
                        "label": engine.catalog.label(dim, level, k),
                        "path": [
                            int(paths.at[k, lv.key]) if lv is not level else k for lv in path_levels
                        ],
                    }
                    for k in keys
                ],
            }
        )

    return _respond(served, "members", render)


@api.get("/cube/<cube>/aggregate")
def aggregate(cube: str) -> Response:
    p = params.parse("aggregate", request.args)
    if p["page"] < 0:
        raise QueryError("page", "must be 0 or more")
    if not 1 <= p["pagesize"] <= 10000:
        raise QueryError("pagesize", "must be between 1 and 10000")
    served = _state().current()
    c = served.engine.model.cube(cube)
    query = served.engine.query(
        cube,
        axes=_split(p["drilldown"]),
        measures=_split(p["aggregates"]) or [c.default_measure],
        cut=p["cut"],
        age=p["age"],
        decile=p["decile"],
        year_from=p["from"],
        year_to=p["to"],
        axis_parameters=("drilldown",),
        measure_parameter="aggregates",
    )
    order = _order(p["order"], query)

    def render(engine: Engine) -> tuple[str, str]:
        result = engine.run(query)
        summary, cells = formats.aggregate_cells(result)
        if order:
            name, descending = order
            present = [x for x in cells if x.get(name) is not None]
            missing = [x for x in cells if x.get(name) is None]
            cells = sorted(present, key=lambda x: x[name], reverse=descending) + missing
        total = len(cells)
        start = p["page"] * p["pagesize"]
        page = cells[start : start + p["pagesize"]]
        if p["format"] == "csv":
            return formats.records_csv(page), "text/csv"
        return _json(
            {
                "summary": summary,
                "cells": page,
                "total_cell_count": total,
                "aggregates": [m.name for m in query.measures],
                "levels": {a.dimension.name: [a.level.name] for a in query.axes},
                "page": p["page"],
                "pagesize": p["pagesize"],
                "table": result.table,
                "vintage": result.vintage,
                **({"defaults": {"year": query.default_year}} if query.default_year else {}),
            }
        )

    return _respond(served, "aggregate", render)


def _order(text: str | None, query: Any) -> tuple[str, bool] | None:
    if not text:
        return None
    name, _, direction = text.partition(":")
    if direction not in ("", "asc", "desc"):
        raise QueryError("order", f"direction {direction!r} must be asc or desc", ["asc", "desc"])
    choices = [m.name for m in query.measures]
    for axis in query.axes:
        choices.append(f"{axis.dimension.name}.{axis.level.key}")
        if name == axis.dimension.name:
            name = f"{axis.dimension.name}.{axis.level.key}"
    if name not in choices:
        raise QueryError("order", f"cannot order by {name!r}", choices)
    return name, direction == "desc"


@api.get("/cube/<cube>/crosstab")
def crosstab(cube: str) -> Response:
    p = params.parse("crosstab", request.args)
    if not p["rows"]:
        served = _state().current()
        dims = [d.name for d in served.engine.model.cube(cube).dimensions]
        raise QueryError("rows", "a cross-tab needs rows=dimension[:level]", dims)
    if p["layout"] != "tidy" and p["format"] != "csv":
        raise QueryError("layout", "layout applies to format=csv only", ["tidy"])
    served = _state().current()
    c = served.engine.model.cube(cube)
    axes = [p["rows"]] + ([p["columns"]] if p["columns"] else [])
    query = served.engine.query(
        cube,
        axes=axes,
        measures=[p["measure"] or c.default_measure],
        cut=p["cut"],
        age=p["age"],
        decile=p["decile"],
        year_from=p["from"],
        year_to=p["to"],
        fallback=p["fallback"],
    )

    def render(engine: Engine) -> tuple[str, str]:
        result = engine.run(query)
        if p["format"] == "csv":
            return formats.crosstab_csv(result, p["layout"], p["margins"]), "text/csv"
        return _json(formats.crosstab_json(result, p["margins"]))

    return _respond(served, "crosstab", render)


@api.get("/health")
def health() -> Response:
    params.parse("health", request.args)
    state = _state()
    try:
        served = state.current()
    except FileNotFoundError:
        raise NotFound("warehouse", "no warehouse has been loaded yet") from None
    body = {
        "status": "ok",
        "vintage": served.vintage,
        "loaded_at": served.loaded_at,
        "row_counts": served.row_counts,
        "warehouse": str(state.path),
        "cubes": [c.name for c in served.engine.model.cubes],
    }
    response = Response(json.dumps(body), mimetype="application/json")
    response.headers["Cache-Control"] = "no-store"
    return response


@api.get("/openapi.json")
def openapi() -> Response:
    model = _state().model
    return Response(json.dumps(openapi_document(model)), mimetype="application/json")


@api.get("/")
@api.get("/docs")
def explorer() -> Response:
    page = resources.files("cube_server").joinpath("static/explorer.html").read_text("utf-8")
    return Response(page, mimetype="text/html")
