"""Single-response audit by linear programming, independent of the engine's own rules.

For one published cross-tab of employment, every cell is a variable: published cells lie in
their rounding interval, withheld cells are only known to be non-negative, and every row and
column (with its total) adds up. For each withheld cell whose true weight w (from the source
files) is under the threshold, HiGHS finds the smallest and largest weight consistent with
all of that. The cell is protected when that interval covers [w / 2, 3w / 2].
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import linprog

import oracle
from etl import sources

SUPPRESS_BELOW = 1000
EMPLOYMENT_STEP = 10  # employment is published rounded to the nearest 10

# level name on an axis -> the oracle's column holding that level's key
COLUMNS = {"qualification@broad": "broad3", "qualification@nqf": "nqf6"}
AXES = {
    "ashe_pay": [
        "occupation:soc1", "occupation:soc2", "occupation:soc3", "industry:sector6",
        "industry:ind22", "region:nation", "region:region", "qualification@broad:broad3",
        "qualification@nqf:nqf6", "gender", "status",
    ],
    "ashe_hours": [
        "occupation:soc1", "occupation:soc2", "industry:sector6", "industry:ind22",
        "region:nation", "region:region", "gender", "status",
    ],
    "working_futures": [
        "occupation:soc1", "occupation:soc2", "industry:sector6", "industry:ind22",
        "region:nation", "region:region", "qualification@nqf:nqf6", "gender", "status",
    ],
}  # fmt: skip
CUTS = ["", "gender:2", "status:1", "gender:1|status:2"]
FACTS = {
    "ashe_pay": (sources.ASHE_PAY.file, "Employment"),
    "ashe_hours": (sources.ASHE_HOURS.file, "Employment"),
    "working_futures": (sources.WF_EMPLOYMENT.file, "weight"),
}


def column_of(axis: str) -> str:
    """The oracle column of an axis spec such as `occupation:soc2` or `gender`."""
    dim, _, level = axis.partition(":")
    return level or dim


def _dim(axis: str) -> str:
    return axis.split(":")[0].split("@")[0]


def tables(seed: int, count: int) -> list[tuple[str, list[str], str]]:
    """A deterministic sample of (cube, axes, cut): one- and two-axis tables."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(count):
        cube = list(AXES)[i % len(AXES)]
        dims = AXES[cube]
        first = dims[rng.integers(len(dims))]
        others = [d for d in dims if _dim(d) != _dim(first)]
        chosen = [first] if i % 5 == 0 else [first, others[rng.integers(len(others))]]
        used = {_dim(a) for a in chosen}
        cut = next(
            c for c in rng.permutation(CUTS) if not used & {p.split(":")[0] for p in c.split("|")}
        )
        out.append((cube, chosen, str(cut)))
    return out


@dataclass
class Audit:
    tables: int = 0
    withheld_small: int = 0  # withheld cells with 0 < w < threshold
    exposed: list[str] | None = None  # descriptions of cells not protected
    primary_published: int = 0  # cells under the threshold that were published (a bug)
    published_large: int = 0
    withheld_large: int = 0  # cells of weight >= threshold withheld (the cost to users)

    def __post_init__(self) -> None:
        self.exposed = []


class Truth:
    """True weights from the source files, per cube."""

    def __init__(self, data_dir: Path):
        self.frames = {c: oracle.read(data_dir, f) for c, (f, _) in FACTS.items()}
        wf = self.frames["working_futures"]
        years = pd.read_csv(data_dir / "wf_years.csv")
        latest = int(years[years.kind == "history"].year.max())
        self.frames["working_futures"] = wf[wf.year == latest]

    def grid(self, cube: str, axes: list[str], cut: str, members: list[list[int]]) -> np.ndarray:
        frame = self.frames[cube]
        for part in filter(None, cut.split("|")):
            dim, key = part.split(":")
            frame = frame[frame[dim] == int(key)]
        weight = FACTS[cube][1]
        shape = tuple(len(m) + 1 for m in members)
        out = np.zeros(shape)
        columns = [column_of(a) for a in axes]
        sums = frame.groupby(columns)[weight].sum() if columns else None
        assert sums is not None
        for key, value in sums.items():
            key = key if isinstance(key, tuple) else (key,)
            index = tuple(m.index(int(k)) for m, k in zip(members, key, strict=True))
            out[index] += value
        for axis in range(len(shape)):  # margins, the last position of each axis
            total: list[Any] = [slice(None)] * len(shape)
            total[axis] = -1
            parts: list[Any] = [slice(None)] * len(shape)
            parts[axis] = slice(0, -1)
            out[tuple(total)] = out[tuple(parts)].sum(axis=axis)
        return out


def published(body: dict[str, Any], two_axes: bool) -> tuple[np.ndarray, np.ndarray]:
    """Values (NaN where withheld) and withheld mask of a crosstab, totals last."""
    if two_axes:
        rows = [[*r, t] for r, t in zip(body["cells"], body["row_totals"], strict=True)]
        rows.append([*body["column_totals"], body["grand_total"]])
    else:
        rows = [*(r[0] if isinstance(r, list) else r for r in body["cells"]), body["grand_total"]]
    cells = np.array(rows, dtype=object)
    flags = np.vectorize(lambda c: c["flag"])(cells)
    values = np.vectorize(lambda c: np.nan if c["value"] is None else float(c["value"]))(cells)
    return values, flags == "suppressed"


def intervals(values: np.ndarray, withheld: np.ndarray, targets: list[tuple[int, ...]]):
    """Min and max of each target cell subject to everything the table publishes."""
    shape = values.shape
    n = values.size
    index = np.arange(n).reshape(shape)
    rows_eq = []
    for axis in range(len(shape)):  # each line along the axis: parts - total = 0
        moved = np.moveaxis(index, axis, -1).reshape(-1, shape[axis])
        for line in moved:
            row = np.zeros(n)
            row[line[:-1]] = 1
            row[line[-1]] = -1
            rows_eq.append(row)
    a_eq = np.array(rows_eq)
    b_eq = np.zeros(len(rows_eq))
    half = EMPLOYMENT_STEP / 2
    bounds = [
        (0, None) if withheld.flat[i] else (max(0.0, values.flat[i] - half), values.flat[i] + half)
        for i in range(n)
    ]
    out = []
    for target in targets:
        c = np.zeros(n)
        c[index[target]] = 1
        low = linprog(c, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        high = linprog(-c, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        assert low.status == 0, low.message  # the true values are always feasible
        out.append((low.fun, np.inf if high.status == 3 else -high.fun))
    return out


def audit(get, truth: Truth, specs: list[tuple[str, list[str], str]]) -> Audit:
    """Run each table through `get(url) -> (status, json)` and audit it."""
    result = Audit()
    for cube, axes, cut in specs:
        url = f"/cube/{cube}/crosstab?rows={axes[0]}&measure=employment"
        if len(axes) > 1:
            url += f"&columns={axes[1]}"
        if cut:
            url += f"&cut={cut}"
        status, body = get(url)
        assert status == 200, (url, body)
        members = [[m["key"] for m in body[p]["members"]] for p in ("rows", "columns")[: len(axes)]]
        true = truth.grid(cube, axes, cut, members)
        values, withheld = published(body, len(axes) > 1)
        result.tables += 1
        small = (true > 0) & (true < SUPPRESS_BELOW)
        result.primary_published += int((small & ~withheld).sum())
        large = true >= SUPPRESS_BELOW
        result.published_large += int((large & ~withheld).sum())
        result.withheld_large += int((large & withheld).sum())
        targets = [tuple(int(i) for i in t) for t in np.argwhere(small & withheld)]
        result.withheld_small += len(targets)
        for target, (low, high) in zip(targets, intervals(values, withheld, targets), strict=True):
            w = true[target]
            if low > 0.5 * w + 1e-6 or high < 1.5 * w - 1e-6:
                assert result.exposed is not None
                result.exposed.append(f"{url} cell {target}: w={w:.0f} in [{low:.0f}, {high:.0f}]")
    return result
