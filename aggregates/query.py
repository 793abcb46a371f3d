"""The one immutable query object, and its resolution from names a user typed.

Every name is resolved against the model and every member against the catalog here, so
by the time a `Query` exists it is valid: the SQL compiler never sees a raw user string.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from aggregates.catalog import Catalog, Cut
from aggregates.cuts import parse_cuts
from aggregates.errors import NotFound, QueryError, TooLarge
from aggregates.model import Aggregate, Cube, Dimension, Level

DECILES = (10, 20, 30, 40, 50, 60, 70, 80, 90)
AGES = range(20, 66)
_AXIS = re.compile(r"^([A-Za-z_]\w*)(?:@([A-Za-z_]\w*))?(?::([A-Za-z_]\w*))?$")


@dataclass(frozen=True)
class Axis:
    """A drilldown: a dimension at one level, with its members in display order."""

    dimension: Dimension
    level: Level
    keys: tuple[int, ...]

    @property
    def name(self) -> str:
        return f"{self.dimension.name}:{self.level.name}"


@dataclass(frozen=True)
class Query:
    cube: Cube
    axes: tuple[Axis, ...]  # rows, then columns (the aggregate endpoint may have more)
    measures: tuple[Aggregate, ...]
    cuts: tuple[Cut, ...]
    age: int | None = None
    decile: int | None = None
    year_from: int | None = None
    year_to: int | None = None
    fallback: bool = False
    default_year: int | None = None  # set when a time-nonadditive measure needed one year

    def cut(self, dimension: str) -> Cut | None:
        return next((c for c in self.cuts if c.dimension == dimension), None)

    @property
    def cell_count(self) -> int:
        count = 1
        for axis in self.axes:
            count *= len(axis.keys) + 1
        return count


def parse_axis(cube: Cube, text: str, parameter: str) -> tuple[Dimension, Level]:
    match = _AXIS.match(text.strip())
    if not match:
        raise QueryError(
            parameter,
            f"{text!r} is not dimension[:level] (e.g. occupation:soc2)",
            [d.name for d in cube.dimensions],
        )
    dim = cube.dimension(match.group(1), parameter)
    hierarchy = dim.hierarchy(match.group(2), parameter)
    level = dim.level(match.group(3), parameter, hierarchy.name) if match.group(3) else None
    return dim, level or hierarchy.levels[-1]


def _int_param(value: object, parameter: str, valid: range | tuple[int, ...] | list[int]) -> int:
    try:
        number = int(str(value).strip())
    except ValueError:
        raise QueryError(parameter, f"{value!r} is not a whole number", _describe(valid)) from None
    if number not in valid:
        raise QueryError(parameter, f"{number} is out of range", _describe(valid))
    return number


def _describe(valid: range | tuple[int, ...] | list[int]) -> list[str]:
    if isinstance(valid, range):
        return [f"{valid.start}..{valid.stop - 1}"]
    return [str(v) for v in valid]


def build_query(
    cube: Cube,
    catalog: Catalog,
    axes: list[str],
    measures: list[str],
    cut: str | None = None,
    age: object = None,
    decile: object = None,
    year_from: object = None,
    year_to: object = None,
    fallback: bool = False,
    axis_parameters: tuple[str, ...] = ("rows", "columns"),
    measure_parameter: str = "measure",
) -> Query:
    """Resolve user-supplied names into a valid Query or raise QueryError."""
    cuts = tuple(catalog.resolve_cut(cube, spec) for spec in parse_cuts(cut))
    resolved_axes: list[Axis] = []
    axis_parameter: dict[str, str] = {}  # dimension -> the parameter that put it on an axis
    for i, text in enumerate(axes):
        parameter = axis_parameters[min(i, len(axis_parameters) - 1)]
        dim, level = parse_axis(cube, text, parameter)
        if any(a.dimension.name == dim.name for a in resolved_axes):
            raise QueryError(parameter, f"dimension {dim.name!r} is already on another axis")
        resolved_axes.append(Axis(dim, level, _axis_keys(catalog, cube, dim, level, cuts)))
        axis_parameter[dim.name] = parameter
    aggregates = tuple(cube.aggregate(m.strip(), measure_parameter) for m in measures if m.strip())
    if not aggregates:
        raise QueryError(
            measure_parameter, "no measure given", [a.name for a in cube.aggregates if a.public]
        )
    params = {p for a in aggregates for p in a.parameters}
    query_age = query_decile = y0 = y1 = None
    takes_age = any("age" in a.parameters or a.derived == "pay_distribution" for a in aggregates)
    if age not in (None, ""):
        if not takes_age:
            raise QueryError("age", "only mean_pay_at_age, median_pay and pay_decile take an age")
        query_age = _int_param(age, "age", AGES)
    elif "age" in params:
        raise QueryError("age", "this measure needs an age", _describe(AGES))
    if decile not in (None, ""):
        if "decile" not in params:
            raise QueryError("decile", "only the pay_decile measure takes a decile")
        query_decile = _int_param(decile, "decile", DECILES)
    elif "decile" in params:
        raise QueryError("decile", "pay_decile needs a decile", _describe(DECILES))
    years = [m.key for m in catalog.members(cube.dimension("year", "cut"), _year_level(cube))]
    if "from" in params or "to" in params:
        if "year" in axis_parameter:
            raise QueryError(
                axis_parameter["year"], "year cannot be an axis of a change over from..to years"
            )
        if any(c.dimension == "year" for c in cuts):
            raise QueryError("cut", "do not cut year for a change measure; use from= and to=")
        y0 = _int_param(year_from, "from", years) if year_from not in (None, "") else None
        y1 = _int_param(year_to, "to", years) if year_to not in (None, "") else None
        if y0 is None or y1 is None:
            missing = "from" if y0 is None else "to"
            raise QueryError(missing, "a change measure needs from= and to= years", years)
        if y0 >= y1:
            raise QueryError("to", f"to ({y1}) must be later than from ({y0})", years)
        one_year = [a.name for a in aggregates if "from" not in a.parameters]
        if one_year:
            raise QueryError(
                measure_parameter,
                f"{', '.join(one_year)} is a one-year measure and cannot be combined with "
                "from= and to=; ask for it with a year cut or a year axis",
                [a.name for a in cube.aggregates if "from" in a.parameters],
            )
    elif year_from not in (None, "") or year_to not in (None, ""):
        raise QueryError(
            "from" if year_from not in (None, "") else "to",
            "only change measures take from= and to=",
            [a.name for a in cube.aggregates if "from" in a.parameters],
        )
    default_year = None
    if cube.nonadditive_time() and y0 is None:
        year_axis = "year" in axis_parameter
        year_cut = next((c for c in cuts if c.dimension == "year"), None)
        if not year_axis:
            if year_cut is None:
                default_year = _latest_history(catalog, cube)
                cuts = (*cuts, _year_cut(cube, default_year))
            elif year_cut.invert or len(year_cut.keys) != 1:
                raise QueryError(
                    "cut",
                    "employment cannot be summed over several years; cut one year "
                    "or put year on rows or columns",
                    years,
                )
    query = Query(
        cube,
        tuple(resolved_axes),
        aggregates,
        cuts,
        query_age,
        query_decile,
        y0,
        y1,
        bool(fallback),
        default_year,
    )
    if query.cell_count > cube.max_cells:
        raise TooLarge(
            axis_parameters[0],
            f"the result would have {query.cell_count:,} cells; the limit for {cube.name} is "
            f"{cube.max_cells:,}; choose coarser levels or cut the data",
        )
    return query


def _year_level(cube: Cube) -> Level:
    return cube.dimension("year", "cut").finest


def _latest_history(catalog: Catalog, cube: Cube) -> int:
    dim = cube.dimension("year", "cut")
    frame = catalog.table(dim)
    history = frame[frame["kind"] == "history"]["year"] if "kind" in frame else frame["year"]
    return int((history if len(history) else frame["year"]).max())


def _year_cut(cube: Cube, year: int) -> Cut:
    dim = cube.dimension("year", "cut")
    return Cut(dim.name, dim.finest.name, "point", (year,), frozenset({year}))


def _axis_keys(
    catalog: Catalog, cube: Cube, dim: Dimension, level: Level, cuts: tuple[Cut, ...]
) -> tuple[int, ...]:
    """The level's members in the cube and left by any cut on the dimension, in key order."""
    universe = catalog.universe(cube, dim)
    for cut in cuts:
        if cut.dimension == dim.name:
            universe = cut.allowed(universe)
    to_level = catalog.level_of_fact_keys(dim, level)
    keys = tuple(sorted({to_level[k] for k in universe}))
    if not keys:
        raise NotFound("cut", f"the cut leaves no members of {dim.name} to show")
    return keys
