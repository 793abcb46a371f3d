"""Engine results rendered as the JSON and CSV the API serves.

A withheld cell is rendered with no value and no weight, whatever the format: the engine
already set its value to NaN, and nothing here reads weights.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import numpy as np

from lmi_cubes.aggregates.engine import Result
from lmi_cubes.aggregates.reliability import Flag, name_of
from lmi_cubes.cube_server.errors import parameter_of

# GSS shorthand: [x] withheld, [u] low reliability, [z] not applicable; [f] is this
# product's own, documented beside them: a withheld cell filled from a coarser group
GSS_WITHHELD, GSS_LOW, GSS_NOT_APPLICABLE, GSS_FILLED = "[x]", "[u]", "[z]", "[f]"
PROTECTS = "protects"  # the model's message for a cell withheld to protect another
SYMBOL_SUFFIX = "(symbol)"  # the wide CSV's shorthand column beside each value column


class CellGrid:
    """Every cell of a result as its JSON object, built column-wise for speed: the common
    fields in one pass, then extras only where a cell is unusual."""

    def __init__(self, result: Result, measure: str):
        self.shape = result.shape
        flags = result.flags.ravel()
        numbers = _numbers(result.values[measure].ravel())
        names = name_of(flags).tolist()
        cells = [{"value": v, "flag": f} for v, f in zip(numbers, names, strict=True)]
        messages = result.query.cube.reliability.messages
        note = messages.get(Flag.LOW.label, "based on a relatively small sample")
        for n in np.flatnonzero(flags == Flag.LOW).tolist():
            cells[n]["note"] = note
        reason = messages.get(Flag.SUPPRESSED.label, "no reliable data available")
        protects = messages.get(PROTECTS, "withheld to protect another cell")
        partner = (
            result.protects.ravel()
            if result.protects is not None
            else np.zeros(len(cells), dtype=bool)
        )
        suppressed = flags == Flag.SUPPRESSED
        for n in np.flatnonzero(suppressed).tolist():
            cells[n]["reason"] = protects if partner[n] else reason
        for n in np.flatnonzero(flags == Flag.NOT_APPLICABLE).tolist():
            cells[n]["reason"] = "not summed over years"
        _go_up(cells, suppressed, result.suggestions)
        for n in np.flatnonzero(result.fill_source.ravel() >= 0).tolist():
            fill = result.fill(tuple(int(i) for i in np.unravel_index(n, self.shape)))
            assert fill is not None
            cells[n]["filled_from"] = {
                "dimension": fill.dimension, "level": fill.level, "key": fill.key,
                "label": fill.label,
            }  # fmt: skip
        self.cells = cells

    def __getitem__(self, index: tuple[int, ...] | int) -> dict[str, Any]:
        index = index if isinstance(index, tuple) else (index,)
        flat = 0  # row-major position, negative indices from the end (the totals)
        for i, n in zip(index, self.shape, strict=True):
            flat = flat * n + int(i) % n
        return self.cells[flat]

    def rows(self) -> list[list[dict[str, Any]]]:
        """The interior of a 2-D grid (or the members of a 1-D one, one per row)."""
        if len(self.shape) == 1:
            return [[c] for c in self.cells[:-1]]
        width = self.shape[1]
        return [self.cells[i * width : i * width + width - 1] for i in range(self.shape[0] - 1)]


def _numbers(values: np.ndarray) -> list[float | int | None]:
    """Values as JSON numbers: whole ones as integers (1234, not 1234.0), NaN as None.
    Built column-wise: a Python test per value is what a large table would otherwise pay."""
    out = values.astype(object)
    finite = np.isfinite(values)
    whole = finite & (values == np.floor(np.where(finite, values, 0.0)))
    small = whole & (np.abs(np.where(finite, values, 0.0)) < 2**53)
    out[small] = values[small].astype(np.int64).astype(object)
    for n in np.flatnonzero(whole & ~small).tolist():  # beyond int64's exact floats
        out[n] = int(values[n])
    out[np.isnan(values)] = None
    return out.tolist()


def _go_up(
    cells: list[dict[str, Any]],
    suppressed: np.ndarray,
    suggestions: tuple[tuple[str, str, np.ndarray], ...],
) -> None:
    """Each withheld cell's "go up" list: the coarser levels that show its parent, in the
    engine's order. Cells with the same choices share one list (it is only serialised):
    a dictionary per cell and choice cost 11% of a loaded server's time."""
    if len(suggestions) > 62:  # more choices than bits: one list per cell
        for dimension, level, works in suggestions:
            for n in np.flatnonzero(works.ravel() & suppressed).tolist():
                cells[n].setdefault("go_up", []).append({"dimension": dimension, "level": level})
        return
    combo = np.zeros(suppressed.size, dtype=np.int64)
    for i, (_, _, works) in enumerate(suggestions):
        combo |= (works.ravel() & suppressed).astype(np.int64) << i
    where = np.flatnonzero(combo)
    shared: dict[int, list[dict[str, str]]] = {}
    for n, code in zip(where.tolist(), combo[where].tolist(), strict=True):
        choices = shared.get(code)
        if choices is None:
            choices = shared[code] = [
                {"dimension": dimension, "level": level}
                for i, (dimension, level, _) in enumerate(suggestions)
                if code >> i & 1
            ]
        cells[n]["go_up"] = choices


def _axis(result: Result, i: int) -> dict[str, Any]:
    axis = result.query.axes[i]
    return {
        "dimension": axis.dimension.name,
        "level": axis.level.name,
        "label": axis.level.label,
        "members": [
            {"key": k, "label": lbl} for k, lbl in zip(axis.keys, result.labels[i], strict=True)
        ],
    }


def _meta(result: Result) -> dict[str, Any]:
    q = result.query
    policy = q.cube.reliability
    out: dict[str, Any] = {
        "cube": q.cube.name,
        "cuts": [
            {
                "dimension": c.dimension,
                "level": c.level,
                "kind": c.kind,
                "keys": list(c.keys),
                "invert": c.invert,
            }
            for c in q.cuts
        ],
        "policy": {
            "weight": policy.weight,
            "suppress_below": policy.suppress_below,
            "reliable_from": policy.reliable_from,
            "messages": policy.messages,
            "protection": policy.protection,
            "rounding": {m.name: m.round_to for m in q.measures},
        },
        "table": result.table,
        "vintage": result.vintage,
    }
    params = {"age": q.age, "decile": q.decile, "from": q.year_from, "to": q.year_to}
    out["parameters"] = {k: v for k, v in params.items() if v is not None}
    defaults: dict[str, Any] = {parameter_of("crosstab", f): v for f, v in q.defaults}
    if q.default_year is not None:
        defaults["year"] = q.default_year
    if defaults:  # what the request left out and the model filled in
        out["defaults"] = defaults
    return out


def crosstab_json(result: Result, margins: bool) -> dict[str, Any]:
    q = result.query
    measure = q.measures[0]
    two = len(q.axes) == 2
    n_rows = len(q.axes[0].keys)
    n_cols = len(q.axes[1].keys) if two else 0

    grid = CellGrid(result, measure.name)
    out: dict[str, Any] = {
        **_meta(result),
        "measure": {"name": measure.name, "label": measure.label},
        "rows": _axis(result, 0),
        "columns": _axis(result, 1) if two else None,
        "cells": grid.rows(),
    }
    if margins:
        cells = grid.cells  # row-major: each row's total ends it, the totals' row comes last
        if two:
            width = n_cols + 1
            out["row_totals"] = cells[n_cols : n_rows * width : width]
            out["column_totals"] = cells[n_rows * width : n_rows * width + n_cols]
        out["grand_total"] = cells[-1]
    return out


class CsvColumns:
    """Every cell of a result as the CSV's columns, row-major like the grid, made from the
    result's arrays: a CSV shows no notes, reasons or suggestions, so it needs no object
    per cell."""

    def __init__(self, result: Result, measure: str):
        self.shape = result.shape
        values = result.values[measure].ravel()
        flags = result.flags.ravel()
        self.values: list[Any] = [
            "" if v is None else v for v in _numbers(values)
        ]  # a withheld cell is an empty field
        self.flags: list[str] = name_of(flags).tolist()
        filled = result.fill_source.ravel() >= 0
        self.filled_from: list[str] = [""] * flags.size
        for n in np.flatnonzero(filled).tolist():
            fill = result.fill(tuple(int(i) for i in np.unravel_index(n, self.shape)))
            assert fill is not None
            self.filled_from[n] = f"{fill.dimension}:{fill.level}:{fill.key}"
        # the GSS shorthand of the wide CSV's symbol column (docs/reference.md), the first
        # that applies: filled, not applicable, withheld (no value), low reliability
        symbols = np.full(flags.size, "", dtype=object)
        symbols[flags == Flag.LOW] = GSS_LOW
        symbols[np.isnan(values)] = GSS_WITHHELD
        symbols[flags == Flag.NOT_APPLICABLE] = GSS_NOT_APPLICABLE
        symbols[filled] = GSS_FILLED
        self.symbols: list[str] = symbols.tolist()
        # row i's first cell: a 2-D grid is row-major, a 1-D one has one value per row
        self.width = self.shape[1] if len(self.shape) == 2 else 1


def crosstab_csv(result: Result, layout: str, margins: bool) -> str:
    """Codes and labels in columns of their own; a code column holds numbers only, and a
    margin (the total over a dimension) has an empty code and the label "Total", so
    pandas and spreadsheets read codes as numbers and joins on them need no cleaning."""
    q = result.query
    measure = q.measures[0].name
    two = len(q.axes) == 2
    total: tuple[int | str, str] = ("", "Total")
    rows: list[tuple[int | str, str]] = [*zip(q.axes[0].keys, result.labels[0], strict=True)]
    cols: list[tuple[int | str, str]] = (
        [*zip(q.axes[1].keys, result.labels[1], strict=True)] if two else []
    )
    if margins:
        rows.append(total)
    if margins or not two:  # a one-axis table has one value column, its measure's
        cols.append(total)
    grid = CsvColumns(result, measure)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    row_name = f"{q.axes[0].dimension.name}_{q.axes[0].level.name}"

    if layout == "wide":
        # GSS guidance for machine-readable tables: a number's cell holds only the number,
        # its shorthand sits in a column of its own, so every value column reads as numbers
        header = [f"{row_name}_code", f"{row_name}_label"]
        for code, label in cols:
            title = measure if not two else label if str(code) in ("", label) else f"{code} {label}"
            header += [title, f"{title} {SYMBOL_SUFFIX}"]
        writer.writerow(header)
        for i, (code, label) in enumerate(rows):
            line: list[Any] = [code, label]
            for n in range(i * grid.width, i * grid.width + len(cols)):
                line += [grid.values[n], grid.symbols[n]]
            writer.writerow(line)
        return buffer.getvalue()
    header = [f"{row_name}_code", f"{row_name}_label"]
    if two:
        col_name = f"{q.axes[1].dimension.name}_{q.axes[1].level.name}"
        header += [f"{col_name}_code", f"{col_name}_label"]
    writer.writerow([*header, "measure", "value", "flag", "filled_from"])
    values, flags, filled = grid.values, grid.flags, grid.filled_from
    width = grid.width
    writer.writerows(
        [*row, *col, measure, values[i * width + j], flags[i * width + j], filled[i * width + j]]
        for i, row in enumerate(rows)
        for j, col in enumerate(cols if two else [()] * len(cols))
    )
    return buffer.getvalue()
