"""The two ways a warehouse can fail a request that are not the request's fault.

Both are answered by the server in its one error shape: an unusable warehouse is a 503 (it
may come back when a good version is published), a statement over its time limit a 504.
"""

from __future__ import annotations


class WarehouseUnavailable(RuntimeError):
    """The warehouse is missing, unreadable, corrupt or unreachable; the message names which."""


class VersionGone(WarehouseUnavailable):
    """The version was replaced and dropped between reading the pointer and opening it."""


class QueryTimeout(RuntimeError):
    """A statement ran longer than its time limit and was cancelled by the backend."""

    def __init__(self, seconds: float):
        super().__init__(
            f"the query took longer than its limit of {seconds:g} s and was cancelled; "
            "narrow it (fewer members, a coarser level) or try again later"
        )
        self.seconds = seconds
