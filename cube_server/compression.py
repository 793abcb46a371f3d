"""Response compression for clients that ask for it (Accept-Encoding: br or gzip).

A fine cross-tab is several megabytes of JSON that compresses about tenfold; flask-compress
negotiates the encoding, sets `Vary: Accept-Encoding` and keeps ETags distinct per
encoding, so caches in front never serve one encoding to a client that asked for another.
"""

from __future__ import annotations

from flask import Flask
from flask_compress import Compress

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


def enable(app: Flask) -> None:
    for key, value in SETTINGS.items():
        app.config.setdefault(key, value)
    Compress(app)
