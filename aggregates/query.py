"""The one immutable query object, and its resolution from names a user typed.

Every name is resolved against the model and every member against the catalog here, so
by the time a `Query` exists it is valid: the SQL compiler never sees a raw user string.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lmi_cubes.aggregates.catalog import Catalog, Cut
from lmi_cubes.aggregates.cuts import CutSpec, parse_cuts
from lmi_cubes.aggregates.paging import Sort, check_page, order_fields, resolve_order
from lmi_cubes.model import Aggregate, Cube, Dimension, Hierarchy, Level
from lmi_cubes.model.errors import NotFound, QueryError, TooLarge

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
    # what the request left out and the model's defaults filled in, by the request's field
    # names (`measures`, `axes.0`, `year_from`, `year_to`), for responses to report
    defaults: tuple[tuple[str, str | int], ...] = ()

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
    the level's name if one is given (what a missing level means is `default_level`'s rule)."""
    match = _AXIS.match(text.strip())
    if not match:
        raise QueryError(
            field,
            f"{text!r} is not dimension[@hierarchy][:level] (e.g. occupation:soc2)",
            [d.name for d in cube.dimensions],
        )
    dim = cube.dimension(match.group(1), field)
    return dim, dim.hierarchy(match.group(2), field), match.group(3)


def parse_axis(cube: Cube, text: str, field: str) -> tuple[Dimension, Hierarchy, Level | None]:
    dim, hierarchy, level_name = split_axis(cube, text, field)
    return dim, hierarchy, dim.level(level_name, field, hierarchy.name) if level_name else None


def default_level(dim: Dimension, hierarchy: Hierarchy, spec: CutSpec | None, field: str) -> Level:
    """The level of an axis named without one: one level below the dimension's point cut,
    the top level without a cut (or with a set or range), as Cubes drills down. The same
    rule for every endpoint, so `rows=occupation` and `drilldown=occupation` agree."""
    if len(hierarchy.levels) == 1:
        return hierarchy.levels[0]
    depth = 0
    if spec is not None and spec.kind == "point":
        if (spec.hierarchy or dim.default_hierarchy) != hierarchy.name:
            raise QueryError(
                field,
                f"the cut of {dim.name} uses hierarchy {spec.hierarchy!r} but {field} uses "
                f"{hierarchy.name!r}; name the level",
                hierarchy.level_names,
            )
        depth = len(spec.paths[0]) - (1 if spec.invert else 0)
    if depth >= len(hierarchy.levels):
        raise QueryError(
            field,
            f"the cut of {dim.name} is already at its deepest level "
            f"({hierarchy.levels[-1].name}); there is no level below to show",
            hierarchy.level_names,
        )
    return hierarchy.levels[depth]


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


def build_query(cube: Cube, catalog: Catalog, request: Request) -> Query:
    """Resolve a request into a valid Query or raise QueryError naming the field at fault."""
    specs = parse_cuts(request.cut)
    cuts = tuple(_resolve_cut(cube, catalog, spec) for spec in specs)
    axes, axis_field, default_levels = _resolve_axes(cube, catalog, request, cuts, specs)
    aggregates = tuple(cube.aggregate(m.strip(), "measures") for m in request.measures if m.strip())
    defaults: list[tuple[str, str | int]] = list(default_levels)
    if not aggregates:  # the model's default measure, reported as a default
        aggregates = (cube.aggregate(cube.default_measure, "measures"),)
        defaults.append(("measures", cube.default_measure))
    age, decile = _age_and_decile(request, aggregates)
    period = _period(cube, catalog, request, aggregates, axis_field, cuts)
    if period is not None:
        defaults += [
            (f, y)
            for f, y, given in zip(
                ("year_from", "year_to"), period, (request.year_from, request.year_to), strict=True
            )
            if given is None
        ]
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
        tuple(defaults),
    )
    if query.cell_count > cube.max_cells:
        raise TooLarge(
            "axes",
            f"the result would have {query.cell_count:,} cells; the limit for {cube.name} is "
            f"{cube.max_cells:,}; choose coarser levels or cut the data",
        )
    return query


def _resolve_cut(cube: Cube, catalog: Catalog, spec: CutSpec) -> Cut:
    """A cut resolved against the catalog; a cut of the time dimension must also select a
    year the cube's data have. The time dimension is shared by every cube, so its table
    lists years one cube never has: a cut of those would answer a table of empty, withheld
    cells, and an error listing the shared table's years would offer choices that fail."""
    time = cube.time_dimension()
    if time is None or spec.dimension != time.name:
        return catalog.resolve_cut(cube, spec)
    years = sorted(catalog.universe(cube, time))
    have = f"{cube.name} has data for {time.name} {_span(years)}"
    try:
        cut = _year_range(years, time, spec) or catalog.resolve_cut(cube, spec)
    except QueryError as exc:
        raise QueryError("cut", f"{exc.message}; {have}", [str(y) for y in years]) from None
    if not cut.allowed(frozenset(years)):
        raise QueryError(
            "cut", f"the cut of {time.name} selects no loaded year; {have}", [str(y) for y in years]
        )
    return cut


def _year_range(years: list[int], time: Dimension, spec: CutSpec) -> Cut | None:
    """A range of years selects the cube's years between its bounds, which need not be
    years of the data themselves (`year:2015-2045`); None for any other cut."""
    if spec.kind != "range" or len(time.levels) != 1:
        return None
    bounds: list[int | None] = []
    for path in spec.paths:
        if len(path) > 1:
            return None  # too many parts: the catalog names the problem
        if path and not re.fullmatch(r"-?[0-9]{1,9}", path[0]):
            raise QueryError("cut", f"{time.name} {path[0]!r} is not a year")
        bounds.append(int(path[0]) if path else None)
    low, high = bounds
    keys = tuple(y for y in years if (low is None or y >= low) and (high is None or y <= high))
    return Cut(time.name, time.levels[0].name, "range", keys, frozenset(keys), spec.invert)


def _span(years: list[int]) -> str:
    if len(years) > 2 and years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}-{years[-1]}"
    return ", ".join(str(y) for y in years)


def _resolve_axes(
    cube: Cube,
    catalog: Catalog,
    request: Request,
    cuts: tuple[Cut, ...],
    specs: tuple[CutSpec, ...] | list[CutSpec],
) -> tuple[tuple[Axis, ...], dict[str, str], tuple[tuple[str, str], ...]]:
    """The axes, for each dimension on one the field that put it there, and the
    (field, level) of every axis whose level was left to `default_level`."""
    resolved: list[Axis] = []
    field_of: dict[str, str] = {}
    defaulted: list[tuple[str, str]] = []
    spec_of = {s.dimension: s for s in specs}
    for i, text in enumerate(request.axes):
        field = f"axes.{i}"
        dim, hierarchy, named = parse_axis(cube, text, field)
        level = named or default_level(dim, hierarchy, spec_of.get(dim.name), field)
        if named is None and len(dim.levels) > 1:
            defaulted.append((field, f"{dim.name}:{level.name}"))
        if dim.name in field_of:
            raise QueryError(field, f"dimension {dim.name!r} is already on another axis")
        keys = _axis_keys(catalog, cube, dim, level, cuts)
        resolved.append(Axis(dim, level, keys, hierarchy.name))
        field_of[dim.name] = field
    return tuple(resolved), field_of, tuple(defaulted)


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
    first, last = change_years(cube, catalog)
    y0 = first if request.year_from is None else _int_param(request.year_from, "year_from", years)
    y1 = last if request.year_to is None else _int_param(request.year_to, "year_to", years)
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


def default_period(cube: Cube, catalog: Catalog) -> tuple[int, int] | None:
    """The years a change measure covers when the request gives none: from the time
    dimension's default member (the latest history year) to the cube's last year; None when
    the cube has no time dimension or no year after that member."""
    time = cube.time_dimension()
    if time is None:
        return None
    first, last = _default_member(catalog, cube), max(catalog.universe(cube, time))
    return (first, last) if first < last else None


def change_years(cube: Cube, catalog: Catalog) -> tuple[int, int]:
    """The years a change asks for when its caller names none: the default period, else the
    last year twice, which every caller refuses in its own words (first must precede last)."""
    period = default_period(cube, catalog)
    if period is not None:
        return period
    time = cube.time_dimension()
    assert time is not None  # change measures exist only on cubes with time
    last = max(catalog.universe(cube, time))
    return last, last


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
