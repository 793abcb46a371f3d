"""Query parameters of every endpoint, declared once: parsed from here and documented from here.

The OpenAPI document is generated from these declarations, so the documented and the
implemented parameters cannot drift apart; unknown parameters are refused by name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from werkzeug.datastructures import MultiDict

from lmi_cubes.aggregates.paging import MAX_PAGE_SIZE
from lmi_cubes.model.errors import QueryError

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
    # Repeated values are joined with this separator, as Slicer combines repeated `cut`,
    # `drilldown`, `aggregates` and `order`; None refuses a repeat rather than pick one.
    multi: str | None = None
    minimum: int | None = None  # documented ranges of integer parameters (checked later,
    maximum: int | None = None  # by the engine, against the model and the data's years)
    required: bool = False  # documented as required (the endpoint refuses a request without)


CUT_GRAMMAR = (
    "cut := dimcut ('|' dimcut)* ; dimcut := ['!'] dim ['@' hierarchy] ':' spec ; "
    "spec := path (';' path)* | [path] '-' [path] ; path := key (',' key)* "
    "(keys from the top level down, e.g. occupation:2,21,213; a set: region:1,1,1;1,1,2; "
    "a range: year:2015-2020; inverted: !industry:2)"
)
CUT = Param(
    "cut",
    "Slicer cut; repeated cuts are combined. Grammar: " + CUT_GRAMMAR,
    example="gender:2|occupation:2,21",
    multi="|",
)
FORMAT = Param("format", "Response format", enum=("json", "csv"), default="json")
# Accepted everywhere because Slicer clients send them: `lang` (only English labels exist,
# so it changes nothing), `prettyprint` (indented JSON) and `_` (a jQuery cache buster).
COMMON = (
    Param("lang", "Label language (ignored: labels are English only)"),
    Param("prettyprint", "Indent the JSON", "boolean", default=False),
    Param("_", "Cache buster sent by some clients (ignored)"),
)
HEADER = Param(
    "header",
    "CSV header: labels (default, as Slicer), names (attribute references) or none",
    enum=("labels", "names", "none"),
    default="labels",
)
PAGING = (
    Param("page", "Page number, from 0", "integer", default=0, minimum=0),
    Param(
        "pagesize",
        f"Records per page (1..{MAX_PAGE_SIZE})",
        "integer",
        minimum=1,
        maximum=MAX_PAGE_SIZE,
    ),
    Param(
        "page_size",
        "Same as pagesize (the spelling of the Python Slicer client)",
        "integer",
        minimum=1,
        maximum=MAX_PAGE_SIZE,
    ),
)
ORDER = Param(
    "order",
    "Order by aggregates or attribute references (keys or labels), name[:asc|desc], ',' "
    "between; repeated orders are combined",
    example="occupation.soc1_title:desc",
    multi=",",
)
YEARS = (
    Param(
        "from",
        "First year of a change (Working Futures; a year of the data; default: the latest "
        "history year, reported in `defaults`)",
        "integer",
    ),
    Param(
        "to",
        "Last year of a change (Working Futures; later than from; default: the cube's last "
        "year, reported in `defaults`)",
        "integer",
    ),
)

AGE = Param(
    "age",
    "Age 20..65 for mean_pay_at_age (optional for median_pay and pay_decile)",
    "integer",
    minimum=20,
    maximum=65,
)
DECILE = Param(
    "decile", "Decile 10..90 (a multiple of 10) for pay_decile", "integer", minimum=10, maximum=90
)

ENDPOINTS: dict[str, tuple[Param, ...]] = {
    "info": COMMON,
    "version": COMMON,
    "cubes": COMMON,
    "model": COMMON,
    "health": COMMON,
    "members": (
        Param("level", "Deepest level to list (default: finest of the hierarchy)"),
        Param(
            "depth",
            "Number of levels to list, from the top (use this or level)",
            "integer",
            minimum=1,
        ),
        Param("hierarchy", "Hierarchy of the dimension (default: its default hierarchy)"),
        CUT,
        *PAGING,
        ORDER,
        Param("format", "Response format", enum=("json", "csv", "json_lines"), default="json"),
        HEADER,
        *COMMON,
    ),
    "cell": (
        CUT,
        Param("dimension", "Only the cuts of this dimension"),
        *COMMON,
    ),
    "aggregate": (
        Param(
            "drilldown",
            "Dimensions to group by, dim[@hierarchy][:level], '|' between; without a level, "
            "one level below the dimension's cut; repeated drilldowns are combined",
            example="occupation:soc1|gender",
            multi="|",
        ),
        CUT,
        Param(
            "aggregates",
            "Aggregates, '|' between (default: every aggregate of the model that applies); "
            "repeated lists are combined",
            example="employment|mean_pay|pay_decile_p90",
            multi="|",
        ),
        ORDER,
        *PAGING,
        AGE,
        DECILE,
        *YEARS,
        Param(
            "fallback",
            "Fill withheld cells from the nearest reliable coarser level",
            "boolean",
            default=False,
        ),
        Param("split", "Slicer split cell (not supported: refused with a 400)"),
        Param("fields", "Slicer fields list (ignored for aggregates, as by Slicer)"),
        FORMAT,
        HEADER,
        *COMMON,
    ),
    "crosstab": (
        Param(
            "rows",
            "Row axis, dim[@hierarchy][:level]; without a level, one level below the "
            "dimension's point cut (the top level without one), reported in `defaults`",
            example="occupation:soc1",
            required=True,
        ),
        Param(
            "columns",
            "Column axis, dim[@hierarchy][:level] (optional; a level is chosen as for rows)",
            example="region:nation",
        ),
        Param(
            "measure",
            "Measure (default: the cube's default measure, reported in `defaults`)",
            example="mean_pay",
        ),
        CUT,
        AGE,
        DECILE,
        *YEARS,
        Param("margins", "Include row, column and grand totals", "boolean", default=True),
        Param(
            "fallback",
            "Fill withheld cells from the nearest reliable coarser level",
            "boolean",
            default=False,
        ),
        Param(
            "format",
            "Response format; csv-metadata is the CSV's W3C CSVW description (the query, "
            "columns and shorthand), linked from the CSV's Link header",
            enum=("json", "csv", "csv-metadata"),
            default="json",
        ),
        Param(
            "layout",
            "CSV layout: tidy (one line per cell) or wide (a matrix, with a shorthand column "
            "beside each value column: [x] withheld, [u] low reliability, [z] not applicable, "
            "[f] filled)",
            enum=("tidy", "wide"),
            default="tidy",
        ),
        *COMMON,
    ),
}


def parse(endpoint: str, args: MultiDict[str, str] | Mapping[str, str]) -> dict[str, Any]:
    """Typed parameters with defaults; QueryError names any unknown, repeated or malformed one.

    A repeated parameter is combined when Slicer combines it and refused otherwise: taking
    only the first value once answered a different question than the one asked.
    """
    declared = {p.name: p for p in ENDPOINTS[endpoint]}
    for name in args:
        if name not in declared:
            raise QueryError(name, "unknown parameter", sorted(declared) or ["(none)"])
    out: dict[str, Any] = {}
    for name, param in declared.items():
        values = args.getlist(name) if isinstance(args, MultiDict) else _single(args, name)
        if param.multi is not None:  # Slicer clients send an empty `cut=` for "no cut"
            values = [v for v in values if v != ""]
        if len(values) > 1 and param.multi is None:
            raise QueryError(
                name, f"given {len(values)} times; give it once", [f"{name}={v}" for v in values]
            )
        raw = param.multi.join(values) if param.multi and values else (values or [None])[0]
        if raw is None:
            out[name] = param.default
            continue
        if raw == "":  # a forgotten value is a mistake, not a request for the default
            choices = list(param.enum) if param.enum else None
            raise QueryError(name, f"{name}= is empty; give a value or leave {name} out", choices)
        if param.kind == "boolean":
            lowered = raw.strip().lower()
            if lowered not in TRUE | FALSE:
                raise QueryError(name, f"{raw!r} is not true or false", ["true", "false"])
            out[name] = lowered in TRUE
        elif param.kind == "integer":
            number = parse_int(name, raw)
            low = param.minimum if param.minimum is not None else number
            high = param.maximum if param.maximum is not None else number
            if not low <= number <= high:
                span = f"{param.minimum if param.minimum is not None else ''}.." + (
                    f"{param.maximum}" if param.maximum is not None else ""
                )
                raise QueryError(name, f"{number} is out of range", [span])
            out[name] = number
        elif param.enum is not None:
            if raw not in param.enum:
                raise QueryError(name, f"{raw!r} is not supported", param.enum)
            out[name] = raw
        else:
            out[name] = raw  # the engine validates names, members, ages and years
    out.pop("_", None)  # a cache buster must not split the cache
    return out


def _single(args: Mapping[str, str], name: str) -> list[str]:
    value = args.get(name)
    return [] if value is None else [value]


def page_size(p: dict[str, Any], default: int | None) -> int | None:
    """`pagesize` or its alias `page_size`; refuses both at once (the engine checks it)."""
    if p["pagesize"] is not None and p["page_size"] is not None:
        raise QueryError("page_size", "give pagesize or page_size, not both", ["pagesize"])
    size = p["pagesize"] if p["pagesize"] is not None else p["page_size"]
    return default if size is None else int(size)


def order(text: str | None) -> tuple[tuple[str, str], ...]:
    """Slicer's `order=field[:asc|desc],...` as the engine's (field, direction) pairs;
    the engine checks the fields and directions."""
    pairs = []
    for part in (x.strip() for x in (text or "").split(",") if x.strip()):
        name, _, direction = part.partition(":")
        pairs.append((name, direction or "asc"))
    return tuple(pairs)
