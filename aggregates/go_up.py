"""Going up a level: how an axis' members map onto a coarser level, and grids summed there.

The mapping depends only on the axis (its dimension, level and members) and the coarser
level, never on the cuts or the figures, so an engine keeps one `Step` per such pair for
its whole life; summing a grid into the parents is then a single `bincount`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from lmi_cubes.aggregates.query import Axis
from lmi_cubes.model import Level

STEPS_KEPT = 4096  # distinct (axis, coarser level) pairs; a full reset keeps this simple


@dataclass(frozen=True)
class Step:
    """An axis' members mapped onto their parents at a coarser level."""

    parent_keys: tuple[int, ...]  # the parents present, sorted
    to_parent: np.ndarray  # each member's parent position, the total last (-> its own)
    children: np.ndarray  # per parent, how many of the axis' members it holds
    labels: dict[int, str]  # parent key -> label


class Steps:
    """The `Step`s an engine has made, by (dimension, level, members, coarser level)."""

    def __init__(
        self,
        ancestor_map: Callable[[Axis, Level], dict[int, int] | None],
        label: Callable[[Axis, Level, int], str],
    ):
        self._ancestor_map, self._label = ancestor_map, label
        self._steps: dict[tuple[object, ...], Step | None] = {}

    def of(self, axis: Axis, level: Level) -> Step | None:
        """The axis' members mapped onto `level`; None when the catalog has no such map."""
        key = (axis.dimension.name, axis.level.name, axis.keys, level.name)
        if key in self._steps:
            return self._steps[key]
        parent_of = self._ancestor_map(axis, level)
        step = None
        if parent_of is not None:
            parent_keys = tuple(sorted({parent_of[k] for k in axis.keys}))
            position = {k: p for p, k in enumerate(parent_keys)}
            to_parent = np.array([position[parent_of[k]] for k in axis.keys] + [len(parent_keys)])
            children = np.bincount(to_parent[:-1], minlength=len(parent_keys))
            labels = {k: self._label(axis, level, k) for k in parent_keys}
            step = Step(parent_keys, to_parent, children, labels)
        if len(self._steps) >= STEPS_KEPT:
            self._steps.clear()
        self._steps[key] = step
        return step


def roll_up(grid: np.ndarray, axis: int, to_parent: np.ndarray) -> np.ndarray:
    """Sum a grid's members along one axis into their parents (the total stays last).

    One `bincount` over (parent, other position) pairs: it adds each parent's children in
    their order along the axis, the same additions in the same order as adding them one by
    one, so the sums keep every bit."""
    moved = np.moveaxis(grid, axis, 0)
    parents = int(to_parent[-1]) + 1
    rest = int(np.prod(moved.shape[1:], dtype=np.int64))
    members = moved[:-1].reshape(len(to_parent) - 1, rest)
    index = (to_parent[:-1, None] * rest + np.arange(rest)).ravel()
    out = np.empty((parents, *moved.shape[1:]))
    summed = np.bincount(index, weights=members.ravel(), minlength=(parents - 1) * rest)
    out[:-1] = summed.reshape(parents - 1, *moved.shape[1:])
    out[-1] = moved[-1]
    return np.moveaxis(out, 0, axis)


class RolledUp(dict[str, np.ndarray]):
    """A grid's sums rolled up one axis, each on first use: the coarser table's weight
    decides what works, and the other sums are needed only where it fills."""

    def __init__(self, sums: dict[str, np.ndarray], axis: int, to_parent: np.ndarray) -> None:
        super().__init__()
        self.sums, self.axis, self.to_parent = sums, axis, to_parent

    def __missing__(self, name: str) -> np.ndarray:
        grid = self[name] = roll_up(self.sums[name], self.axis, self.to_parent)
        return grid
