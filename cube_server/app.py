"""The Flask application factory; nothing is built at import time."""

from __future__ import annotations

import logging
import os
import time
import uuid
from pathlib import Path
from typing import Any

from flask import Flask, Response, g, request
from werkzeug.exceptions import HTTPException

from aggregates.errors import QueryError
from aggregates.model import load_model
from cube_server import errors
from cube_server.api import api
from cube_server.lmi4all import register as register_lmi4all
from cube_server.state import WarehouseState
from etl.warehouse import resolve_target

log = logging.getLogger("cube_server")


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Config keys: WAREHOUSE (path or duckdb:/// URL), MODEL_DIR, CACHE_SIZE (0 turns the
    result cache off), USE_ROLLUPS (False answers everything from the base facts)."""
    app = Flask(__name__)
    app.config.update(
        WAREHOUSE=os.environ.get("LMI_CUBES_WAREHOUSE"),
        MODEL_DIR=os.environ.get("LMI_CUBES_MODEL_DIR"),
        CACHE_SIZE=int(os.environ.get("LMI_CUBES_CACHE_SIZE", "512")),
        USE_ROLLUPS=os.environ.get("LMI_CUBES_ROLLUPS", "1") not in ("0", "false", "no"),
    )
    app.config.update(config or {})
    model_dir = app.config["MODEL_DIR"]
    model = load_model(Path(model_dir) if model_dir else None)
    app.extensions["lmi_cubes"] = WarehouseState(
        resolve_target(app.config["WAREHOUSE"]),
        model,
        app.config["CACHE_SIZE"],
        app.config["USE_ROLLUPS"],
    )
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.register_blueprint(api)
    register_lmi4all(app)
    app.before_request(_start)
    app.after_request(_finish)
    app.register_error_handler(QueryError, errors.from_query_error)
    app.register_error_handler(HTTPException, errors.from_http_exception)
    app.register_error_handler(Exception, errors.from_unexpected)
    return app


def _start() -> None:
    g.request_id = request.headers.get("X-Request-ID", "")[:64] or uuid.uuid4().hex[:16]
    g.started = time.perf_counter()


def _finish(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = "ETag, X-Data-Vintage, X-Request-ID"
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
