"""Cross-tab times on DuckDB and PostgreSQL, measured in the same run on the same data.

    python benchmarks/backends.py --scale small [--postgres postgresql://...]

Without --postgres a throwaway server is started (tests/pgserver.py). Each query is timed
through the real app with the result cache off (median of --repeat runs, after one warm-up),
so the times include the engine's Python work, not only SQL.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

import pgserver  # noqa: E402
from test_backends import QUERIES  # noqa: E402

from cube_server.app import create_app  # noqa: E402
from etl.generate import generate  # noqa: E402
from lmi_cubes.cli import load_warehouse  # noqa: E402


def timed(client, query: str, repeat: int) -> float:  # type: ignore[no-untyped-def]
    assert client.get(query).status_code == 200, query
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(query)
        runs.append((time.perf_counter() - started) * 1000)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="small")
    parser.add_argument("--postgres", default=None)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="lmi-bench-"))
    base = None
    url = args.postgres
    if url is None:
        url, base = pgserver.start()
    try:
        data = work / "data"
        generate(data, args.scale, 1)
        duck = work / "w.duckdb"
        started = time.perf_counter()
        load_warehouse(data, duck)
        duck_load = time.perf_counter() - started
        started = time.perf_counter()
        load_warehouse(data, url)  # the same build, then published with COPY
        pg_load = time.perf_counter() - started
        print(f"scale {args.scale}: load into DuckDB {duck_load:.1f} s; "
              f"load + publish into PostgreSQL {pg_load:.1f} s")  # fmt: skip
        for rollups in (True, False):
            clients = [
                create_app({"WAREHOUSE": t, "CACHE_MB": 0, "USE_ROLLUPS": rollups}).test_client()
                for t in (str(duck), url)
            ]
            print(f"\nrollups {'on' if rollups else 'off'}\n| query | DuckDB ms | PostgreSQL ms |")
            print("|---|---:|---:|")
            for query in QUERIES:
                if "/crosstab" in query:
                    d, p = (timed(c, query, args.repeat) for c in clients)
                    print(f"| `{query.split('/cube/')[1][:90]}` | {d:.1f} | {p:.1f} |")
    finally:
        if base is not None:
            pgserver.stop(base)


if __name__ == "__main__":
    main()
