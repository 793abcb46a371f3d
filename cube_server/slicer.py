"""The Cubes Slicer protocol's vocabulary: model dictionaries, cut dictionaries, member records.

Cubes clients (the Slicer JavaScript browsers, the Python `SlicerBrowser`) read these shapes
field by field, so they follow what Cubes' own server sends: attributes are objects with a
short `name` and a `ref` ("dimension.attribute") that is also the key of every record, and a
level names its key, label and order attributes by `name` (Cubes' model endpoint expands the
dimensions without `full_attribute_names`; CubesViewer finds a level's label attribute by
comparing `label_attribute` with each attribute's `name`, then reads records by its `ref`).
Our extensions (reliability policy, parameters, rounding) live under `info`, where Slicer
puts custom metadata.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lmi_cubes.aggregates import query
from lmi_cubes.aggregates.catalog import Catalog, attribute_ref
from lmi_cubes.aggregates.cuts import parse_cuts
from lmi_cubes.aggregates.query import AGES, DECILES, default_period, split_axis
from lmi_cubes.model import Aggregate, Cube, Dimension, Hierarchy, Level
from lmi_cubes.model.errors import QueryError

API_VERSION = 2


def ref(dim: Dimension, attribute: str) -> str:
    return attribute_ref(dim, attribute)


def attribute_label(level: Level, attribute: str) -> str:
    if attribute == level.key and attribute != level.label_attribute:
        return f"{level.label} code"
    if attribute == level.label_attribute:
        return level.label
    return attribute.replace("_", " ").capitalize()


def level_dict(dim: Dimension, level: Level, cardinality: int) -> dict[str, Any]:
    return {
        "name": level.name,
        "label": level.label,
        "key": level.key,
        "label_attribute": level.label_attribute,
        "order_attribute": level.key,
        "order": "asc",
        "cardinality": _cardinality(cardinality),
        "info": {"members": cardinality},
        "attributes": [
            {
                "name": a,
                "ref": ref(dim, a),
                "label": attribute_label(level, a),
                "order": "asc" if a == level.key else None,
                "locales": [],
                "info": {},
            }
            for a in level.attributes
        ],
    }


def _cardinality(n: int) -> str:
    """Cubes' symbolic sizes: tiny (up to 5), low (to 50), medium (more); never 'high',
    which would make clients demand a cut before drilling."""
    return "tiny" if n <= 5 else "low" if n <= 50 else "medium"


def dimension_dict(dim: Dimension, catalog: Catalog) -> dict[str, Any]:
    sizes = {lv.name: len(catalog.members(dim, lv)) for lv in dim.levels}
    return {
        "name": dim.name,
        "label": dim.label,
        "description": None,
        "info": {},
        "role": dim.role,
        "category": None,
        "cardinality": _cardinality(max(sizes.values())),
        "default_hierarchy_name": dim.default_hierarchy,
        "levels": [level_dict(dim, lv, sizes[lv.name]) for lv in dim.levels],
        "hierarchies": [
            {"name": h.name, "label": h.name.capitalize(), "levels": h.level_names, "info": {}}
            for h in dim.hierarchies
        ],
        "is_flat": len(dim.levels) == 1,
        "has_details": any(len(lv.attributes) > 1 for lv in dim.levels),
    }


@dataclass(frozen=True)
class Concrete:
    """An aggregate a Slicer client can name without extra parameters."""

    name: str
    base: Aggregate
    overrides: tuple[tuple[str, int], ...] = ()


def concrete_aggregates(cube: Cube, catalog: Catalog) -> list[Concrete]:
    """Every aggregate of the Slicer model: parameter-free ones as they are, a decile as
    `pay_decile_p90`, a change over the default period (latest history year to the last
    projection year). Ages are too many to list; `mean_pay_at_age_<age>` is accepted."""
    out: list[Concrete] = []
    for a in cube.aggregates:
        if not a.public:
            continue
        if "decile" in a.parameters:
            out += [Concrete(f"{a.name}_p{d}", a, (("decile", d),)) for d in DECILES]
        elif "age" in a.parameters:
            continue
        else:
            out.append(Concrete(a.name, a))
    return out


def resolve_aggregate(cube: Cube, name: str) -> Concrete:
    """A name from `aggregates=`: a public aggregate, `<decile aggregate>_p<decile>` or
    `<age aggregate>_<age>`; QueryError lists the Slicer names."""
    for a in cube.aggregates:
        if not a.public:
            continue
        if name == a.name:
            return Concrete(name, a)
        prefix = f"{a.name}_p" if "decile" in a.parameters else f"{a.name}_"
        if ("decile" in a.parameters or "age" in a.parameters) and name.startswith(prefix):
            number = name[len(prefix) :]
            kind, valid = ("decile", DECILES) if "decile" in a.parameters else ("age", AGES)
            if number.isascii() and number.isdigit() and int(number) in valid:
                return Concrete(name, a, ((kind, int(number)),))
    choices = [a.name for a in cube.aggregates if a.public and not a.parameters]
    choices += [f"{a.name}_p10..p90" for a in cube.aggregates if "decile" in a.parameters]
    choices += [f"{a.name}_20..65" for a in cube.aggregates if "age" in a.parameters]
    choices += [a.name for a in cube.aggregates if a.public and "from" in a.parameters]
    raise QueryError("aggregates", f"cube {cube.name!r} has no aggregate {name!r}", choices)


def aggregate_dict(c: Concrete, period: tuple[int, int] | None) -> dict[str, Any]:
    a = c.base
    info: dict[str, Any] = {"rounding": a.round_to, "base": a.name, **dict(c.overrides)}
    if a.derived:
        info["derived"] = a.derived
    if "from" in a.parameters and period:
        info["defaults"] = {"from": period[0], "to": period[1]}
    label = a.label + "".join(
        f", {'decile' if k == 'decile' else 'age'} {v}" for k, v in c.overrides
    )
    return {
        "name": c.name,
        "ref": c.name,
        "label": label,
        "function": a.function,
        "measure": a.measure,
        "expression": " / ".join(a.ratio) if a.ratio else None,
        "nonadditive": None,
        "window_size": None,
        "order": None,
        "info": info,
    }


def model_dict(cube: Cube, catalog: Catalog) -> dict[str, Any]:
    """Cubes' `Cube.to_dict(expand_dimensions=True, full_attribute_names=True)` plus
    `features`, and our policy in `info`. Top-level `reliability` and `default_measure`
    stay for the explorer and older clients."""
    period = default_period(cube, catalog)
    policy = cube.reliability
    reliability = {
        "weight": policy.weight,
        "suppress_below": policy.suppress_below,
        "reliable_from": policy.reliable_from,
        "messages": policy.messages,
        "protection": policy.protection,
    }
    measures_with_parameters = [
        {"name": a.name, "label": a.label, "parameters": list(a.parameters), "rounding": a.round_to}
        for a in cube.aggregates
        if a.public
    ]
    return {
        "name": cube.name,
        "label": cube.label,
        "description": cube.description,
        "info": {
            "reliability": reliability,
            "max_cells": cube.max_cells,
            "default_measure": cube.default_measure,
            "default_period": {"from": period[0], "to": period[1]} if period else None,
            "measures": measures_with_parameters,
            "parametrised_aggregates": _parametrised(cube),
        },
        "category": cube.category,
        "locale": None,
        "key": None,
        "dimensions": [dimension_dict(d, catalog) for d in cube.dimensions],
        "measures": [
            {
                "name": name,
                "ref": name,
                "label": m.get("label", name),
                "aggregates": ["sum"],
                "nonadditive": m.get("nonadditive"),
                "info": m.get("info", {}),
            }
            for name, m in cube.measures.items()
        ],
        "aggregates": [aggregate_dict(c, period) for c in concrete_aggregates(cube, catalog)],
        "details": [],
        "features": {"actions": ["aggregate", "members", "cell", "report"]},
        "reliability": reliability,
        "default_measure": cube.default_measure,
        "max_cells": cube.max_cells,
    }


def _parametrised(cube: Cube) -> list[str]:
    out = []
    for a in cube.aggregates:
        if a.public and "decile" in a.parameters:
            out.append(f"{a.name}_p<decile>: decile 10, 20, ... 90")
        elif a.public and "age" in a.parameters:
            out.append(f"{a.name}_<age>: age 20..65 (e.g. {a.name}_30)")
    return out


# -- hierarchies, drilldowns and records -----------------------------------------------------


def resolve_drilldown(
    cube: Cube, texts: list[str], cut: str | None
) -> list[tuple[Dimension, Hierarchy, Level]]:
    """Each `dim[@hierarchy][:level]`; without a level, the engine's `default_level` (one
    level below the dimension's point cut), as Cubes' `levels_from_drilldown`."""
    specs = {s.dimension: s for s in parse_cuts(cut)}
    out: list[tuple[Dimension, Hierarchy, Level]] = []
    for text in texts:
        dim, hierarchy, level_name = split_axis(cube, text, "drilldown")
        if level_name:
            level = hierarchy.level(level_name, "drilldown")
        else:
            level = query.default_level(dim, hierarchy, specs.get(dim.name), "drilldown")
        if any(d.name == dim.name for d, _, _ in out):
            raise QueryError("drilldown", f"dimension {dim.name!r} is drilled down twice")
        out.append((dim, hierarchy, level))
    return out


def drilldown_key(dim: Dimension, hierarchy: Hierarchy) -> str:
    """`levels` and `dim@hierarchy` keys name a non-default hierarchy, as Cubes does."""
    return dim.name if hierarchy.name == dim.default_hierarchy else f"{dim.name}@{hierarchy.name}"


def path_levels(hierarchy: Hierarchy, level: Level) -> tuple[Level, ...]:
    return hierarchy.levels[: hierarchy.levels.index(level) + 1]


def member_records(
    catalog: Catalog, dim: Dimension, hierarchy: Hierarchy, level: Level
) -> dict[int, dict[str, Any]]:
    """Member key at `level` -> every attribute of every level from the top down to it,
    keyed by reference; the keys build drill-through cuts (`region:1,3,10`)."""
    return catalog.attributes(dim, hierarchy, level)
