"""The model vocabulary: cubes, dimensions, hierarchies, levels, aggregates, policies.

These immutable objects are what the engine works with. The model owns them, beside the JSON
files they are read from and the loader that reads them (`model.loader`), so the engine
depends on the model and never the other way round. They are shared by all requests.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from lmi_cubes.model.errors import NotFound


class _HasName(Protocol):
    @property
    def name(self) -> str: ...


Named = TypeVar("Named", bound=_HasName)

# The derived aggregates the engine computes, by what they need: a mean of pay (and the
# distribution and age-ratio lookups), or employment over a period of years.
DERIVED_KINDS = {
    "pay_distribution": "pay",
    "pay_at_age": "pay",
    "change": "period",
    "percent_change": "period",
    "replacement": "period",
    "requirement": "period",
}
PERIOD_KINDS = frozenset(k for k, family in DERIVED_KINDS.items() if family == "period")


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
    # When a query needs one member and names none (a measure that cannot be summed over
    # time): the latest member whose `attribute` equals `value` (e.g. the last history year).
    default_member: tuple[str, str] | None = None

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
    function: str | None  # "sum" for stored sums; None for ratios and derived aggregates
    measure: str | None  # the fact column of a sum
    ratio: tuple[str, str] | None  # (numerator aggregate, denominator aggregate)
    derived: str | None
    parameters: tuple[str, ...]
    round_to: float
    public: bool = True


# the declared protection policies (docs/protection.md): one status per cell, or per table
NO_PROTECTION, TABLE_PROTECTION = "none", "table"
PROTECTIONS = (NO_PROTECTION, TABLE_PROTECTION)


@dataclass(frozen=True)
class Reliability:
    """Which sum decides a cell's status, its thresholds, and the protection policy:
    `none` gives every cell one status from its own weight; `table` adds, per response,
    the hypercube partners that keep each withheld cell from being solved for."""

    weight: str
    suppress_below: float
    reliable_from: float
    messages: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    protection: str = NO_PROTECTION


@dataclass(frozen=True)
class Rollup:
    """A rollup table: the facts pre-summed to one level per kept dimension."""

    name: str
    table: str
    levels: tuple[tuple[str, str], ...]  # (dimension, level); other dimensions summed away

    @property
    def level_map(self) -> dict[str, str]:
        return dict(self.levels)


@dataclass(frozen=True)
class LookupKey:
    """One key column of a lookup table: the member of `dimension` a cell is fixed to, at
    `level` (0 when the cell is not within one member there), or, without a level, at the
    finest level it is fixed to, whose number (1-based in the default hierarchy, 0 = all)
    goes in `level_column`."""

    dimension: str
    column: str
    level: str | None = None
    level_column: str | None = None


@dataclass(frozen=True)
class Lookup:
    """A table of ratios the derived aggregates read, keyed by what a cell is fixed to.

    Its role names the formula that uses it (`pay_distribution`, `age_ratios`,
    `replacement_rates`); which dimensions and levels key it is the model's business."""

    role: str
    table: str
    keys: tuple[LookupKey, ...]
    values: tuple[str, ...]
    parameter: str | None = None  # a key column given by the query (the age), not a cell


LOOKUP_ROLES = ("pay_distribution", "age_ratios", "replacement_rates")


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
    lookups: dict[str, Lookup] = field(default_factory=dict, hash=False, compare=False)
    rollups: tuple[Rollup, ...] = ()
    category: str | None = None  # Cubes' grouping of cubes in a client's list

    def replacement_key(self) -> LookupKey | None:
        """Where replacement rates are given (a dimension and level): a change over a period
        groups employment by it before applying the rates."""
        lookup = self.lookups.get("replacement_rates")
        return lookup.keys[0] if lookup else None

    def dimension(self, name: str, parameter: str) -> Dimension:
        message = f"cube {self.name!r} has no dimension {name!r}"
        return find(self.dimensions, name, parameter, message)

    def has_dimension(self, name: str) -> bool:
        return any(d.name == name for d in self.dimensions)

    def time_dimension(self) -> Dimension | None:
        """The dimension whose role is time (its years), if the cube has one."""
        return next((d for d in self.dimensions if d.role == "time"), None)

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
