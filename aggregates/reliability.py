"""Reliability flags, suppression that cannot be undone from one response, and rounding.

A result is an n-dimensional grid whose last position on every additive axis is that axis'
total. Primary suppression withholds every cell whose weight is under the threshold. Because
totals are published, every line of the grid is an equation, and a withheld cell could be
narrowed down (not only recovered exactly) by solving them together. Secondary suppression
therefore uses the hypercube method (as in tau-ARGUS): for each primary cell of weight w it
withholds the corners of a box (a rectangle in 2-D, a pair in 1-D) through that cell whose
other corners each weigh at least w / 2. Shifting w / 2 around the box keeps every published
cell and margin unchanged and every weight non-negative, so anyone who sees the response can
only place the cell's weight somewhere in an interval covering [w / 2, 3w / 2]. Among boxes
that work, the one withholding the least new weight is chosen; already-withheld corners are
free. The pattern depends only on weights, so every measure of a cube shows the same cells
withheld.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import numpy as np

from aggregates.model import Reliability

SUPPRESSED, LOW, RELIABLE, NOT_APPLICABLE = (
    "suppressed",
    "low_reliability",
    "reliable",
    "not_applicable",
)
PROTECTION = 0.5  # a withheld weight w must stay anywhere in [w (1 - p), w (1 + p)]


def primary(weights: np.ndarray, policy: Reliability) -> np.ndarray:
    return ~(weights >= policy.suppress_below)  # NaN weights (no data) are withheld too


def suppress(
    weights: np.ndarray,
    policy: Reliability,
    additive_axes: tuple[bool, ...],
    parents: Sequence[np.ndarray | None] = (),
    moved: np.ndarray | None = None,
) -> np.ndarray:
    """Mask of withheld cells: primary, plus a protecting hypercube for each primary cell.

    `parents[i]`, where given, holds each position's parent on axis i (the total last, with
    a parent of its own): partners under the cell's own parent are preferred. A box with a
    partner under another parent changes the parents of its corners on that axis; `moved`
    (shape `(ndim, *weights.shape)`), where given, records them: `moved[i][cell]` means the
    cell's parent on axis i must not be published beside this table (as a fill), or the
    box would no longer hide the cell.
    """
    mask = primary(weights, policy)
    w = np.nan_to_num(np.asarray(weights, dtype=float), nan=0.0)
    axes = [i for i, additive in enumerate(additive_axes) if additive and w.shape[i] >= 2]
    if not axes or not mask.any():
        return mask
    # the largest primary cells first: their boxes are the hardest to find, and smaller
    # cells can then often reuse corners that are already withheld
    cells = np.argwhere(mask & (w > 0))
    order = np.argsort(-w[tuple(cells.T)], kind="stable")
    family = [_family(parents, i, w.shape[i]) for i in range(w.ndim)]
    if w.ndim == 2 and len(axes) == 2:
        _protect_all_2d(w, mask, cells[order], family[0], family[1], moved)
        return mask
    subsets = [s for n in range(1, len(axes) + 1) for s in itertools.combinations(axes, n)]
    for cell in cells[order]:
        _protect(w, mask, tuple(int(c) for c in cell), axes, subsets, family, moved)
    return mask


def _family(parents: Sequence[np.ndarray | None], axis: int, size: int) -> np.ndarray:
    """Each position's parent on an axis; the total (last) is nobody's sibling."""
    given = parents[axis] if axis < len(parents) else None
    out = np.zeros(size, dtype=np.int64) if given is None else np.asarray(given, np.int64)
    out = out.copy()
    out[-1] = out[:-1].max(initial=0) + 1
    return out


def _protect_all_2d(
    w: np.ndarray,
    mask: np.ndarray,
    cells: np.ndarray,
    row_family: np.ndarray,
    col_family: np.ndarray,
    moved: np.ndarray | None,
) -> None:
    """`_protect` for each cell in turn, specialised to a 2-D grid with both axes additive
    (every cross-tab): the same boxes, scores and tie-breaks in fewer array passes.

    Most cells of a large table find a box whose other three corners are withheld already.
    Such a box costs nothing, the least possible (a corner not withheld costs its weight,
    which is >= need > 0), so the first feasible one in row-major order is the one
    `_protect`'s argmin picks, and it is found among the few withheld rows and columns
    through the cell. Otherwise only partner rows whose corner in the cell's column is
    heavy enough are scored (the others are infeasible anyway), with the three corner costs
    added in `_protect`'s order so that equal costs stay equal; row-major order is kept, so
    argmin picks the same box. Sibling boxes are searched first, then any box; when no box
    is feasible the whole grid is searched exactly as `_protect` does.
    `tests/test_reliability.py` compares both on random grids.
    """
    open_w = np.where(mask, 0.0, w)  # a corner's cost: free once withheld
    shut_w = np.where(mask, w, -1.0)  # a withheld corner's weight (-1: not withheld)
    n_cols = w.shape[1]
    # Two answers that hold for the whole loop, found for all cells at once: a cell with a
    # free sibling box now keeps it (cells are only ever added) and adds nothing, so it
    # can be passed over; whether any sibling box is feasible depends on weights alone.
    needs = PROTECTION * w[tuple(cells.T)]
    siblings_of = (_siblings(row_family), _siblings(col_family))
    free_now = _best_sibling_box(shut_w, cells, siblings_of) >= needs
    sibling_box = _best_sibling_box(w, cells, siblings_of) >= needs
    for k, (r, c) in enumerate(cells.tolist()):
        if free_now[k]:
            continue
        need = PROTECTION * w[r, c]
        shut_w[r, c] = -1.0  # the cell is no partner of itself; set again below
        best = None
        if sibling_box[k]:
            siblings = (row_family == row_family[r], col_family == col_family[c])
            best = _box_2d(w, open_w, shut_w, r, c, need, siblings)
        if best is None:
            best = _box_2d(w, open_w, shut_w, r, c, need, None)
        if best is None:  # no box gives full protection: the one that protects most
            worst = np.minimum(np.minimum(w[:, c][:, None], w[r][None, :]), w)
            worst[r, :] = -np.inf
            worst[:, c] = -np.inf
            flat = int(np.argmax(worst))
            best = (flat // n_cols, flat % n_cols)
        q0, q1 = best
        corners = ((r, c), (r, q1), (q0, c), (q0, q1))
        for corner in corners:
            mask[corner] = True
            open_w[corner] = 0.0
            shut_w[corner] = w[corner]
        if moved is not None:
            for axis, apart in enumerate(
                (row_family[q0] != row_family[r], col_family[q1] != col_family[c])
            ):
                if apart:
                    for corner in corners:
                        moved[(axis, *corner)] = True


def _siblings(family: np.ndarray) -> np.ndarray:
    """Each position's siblings (itself included) as a row of positions, padded with
    `len(family)`, which indexes the padding row and column of `_best_sibling_box`."""
    n = family.size
    order = np.argsort(family, kind="stable")
    ranked = family[order]
    start = np.searchsorted(ranked, ranked, "left")
    size = np.searchsorted(ranked, ranked, "right") - start
    offset = np.arange(size.max())
    inside = offset[None, :] < size[:, None]
    table = np.where(inside, order[np.minimum(start[:, None] + offset, n - 1)], n)
    out = np.empty_like(table)
    out[order] = table
    return out


def _best_sibling_box(
    w: np.ndarray, cells: np.ndarray, siblings_of: tuple[np.ndarray, np.ndarray]
) -> np.ndarray:
    """For each cell, the largest least corner weight over its sibling boxes (-inf: none).

    A box is feasible for a cell needing `need` exactly when its lightest other corner
    weighs >= need, so comparing this with the needs answers feasibility for every cell in
    a few array passes (batched to bound memory on large tables)."""
    padded = np.full((w.shape[0] + 1, w.shape[1] + 1), -np.inf)
    padded[:-1, :-1] = w
    out = np.empty(len(cells))
    row_sib, col_sib = siblings_of
    batch = max(1, 2_000_000 // max(1, row_sib.shape[1] * col_sib.shape[1]))
    for start in range(0, len(cells), batch):
        r, c = cells[start : start + batch].T
        rows = np.where(row_sib[r] == r[:, None], w.shape[0], row_sib[r])  # not itself
        cols = np.where(col_sib[c] == c[:, None], w.shape[1], col_sib[c])
        corner = padded[rows[:, :, None], cols[:, None, :]]
        np.minimum(corner, padded[rows, c[:, None]][:, :, None], out=corner)
        np.minimum(corner, padded[r[:, None], cols][:, None, :], out=corner)
        out[start : start + batch] = corner.max(axis=(1, 2), initial=-np.inf)
    return out


def _box_2d(
    w: np.ndarray,
    open_w: np.ndarray,
    shut_w: np.ndarray,
    r: int,
    c: int,
    need: float,
    allowed: tuple[np.ndarray, np.ndarray] | None,
) -> tuple[int, int] | None:
    """The cheapest feasible partner (row, column) for cell (r, c), among `allowed` ones."""
    free_rows = shut_w[:, c] >= need
    if allowed is not None:
        free_rows &= allowed[0]
    free_rows = free_rows.nonzero()[0]
    if free_rows.size:
        free_cols = shut_w[r] >= need
        if allowed is not None:
            free_cols &= allowed[1]
        free_cols = free_cols.nonzero()[0]
        if free_cols.size:
            free = shut_w[free_rows[:, None], free_cols] >= need
            flat = int(free.argmax())
            if free.flat[flat]:
                return (
                    int(free_rows[flat // free_cols.size]),
                    int(free_cols[flat % free_cols.size]),
                )
    rows_ok = w[:, c] >= need
    cols_ok = w[r] >= need
    if allowed is not None:
        rows_ok &= allowed[0]
        cols_ok &= allowed[1]
    rows_ok[r] = False
    cols_ok[c] = False
    candidates = np.nonzero(rows_ok)[0]
    if not candidates.size or not cols_ok.any():
        return None
    cost = open_w[candidates, c][:, None] + open_w[r][None, :]
    cost += open_w[candidates]
    feasible = w[candidates] >= need
    feasible &= cols_ok[None, :]
    if not feasible.any():
        return None
    cost[~feasible] = np.inf
    flat = int(np.argmin(cost))
    return int(candidates[flat // w.shape[1]]), flat % w.shape[1]


def _protect(
    w: np.ndarray,
    mask: np.ndarray,
    cell: tuple[int, ...],
    axes: list[int],
    subsets: list[tuple[int, ...]],
    family: list[np.ndarray],
    moved: np.ndarray | None,
) -> None:
    """Withhold the cheapest box through `cell` whose other corners weigh >= w * p each.

    A box takes a partner position q_i != cell_i on every additive axis; its corners are
    the cells taking either the cell's or the partner's position on each of those axes.
    Candidates are scored over the whole grid of partner positions at once; boxes whose
    partners are the cell's siblings (same parent on every axis) win over any other.
    """
    need = PROTECTION * w[cell]
    shape = tuple(w.shape[i] for i in axes)
    feasible = np.ones(shape, dtype=bool)
    cost = np.zeros(shape)
    worst = np.full(shape, np.inf)
    for subset in subsets:  # the corner that takes the partner position on these axes
        index = [slice(None) if i in subset else cell[i] for i in range(w.ndim)]
        corner_w, corner_m = w[tuple(index)], mask[tuple(index)]
        view = [w.shape[i] if i in subset else 1 for i in axes]
        corner_w = corner_w.reshape(view)
        corner_m = corner_m.reshape(view)
        feasible &= corner_w >= need
        cost = cost + np.where(corner_m, 0.0, corner_w)
        worst = np.minimum(worst, corner_w)
    siblings = np.ones(shape, dtype=bool)
    for position, i in enumerate(axes):  # the partner must differ from the cell on each axis
        own: list[Any] = [slice(None)] * len(axes)
        own[position] = cell[i]
        feasible[tuple(own)] = False
        worst[tuple(own)] = -np.inf
        view = [1] * len(axes)
        view[position] = w.shape[i]
        siblings = siblings & (family[i] == family[i][cell[i]]).reshape(view)
    if (feasible & siblings).any():
        best = np.unravel_index(np.argmin(np.where(feasible & siblings, cost, np.inf)), shape)
    elif feasible.any():
        best = np.unravel_index(np.argmin(np.where(feasible, cost, np.inf)), shape)
    else:  # no box gives full protection: take the one that protects most (audited in tests)
        best = np.unravel_index(np.argmax(worst), shape)
    partner = dict(zip(axes, (int(b) for b in best), strict=True))
    for choice in itertools.product((False, True), repeat=len(axes)):
        corner = list(cell)
        for take, i in zip(choice, axes, strict=True):
            if take:
                corner[i] = partner[i]
        mask[tuple(corner)] = True
        for i in axes:
            if moved is not None and family[i][partner[i]] != family[i][cell[i]]:
                moved[(i, *corner)] = True


def flags(weights: np.ndarray, mask: np.ndarray, policy: Reliability) -> np.ndarray:
    out = np.where(weights >= policy.reliable_from, RELIABLE, LOW).astype(object)
    out[mask] = SUPPRESSED
    return out


def round_to(values: np.ndarray, step: float) -> np.ndarray:
    """Round half away from zero to a multiple of step (10 for GBP 10, 0.1 for hours)."""
    scaled = np.abs(values) / step
    rounded = np.sign(values) * np.floor(scaled + 0.5 + 1e-9) * step
    decimals = max(0, int(-np.floor(np.log10(step)))) if step < 1 else 0
    return np.array(np.round(rounded, decimals) + 0.0, dtype=float)  # + 0.0: no -0.0
