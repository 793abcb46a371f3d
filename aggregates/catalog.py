"""The members of every dimension, read once per warehouse vintage from the dimension tables.

Dimension tables are small (at most a few hundred rows), so they are held in memory: member
lists, labels, ancestor maps and cut resolution need no SQL per request. Cuts at a coarse
level become sets of fact keys here, so the compiled statement only filters fact columns.
They are held as plain Python rows (`DimTable`), not pandas frames: the server process then
never imports pandas, which with the pyarrow it loads is a large part of a worker's memory.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import sqlalchemy as sa

from lmi_cubes.aggregates.cuts import CutSpec
from lmi_cubes.model import Cube, Dimension, Hierarchy, Level, Model
from lmi_cubes.model.errors import NotFound, QueryError
from lmi_cubes.warehouse.reader import table_columns


@dataclass(frozen=True)
class DimTable:
    """A dimension table's rows as plain values (integer keys, text labels), in the order
    the warehouse gave them; the few operations the server needs on it."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]

    def __contains__(self, column: object) -> bool:
        return column in self.columns

    def __len__(self) -> int:
        return len(self.rows)

    def column(self, name: str) -> list[Any]:
        i = self.columns.index(name)
        return [r[i] for r in self.rows]

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, r, strict=True)) for r in self.rows]

    def where(self, column: str, value: Any) -> DimTable:
        """The rows whose `column` equals `value`."""
        i = self.columns.index(column)
        return DimTable(self.columns, tuple(r for r in self.rows if r[i] == value))

    def first_per(self, *columns: str) -> DimTable:
        """The first row of each distinct combination of `columns` (pandas'
        `drop_duplicates(columns)`), in table order."""
        at = [self.columns.index(c) for c in columns]
        seen: set[tuple[Any, ...]] = set()
        kept = []
        for r in self.rows:
            key = tuple(r[i] for i in at)
            if key not in seen:
                seen.add(key)
                kept.append(r)
        return DimTable(self.columns, tuple(kept))


@dataclass(frozen=True)
class Member:
    key: int
    label: str


@dataclass(frozen=True)
class Cut:
    """A resolved cut: the fact keys it keeps (or drops, when inverted)."""

    dimension: str
    level: str
    kind: str
    keys: tuple[int, ...]  # member keys at `level`
    fact_keys: frozenset[int]  # keys at the dimension's finest level
    invert: bool = False

    def allowed(self, universe: frozenset[int]) -> frozenset[int]:
        return universe - self.fact_keys if self.invert else self.fact_keys & universe


class Catalog:
    """Members of each dimension table, with lookups between levels."""

    def __init__(
        self,
        model: Model,
        tables: dict[str, DimTable],
        present: dict[tuple[str, str], frozenset[int]] | None = None,
    ):
        self.model = model
        self.tables = tables  # dimension name -> its dimension table
        # (fact table, column) -> keys that occur in it; absent members are structural
        self.present = present or {}
        self._cache: dict[tuple[str, ...], Any] = {}

    @classmethod
    def read(cls, model: Model, engine: sa.Engine) -> Catalog:
        tables: dict[str, DimTable] = {}
        dims = {d.name: d for c in model.cubes for d in c.dimensions}
        with engine.connect() as con:
            for name, dim in dims.items():
                columns = [a for lv in dim.levels for a in lv.attributes]
                table = sa.table(dim.table, *map(sa.column, columns))
                rows = con.execute(sa.select(table)).fetchall()
                tables[name] = DimTable(tuple(columns), tuple(tuple(r) for r in rows))
            present: dict[tuple[str, str], set[int]] = {}
            if "fact_members" in table_columns(engine):
                members = sa.table("fact_members", *map(sa.column, ("fact", "column", "key")))
                for fact, column, key in con.execute(sa.select(members)).fetchall():
                    present.setdefault((str(fact), str(column)), set()).add(int(key))
        return cls(model, tables, {k: frozenset(v) for k, v in present.items()})

    def universe(self, cube: Cube, dim: Dimension) -> frozenset[int]:
        """The dimension's finest keys that occur in the cube's fact table."""
        keys = self.fact_keys(dim)
        present = self.present.get((cube.fact, cube.fact_keys[dim.name]))
        return keys & present if present is not None else keys

    def table(self, dim: Dimension) -> DimTable:
        return self.tables[dim.name]

    def members(self, dim: Dimension, level: Level) -> list[Member]:
        def build() -> list[Member]:
            pairs = self._cache_levels[(dim.name, level.name)]
            return [Member(int(k), str(v)) for k, v in pairs]

        return self._memo(("members", dim.name, level.name), build)

    def label(self, dim: Dimension, level: Level, key: int) -> str:
        return self._labels(dim.name, level.name).get(key, str(key))

    @cached_property
    def _cache_levels(self) -> dict[tuple[str, str], list[tuple[int, str]]]:
        """(dimension, level) -> its members' (key, label), the first row's label for each
        key, in key order."""
        out = {}
        for cube in self.model.cubes:
            for dim in cube.dimensions:
                for level in dim.levels:
                    table = self.tables[dim.name]
                    first: dict[int, str] = {}
                    for key, label in zip(
                        table.column(level.key), table.column(level.label_attribute), strict=True
                    ):
                        first.setdefault(int(key), str(label))
                    out[(dim.name, level.name)] = sorted(first.items())
        return out

    def _labels(self, dim_name: str, level_name: str) -> dict[int, str]:
        return self._cache_labels[(dim_name, level_name)]

    @cached_property
    def _cache_labels(self) -> dict[tuple[str, str], dict[int, str]]:
        return {name: dict(pairs) for name, pairs in self._cache_levels.items()}

    def _memo(self, key: tuple[str, ...], build: Callable[[], Any]) -> Any:
        """Per-catalog memo: dimension tables never change within a vintage."""
        if key not in self._cache:
            self._cache[key] = build()
        return self._cache[key]

    def attributes(
        self, dim: Dimension, hierarchy: Hierarchy, level: Level
    ) -> dict[int, dict[str, Any]]:
        """Member key at `level` -> every attribute of every level of `hierarchy` from the top
        down to it, keyed by reference (`dimension.attribute`); labels are text, keys keep
        their type (a key that is its own label too)."""

        def build() -> dict[int, dict[str, Any]]:
            frame = self.tables[dim.name].first_per(level.key)
            path = hierarchy.levels[: hierarchy.levels.index(level) + 1]
            columns = [(attribute_ref(dim, a), a) for lv in path for a in lv.attributes]
            labels = [
                attribute_ref(dim, lv.label_attribute)
                for lv in path
                if lv.label_attribute != lv.key
            ]
            out: dict[int, dict[str, Any]] = {}
            for row in frame.records():
                record = {r: _plain(row[a]) for r, a in columns}
                for r in labels:
                    record[r] = str(record[r])
                out[int(row[level.key])] = record
            return out

        return self._memo(("attributes", dim.name, hierarchy.name, level.name), build)

    def fact_keys(self, dim: Dimension) -> frozenset[int]:
        return self._memo(
            ("fact", dim.name),
            lambda: frozenset(int(k) for k in self.tables[dim.name].column(dim.table_key)),
        )

    def level_of_fact_keys(self, dim: Dimension, level: Level) -> dict[int, int]:
        """Map each finest (fact) key to its member key at `level`."""

        def build() -> dict[int, int]:
            frame = self.tables[dim.name]
            keys, values = frame.column(dim.table_key), frame.column(level.key)
            return {int(k): int(v) for k, v in zip(keys, values, strict=True)}

        return self._memo(("level", dim.name, level.name), build)

    def ancestor_map(self, dim: Dimension, level: Level, coarser: Level) -> dict[int, int] | None:
        """Member key at `level` -> its key at `coarser`, or None if not unique for some member."""

        def build() -> dict[int, int] | None:
            frame = self.tables[dim.name].first_per(level.key, coarser.key)
            keys, values = frame.column(level.key), frame.column(coarser.key)
            if len(set(keys)) < len(keys):  # a member under two parents
                return None
            return {int(k): int(v) for k, v in zip(keys, values, strict=True)}

        return self._memo(("ancestor", dim.name, level.name, coarser.name), build)

    def resolve_cut(self, cube: Cube, spec: CutSpec) -> Cut:
        dim = cube.dimension(spec.dimension, "cut")
        hierarchy = dim.hierarchy(spec.hierarchy, "cut")
        depth = max(len(p) for p in spec.paths)
        if depth > len(hierarchy.levels):
            raise QueryError(
                "cut",
                f"path for {dim.name} has {depth} parts but hierarchy {hierarchy.name!r} "
                f"has {len(hierarchy.levels)} levels",
                hierarchy.level_names,
            )
        if spec.kind == "range":
            level = hierarchy.levels[depth - 1]
            low, high = spec.paths
            bounds = [self._member_key(dim, hierarchy, p) if p else None for p in (low, high)]
            keys = tuple(
                m.key
                for m in self.members(dim, level)
                if (bounds[0] is None or m.key >= bounds[0])
                and (bounds[1] is None or m.key <= bounds[1])
            )
            selected = [(level, keys)]
        else:  # a set may mix levels: occupation:1,11,111,1115;9,92
            selected = [
                (hierarchy.levels[len(p) - 1], (self._member_key(dim, hierarchy, p),))
                for p in spec.paths
            ]
            level = selected[0][0]
            keys = tuple(k for _, ks in selected for k in ks)
        fact: set[int] = set()
        for at_level, level_keys in selected:
            to_level = self.level_of_fact_keys(dim, at_level)
            wanted = set(level_keys)
            fact.update(k for k, v in to_level.items() if v in wanted)
        return Cut(dim.name, level.name, spec.kind, keys, frozenset(fact), spec.invert)

    def _member_key(self, dim: Dimension, hierarchy: Hierarchy, path: tuple[str, ...]) -> int:
        """The key at the path's level, checking each step is a child of the one before.

        Valid paths are remembered (the table never changes within a vintage), so a
        repeated cut costs a dictionary look-up instead of filtering the table."""
        key = ("path", dim.name, hierarchy.name, *path)
        if key in self._cache:
            return int(self._cache[key])
        member = self._find_member_key(dim, hierarchy, path)
        if len(self._cache) < 100_000:
            self._cache[key] = member
        return member

    def _find_member_key(self, dim: Dimension, hierarchy: Hierarchy, path: tuple[str, ...]) -> int:
        frame = self.tables[dim.name]
        for depth, text in enumerate(path):
            level = hierarchy.levels[depth]
            try:
                key = int(text)
            except ValueError:
                raise QueryError(
                    "cut", f"{dim.name} member {text!r} at level {level.name} is not a number"
                ) from None
            matching = frame.where(level.key, key)
            if not len(matching):
                valid = [str(m.key) for m in self.members(dim, level)]
                if depth:
                    parent = hierarchy.levels[depth - 1]
                    valid = [str(k) for k in sorted(set(frame.column(level.key)))]
                    raise NotFound(
                        "cut",
                        f"{dim.name} has no {level.name} member {text!r} under "
                        f"{parent.name} {path[depth - 1]}",
                        valid,
                    )
                raise NotFound("cut", f"{dim.name} has no {level.name} member {text!r}", valid)
            frame = matching
        return int(path[-1])


def attribute_ref(dim: Dimension, attribute: str) -> str:
    """How results name a dimension's attribute: `dimension.attribute` (Cubes' reference)."""
    return f"{dim.name}.{attribute}"


def _plain(value: Any) -> Any:
    """numpy scalars from a dimension table as plain Python values."""
    return value.item() if hasattr(value, "item") else value
