"""What every LMI for All endpoint shares: lenient parameters, JSONP, the original's errors.

Existing clients send what the original tolerated (jQuery's `_=`, `filter=`, values with
`coarse=false` glued on without `&`), so parameters are read leniently and unknown ones
ignored. Every number still comes from a cube query; this module only turns codes the
clients use into cuts the engine understands.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import orjson
from flask import Response, current_app, request

from lmi_cubes.aggregates.catalog import Catalog
from lmi_cubes.aggregates.engine import Engine
from lmi_cubes.cube_server.state import Served, WarehouseState
from lmi_cubes.model import Cube, Dimension, Level
from lmi_cubes.warehouse import WarehouseUnavailable

JSON_TYPE = "application/json; charset=utf-8"
JSONP_TYPE = "application/javascript; charset=utf-8"
_CALLBACK = re.compile(r"^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$")
# ASCII digits only (`\d` also takes Arabic-Indic and fullwidth ones); nine at most, so no
# number reaches int()'s 4,300-digit guard or overflows a key downstream
_LEADING_INT = re.compile(r"^[ \t]*(-?[0-9]+)")
_MAX_DIGITS = 9
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# The "note" the original put on unreliable Working Futures items.
NOTE = "The sample size for this estimate is small, so the data may be inaccurate."
SOC_LEVELS = ("soc1", "soc2", "soc3", "soc4")


class Lmi4AllError(Exception):
    """An error the original answered with `{"error": message}` and this status."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def served() -> Served:
    state: WarehouseState = current_app.extensions["lmi_cubes"]
    try:
        return state.current()
    except WarehouseUnavailable as exc:
        raise Lmi4AllError(503, f"The data is unavailable: {exc}") from None


def lenient_int(value: str | None) -> int | None:
    """The leading integer of a value ('2136coarse=false' -> 2136), or None; a control
    character anywhere, or more than nine digits, is no number."""
    text = value or ""
    match = _LEADING_INT.match(text)
    if match is None or _CONTROL.search(text) or len(match.group(1).lstrip("-")) > _MAX_DIGITS:
        return None
    return int(match.group(1))


def lenient_bool(value: str | None) -> bool:
    return (value or "").strip().lower().startswith(("true", "1", "yes"))


def required_int(name: str) -> int:
    raw = request.args.get(name)
    if raw is None or raw.strip() == "":
        raise Lmi4AllError(400, f"The parameter {name} is required.")
    number = lenient_int(raw)
    if number is None:
        raise Lmi4AllError(400, f"The parameter {name} must be a number, not {raw[:40]!r}.")
    return number


def optional_int(name: str) -> int | None:
    raw = request.args.get(name)
    if raw is None or raw.strip() == "":
        return None
    number = lenient_int(raw)
    if number is None:
        raise Lmi4AllError(400, f"The parameter {name} must be a number, not {raw[:40]!r}.")
    return number


def render(body: Any, status: int = 200) -> Response:
    """JSON, or JSONP when a usable `callback` is given; never cached longer than 2 hours."""
    payload = orjson.dumps(body)
    callback = request.args.get("callback", "").strip()
    if callback and _CALLBACK.match(callback) and len(callback) <= 128:
        response = Response(
            b"/**/" + callback.encode() + b"(" + payload + b");", status, content_type=JSONP_TYPE
        )
    else:
        response = Response(payload, status, content_type=JSON_TYPE)
    if status == 200:
        expires = datetime.now(UTC) + timedelta(hours=2)
        response.headers["Expires"] = format_datetime(expires, usegmt=True)
        response.headers["Cache-Control"] = "public, max-age=7200"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def error(status: int, message: str) -> Response:
    response = render({"error": message}, status)
    response.headers["Cache-Control"] = "no-store"
    return response


def cached_body(key: tuple[Any, ...], build: Callable[[], Any]) -> orjson.Fragment:
    """A computed body from the server's result cache (keyed to the warehouse file), kept
    as its serialized JSON: what `render` writes, and what the cache weighs it by."""
    state: WarehouseState = current_app.extensions["lmi_cubes"]
    full = ("lmi4all", served().identity, *key)
    hit = state.cache.get(full)
    if hit is None:
        hit = orjson.dumps(build())
        state.cache.put(full, hit)
    return orjson.Fragment(hit)


@dataclass(frozen=True)
class Filter:
    """A client-facing filter name mapped onto a cube dimension at one level."""

    name: str
    dimension: str
    level: str


# The codes the original's clients send (region 1-12, gender 1-2, status 1-2) are the
# classification codes at these levels; industry uses the 22 Working Futures groups.
FILTERS = (
    Filter("region", "region", "region"),
    Filter("gender", "gender", "gender"),
    Filter("status", "status", "status"),
    Filter("qualification", "qualification", "qualification"),
    Filter("industry", "industry", "ind22"),
)


# The original's region names, as its recorded responses show them (codes are the same);
# clients written for it display these, so they replace our classification's labels.
ORIGINAL_NAMES: dict[str, dict[int, str]] = {
    "region": {
        1: "London",
        2: "South East (England)",
        3: "East of England",
        4: "South West (England)",
        5: "West Midlands (England)",
        6: "East Midlands (England)",
        7: "Yorkshire and the Humber",
        8: "North West (England)",
        9: "North East (England)",
        10: "Wales",
        11: "Scotland",
        12: "Northern Ireland",
    }
}


def original_name(dimension: str, key: int, label: str) -> str:
    return ORIGINAL_NAMES.get(dimension, {}).get(key, label)


def filter_named(name: str, cube: Cube) -> Filter | None:
    return next((f for f in FILTERS if f.name == name and cube.has_dimension(f.dimension)), None)


def level_of(cube: Cube, f: Filter) -> tuple[Dimension, Level]:
    dim = cube.dimension(f.dimension, "filters")
    return dim, dim.level(f.level, "filters")


def codings(engine: Engine, cube: Cube, f: Filter) -> list[tuple[int, str]]:
    """The members a filter accepts, with labels, as the cube has them."""
    dim, level = level_of(cube, f)
    universe = engine.catalog.universe(cube, dim)
    to_level = engine.catalog.level_of_fact_keys(dim, level)
    present = {to_level[k] for k in universe}
    return [
        (m.key, original_name(f.dimension, m.key, m.label))
        for m in engine.catalog.members(dim, level)
        if m.key in present
    ]


def member_cut(catalog: Catalog, dim: Dimension, level: Level, key: int) -> str | None:
    """A Slicer cut selecting one member (its path down the hierarchy), None if unknown."""
    hierarchy = dim.hierarchy_of(level)
    rows = [r for r in catalog.table(dim).records() if int(r[level.key]) == key]
    if not rows:
        return None
    depth = hierarchy.levels.index(level) + 1
    path = ",".join(str(int(rows[0][lv.key])) for lv in hierarchy.levels[:depth])
    return f"{dim.name}@{hierarchy.name}:{path}"


def soc_cut(engine: Engine, cube: Cube, soc: int) -> tuple[str, int] | None:
    """The occupation cut for a SOC code of 1-4 digits, and the level's position (1-4)."""
    digits = len(str(soc))
    if not 1 <= digits <= 4:
        return None
    dim = cube.dimension("occupation", "soc")
    cut = member_cut(engine.catalog, dim, dim.level(SOC_LEVELS[digits - 1], "soc"), soc)
    return (cut, digits) if cut else None


def parse_filters(engine: Engine, cube: Cube, text: str | None) -> tuple[list[str], int | None]:
    """`region:1|gender:2|age:40` -> engine cuts and the age (None if not given)."""
    cuts: list[str] = []
    age = None
    seen: set[str] = set()
    for part in (text or "").split("|"):
        if not part.strip():
            continue
        name, _, value = part.partition(":")
        name = name.strip().lower()
        number = lenient_int(value)
        if name == "age":
            if number is None:
                raise Lmi4AllError(400, f"The age filter needs a number, not {value[:40]!r}.")
            age = number
            continue
        f = filter_named(name, cube)
        if f is None:
            known = ", ".join([x.name for x in FILTERS if cube.has_dimension(x.dimension)])
            raise Lmi4AllError(400, f"Unknown filter {name[:40]!r}; the filters are {known}.")
        if name in seen:
            raise Lmi4AllError(400, f"The filter {name} is given more than once.")
        seen.add(name)
        dim, level = level_of(cube, f)
        cut = member_cut(engine.catalog, dim, level, number) if number is not None else None
        if cut is None:
            raise Lmi4AllError(400, f"{value[:40]!r} is not a code of the {name} filter.")
        cuts.append(cut)
    return cuts, age
