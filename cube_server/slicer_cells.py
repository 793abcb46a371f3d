"""Cuts as Slicer serialises them (`Cut.to_dict()`), back from dictionaries, and the
`details` of a cell (every level's attributes of each cut path), as Cubes' `/cell` gives."""

from __future__ import annotations

from typing import Any

from lmi_cubes.aggregates.catalog import Catalog
from lmi_cubes.aggregates.cuts import CutSpec, parse_cuts
from lmi_cubes.cube_server.slicer import member_records, path_levels, ref
from lmi_cubes.model import Cube, Dimension, Hierarchy
from lmi_cubes.model.errors import QueryError


def _typed(part: str) -> int | str:
    return int(part) if part.isascii() and part.isdigit() else part


def cut_dict(spec: CutSpec, hidden: bool = False) -> dict[str, Any]:
    """Cubes' `Cut.to_dict()`: type, dimension, hierarchy, level_depth, invert, hidden and
    the path(s), with keys typed as the model types them (integers)."""
    out: dict[str, Any] = {
        "type": spec.kind,
        "dimension": spec.dimension,
        "hierarchy": spec.hierarchy,
        "level_depth": max(len(p) for p in spec.paths),
        "invert": spec.invert,
        "hidden": hidden,
    }
    paths = [[_typed(k) for k in p] for p in spec.paths]
    if spec.kind == "point":
        out["path"] = paths[0]
    elif spec.kind == "set":
        out["paths"] = paths
    else:
        out["from"], out["to"] = paths
    return out


def cell_cuts(cut: str | None, default_year: int | None) -> list[dict[str, Any]]:
    cuts = [cut_dict(s) for s in parse_cuts(cut)]
    if default_year is not None:  # added by the server: Slicer's "hidden" cut
        cuts.append(cut_dict(CutSpec("year", None, "point", ((str(default_year),),)), True))
    return cuts


def cut_string(cut: dict[str, Any]) -> str:
    """A cut dictionary (as in a /report `cell`) back to the URL syntax, checked there."""
    if not isinstance(cut, dict) or not isinstance(cut.get("dimension"), str):
        raise QueryError("cell", "each cut needs a dimension", ["point", "set", "range"])

    def path(value: Any) -> str:
        if value is None:
            return ""
        if not isinstance(value, list):
            raise QueryError("cell", f"path {value!r} is not a list")
        return ",".join(str(v) for v in value)

    head = ("!" if cut.get("invert") else "") + cut["dimension"]
    if cut.get("hierarchy"):
        head += f"@{cut['hierarchy']}"
    kind = cut.get("type", "point")
    if kind == "point":
        body = path(cut.get("path"))
    elif kind == "set":
        body = ";".join(path(p) for p in cut.get("paths") or [])
    elif kind == "range":
        body = f"{path(cut.get('from'))}-{path(cut.get('to'))}"
    else:
        raise QueryError("cell", f"cut type {kind!r} is unknown", ["point", "set", "range"])
    return f"{head}:{body}"


def path_details(
    catalog: Catalog, dim: Dimension, hierarchy: Hierarchy, path: tuple[str, ...]
) -> list[dict[str, Any]] | None:
    """Cubes' `_path_details`: per level of the path its attributes plus `_key`/`_label`."""
    if not path:
        return None
    level = hierarchy.levels[len(path) - 1]
    record = member_records(catalog, dim, hierarchy, level).get(int(path[-1]))
    if record is None:
        return None
    out = []
    for lv in path_levels(hierarchy, level):
        item = {ref(dim, a): record[ref(dim, a)] for a in lv.attributes}
        item["_key"] = record[ref(dim, lv.key)]
        item["_label"] = record[ref(dim, lv.label_attribute)]
        out.append(item)
    return out


def cut_details(catalog: Catalog, cube: Cube, spec: CutSpec) -> Any:
    dim = cube.dimension(spec.dimension, "cut")
    hierarchy = dim.hierarchy(spec.hierarchy, "cut")
    if spec.kind == "point":
        return path_details(catalog, dim, hierarchy, spec.paths[0])
    if spec.kind == "set":
        return [path_details(catalog, dim, hierarchy, p) for p in spec.paths]
    return {
        "from": path_details(catalog, dim, hierarchy, spec.paths[0]),
        "to": path_details(catalog, dim, hierarchy, spec.paths[1]),
    }
