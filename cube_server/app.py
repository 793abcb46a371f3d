"""The Flask application factory; nothing is built at import time."""

from __future__ import annotations

import base64
import hashlib
import logging
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

from lmi_cubes.cube_server import compression, errors, published_slicer
from lmi_cubes.cube_server.api import api
from lmi_cubes.cube_server.clients import Clients
from lmi_cubes.cube_server.limits import Limits, limits
from lmi_cubes.cube_server.lmi4all import register as register_lmi4all
from lmi_cubes.cube_server.published_api import register as register_published
from lmi_cubes.cube_server.slicer_api import slicer_api
from lmi_cubes.cube_server.state import WarehouseState
from lmi_cubes.model.errors import QueryError
from lmi_cubes.model.loader import load_model
from lmi_cubes.settings import Settings
from lmi_cubes.warehouse import QueryTimeout, WarehouseUnavailable, open_target

log = logging.getLogger("lmi_cubes.cube_server")


# Pages may load only what the package serves; none may be framed except the widget, which
# other sites embed (embed.js makes an iframe of it).
PAGE_POLICY = (
    "default-src 'self'; script-src 'self'{scripts}; img-src 'self' data:; "
    "style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors {ancestors}"
)
_INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.S)
EMBEDDABLE = frozenset({"/widget"})
LOGGED_URL = 512  # characters of a URL kept in a log line


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """The app, configured by the settings the environment gives, each overridden by its
    key in `config` (every key is in docs/settings.md: WAREHOUSE, MODEL_DIR, POOL_SIZE,
    QUERY_TIMEOUT_S, CACHE_MB, USE_ROLLUPS, DUCKDB_MEMORY, VERSION_CHECK_S, STAGING_DIR and
    the limits of docs/limits.md); other keys go to Flask's configuration as they are."""
    app = Flask(__name__)
    settings = Settings.from_env().with_config(config or {})
    app.config.update(config or {})
    app.config.update(settings.as_config())
    app.extensions["lmi_cubes_settings"] = settings
    app.config["MAX_CONTENT_LENGTH"] = int(app.config["MAX_BODY_BYTES"])
    app.extensions["lmi_cubes_limits"] = Limits.of(app.config)
    app.url_map.merge_slashes = False  # `//host/x` is a path that names nothing, not a redirect
    model_dir = settings.model_dir
    model = load_model(Path(model_dir) if model_dir else None)
    state = WarehouseState(
        open_target(settings.warehouse, settings),
        model,
        int(app.config["CACHE_MB"] * (1 << 20)),
        app.config["USE_ROLLUPS"],
        pool_size=max(int(app.config["POOL_SIZE"]), 1),
        timeout_s=float(app.config["QUERY_TIMEOUT_S"]),
    )
    app.extensions["lmi_cubes"] = state
    app.teardown_request(lambda _exc: state.release())
    app.wsgi_app = FormPost(  # type: ignore[method-assign]
        app.wsgi_app, int(app.config["MAX_FORM_BYTES"]), int(app.config["MAX_URL_BYTES"])
    )
    app.add_url_rule("/favicon.ico", "favicon", _favicon)
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.register_blueprint(api)
    app.register_blueprint(slicer_api)
    register_lmi4all(app)
    register_published(app, state.warehouse.local_path)
    published_slicer.route(app, state.model)  # published cubes on the Slicer routes too
    app.before_request(_start)
    app.extensions["lmi_cubes_clients"] = Clients(app)
    # after_request handlers run last-first: _finish reads the page it is given (its inline
    # scripts' hashes) before compression rewrites the body
    compression.enable(app)
    app.after_request(_finish)
    app.register_error_handler(QueryError, errors.from_query_error)
    app.register_error_handler(HTTPException, errors.from_http_exception)
    app.register_error_handler(WarehouseUnavailable, errors.from_unavailable)
    app.register_error_handler(QueryTimeout, errors.from_timeout)
    app.register_error_handler(Exception, errors.from_unexpected)
    return app


def _start() -> None:
    g.request_id = request.headers.get("X-Request-ID", "")[:64] or uuid.uuid4().hex[:16]
    g.started = time.perf_counter()
    if (request.content_length or 0) > limits().body_bytes:
        raise RequestEntityTooLarge(
            f"a request body may be at most {limits().body_bytes:,} bytes; split the request"
        )
    problem = request.environ.get(FormPost.PROBLEM)
    if problem == "too_large":
        raise RequestEntityTooLarge(
            f"a POST body may be at most {limits().form_bytes:,} bytes of form parameters"
        )
    if problem == "content_type":
        raise BadRequest(
            "POST takes the same parameters as GET, as an application/x-www-form-urlencoded body"
        )
    if problem == "truncated":
        raise BadRequest("the body is shorter than its Content-Length; send it whole")
    if problem == "encoding":
        raise BadRequest("the form body is not UTF-8 text; percent-encode it as a URL query")
    if problem == "url_too_long":
        raise UrlTooLong()


class UrlTooLong(HTTPException):
    code = 414
    description = (
        "the request line is too long; send the same parameters as an "
        "application/x-www-form-urlencoded POST body instead"
    )


class FormPost:
    """POST with form parameters is the same request as GET with them in the URL.

    A cut of all 369 SOC unit groups is about 5 KB, near or over what proxies and HTTP
    servers accept in a request line; in a body it has room. The body is moved into the
    query string before Flask sees the request, so every endpoint, the parameter checks,
    the cache and the ETag treat both forms alike. Only the data endpoints (/cube/...) take
    it; the body is bounded, read whole (by Content-Length or chunked), and must be UTF-8;
    problems are answered by the app in the usual error shape.
    """

    PROBLEM = "lmi_cubes.post_problem"
    FORM = "application/x-www-form-urlencoded"

    def __init__(self, wsgi_app: Any, max_bytes: int, max_url: int):
        self.wsgi_app = wsgi_app
        self.max_bytes = max_bytes
        self.max_url = max_url

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if len(path) + len(environ.get("QUERY_STRING", "")) > self.max_url:
            environ[self.PROBLEM] = "url_too_long"
            environ["QUERY_STRING"] = ""
        # Slicer's /report takes its queries as a JSON body of its own
        elif (
            environ.get("REQUEST_METHOD") == "POST"
            and path.startswith("/cube/")
            and not path.rstrip("/").endswith("/report")
        ):
            self._rewrite(environ)
        return self.wsgi_app(environ, start_response)

    def _rewrite(self, environ: dict[str, Any]) -> None:
        kind = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        try:
            length = -1 if chunked else int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -2
        if length == 0 and kind in ("", self.FORM):  # no parameters: the same as a GET
            environ["REQUEST_METHOD"] = "GET"
            return
        if kind != self.FORM or length < -1:
            environ[self.PROBLEM] = "content_type"
        elif length > self.max_bytes:
            environ[self.PROBLEM] = "too_large"
        else:
            body = self._read(environ["wsgi.input"], length)
            if body is None:
                environ[self.PROBLEM] = "too_large"
            elif length >= 0 and len(body) < length:
                environ[self.PROBLEM] = "truncated"
            elif not _utf8(body):
                environ[self.PROBLEM] = "encoding"
            else:
                query = environ.get("QUERY_STRING", "")
                text = body.decode("latin-1")  # WSGI strings carry bytes as latin-1
                environ["QUERY_STRING"] = "&".join(q for q in (query, text.strip()) if q)
                environ["REQUEST_METHOD"] = "GET"
                environ["CONTENT_LENGTH"] = "0"
                environ.pop("HTTP_TRANSFER_ENCODING", None)
                environ["wsgi.input"] = BytesIO()
                return
        environ["REQUEST_METHOD"] = "GET"  # answered by _start with the problem
        environ["QUERY_STRING"] = ""

    def _read(self, stream: Any, length: int) -> bytes | None:
        """The whole body, or None past the limit; a chunked body is read to its end."""
        if length >= 0:
            return bytes(stream.read(length)) if length else b""
        parts, size = [], 0
        while chunk := stream.read(65536):
            parts.append(chunk)
            size += len(chunk)
            if size > self.max_bytes:
                return None
        return b"".join(parts)


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return "\0" not in data.decode("utf-8")


def _script_hashes(response: Response) -> str:
    """The page's own inline scripts, allowed by their SHA-256 (and nothing else inline)."""
    if response.direct_passthrough or response.is_streamed:
        return ""
    found = _INLINE_SCRIPT.findall(response.get_data())
    return "".join(
        f" 'sha256-{base64.b64encode(hashlib.sha256(x).digest()).decode()}'" for x in found
    )


def _favicon() -> Response:
    data = resources.files("lmi_cubes.cube_server").joinpath("static/favicon.ico").read_bytes()
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
    response.headers["X-Content-Type-Options"] = "nosniff"
    if response.mimetype == "text/html":
        embeddable = request.path in EMBEDDABLE
        policy = PAGE_POLICY.format(
            scripts=_script_hashes(response), ancestors="*" if embeddable else "'none'"
        )
        response.headers["Content-Security-Policy"] = policy
        if not embeddable:
            response.headers["X-Frame-Options"] = "DENY"
    if (
        request.method == "OPTIONS"
        and request.path.startswith("/cube/")
        and response.status_code == 200
    ):
        # POST is answered by every /cube/ endpoint (the form body becomes the query string)
        response.headers["Allow"] = "GET, HEAD, POST, OPTIONS"
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
        request.full_path.rstrip("?")[:LOGGED_URL],
        response.status_code,
        elapsed,
        g.get("request_id"),
    )
    return response
