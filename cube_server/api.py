"""The HTTP endpoints: parse and check parameters, call the engine, render the result.

No query logic lives here. Responses carry an ETag keyed to the data vintage and the
request, so browsers and proxies revalidate cheaply; rendered bodies are cached in process
until a new load is swapped in.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from importlib import resources
from typing import Any

import orjson
from flask import Blueprint, Response, current_app, request

from aggregates.errors import NotFound, QueryError
from cube_server import formats, params
from cube_server.openapi import openapi_document
from cube_server.state import Served, WarehouseState

api = Blueprint("api", __name__, static_folder="static", static_url_path="/static")


def _state() -> WarehouseState:
    return current_app.extensions["lmi_cubes"]


def cached(view: Callable[..., tuple[str | bytes, str]]) -> Callable[..., Response]:
    """Serve a rendered body from the in-process cache, else render and keep it.

    The key includes the warehouse file's identity, so a swapped-in load starts afresh;
    only successful renders are kept, so a hit needs no parsing or validation at all.
    The ETag is keyed to the data vintage and the request.
    """

    @functools.wraps(view)
    def wrapper(**kwargs: Any) -> Response:
        state = _state()
        served = state.current()
        args = tuple(sorted(request.args.items(multi=True)))
        key = (served.identity, request.path, args)
        hit = state.cache.get(key)
        if hit is None:
            body, mimetype = view(served=served, **kwargs)
            etag = hashlib.sha256(repr((served.vintage, key[1:])).encode()).hexdigest()[:20]
            hit = (body.encode() if isinstance(body, str) else body, mimetype, etag)
            state.cache.put(key, hit)
        body, mimetype, etag = hit
        response = Response(body, mimetype=mimetype)
        response.set_etag(etag)
        response.headers["Cache-Control"] = "public, max-age=60, must-revalidate"
        response.headers["X-Data-Vintage"] = served.vintage
        response.make_conditional(request)  # turns it into a 304 when the ETag matches
        return response

    return wrapper


def _json(data: Any) -> tuple[bytes, str]:
    return orjson.dumps(data), "application/json"


def _plain(value: Any) -> Any:
    """numpy scalars from the dimension table as JSON-ready Python values."""
    return value.item() if hasattr(value, "item") else value


def _split(text: str | None) -> list[str]:
    return [part for part in (text or "").split("|") if part.strip()]


@api.get("/cubes")
@cached
def cubes(served: Served) -> tuple[str | bytes, str]:
    params.parse("cubes", request.args)
    return _json(
        [
            {"name": c.name, "label": c.label, "description": c.description}
            for c in served.engine.model.cubes
        ]
    )


@api.get("/cube/<cube>/model")
@cached
def model(cube: str, served: Served) -> tuple[str | bytes, str]:
    params.parse("model", request.args)
    c = served.engine.model.cube(cube)
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
            "measures": [{"name": n, "label": m.get("label", n)} for n, m in c.measures.items()],
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


@api.get("/cube/<cube>/members/<dimension>")
@cached
def members(cube: str, dimension: str, served: Served) -> tuple[str | bytes, str]:
    p = params.parse("members", request.args)
    engine = served.engine
    c = engine.model.cube(cube)
    dim = c.dimension(dimension, "dimension")
    hierarchy = dim.hierarchy(p["hierarchy"], "hierarchy")
    level = hierarchy.level(p["level"], "level") if p["level"] else hierarchy.levels[-1]
    # the engine resolves the cut and the members it leaves, as for an axis
    query = engine.query(
        cube,
        axes=[f"{dim.name}@{hierarchy.name}:{level.name}"],
        measures=[c.reliability.weight],
        cut=p["cut"],
        axis_parameters=("level",),
    )
    table = engine.catalog.table(dim).drop_duplicates(level.key).set_index(level.key)
    path_levels = hierarchy.levels[: hierarchy.levels.index(level) + 1]
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
                        int(str(table.at[k, lv.key])) if lv is not level else k
                        for lv in path_levels
                    ],
                }
                for k in query.axes[0].keys
            ],
        }
    )


@api.get("/cube/<cube>/aggregate")
@cached
def aggregate(cube: str, served: Served) -> tuple[str | bytes, str]:
    p = params.parse("aggregate", request.args)
    if p["page"] < 0:
        raise QueryError("page", "must be 0 or more")
    if not 1 <= p["pagesize"] <= 10000:
        raise QueryError("pagesize", "must be between 1 and 10000")
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
    result = served.engine.run(query)
    summary, cells = formats.aggregate_cells(result)
    if order:
        name, descending = order
        present = [x for x in cells if x.get(name) is not None]
        missing = [x for x in cells if x.get(name) is None]
        cells = sorted(present, key=lambda x: x[name], reverse=descending) + missing
    start = p["page"] * p["pagesize"]
    page = cells[start : start + p["pagesize"]]
    if p["format"] == "csv":
        return formats.records_csv(page), "text/csv"
    return _json(
        {
            "summary": summary,
            "cells": page,
            "total_cell_count": len(cells),
            "aggregates": [m.name for m in query.measures],
            "levels": {a.dimension.name: [a.level.name] for a in query.axes},
            "page": p["page"],
            "pagesize": p["pagesize"],
            "table": result.table,
            "vintage": result.vintage,
            **({"defaults": {"year": query.default_year}} if query.default_year else {}),
        }
    )


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
@cached
def crosstab(cube: str, served: Served) -> tuple[str | bytes, str]:
    p = params.parse("crosstab", request.args)
    c = served.engine.model.cube(cube)
    if not p["rows"]:
        dims = [d.name for d in c.dimensions]
        raise QueryError("rows", "a cross-tab needs rows=dimension[:level]", dims)
    if p["layout"] != "tidy" and p["format"] != "csv":
        raise QueryError("layout", "layout applies to format=csv only", ["tidy"])
    query = served.engine.query(
        cube,
        axes=[p["rows"]] + ([p["columns"]] if p["columns"] else []),
        measures=[p["measure"] or c.default_measure],
        cut=p["cut"],
        age=p["age"],
        decile=p["decile"],
        year_from=p["from"],
        year_to=p["to"],
        fallback=p["fallback"],
    )
    result = served.engine.run(query)
    if p["format"] == "csv":
        return formats.crosstab_csv(result, p["layout"], p["margins"]), "text/csv"
    return _json(formats.crosstab_json(result, p["margins"]))


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
    document = openapi_document(_state().model)
    for extend in current_app.extensions.get("openapi_extensions", []):
        extend(document)  # paths of other blueprints (/api/v1)
    return Response(json.dumps(document), mimetype="application/json")


def _page(name: str) -> Response:
    text = resources.files("cube_server").joinpath(f"static/{name}").read_text("utf-8")
    return Response(text, mimetype="text/html")


@api.get("/")
@api.get("/explorer")
def explorer() -> Response:
    return _page("explorer.html")


@api.get("/widget")
def widget() -> Response:
    return _page("widget.html")


@api.get("/docs")
def docs() -> Response:
    return _page("api.html")
