"""Reading the model files: JSON in the Cubes vocabulary, validated all at once.

The files use the Cubes OLAP framework's vocabulary (`dimensions`, `levels`, `hierarchies`,
`cubes`, `measures`, `aggregates`, `joins`, `info`); our extensions live in `info`. Every
problem is reported at once with its file and key path, so a deployment fixes a model in
one pass.
"""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

from lmi_cubes.model.errors import ModelError
from lmi_cubes.model.types import (
    DERIVED_KINDS,
    LOOKUP_ROLES,
    PROTECTIONS,
    Aggregate,
    Cube,
    Dimension,
    Hierarchy,
    Level,
    Lookup,
    LookupKey,
    Model,
    Reliability,
    Rollup,
)

RATIO = re.compile(r"^\s*(\w+)\s*/\s*(\w+)\s*$")


def default_model_dir() -> Path:
    return Path(str(resources.files("lmi_cubes.model")))


def load_model(directory: Path | str | None = None) -> Model:
    """Read and validate every *.json in the model directory (the packaged model when none is
    given); raise ModelError with all problems."""
    directory = Path(directory) if directory else default_model_dir()
    problems: list[str] = []
    docs: dict[str, dict[str, Any]] = {}
    for path in sorted(directory.glob("*.json")):
        try:
            docs[path.name] = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            problems.append(f"{path.name}: not valid JSON: {exc.msg} at line {exc.lineno}")
    if not docs and not problems:
        problems.append(f"{directory}: no model files (*.json)")
    dimensions: dict[str, Dimension] = {}
    for file, doc in docs.items():
        for i, raw in enumerate(doc.get("dimensions", [])):
            dim = _dimension(raw, f"{file}: dimensions[{i}]", problems)
            if dim:
                if dim.name in dimensions:
                    problems.append(
                        f"{file}: dimensions[{i}]: dimension {dim.name!r} defined twice"
                    )
                dimensions[dim.name] = dim
    cubes: list[Cube] = []
    for file, doc in docs.items():
        for i, raw in enumerate(doc.get("cubes", [])):
            cube = _cube(raw, f"{file}: cubes[{i}]", dimensions, problems)
            if cube:
                cubes.append(cube)
    names = [c.name for c in cubes]
    for name in {n for n in names if names.count(n) > 1}:
        problems.append(f"cube {name!r} is defined more than once")
    if not cubes and not problems:
        problems.append(f"{directory}: no cubes defined")
    if problems:
        raise ModelError(problems)
    return Model(tuple(cubes))


def _require(raw: dict[str, Any], key: str, path: str, problems: list[str]) -> Any:
    if key not in raw or raw[key] in (None, ""):
        problems.append(f"{path}: missing {key!r}")
        return None
    return raw[key]


def _dimension(raw: dict[str, Any], path: str, problems: list[str]) -> Dimension | None:
    name = _require(raw, "name", path, problems)
    info = raw.get("info", {})
    table = _require(info, "table", f"{path}.info", problems)
    table_key = _require(info, "key", f"{path}.info", problems)
    levels: list[Level] = []
    for j, lv in enumerate(raw.get("levels", [])):
        lpath = f"{path}.levels[{j}]"
        lname = _require(lv, "name", lpath, problems)
        key = _require(lv, "key", lpath, problems)
        attributes = tuple(lv.get("attributes", []))
        if key and attributes and key not in attributes:
            problems.append(f"{lpath}: key {key!r} is not one of its attributes {list(attributes)}")
        label_attr = lv.get("label_attribute", key)
        if label_attr and attributes and label_attr not in attributes:
            problems.append(f"{lpath}: label_attribute {label_attr!r} is not one of its attributes")
        if lname and key:
            levels.append(
                Level(lname, lv.get("label", lname), key, label_attr, attributes or (key,))
            )
    if not levels:
        problems.append(f"{path}: a dimension needs at least one level")
        return None
    by_name = {lv.name: lv for lv in levels}
    hierarchies: list[Hierarchy] = []
    for j, h in enumerate(raw.get("hierarchies", [{"name": "default", "levels": list(by_name)}])):
        hpath = f"{path}.hierarchies[{j}]"
        hlevels = []
        for lname in h.get("levels", []):
            if lname not in by_name:
                problems.append(f"{hpath}: unknown level {lname!r} (levels: {list(by_name)})")
            else:
                hlevels.append(by_name[lname])
        if hlevels:
            hierarchies.append(Hierarchy(h.get("name", "default"), tuple(hlevels)))
    default = raw.get("default_hierarchy_name", hierarchies[0].name if hierarchies else "default")
    if hierarchies and default not in [h.name for h in hierarchies]:
        problems.append(f"{path}: default_hierarchy_name {default!r} is not a hierarchy")
    if table_key and table_key not in {lv.key for lv in levels}:
        problems.append(f"{path}.info: key {table_key!r} is not the key of any level")
    if not (name and table and table_key and hierarchies):
        return None
    default_member = None
    if "default_member" in info:
        spec = info["default_member"]
        every = {a for lv in levels for a in lv.attributes}
        if not isinstance(spec, dict) or spec.get("attribute") not in every:
            problems.append(f"{path}.info.default_member: needs an attribute of the dimension")
        elif spec.get("pick", "latest") != "latest":
            problems.append(f"{path}.info.default_member: pick must be 'latest'")
        else:
            default_member = (str(spec["attribute"]), str(spec.get("equals", "")))
    return Dimension(
        name,
        raw.get("label", name),
        table,
        table_key,
        tuple(levels),
        tuple(hierarchies),
        default,
        raw.get("role"),
        default_member,
    )


def _cube(
    raw: dict[str, Any], path: str, dimensions: dict[str, Dimension], problems: list[str]
) -> Cube | None:
    name = _require(raw, "name", path, problems)
    fact = _require(raw, "fact", path, problems)
    dims = []
    for j, dname in enumerate(raw.get("dimensions", [])):
        if dname not in dimensions:
            problems.append(
                f"{path}.dimensions[{j}]: unknown dimension {dname!r} (known: {sorted(dimensions)})"
            )
        else:
            dims.append(dimensions[dname])
    fact_keys = _joins(raw, path, fact, dims, problems)
    measures = {}
    for j, m in enumerate(raw.get("measures", [])):
        mname = _require(m, "name", f"{path}.measures[{j}]", problems)
        if mname:
            measures[mname] = m
    aggregates: list[Aggregate] = []
    for j, a in enumerate(raw.get("aggregates", [])):
        agg = _aggregate(a, f"{path}.aggregates[{j}]", measures, aggregates, problems)
        if agg:
            aggregates.append(agg)
    info = raw.get("info", {})
    reliability = _reliability(info.get("reliability"), path, aggregates, problems)
    default_measure = info.get("default_measure", "employment")
    if default_measure not in [a.name for a in aggregates]:
        problems.append(f"{path}.info: default_measure {default_measure!r} is not an aggregate")
    rollups = _rollups(info, path, name, dims, problems)
    lookups = _lookups(info.get("lookups", {}), path, dims, problems)
    if not (name and fact and reliability) or len(dims) != len(raw.get("dimensions", [])):
        return None
    return Cube(
        name=name,
        label=raw.get("label", name),
        description=raw.get("description", ""),
        fact=fact,
        dimensions=tuple(dims),
        fact_keys=fact_keys,
        measures=measures,
        aggregates=tuple(aggregates),
        reliability=reliability,
        max_cells=int(info.get("max_cells", 20000)),
        default_measure=default_measure,
        lookups=lookups,
        rollups=tuple(rollups),
        category=raw.get("category"),
    )


def _joins(
    raw: dict[str, Any], path: str, fact: str, dims: list[Dimension], problems: list[str]
) -> dict[str, str]:
    """Dimension name -> the fact column joined to its table's key."""
    fact_keys: dict[str, str] = {}
    for j, join in enumerate(raw.get("joins", [])):
        jpath = f"{path}.joins[{j}]"
        master, detail = join.get("master", ""), join.get("detail", "")
        if "." not in master or "." not in detail:
            problems.append(f"{jpath}: master and detail must be table.column")
            continue
        mtable, mcol = master.split(".", 1)
        dtable, dcol = detail.split(".", 1)
        if mtable != fact:
            problems.append(f"{jpath}: master {master!r} is not a column of the fact {fact!r}")
        dim = next((d for d in dims if d.table == dtable), None)
        if dim is None:
            problems.append(f"{jpath}: detail table {dtable!r} is not a dimension of this cube")
        elif dcol != dim.table_key:
            problems.append(f"{jpath}: detail {detail!r} must join on {dim.table}.{dim.table_key}")
        else:
            fact_keys[dim.name] = mcol
    for d in dims:
        if d.name not in fact_keys:
            problems.append(f"{path}.joins: no join for dimension {d.name!r}")
    return fact_keys


def _reliability(
    rel: Any, path: str, aggregates: list[Aggregate], problems: list[str]
) -> Reliability | None:
    if not isinstance(rel, dict):
        problems.append(f"{path}.info: missing 'reliability' policy")
        return None
    weight = rel.get("weight")
    # every query reads the weight as a measure, so a private one would fail them all
    if weight not in [a.name for a in aggregates if a.function == "sum" and a.public]:
        problems.append(f"{path}.info.reliability: weight {weight!r} is not a public sum aggregate")
    low, high = rel.get("suppress_below"), rel.get("reliable_from")
    if not isinstance(low, int | float) or not isinstance(high, int | float) or low > high:
        problems.append(
            f"{path}.info.reliability: suppress_below and reliable_from must be numbers, "
            "suppress_below <= reliable_from"
        )
        return None
    protection = rel.get("protection", "none")
    if protection not in PROTECTIONS:
        problems.append(
            f"{path}.info.reliability.protection: {protection!r} is not one of "
            + ", ".join(repr(p) for p in PROTECTIONS)
        )
        return None
    return Reliability(
        str(weight), float(low), float(high), rel.get("messages", {}), str(protection)
    )


def _rollups(
    info: dict[str, Any], path: str, cube: str | None, dims: list[Dimension], problems: list[str]
) -> list[Rollup]:
    rollups = []
    for j, r in enumerate(info.get("rollups", [])):
        rpath = f"{path}.info.rollups[{j}]"
        rname = _require(r, "name", rpath, problems)
        levels = []
        for dname, lname in (r.get("levels") or {}).items():
            dim = next((d for d in dims if d.name == dname), None)
            if dim is None:
                problems.append(f"{rpath}.levels: {dname!r} is not a dimension of this cube")
            elif lname not in [lv.name for lv in dim.levels]:
                problems.append(f"{rpath}.levels.{dname}: unknown level {lname!r}")
            else:
                levels.append((dname, lname))
        if not levels:
            problems.append(f"{rpath}: a rollup needs at least one dimension level")
        if rname and cube:
            rollups.append(Rollup(rname, f"rollup_{cube}_{rname}", tuple(levels)))
    return rollups


def _aggregate(
    a: dict[str, Any],
    path: str,
    measures: dict[str, Any],
    previous: list[Aggregate],
    problems: list[str],
) -> Aggregate | None:
    name = _require(a, "name", path, problems)
    info = a.get("info", {})
    known = {p.name for p in previous}
    function, measure, ratio, derived = (
        a.get("function"),
        a.get("measure"),
        None,
        info.get("derived"),
    )
    if function is not None:
        if function != "sum":
            problems.append(f"{path}: function {function!r} is not supported (only 'sum')")
        if measure not in measures:
            problems.append(f"{path}: measure {measure!r} is not a measure of the cube")
    elif "expression" in a:
        match = RATIO.match(str(a["expression"]))
        if not match:
            problems.append(f"{path}: expression must be 'numerator / denominator'")
        else:
            ratio = (match.group(1), match.group(2))
            for part in ratio:
                if part not in known:
                    problems.append(f"{path}: expression uses {part!r}, not an earlier aggregate")
    elif derived is None:
        problems.append(f"{path}: needs a function, an expression or info.derived")
    if derived is not None and derived not in DERIVED_KINDS:
        problems.append(
            f"{path}.info: derived {derived!r} unknown (known: {sorted(DERIVED_KINDS)})"
        )
    for dep in a.get("depends_on", []):
        if dep not in known:
            problems.append(f"{path}: depends_on {dep!r} is not an earlier aggregate")
    round_to = info.get("round_to", 1)
    if not isinstance(round_to, int | float) or round_to <= 0:
        problems.append(f"{path}.info: round_to must be a positive number")
        round_to = 1
    if not name:
        return None
    return Aggregate(
        name=name,
        label=a.get("label", name),
        function=function,
        measure=measure,
        ratio=ratio,
        derived=derived,
        parameters=tuple(info.get("parameters", [])),
        round_to=float(round_to),
        public=bool(info.get("public", True)),
    )


def _lookups(raw: Any, path: str, dims: list[Dimension], problems: list[str]) -> dict[str, Lookup]:
    """The ratio tables the derived aggregates read, each keyed by named dimensions/levels."""
    out: dict[str, Lookup] = {}
    if not isinstance(raw, dict):
        problems.append(f"{path}.info.lookups: must be an object of role -> lookup")
        return out
    by_name = {d.name: d for d in dims}
    for role, spec in raw.items():
        lpath = f"{path}.info.lookups.{role}"
        if role not in LOOKUP_ROLES:
            problems.append(f"{lpath}: unknown role (known: {list(LOOKUP_ROLES)})")
            continue
        if not isinstance(spec, dict):
            problems.append(f"{lpath}: must be an object with table, keys and values")
            continue
        table = _require(spec, "table", lpath, problems)
        values = tuple(spec.get("values", []))
        if not values:
            problems.append(f"{lpath}: needs the value columns ('values')")
        keys = []
        for j, k in enumerate(spec.get("keys", [])):
            kpath = f"{lpath}.keys[{j}]"
            dim = by_name.get(k.get("dimension", ""))
            column = _require(k, "column", kpath, problems)
            if dim is None:
                problems.append(f"{kpath}: {k.get('dimension')!r} is not a dimension of this cube")
                continue
            level = k.get("level")
            if level is not None and level not in [lv.name for lv in dim.levels]:
                problems.append(f"{kpath}: {dim.name} has no level {level!r}")
            if column:
                keys.append(LookupKey(dim.name, column, level, k.get("level_column")))
        if not keys:
            problems.append(f"{lpath}: needs at least one key")
        if role == "replacement_rates" and (len(keys) != 1 or (keys and keys[0].level is None)):
            problems.append(f"{lpath}: replacement rates are keyed by one dimension at one level")
        if table and keys and values:
            out[role] = Lookup(role, table, tuple(keys), values, spec.get("parameter"))
    return out
