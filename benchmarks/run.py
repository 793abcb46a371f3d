"""End-to-end benchmark on full-scale data: real HTTP against `lmi-cubes serve`, with the
same queries timed directly in DuckDB on the base fact tables in the same run.

    .venv/bin/python benchmarks/run.py [--data DIR] [--warehouse FILE] [--repeat N]

Generates and loads `full` data on first use (kept under benchmarks/data/, not committed),
then runs the fixed query mix below against three server configurations, one at a time:
base tables without cache, rollups without cache, rollups with cache. It writes a markdown
report to benchmarks/results/. Not part of the test suite: targets live here, not in tests.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import duckdb
from duckdb_engine import Dialect

from aggregates.engine import Engine
from aggregates.query import Query, Request
from cube_server.cli import load_warehouse
from etl.generate import generate
from etl.warehouse import open_read_only
from model.loader import load_model

HERE = Path(__file__).resolve().parent

# The fixed query mix: (class, cube, parameters). Crosstabs a dashboard or analyst asks for.
MIX: list[tuple[str, str, dict[str, str]]] = [
    (
        "pay",
        "ashe_pay",
        {"rows": "occupation:soc1", "columns": "region:nation", "measure": "mean_pay"},
    ),
    (
        "pay",
        "ashe_pay",
        {"rows": "occupation:soc2", "columns": "industry:sector6", "measure": "mean_pay"},
    ),
    ("pay", "ashe_pay", {"rows": "occupation:soc4", "columns": "gender", "measure": "median_pay"}),
    (
        "pay",
        "ashe_pay",
        {
            "rows": "occupation:soc4",
            "columns": "region",
            "measure": "employment",
            "cut": "status:1",
        },
    ),
    (
        "pay",
        "ashe_pay",
        {"rows": "industry:ind75", "columns": "qualification:broad3", "measure": "mean_pay"},
    ),
    (
        "pay",
        "ashe_pay",
        {
            "rows": "occupation:soc3",
            "columns": "region:nation",
            "measure": "pay_decile",
            "decile": "90",
            "cut": "gender:2",
        },
    ),
    (
        "pay",
        "ashe_pay",
        {
            "rows": "occupation:soc2",
            "columns": "region",
            "measure": "mean_pay_at_age",
            "age": "30",
            "cut": "industry:2,5",
        },
    ),
    (
        "hours",
        "ashe_hours",
        {"rows": "occupation:soc2", "columns": "status", "measure": "mean_hours"},
    ),
    (
        "hours",
        "ashe_hours",
        {"rows": "industry:ind22", "columns": "region", "measure": "mean_hours", "cut": "gender:1"},
    ),
    (
        "wf",
        "working_futures",
        {"rows": "occupation:soc2", "columns": "region:nation", "measure": "employment"},
    ),
    (
        "wf",
        "working_futures",
        {"rows": "occupation:soc4", "columns": "industry:sector6", "measure": "employment"},
    ),
    (
        "wf",
        "working_futures",
        {"rows": "occupation:soc1", "columns": "year", "measure": "employment"},
    ),
    (
        "wf",
        "working_futures",
        {
            "rows": "occupation:soc2",
            "columns": "gender",
            "measure": "total_requirement",
            "from": "2024",
            "to": "2035",
        },
    ),
    (
        "wf",
        "working_futures",
        {
            "rows": "industry:ind22",
            "columns": "qualification:broad3",
            "measure": "replacement_demand",
            "from": "2024",
            "to": "2030",
        },
    ),
]

WF_LEVELS = [
    "occupation:soc1", "occupation:soc2", "occupation:soc4", "industry:sector6", "industry:ind22",
    "industry:ind75", "region:nation", "region", "gender", "status", "qualification:broad3",
    "qualification", "year",
]  # fmt: skip


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def url_of(cube: str, params: dict[str, str]) -> str:
    return f"/cube/{cube}/crosstab?{urllib.parse.urlencode(params)}"


@contextlib.contextmanager
def server(warehouse: Path, rollups: bool, cache: bool) -> Iterator[tuple[int, int]]:
    port = free_port()
    env = {
        **os.environ,
        "LMI_CUBES_ROLLUPS": "1" if rollups else "0",
        "LMI_CUBES_CACHE_MB": "256" if cache else "0",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "cube_server.cli", "serve", "--warehouse", str(warehouse),
         "--port", str(port), "--workers", "2", "--threads", "4"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                status, _ = get(port, "/health")
                if status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        # open the warehouse in every worker before timing anything
        for _ in range(8):
            get(port, "/cubes")
        yield port, proc.pid
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=60)


_local = threading.local()


def get(port: int, path: str) -> tuple[int, bytes]:
    """One GET over a kept-alive connection per thread."""
    con = getattr(_local, "con", None)
    if con is None or getattr(_local, "port", None) != port:
        con = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        _local.con, _local.port = con, port
    try:
        con.request("GET", path)
        response = con.getresponse()
        return response.status, response.read()
    except (http.client.HTTPException, OSError):
        _local.con = None
        raise


def timed(port: int, path: str) -> float:
    started = time.perf_counter()
    status, body = get(port, path)
    elapsed = (time.perf_counter() - started) * 1000
    if status != 200:
        raise RuntimeError(f"{path} -> {status}: {body[:300]!r}")
    return elapsed


def peak_memory_mb(pid: int) -> float:
    """Peak resident memory (VmHWM) of the server's master and workers, summed."""
    total = 0
    pids = [pid] + [
        int(p)
        for p in subprocess.run(
            ["pgrep", "-P", str(pid)], capture_output=True, text=True
        ).stdout.split()
    ]
    for p in pids:
        with contextlib.suppress(FileNotFoundError):
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1])
    return total / 1024


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def query_of(engine: Engine, cube: str, params: dict[str, str]) -> Query:
    """The engine query a /crosstab request with these parameters makes."""
    number = lambda name: int(params[name]) if name in params else None  # noqa: E731
    return engine.query(
        Request(
            cube,
            axes=(params["rows"], *([params["columns"]] if "columns" in params else [])),
            measures=(params["measure"],), cut=params.get("cut"), age=number("age"),
            decile=number("decile"), year_from=number("from"), year_to=number("to"),
        )
    )  # fmt: skip


def raw_statements(engine: Engine, mix: list[tuple[str, str, dict[str, str]]]) -> dict[str, str]:
    """The engine's base-table GROUP BY for each query, as SQL text to run in DuckDB."""
    dialect = Dialect()
    out = {}
    for _, cube, params in mix:
        statement = engine.statement(query_of(engine, cube, params))
        sql = statement.compile(dialect=dialect, compile_kwargs={"literal_binds": True})
        out[url_of(cube, params)] = str(sql)
    return out


def time_raw(con: duckdb.DuckDBPyConnection, sql: str) -> float:
    started = time.perf_counter()
    con.execute(sql).fetchall()
    return (time.perf_counter() - started) * 1000


def throughput(port: int, paths: list[str], clients: int, seconds: float) -> tuple[float, int, int]:
    done = [0] * clients
    errors = [0] * clients
    stop = time.monotonic() + seconds

    def client(i: int) -> None:
        n = i
        while time.monotonic() < stop:
            try:
                status, _ = get(port, paths[n % len(paths)])
                if status == 200:
                    done[i] += 1
                else:
                    errors[i] += 1
            except OSError:
                errors[i] += 1
            n += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    return sum(done) / elapsed, sum(done), sum(errors)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=HERE / "data" / "full")
    parser.add_argument("--warehouse", type=Path, default=HERE / "data" / "full.duckdb")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument(
        "--out", type=Path, default=HERE / "results" / f"{datetime.now(UTC):%Y-%m-%d}.md"
    )
    args = parser.parse_args()
    notes = []
    if not (args.data / "wf_employment.csv").exists():
        started = time.monotonic()
        generate(args.data, "full", 1, progress=print)
        notes.append(f"generated full data in {time.monotonic() - started:.0f} s")
    if not args.warehouse.exists():
        started = time.monotonic()
        load_warehouse(args.data, args.warehouse, progress=print)
        notes.append(f"loaded full data (with rollups) in {time.monotonic() - started:.0f} s")

    model = load_model()
    base_engine = Engine(model, open_read_only(args.warehouse), use_rollups=False)
    rollup_engine = Engine(model, open_read_only(args.warehouse), use_rollups=True)
    urls = [url_of(cube, p) for _, cube, p in MIX]
    sql = raw_statements(base_engine, MIX)
    results: dict[str, dict[str, list[float]]] = {"base": {}, "rollup": {}, "cached": {}}
    raw_times: dict[str, list[float]] = {}
    memory = {}
    print("server: base tables, no cache; raw DuckDB interleaved ...")
    raw_con = duckdb.connect(str(args.warehouse), read_only=True)
    with server(args.warehouse, rollups=False, cache=False) as (port, pid):
        for url in urls:  # alternate the two so that both see the same machine state
            time_raw(raw_con, sql[url])
            timed(port, url)
            pairs = [(time_raw(raw_con, sql[url]), timed(port, url)) for _ in range(args.repeat)]
            raw_times[url] = [r for r, _ in pairs]
            results["base"][url] = [h for _, h in pairs]
        memory["base tables, no cache"] = peak_memory_mb(pid)
    raw_con.close()
    raw = {url: statistics.median(times) for url, times in raw_times.items()}
    print("server: rollups, no cache ...")
    wf_pairs = [
        (a, b)
        for i, a in enumerate(WF_LEVELS)
        for b in WF_LEVELS[i + 1 :]
        if a.split(":")[0] != b.split(":")[0]
    ]
    wf_times: list[float] = []
    with server(args.warehouse, rollups=True, cache=False) as (port, pid):
        for url in urls:
            results["rollup"][url] = [timed(port, url) for _ in range(args.repeat)]
        for rows, columns in wf_pairs:
            wf_times.append(
                timed(port, url_of("working_futures", {"rows": rows, "columns": columns}))
            )
        memory["rollups, no cache"] = peak_memory_mb(pid)
    print("server: rollups and cache ...")
    with server(args.warehouse, rollups=True, cache=True) as (port, pid):
        for url in urls:
            timed(port, url)  # fill the cache
            results["cached"][url] = [timed(port, url) for _ in range(max(args.repeat, 50))]
        rps, served, errors = throughput(port, urls, clients=8, seconds=args.seconds)
        memory["rollups and cache, after the load test"] = peak_memory_mb(pid)

    tables = {
        url: rollup_engine.source_for(query_of(rollup_engine, cube, p)).table
        for (_, cube, p), url in zip(MIX, urls, strict=True)
    }

    lines = [
        f"# Benchmark {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"Machine: {os.cpu_count()} cores ({platform.processor() or platform.machine()}), "
        f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GB RAM, "
        f"{platform.platform()}; Python {platform.python_version()}, DuckDB {duckdb.__version__}.",
        "Server: `lmi-cubes serve --workers 2 --threads 4` (gunicorn gthread) on loopback; client: "
        "Python http.client with keep-alive, on the same machine.",
        f"Data: `full` scale, seed 1 ({', '.join(f'{k} {v:,} rows' for k, v in base_engine_rows(base_engine).items())}).",
        *(f"Setup: {n}." for n in notes),
        f"Each figure is the median of {args.repeat} requests unless stated; raw DuckDB runs alternate with the base-table requests, on a read-only connection in the client process.",
        "",
        "## Per query (ms)",
        "",
        "| query | raw DuckDB GROUP BY | HTTP, base table, uncached | ratio to raw | HTTP, rollup, uncached | table used | speed-up vs base | HTTP, cached |",
        "|---|---:|---:|---:|---:|---|---:|---:|",
    ]
    ratios, speedups = [], []
    for url in urls:
        b = statistics.median(results["base"][url])
        r = statistics.median(results["rollup"][url])
        c = statistics.median(results["cached"][url])
        ratios.append(b / raw[url])
        speedups.append(b / r)
        lines.append(
            f"| `{url}` | {raw[url]:.1f} | {b:.1f} | {b / raw[url]:.2f} | {r:.1f} | {tables[url]} | {b / r:.1f}x | {c:.2f} |"
        )
    cached_all = [t for ts in results["cached"].values() for t in ts]
    lines += [
        "",
        "## Against the targets",
        "",
        "| target | measured | met |",
        "|---|---|---|",
        f"| uncached base-table cross-tab over HTTP, p50 <= 1.25x raw DuckDB | median ratio {statistics.median(ratios):.2f} (per query {min(ratios):.2f}..{max(ratios):.2f}) | {'yes' if statistics.median(ratios) <= 1.25 else 'no'} |",
        f"| with rollups, p50 >= 10x faster than the base table | median speed-up {statistics.median(speedups):.1f}x (per query {min(speedups):.1f}..{max(speedups):.1f}x) | {'yes' if statistics.median(speedups) >= 10 else 'no'} |",
        f"| repeated identical request, p50 <= 3 ms | p50 {pct(cached_all, 0.5):.2f} ms, p95 {pct(cached_all, 0.95):.2f} ms | {'yes' if pct(cached_all, 0.5) <= 3 else 'no'} |",
        f"| mixed warm workload, 8 clients, >= 400 req/s, no errors | {rps:.0f} req/s over {args.seconds:.0f} s, {served:,} requests, {errors} errors | {'yes' if rps >= 400 and errors == 0 else 'no'} |",
        f"| any 2-D WF cross-tab (uncached, {len(wf_times)} level pairs), p95 <= 150 ms | p50 {pct(wf_times, 0.5):.0f} ms, p95 {pct(wf_times, 0.95):.0f} ms, max {max(wf_times):.0f} ms | {'yes' if pct(wf_times, 0.95) <= 150 else 'no'} |",
        "",
        "## Server peak memory (VmHWM, master + workers)",
        "",
        *(f"- {k}: {v:,.0f} MB" for k, v in memory.items()),
        "",
    ]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines))
    print("\n".join(lines))
    print(json.dumps({"written": str(args.out)}))


def base_engine_rows(engine: Engine) -> dict[str, int]:
    return {sources[0].table: sources[0].rows for sources in engine.sources.values()}


if __name__ == "__main__":
    main()
