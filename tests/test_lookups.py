"""Lookup tables find each cell's ratio row by its key parts, for any code the loader
accepts: the warehouse stores codes as SMALLINT, so codes up to its bounds must not collide."""

from __future__ import annotations

import numpy as np

from lmi_cubes.aggregates.derived import LookupTable
from lmi_cubes.etl.validate import SMALLINT_MAX, SMALLINT_MIN
from lmi_cubes.model import Lookup, LookupKey

LOOKUP = Lookup(
    role="pay_distribution",
    table="ratios",
    keys=(LookupKey("occupation", "occupation", level_column="soc_level"), LookupKey("g", "g")),
    values=("ratio",),
)


def test_codes_at_the_smallint_bounds_find_their_own_rows():
    keys = np.array(
        [
            [1, 0, 0],
            [0, 10_000, 0],  # base 10,000 packs this the same as the row above
            [SMALLINT_MIN, SMALLINT_MAX, SMALLINT_MIN],
            [SMALLINT_MAX, SMALLINT_MIN, SMALLINT_MAX],
            [0, 0, 1],
        ]
    )
    table = LookupTable(LOOKUP, keys, np.arange(1.0, 6.0)[:, None])
    asked = keys[[4, 3, 2, 1, 0]].T
    assert table.find(list(asked))[:, 0].tolist() == [5.0, 4.0, 3.0, 2.0, 1.0]
    absent = [np.array([1, 0, SMALLINT_MAX]), np.array([10_000, 1, 0]), np.array([0, 0, 2])]
    assert np.isnan(table.find(absent)).all()


def test_parts_outside_the_tables_span_match_no_row():
    table = LookupTable(LOOKUP, np.array([[1, 5, 2], [2, 6, 3]]), np.array([[10.0], [20.0]]))
    found = table.find(
        [np.array([[1, 2], [0, 3]]), np.array([[5, 6], [5, 6]]), np.array([[2, 3], [2, 3]])]
    )
    assert found.shape == (2, 2, 1)
    assert found[0, :, 0].tolist() == [10.0, 20.0] and np.isnan(found[1]).all()


def test_an_empty_table_finds_nothing():
    table = LookupTable(LOOKUP, np.zeros((0, 3), dtype=np.int64), np.zeros((0, 1)))
    assert np.isnan(table.find([np.array([1]), np.array([2]), np.array([3])])).all()
