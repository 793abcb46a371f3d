"""The numpy regrouping of period measures gives pandas' sums to the last bit.

`aggregates/period.py` replaced a pandas sort and `groupby().sum()` (Kahan-compensated) on
the hot path. The reference below is that pandas code, unchanged; random frames with values
spread over many orders of magnitude make plain and compensated sums differ often, so an
ordering or summation mistake shows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lmi_cubes.aggregates.period import Rates, _in_order, kahan_group_sum, regroup

YEARS = range(2024, 2031)
NAMES = [f"y{y}" for y in YEARS]


def reference(frame: dict[str, np.ndarray], keys: list[str], rates: dict[int, float]) -> dict:
    """The engine's former `_period`, as it was (pandas)."""
    df = pd.DataFrame(frame)
    df = df.sort_values([*keys, "rk", "yk"], ignore_index=True)
    year = df["yk"].to_numpy()
    employment = df["emp"].to_numpy(dtype=float)
    out = df[keys].copy()
    for y, name in zip(YEARS, NAMES, strict=True):
        out[name] = np.where(year == y, employment, 0.0)
    in_period = (year >= YEARS.start) & (year < YEARS.stop - 1)
    rate = df["rk"].map(rates).to_numpy(dtype=float)
    out["rep"] = np.where(in_period, employment * rate, 0.0)
    summed = out.groupby(keys, as_index=False).sum() if keys else out.sum().to_frame().T
    return {name: summed[name].to_numpy() for name in summed.columns}


def random_frame(
    rng: np.random.Generator, axes: int, shuffled: bool = True
) -> dict[str, np.ndarray]:
    sizes = rng.integers(1, 6, size=axes)
    rkeys = rng.integers(1, 9)
    grid = np.stack(
        np.meshgrid(*[np.arange(n) for n in sizes], np.arange(rkeys), np.array(YEARS)),
        axis=-1,
    ).reshape(-1, axes + 2)
    grid = grid[rng.random(len(grid)) < 0.8]  # not every combination has rows
    if shuffled:  # DuckDB's GROUP BY gives rows in any order, a projection in key order
        grid = grid[rng.permutation(len(grid))]
    emp = rng.random(len(grid)) * 10.0 ** rng.integers(-3, 9, size=len(grid))
    frame = {f"k{i}": grid[:, i].astype(np.int16) for i in range(axes)}
    frame["rk"] = grid[:, axes].astype(np.int16)
    frame["yk"] = grid[:, axes + 1].astype(np.int32)
    frame["emp"] = emp
    return frame


@pytest.mark.parametrize("shuffled", [True, False])
@pytest.mark.parametrize("seed", range(40))
def test_regroup_equals_pandas_bit_for_bit(seed: int, shuffled: bool) -> None:
    rng = np.random.default_rng(seed)
    axes = int(rng.integers(0, 3))
    frame = random_frame(rng, axes, shuffled)
    rates = {k: float(rng.random()) for k in range(8)}  # key 8 has no rate: NaN, skipped
    keys = [f"k{i}" for i in range(axes)]
    want = reference(frame, keys, rates)
    got = regroup(frame, keys, "yk", "rk", "emp", Rates.of(rates), YEARS, NAMES, "rep")
    assert list(got) == list(want)
    for name in want:
        assert np.array_equal(
            np.asarray(got[name], dtype=float), np.asarray(want[name], dtype=float), equal_nan=True
        ), name
        assert got[name].tobytes() == np.asarray(want[name], dtype=got[name].dtype).tobytes()


def test_kahan_group_sum_compensates_like_pandas() -> None:
    # 1 + 1e-16 * 10: a plain sum stays 1.0, the compensated one does not
    group = np.zeros(11, dtype=np.int64)
    values = np.array([1.0] + [1e-16] * 10)
    got = kahan_group_sum(group, values, 1)[0, 0]
    want = pd.DataFrame({"g": group, "v": values}).groupby("g")["v"].sum().iloc[0]
    assert got == want and got != float(np.sum(values[:1]) + 0.0)


def test_rows_in_order_are_told_from_rows_out_of_it() -> None:
    """Rows are in order when each column is sorted within ties of the columns before it."""
    a, b = np.array([1, 1, 2, 2]), np.array([5, 6, 0, 1])
    assert _in_order([a, b])
    assert not _in_order([a, np.array([6, 5, 0, 1])])  # a tie broken the wrong way
    assert _in_order([a, np.array([6, 7, 0, 1]), np.array([9, 9, 9, 9])])
    assert not _in_order([np.array([2, 1, 1, 2]), b])
    assert _in_order([np.array([3]), np.array([1])])
    rng = np.random.default_rng(3)
    for _ in range(200):
        columns = [rng.integers(0, 3, size=12) for _ in range(3)]
        order = np.lexsort(tuple(reversed(columns)))
        assert _in_order([c[order] for c in columns])
        assert _in_order(columns) == bool((order == np.arange(12)).all())
