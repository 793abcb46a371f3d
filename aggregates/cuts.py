"""Cuts (filters) in the Cubes Slicer syntax, parsed into immutable values.

    cut=occupation:2,21|gender:2        point cuts, a path down the hierarchy
    cut=region@default:1,1;1,2          a set of paths at one level
    cut=year:2015-2020                  a range (either end may be open)
    cut=!industry:2                     an inverted cut

Parsing is pure syntax; `Catalog.resolve_cut` checks the names and members.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from lmi_cubes.model.errors import QueryError

CutKind = Literal["point", "set", "range"]
Path = tuple[str, ...]

_DIM = re.compile(r"^(!?)([A-Za-z_][A-Za-z0-9_]*)(?:@([A-Za-z_][A-Za-z0-9_]*))?$")
_KEY = re.compile(r"^[A-Za-z0-9_.]+$")
# Every member of a set is resolved on its own; a set larger than every member of the
# largest dimension at all its levels (493 SOC codes) is a mistake or an attack, not a query.
MAX_SET_MEMBERS = 1000
# A valid cut names each dimension once and no cube has more than a handful; the parts are
# counted before any is parsed, so a body of 50,000 parts costs one split, not a parse each.
MAX_CUT_PARTS = 32


@dataclass(frozen=True)
class CutSpec:
    """A cut as written: dimension, optional hierarchy, paths, kind, inverted."""

    dimension: str
    hierarchy: str | None
    kind: CutKind
    paths: tuple[Path, ...]  # point: 1 path; set: n paths; range: (from, to), () = open end
    invert: bool = False


def _path(text: str, raw: str) -> Path:
    if text == "":
        return ()
    keys = tuple(k.strip() for k in text.split(","))
    for key in keys:
        if not _KEY.match(key):
            raise QueryError(
                "cut",
                f"bad member key {key!r} in {raw!r}; keys are letters, digits, '_' or '.', "
                "a path separates levels with ',' (e.g. occupation:2,21,213)",
            )
    return keys


def parse_cuts(text: str | None) -> tuple[CutSpec, ...]:
    """Parse `dim:path|dim2:a;b|!dim3:x-y`; raise QueryError naming the bad part."""
    if text is None or text.strip() == "":
        return ()
    if text.count("|") >= MAX_CUT_PARTS:
        raise QueryError(
            "cut",
            f"a cut may have at most {MAX_CUT_PARTS} parts ('|' between dimensions); "
            "each dimension is cut once, several members of one dimension are a set (a;b)",
        )
    specs = []
    for raw in text.split("|"):
        raw = raw.strip()
        if ":" not in raw:
            raise QueryError(
                "cut", f"{raw!r} is not dimension:path (e.g. gender:2 or occupation:2,21)"
            )
        head, body = raw.split(":", 1)
        match = _DIM.match(head.strip())
        if not match:
            raise QueryError("cut", f"{head!r} is not a dimension name (optionally @hierarchy)")
        invert, dimension, hierarchy = bool(match.group(1)), match.group(2), match.group(3)
        body = body.strip()
        if body == "":
            raise QueryError("cut", f"{raw!r} has no member after ':'")
        if ";" in body:
            parts = body.split(";")
            if len(parts) > MAX_SET_MEMBERS * 4:  # bound the work before parsing them
                raise QueryError("cut", f"a set may list at most {MAX_SET_MEMBERS} members")
            paths = tuple(dict.fromkeys(_path(p, raw[:80]) for p in parts))  # de-duplicated
            if any(p == () for p in paths):
                raise QueryError("cut", f"{raw[:80]!r} has an empty member in its set")
            if len(paths) > MAX_SET_MEMBERS:
                raise QueryError(
                    "cut", f"a set may list at most {MAX_SET_MEMBERS} different members"
                )
            specs.append(CutSpec(dimension, hierarchy, "set", paths, invert))
        elif "-" in body:
            if body.count("-") != 1:
                raise QueryError("cut", f"{raw!r}: a range is from-to with one '-'")
            low, high = body.split("-")
            lo, hi = _path(low, raw), _path(high, raw)
            if lo == () and hi == ():
                raise QueryError("cut", f"{raw!r}: a range needs at least one end")
            if lo and hi and len(lo) != len(hi):
                raise QueryError("cut", f"{raw!r}: both ends of a range must be at the same level")
            specs.append(CutSpec(dimension, hierarchy, "range", (lo, hi), invert))
        else:
            specs.append(CutSpec(dimension, hierarchy, "point", (_path(body, raw),), invert))
    seen: set[str] = set()
    for spec in specs:
        if spec.dimension in seen:
            raise QueryError(
                "cut", f"dimension {spec.dimension!r} is cut more than once; use a set (a;b)"
            )
        seen.add(spec.dimension)
    return tuple(specs)
