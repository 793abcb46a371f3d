"""The cross-tab, health, OpenAPI and page endpoints; the Slicer protocol is in slicer_api.py.

No query logic lives here. Responses carry an ETag keyed to the data vintage and the
parsed query, so browsers and proxies revalidate cheaply; rendered bodies are cached in
process until a new load is swapped in.
"""

from __future__ import annotations

import csv
import io
import json
import re
from importlib import resources
from typing import Any
from urllib.parse import urlencode

import orjson
from flask import Blueprint, Response, current_app, request

from lmi_cubes.aggregates.query import Request
from lmi_cubes.cube_server import csvw, formats, params
from lmi_cubes.cube_server.coverage import coverage
from lmi_cubes.cube_server.openapi import SUMMARIES, openapi_document
from lmi_cubes.cube_server.published_api import provenance_summary
from lmi_cubes.cube_server.responses import as_json, cached, state
from lmi_cubes.cube_server.state import Served
from lmi_cubes.model.errors import QueryError

api = Blueprint("api", __name__, static_folder="static", static_url_path="/static")


@api.get("/cube/<cube>/crosstab")
@cached("crosstab")
def crosstab(
    cube: str, served: Served, p: dict[str, Any]
) -> tuple[str | bytes, str] | tuple[str | bytes, str, dict[str, str]]:
    c = served.engine.model.cube(cube)  # first: an unknown cube is a 404 whatever else is wrong
    if not p["rows"]:
        dims = [d.name for d in c.dimensions]
        raise QueryError("rows", "a cross-tab needs rows=dimension[:level]", dims)
    if p["layout"] != "tidy" and p["format"] == "json":
        raise QueryError("layout", "layout applies to format=csv only", ["tidy"])
    query = served.engine.query(
        Request(
            cube,
            axes=(p["rows"], *([p["columns"]] if p["columns"] else [])),
            measures=(p["measure"],) if p["measure"] else (),  # else the model's default
            cut=p["cut"],
            age=p["age"],
            decile=p["decile"],
            year_from=p["from"],
            year_to=p["to"],
            fallback=p["fallback"],
        ),
        c,
    )
    # only the JSON shows "go up a level" choices (a CSV shows fills, which fallback finds)
    result = served.engine.run(query, suggest=p["format"] == "json")
    covered, headers = coverage(result, served.engine.catalog)  # data years, restricted members
    if p["format"] == "csv":
        name = csvw.download_name(result, served.engine.catalog)
        headers = {
            **headers,
            "Content-Disposition": f'attachment; filename="{name}"',
            "Link": f'<{_sibling("csv-metadata")}>; rel="describedby"; type="application/csvm+json"',
        }
        return formats.crosstab_csv(result, p["layout"], p["margins"]), "text/csv", headers
    if p["format"] == "csv-metadata":
        text = formats.crosstab_csv(result, p["layout"], p["margins"])
        header = next(csv.reader(io.StringIO(text)))
        described = csvw.metadata(result, served.engine.catalog, _sibling("csv"), header)
        return orjson.dumps(described), "application/csvm+json", headers
    return *as_json({**formats.crosstab_json(result, p["margins"]), **covered}, p), headers


def _sibling(fmt: str) -> str:
    """This request's URL, relative to its own path, with another format: the CSV and its
    CSVW description name each other."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "format"]
    return f"{request.path.rsplit('/', 1)[-1]}?{urlencode([*args, ('format', fmt)])}"


@api.get("/health")
def health() -> Response:
    params.parse("health", request.args)
    st = state()
    served = st.current()  # a missing or corrupt warehouse: a 503 naming the problem
    body = {
        "status": "ok",
        "vintage": served.vintage,
        "loaded_at": served.loaded_at,
        "row_counts": served.row_counts,
        "warehouse": st.warehouse.name,  # no directories or passwords
        "cubes": [c.name for c in served.engine.model.cubes],
        "published": provenance_summary(),  # imported official tables, with their sources
    }
    response = Response(json.dumps(body), mimetype="application/json")
    response.headers["Cache-Control"] = "no-store"
    return response


@api.get("/openapi.json")
def openapi() -> Response:
    document = openapi_document(state().model, documented_routes())
    for extend in current_app.extensions.get("openapi_extensions", []):
        extend(document)  # paths of other blueprints (/api/v1)
    return Response(json.dumps(document), mimetype="application/json")


def documented_routes() -> list[tuple[str, str, set[str]]]:
    """The data endpoints of the cube API as routed (not the HTML pages, static files or
    /api/v1, which documents itself)."""
    out = []
    for rule in current_app.url_map.iter_rules():
        blueprint, _, name = rule.endpoint.rpartition(".")
        if blueprint in ("api", "slicer") and (name in params.ENDPOINTS or name in SUMMARIES):
            path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
            out.append((path, name, set(rule.methods or ()) - {"HEAD", "OPTIONS"}))
    return out


def _page(name: str) -> Response:
    text = resources.files("lmi_cubes.cube_server").joinpath(f"static/{name}").read_text("utf-8")
    return Response(text, mimetype="text/html")


@api.get("/")
@api.get("/explorer")
def explorer() -> Response:
    return _page("explorer.html")


@api.get("/slicer")
def slicer_view() -> Response:
    return _page("slicer.html")


@api.get("/widget")
def widget() -> Response:
    return _page("widget.html")


@api.get("/docs")
def docs() -> Response:
    return _page("api.html")
