"""A derived figure's lookup rows are found once per shape of request and kept."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from lmi_cubes.aggregates import measures
from lmi_cubes.aggregates.engine import Engine
from lmi_cubes.aggregates.measures import Measures
from lmi_cubes.model.loader import load_model
from lmi_cubes.warehouse.files import open_read_only
from support import ask

REQUESTS = [
    dict(axes=("occupation:soc4", "gender"), measures=("median_pay",)),
    dict(axes=("occupation:soc4", "gender"), measures=("median_pay",), cut="region:1,1"),
    dict(axes=("occupation:soc4", "gender"), measures=("median_pay",), cut="status:1"),
    dict(axes=("occupation:soc4", "gender"), measures=("median_pay",), cut="!gender:1"),
    dict(axes=("occupation:soc2", "region"), measures=("pay_decile",), decile=90),
    dict(axes=("occupation:soc2", "region"), measures=("pay_decile",), decile=90, cut="gender:2"),
    dict(axes=("occupation:soc2", "region"), measures=("mean_pay_at_age",), age=30),
    dict(axes=("occupation:soc2", "region"), measures=("mean_pay_at_age",), age=55),
    dict(
        axes=("occupation:soc2", "region"),
        measures=("mean_pay_at_age",),
        age=30,
        cut="qualification:1",
    ),
]
# the lookups are keyed by occupation, status, gender and (ages) qualification: each cut
# above that names one of them makes the same shape of cells take other rows


@pytest.fixture()
def found(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    calls: Counter[str] = Counter()
    original = Measures._key_parts

    def counted(self: Measures, *args: Any) -> Any:
        calls["key_parts"] += 1
        return original(self, *args)

    monkeypatch.setattr(Measures, "_key_parts", counted)
    return calls


def test_kept_rows_give_what_a_fresh_engine_finds(warehouse: Path, found: Counter[str]) -> None:
    """Each request asked twice, interleaved with the others, on one engine: the values
    equal those of a new engine for that request alone, and the second asking finds no
    rows again."""
    model = load_model()
    engine = Engine(model, open_read_only(warehouse), use_rollups=False)
    for request in REQUESTS * 2:
        fresh = Engine(model, open_read_only(warehouse), use_rollups=False)
        before = found["key_parts"]
        got = engine.run(ask(engine, "ashe_pay", **request), suggest=False)
        between = found["key_parts"] - before
        want = fresh.run(ask(fresh, "ashe_pay", **request), suggest=False)
        for name, values in want.values.items():
            np.testing.assert_array_equal(got.values[name], values)
        assert between >= 0
    first_pass = found["key_parts"]
    found.clear()
    for request in REQUESTS:
        engine.run(ask(engine, "ashe_pay", **request), suggest=False)
    assert first_pass > 0 and found["key_parts"] == 0


def test_kept_rows_cannot_be_written(warehouse: Path) -> None:
    engine = Engine(load_model(), open_read_only(warehouse), use_rollups=False)
    engine.run(ask(engine, "ashe_pay", **REQUESTS[0]), suggest=False)
    kept = [rows for rows, _ in engine.measures._rows_found._items.values()]
    assert kept and not any(rows.flags.writeable for rows in kept)


def test_kept_rows_stay_within_their_budget(
    warehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many shapes of request, each with its own rows: what is kept never passes the byte
    budget (rows as large as their tables would otherwise grow without bound), and what was
    let go is found again, the same."""
    assert measures.ROWS_BYTES == 4 << 20  # what docs/caching.md says
    monkeypatch.setattr(measures, "ROWS_BYTES", 40_000)
    model = load_model()
    engine = Engine(model, open_read_only(warehouse), use_rollups=False)
    fresh = Engine(model, open_read_only(warehouse), use_rollups=False)
    kept = engine.measures._rows_found
    for request in REQUESTS * 2:
        got = engine.run(ask(engine, "ashe_pay", **request), suggest=False)
        held = sum(rows.nbytes for rows, _ in kept._items.values())
        assert 0 < kept.bytes <= 40_000 and held < kept.bytes
        want = fresh.run(ask(fresh, "ashe_pay", **request), suggest=False)
        for name, values in want.values.items():
            np.testing.assert_array_equal(got.values[name], values)
