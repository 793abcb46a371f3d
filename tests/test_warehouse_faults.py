"""A damaged warehouse is the warehouse's fault: `lmi-cubes serve` keeps running and every
answer is a JSON 503 that says what happened, without paths, checksums or block offsets,
until a good version is published. Over real HTTP to the real command.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import requests

from support import free_port

CROSSTAB = "/cube/ashe_pay/crosstab?rows=occupation:soc1&columns=gender&measure=employment"
# what DuckDB's own messages carry and the public must not see
LEAKS = re.compile(r"checksum|location \d|offset|/proc/|/tmp/|bytes from", re.I)


@contextlib.contextmanager
def launched(target: Path, env: dict[str, str] | None = None) -> Iterator[tuple[str, Path]]:
    """`lmi-cubes serve` whatever state its warehouse is in; yields the URL and its stderr."""
    port = free_port()
    errors = target.parent / f"serve-{port}.err"
    with errors.open("wb") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "lmi_cubes.cli", "serve", "--warehouse", str(target),
             "--port", str(port), "--workers", "1", "--threads", "2"],
            stdout=subprocess.DEVNULL, stderr=err, start_new_session=True,
            env={**os.environ, **(env or {})},
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, errors.read_text()
            try:
                requests.get(f"{base}/version", timeout=20)
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline, errors.read_text()
                time.sleep(0.2)
        yield base, errors
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def unavailable(response: requests.Response) -> str:
    assert response.status_code == 503, response.text[:300]
    assert response.headers["Content-Type"].startswith("application/json")
    message = response.json()["error"]["message"]
    assert not LEAKS.search(message), message
    return message


def truncated_copy(warehouse: Path, target: Path) -> Path:
    shutil.copyfile(warehouse, target)
    with target.open("r+b") as fh:
        fh.truncate(target.stat().st_size // 3)
    return target


def test_a_truncated_file_at_start_up_is_one_line_and_503s(warehouse, tmp_path):
    target = truncated_copy(warehouse, tmp_path / "w.duckdb")
    with launched(target) as (base, errors):
        assert "damaged" in unavailable(requests.get(f"{base}/health", timeout=30))
        unavailable(requests.get(base + CROSSTAB, timeout=30))
        log = errors.read_text()
    assert "Traceback" not in log
    warnings = [line for line in log.splitlines() if "warehouse" in line and "503" in line]
    assert len(warnings) == 1 and not LEAKS.search(warnings[0]), log


def test_a_truncated_file_swapped_in_while_serving_is_a_503_then_heals(warehouse, tmp_path):
    target = tmp_path / "w.duckdb"
    shutil.copyfile(warehouse, target)
    with launched(target) as (base, _):
        good = requests.get(base + CROSSTAB, timeout=30)
        assert good.status_code == 200
        os.replace(truncated_copy(warehouse, tmp_path / "bad.duckdb"), target)
        unavailable(requests.get(f"{base}/health", timeout=30))
        unavailable(requests.get(base + CROSSTAB + "&margins=false", timeout=30))
        shutil.copyfile(warehouse, tmp_path / "good.duckdb")
        os.replace(tmp_path / "good.duckdb", target)
        assert requests.get(f"{base}/health", timeout=30).status_code == 200
        assert requests.get(base + CROSSTAB, timeout=30).json() == good.json()


def _damaged_in_a_fact_table(warehouse: Path, tmp_path: Path) -> Path:
    """A copy whose catalog and load record are intact (it opens and reports healthy) but
    one block that only fact_ashe_pay uses is overwritten with random bytes."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        tables = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()]
        users: dict[int, set[str]] = {}
        for table in tables:
            for (block,) in con.execute(
                f"SELECT DISTINCT block_id FROM pragma_storage_info('{table}') WHERE block_id >= 0"
            ).fetchall():
                users.setdefault(block, set()).add(table)
        (block_size,) = con.execute("SELECT block_size FROM pragma_database_size()").fetchone()
    finally:
        con.close()
    own = sorted(b for b, t in users.items() if t == {"fact_ashe_pay"})
    assert own, users
    target = tmp_path / "damaged.duckdb"
    shutil.copyfile(warehouse, target)
    with target.open("r+b") as fh:  # three 4 KiB headers, then the blocks
        fh.seek(3 * 4096 + own[len(own) // 2] * block_size + 4096)
        fh.write(os.urandom(65536))
    return target


def test_a_corrupt_block_found_by_a_query_makes_the_version_unhealthy(warehouse, tmp_path):
    damaged = _damaged_in_a_fact_table(warehouse, tmp_path)
    target = tmp_path / "w.duckdb"
    os.replace(damaged, target)
    # every answer from the fact table itself, where the damage is
    with launched(target, {"LMI_CUBES_ROLLUPS": "0"}) as (base, _):
        assert requests.get(f"{base}/health", timeout=30).status_code == 200
        statuses = []
        for level in ("soc1", "soc2", "soc3", "soc4"):
            url = f"{base}/cube/ashe_pay/crosstab?rows=occupation:{level}&columns=industry"
            response = requests.get(url, timeout=30)
            statuses.append(response.status_code)
            if response.status_code != 200:
                unavailable(response)
        assert 503 in statuses and 500 not in statuses, statuses
        unavailable(requests.get(f"{base}/health", timeout=30))
        shutil.copyfile(warehouse, tmp_path / "good.duckdb")
        os.replace(tmp_path / "good.duckdb", target)
        assert requests.get(f"{base}/health", timeout=30).status_code == 200
