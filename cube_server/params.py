"""Query parameters of every endpoint, declared once: parsed from here and documented from here.

The OpenAPI document is generated from these declarations, so the documented and the
implemented parameters cannot drift apart; unknown parameters are refused by name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from aggregates.errors import QueryError

TRUE, FALSE = {"true", "1", "yes", "on"}, {"false", "0", "no", "off"}
# ASCII digits only: Python's int() also takes "2_5", " 7" and Arabic-Indic digits. Nine
# digits at most, so every accepted number fits any integer type downstream (page=2**64
# once reached the JSON encoder and failed there).
INTEGER = re.compile(r"-?[0-9]{1,9}")


def parse_int(name: str, raw: str) -> int:
    """A whole number written plainly, or QueryError naming the parameter."""
    if not INTEGER.fullmatch(raw):
        too_long = re.fullmatch(r"-?[0-9]+", raw) is not None
        what = "is out of range" if too_long else "is not a whole number (digits 0-9 only)"
        raise QueryError(name, f"{raw[:40]!r} {what}")
    return int(raw)


@dataclass(frozen=True)
class Param:
    name: str
    description: str
    kind: str = "string"  # string | integer | boolean
    enum: tuple[str, ...] | None = None
    default: Any = None
    example: str | None = None


CUT = Param(
    "cut",
    "Slicer cut: dim:path with '|' between dimensions, ',' down a hierarchy, ';' for a set, "
    "'-' for a range, '!' to invert, @hierarchy to choose one",
    example="gender:2|occupation:2,21",
)
FORMAT = Param("format", "Response format", enum=("json", "csv"), default="json")

ENDPOINTS: dict[str, tuple[Param, ...]] = {
    "cubes": (),
    "model": (),
    "health": (),
    "members": (
        Param("level", "Level of the dimension (default: finest of the hierarchy)"),
        Param("hierarchy", "Hierarchy of the dimension (default: its default hierarchy)"),
        CUT,
    ),
    "aggregate": (
        Param(
            "drilldown",
            "Dimensions to group by, dim[@hierarchy][:level], '|' between",
            example="occupation:soc1|gender",
        ),
        CUT,
        Param(
            "aggregates",
            "Measures, '|' between (default: the cube's default measure)",
            example="employment|mean_pay",
        ),
        Param(
            "order",
            "Order cells by a measure or drilldown dimension, name[:asc|desc]",
            example="mean_pay:desc",
        ),
        Param("page", "Page number, from 0", "integer", default=0),
        Param("pagesize", "Cells per page (1..10000)", "integer", default=1000),
        Param("age", "Age 20..65 for pay-at-age measures", "integer"),
        Param("decile", "Decile 10..90 for pay_decile", "integer"),
        Param("from", "First year of a change (Working Futures)", "integer"),
        Param("to", "Last year of a change (Working Futures)", "integer"),
        FORMAT,
    ),
    "crosstab": (
        Param("rows", "Row axis, dim[@hierarchy][:level]", example="occupation:soc1"),
        Param(
            "columns", "Column axis, dim[@hierarchy][:level] (optional)", example="region:nation"
        ),
        Param("measure", "Measure (default: the cube's default measure)", example="mean_pay"),
        CUT,
        Param(
            "age", "Age 20..65 for mean_pay_at_age (optional for median_pay, pay_decile)", "integer"
        ),
        Param("decile", "Decile 10..90 for pay_decile", "integer"),
        Param("from", "First year of a change (Working Futures)", "integer"),
        Param("to", "Last year of a change (Working Futures)", "integer"),
        Param("margins", "Include row, column and grand totals", "boolean", default=True),
        Param(
            "fallback",
            "Fill withheld cells from the nearest reliable coarser level",
            "boolean",
            default=False,
        ),
        FORMAT,
        Param(
            "layout",
            "CSV layout: tidy (one line per cell) or wide (matrix with [x] and [u])",
            enum=("tidy", "wide"),
            default="tidy",
        ),
    ),
}


def parse(endpoint: str, args: Mapping[str, str]) -> dict[str, Any]:
    """Typed parameters with defaults; QueryError names any unknown or malformed one."""
    declared = {p.name: p for p in ENDPOINTS[endpoint]}
    for name in args:
        if name not in declared:
            raise QueryError(name, "unknown parameter", sorted(declared) or ["(none)"])
    out: dict[str, Any] = {}
    for name, param in declared.items():
        raw = args.get(name)
        if raw is None:
            out[name] = param.default
            continue
        if raw == "":  # a forgotten value is a mistake, not a request for the default
            choices = list(param.enum) if param.enum else None
            raise QueryError(name, "is empty; give a value or leave the parameter out", choices)
        if param.kind == "boolean":
            lowered = raw.strip().lower()
            if lowered not in TRUE | FALSE:
                raise QueryError(name, f"{raw!r} is not true or false", ["true", "false"])
            out[name] = lowered in TRUE
        elif param.kind == "integer":
            out[name] = parse_int(name, raw)
        elif param.enum is not None:
            if raw not in param.enum:
                raise QueryError(name, f"{raw!r} is not supported", param.enum)
            out[name] = raw
        else:
            out[name] = raw  # the engine validates names, members, ages and years
    return out
