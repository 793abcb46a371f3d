"""`lmi-cubes serve` as a real process over real HTTP, answering through a reload."""

from __future__ import annotations

import threading
import time

import pytest
import requests

from lmi_cubes.etl import sources
from lmi_cubes.etl.load import load
from support import copy_data, rewrite, serving


@pytest.fixture()
def server(tiny_dir, tmp_path):
    """`lmi-cubes serve` on a private warehouse this test may reload."""
    target = tmp_path / "served.duckdb"
    load(tiny_dir, target)
    with serving(target) as base:
        yield base, target


def test_real_http_answers_and_keeps_answering_through_a_reload(server, tiny_dir, tmp_path):
    base, target = server
    url = f"{base}/cube/ashe_pay/crosstab?rows=occupation:soc1&columns=gender&measure=employment"
    before = requests.get(url, timeout=30)
    assert before.status_code == 200 and before.headers["Access-Control-Allow-Origin"] == "*"
    old_vintage = before.json()["vintage"]
    old_total = before.json()["grand_total"]["value"]
    bad = requests.get(f"{base}/cube/ashe_pay/crosstab?rows=shoe", timeout=30)
    assert bad.status_code == 400 and bad.json()["error"]["parameter"] == "rows"

    data = copy_data(tiny_dir, tmp_path / "changed")
    rewrite(
        data / sources.ASHE_PAY.file,
        lambda ls: ls.__setitem__(1, ",".join([*ls[1].split(",")[:7], "1000000", "500000000"])),
    )
    statuses: list[int] = []
    stop = threading.Event()

    def hammer() -> None:
        while not stop.is_set():
            statuses.append(requests.get(url, timeout=30).status_code)

    workers = [threading.Thread(target=hammer) for _ in range(3)]
    for w in workers:
        w.start()
    time.sleep(0.5)
    load(data, target)
    time.sleep(1.0)
    stop.set()
    for w in workers:
        w.join()
    assert statuses and set(statuses) == {200}, statuses
    after = requests.get(url, timeout=30).json()
    assert after["vintage"] != old_vintage
    assert after["grand_total"]["value"] > old_total + 900_000
    health = requests.get(f"{base}/health", timeout=30).json()
    assert health["vintage"] == after["vintage"]


def test_first_run_builds_the_demo_warehouse_then_serves(tmp_path):
    target = tmp_path / "fresh" / "warehouse.duckdb"
    with serving(target, env={"LMI_CUBES_DEMO_SCALE": "tiny"}, timeout=180) as base:
        health = requests.get(f"{base}/health", timeout=30).json()
        assert health["row_counts"]["fact_ashe_pay"] > 10_000
        page = requests.get(f"{base}/", timeout=30)
        assert page.status_code == 200 and "explorer.js" in page.text
    assert (target.parent / "demo-data" / sources.ASHE_PAY.file).exists()
