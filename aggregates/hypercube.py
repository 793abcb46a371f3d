"""The hypercube method of secondary suppression: a protecting box for each primary cell.

A box takes a partner position q_i != cell_i on every additive axis; its corners are the
cells taking either the cell's or the partner's position on each of those axes. It protects
a cell of weight w when every other corner weighs >= w * PROTECTION: shifting that much
around the box keeps every published cell and margin unchanged.

Cells are protected in three passes, the largest first within each (their boxes are the
hardest to find, and smaller cells can then often reuse withheld corners):

1. cells with a sibling box (partners under the cell's own parent on every axis) take the
   cheapest one; such a box leaves every coarser cell unchanged;
2. the others take a box whose corners are all withheld already, if one exists (it costs
   nothing but, its partners being under other parents, it moves those parents);
3. the rest take the cheapest box, or, if none is feasible, the one that protects most.

Cost is the weight newly withheld; ties go to the first box in row-major order of partner
positions. `_protect` is the general n-dimensional method; `protect_2d` gives the same
boxes for two-way tables (every cross-tab) with far fewer array operations, and
`tests/test_reliability.py` compares them on random grids.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

PROTECTION = 0.5  # a withheld weight w must stay anywhere in [w (1 - p), w (1 + p)]

Mode = Literal["sibling", "free", "any"]


def family(parents: Sequence[np.ndarray | None], axis: int, size: int) -> np.ndarray:
    """Each position's parent on an axis; the total (last) is nobody's sibling."""
    given = parents[axis] if axis < len(parents) else None
    out = np.zeros(size, dtype=np.int64) if given is None else np.asarray(given, np.int64)
    out = out.copy()
    out[-1] = out[:-1].max(initial=0) + 1
    return out


def protect_all(
    weights: np.ndarray,
    mask: np.ndarray,
    additive_axes: tuple[bool, ...],
    parents: Sequence[np.ndarray | None] = (),
    moved: np.ndarray | None = None,
    two_way_path: bool = True,
) -> None:
    """Add to `mask` (primary cells) a box for each of its cells with weight; two-way
    tables take `protect_2d` unless `two_way_path` is off (the tests compare the two)."""
    w = np.nan_to_num(np.asarray(weights, dtype=float), nan=0.0)
    axes = [i for i, additive in enumerate(additive_axes) if additive and w.shape[i] >= 2]
    if not axes or not mask.any():
        return
    # the largest primary cells first: their boxes are the hardest to find, and smaller
    # cells can then often reuse corners that are already withheld
    cells = np.argwhere(mask & (w > 0))
    order = np.argsort(-w[tuple(cells.T)], kind="stable")
    families = [family(parents, i, w.shape[i]) for i in range(w.ndim)]
    if two_way_path and w.ndim == 2 and len(axes) == 2:
        protect_2d(w, mask, cells[order], families[0], families[1], moved)
    else:
        protect(w, mask, cells[order], axes, families, moved)


def protect(
    w: np.ndarray,
    mask: np.ndarray,
    cells: np.ndarray,
    axes: list[int],
    families: list[np.ndarray],
    moved: np.ndarray | None,
) -> None:
    """The three passes with the general method, one cell at a time."""
    subsets = [s for n in range(1, len(axes) + 1) for s in itertools.combinations(axes, n)]
    rest = []
    for cell in cells:
        position = tuple(int(c) for c in cell)
        if not _protect(w, mask, position, axes, subsets, families, moved, "sibling"):
            rest.append(position)
    # a free box adds no withheld cell, so pass 2 sees the mask as pass 1 left it
    rest = [c for c in rest if not _protect(w, mask, c, axes, subsets, families, moved, "free")]
    for position in rest:
        _protect(w, mask, position, axes, subsets, families, moved, "any")


def _protect(
    w: np.ndarray,
    mask: np.ndarray,
    cell: tuple[int, ...],
    axes: list[int],
    subsets: list[tuple[int, ...]],
    families: list[np.ndarray],
    moved: np.ndarray | None,
    mode: Mode,
) -> bool:
    """Withhold the cheapest box of the kind `mode` allows through `cell`; False if there
    is none (for "any" there always is: the one that protects most).

    Candidates are scored over the whole grid of partner positions at once.
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
        siblings = siblings & (families[i] == families[i][cell[i]]).reshape(view)
    if mode == "sibling":
        feasible &= siblings
    elif mode == "free":
        feasible &= cost == 0.0
    if feasible.any():
        best = np.unravel_index(np.argmin(np.where(feasible, cost, np.inf)), shape)
    elif mode == "any":  # no box gives full protection: the one that protects most
        best = np.unravel_index(np.argmax(worst), shape)
    else:
        return False
    partner = dict(zip(axes, (int(b) for b in best), strict=True))
    for choice in itertools.product((False, True), repeat=len(axes)):
        corner = list(cell)
        for take, i in zip(choice, axes, strict=True):
            if take:
                corner[i] = partner[i]
        mask[tuple(corner)] = True
        for i in axes:
            if moved is not None and families[i][partner[i]] != families[i][cell[i]]:
                moved[(i, *corner)] = True
    return True


@dataclass
class _Lists:
    """The grid's weights, corner costs and withheld weights as nested lists: sibling
    families are a few rows and columns, which plain lists search faster than arrays."""

    w: list[list[float]]
    open: list[list[float]]
    shut: list[list[float]]


def protect_2d(
    w: np.ndarray,
    mask: np.ndarray,
    cells: np.ndarray,
    row_family: np.ndarray,
    col_family: np.ndarray,
    moved: np.ndarray | None,
) -> None:
    """`protect` for a 2-D grid with both axes additive: the same boxes.

    Pass 1 skips cells whose free sibling box exists before it starts (cells are only
    added, so it stays free, and taking it adds nothing); whether a cell has any feasible
    sibling box depends on weights alone. Both are found for all cells in a few array
    passes. Pass 2 is found for all its cells at once, since it adds no withheld cell.
    """
    open_w = np.where(mask, 0.0, w)  # a corner's cost: free once withheld
    shut_w = np.where(mask, w, -1.0)  # a withheld corner's weight (-1: not withheld)
    needs = PROTECTION * w[tuple(cells.T)]
    siblings_of = (_siblings(row_family), _siblings(col_family))
    has_sibling_box = _best_sibling_box(w, cells, siblings_of) >= needs
    best_now = _best_sibling_box(shut_w, cells[has_sibling_box], siblings_of)
    free_now = np.zeros(len(cells), dtype=bool)
    free_now[has_sibling_box] = best_now >= needs[has_sibling_box]
    lists = _Lists(w.tolist(), open_w.tolist(), shut_w.tolist())
    row_members, col_members = _members(row_family), _members(col_family)

    def take(r: int, c: int, q0: int, q1: int) -> None:
        for corner in ((r, c), (r, q1), (q0, c), (q0, q1)):
            mask[corner] = True
            open_w[corner] = lists.open[corner[0]][corner[1]] = 0.0
            shut_w[corner] = lists.shut[corner[0]][corner[1]] = w[corner]

    for r, c in cells[has_sibling_box & ~free_now].tolist():
        shut_w[r, c] = lists.shut[r][c] = -1.0  # the cell is no partner of itself (set below)
        rows, cols = row_members[row_family[r]], col_members[col_family[c]]
        best = _sibling_box_2d(lists, r, c, PROTECTION * w[r, c], rows, cols)
        assert best is not None  # a feasible sibling box exists: the cheapest is found
        take(r, c, *best)
    rest = cells[~has_sibling_box]
    found, q0s, q1s = _first_free_box(shut_w, rest, needs[~has_sibling_box])
    if moved is not None:
        r_found, c_found = rest[found].T
        _mark_moved(moved, r_found, c_found, q0s, q1s, row_family, col_family)
    n_cols = w.shape[1]
    boxes = []  # pass 3's boxes, whose moved parents are recorded at the end
    for r, c in rest[~found].tolist():
        shut_w[r, c] = lists.shut[r][c] = -1.0
        best = _box_2d(w, open_w, shut_w, r, c, PROTECTION * w[r, c])
        if best is None:  # no box gives full protection: the one that protects most
            worst = np.minimum(np.minimum(w[:, c][:, None], w[r][None, :]), w)
            worst[r, :] = -np.inf
            worst[:, c] = -np.inf
            flat = int(np.argmax(worst))
            best = (flat // n_cols, flat % n_cols)
        take(r, c, *best)
        boxes.append((r, c, *best))
    if moved is not None and boxes:
        r_box, c_box, q0_box, q1_box = np.array(boxes).T
        _mark_moved(moved, r_box, c_box, q0_box, q1_box, row_family, col_family)


def _mark_moved(
    moved: np.ndarray,
    r: Any,
    c: Any,
    q0: Any,
    q1: Any,
    row_family: np.ndarray,
    col_family: np.ndarray,
) -> None:
    """Record, for boxes with partners under other parents, the parents they move (sibling
    boxes, pass 1's, move none)."""
    r, c, q0, q1 = (np.asarray(x, dtype=np.int64) for x in (r, c, q0, q1))
    corners = ((r, c), (r, q1), (q0, c), (q0, q1))
    for axis, apart in enumerate(
        (row_family[q0] != row_family[r], col_family[q1] != col_family[c])
    ):
        for rows, cols in corners:
            moved[axis, rows[apart], cols[apart]] = True


def _members(family: np.ndarray) -> dict[int, list[int]]:
    """Each family's positions, in order."""
    out: dict[int, list[int]] = {}
    for position, parent in enumerate(family.tolist()):
        out.setdefault(parent, []).append(position)
    return out


def _sibling_box_2d(
    lists: _Lists, r: int, c: int, need: float, rows: list[int], cols: list[int]
) -> tuple[int, int] | None:
    """The first free sibling box in row-major order, else the first of least cost."""
    w, open_, shut = lists.w, lists.open, lists.shut
    shut_r = shut[r]
    free_cols = [q1 for q1 in cols if shut_r[q1] >= need]
    if free_cols:
        for q0 in rows:
            shut_q0 = shut[q0]
            if shut_q0[c] >= need:
                for q1 in free_cols:
                    if shut_q0[q1] >= need:
                        return q0, q1
    w_r, open_r = w[r], open_[r]
    cols_ok = [q1 for q1 in cols if q1 != c and w_r[q1] >= need]
    best: tuple[int, int] | None = None
    least = math.inf
    for q0 in rows:
        w_q0 = w[q0]
        if q0 == r or w_q0[c] < need:
            continue
        open_q0 = open_[q0]
        base = open_q0[c]
        for q1 in cols_ok:
            if w_q0[q1] >= need:
                cost = base + open_r[q1] + open_q0[q1]  # in `_protect`'s order: equal stays equal
                if cost < least:
                    least, best = cost, (q0, q1)
    return best


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
    a few array passes. Cells go in groups by family size (rounded up to a power of two), so
    that one large family does not pad every cell's search, and in batches."""
    n_rows, n_cols = w.shape
    padded = np.full((n_rows + 1, n_cols + 1), -np.inf)
    padded[:-1, :-1] = w
    out = np.full(len(cells), -np.inf)
    row_sib, col_sib = siblings_of
    if not len(cells):
        return out
    r_all, c_all = cells.T
    width_r = _power_of_two((row_sib[r_all] < n_rows).sum(axis=1))
    width_c = _power_of_two((col_sib[c_all] < n_cols).sum(axis=1))
    groups = width_r * (2 * n_cols + 2) + width_c
    for group in np.unique(groups).tolist():
        chosen = np.flatnonzero(groups == group)
        wide_r, wide_c = int(width_r[chosen[0]]), int(width_c[chosen[0]])
        batch = max(1, 2_000_000 // (wide_r * wide_c))
        for part in np.array_split(chosen, -(-chosen.size // batch)):
            r, c = r_all[part], c_all[part]
            rows = row_sib[r, :wide_r]
            cols = col_sib[c, :wide_c]
            rows = np.where(rows == r[:, None], n_rows, rows)  # not itself
            cols = np.where(cols == c[:, None], n_cols, cols)
            corner = padded[rows[:, :, None], cols[:, None, :]]
            np.minimum(corner, padded[rows, c[:, None]][:, :, None], out=corner)
            np.minimum(corner, padded[r[:, None], cols][:, None, :], out=corner)
            out[part] = corner.max(axis=(1, 2), initial=-np.inf)
    return out


def _power_of_two(sizes: np.ndarray) -> np.ndarray:
    """The least power of two >= each size (at least 1)."""
    return np.left_shift(1, np.ceil(np.log2(np.maximum(sizes, 1))).astype(np.int64))


def _first_free_box(
    shut_w: np.ndarray, cells: np.ndarray, needs: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each cell, whether a box with all other corners withheld and heavy enough
    exists, and the first such (row, column) partner in row-major order, for all cells at
    once. Partner rows are tried from the top in growing blocks, and a cell leaves the
    search at its first hit: most cells find one in the first rows."""
    n_rows, n_cols = shut_w.shape
    found = np.zeros(len(cells), dtype=bool)
    q0s = np.zeros(len(cells), dtype=np.int64)
    q1s = np.zeros(len(cells), dtype=np.int64)
    if not len(cells):
        return found, q0s[found], q1s[found]
    r, c = cells.T
    usable = shut_w[r, :] >= needs[:, None]  # partner columns: the cell's row corner is heavy
    usable[np.arange(len(cells)), c] = False  # not itself
    pending = np.flatnonzero(usable.any(axis=1))
    top, block = 0, 8
    while pending.size and top < n_rows:
        rows = shut_w[top : top + block]
        size = rows.shape[0]
        left = []
        for chunk in np.array_split(pending, -(-pending.size * size * n_cols // 4_000_000)):
            k = np.arange(chunk.size)
            heavy = rows[None, :, :] >= needs[chunk][:, None, None]  # cell x row x column
            partner = (heavy & usable[chunk][:, None, :]).any(axis=2)
            partner &= heavy[k, :, c[chunk]]  # the corner in the cell's column
            partner &= (top + np.arange(size))[None, :] != r[chunk][:, None]
            hit = partner.any(axis=1)
            q0 = partner[hit].argmax(axis=1)
            q1 = (heavy[k[hit], q0, :] & usable[chunk[hit]]).argmax(axis=1)
            found[chunk[hit]] = True
            q0s[chunk[hit]] = top + q0
            q1s[chunk[hit]] = q1
            left.append(chunk[~hit])
        pending = np.concatenate(left)
        top, block = top + size, block * 2
    return found, q0s[found], q1s[found]


def _box_2d(
    w: np.ndarray, open_w: np.ndarray, shut_w: np.ndarray, r: int, c: int, need: float
) -> tuple[int, int] | None:
    """The first free partner (row, column) for cell (r, c), else the first cheapest."""
    free_rows = (shut_w[:, c] >= need).nonzero()[0]
    if free_rows.size:
        free_cols = (shut_w[r] >= need).nonzero()[0]
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
