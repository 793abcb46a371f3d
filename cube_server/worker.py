"""The gunicorn worker `lmi-cubes serve` runs: gthread, with errors in the API's JSON shape.

gunicorn answers requests it cannot parse (a request line over its limit, huge headers, raw
non-ASCII bytes in the path) itself, before the application sees them, with an HTML page.
Clients of a JSON API should get the same error shape as from every other path, so this
worker replaces gunicorn's error writer in its own process. gunicorn has no hook for the
body of these errors; its writer is one small module function, called from one place.
"""

from __future__ import annotations

import uuid
from typing import Any

import orjson
from gunicorn import util
from gunicorn.workers.gthread import ThreadWorker

from cube_server.statuses import TYPES

HINTS = {
    414: "the request line is too long; send the same parameters as an "
    "application/x-www-form-urlencoded POST body instead",
    431: "the request headers are too large",
    400: "the request is malformed (non-ASCII characters in a URL must be percent-encoded)",
}


def write_json_error(sock: Any, status_int: int, reason: str, mesg: str) -> None:
    """gunicorn's `util.write_error`, writing `{"error": {...}}` instead of HTML."""
    request_id = uuid.uuid4().hex[:16]
    detail = mesg.strip()[:200]
    message = HINTS.get(status_int, reason.lower())
    body = orjson.dumps(
        {
            "error": {
                "status": status_int,
                "type": TYPES.get(status_int, "error"),
                "message": f"{message} ({detail})" if detail and status_int != 500 else message,
                "request_id": request_id,
            }
        }
    )
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\n"
        "Connection: close\r\n"
        "Content-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n"
        "Access-Control-Allow-Origin: *\r\n"
        "X-Content-Type-Options: nosniff\r\n"
        f"X-Request-ID: {request_id}\r\n\r\n"
    )
    util.write_nonblock(sock, head.encode("latin-1") + body)


class JsonErrorWorker(ThreadWorker):
    def init_process(self) -> None:
        util.write_error = write_json_error
        super().init_process()
