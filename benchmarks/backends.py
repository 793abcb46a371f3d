"""Cross-tab times on DuckDB, PostgreSQL and Spark, measured in the same run on the same data.

    python benchmarks/backends.py --scale small [--postgres postgresql://...] [--spark hive://...]

Without --postgres or --spark a throwaway server is started (tests/pgserver.py,
tests/sparkserver.py: local[2], 768 MB driver; its start-up time is reported). Each query is timed
through the real app with the result cache off (median of --repeat runs, after one warm-up),
so the times include the engine's Python work, not only SQL.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

import pgserver  # noqa: E402
import sparkserver  # noqa: E402
from test_backends import QUERIES  # noqa: E402

from lmi_cubes.cli import load_warehouse  # noqa: E402
from lmi_cubes.cube_server.app import create_app  # noqa: E402
from lmi_cubes.etl.generate import generate  # noqa: E402


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
    parser.add_argument("--spark", default=None)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="lmi-bench-"))
    bases: list[tuple[object, Path]] = []
    url, spark = args.postgres, args.spark
    try:
        if url is None:
            url, base = pgserver.start()
            bases.append((pgserver, base))
        if spark is None:
            started = time.perf_counter()
            spark, base = sparkserver.start()
            bases.append((sparkserver, base))
            print(f"Spark Thrift server listening after {time.perf_counter() - started:.1f} s")
        data = work / "data"
        generate(data, args.scale, 1)
        duck = work / "w.duckdb"
        loads = []
        for target in (str(duck), url, spark):  # the same build; published with COPY / CTAS
            started = time.perf_counter()
            load_warehouse(data, target)
            loads.append(time.perf_counter() - started)
        print(f"scale {args.scale}: load into DuckDB {loads[0]:.1f} s; load + publish into "
              f"PostgreSQL {loads[1]:.1f} s, into Spark {loads[2]:.1f} s")  # fmt: skip
        for rollups in (True, False):
            clients = [
                create_app({"WAREHOUSE": t, "CACHE_MB": 0, "USE_ROLLUPS": rollups}).test_client()
                for t in (str(duck), url, spark)
            ]
            print(f"\nrollups {'on' if rollups else 'off'}")
            print("| query | DuckDB ms | PostgreSQL ms | Spark ms |\n|---|---:|---:|---:|")
            for query in QUERIES:
                if "/crosstab" in query:
                    d, p, s = (timed(c, query, args.repeat) for c in clients)
                    print(f"| `{query.split('/cube/')[1][:90]}` | {d:.1f} | {p:.1f} | {s:.1f} |")
    finally:
        for module, base in bases:
            module.stop(base)  # type: ignore[attr-defined]
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
