"""The one JSON error shape, built by one helper for every error path.

{"error": {"status": 400, "type": "bad_request", "parameter": "rows",
           "message": "...", "choices": [...], "request_id": "..."}}
"""

from __future__ import annotations

import logging

from flask import Response, g, jsonify
from werkzeug.exceptions import HTTPException

from aggregates.errors import QueryError

log = logging.getLogger("cube_server")

TYPES = {
    400: "bad_request",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    500: "internal_error",
    503: "unavailable",
}


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


def from_query_error(exc: QueryError) -> Response:
    return error_response(exc.status, exc.message, exc.parameter, exc.choices)


def from_http_exception(exc: HTTPException) -> Response:
    return error_response(exc.code or 500, exc.description or exc.name)


def from_unexpected(exc: Exception) -> Response:
    """Generic 500; the details go to the log only, tied to the request id."""
    log.exception("internal error (request %s)", getattr(g, "request_id", "-"), exc_info=exc)
    return error_response(500, "internal server error; quote the request id when reporting it")
