"""ASHE and Working Futures answers, each one cube query through the engine.

The engine decides what may be shown (primary and secondary suppression, flags, rounding);
this module only reshapes its cells. A withheld cell is left out (ASHE years and breakdown
items, Working Futures items); a low-reliability Working Futures figure carries the
original's `note`. `coarse=true` is the engine's "go up a level" applied to the SOC cut.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from lmi_cubes.aggregates import reliability
from lmi_cubes.aggregates.engine import Engine
from lmi_cubes.aggregates.query import Request
from lmi_cubes.aggregates.result import Result
from lmi_cubes.cube_server.lmi4all.common import (
    NOTE,
    Filter,
    Lmi4AllError,
    filter_named,
    original_name,
    soc_cut,
)
from lmi_cubes.model import Cube

SHOWN = (reliability.Flag.RELIABLE, reliability.Flag.LOW)


@dataclasses.dataclass(frozen=True)
class Ask:
    """One LMI for All question, already validated."""

    cube: str
    measure: str
    soc: int
    cuts: tuple[str, ...] = ()
    age: int | None = None
    breakdown: str | None = None
    years: tuple[int, int] | None = None  # an inclusive year range cut
    period: tuple[int, int] | None = None  # from/to of a change measure
    round_to: float | None = None  # overrides the model's rounding (hours as integers)


def breakdown_filter(cube: Cube, name: str | None) -> Filter | None:
    if name is None or name.strip() == "":
        return None
    found = filter_named(name.strip().lower(), cube)
    if found is None:
        raise Lmi4AllError(404, f"There is no breakdown by {name[:40]!r}.")
    return found


def run(engine: Engine, ask: Ask, soc: int) -> Result:
    """The cube query for one SOC code (at its own level) and the asked cuts."""
    cube = engine.model.cube(ask.cube)
    located = soc_cut(engine, cube, soc)
    if located is None:
        raise Lmi4AllError(400, f"{soc} is not a SOC 2010 code.")
    cuts = [located[0], *ask.cuts]
    if ask.years is not None:
        cuts.append(f"year:{ask.years[0]}-{ask.years[1]}")
    axes = [] if ask.period else ["year"]
    f = breakdown_filter(cube, ask.breakdown)
    if f is not None:
        axes.append(f"{f.dimension}:{f.level}")
    query = engine.query(
        Request(
            ask.cube,
            axes=tuple(axes),
            measures=(ask.measure,),
            cut="|".join(cuts),
            age=ask.age,
            year_from=ask.period[0] if ask.period else None,
            year_to=ask.period[1] if ask.period else None,
        ),
        cube,
    )
    if ask.round_to is not None:
        measures = tuple(dataclasses.replace(a, round_to=ask.round_to) for a in query.measures)
        query = dataclasses.replace(query, measures=measures)
    return engine.run(query, suggest=False)  # these responses show no go-up choices


def soc_levels(soc: int, coarse: bool) -> list[int]:
    """The codes to try: the asked one, then (coarse) its minor and sub-major groups."""
    text = str(soc)
    if not coarse:
        return [soc]
    return [int(text[:n]) for n in range(len(text), 1, -1)] or [soc]


def _number(value: float) -> int:
    return round(float(value))


def series(
    engine: Engine, ask: Ask, field: str, coarse: bool
) -> tuple[int, list[dict[str, Any]], Result]:
    """Year items of one measure at the finest SOC level whose latest year is shown."""
    chosen: tuple[int, list[dict[str, Any]], Result] | None = None
    for code in soc_levels(ask.soc, coarse):
        result = run(engine, ask, code)
        values = result.values[ask.measure]
        years = result.query.axes[0].keys
        items: list[dict[str, Any]] = []
        for i, year in enumerate(years):
            index = (i, -1) if ask.breakdown else (i,)
            if result.flags[index] not in SHOWN or np.isnan(values[index]):
                continue
            item: dict[str, Any] = {"year": int(year), field: _number(values[index])}
            if ask.breakdown:
                item["breakdown"] = _elements(result, ask, i, field, note=False)
            items.append(item)
        chosen = (code, items, result)
        latest = (len(years) - 1, -1) if ask.breakdown else (len(years) - 1,)
        if result.flags[latest] in SHOWN:
            break
    assert chosen is not None
    return chosen


def _elements(result: Result, ask: Ask, row: int, field: str, note: bool) -> list[dict[str, Any]]:
    """The shown members of the breakdown axis in one year (the note marks small samples)."""
    axis = result.query.axes[-1]
    name = ask.breakdown or ""
    values = result.values[ask.measure]
    out = []
    for j, key in enumerate(axis.keys):
        index = (row, j)
        if result.flags[index] not in SHOWN or np.isnan(values[index]):
            continue
        if note:
            item: dict[str, Any] = {
                "code": int(key),
                "name": original_name(axis.dimension.name, int(key), result.labels[-1][j]),
                field: _number(values[index]),
            }
            if result.flags[index] == reliability.Flag.LOW:
                item["note"] = NOTE
        else:
            item = {name: int(key), field: _number(values[index])}
        out.append(item)
    return out


def wf_items(engine: Engine, ask: Ask) -> list[dict[str, Any]]:
    """Working Futures employment per year, with a breakdown when asked."""
    result = run(engine, ask, ask.soc)
    values = result.values[ask.measure]
    out: list[dict[str, Any]] = []
    for i, year in enumerate(result.query.axes[0].keys):
        if ask.breakdown:
            out.append(
                {"year": int(year), "breakdown": _elements(result, ask, i, "employment", True)}
            )
            continue
        if result.flags[i] not in SHOWN or np.isnan(values[i]):
            continue
        item: dict[str, Any] = {"year": int(year), "employment": _number(values[i])}
        if result.flags[i] == reliability.Flag.LOW:
            item["note"] = NOTE
        out.append(item)
    return out


def replacement(engine: Engine, ask: Ask) -> dict[str, Any]:
    assert ask.period is not None
    result = run(engine, ask, ask.soc)
    body: dict[str, Any] = {"soc": ask.soc, "start_year": ask.period[0], "end_year": ask.period[1]}
    flag = result.flags[()]
    value = float(result.values[ask.measure][()])
    if flag in SHOWN and not np.isnan(value):
        body["rate"] = _number(value)
    if flag != reliability.Flag.RELIABLE:
        body["note"] = NOTE
    return body
