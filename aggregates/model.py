"""The logical model: cubes, dimensions, hierarchies, levels, aggregates, read from model/.

The files use the Cubes OLAP framework's JSON vocabulary (`dimensions`, `levels`,
`hierarchies`, `cubes`, `measures`, `aggregates`, `joins`, `info`); our extensions live in
`info`. Loading validates everything and reports every problem at once with its path, so a
deployment fixes a model in one pass. The result is immutable and shared by all requests.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Protocol, TypeVar

from aggregates.errors import ModelError, NotFound


class _HasName(Protocol):
    @property
    def name(self) -> str: ...


Named = TypeVar("Named", bound=_HasName)

RATIO = re.compile(r"^\s*(\w+)\s*/\s*(\w+)\s*$")
DERIVED_KINDS = {
    "pay_distribution",
    "pay_at_age",
    "change",
    "percent_change",
    "replacement",
    "requirement",
}


def find(items: Iterable[Named], name: str, parameter: str, message: str) -> Named:
    """The item called `name`, or NotFound naming the parameter and every valid name."""
    items = list(items)
    for item in items:
        if item.name == name:
            return item
    raise NotFound(parameter, message, [i.name for i in items])


@dataclass(frozen=True)
class Level:
    name: str
    label: str
    key: str  # the dimension table column holding the member key
    label_attribute: str
    attributes: tuple[str, ...]


@dataclass(frozen=True)
class Hierarchy:
    name: str
    levels: tuple[Level, ...]  # coarsest first

    def level(self, name: str, parameter: str) -> Level:
        return find(self.levels, name, parameter, f"hierarchy {self.name!r} has no level {name!r}")

    @property
    def level_names(self) -> list[str]:
        return [lv.name for lv in self.levels]

    def ancestors(self, level: Level) -> tuple[Level, ...]:
        """Coarser levels of this hierarchy, nearest first."""
        index = self.levels.index(level)
        return tuple(reversed(self.levels[:index]))


@dataclass(frozen=True)
class Dimension:
    name: str
    label: str
    table: str
    table_key: str  # the dimension table column the fact joins on
    levels: tuple[Level, ...]
    hierarchies: tuple[Hierarchy, ...]
    default_hierarchy: str
    role: str | None = None

    def hierarchy(self, name: str | None, parameter: str) -> Hierarchy:
        wanted = name or self.default_hierarchy
        message = f"dimension {self.name!r} has no hierarchy {wanted!r}"
        return find(self.hierarchies, wanted, parameter, message)

    def level(self, name: str | None, parameter: str, hierarchy: str | None = None) -> Level:
        """A level by name, or the finest level of the (default) hierarchy."""
        h = self.hierarchy(hierarchy, parameter)
        if name is None:
            return h.levels[-1]
        return find(self.levels, name, parameter, f"dimension {self.name!r} has no level {name!r}")

    def hierarchy_of(self, level: Level) -> Hierarchy:
        """The default hierarchy if it holds the level, else the first that does."""
        ordered = sorted(self.hierarchies, key=lambda h: h.name != self.default_hierarchy)
        return next(h for h in ordered if level in h.levels)

    @property
    def finest(self) -> Level:
        return self.hierarchy(None, "").levels[-1]

    def level_of_key(self) -> Level:
        """The level whose key is the column the fact table joins on."""
        return next(lv for lv in self.levels if lv.key == self.table_key)


@dataclass(frozen=True)
class Aggregate:
    name: str
    label: str
    function: str | None  # "sum" for stored sums; None for ratios and derived measures
    measure: str | None  # the fact column of a sum
    ratio: tuple[str, str] | None  # (numerator aggregate, denominator aggregate)
    derived: str | None
    parameters: tuple[str, ...]
    round_to: float
    public: bool = True


@dataclass(frozen=True)
class Reliability:
    weight: str
    suppress_below: float
    reliable_from: float
    messages: dict[str, str] = field(default_factory=dict, hash=False, compare=False)

    def flag(self, weight: float) -> str:
        if weight < self.suppress_below:
            return "suppressed"
        if weight < self.reliable_from:
            return "low_reliability"
        return "reliable"


@dataclass(frozen=True)
class Rollup:
    """A pre-computed aggregate table: the facts summed to one level per kept dimension."""

    name: str
    table: str
    levels: tuple[tuple[str, str], ...]  # (dimension, level); other dimensions summed away

    @property
    def level_map(self) -> dict[str, str]:
        return dict(self.levels)


@dataclass(frozen=True)
class Cube:
    name: str
    label: str
    description: str
    fact: str
    dimensions: tuple[Dimension, ...]
    fact_keys: dict[str, str] = field(hash=False, compare=False)  # dimension -> fact column
    measures: dict[str, dict[str, Any]] = field(hash=False, compare=False)
    aggregates: tuple[Aggregate, ...] = ()
    reliability: Reliability = field(default=Reliability("employment", 1000, 10000))
    max_cells: int = 20000
    default_measure: str = "employment"
    lookups: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    rollups: tuple[Rollup, ...] = ()

    def dimension(self, name: str, parameter: str) -> Dimension:
        message = f"cube {self.name!r} has no dimension {name!r}"
        return find(self.dimensions, name, parameter, message)

    def has_dimension(self, name: str) -> bool:
        return any(d.name == name for d in self.dimensions)

    def aggregate(self, name: str, parameter: str) -> Aggregate:
        public = [a for a in self.aggregates if a.public]
        return find(public, name, parameter, f"cube {self.name!r} has no measure {name!r}")

    def sums(self) -> tuple[Aggregate, ...]:
        return tuple(a for a in self.aggregates if a.function == "sum")

    def nonadditive_time(self) -> bool:
        return any(m.get("nonadditive") in ("time", "all") for m in self.measures.values())


@dataclass(frozen=True)
class Model:
    cubes: tuple[Cube, ...]

    def cube(self, name: str) -> Cube:
        return find(self.cubes, name, "cube", f"no cube {name!r}")


def default_model_dir() -> Path:
    return Path(str(resources.files("model")))


def load_model(directory: Path | None = None) -> Model:
    """Read and validate every *.json in the model directory; raise ModelError with all problems."""
    directory = directory or default_model_dir()
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
    return Dimension(
        name,
        raw.get("label", name),
        table,
        table_key,
        tuple(levels),
        tuple(hierarchies),
        default,
        raw.get("role"),
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
    rel = info.get("reliability")
    reliability = None
    if not isinstance(rel, dict):
        problems.append(f"{path}.info: missing 'reliability' policy")
    else:
        weight = rel.get("weight")
        if weight not in [a.name for a in aggregates if a.function == "sum"]:
            problems.append(f"{path}.info.reliability: weight {weight!r} is not a sum aggregate")
        low, high = rel.get("suppress_below"), rel.get("reliable_from")
        if not isinstance(low, int | float) or not isinstance(high, int | float) or low > high:
            problems.append(
                f"{path}.info.reliability: suppress_below and reliable_from must be numbers, "
                "suppress_below <= reliable_from"
            )
        else:
            reliability = Reliability(str(weight), float(low), float(high), rel.get("messages", {}))
    default_measure = info.get("default_measure", "employment")
    if default_measure not in [a.name for a in aggregates]:
        problems.append(f"{path}.info: default_measure {default_measure!r} is not an aggregate")
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
        if rname and name:
            rollups.append(Rollup(rname, f"rollup_{name}_{rname}", tuple(levels)))
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
        lookups=dict(info.get("lookups", {})),
        rollups=tuple(rollups),
    )


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


def check_warehouse(model: Model, engine: Any) -> None:
    """Every table and column the model maps to must exist; raise ModelError listing all."""
    # information_schema rather than the dialect's inspector (duckdb-engine's reflection
    # queries pg_catalog, not reliable across DuckDB releases), filtered to the schema the
    # engine reads: PostgreSQL lists every published version's tables
    from etl.backends.reader import table_columns

    columns = table_columns(engine)
    problems: list[str] = []

    def need(table: str, column: str | None, where: str) -> None:
        if table not in columns:
            problems.append(f"{where}: table {table!r} is not in the warehouse")
        elif column is not None and column not in columns[table]:
            problems.append(f"{where}: column {table}.{column} is not in the warehouse")

    for cube in model.cubes:
        for dim in cube.dimensions:
            need(cube.fact, cube.fact_keys.get(dim.name), f"cube {cube.name}: joins ({dim.name})")
            for level in dim.levels:
                for attribute in level.attributes:
                    need(dim.table, attribute, f"dimension {dim.name}: level {level.name}")
        for aggregate in cube.sums():
            need(cube.fact, aggregate.measure, f"cube {cube.name}: aggregate {aggregate.name}")
        for role, table in cube.lookups.items():
            need(table, None, f"cube {cube.name}: info.lookups.{role}")
    if problems:
        raise ModelError(sorted(set(problems)))
