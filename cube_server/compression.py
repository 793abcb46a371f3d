"""Response compression for clients that ask for it (Accept-Encoding: br or gzip).

A fine cross-tab is several megabytes of JSON that compresses about tenfold; flask-compress
negotiates the encoding, sets `Vary: Accept-Encoding` and keeps ETags distinct per
encoding, so caches in front never serve one encoding to a client that asked for another.

Compressing a large body takes longer than finding it in the response cache, so a repeated
request would spend most of its time compressing the same bytes again. A body that carries
a strong ETag is the same bytes for the same ETag on the same warehouse version (the ETag
is made from the parsed request and the vintage), so its compressed form is kept per
encoding in the response cache, under that ETag and version, from its second request on,
weighed and evicted like every other entry.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, current_app, g
from flask_compress import Compress

from lmi_cubes.cube_server.responses import cache_versions

SETTINGS = {
    # brotli first (smaller, what browsers prefer), gzip for every other client
    "COMPRESS_ALGORITHM": ["br", "gzip"],
    "COMPRESS_MIMETYPES": [
        "application/json",
        "application/x-json-lines",
        "text/csv",
        "text/html",
        "text/css",
        "text/javascript",
        "application/javascript",
    ],
    "COMPRESS_MIN_SIZE": 1024,  # below this the headers cost more than they save
    "COMPRESS_BR_LEVEL": 4,
    "COMPRESS_LEVEL": 6,
}


class _Bodies:
    """flask-compress's cache interface over the response cache. Its key is
    "<encoding>;<body key>", the body key "" when the response has none (not kept)."""

    def get(self, key: str) -> bytes | None:
        if key.endswith(";"):
            return None
        hit: bytes | None = current_app.extensions["lmi_cubes"].cache.get(("compressed", key))
        return hit

    def set(self, key: str, value: bytes) -> None:
        if key.endswith(";"):
            return
        cache = current_app.extensions["lmi_cubes"].cache
        if cache.get(("compressed", key)) is None:
            cache.offer(("compressed", key), value)


def _body_key(_request: Any) -> str:
    """The key of the response being compressed: asked for only when a body is compressed,
    so a response sent as it is costs nothing here."""
    response: Response | None = g.get("lmi_compressing")
    served = g.get("lmi_served")
    if response is None or served is None or response.is_streamed:
        return ""
    etag, weak = response.get_etag()
    if not etag or weak:
        return ""
    return repr((served.identity, cache_versions(), etag, response.mimetype))


class CachedCompress(Compress):
    """flask-compress, keeping the compressed form of ETagged bodies (module docstring)."""

    def after_request(self, response: Response | None) -> Response:
        g.lmi_compressing = response
        return super().after_request(response)


def enable(app: Flask) -> None:
    for key, value in SETTINGS.items():
        app.config.setdefault(key, value)
    app.config.setdefault("COMPRESS_CACHE_BACKEND", _Bodies)
    app.config.setdefault("COMPRESS_CACHE_KEY", _body_key)
    CachedCompress(app)
