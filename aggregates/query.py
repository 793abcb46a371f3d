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
from aggregates.model import Aggregate, Cube, Dimension, Hierarchy, Level
from aggregates.paging import Sort, check_page, order_fields, resolve_order

DECILES = (10, 20, 30, 40, 50, 60, 70, 80, 90)
AGES = range(20, 66)  # pay at an age, and the ages the age-ratio file must cover
_AXIS = re.compile(r"^([A-Za-z_]\w*)(?:@([A-Za-z_]\w*))?(?::([A-Za-z_]\w*))?$")


@dataclass(frozen=True)
class Axis:
    """A drilldown: a dimension at one level, with its members in display order."""

    dimension: Dimension
    level: Level
    keys: tuple[int, ...]
    hierarchy_name: str | None = None  # as asked for; None: the default one holding the level

    @property
    def name(self) -> str:
        return f"{self.dimension.name}:{self.level.name}"

    @property
    def hierarchy(self) -> Hierarchy:
        """The hierarchy asked for if it holds the level, else the one `hierarchy_of` picks."""
        named = self.dimension.hierarchy(self.hierarchy_name, "axes")
        return named if self.level in named.levels else self.dimension.hierarchy_of(self.level)

    @property
    def path(self) -> tuple[Level, ...]:
        """The levels of its hierarchy from the top down to its own."""
        levels = self.hierarchy.levels
        return levels[: levels.index(self.level) + 1]


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
    order: tuple[Sort, ...] = ()  # of the cells, after their natural order (see paging.py)
    page: int = 0
    page_size: int | None = None  # None: every cell on one page

    def cut(self, dimension: str) -> Cut | None:
        return next((c for c in self.cuts if c.dimension == dimension), None)

    @property
    def cell_count(self) -> int:
        count = 1
        for axis in self.axes:
            count *= len(axis.keys) + 1
        return count


@dataclass(frozen=True)
class Request:
    """A query as a user spelled it: names and keys, not yet resolved against the model.

    Errors name its fields (`axes.0`, `measures`, `cut`, `age`, `decile`, `year_from`,
    `year_to`, `order`, `page`, `page_size`); a front end maps them to its own parameter
    names. `order` is (field, "asc" or "desc") pairs, fields as `paging.order_fields` names
    them; `page` counts from 0 and `page_size` None puts every cell on one page.
    """

    cube: str
    axes: tuple[str, ...] = ()
    measures: tuple[str, ...] = ()
    cut: str | None = None
    age: int | None = None
    decile: int | None = None
    year_from: int | None = None
    year_to: int | None = None
    fallback: bool = False
    order: tuple[tuple[str, str], ...] = ()
    page: int = 0
    page_size: int | None = None

    def __post_init__(self) -> None:  # lists are welcome; the request stays immutable
        object.__setattr__(self, "axes", tuple(self.axes))
        object.__setattr__(self, "measures", tuple(self.measures))
        object.__setattr__(self, "order", tuple(tuple(o) for o in self.order))


def split_axis(cube: Cube, text: str, field: str) -> tuple[Dimension, Hierarchy, str | None]:
    """`dimension[@hierarchy][:level]` (axes, drilldowns): the dimension and hierarchy, and
    the level's name if one is given (what a missing level means is the caller's rule)."""
    match = _AXIS.match(text.strip())
    if not match:
        raise QueryError(
            field,
            f"{text!r} is not dimension[@hierarchy][:level] (e.g. occupation:soc2)",
            [d.name for d in cube.dimensions],
        )
    dim = cube.dimension(match.group(1), field)
    return dim, dim.hierarchy(match.group(2), field), match.group(3)


def parse_axis(cube: Cube, text: str, field: str) -> tuple[Dimension, Hierarchy, Level]:
    dim, hierarchy, level_name = split_axis(cube, text, field)
    level = dim.level(level_name, field, hierarchy.name) if level_name else None
    return dim, hierarchy, level or hierarchy.levels[-1]


def _int_param(value: object, field: str, valid: range | tuple[int, ...] | list[int]) -> int:
    try:
        number = int(str(value).strip())
    except ValueError:
        raise QueryError(field, f"{value!r} is not a whole number", _describe(valid)) from None
    if number not in valid:
        raise QueryError(field, f"{number} is out of range", _describe(valid))
    return number


def _describe(valid: range | tuple[int, ...] | list[int]) -> list[str]:
    if isinstance(valid, range):
        return [f"{valid.start}..{valid.stop - 1}"]
    return [str(v) for v in valid]


def default_period(cube: Cube, catalog: Catalog) -> tuple[int, int] | None:
    """The period a change measure covers when no first and last year are given: from the
    latest history year to the last projection year (None if there is no projection)."""
    if not cube.has_dimension("year"):
        return None
    frame = catalog.table(cube.dimension("year", "cut"))
    years = sorted(int(y) for y in frame.column("year"))
    history = (
        sorted(int(y) for y in frame.where("kind", "history").column("year"))
        if "kind" in frame
        else []
    )
    if "kind" not in frame or not history or history[-1] >= years[-1]:
        return None
    return history[-1], years[-1]


def build_query(cube: Cube, catalog: Catalog, request: Request) -> Query:
    """Resolve a request into a valid Query or raise QueryError naming the field at fault."""
    cuts = tuple(catalog.resolve_cut(cube, spec) for spec in parse_cuts(request.cut))
    axes, axis_field = _resolve_axes(cube, catalog, request, cuts)
    aggregates = tuple(cube.aggregate(m.strip(), "measures") for m in request.measures if m.strip())
    if not aggregates:
        raise QueryError(
            "measures", "no measure given", [a.name for a in cube.aggregates if a.public]
        )
    age, decile = _age_and_decile(request, aggregates)
    period = _period(cube, catalog, request, aggregates, axis_field, cuts)
    default_year = None
    if cube.nonadditive_time() and period is None:
        cuts, default_year = _one_year(cube, catalog, axis_field, cuts)
    y0, y1 = period or (None, None)
    check_page(request.page, request.page_size)
    query = Query(
        cube,
        axes,
        aggregates,
        cuts,
        age,
        decile,
        y0,
        y1,
        bool(request.fallback),
        default_year,
        resolve_order(request.order, order_fields(axes, (a.name for a in aggregates))),
        request.page,
        request.page_size,
    )
    if query.cell_count > cube.max_cells:
        raise TooLarge(
            "axes",
            f"the result would have {query.cell_count:,} cells; the limit for {cube.name} is "
            f"{cube.max_cells:,}; choose coarser levels or cut the data",
        )
    return query


def _resolve_axes(
    cube: Cube, catalog: Catalog, request: Request, cuts: tuple[Cut, ...]
) -> tuple[tuple[Axis, ...], dict[str, str]]:
    """The axes, and for each dimension on one the field that put it there."""
    resolved: list[Axis] = []
    field_of: dict[str, str] = {}
    for i, text in enumerate(request.axes):
        field = f"axes.{i}"
        dim, hierarchy, level = parse_axis(cube, text, field)
        if dim.name in field_of:
            raise QueryError(field, f"dimension {dim.name!r} is already on another axis")
        keys = _axis_keys(catalog, cube, dim, level, cuts)
        resolved.append(Axis(dim, level, keys, hierarchy.name))
        field_of[dim.name] = field
    return tuple(resolved), field_of


def _age_and_decile(
    request: Request, aggregates: tuple[Aggregate, ...]
) -> tuple[int | None, int | None]:
    params = {p for a in aggregates for p in a.parameters}
    age = decile = None
    takes_age = any("age" in a.parameters or a.derived == "pay_distribution" for a in aggregates)
    if request.age is not None:
        if not takes_age:
            raise QueryError("age", "only mean_pay_at_age, median_pay and pay_decile take an age")
        age = _int_param(request.age, "age", AGES)
    elif "age" in params:
        raise QueryError("age", "this measure needs an age", _describe(AGES))
    if request.decile is not None:
        if "decile" not in params:
            raise QueryError("decile", "only the pay_decile measure takes a decile")
        decile = _int_param(request.decile, "decile", DECILES)
    elif "decile" in params:
        raise QueryError("decile", "pay_decile needs a decile", _describe(DECILES))
    return age, decile


def _period(
    cube: Cube,
    catalog: Catalog,
    request: Request,
    aggregates: tuple[Aggregate, ...],
    axis_field: dict[str, str],
    cuts: tuple[Cut, ...],
) -> tuple[int, int] | None:
    """The first and last year of a change measure, checked against the data's years."""
    time = cube.time_dimension()
    wants = any("from" in a.parameters or "to" in a.parameters for a in aggregates)
    period_measures = [a.name for a in cube.aggregates if "from" in a.parameters]
    if not wants:
        if request.year_from is not None or request.year_to is not None:
            field = "year_from" if request.year_from is not None else "year_to"
            raise QueryError(
                field, "only change measures take a first and last year", period_measures
            )
        return None
    assert time is not None  # the model only declares change measures on cubes with time
    years = [m.key for m in catalog.members(time, time.finest)]
    if time.name in axis_field:
        raise QueryError(
            axis_field[time.name], f"{time.name} cannot be an axis of a change between two years"
        )
    if any(c.dimension == time.name for c in cuts):
        raise QueryError("cut", f"do not cut {time.name} for a change measure; give its years")
    if request.year_from is None or request.year_to is None:
        missing = "year_from" if request.year_from is None else "year_to"
        raise QueryError(missing, "a change measure needs a first and a last year", years)
    y0 = _int_param(request.year_from, "year_from", years)
    y1 = _int_param(request.year_to, "year_to", years)
    if y0 >= y1:
        raise QueryError("year_to", f"the last year ({y1}) must be after the first ({y0})", years)
    one_year = [a.name for a in aggregates if "from" not in a.parameters]
    if one_year:
        raise QueryError(
            "measures",
            f"{', '.join(one_year)} is a one-year measure and cannot be combined with a "
            f"change between two years; ask for it with a {time.name} cut or axis",
            period_measures,
        )
    return y0, y1


def _one_year(
    cube: Cube, catalog: Catalog, axis_field: dict[str, str], cuts: tuple[Cut, ...]
) -> tuple[tuple[Cut, ...], int | None]:
    """A measure that cannot be summed over time needs one year: the cut's, an axis, or
    the latest history year (reported as a default)."""
    time = cube.time_dimension()
    if time is None or time.name in axis_field:
        return cuts, None
    year_cut = next((c for c in cuts if c.dimension == time.name), None)
    if year_cut is None:
        year = _default_member(catalog, cube)
        return (*cuts, _year_cut(cube, year)), year
    if year_cut.invert or len(year_cut.keys) != 1:
        years = [m.key for m in catalog.members(time, time.finest)]
        raise QueryError(
            "cut",
            f"employment cannot be summed over several years; cut one {time.name} "
            "or put it on an axis",
            years,
        )
    return cuts, None


def _default_member(catalog: Catalog, cube: Cube) -> int:
    dim = cube.time_dimension()
    assert dim is not None
    frame = catalog.table(dim)
    key = dim.finest.key
    chosen = frame.column(key)
    if dim.default_member is not None:
        attribute, value = dim.default_member
        chosen = [
            k
            for k, a in zip(frame.column(key), frame.column(attribute), strict=True)
            if str(a) == value
        ]
    return int(max(chosen if len(chosen) else frame.column(key)))


def _year_cut(cube: Cube, year: int) -> Cut:
    dim = cube.time_dimension()
    assert dim is not None
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
