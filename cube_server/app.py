"""The Flask application factory; nothing is built at import time."""

from __future__ import annotations

import logging
import os
import re
import time
import uuid
from collections.abc import Iterable
from importlib import resources
from io import BytesIO
from pathlib import Path
from typing import Any

from flask import Flask, Response, g, request
from werkzeug.exceptions import BadRequest, HTTPException, RequestEntityTooLarge

from aggregates.errors import QueryError
from cube_server import compression, errors
from cube_server.api import api
from cube_server.lmi4all import register as register_lmi4all
from cube_server.published_api import register as register_published
from cube_server.slicer_api import slicer_api
from cube_server.state import WarehouseState
from etl.backends import QueryTimeout, WarehouseUnavailable, open_target
from model.loader import load_model

log = logging.getLogger("cube_server")


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Config keys: WAREHOUSE (path, duckdb:/// or postgresql:// URL), MODEL_DIR, POOL_SIZE,
    QUERY_TIMEOUT_S, CACHE_MB (the result
    cache's budget per process in megabytes; 0 turns it off), USE_ROLLUPS (False answers
    everything from the base facts)."""
    app = Flask(__name__)
    app.config.update(
        WAREHOUSE=os.environ.get("LMI_CUBES_WAREHOUSE"),
        MODEL_DIR=os.environ.get("LMI_CUBES_MODEL_DIR"),
        CACHE_MB=float(os.environ.get("LMI_CUBES_CACHE_MB", "64")),
        USE_ROLLUPS=os.environ.get("LMI_CUBES_ROLLUPS", "1") not in ("0", "false", "no"),
        # `serve` passes its --threads: a smaller pool would make requests queue, then fail
        POOL_SIZE=int(os.environ.get("LMI_CUBES_THREADS", "8")),
        QUERY_TIMEOUT_S=float(os.environ.get("LMI_CUBES_QUERY_TIMEOUT_S", "30")),
    )
    app.config.update(config or {})
    model_dir = app.config["MODEL_DIR"]
    model = load_model(Path(model_dir) if model_dir else None)
    state = WarehouseState(
        open_target(app.config["WAREHOUSE"]),
        model,
        int(app.config["CACHE_MB"] * (1 << 20)),
        app.config["USE_ROLLUPS"],
        pool_size=max(int(app.config["POOL_SIZE"]), 1),
        timeout_s=float(app.config["QUERY_TIMEOUT_S"]),
    )
    app.extensions["lmi_cubes"] = state
    app.teardown_request(lambda _exc: state.release())
    app.wsgi_app = FormPost(app.wsgi_app)  # type: ignore[method-assign]
    app.add_url_rule("/favicon.ico", "favicon", _favicon)
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.register_blueprint(api)
    app.register_blueprint(slicer_api)
    register_lmi4all(app)
    register_published(app, state.warehouse.local_path)
    app.before_request(_start)
    app.after_request(_finish)
    compression.enable(app)  # runs before _finish: after_request handlers run last-first
    app.register_error_handler(QueryError, errors.from_query_error)
    app.register_error_handler(HTTPException, errors.from_http_exception)
    app.register_error_handler(WarehouseUnavailable, errors.from_unavailable)
    app.register_error_handler(QueryTimeout, errors.from_timeout)
    app.register_error_handler(Exception, errors.from_unexpected)
    return app


def _start() -> None:
    g.request_id = request.headers.get("X-Request-ID", "")[:64] or uuid.uuid4().hex[:16]
    g.started = time.perf_counter()
    problem = request.environ.get(FormPost.PROBLEM)
    if problem == "too_large":
        raise RequestEntityTooLarge(
            f"a POST body may be at most {FormPost.MAX_BYTES:,} bytes of form parameters"
        )
    if problem == "content_type":
        raise BadRequest(
            "POST takes the same parameters as GET, as an application/x-www-form-urlencoded body"
        )


class FormPost:
    """POST with form parameters is the same request as GET with them in the URL.

    A cut of all 369 SOC unit groups is about 5 KB, near or over what proxies and HTTP
    servers accept in a request line; in a body it has room. The body is moved into the
    query string before Flask sees the request, so every endpoint, the parameter checks,
    the cache and the ETag treat both forms alike. Only the data endpoints (/cube/...) take
    it; the body is bounded, and problems are answered by the app in the usual error shape.
    """

    MAX_BYTES = 256 * 1024
    PROBLEM = "lmi_cubes.post_problem"
    FORM = "application/x-www-form-urlencoded"

    def __init__(self, wsgi_app: Any):
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        # Slicer's /report takes its queries as a JSON body of its own
        if (
            environ.get("REQUEST_METHOD") == "POST"
            and path.startswith("/cube/")
            and not path.rstrip("/").endswith("/report")
        ):
            self._rewrite(environ)
        return self.wsgi_app(environ, start_response)

    def _rewrite(self, environ: dict[str, Any]) -> None:
        kind = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if kind != self.FORM or length < 0:
            environ[self.PROBLEM] = "content_type"
        elif length > self.MAX_BYTES:
            environ[self.PROBLEM] = "too_large"
        else:
            body = environ["wsgi.input"].read(length).decode("latin-1")
            query = environ.get("QUERY_STRING", "")
            environ["QUERY_STRING"] = "&".join(q for q in (query, body.strip()) if q)
            environ["REQUEST_METHOD"] = "GET"
            environ["CONTENT_LENGTH"] = "0"
            environ["wsgi.input"] = BytesIO()
            return
        environ["REQUEST_METHOD"] = "GET"  # answered by _start with the problem


def _favicon() -> Response:
    data = resources.files("cube_server").joinpath("static/favicon.ico").read_bytes()
    response = Response(data, mimetype="image/x-icon")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


def _download_name() -> str:
    """A file name that says what the table is: cube, measure, rows and columns."""
    args = request.args
    parts = [str((request.view_args or {}).get("cube", "table"))]
    parts.append(args.get("measure") or args.get("aggregates") or "")
    axes = [args.get("rows") or args.get("drilldown") or "", args.get("columns") or ""]
    parts.append("-by-".join(a for a in axes if a))
    name = "-".join(p for p in parts if p)
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-")[:120]
    return f"{safe or 'table'}.csv"


def _finish(response: Response) -> Response:
    if response.mimetype == "text/csv" and "Content-Disposition" not in response.headers:
        response.headers["Content-Disposition"] = f'attachment; filename="{_download_name()}"'
    response.headers["Access-Control-Allow-Origin"] = "*"
    if request.method == "OPTIONS":  # a CORS preflight, answered as Slicer does
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = request.headers.get(
            "Access-Control-Request-Headers", "X-Requested-With, Content-Type, If-None-Match"
        )
        response.headers["Access-Control-Max-Age"] = "1728000"
    response.headers["Access-Control-Expose-Headers"] = (
        "ETag, X-Data-Vintage, X-Request-ID, Content-Disposition, X-Data-Years, "
        "X-Restricted-Members, X-Protection-Policy, Link"
    )
    response.headers["X-Request-ID"] = g.get("request_id", "")
    elapsed = (time.perf_counter() - g.get("started", time.perf_counter())) * 1000
    log.info(
        "%s %s %s %.1fms id=%s",
        request.method,
        request.full_path.rstrip("?"),
        response.status_code,
        elapsed,
        g.get("request_id"),
    )
    return response
