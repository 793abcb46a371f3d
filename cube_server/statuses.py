"""The error `type` named for each HTTP status, in a module of its own without imports.

The gunicorn master imports the worker class (cube_server/worker.py), which needs these
names for the errors gunicorn writes itself. Kept apart from cube_server/errors.py so that
the master does not import Flask, the engine, pandas and DuckDB only to read a dict: it
never serves a request, and those imports would multiply its memory.
"""

TYPES = {
    400: "bad_request",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    414: "uri_too_long",
    431: "headers_too_large",
    500: "internal_error",
    501: "not_implemented",
    503: "unavailable",
    504: "timeout",
}
