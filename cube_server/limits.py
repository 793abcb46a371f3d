"""How much one request may ask of the server: cells, queries, bytes and seconds.

The engine bounds each query (a cube's cell limit, a statement's time limit); a request may
run many queries (one per parameter set on /aggregate, one per entry of a /report), so the
server also bounds the request as a whole, *before* the work starts: the cells of every
query it will run are added up and compared with the budget. The limits are settings of the
app (docs/limits.md); over one, the answer is a 413 in the usual error shape that names the
limit and how to split the request.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from flask import current_app, g

from lmi_cubes.model.errors import QueryError
from lmi_cubes.warehouse.errors import QueryTimeout


class OverBudget(QueryError):
    """A request larger than one request may be; the message says how to split it."""

    status = 413


@dataclass(frozen=True)
class Limits:
    request_cells: int  # cells summed over every query a request runs
    report_queries: int  # queries in one /report body
    body_bytes: int  # any request body (a /report's JSON)
    form_bytes: int  # a form POST's body (moved into the query string)
    json_depth: int  # nesting of a JSON body
    response_bytes: int  # a rendered answer
    request_seconds: float  # wall-clock time of one request

    @classmethod
    def of(cls, config: dict[str, Any]) -> Limits:
        return cls(
            request_cells=int(config["REQUEST_CELLS"]),
            report_queries=int(config["REPORT_QUERIES"]),
            body_bytes=int(config["MAX_BODY_BYTES"]),
            form_bytes=int(config["MAX_FORM_BYTES"]),
            json_depth=int(config["MAX_JSON_DEPTH"]),
            response_bytes=int(config["MAX_RESPONSE_MB"] * (1 << 20)),
            request_seconds=float(config["REQUEST_TIMEOUT_S"]),
        )


def limits() -> Limits:
    return current_app.extensions["lmi_cubes_limits"]


def charge(cells: int, parameter: str, how: str) -> None:
    """Add `cells` to this request's work; over the budget, refuse before running any of it.

    `how` tells the client how to split the request (fewer aggregates, fewer queries)."""
    spent = int(g.get("lmi_cells", 0)) + int(cells)
    budget = limits().request_cells
    if spent > budget:
        raise OverBudget(
            parameter,
            f"this request would compute {spent:,} cells (cells x queries); one request may "
            f"compute at most {budget:,}; {how}, or choose coarser levels or cut the data",
        )
    g.lmi_cells = spent


def check_time() -> None:
    """Between the queries of one request: past its wall-clock limit, stop with a 504."""
    started = g.get("started")
    seconds = limits().request_seconds
    if started is not None and time.perf_counter() - started > seconds:
        raise RequestTimeout(seconds)


class RequestTimeout(QueryTimeout):
    def __init__(self, seconds: float):
        RuntimeError.__init__(
            self,
            f"the request took longer than its limit of {seconds:g} s and was stopped; "
            "split it into smaller requests or try again later",
        )
        self.seconds = seconds


def check_response(size: int) -> None:
    """A rendered answer over the byte limit is refused rather than sent."""
    most = limits().response_bytes
    if size > most:
        raise OverBudget(
            "format",
            f"the answer would be {size:,} bytes; the limit is {most:,}; ask for fewer "
            "aggregates or cells per request (pages: page and pagesize)",
        )


def too_deep(value: Any, most: int) -> bool:
    """Whether a parsed JSON value nests deeper than `most` (orjson refuses past 1,024 levels
    while parsing, so this walk is bounded too)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > most:
                return True
            children = item.values() if isinstance(item, dict) else item
            stack.extend((c, depth + 1) for c in children if isinstance(c, dict | list))
    return False
