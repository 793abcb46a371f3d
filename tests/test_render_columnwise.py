"""The column-wise renderers give the same cells as the per-cell code they replaced."""

from __future__ import annotations

from typing import Any

import numpy as np

from lmi_cubes.cube_server.formats import _go_up, _numbers


def test_numbers_as_the_per_value_rule() -> None:
    rng = np.random.default_rng(3)
    values = np.concatenate(
        [
            rng.normal(0, 1e6, 500).round(rng.integers(-2, 3)),
            rng.normal(0, 1, 200),
            [np.nan, np.inf, -np.inf, -0.0, 0.0, 2.0**53, 1e17, -3.0, 0.5],
        ]
    )
    want = [None if x != x else (int(x) if x.is_integer() else x) for x in values.tolist()]
    got = _numbers(values)
    assert got == want
    assert [type(x) for x in got] == [type(x) for x in want]


def test_go_up_lists_as_one_per_cell() -> None:
    rng = np.random.default_rng(4)
    shape = (13, 7)
    suppressed = rng.random(shape[0] * shape[1]) < 0.4
    suggestions = tuple(
        (f"d{i}", f"l{i}", rng.random(shape) < 0.5) for i in range(int(rng.integers(1, 5)))
    )
    want: list[dict[str, Any]] = [{"flag": "x"} for _ in suppressed]
    for dimension, level, works in suggestions:  # the former per-cell loop
        for n in np.flatnonzero(works.ravel() & suppressed).tolist():
            want[n].setdefault("go_up", []).append({"dimension": dimension, "level": level})
    got: list[dict[str, Any]] = [{"flag": "x"} for _ in suppressed]
    _go_up(got, suppressed, suggestions)
    assert got == want
    assert [list(c) for c in got] == [list(c) for c in want]  # the same key order
