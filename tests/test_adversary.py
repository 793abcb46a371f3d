"""An independent adversary against the running server.

It speaks only HTTP (tests/adversary), recovers what it can of withheld cells by every route
it knows, and scores the estimates against the source files.

It runs under a model whose cubes declare `"protection": "table"`. What this test holds the
server to is what docs/protection.md guarantees: no cell under the
threshold is recovered from one response alone (route g), and suppression leaves the server
useful (at least 90% of cells with weight >= 10,000 in simple tables published). The
cross-request target (at most 5% of sampled withheld cells recovered) is not met today; the
measured share is printed with the report and recorded in docs/protection.md.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from adversary import audit
from lmi_cubes.cli import load_warehouse
from lmi_cubes.etl.generate import generate
from support import model_with_protection, serving

MIN_PUBLISHED = 0.90


@pytest.mark.parametrize("seed", [1, 11])
def test_withheld_cells_cannot_be_recovered_from_one_response(seed: int, tmp_path: Path) -> None:
    data = tmp_path / "data"
    generate(data, "tiny", seed=seed)
    target = tmp_path / "tiny.duckdb"
    load_warehouse(data, target)
    model = model_with_protection(tmp_path / "model", "table")
    with serving(target, env={"LMI_CUBES_MODEL_DIR": str(model)}) as base:
        report = audit(base, data, seed=seed, sample=100, tables=36)
    print(report)
    assert report.sampled >= 50, report
    assert report.small_sampled >= 20, report
    one_response = report.routes["g LP one response"]
    assert one_response.attacked >= 50, report
    assert one_response.small_recovered == 0, f"one response narrows a small cell\n{report}"
    assert report.published_share >= MIN_PUBLISHED, f"over-suppression\n{report}"
