"""Reliability flags, suppression that cannot be undone by subtraction, and rounding.

A result is an n-dimensional grid whose last position on every axis is that axis' total.
Primary suppression withholds every cell whose weight is under the threshold. Because
totals are published (and any total can be asked for separately), a line such as a row
with its row total is an equation: if exactly one of its cells were withheld, it could be
recovered as total minus the rest. Secondary suppression therefore withholds, on every
such line, the smallest other cell until no line has exactly one unknown. The pattern
depends only on weights, so every measure of a cube shows the same cells withheld.
"""

from __future__ import annotations

import numpy as np

from aggregates.model import Reliability

SUPPRESSED, LOW, RELIABLE, NOT_APPLICABLE = (
    "suppressed",
    "low_reliability",
    "reliable",
    "not_applicable",
)


def primary(weights: np.ndarray, policy: Reliability) -> np.ndarray:
    return ~(weights >= policy.suppress_below)  # NaN weights (no data) are withheld too


def suppress(
    weights: np.ndarray, policy: Reliability, additive_axes: tuple[bool, ...]
) -> np.ndarray:
    """Mask of withheld cells: primary plus secondary suppression along every total line."""
    mask = primary(weights, policy)
    w = np.nan_to_num(weights, nan=0.0)
    changed = True
    while changed:
        changed = False
        for axis, additive in enumerate(additive_axes):
            if not additive or weights.shape[axis] < 3:
                continue  # no total on this axis, or one member whose total equals it
            # every line along this axis as a row of a 2-D view: parts..., total
            m = np.moveaxis(mask, axis, -1).reshape(-1, weights.shape[axis])
            ww = np.moveaxis(w, axis, -1).reshape(-1, weights.shape[axis])
            parts = m[:, :-1]
            lone = (parts.sum(axis=1) == 1) & ~m[:, -1]
            if not lone.any():
                continue
            candidates = np.where(parts, np.inf, ww[:, :-1])
            pick = np.argmin(candidates, axis=1)
            best = candidates[np.arange(len(pick)), pick]
            lines = np.flatnonzero(lone & np.isfinite(best))
            if lines.size == 0:
                continue
            m[lines, pick[lines]] = True
            mask = np.moveaxis(m.reshape(np.moveaxis(mask, axis, -1).shape), -1, axis).copy()
            changed = True
    return mask


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
