"""The source files bound to the model, which alone names the warehouse's tables and columns.

The model (`model/*.json`) declares the star schema: each dimension's table and its levels'
key, label and attribute columns, each cube's fact table with its key and measure columns,
and the lookup tables. The ETL declares only the files (`etl/sources.py`,
`etl/classifications.py`: names, headers, value rules, code mappings) and, for each of their
columns, what in the model it fills. Binding the two lists every mismatch at once: a column
the model maps that no file fills, or a file column that fills something the model does not
declare. A load binds before it reads a file, so a model and a loader that disagree never
build a warehouse the server would refuse.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from lmi_cubes.etl.classifications import CLASSIFICATIONS, Classification
from lmi_cubes.etl.sources import SOURCES, YEAR_DIMENSION, YEAR_KIND, SourceFile
from lmi_cubes.model import Cube, Dimension, Model


@dataclass(frozen=True)
class Fill:
    """One column of a dimension table: from a CSV column, or a constant the file leaves
    implicit (the UK root); codes are stored as SMALLINT, everything else as text."""

    column: str
    source: str | None
    constant: int | str | None = None
    code: bool = False


@dataclass(frozen=True)
class DimensionTable:
    classification: Classification
    table: str
    key: str
    fills: tuple[Fill, ...]  # in the model's order: each level's attributes, coarsest first


@dataclass(frozen=True)
class YearTable:
    """The time dimension's table: the years of wf_years.csv and of the facts, with whether
    each is history or projection."""

    table: str
    level: str
    key: str
    kind: str


@dataclass(frozen=True)
class Schema:
    dimensions: tuple[DimensionTable, ...]
    years: YearTable
    sources: tuple[SourceFile, ...]  # with their tables and columns' targets set


class SchemaMismatch(Exception):
    """The model maps what no source file fills, or a file fills what the model lacks."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(
            f"the model and the source files do not match ({len(problems)} problem"
            f"{'s' if len(problems) != 1 else ''}): " + "; ".join(problems)
        )


def dimensions_of(model: Model) -> dict[str, Dimension]:
    """Every dimension some cube of the model uses, by name."""
    return {d.name: d for cube in model.cubes for d in cube.dimensions}


def bind(model: Model) -> Schema:
    """The source files with the model's table and column names; SchemaMismatch lists every
    column one side has and the other lacks."""
    problems: list[str] = []
    dims = dimensions_of(model)
    tables = []
    for spec in CLASSIFICATIONS:
        if spec.dimension not in dims:
            problems.append(
                f"{spec.file} fills dimension {spec.dimension!r}, which the model does not have"
            )
            continue
        table = _dimension_table(spec, dims[spec.dimension], problems)
        if table is not None:
            tables.append(table)
    years = _years(dims, problems)
    filled = {spec.dimension for spec in CLASSIFICATIONS} | {YEAR_DIMENSION}
    for name in sorted(set(dims) - filled):
        problems.append(
            f"dimension {name}: table {dims[name].table} is filled by no classification file"
        )
    cubes = {c.name: c for c in model.cubes}
    # the levels whose codes a file's column may be checked against: those a file lists
    listed = {f"{c.dimension}.{lv.level}" for c in CLASSIFICATIONS for lv in c.levels}
    if years is not None:
        listed.add(f"{YEAR_DIMENSION}.{years.level}")
    sources = []
    for source in SOURCES:
        for col in source.columns:
            if col.codes and col.codes not in listed:
                problems.append(
                    f"{source.file}: column {col.name} takes codes of {col.codes}, a level no "
                    f"file lists (levels: {sorted(listed)})"
                )
        if source.cube not in cubes:
            problems.append(f"{source.file} fills cube {source.cube!r}, which the model lacks")
            continue
        bound = _source(source, cubes[source.cube], problems)
        if bound is not None:
            sources.append(bound)
    for cube in model.cubes:
        fed = {s.lookup for s in SOURCES if s.cube == cube.name}
        for role in [None, *cube.lookups]:
            if role not in fed:
                name = cube.fact if role is None else cube.lookups[role].table
                problems.append(f"cube {cube.name}: table {name} is filled by no source file")
    if problems:
        raise SchemaMismatch(problems)
    assert years is not None
    return Schema(tuple(tables), years, tuple(sources))


def mismatches(model: Model) -> list[str]:
    """What `bind` would refuse, as a list (empty when the model and the files agree)."""
    try:
        bind(model)
    except SchemaMismatch as exc:
        return exc.problems
    return []


def _dimension_table(
    spec: Classification, dim: Dimension, problems: list[str]
) -> DimensionTable | None:
    before = len(problems)
    by_level = {lv.level: lv for lv in spec.levels}
    attributes = dict(spec.attributes)
    root = spec.root
    for name in [*by_level, *([root[0]] if root else [])]:
        if name not in [lv.name for lv in dim.levels]:
            problems.append(
                f"{spec.file} fills level {name!r}, which dimension {dim.name} does not have"
            )
    every = {a for lv in dim.levels for a in lv.attributes}
    for name in attributes:
        if name not in every:
            problems.append(
                f"{spec.file} fills attribute {name!r}, which dimension {dim.name} does not have"
            )
    fills: list[Fill] = []
    for level in dim.levels:
        where = f"dimension {dim.name}: level {level.name}"
        source = by_level.get(level.name)
        if source is not None:
            key, label = Fill(level.key, source.code, code=True), source.title
            label_fill = Fill(level.label_attribute, label) if label else None
        elif root is not None and root[0] == level.name:
            key = Fill(level.key, None, root[1], code=True)
            label_fill = Fill(level.label_attribute, None, root[2])
        else:
            problems.append(f"{where}: {spec.file} fills no column of it ({dim.table}.{level.key})")
            continue
        for column in dict.fromkeys([*level.attributes, level.label_attribute]):
            if column == level.key:
                fills.append(key)
            elif column == level.label_attribute and label_fill is not None:
                fills.append(label_fill)
            elif column in attributes:
                fills.append(Fill(column, attributes[column]))
            else:
                problems.append(f"{where}: {spec.file} fills no column {dim.table}.{column}")
    finest = next((lv for lv in dim.levels if lv.name == spec.levels[-1].level), None)
    if finest is not None and finest.key != dim.table_key:
        problems.append(
            f"dimension {dim.name}: its table's key {dim.table_key!r} is not the key of "
            f"{spec.file}'s finest level {finest.name!r}"
        )
    if len(problems) > before:
        return None
    return DimensionTable(spec, dim.table, dim.table_key, tuple(fills))


def _years(dims: dict[str, Dimension], problems: list[str]) -> YearTable | None:
    dim = dims.get(YEAR_DIMENSION)
    if dim is None:
        problems.append(f"the model has no dimension {YEAR_DIMENSION!r} for the years to fill")
        return None
    if len(dim.levels) != 1:
        problems.append(f"dimension {dim.name}: the years fill one level, not {len(dim.levels)}")
        return None
    level = dim.levels[0]
    filled = {level.key, YEAR_KIND}
    for column in {*level.attributes, level.label_attribute} - filled:
        problems.append(f"dimension {dim.name}: no source fills column {dim.table}.{column}")
    if YEAR_KIND not in level.attributes:
        problems.append(
            f"dimension {dim.name}: the years fill attribute {YEAR_KIND!r}, which the model "
            f"does not have (attributes: {list(level.attributes)})"
        )
    return YearTable(dim.table, level.name, level.key, YEAR_KIND)


def _source(source: SourceFile, cube: Cube, problems: list[str]) -> SourceFile | None:
    wanted: dict[tuple[str, str], str]
    if source.lookup is None:
        table = cube.fact
        wanted = {("dimension", d.name): cube.fact_keys[d.name] for d in cube.dimensions}
        wanted.update({("measure", m): m for m in cube.measures})
    else:
        lookup = cube.lookups.get(source.lookup)
        if lookup is None:
            problems.append(
                f"{source.file} fills lookup {source.lookup!r} of cube {cube.name}, which the "
                "model does not declare"
            )
            return None
        table = lookup.table
        wanted = {("key", k.dimension): k.column for k in lookup.keys}
        wanted.update(
            {("level_column", k.dimension): k.level_column for k in lookup.keys if k.level_column}
        )
        if lookup.parameter:
            wanted[("parameter", "")] = lookup.parameter
        wanted.update({("value", v): v for v in lookup.values})
    before = len(problems)
    columns = []
    for col in source.columns:
        target = wanted.pop((col.feeds.role, col.feeds.name), None)
        if target is None:
            what = " ".join(filter(None, (col.feeds.role.replace("_", " "), col.feeds.name)))
            problems.append(
                f"{source.file}: column {col.name} fills {what}, which table {table} of cube "
                f"{cube.name} does not map (or another column already fills)"
            )
        else:
            columns.append(dataclasses.replace(col, target=target))
    for (role, name), column in wanted.items():
        what = " ".join(filter(None, (role.replace("_", " "), name)))
        problems.append(
            f"cube {cube.name}: column {table}.{column} ({what}) is filled by no column of "
            f"{source.file}"
        )
    if len(problems) > before:
        return None
    return dataclasses.replace(source, table=table, columns=tuple(columns))
