"""The gunicorn worker `lmi-cubes serve` runs: waitress inside, so slow clients hold no thread.

gunicorn's threaded worker hands a connection to a thread as soon as it is readable, and the
thread then waits for the rest of the headers and the body: 64 connections sending their
headers a byte at a time (or 8 sending a partial body) held every thread and nothing else
was answered. waitress reads and buffers each request whole in one event loop (headers and
body, spooled to a temporary file when large) and gives a thread only complete requests, so a
slow client costs a socket, not a thread. gunicorn stays the process manager (workers,
restarts, signals, its options); each worker runs waitress on gunicorn's listening sockets.

Errors waitress answers itself (headers too large, a malformed request) and the access log
line are written here in the API's JSON error shape and the server's log format.
"""

from __future__ import annotations

import logging
import os
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import orjson
from gunicorn.workers.base import Worker
from waitress import channel, task, wasyncore
from waitress.server import BaseWSGIServer, create_server
from waitress.task import ThreadedTaskDispatcher

from lmi_cubes.cube_server.statuses import TYPES

HINTS = {
    414: "the request line is too long; send the same parameters as an "
    "application/x-www-form-urlencoded POST body instead",
    431: "the request headers are too large",
    413: "the request body has more bytes than a request may have; split the request",
    400: "the request is malformed (non-ASCII characters in a URL must be percent-encoded)",
}
LOGGED_URL = 512  # characters of a request line kept in the access log
HEARTBEAT_S = 1.0  # how often a worker tells the gunicorn master it is alive


def error_body(status: int, reason: str, detail: str = "") -> tuple[bytes, str]:
    """The API's error shape for errors answered before the application sees the request."""
    request_id = uuid.uuid4().hex[:16]
    detail = detail.strip()[:200]
    message = HINTS.get(status, reason.lower())
    body = {
        "error": {
            "status": status,
            "type": TYPES.get(status, "error"),
            "message": f"{message} ({detail})" if detail and status != 500 else message,
            "request_id": request_id,
        }
    }
    return orjson.dumps(body), request_id


class JsonErrorTask(task.ErrorTask):
    """waitress's error answer, in the API's JSON error shape."""

    def execute(self) -> None:
        error = self.request.error
        body, request_id = error_body(error.code, error.reason, str(error.body))
        self.status = f"{error.code} {error.reason}"
        self.response_headers.extend(
            [
                ("Content-Type", "application/json"),
                ("Access-Control-Allow-Origin", "*"),
                ("X-Content-Type-Options", "nosniff"),
                ("X-Request-ID", request_id),
            ]
        )
        self.set_close_on_finish()
        self.content_length = len(body)
        self.write(body)


class JsonErrorChannel(channel.HTTPChannel):
    error_task_class = JsonErrorTask


def access_logged(app: Any, log: logging.Logger) -> Callable[..., Iterable[bytes]]:
    """One access-log line per request, with the URL cut to LOGGED_URL characters."""

    def logged(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterator[bytes]:
        started = time.perf_counter()
        seen: dict[str, Any] = {}

        def starting(status: str, headers: list[tuple[str, str]], *exc: Any) -> Any:
            seen["status"], seen["headers"] = status, headers
            return start_response(status, headers, *exc)

        size = 0
        result = app(environ, starting)
        try:
            for chunk in result:
                size += len(chunk)
                yield chunk
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
            query = environ.get("QUERY_STRING", "")
            target = environ.get("PATH_INFO", "") + (f"?{query}" if query else "")
            if len(target) > LOGGED_URL:
                target = f"{target[:LOGGED_URL]}...({len(target):,} characters)"
            headers = dict((k.lower(), v) for k, v in seen.get("headers", []))
            log.info(
                '%s "%s %s %s" %s %sB %dms id=%s',
                environ.get("REMOTE_ADDR", "-"),
                environ.get("REQUEST_METHOD", "-"),
                target,
                environ.get("SERVER_PROTOCOL", "-"),
                str(seen.get("status", "-")).split(" ")[0],
                size,
                (time.perf_counter() - started) * 1000,
                headers.get("x-request-id", "-"),
            )

    return logged


class BufferingWorker(Worker):
    """A gunicorn worker that serves with waitress (see the module's docstring)."""

    def run(self) -> None:
        app = self.wsgi
        config = app.config
        options = server_options(config, int(self.cfg.threads))
        served = access_logged(app, logging.getLogger("gunicorn.access"))
        channels: dict[int, Any] = {}
        dispatcher = ThreadedTaskDispatcher()
        dispatcher.set_thread_count(options["threads"])
        server = create_server(
            served,
            map=channels,
            _dispatcher=dispatcher,
            sockets=[s.sock for s in self.sockets],
            ident="lmi-cubes",
            **options,
        )
        for listener in _listeners(channels):
            listener.channel_class = JsonErrorChannel
        notified = 0.0
        while self.alive:
            # the heartbeat is a system call on a file; once a second is well within the
            # master's timeout, while once per wake-up cost a repeated request more server
            # time than answering it
            if time.monotonic() - notified >= HEARTBEAT_S:
                self.notify()
                notified = time.monotonic()
            wasyncore.loop(timeout=HEARTBEAT_S, map=channels, use_poll=True, count=1)
            if self.ppid != os.getppid():
                self.log.info("parent changed, shutting down: %s", self)
                break
        # stop accepting, let the requests in progress finish within the graceful timeout
        for listener in _listeners(channels):
            listener.del_channel()  # gunicorn closes the listening sockets themselves
        deadline = time.monotonic() + float(self.cfg.graceful_timeout)
        while any(isinstance(c, channel.HTTPChannel) for c in channels.values()):
            if time.monotonic() > deadline:
                break
            self.notify()
            wasyncore.loop(timeout=0.5, map=channels, use_poll=True, count=1)
        dispatcher.shutdown(cancel_pending=True, timeout=5)
        server.task_dispatcher = None


def _listeners(channels: dict[int, Any]) -> list[Any]:
    return [c for c in list(channels.values()) if isinstance(c, BaseWSGIServer)]


def server_options(config: Any, threads: int) -> dict[str, Any]:
    """waitress's settings from the app's config (docs/limits.md)."""
    body = max(int(config.get("MAX_BODY_BYTES", 1 << 20)), int(config.get("MAX_FORM_BYTES", 0)))
    options: dict[str, Any] = {
        "threads": threads,
        "channel_timeout": int(config["CLIENT_TIMEOUT_S"]),
        "connection_limit": int(config["MAX_CONNECTIONS"]),
        "max_request_header_size": int(config["MAX_HEADER_BYTES"]),
        "max_request_body_size": body,
        "cleanup_interval": 5,
    }
    proxy = str(config["TRUSTED_PROXY"] or "")
    if proxy:
        options.update(
            trusted_proxy=proxy,
            trusted_proxy_count=1,
            trusted_proxy_headers={"x-forwarded-for", "x-forwarded-proto"},
            clear_untrusted_proxy_headers=True,
        )
    return options
