"""The OpenAPI 3 document, generated from the declared parameters and the model."""

from __future__ import annotations

from typing import Any

from aggregates.model import Model
from cube_server.params import ENDPOINTS, Param

PATHS = {
    "/info": ("info", "Slicer server information (api_version, record limit, cubes)", []),
    "/version": ("version", "Slicer server and API version", []),
    "/cubes": ("cubes", "List the cubes", []),
    "/cube/{cube}/model": ("model", "A cube's dimensions, levels, measures and policy", ["cube"]),
    "/cube/{cube}/members/{dimension}": (
        "members",
        "Members of a dimension level",
        ["cube", "dimension"],
    ),
    "/cube/{cube}/aggregate": (
        "aggregate",
        "Slicer-style aggregation with reliability flags",
        ["cube"],
    ),
    "/cube/{cube}/cell": ("cell", "Slicer cell: the cuts with every level's details", ["cube"]),
    "/cube/{cube}/crosstab": (
        "crosstab",
        "A two-dimensional table with margins and withheld cells",
        ["cube"],
    ),
    "/health": ("health", "Warehouse vintage, load time and row counts", []),
}


def _schema(param: Param) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": param.kind}
    if param.enum:
        schema["enum"] = list(param.enum)
    if param.default is not None:
        schema["default"] = param.default
    return schema


def openapi_document(model: Model) -> dict[str, Any]:
    cubes = [c.name for c in model.cubes]
    dimensions = sorted({d.name for c in model.cubes for d in c.dimensions})
    error = {
        "description": "Bad request",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    paths: dict[str, Any] = {}
    for path, (endpoint, summary, path_params) in PATHS.items():
        parameters: list[dict[str, Any]] = []
        for name in path_params:
            enum = cubes if name == "cube" else dimensions
            parameters.append(
                {
                    "name": name,
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string", "enum": enum},
                }
            )
        for param in ENDPOINTS[endpoint]:
            entry: dict[str, Any] = {
                "name": param.name,
                "in": "query",
                "required": False,
                "description": param.description,
                "schema": _schema(param),
            }
            if param.example:
                entry["example"] = param.example
            parameters.append(entry)
        content = {"application/json": {"schema": {"type": "object"}}}
        if any(p.name == "format" for p in ENDPOINTS[endpoint]):
            content["text/csv"] = {"schema": {"type": "string"}}
        paths[path] = {
            "get": {
                "operationId": endpoint,
                "summary": summary,
                "parameters": parameters,
                "responses": {
                    "200": {"description": "OK", "content": content},
                    "304": {"description": "Not modified (ETag matched)"},
                    "400": error,
                    "404": {**error, "description": "Unknown name"},
                    "413": {**error, "description": "Result too large"},
                },
            }
        }
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "lmi-cubes",
            "version": "0.1.0",
            "description": "OLAP cubes of UK labour-market information. Every cell carries a "
            "reliability flag; cells under the weight threshold are withheld.",
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
