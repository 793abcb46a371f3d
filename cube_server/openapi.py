"""The OpenAPI 3 document, generated from the app's real routes and declared parameters.

Paths come from Flask's route map, so a route cannot exist undocumented; parameters come
from `params.ENDPOINTS`, the same declarations the parser enforces (types, enums, ranges).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from lmi_cubes.cube_server import VERSION
from lmi_cubes.cube_server.params import CUT_GRAMMAR, ENDPOINTS, Param
from lmi_cubes.model import Model

# One line per operation; anything routed but missing here falls back to its docstring.
SUMMARIES = {
    "info": "Slicer server information (api_version, record limit, cubes)",
    "version": "Slicer server and API version",
    "cubes": "List the cubes",
    "model": "A cube's dimensions, levels, measures, aggregates and reliability policy",
    "members": "Members of a dimension, down to a level or depth",
    "aggregate": "Slicer-style aggregation with reliability flags on every record",
    "cell": "Slicer cell: the cuts with every level's details",
    "crosstab": "A two-dimensional table with margins and withheld cells",
    "health": "Warehouse vintage, load time and row counts",
    "facts": "Individual rows: always refused (403), they are the withheld small cells",
    "fact": "One individual row: always refused (403), as /facts",
    "report": "Several Slicer queries in one request (JSON body)",
}
ARRAYS = {"cubes"}  # operations that answer a JSON array
REFUSED = {"facts", "fact"}
RULES = (
    "Errors: 400 for any bad parameter value (naming the parameter and the valid choices), "
    "404 only when the path names no cube or dimension, 403 for individual rows, 413 for a "
    "result over the cell limit. An empty value (age=) is an error, not the default. Every "
    "/cube/... endpoint also takes POST with the same parameters as an "
    "application/x-www-form-urlencoded body (for very long cuts); /report takes a JSON body."
)


# Slicer's report body: named queries, each with its kind and that kind's parameters
REPORT: dict[str, Any] = {
    "type": "object",
    "required": ["queries"],
    "properties": {
        "queries": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "required": ["query"],
                "properties": {
                    "query": {
                        "type": "string",
                        "enum": ["aggregate", "members", "values", "cell", "details"],
                    }
                },
            },
        },
        "cell": {"type": "array", "items": {"type": "object"}, "nullable": True},
    },
}


# the spellings of true and false the parser takes (params.TRUE, params.FALSE), any case
_BOOLEAN = (
    r"^\s*([Tt][Rr][Uu][Ee]|1|[Yy][Ee][Ss]|[Oo][Nn]"
    r"|[Ff][Aa][Ll][Ss][Ee]|0|[Nn][Oo]|[Oo][Ff][Ff])\s*$"
)


def _form(schema: dict[str, Any]) -> dict[str, Any]:
    """A parameter as a form field: every value is text, so a boolean is its spellings."""
    if schema.get("type") != "boolean":
        return schema
    return {"type": "string", "pattern": _BOOLEAN}


def _schema(param: Param) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": param.kind}
    if param.enum:
        schema["enum"] = list(param.enum)
    if param.default is not None:
        schema["default"] = param.default
    if param.minimum is not None:
        schema["minimum"] = param.minimum
    if param.maximum is not None:
        schema["maximum"] = param.maximum
    if param.kind == "string" and param.multi is None and not param.enum:
        schema["minLength"] = 1  # an empty value is refused; a combined list may be empty
    if param.name == "cut":
        # empty is allowed: Slicer clients send `cut=` for "no cut"
        schema["pattern"] = (
            r"^(!?[A-Za-z_]\w*(@[A-Za-z_]\w*)?:[^|]*(\|!?[A-Za-z_]\w*(@[A-Za-z_]\w*)?:[^|]*)*)?$"
        )
    return schema


def _operation(
    endpoint: str, path_params: list[str], enums: dict[str, dict[str, list[str]]]
) -> dict[str, Any]:
    error = {
        "description": "Bad request",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    parameters: list[dict[str, Any]] = [
        {
            "name": n,
            "in": "path",
            "required": True,
            "schema": {"type": "string", **enums.get(n, {})},
        }
        for n in path_params
    ]
    for param in ENDPOINTS.get(endpoint, ()):
        entry: dict[str, Any] = {
            "name": param.name,
            "in": "query",
            "required": param.required,
            "description": param.description,
            "schema": _schema(param),
        }
        if param.example:
            entry["example"] = param.example
        parameters.append(entry)
    body = (
        {"type": "array", "items": {"type": "object"}} if endpoint in ARRAYS else {"type": "object"}
    )
    content: dict[str, Any] = {"application/json": {"schema": body}}
    for param in ENDPOINTS.get(endpoint, ()):
        if param.name == "format":
            content["text/csv"] = {"schema": {"type": "string"}}
            if "json_lines" in (param.enum or ()):  # one JSON record per line
                content["application/x-json-lines"] = {"schema": {"type": "string"}}
            if "csv-metadata" in (param.enum or ()):  # the CSV's CSVW description
                content["application/csvm+json"] = {"schema": {"type": "object"}}
    responses: dict[str, Any] = {
        "400": error,
        "404": {**error, "description": "The path names no such cube or dimension"},
    }
    if endpoint in REFUSED:
        responses["403"] = {**error, "description": "Individual rows are withheld"}
    else:
        responses.update(
            {
                "200": {"description": "OK", "content": content},
                "304": {"description": "Not modified (ETag matched)"},
                "413": {**error, "description": "Result too large"},
            }
        )
    return {
        "operationId": endpoint,
        "summary": SUMMARIES.get(endpoint, endpoint),
        "parameters": parameters,
        "responses": responses,
    }


def openapi_document(model: Model, routes: Iterable[tuple[str, str, set[str]]]) -> dict[str, Any]:
    """`routes`: (OpenAPI path, endpoint name, HTTP methods) of every documented route."""
    enums = {
        "cube": {"enum": [c.name for c in model.cubes]},
        "dimension": {"enum": sorted({d.name for c in model.cubes for d in c.dimensions})},
    }
    paths: dict[str, Any] = {}
    for path, endpoint, methods in sorted(routes):
        path_params = [part[1:-1] for part in path.split("/") if part.startswith("{")]
        operation = _operation(endpoint, path_params, enums)
        item: dict[str, Any] = {}
        if "GET" in methods:
            item["get"] = operation
        if path.startswith("/cube/"):
            form = {
                "application/x-www-form-urlencoded": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            p["name"]: _form(p["schema"])
                            for p in operation["parameters"]
                            if p["in"] == "query"
                        },
                    }
                }
            }
            body: dict[str, Any] = {"required": False, "content": form}
            if endpoint == "report":
                body = {"required": True, "content": {"application/json": {"schema": REPORT}}}
            item["post"] = {
                **operation,
                "operationId": f"{endpoint}_post",
                "parameters": [p for p in operation["parameters"] if p["in"] == "path"],
                "requestBody": body,
            }
        paths[path] = item
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "lmi-cubes",
            "version": VERSION,
            "description": "OLAP cubes of UK labour-market information. Every cell carries a "
            "reliability flag; cells under the weight threshold are withheld. " + RULES + " "
            "Cut grammar: " + CUT_GRAMMAR,
        },
        "paths": paths,
        "components": {
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {
                        "error": {
                            "type": "object",
                            "required": ["status", "type", "message"],
                            "properties": {
                                "status": {"type": "integer"},
                                "type": {"type": "string"},
                                "message": {"type": "string"},
                                "parameter": {"type": "string"},
                                "choices": {"type": "array", "items": {"type": "string"}},
                                "request_id": {"type": "string", "nullable": True},
                            },
                        }
                    },
                }
            }
        },
    }
