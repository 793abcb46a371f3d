"""Single-response audit by linear programming, independent of the engine's own rules.

For one published cross-tab of employment, every cell is a variable: published cells lie in
their rounding interval, withheld cells are only known to be non-negative, and every row and
column (with its total) adds up. The same table with `fallback=true` adds its fills: each is
a parent's value, so the cells of the parent's children on that line add up to it. For each withheld cell whose true weight w (from the source
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
from lmi_cubes.etl import sources

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
# an axis level -> the level one up: the parents the adversary reads from the coarser table
COARSER = {
    "occupation:soc2": "occupation:soc1",
    "occupation:soc3": "occupation:soc2",
    "industry:ind22": "industry:sector6",
    "region:region": "region:nation",
}
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
    # not protected once the tables one level up on each axis are read too (two requests)
    exposed_with_parents: list[str] | None = None
    fills: int = 0  # fills in the fallback=true responses (each an extra equation)
    primary_published: int = 0  # cells under the threshold that were published (a bug)
    published_large: int = 0
    withheld_large: int = 0  # cells of weight >= threshold withheld (the cost to users)
    # withheld cells whose reason is not their own: a partner must not say "no reliable
    # data", a cell under the threshold must not say it protects another
    wrong_reasons: int = 0
    policies: frozenset[str] = frozenset()  # the protection policies the responses named

    def __post_init__(self) -> None:
        self.exposed = []
        self.exposed_with_parents = []


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


def reasons(body: dict[str, Any], two_axes: bool) -> np.ndarray:
    """Each cell's `reason` ("" where none), in the layout of `published`."""
    if two_axes:
        rows = [[*r, t] for r, t in zip(body["cells"], body["row_totals"], strict=True)]
        rows.append([*body["column_totals"], body["grand_total"]])
    else:
        rows = [*(r[0] if isinstance(r, list) else r for r in body["cells"]), body["grand_total"]]
    return np.vectorize(lambda c: c.get("reason", ""))(np.array(rows, dtype=object))


PARTNER_REASON, OWN_REASON = "withheld to protect another cell", "no reliable data available"


Parents = list[tuple[list[tuple[int, ...]], float]]  # (cells summing to a parent, its value)


def intervals(
    values: np.ndarray,
    withheld: np.ndarray,
    targets: list[tuple[int, ...]],
    parents: Parents = (),  # type: ignore[assignment]
):
    """Min and max of each target cell subject to everything the table publishes, and to
    the published parents (each a sum of cells of the table, known to +-5)."""
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
    a_ub, b_ub = [], []
    for cells, value in parents:
        row = np.zeros(n)
        for cell in cells:
            row[index[cell]] = 1
        a_ub += [row, -row]
        b_ub += [value + half, -(value - half)]
    ub = {"A_ub": np.array(a_ub), "b_ub": np.array(b_ub)} if a_ub else {}
    out = []
    for target in targets:
        c = np.zeros(n)
        c[index[target]] = 1
        low = linprog(c, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs", **ub)
        high = linprog(-c, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs", **ub)
        assert low.status == 0, low.message  # the true values are always feasible
        out.append((low.fun, np.inf if high.status == 3 else -high.fun))
    return out


def _url(cube: str, axes: list[str], cut: str) -> str:
    url = f"/cube/{cube}/crosstab?rows={axes[0]}&measure=employment"
    if len(axes) > 1:
        url += f"&columns={axes[1]}"
    return url + (f"&cut={cut}" if cut else "")


def parent_sums(
    get, truth: Truth, cube: str, axes: list[str], cut: str, members: list[list[int]]
) -> Parents:
    """What the tables one level up on each axis publish, as sums of this table's cells."""
    out: Parents = []
    for a, axis in enumerate(axes):
        if axis not in COARSER:
            continue
        up = [COARSER[axis] if i == a else x for i, x in enumerate(axes)]
        status, body = get(_url(cube, up, cut))
        assert status == 200, body
        values, withheld = published(body, len(axes) > 1)
        keys = [[m["key"] for m in body[p]["members"]] for p in ("rows", "columns")[: len(axes)]]
        pairs = truth.frames[cube][[column_of(axis), column_of(up[a])]].drop_duplicates()
        parent_of = dict(zip(pairs.iloc[:, 0], pairs.iloc[:, 1], strict=True))
        for pos in np.ndindex(values.shape):
            if withheld[pos] or pos[a] == values.shape[a] - 1:
                continue  # totals are this table's own margins already
            parent = keys[a][pos[a]]
            children = [i for i, k in enumerate(members[a]) if parent_of.get(k) == parent]
            cells = [(*pos[:a], i, *pos[a + 1 :]) for i in children]
            out.append((cells, float(values[pos])))
    return out


def fill_sums(
    body: dict[str, Any], truth: Truth, cube: str, axes: list[str], members: list[list[int]]
) -> Parents:
    """The fills of a `fallback=true` response, as sums of the table's cells: a fill is its
    parent's value, and the parent is the sum of its children on the same line."""
    out: Parents = []
    two = len(axes) > 1
    if two:
        grid = [[*r, t] for r, t in zip(body["cells"], body["row_totals"], strict=True)]
        grid.append([*body["column_totals"], body["grand_total"]])
    else:
        grid = [[r[0] if isinstance(r, list) else r] for r in [*body["cells"], body["grand_total"]]]
    for r, line in enumerate(grid):
        for c, cell in enumerate(line):
            source = cell.get("filled_from")
            if not source or cell["value"] is None:
                continue
            a = next(i for i, x in enumerate(axes) if _dim(x) == source["dimension"])
            pairs = truth.frames[cube][[column_of(axes[a]), source["level"]]].drop_duplicates()
            parent_of = dict(zip(pairs.iloc[:, 0], pairs.iloc[:, 1], strict=True))
            children = [i for i, k in enumerate(members[a]) if parent_of.get(k) == source["key"]]
            pos = (r, c) if two else (r,)
            cells = [(*pos[:a], i, *pos[a + 1 :]) for i in children]
            out.append((cells, float(cell["value"])))
    return out


def audit(
    get, truth: Truth, specs: list[tuple[str, list[str], str]], with_parents: bool = True
) -> Audit:
    """Run each table through `get(url) -> (status, json)` and audit it."""
    result = Audit()
    for cube, axes, cut in specs:
        url = _url(cube, axes, cut)
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
        why = reasons(body, len(axes) > 1)
        result.wrong_reasons += int((large & withheld & (why != PARTNER_REASON)).sum())
        result.wrong_reasons += int((~large & withheld & (why != OWN_REASON)).sum())
        result.policies |= {body["policy"]["protection"]}
        targets = [tuple(int(i) for i in t) for t in np.argwhere(small & withheld)]
        result.withheld_small += len(targets)
        status, filled = get(url + "&fallback=true")
        assert status == 200, filled
        fills = fill_sums(filled, truth, cube, axes, members)
        result.fills += len(fills)
        alone = intervals(values, withheld, targets, fills)
        parents = parent_sums(get, truth, cube, axes, cut, members) if with_parents else []
        both = intervals(values, withheld, targets, fills + parents) if parents else alone
        for target, (low, high), (low2, high2) in zip(targets, alone, both, strict=True):
            w = true[target]
            assert result.exposed is not None and result.exposed_with_parents is not None
            if low > 0.5 * w + 1e-6 or high < 1.5 * w - 1e-6:
                result.exposed.append(f"{url} cell {target}: w={w:.0f} in [{low:.0f}, {high:.0f}]")
            if low2 > 0.5 * w + 1e-6 or high2 < 1.5 * w - 1e-6:
                result.exposed_with_parents.append(
                    f"{url} cell {target}: w={w:.0f} in [{low2:.0f}, {high2:.0f}]"
                )
    return result
