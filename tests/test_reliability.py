"""Flags, primary and secondary suppression, and rounding, on hand-made grids.

Secondary suppression is the `table` protection policy; the default (`none`) withholds
exactly the cells under the threshold.
"""

from __future__ import annotations

import numpy as np
import pytest

from lmi_cubes.aggregates.reliability import flags, name_of, round_to, suppress
from lmi_cubes.model import Reliability

POLICY = Reliability("employment", 1000, 10000, protection="table")
DEFAULT = Reliability("employment", 1000, 10000)


def with_totals(cells: list[list[float]]) -> np.ndarray:
    grid = np.array(cells, dtype=float)
    grid = np.vstack([grid, grid.sum(axis=0)])
    return np.hstack([grid, grid.sum(axis=1, keepdims=True)])


@pytest.mark.parametrize(
    ("weight", "flag"),
    [
        (0, "suppressed"),
        (999, "suppressed"),
        (999.99, "suppressed"),
        (1000, "low_reliability"),
        (9999, "low_reliability"),
        (9999.99, "low_reliability"),
        (10000, "reliable"),
        (np.nan, "suppressed"),
    ],
)
def test_flags_at_the_threshold_edges(weight, flag):
    w = np.array([weight])
    assert name_of(flags(w, suppress(w, POLICY, (False,)), POLICY))[0] == flag


def test_a_lone_withheld_cell_takes_a_partner_in_its_row_and_column():
    w = with_totals([[500, 5000, 6000], [7000, 8000, 9000]])
    mask = suppress(w, POLICY, (True, True))
    expected = np.array(
        [[True, True, False, False], [True, True, False, False], [False, False, False, False]]
    )
    assert (mask == expected).all()


def test_the_default_policy_withholds_exactly_the_cells_under_the_threshold():
    w = with_totals([[500, 5000, 6000], [7000, 8000, 9000]])
    assert DEFAULT.protection == "none"
    mask = suppress(w, DEFAULT, (True, True))
    assert mask.sum() == 1 and mask[0, 0]


def test_no_secondary_suppression_without_published_totals():
    w = with_totals([[500, 5000, 6000], [7000, 8000, 9000]])
    mask = suppress(w, POLICY, (False, False))
    assert mask.sum() == 1 and mask[0, 0]


def test_two_withheld_cells_in_a_line_need_no_partner():
    w = with_totals([[500, 600, 60000], [50000, 80000, 90000], [40000, 30000, 20000]])
    mask = suppress(w, POLICY, (True, True))
    # row 0 has two unknowns; columns 0 and 1 each have one, so each takes a partner
    assert mask[0, 0] and mask[0, 1] and not mask[0, 2]
    assert mask[:, 0].sum() >= 2 and mask[:, 1].sum() >= 2
    assert not mask[-1].any() and not mask[:, -1].any()


@pytest.mark.parametrize(
    ("value", "step", "rounded"),
    [
        (791.72, 10, 790),
        (795, 10, 800),
        (794.999, 10, 790),
        (-45, 10, -50),
        (37.25, 0.1, 37.3),
        (37.24, 0.1, 37.2),
        (12344.9, 10, 12340),
        (0.04, 0.1, 0.0),
    ],
)
def test_rounding_is_half_away_from_zero(value, step, rounded):
    assert round_to(np.array([value]), step)[0] == rounded


def test_a_one_dimensional_line_gets_secondary_suppression_too():
    """Regression: a 1-D result with one withheld cell crashed (nonzero on a 0-d array)."""
    w = np.array([5000.0, 6000.0, 500.0, 11500.0])
    mask = suppress(w, POLICY, (True,))
    assert list(mask) == [True, False, True, False]


def _reference_suppress(
    weights: np.ndarray,
    additive: tuple[bool, ...],
    parents: tuple[np.ndarray | None, ...] = (),
    moved: np.ndarray | None = None,
) -> np.ndarray:
    """suppress() through the general n-dimensional method, cell by cell."""
    from lmi_cubes.aggregates.hypercube import protect_all
    from lmi_cubes.aggregates.reliability import primary

    mask = primary(weights, POLICY)
    protect_all(weights, mask, additive, parents, moved, two_way_path=False)
    return mask


@pytest.mark.parametrize("seed", range(200))
def test_the_2d_fast_path_withholds_exactly_what_the_general_method_does(seed):
    """The cross-tab fast path must give identical masks: random grids with many small
    cells, zeros, equal weights (ties) and NaN, with their margins."""
    rng = np.random.default_rng(seed)
    rows, cols = int(rng.integers(1, 40)), int(rng.integers(1, 14))
    kind = seed % 3
    if kind == 0:  # heavy-tailed, like employment
        cells = np.round(rng.lognormal(7.5, 1.5, (rows, cols)))
    elif kind == 1:  # few distinct values: many ties in weights and costs
        cells = rng.choice([0.0, 300.0, 600.0, 999.0, 1500.0, 4000.0], (rows, cols))
    else:  # mostly small cells
        cells = rng.uniform(0, 3000, (rows, cols))
    cells[rng.random((rows, cols)) < 0.05] = 0.0
    grid = with_totals(cells.tolist())
    if seed % 7 == 0:
        grid[0, 0] = np.nan
    parents: tuple[np.ndarray | None, ...] = ()
    if seed % 2:  # members grouped under parents, some of them only children
        parents = tuple(np.append(np.sort(rng.integers(0, n, n)), 0) for n in (rows, cols))
    moved, reference_moved = np.zeros((2, *grid.shape), bool), np.zeros((2, *grid.shape), bool)
    got = suppress(grid, POLICY, (True, True), parents, moved)
    assert (got == _reference_suppress(grid, (True, True), parents, reference_moved)).all()
    assert (moved == reference_moved).all()


def test_a_cell_with_a_sibling_box_never_takes_a_box_across_parents():
    """Pass 1 of the hypercube method: where sibling boxes are feasible for every small
    cell, every box stays inside the cells' families, so no parent is moved and each small
    cell ends in a withheld box of its siblings (largest cells first, free corners reused)."""
    rng = np.random.default_rng(5)
    cells = rng.uniform(2000, 5000, (6, 6)).round()
    small = [(0, 0), (1, 4), (4, 1), (5, 5), (3, 3)]
    for r, c in small:
        cells[r, c] = 400.0
    grid = with_totals(cells.tolist())
    family = np.array([0, 0, 0, 1, 1, 1, 0])  # two families of three, then the total
    moved = np.zeros((2, *grid.shape), bool)
    mask = suppress(grid, POLICY, (True, True), (family, family), moved)
    assert not moved.any()
    for r, c in small:
        same = [q for q in range(6) if family[q] == family[r] and q != r]
        same_c = [q for q in range(6) if family[q] == family[c] and q != c]
        assert any(mask[q0, c] and mask[r, q1] and mask[q0, q1] for q0 in same for q1 in same_c)
    assert mask[:6, :6].sum() < 36  # not everything
