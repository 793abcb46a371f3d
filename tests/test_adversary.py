"""An independent adversary against the running server (issue 9, item 4).

It speaks only HTTP (tests/adversary), recovers what it can of withheld cells by every route
it knows, and scores the estimates against the source files. Withheld cells must stay
withheld: at most 5% of sampled withheld cells may be recovered to within +-50% of their
weight. And suppression must not make the server useless: at least 90% of cells with weight
>= 10,000 in a few simple tables must be published.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from adversary import audit
from conftest import serving
from cube_server.cli import load_warehouse
from etl.generate import generate

MAX_RECOVERED = 0.05
MIN_PUBLISHED = 0.90


@pytest.mark.parametrize("seed", [1, 11])
def test_withheld_cells_cannot_be_recovered(seed: int, tmp_path: Path) -> None:
    data = tmp_path / "data"
    generate(data, "tiny", seed=seed)
    target = tmp_path / "tiny.duckdb"
    load_warehouse(data, target)
    with serving(target) as base:
        report = audit(base, data, seed=seed, sample=100, tables=36)
    print(report)
    assert report.sampled >= 50, report
    assert report.published_share >= MIN_PUBLISHED, f"over-suppression\n{report}"
    assert report.recovered_share <= MAX_RECOVERED, f"withheld cells recovered\n{report}"
