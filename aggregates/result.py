"""A computed cross-tab: values, flags, fills and where they came from, ready to render."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from lmi_cubes.aggregates.paging import Cells, Page
from lmi_cubes.aggregates.query import Query


@dataclass(frozen=True)
class Fill:
    """Where a withheld cell's filled value came from."""

    dimension: str
    level: str
    key: int
    label: str


@dataclass(frozen=True)
class Result:
    """A computed grid: the last position on every axis is that axis' total."""

    query: Query
    labels: tuple[tuple[str, ...], ...]
    values: dict[str, np.ndarray] = field(repr=False)  # NaN where withheld
    flags: np.ndarray = field(repr=False)  # reliability.Flag codes (int8), named when rendered
    # Going up a level: for each candidate (dimension, level), the cells whose parent at
    # that level is shown; and, with fallback, which candidate filled each cell (-1: none)
    # and the parent's key. Empty when the caller asked for none (`Engine.run`'s `suggest`)
    # and there was no fallback.
    suggestions: tuple[tuple[str, str, np.ndarray], ...] = field(repr=False)
    fill_source: np.ndarray = field(repr=False)
    fill_key: np.ndarray = field(repr=False)
    fill_labels: tuple[dict[int, str], ...]
    table: str
    vintage: str
    cells: Cells = field(repr=False, compare=False)  # the inner cells, to order and page
    # withheld only to protect another cell (the table policy), not for its own weight
    protects: np.ndarray | None = field(default=None, repr=False, compare=False)

    def page(self) -> Page:
        """The cells the query asked for: its order (after the natural one) and page."""
        return self.cells.page(self.query.order, self.query.page, self.query.page_size)

    @property
    def shape(self) -> tuple[int, ...]:
        return self.flags.shape

    def fill(self, index: tuple[int, ...]) -> Fill | None:
        source = int(self.fill_source[index])
        if source < 0:
            return None
        dimension, level, _ = self.suggestions[source]
        return Fill(
            dimension,
            level,
            int(self.fill_key[index]),
            self.fill_labels[source][int(self.fill_key[index])],
        )
