"""The one JSON error shape, built by one helper for every error path.

{"error": {"status": 400, "type": "bad_request", "parameter": "rows",
           "message": "...", "choices": [...], "request_id": "..."}}

The status rule (docs/reference.md, "Errors"): 404 only when the URL's path names something
that does not exist (a cube, a dimension, a page) or there is no warehouse loaded yet; any
bad query parameter value, including an unknown measure, level or member, is a 400 naming
that parameter. 405 carries `Allow`; 413 is a result over the cube's cell limit or a body
that is too large.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from flask import Response, current_app, g, jsonify, request
from werkzeug.exceptions import HTTPException

from lmi_cubes.cube_server.statuses import TYPES
from lmi_cubes.model.errors import NotFound, QueryError, TooLarge
from lmi_cubes.warehouse.errors import QueryTimeout, WarehouseUnavailable

log = logging.getLogger("lmi_cubes.cube_server")

# The names the engine uses for parts of the URL path: only these give a 404.
PATH_PARAMETERS = frozenset({"cube", "dimension", "warehouse"})
# The engine names the fields of its query request; each endpoint spells them its own way.
_PERIOD = {"year_from": "from", "year_to": "to"}
PARAMETER_OF_FIELD: dict[str, dict[str, str]] = {
    "crosstab": {"axes": "rows", "axes.0": "rows", "axes.1": "columns", "measures": "measure",
                 **_PERIOD},
    "aggregate": {"axes": "drilldown", "measures": "aggregates", **_PERIOD},
    "members": {"axes": "level", "axes.0": "level"},
}  # fmt: skip


def parameter_of(endpoint: str, field: str) -> str:
    """The request parameter an endpoint reads the engine's query `field` from."""
    names = PARAMETER_OF_FIELD.get(endpoint, {})
    if field in names:
        return names[field]
    head = field.split(".", 1)[0]
    return names.get(head, field)


def error_response(
    status: int, message: str, parameter: str | None = None, choices: list[str] | None = None
) -> Response:
    body: dict[str, object] = {
        "status": status,
        "type": TYPES.get(status, "error"),
        "message": message,
        "request_id": getattr(g, "request_id", None),
    }
    if parameter is not None:
        body["parameter"] = parameter
    if choices is not None:
        body["choices"] = choices
    response = jsonify({"error": body})
    response.status_code = status
    return response


def status_of(exc: QueryError) -> int:
    """The documented rule: a 404 is about the path, a bad parameter value is a 400."""
    status = getattr(exc, "status", None)  # errors of the HTTP layer carry their own
    if isinstance(status, int):
        return status
    if isinstance(exc, TooLarge):
        return 413
    if isinstance(exc, NotFound) and exc.parameter in PATH_PARAMETERS:
        return 404
    return 400


def from_query_error(exc: QueryError) -> Response:
    endpoint = (request.endpoint or "").rpartition(".")[2]
    parameter = parameter_of(endpoint, exc.parameter)
    return error_response(status_of(exc), exc.message, parameter, exc.choices)


def from_http_exception(exc: HTTPException) -> Response:
    """Werkzeug's own errors (404 routes, 405 methods) in the same shape, keeping the
    headers they carry (a 405 must say which methods are allowed in `Allow`)."""
    allowed = getattr(exc, "valid_methods", None)
    response = error_response(exc.code or 500, exc.description or exc.name, None, allowed)
    for name, value in exc.get_headers():
        if name.lower() == "location":  # relative: never a host taken from the request
            where = urlsplit(value)
            value = "/" + (where.path.lstrip("/") + (f"?{where.query}" if where.query else ""))
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def from_unavailable(exc: WarehouseUnavailable) -> Response:
    """The warehouse is missing, corrupt or unreachable: not the request's fault, and it
    may come back when a good version is published."""
    log.error("warehouse unavailable (request %s): %s", getattr(g, "request_id", "-"), exc)
    return error_response(503, str(exc), "warehouse")


def from_timeout(exc: QueryTimeout) -> Response:
    return error_response(504, str(exc))


def from_unexpected(exc: Exception) -> Response:
    """Generic 500; the details go to the log only, tied to the request id. An error that
    says the warehouse file is damaged is the warehouse's fault: a 503."""
    unavailable = current_app.extensions["lmi_cubes"].fault(exc)
    if unavailable is not None:
        return from_unavailable(unavailable)
    log.exception("internal error (request %s)", getattr(g, "request_id", "-"), exc_info=exc)
    return error_response(500, "internal server error; quote the request id when reporting it")
