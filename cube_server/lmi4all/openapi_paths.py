"""The /api/v1 paths for the OpenAPI document, added by a hook so openapi.py stays the cubes'."""

from __future__ import annotations

from typing import Any

TAG = "LMI for All v1"


# The original read its parameters leniently and clients rely on it: a number is the leading
# ASCII digits of the value ('2136coarse=false' is 2136), an empty optional value is no
# value, a boolean is "starts with true, 1 or yes". The document says exactly that, so what it
# allows is what the server accepts (cube_server/lmi4all/common.py).
_TEXT = r"[^\x00-\x08\x0b-\x1f\x7f]"
LENIENT_INT = rf"^[ \t]*-?[0-9]{{1,9}}([^0-9\x00-\x08\x0b-\x1f\x7f]{_TEXT}*)?$"


def _query(name: str, description: str, kind: str = "string", required: bool = False) -> Any:
    schema: dict[str, Any] = {"type": "string"}
    if kind == "integer":
        pattern = LENIENT_INT if required else f"^$|{LENIENT_INT}"
        schema = {"type": "string", "pattern": pattern}
    elif required:
        schema["pattern"] = r"\S"
    return {
        "name": name,
        "in": "query",
        "required": required,
        "description": description,
        "schema": schema,
    }


def _path(name: str, description: str, enum: list[str] | None = None) -> Any:
    schema: dict[str, Any] = {"type": "string"}
    if enum:
        schema["enum"] = enum
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": schema,
    }


CALLBACK = _query("callback", "JSONP: wrap the answer as NAME(...) (application/javascript)")
SOC = _query("soc", "SOC 2010 code (4 digits; 2-3 digit group codes also answer)", "integer", True)
COARSE = _query(
    "coarse",
    "true: answer at the finest SOC level whose latest estimate is publishable "
    "(unit group, minor group, sub-major group) and report that level's code in soc",
    "boolean",
)
FILTERS = _query(
    "filters",
    "name:value pairs joined by | : region (1-12), gender (1-2), status (1-2), "
    "qualification (1-9), industry (1-22), age (20-65, pay only)",
)
BREAKDOWN_NAMES = ["region", "gender", "status", "qualification", "industry"]
BREAKDOWN = {
    **_query("breakdown", "Add a breakdown array per year by this dimension"),
    "schema": {"type": "string", "enum": ["", *BREAKDOWN_NAMES]},
}
AGE = _query("age", "Age in years (20-65): pay at that age", "integer")
YEARS = [
    _query("minYear", "First year (default: the first projection year)", "integer"),
    _query("maxYear", "Last year (default: the last projection year)", "integer"),
]

ENDPOINTS: dict[str, tuple[str, list[Any]]] = {
    "/api/v1/soc/search": (
        "Search occupations by job title (SOC titles and the ONS coding index); up to 10",
        [_query("q", "Search text", required=True), CALLBACK],
    ),
    "/api/v1/soc/code/{soc}": (
        "One occupation; an unknown code gives an empty 200 (the original's behaviour)",
        [_path("soc", "SOC 2010 unit group"), CALLBACK],
    ),
    "/api/v1/ashe/estimatePay": (
        "Estimated gross weekly pay (GBP, to the nearest 10) per year",
        [SOC, COARSE, FILTERS, AGE, BREAKDOWN, CALLBACK],
    ),
    "/api/v1/ashe/estimateHours": (
        "Typical paid weekly hours per year",
        [SOC, COARSE, FILTERS, BREAKDOWN, CALLBACK],
    ),
    "/api/v1/ashe/annualChanges": (
        "Percent change of estimated pay from the previous year",
        [SOC, FILTERS, CALLBACK],
    ),
    "/api/v1/ashe/filters": ("ASHE filter names", [CALLBACK]),
    "/api/v1/ashe/filters/all": ("ASHE filters with their codings", [CALLBACK]),
    "/api/v1/ashe/filter/{name}": (
        "One ASHE filter with its codings",
        [_path("name", "Filter name", [*BREAKDOWN_NAMES, "age"]), CALLBACK],
    ),
    "/api/v1/wf/predict": (
        "Working Futures employment per year",
        [SOC, *YEARS, FILTERS, CALLBACK],
    ),
    "/api/v1/wf/predict/breakdown/{dimension}": (
        "Working Futures employment per year and member; small samples carry a note",
        [_path("dimension", "Breakdown", BREAKDOWN_NAMES), SOC, *YEARS, FILTERS, CALLBACK],
    ),
    "/api/v1/wf/replacement_demand": (
        "Projected replacement demand over start_year..end_year (as rate)",
        [SOC, *YEARS, CALLBACK],
    ),
    "/api/v1/wf/filters": ("Working Futures filter names", [CALLBACK]),
    "/api/v1/wf/filters/all": ("Working Futures filters with their codings", [CALLBACK]),
    "/api/v1/wf/filters/info/{name}": (
        "One Working Futures filter with its coding",
        [_path("name", "Filter name", BREAKDOWN_NAMES), CALLBACK],
    ),
}


# The original's quirk: an unknown SOC code is a 200 with an empty body (sent as text/plain).
EMPTY_200 = {
    "/api/v1/soc/code/{soc}": {"text/plain": {"schema": {"type": "string", "maxLength": 0}}}
}


def extend_openapi(document: dict[str, Any]) -> None:
    error = {
        "description": "Error in the original's shape (as JavaScript with callback=)",
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/Lmi4AllError"}},
            "application/javascript": {"schema": {"type": "string"}},
        },
    }
    for path, (summary, parameters) in ENDPOINTS.items():
        operation = "lmi4all_" + path.removeprefix("/api/v1/").replace("/", "_").strip("{}")
        document["paths"][path] = {
            "get": {
                "operationId": operation.replace("{", "").replace("}", ""),
                "tags": [TAG],
                "summary": summary,
                "parameters": parameters,
                "responses": {
                    "200": {
                        "description": "OK (JSON, or JavaScript with callback=)",
                        "content": {
                            "application/json": {"schema": {}},
                            "application/javascript": {"schema": {"type": "string"}},
                            **EMPTY_200.get(path, {}),
                        },
                    },
                    "400": error,
                    "404": error,
                },
            }
        }
    document["components"]["schemas"]["Lmi4AllError"] = {
        "type": "object",
        "required": ["error"],
        "properties": {"error": {"type": "string"}},
    }
