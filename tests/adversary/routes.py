"""The attack routes. Each takes a target table (a cross-tab of employment with withheld cells)
and returns interval estimates of the weight (and, where it can, the mean) of withheld cells.

Every bound is derived only from what the API publishes: values rounded to 10 (so the truth is
within +-5), flags (low_reliability means 1,000 <= w < 10,000, reliable means w >= 10,000),
fills, suggestions, and non-negativity.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog

from .client import ApiError, Axis, Cell, Client, Cut, Published, Spec, Table

HALF = 5.0  # employment and pay are rounded to the nearest 10
SUPPRESS_BELOW, RELIABLE_FROM = 1000.0, 10000.0
INF = math.inf


@dataclass(frozen=True)
class Iv:
    lo: float
    hi: float

    def __add__(self, o: Iv) -> Iv:
        return Iv(self.lo + o.lo, self.hi + o.hi)

    def __sub__(self, o: Iv) -> Iv:
        return Iv(self.lo - o.hi, self.hi - o.lo)

    def __and__(self, o: Iv) -> Iv:
        return Iv(max(self.lo, o.lo), min(self.hi, o.hi))

    def times(self, o: Iv) -> Iv:  # both non-negative
        return Iv(self.lo * o.lo, self.hi * o.hi)

    def over(self, o: Iv) -> Iv:  # both non-negative
        if o.lo <= 0:
            return Iv(0.0, INF)
        return Iv(max(self.lo, 0.0) / o.hi, self.hi / o.lo)

    def finite(self) -> bool:
        return math.isfinite(self.lo) and math.isfinite(self.hi) and self.lo <= self.hi


NONNEG = Iv(0.0, INF)


@dataclass
class Estimate:
    route: str
    cell: Cell
    weight: Iv
    mean: Iv | None = None
    note: str = ""


def weight_iv(p: Published) -> Iv | None:
    """What a published employment cell says about its weight."""
    if p.value is None or p.flag == "suppressed":
        return None
    iv = Iv(p.value - HALF, p.value + HALF) & NONNEG
    if p.flag == "low_reliability":
        iv = iv & Iv(SUPPRESS_BELOW, RELIABLE_FROM)
    elif p.flag == "reliable":
        iv = iv & Iv(RELIABLE_FROM, INF)
    return iv


def value_iv(p: Published) -> Iv | None:
    if p.value is None or p.flag == "suppressed":
        return None
    return Iv(p.value - HALF, p.value + HALF)


def withheld(t: Table) -> list[Published]:
    return [p for p in t.everything() if p.flag == "suppressed"]


def fetch(client: Client, spec: Spec, fallback: bool = False) -> Table | None:
    try:
        return client.crosstab(spec, fallback=fallback)
    except ApiError:
        return None


def mean_spec(spec: Spec) -> Spec | None:
    measure = {"ashe_pay": "mean_pay", "ashe_hours": "mean_hours"}.get(spec.cube)
    return spec.with_measure(measure) if measure else None


def paybill(w: Published, m: Published | None) -> Iv | None:
    wi, mi = weight_iv(w), (value_iv(m) if m is not None else None)
    if wi is None or mi is None:
        return None
    return wi.times(mi & NONNEG)


def differencing(
    route: str, client: Client, target: Table, plus: Spec, minus: Spec, note: str
) -> list[Estimate]:
    """Target cell = cell of `plus` - cell of `minus`, position by position (same axes)."""
    a, b = fetch(client, plus), fetch(client, minus)
    if a is None or b is None:
        return []
    ms_a = mean_spec(plus)
    ms_b = mean_spec(minus)
    am = fetch(client, ms_a) if ms_a else None
    bm = fetch(client, ms_b) if ms_b else None
    out = []
    for idx, p in enumerate(target.everything()):
        if p.flag != "suppressed":
            continue
        pa, pb = a.everything()[idx], b.everything()[idx]
        wa, wb = weight_iv(pa), weight_iv(pb)
        if wa is None or wb is None:
            continue
        w = (wa - wb) & NONNEG
        mean = None
        if am is not None and bm is not None:
            pba = paybill(pa, am.everything()[idx])
            pbb = paybill(pb, bm.everything()[idx])
            if pba is not None and pbb is not None:
                mean = ((pba - pbb) & NONNEG).over(w)
        out.append(Estimate(route, p.cell, w, mean, note))
    return out


def point_cuts(spec: Spec) -> list[Cut]:
    return [c for c in spec.cuts if c.dim != "year" and not c.invert and len(c.keys) == 1]


# (a) inverted cut: the same table without the cut, minus the table with the cut inverted
def route_inverted(client: Client, target: Table) -> list[Estimate]:
    out: list[Estimate] = []
    spec = target.spec
    for cut in point_cuts(spec):
        others = tuple(c for c in spec.cuts if c is not cut)
        inverted = Cut(cut.dim, cut.level, cut.keys, True, cut.hierarchy)
        out += differencing(
            "a inverted cut", client, target, spec.with_cuts(others),
            spec.with_cuts((*others, inverted)), f"without - !{cut.dim}",
        )  # fmt: skip
    return out


# (b) a set cut of the withheld member with a sibling, minus the sibling
def route_set(
    client: Client, target: Table, rng_pick: Callable[[list[int]], list[int]]
) -> list[Estimate]:
    out: list[Estimate] = []
    spec = target.spec
    h = client.hierarchies(spec.cube)
    for cut in point_cuts(spec):
        others = tuple(c for c in spec.cuts if c is not cut)
        siblings = [k for k in h.members(cut.dim, cut.level, cut.hierarchy) if k != cut.keys[0]]
        for sib in rng_pick(siblings):
            both = Cut(cut.dim, cut.level, (cut.keys[0], sib), False, cut.hierarchy)
            alone = Cut(cut.dim, cut.level, (sib,), False, cut.hierarchy)
            out += differencing(
                "b set minus sibling", client, target, spec.with_cuts((*others, both)),
                spec.with_cuts((*others, alone)), f"{cut.dim}:{cut.keys[0]};{sib} - {sib}",
            )  # fmt: skip
    return out


def coarser(client: Client, spec: Spec, axis: Axis) -> Axis | None:
    levels = client.hierarchies(spec.cube).levels[axis.dim][axis.hierarchy]
    i = levels.index(axis.level)
    return Axis(axis.dim, levels[i - 1], axis.hierarchy) if i > 0 else None


def cell_cuts(client: Client, target: Table, p: Published) -> list[Cut] | None:
    """The cuts that spell exactly one cell of the target table."""
    spec = target.spec
    cuts = list(spec.cuts)
    if p.row is not None:
        cuts.append(
            Cut(
                spec.rows.dim,
                spec.rows.level,
                (target.row_keys[p.row],),
                False,
                spec.rows.hierarchy,
            )
        )
    if p.col is not None and spec.columns is not None:
        col = spec.columns
        cuts.append(Cut(col.dim, col.level, (target.col_keys[p.col],), False, col.hierarchy))
    dims = [c.dim for c in cuts]
    return cuts if len(dims) == len(set(dims)) else None


def probe(client: Client, target: Table, p: Published) -> tuple[Iv | None, Iv | None, str]:
    """Ask for one cell on its own through /aggregate: (weight, mean, flag)."""
    cuts = cell_cuts(client, target, p)
    if cuts is None:
        return None, None, "?"
    measures = {"ashe_pay": "employment|mean_pay", "ashe_hours": "employment|mean_hours"}
    try:
        s = client.single(
            p.cell, [c for c in cuts if c.dim != "year"], measures.get(p.cell.cube, "employment")
        )
    except ApiError:
        return None, None, "?"
    flag = str(s.get("flag"))
    emp = s.get("employment")
    if flag == "suppressed" or emp is None:
        return None, None, flag
    w = weight_iv(Published(p.cell, float(emp), flag))
    mean_name = {"ashe_pay": "mean_pay", "ashe_hours": "mean_hours"}.get(p.cell.cube)
    mv = s.get(mean_name) if mean_name else None
    mean = Iv(float(mv) - HALF, float(mv) + HALF) if mv is not None else None
    if p.cell.cube == "ashe_hours" and mv is not None:
        mean = Iv(float(mv) - 0.05, float(mv) + 0.05)
    return w, mean, flag


# (h) the same cell asked on its own (/aggregate summary instead of a cell of a /crosstab)
def route_alone(client: Client, target: Table, cells: set[Cell]) -> list[Estimate]:
    out = []
    for p in withheld(target):
        if p.cell not in cells:
            continue
        w, mean, _ = probe(client, target, p)
        if w is not None:
            out.append(Estimate("h cell asked alone", p.cell, w, mean))
    return out


# (c) parent (from the coarser table) minus its children (published here, or asked alone)
def route_parent(
    client: Client, target: Table, cells: set[Cell], max_probes: int = 6
) -> list[Estimate]:
    spec = target.spec
    up = coarser(client, spec, spec.rows)
    if up is None:
        return []
    parent_table = fetch(
        client, Spec(spec.cube, up, spec.columns, spec.cuts, spec.measure, spec.params)
    )
    if parent_table is None:
        return []
    h = client.hierarchies(spec.cube)
    out = []
    ncol = len(target.col_keys)
    for p in withheld(target):
        if p.cell not in cells or p.row is None or p.col is None:
            continue
        parent = h.parent(
            spec.rows.dim, spec.rows.level, target.row_keys[p.row], spec.rows.hierarchy
        )
        if parent is None or parent not in parent_table.row_keys:
            continue
        total = weight_iv(parent_table.at(parent_table.row_keys.index(parent), p.col))
        if total is None:
            continue
        rest = Iv(0.0, 0.0)
        probes = 0
        for i, rk in enumerate(target.row_keys):
            if (
                i == p.row
                or h.parent(spec.rows.dim, spec.rows.level, rk, spec.rows.hierarchy) != parent
            ):
                continue
            sib = target.cells[i * ncol + p.col]
            iv = weight_iv(sib)
            if iv is None and probes < max_probes:
                probes += 1
                iv, _, flag = probe(client, target, sib)
                if iv is None and flag == "suppressed":
                    iv = Iv(0.0, SUPPRESS_BELOW)  # withheld on its own: a primary cell
            rest = rest + (iv if iv is not None else NONNEG)
        out.append(Estimate("c parent minus children", p.cell, (total - rest) & NONNEG))
    return out


# (d) Working Futures: employment in another year plus the change to the withheld year
def route_years(client: Client, target: Table, years: list[int]) -> list[Estimate]:
    spec = target.spec
    if spec.cube != "working_futures":
        return []
    year = client.year_of(spec)
    if year is None:
        return []
    others = tuple(c for c in spec.cuts if c.dim != "year")
    out: list[Estimate] = []
    earlier = [y for y in years if y < year][-2:]
    for y0 in reversed(earlier):
        base = fetch(client, spec.with_cuts((*others, Cut("year", "year", (y0,)))))
        for measure in ("employment_change", "expansion_demand"):
            change = fetch(
                client,
                Spec(
                    spec.cube,
                    spec.rows,
                    spec.columns,
                    others,
                    measure,
                    (("from", y0), ("to", year)),
                ),
            )
            if base is None or change is None:
                continue
            for idx, p in enumerate(target.everything()):
                if p.flag != "suppressed":
                    continue
                e0 = weight_iv(base.everything()[idx])
                d = value_iv(change.everything()[idx])
                if e0 is not None and d is not None:
                    out.append(
                        Estimate(
                            "d WF year arithmetic",
                            p.cell,
                            (e0 + d) & NONNEG,
                            note=f"{y0}+{measure}",
                        )
                    )
    later = [y for y in years if y > year][:1]
    for y1 in later:  # employment(y1) - change(year -> y1), if the change is published at all
        top = fetch(client, spec.with_cuts((*others, Cut("year", "year", (y1,)))))
        change = fetch(
            client,
            Spec(
                spec.cube,
                spec.rows,
                spec.columns,
                others,
                "employment_change",
                (("from", year), ("to", y1)),
            ),
        )
        if top is None or change is None:
            continue
        for idx, p in enumerate(target.everything()):
            if p.flag != "suppressed":
                continue
            e1, d = weight_iv(top.everything()[idx]), value_iv(change.everything()[idx])
            if e1 is not None and d is not None:
                out.append(
                    Estimate("d WF year arithmetic", p.cell, (e1 - d) & NONNEG, note=f"{y1}-change")
                )
    return out


# (g) and (e): linear programming over one response (plus, for (e), its fallback fills)
def lp_bounds(
    table: Table, extra: Iterable[tuple[list[int], Iv]] = (), wanted: set[Cell] | None = None
) -> dict[Cell, Iv]:
    """Min and max of every withheld cell's weight given the table's published content.

    Variables are the interior cells; published cells are bounded by rounding and flag,
    withheld ones by non-negativity; every published margin is a constraint, and `extra`
    adds (interior indices, interval) sums such as fallback fills.
    """
    n = len(table.cells)
    lo = np.zeros(n)
    hi = np.full(n, np.inf)
    for i, p in enumerate(table.cells):
        iv = weight_iv(p)
        if iv is not None:
            lo[i], hi[i] = iv.lo, iv.hi
    rows: list[tuple[list[int], Iv]] = []
    ncol = len(table.col_keys)
    nrow = len(table.row_keys)
    has_cols = table.spec.columns is not None
    lines: list[tuple[Published | None, list[int]]] = []
    if has_cols:
        for r in range(nrow):
            lines.append((table.row_totals[r], [r * ncol + c for c in range(ncol)]))
        for c in range(ncol):
            lines.append((table.col_totals[c], [r * ncol + c for r in range(nrow)]))
    lines.append((table.grand, list(range(n))))
    for total, idx in lines:
        iv = weight_iv(total) if total is not None else None
        if iv is not None:
            rows.append((idx, iv))
    rows += list(extra)
    a_ub, b_ub = [], []
    for idx, iv in rows:
        vec = np.zeros(n)
        vec[idx] = 1.0
        if math.isfinite(iv.hi):
            a_ub.append(vec)
            b_ub.append(iv.hi)
        a_ub.append(-vec)
        b_ub.append(-iv.lo)
    bounds = list(zip(lo, [None if not math.isfinite(x) else x for x in hi], strict=True))
    targets: list[tuple[Cell, list[int]]] = []
    for i, p in enumerate(table.cells):
        if p.flag == "suppressed":
            targets.append((p.cell, [i]))
    for total, idx in lines:
        if total is not None and total.flag == "suppressed":
            targets.append((total.cell, idx))
    out: dict[Cell, Iv] = {}
    a = np.array(a_ub) if a_ub else None
    b = np.array(b_ub) if b_ub else None
    for cell, idx in targets:
        if wanted is not None and cell not in wanted:
            continue
        obj = np.zeros(n)
        obj[idx] = 1.0
        res_min = linprog(obj, A_ub=a, b_ub=b, bounds=bounds, method="highs")
        res_max = linprog(-obj, A_ub=a, b_ub=b, bounds=bounds, method="highs")
        if res_min.status != 0:
            continue
        upper = -float(res_max.fun) if res_max.status == 0 else INF
        out[cell] = Iv(float(res_min.fun), upper)
    return out


def route_lp(client: Client, target: Table, cells: set[Cell]) -> list[Estimate]:
    return [Estimate("g LP one response", c, iv) for c, iv in lp_bounds(target, (), cells).items()]


def route_fallback(client: Client, target: Table, cells: set[Cell]) -> list[Estimate]:
    """Fills from `fallback=true`: a fill from a parent covering the same facts is the cell
    itself; any other fill is the sum of the parent's children on the line (an LP row)."""
    t = fetch(client, target.spec, fallback=True)
    if t is None:
        return []
    h = client.hierarchies(target.spec.cube)
    spec = target.spec
    out: list[Estimate] = []
    extra: list[tuple[list[int], Iv]] = []
    ncol = len(t.col_keys)
    for i, (orig, filled) in enumerate(zip(target.cells, t.cells, strict=True)):
        if orig.flag != "suppressed" or not filled.filled_from or filled.value is None:
            continue
        src = filled.filled_from
        dim, level, key = src["dimension"], src["level"], int(src["key"])
        axis = spec.rows if spec.rows.dim == dim else spec.columns
        if axis is None or axis.dim != dim:
            continue
        try:
            parent_leaves = h.member_leaves(dim, level, key, axis.hierarchy)
        except KeyError:
            continue
        # the parent's value as a weight interval; its flag is the parent's
        iv = weight_iv(Published(orig.cell, filled.value, filled.flag))
        if iv is None:
            continue
        same_dim = h.universe[dim]
        for cut in spec.cuts:
            if cut.dim == dim:
                same_dim = same_dim & h.cut_leaves(cut)
        own = orig.cell.restriction(dim) or h.universe[dim]
        if parent_leaves & same_dim == own:
            out.append(Estimate("e fallback fill", orig.cell, iv, note="parent = cell"))
        r, c = divmod(i, ncol)
        if axis is spec.rows:
            members = [
                rr * ncol + c for rr, rk in enumerate(t.row_keys)
                if h.member_leaves(dim, axis.level, rk, axis.hierarchy) <= parent_leaves
            ]  # fmt: skip
        else:
            members = [
                r * ncol + cc for cc, ck in enumerate(t.col_keys)
                if h.member_leaves(dim, axis.level, ck, axis.hierarchy) <= parent_leaves
            ]  # fmt: skip
        extra.append((members, iv))
    if extra:
        for cell, bound in lp_bounds(target, extra, cells).items():
            out.append(Estimate("e fallback fill", cell, bound, note="LP with fills"))
    return out


# (f) rounding narrowing: the published mean is rounded to 10, but so is every pay-at-age
#     value R(a) * m, computed from the unrounded mean. Cells sharing an age-ratio group share
#     R(a), so interval propagation over ages and cells pins each mean to within a few pounds;
#     then paybills of the inverted-cut pair are differenced as in (a).
AGES = tuple(range(20, 66, 3))


def age_group(client: Client, cell: Cell) -> tuple[int, int, int, int]:
    """The age-ratio group of pay at an age (total codes where the cell is not fixed)."""
    h = client.hierarchies(cell.cube)
    occ = cell.restriction("occupation")
    soc1 = {k // 1000 for k in occ} if occ else set()
    qual = cell.restriction("qualification")
    q3 = (
        {h.paths[("qualification", "broad", "qualification", k)][0] for k in qual}
        if qual
        else set()
    )
    gender, status = cell.restriction("gender"), cell.restriction("status")
    return (
        next(iter(soc1)) if len(soc1) == 1 else 10,
        next(iter(gender)) if gender and len(gender) == 1 else 0,
        next(iter(status)) if status and len(status) == 1 else 0,
        next(iter(q3)) if len(q3) == 1 else 4,
    )


def narrowed_means(client: Client, specs: list[Spec]) -> dict[Cell, Iv] | None:
    means: dict[Cell, Iv] = {}
    at_age: dict[Cell, dict[int, float]] = {}
    for spec in specs:
        t = fetch(client, spec.with_measure("mean_pay"))
        if t is None:
            return None
        for p in t.everything():
            iv = value_iv(p)
            if iv is not None:
                means[p.cell] = iv & NONNEG
        for age in AGES:
            ta = fetch(client, spec.with_measure("mean_pay_at_age", (("age", age),)))
            if ta is None:
                return None
            for p in ta.everything():
                if p.value is not None and p.flag != "suppressed" and p.cell in means:
                    at_age.setdefault(p.cell, {})[age] = p.value
    groups: dict[tuple[int, int, int, int], list[Cell]] = {}
    for cell in means:
        groups.setdefault(age_group(client, cell), []).append(cell)
    for _ in range(6):
        for cells in groups.values():
            ratio: dict[int, Iv] = {}
            for cell in cells:
                m = means[cell]
                for age, v in at_age.get(cell, {}).items():
                    if m.lo > 0:
                        r = Iv(max(v - HALF, 0.0) / m.hi, (v + HALF) / m.lo)
                        ratio[age] = ratio[age] & r if age in ratio else r
            for cell in cells:
                for age, v in at_age.get(cell, {}).items():
                    r = ratio[age]
                    if r.lo > 0 and r.lo <= r.hi:
                        means[cell] = means[cell] & Iv(max(v - HALF, 0.0) / r.hi, (v + HALF) / r.lo)
    return means


def route_narrowing(client: Client, target: Table) -> list[Estimate]:
    spec = target.spec
    if spec.cube != "ashe_pay":
        return []
    out: list[Estimate] = []
    for cut in point_cuts(spec)[:1]:
        others = tuple(c for c in spec.cuts if c is not cut)
        plus = spec.with_cuts(others)
        minus = spec.with_cuts((*others, Cut(cut.dim, cut.level, cut.keys, True, cut.hierarchy)))
        a, b = fetch(client, plus), fetch(client, minus)
        means = narrowed_means(client, [plus, minus])
        if a is None or b is None or means is None:
            continue
        for idx, p in enumerate(target.everything()):
            if p.flag != "suppressed":
                continue
            pa, pb = a.everything()[idx], b.everything()[idx]
            wa, wb = weight_iv(pa), weight_iv(pb)
            if wa is None or wb is None or pa.cell not in means or pb.cell not in means:
                continue
            w = (wa - wb) & NONNEG
            pay = (wa.times(means[pa.cell]) - wb.times(means[pb.cell])) & NONNEG
            out.append(Estimate("f rounding narrowing", p.cell, w, pay.over(w)))
    return out
