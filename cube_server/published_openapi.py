"""The /published paths for the OpenAPI document, added by a hook so openapi.py stays the
modelled cubes'."""

from __future__ import annotations

from typing import Any

from lmi_cubes.aggregates.published_choice import ASHE, WF

TAG = "Published statistics"


def _query(name: str, description: str, enum: list[str] | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    if enum:
        schema["enum"] = enum
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }


def _path(name: str, description: str, enum: list[str] | None = None) -> dict[str, Any]:
    return {**_query(name, description, enum), "in": "path", "required": True}


CUBE = _path("cube", "A published-statistics cube", [ASHE, WF])
PATHS: dict[str, tuple[str, str, list[dict[str, Any]], list[str]]] = {
    "/published": (
        "published_index",
        "The imported official tables: cross-classification, measures and provenance",
        [],
        ["application/json"],
    ),
    "/published/{cube}/model": (
        "published_model",
        "A published cube's dimensions, levels, measures and cross-classifications",
        [CUBE],
        ["application/json"],
    ),
    "/published/{cube}/members/{dimension}": (
        "published_members",
        "Members of a published table's classification (GSS, SOC or SIC codes)",
        [
            CUBE,
            _path("dimension", "A classifying dimension"),
            _query("level", "Only members at this level"),
        ],
        ["application/json"],
    ),
    "/published/{cube}/crosstab": (
        "published_crosstab",
        "Figures as published, from the one imported table with exactly the requested "
        "cross-classification (else 400 naming those available); every cell has its flag "
        "and source cell, the response its provenance",
        [
            CUBE,
            _query("rows", "dimension[:level], e.g. geography:region"),
            _query("columns", "dimension[:level], e.g. sex"),
            _query("measure", "e.g. weekly_pay_gross_median, employment, total_requirement"),
            _query(
                "cut", "dimension:member[,member]|...; year, release, area, round pick the table"
            ),
            _query(
                "format", "json (default) or csv (tidy, provenance on every row)", ["json", "csv"]
            ),
        ],
        ["application/json", "text/csv"],
    ),
    "/published/{cube}/aggregate": (
        "published_aggregate",
        "Slicer-style records of published figures (no summary: totals are published members)",
        [
            CUBE,
            _query("drilldown", "up to two dimension[:level] joined by |"),
            _query("aggregates", "the published measure"),
            _query("cut", "dimension:member[,member]|..."),
        ],
        ["application/json"],
    ),
    "/published/{cube}/cell": (
        "published_cell",
        "One published figure with its flag, source cell and provenance",
        [
            CUBE,
            _query("aggregates", "the published measure"),
            _query("cut", "dimension:member|..."),
        ],
        ["application/json"],
    ),
}


def extend_openapi(document: dict[str, Any]) -> None:
    error = {
        "description": "Bad request (400) or unknown cube or dimension (404)",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    for path, (operation, summary, parameters, types) in PATHS.items():
        document["paths"][path] = {
            "get": {
                "operationId": operation,
                "tags": [TAG],
                "summary": summary,
                "parameters": parameters,
                "responses": {
                    "200": {
                        "description": "OK",
                        "content": {t: {"schema": {}} for t in types},
                    },
                    "400": error,
                    "404": error,
                },
            }
        }
    for path, operation in document["paths"].items():
        tail = path.removeprefix("/cube/{cube}/")
        if tail != path and f"/published/{{cube}}/{tail}" in PATHS:
            for op in operation.values():
                if isinstance(op, dict):
                    op["description"] = (
                        op.get("description", "")
                        + f" A published-statistics cube ({ASHE}, {WF}) answers here exactly "
                        f"as /published/{{cube}}/{tail} does, with that endpoint's parameters."
                    ).strip()
