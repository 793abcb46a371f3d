"""Cached, conditional responses shared by every data endpoint.

The cache key is the *parsed* query (every parameter after repeats were combined or
refused), never the raw arguments: keying on sorted raw arguments while the parser took
the first of a repeated one once served one request's table for another.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from typing import Any

import orjson
from flask import Response, current_app, g, request

from lmi_cubes.cube_server import limits, params
from lmi_cubes.cube_server.state import Served, WarehouseState

# a body and its mimetype, and optionally headers that belong to the body (a file name)
View = Callable[..., tuple[str | bytes, str] | tuple[str | bytes, str, dict[str, str]]]


def state() -> WarehouseState:
    return current_app.extensions["lmi_cubes"]


def cache_versions() -> tuple[Any, ...]:
    """The version of every other store an answer may show (the published tables, which
    /cubes lists), as registered in `cache_versions`: an import is seen at once. Read once
    per request, so a body and its compressed form are keyed to the same versions."""
    versions: tuple[Any, ...] | None = g.get("lmi_cache_versions")
    if versions is None:
        found = current_app.extensions.get("cache_versions", ())
        versions = g.lmi_cache_versions = tuple(version() for version in found)
    return versions


def cache_key(served: Served, path: str, parsed: dict[str, Any]) -> tuple[Any, ...]:
    return (served.identity, path, tuple(sorted(parsed.items())), cache_versions())


def cached(endpoint: str) -> Callable[[View], Callable[..., Response]]:
    """Parse the endpoint's parameters, then serve the rendered body from the in-process
    cache or render and keep it. The key includes the warehouse file's identity, so a
    swapped-in load starts afresh; only successful renders are kept. The ETag is keyed to
    the data vintage and the parsed query."""

    def decorate(view: View) -> Callable[..., Response]:
        @functools.wraps(view)
        def wrapper(**kwargs: Any) -> Response:
            st = state()
            served = st.current()
            parsed = params.parse(endpoint, request.args)
            key = cache_key(served, request.path, parsed)
            hit = st.cache.get(key)
            if hit is None:
                body, mimetype, *extra = view(served=served, p=dict(parsed), **kwargs)
                limits.check_response(len(body))
                etag = hashlib.sha256(repr((served.vintage, key[1:])).encode()).hexdigest()[:20]
                data = body.encode() if isinstance(body, str) else body
                hit = (data, mimetype, etag, *extra)
                st.cache.offer(key, hit)
            body, mimetype, etag, *extra = hit
            response = Response(body, mimetype=mimetype)
            for headers in extra:
                response.headers.update(headers)
            response.set_etag(etag)
            response.headers["Cache-Control"] = "public, max-age=60, must-revalidate"
            response.headers["X-Data-Vintage"] = served.vintage
            protection = _protection(served, kwargs.get("cube"))
            if protection:  # the policy that decided what this cube's figures withhold
                response.headers["X-Protection-Policy"] = protection
            response.make_conditional(request)  # a 304 when the ETag matches
            return response

        return wrapper

    return decorate


def _protection(served: Served, cube: Any) -> str | None:
    """The cube's protection policy; None for a route that names no cube of the model."""
    for c in served.engine.model.cubes:
        if c.name == cube:
            return c.reliability.protection
    return None


def as_json(data: Any, p: dict[str, Any] | None = None) -> tuple[bytes, str]:
    pretty = bool(p and p.get("prettyprint"))
    return orjson.dumps(data, option=orjson.OPT_INDENT_2 if pretty else 0), "application/json"
