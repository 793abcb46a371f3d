"""Per-client limits: a request rate (flask-limiter) and a number of requests in progress,
per API key when one is sent, else per address; and optional API keys.

The address is the connection's, or, behind a configured trusted proxy, the client that proxy
names in X-Forwarded-For (the server rewrites REMOTE_ADDR for that proxy only, so a client
cannot name itself). Counts are kept in each worker process's memory: a limit of N per
client is N per worker (docs/limits.md).
"""

from __future__ import annotations

import hmac
import threading
from typing import Any

from flask import Flask, g, request
from flask_limiter import Limiter
from werkzeug.exceptions import TooManyRequests, Unauthorized

KEY_HEADER = "X-API-Key"
# never limited or keyed: what a load balancer and the pages' own files need
EXEMPT = ("/health", "/static/", "/favicon.ico")


class MissingKey(Unauthorized):
    description = f"this server needs an API key: send it in the {KEY_HEADER} header"


class BadKey(Unauthorized):
    description = f"the {KEY_HEADER} header is not a key of this server"


class Busy(TooManyRequests):
    def __init__(self, most: int):
        super().__init__(
            f"this client already has {most} requests in progress; wait for one to finish"
        )

    def get_headers(self, *args: Any, **kwargs: Any) -> list[tuple[str, str]]:
        return [*super().get_headers(*args, **kwargs), ("Retry-After", "1")]


def client() -> str:
    """Who is asking: `key:<key>` for a valid API key, else `addr:<address>`."""
    key = g.get("lmi_api_key")
    return f"key:{key}" if key else f"addr:{request.remote_addr or '-'}"


def _exempt() -> bool:
    return request.method == "OPTIONS" or request.path.startswith(EXEMPT)


class Clients:
    def __init__(self, app: Flask):
        config = app.config
        self.keys = tuple(k.strip() for k in str(config["API_KEYS"]).split(",") if k.strip())
        self.required = bool(config["REQUIRE_API_KEY"]) and bool(self.keys)
        self.most = int(config["CLIENT_CONCURRENCY"])
        self.active: dict[str, int] = {}
        self.lock = threading.Lock()
        rate = str(config["CLIENT_RATE"]).strip()
        self.limiter = Limiter(
            client,
            app=app,
            default_limits=[rate] if rate else [],
            default_limits_exempt_when=_exempt,
            storage_uri="memory://",
            headers_enabled=True,
            strategy="moving-window",
            enabled=bool(rate),
        )
        # the key is checked after the request id is set (_start, registered first) and
        # before the limiter counts the request
        app.before_request_funcs.setdefault(None, []).insert(1, self.identify)
        app.before_request(self.enter)
        app.teardown_request(self.leave)

    def identify(self) -> None:
        sent = request.headers.get(KEY_HEADER)
        if sent is None or _exempt():
            if self.required and not _exempt():
                raise MissingKey()
            return
        if not any(hmac.compare_digest(sent.encode(), k.encode()) for k in self.keys):
            raise BadKey()
        g.lmi_api_key = sent

    def enter(self) -> None:
        if self.most <= 0 or _exempt():
            return
        who = client()
        with self.lock:
            if self.active.get(who, 0) >= self.most:
                raise Busy(self.most)
            self.active[who] = self.active.get(who, 0) + 1
        g.lmi_client = who

    def leave(self, _exc: BaseException | None) -> None:
        who = g.pop("lmi_client", None)
        if who is None:
            return
        with self.lock:
            left = self.active[who] - 1
            if left:
                self.active[who] = left
            else:
                del self.active[who]
