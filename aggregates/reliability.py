"""Reliability flags, the declared protection policy, and rounding.

A result is an n-dimensional grid whose last position on every additive axis is that axis'
total. Every cell whose weight is under the threshold is withheld (primary suppression):
its figure is an unreliable modelled estimate. That is all the default policy (`none`)
does, so a cell's status depends only on the facts it covers, in every table and endpoint.

The `table` policy adds secondary suppression for deployments whose data are confidential.
Because totals are published, every line of the grid is an equation, and a withheld cell
could be narrowed down by solving them together; the hypercube method (as in tau-ARGUS,
`aggregates/hypercube.py`) withholds, for each primary cell of weight w, the corners of a
box (a rectangle in 2-D, a pair in 1-D) through that cell whose other corners each weigh at
least w / 2. Shifting w / 2 around the box keeps every published cell and margin unchanged
and every weight non-negative, so anyone who sees the response can only place the cell's
weight somewhere in an interval covering [w / 2, 3w / 2]. The pattern depends only on
weights, so every measure of a cube shows the same cells withheld. It holds for one
response only (docs/protection.md).
"""

from __future__ import annotations

import enum
from collections.abc import Sequence

import numpy as np

from lmi_cubes.aggregates import hypercube
from lmi_cubes.model import TABLE_PROTECTION, Reliability


class Flag(enum.IntEnum):
    """A cell's status. A result holds its flags as these codes in an int8 grid, so that
    finding the withheld cells is an integer comparison; `name_of` gives the public names
    (`label`) only where a response is rendered."""

    RELIABLE = 0
    LOW = 1
    SUPPRESSED = 2
    NOT_APPLICABLE = 3

    @property
    def label(self) -> str:
        """The name every response, the model's messages and the docs use."""
        return LABELS[self]


LABELS = ("reliable", "low_reliability", "suppressed", "not_applicable")  # by code
_LABELS = np.array(LABELS, dtype=object)


def name_of(flags: np.ndarray) -> np.ndarray:
    """A grid of flag codes as their public names (an object array of the same shape)."""
    return _LABELS[flags]


def primary(weights: np.ndarray, policy: Reliability) -> np.ndarray:
    return ~(weights >= policy.suppress_below)  # NaN weights (no data) are withheld too


def suppress(
    weights: np.ndarray,
    policy: Reliability,
    additive_axes: tuple[bool, ...],
    parents: Sequence[np.ndarray | None] = (),
    moved: np.ndarray | None = None,
) -> np.ndarray:
    """Mask of withheld cells: primary, plus (under the `table` policy) a protecting
    hypercube for each primary cell.

    `parents[i]`, where given, holds each position's parent on axis i (the total last, with
    a parent of its own): partners under the cell's own parent are preferred. A box with a
    partner under another parent changes the parents of its corners on that axis; `moved`
    (shape `(ndim, *weights.shape)`), where given, records them: `moved[i][cell]` means the
    cell's parent on axis i must not be published beside this table (as a fill), or the
    box would no longer hide the cell.
    """
    mask = primary(weights, policy)
    if policy.protection != TABLE_PROTECTION:
        return mask
    hypercube.protect_all(weights, mask, additive_axes, parents, moved)
    return mask


def flags(weights: np.ndarray, mask: np.ndarray, policy: Reliability) -> np.ndarray:
    """Each cell's `Flag` code (int8): withheld where `mask` says, else by its weight."""
    out = np.where(weights >= policy.reliable_from, Flag.RELIABLE, Flag.LOW).astype(np.int8)
    out[mask] = Flag.SUPPRESSED
    return out


def round_to(values: np.ndarray, step: float) -> np.ndarray:
    """Round half away from zero to a multiple of step (10 for GBP 10, 0.1 for hours)."""
    scaled = np.abs(values) / step
    rounded = np.sign(values) * np.floor(scaled + 0.5 + 1e-9) * step
    decimals = max(0, int(-np.floor(np.log10(step)))) if step < 1 else 0
    return np.array(np.round(rounded, decimals) + 0.0, dtype=float)  # + 0.0: no -0.0
