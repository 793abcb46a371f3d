"""End-to-end benchmark on full-scale data: real HTTP against `lmi-cubes serve`, with the
same queries timed directly in DuckDB on the base fact tables in the same run.

    .venv/bin/python benchmarks/run.py [--data DIR] [--warehouse FILE] [--repeat N] [--no-cube]
                                       [--scale-run]

Generates and loads `full` data on first use (kept under benchmarks/data/, not committed),
then runs the fixed query mix below against three server configurations, one at a time:
base tables without cache, rollups without cache, rollups with cache; then the diverse
concurrent load of benchmarks/diverse.py (eight clients, eight shapes, random extra cuts) on
the default, cache-off and rollups-off servers side by side, with --protection to declare a
reliability policy in every cube. Cube runs as a peer
(benchmarks/cube_peer.py) in the base-table rounds when it is installed: its answers are
checked against the engine's GROUP BY and timed in the same interleaved rounds as raw DuckDB
and our server; without Cube the column is skipped with a printed note. The 10x scale row
comes from the last benchmarks/scale.py run (benchmarks/results/scale-latest.json), or from a
new one with --scale-run (an hour or more). It writes a markdown report to
benchmarks/results/. Not part of the test suite: targets live here, not in tests.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import math
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
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
from duckdb_engine import Dialect

from lmi_cubes.aggregates.engine import Engine
from lmi_cubes.aggregates.query import Query, Request
from lmi_cubes.cli import load_warehouse
from lmi_cubes.etl.generate import generate
from lmi_cubes.model.loader import load_model
from lmi_cubes.warehouse.files import open_read_only

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:  # run as a script: benchmarks/ is not an installed package
    sys.path.insert(0, str(HERE.parent))

from benchmarks import cube_peer, diverse  # noqa: E402

SCALE_SUMMARY = HERE / "results" / "scale-latest.json"

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


@dataclass
class CubeRun:
    """What the run measured of Cube (benchmarks/cube_peer.py), by query URL."""

    groups: dict[str, int] = field(default_factory=dict)
    problems: dict[str, str | None] = field(default_factory=dict)
    uncached: dict[str, list[float]] = field(default_factory=dict)
    repeated: dict[str, list[float]] = field(default_factory=dict)
    throughput: tuple[float, int, int] | None = None
    cached_throughput: tuple[float, int, int] | None = None
    peak_mb: float | None = None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def url_of(cube: str, params: dict[str, str]) -> str:
    return f"/cube/{cube}/crosstab?{urllib.parse.urlencode(params)}"


@contextlib.contextmanager
def server(
    warehouse: Path,
    rollups: bool | None = None,
    cache: bool | None = None,
    env: dict[str, str] | None = None,
    workers: int = 2,
    code: Path | None = None,
) -> Iterator[tuple[int, int]]:
    """`lmi-cubes serve` on a free port: (port, master pid). `rollups` and `cache` None leave
    the server's defaults (cache True: 256 MB); `env` adds settings; `code` is a checkout to
    run instead of this one (`python -m` puts the working directory first on the path)."""
    port = free_port()
    settings = {**os.environ, **(env or {})}
    if rollups is not None:
        settings["LMI_CUBES_ROLLUPS"] = "1" if rollups else "0"
    if cache is not None:
        settings["LMI_CUBES_CACHE_MB"] = "256" if cache else "0"
    if code is not None:
        settings["PYTHONPATH"] = str(code)
    proc = subprocess.Popen(
        [sys.executable, "-m", "lmi_cubes.cli", "serve", "--warehouse", str(warehouse.resolve()),
         "--port", str(port), "--workers", str(workers), "--threads", "4"],
        env=settings, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True, cwd=code,
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
        hang_up(port)
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=60)


_local = threading.local()


def hang_up(port: int) -> None:
    """Close this thread's kept-alive connection to `port`: an open one holds a server's
    graceful stop until its timeout."""
    connection = getattr(_local, "cons", {}).pop(port, None)
    if connection is not None:
        connection.close()


def get(port: int, path: str) -> tuple[int, bytes]:
    """One GET over a kept-alive connection per thread and server (reopened once if the
    server closed it while idle, e.g. while Cube was starting): requests alternating between
    two servers each reuse their own connection, not a new one per request."""
    if not hasattr(_local, "cons"):
        _local.cons = {}
    cons: dict[int, http.client.HTTPConnection] = _local.cons
    for attempt in (1, 2):
        con = cons.get(port)
        if con is None:
            con = cons[port] = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        try:
            con.request("GET", path)
            response = con.getresponse()
            return response.status, response.read()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            cons.pop(port, None)
            if attempt == 2:
                raise
        except (http.client.HTTPException, OSError):
            cons.pop(port, None)
            raise
    raise AssertionError("unreachable")


def timed(port: int, path: str) -> float:
    started = time.perf_counter()
    status, body = get(port, path)
    elapsed = (time.perf_counter() - started) * 1000
    if status != 200:
        raise RuntimeError(f"{path} -> {status}: {body[:300]!r}")
    return elapsed


def children(pid: int) -> list[int]:
    """The server master's processes (its workers)."""
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
    return [int(p) for p in found.stdout.split()]


def peak_memory_mb(pid: int) -> float:
    """Peak resident memory (VmHWM) of the server's master and workers, summed."""
    total = 0
    for p in [pid, *children(pid)]:
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
    parser.add_argument("--no-cube", action="store_true", help="leave the Cube column out")
    parser.add_argument(
        "--scale-run",
        action="store_true",
        help="run benchmarks/scale.py first (10x full; an hour or more) for the scale row",
    )
    parser.add_argument(
        "--diverse-seconds", type=float, default=20.0, help="each window of the diverse load"
    )
    parser.add_argument(
        "--protection",
        choices=["none", "table"],
        help="the reliability policy every cube declares (a model copy) for the diverse load",
    )
    parser.add_argument(
        "--before",
        type=Path,
        help="a checkout of earlier code: its default server joins the diverse load (A/B)",
    )
    parser.add_argument(
        "--out", type=Path, default=HERE / "results" / f"{datetime.now(UTC):%Y-%m-%d}.md"
    )
    args = parser.parse_args()
    notes = []
    if args.scale_run:
        subprocess.run([sys.executable, str(HERE / "scale.py")], check=True)
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
    peer = cube_peer.Peer(args.warehouse, MIX, HERE / "data" / "logs")
    if args.no_cube:
        peer.mode, peer.note = "skip", "Cube column skipped: --no-cube"
    print(f"Cube: [{peer.mode}] {peer.note}")
    cube_run = CubeRun()
    print("server: base tables, no cache; raw DuckDB (and Cube) interleaved ...")
    raw_con = duckdb.connect(str(args.warehouse), read_only=True)
    with (
        server(args.warehouse, rollups=False, cache=False) as (port, pid),
        peer.running(free_port()),
    ):
        if peer.mode != "skip":
            for i, ((_, cube_name, _p), url) in enumerate(zip(MIX, urls, strict=True)):
                cursor = raw_con.execute(sql[url])
                names, found = [d[0] for d in cursor.description or []], cursor.fetchall()
                answer = peer.rows(i, raw_con)
                cube_run.groups[url] = len(answer)
                cube_run.problems[url] = cube_peer.compare(
                    cube_name, peer.queries[i], answer, names, found
                )
        for i, url in enumerate(urls):  # warm up all
            time_raw(raw_con, sql[url])
            timed(port, url)
            if peer.mode != "skip":
                peer.time_uncached(i, raw_con)
        for _ in range(args.repeat):  # interleaved rounds: raw, served and Cube alternating
            for i, url in enumerate(urls):
                raw_times.setdefault(url, []).append(time_raw(raw_con, sql[url]))
                results["base"].setdefault(url, []).append(timed(port, url))
                if peer.mode != "skip":
                    cube_run.uncached.setdefault(url, []).append(peer.time_uncached(i, raw_con))
        print("8 clients, distinct uncached queries (base tables) ...")
        rps_base, served_base, errors_base = throughput(port, urls, clients=8, seconds=args.seconds)
        memory["base tables, no cache, after 8 clients"] = peak_memory_mb(pid)
        if peer.mode == "server":
            print("Cube: 8 clients, distinct uncached queries; repeated requests ...")
            cube_run.throughput = peer.throughput(clients=8, seconds=args.seconds, renew=True)
            cube_run.peak_mb = peer.peak_rss_mb()
            for i, url in enumerate(urls):
                peer.time_repeated(i)  # into Cube's result cache
                cube_run.repeated[url] = [
                    peer.time_repeated(i) for _ in range(max(args.repeat, 50))
                ]
            cube_run.cached_throughput = peer.throughput(
                clients=8, seconds=args.seconds, renew=False
            )
            cube_run.peak_mb = peer.peak_rss_mb()
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
    load_before = os.getloadavg()
    first: dict[str, float] = {}
    with server(args.warehouse, rollups=True, cache=False, workers=1) as (port, pid):
        for url in urls:  # the first request of each shape: the SQL on its rollup
            first[url] = timed(port, url)
        for _ in range(args.repeat):  # interleaved rounds: every query sees the same load
            for url in urls:
                results["rollup"].setdefault(url, []).append(timed(port, url))
        for rows, columns in wf_pairs:
            wf_times.append(
                timed(port, url_of("working_futures", {"rows": rows, "columns": columns}))
            )
        memory["rollups, no cache, after the query mix and the WF level pairs"] = peak_memory_mb(
            pid
        )
    print("8 clients, distinct uncached queries (rollups), on a fresh server ...")
    with server(args.warehouse, rollups=True, cache=False) as (port, pid):
        rps_uncached, served_uncached, errors_uncached = throughput(
            port, urls, clients=8, seconds=args.seconds
        )
        memory["rollups, no cache, after 8 clients of distinct uncached queries"] = peak_memory_mb(
            pid
        )
    print("server: rollups and cache ...")
    with server(args.warehouse, rollups=True, cache=True) as (port, pid):
        for url in urls:
            timed(port, url)  # fill the cache
            results["cached"][url] = [timed(port, url) for _ in range(max(args.repeat, 50))]
        floor = [timed(port, diverse.FLOOR) for _ in range(max(args.repeat, 50))]
        rps, served, errors = throughput(port, urls, clients=8, seconds=args.seconds)
        memory["rollups and cache, after the load test"] = peak_memory_mb(pid)

    print("diverse load ...")
    diverse_lines = diverse.measure(
        args.warehouse,
        seconds=args.diverse_seconds,
        protection=args.protection,
        before=args.before,
    )
    load_after = os.getloadavg()
    tables, cells = {}, {}
    for (_, cube, p), url in zip(MIX, urls, strict=True):
        q = query_of(rollup_engine, cube, p)
        tables[url] = rollup_engine.table_for(q)
        cells[url] = math.prod(len(a.keys) + 1 for a in q.axes)

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
        f"Each figure is the median of {args.repeat} interleaved rounds unless stated (every query once per round); raw DuckDB runs alternate with the base-table requests, on a read-only connection in the client process.",
        f"Load average (1, 5, 15 min) before the rollup runs {load_before[0]:.1f}, {load_before[1]:.1f}, {load_before[2]:.1f}; at the end {load_after[0]:.1f}, {load_after[1]:.1f}, {load_after[2]:.1f} (other jobs share the 2 cores).",
        "Times are HTTP round trips measured by the client (they include the client and the HTTP stack, so they are an upper bound on server time).",
        "Uncached means the response cache is off (`LMI_CUBES_CACHE_MB=0`): every request is computed. Rollup answers are summed from per-process projections of the rollups (aggregates/resident.py) once a shape's columns have been asked for before (the first request of each shape is answered by the SQL on its rollup; its time is the last column), or by that SQL when the projection would be too large to keep; the rounds run after the first request, on one worker over one kept-alive connection.",
        "",
        "## Per query (ms)",
        "",
        "| query | cells | raw DuckDB GROUP BY | HTTP, base table, uncached | ratio to raw | HTTP, rollup, uncached | rollup target | table used | speed-up vs base | HTTP, cached | HTTP, rollup, first request |",
        "|---|---:|---:|---:|---:|---:|---|---|---:|---:|---:|",
    ]
    ratios, speedups, ashe_speedups, rollup_misses = [], [], [], []
    for (_, cube, _p), url in zip(MIX, urls, strict=True):
        b = statistics.median(results["base"][url])
        r = statistics.median(results["rollup"][url])
        c = statistics.median(results["cached"][url])
        ratios.append(b / raw[url])
        speedups.append(b / r)
        if cube.startswith("ashe"):
            ashe_speedups.append(b / r)
        limit = 3.0 if cells[url] <= 1000 else 8.0 if cells[url] <= 5000 else math.inf
        met = r <= limit
        if not met:
            rollup_misses.append(url)
        lines.append(
            f"| `{url}` | {cells[url]:,} | {raw[url]:.1f} | {b:.1f} | {b / raw[url]:.2f} | {r:.1f} | <= {limit:.0f} ms: {'yes' if met else 'no'} | {tables[url]} | {b / r:.1f}x | {c:.2f} | {first[url]:.1f} |"
        )
    cached_all = [t for ts in results["cached"].values() for t in ts]
    small = [statistics.median(results["rollup"][u]) for u in urls if cells[u] <= 1000]
    large = [statistics.median(results["rollup"][u]) for u in urls if 1000 < cells[u] <= 5000]
    peak = memory["rollups, no cache, after 8 clients of distinct uncached queries"]
    lines += [
        "",
        "## Against the targets",
        "",
        "| target | measured | met |",
        "|---|---|---|",
        f"| rollup answer, tables up to 1,000 cells, p50 <= 3 ms | per-query medians {min(small):.1f}..{max(small):.1f} ms ({sum(t <= 3 for t in small)} of {len(small)} within) | {'yes' if all(t <= 3 for t in small) else 'no'} |",
        f"| rollup answer, 1,000-5,000 cells, p50 <= 8 ms | per-query medians {', '.join(f'{t:.1f}' for t in large)} ms | {'yes' if all(t <= 8 for t in large) else 'no'} |",
        f"| rollups >= 10x the base-table time on ASHE | median {statistics.median(ashe_speedups):.1f}x (per query {min(ashe_speedups):.1f}..{max(ashe_speedups):.1f}x; all cubes median {statistics.median(speedups):.1f}x) | {'yes' if min(ashe_speedups) >= 10 else 'no'} |",
        f"| base table, uncached, <= 1.15x raw DuckDB (median over the mix's queries) | median ratio {statistics.median(ratios):.2f}, per query {min(ratios):.2f}..{max(ratios):.2f} ({sum(x > 1.15 for x in ratios)} over 1.15) | {'yes' if statistics.median(ratios) <= 1.15 else 'no'} |",
        f"| (not a target) rollup answer, first request of its shape on a fresh server (the SQL on the rollup) | per-query {min(first.values()):.1f}..{max(first.values()):.1f} ms, median {statistics.median(first.values()):.1f} ms | - |",
        f"| repeated request, p50 <= 1 ms | p50 {pct(cached_all, 0.5):.2f} ms, p95 {pct(cached_all, 0.95):.2f} ms (the floor, `{diverse.FLOOR}` on the same server: p50 {pct(floor, 0.5):.2f} ms) | {'yes' if pct(cached_all, 0.5) <= 1 else 'no'} |",
        f"| 8 clients, distinct uncached queries of the mix, >= 400 req/s, 0 errors | rollups: {rps_uncached:.0f} req/s ({served_uncached:,} requests over {args.seconds:.0f} s, {errors_uncached} errors); base tables: {rps_base:.0f} req/s ({served_base:,}, {errors_base} errors) | {'yes' if rps_uncached >= 400 and errors_uncached == 0 else 'no'} |",
        f"| peak memory of the whole server under that load <= 480 MB (2 workers) | {peak:,.0f} MB (rollups); {memory['base tables, no cache, after 8 clients']:,.0f} MB (base tables) | {'yes' if peak <= 480 else 'no'} |",
        f"| (earlier) any 2-D WF cross-tab, uncached, {len(wf_times)} level pairs, p95 <= 150 ms | p50 {pct(wf_times, 0.5):.0f} ms, p95 {pct(wf_times, 0.95):.0f} ms, max {max(wf_times):.0f} ms | {'yes' if pct(wf_times, 0.95) <= 150 else 'no'} |",
        f"| (earlier) mixed warm workload (cached), 8 clients, >= 400 req/s | {rps:.0f} req/s, {served:,} requests, {errors} errors | {'yes' if rps >= 400 and errors == 0 else 'no'} |",
        *cube_target_rows(peer, cube_run, urls, raw, results),
        *scale_rows(),
        "",
        "## Server peak memory (VmHWM, master + workers)",
        "",
        *(f"- {k}: {v:,.0f} MB" for k, v in memory.items()),
        "",
    ]
    lines += diverse_lines
    lines += cube_section(peer, cube_run, MIX, urls, raw, results, cells)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines))
    print("\n".join(lines))
    print(json.dumps({"written": str(args.out)}))


def cube_target_rows(
    peer: cube_peer.Peer,
    cube: CubeRun,
    urls: list[str],
    raw: dict[str, float],
    results: dict[str, dict[str, list[float]]],
) -> list[str]:
    if peer.mode == "skip":
        return [f"| Cube as a peer | not run: {peer.note} | - |"]
    same = sum(cube.problems[u] is None for u in urls)
    ratios_raw = [statistics.median(cube.uncached[u]) / raw[u] for u in urls]
    ratios_ours = [
        statistics.median(cube.uncached[u]) / statistics.median(results["base"][u]) for u in urls
    ]
    ratios_rollup = [
        statistics.median(cube.uncached[u]) / statistics.median(results["rollup"][u]) for u in urls
    ]
    what = "Cube uncached (REST, renewQuery)" if peer.mode == "server" else "Cube's SQL in DuckDB"
    rows = [
        f"| Cube {peer.version} as a peer: same groups and sums as ours | {same} of {len(urls)} queries | {'yes' if same == len(urls) else 'no'} |",
        f"| Cube as a peer: {what} / raw DuckDB | median {statistics.median(ratios_raw):.2f} ({min(ratios_raw):.2f}..{max(ratios_raw):.2f}) | - |",
        f"| Cube as a peer: {what} / ours, base table, uncached | median {statistics.median(ratios_ours):.2f} ({min(ratios_ours):.2f}..{max(ratios_ours):.2f}) | - |",
        f"| Cube as a peer: {what} / ours, rollups, uncached | median {statistics.median(ratios_rollup):.1f} ({min(ratios_rollup):.1f}..{max(ratios_rollup):.1f}) | - |",
    ]
    if peer.mode == "server" and cube.throughput and cube.cached_throughput:
        repeated = [t for ts in cube.repeated.values() for t in ts]
        rows += [
            f"| Cube as a peer: repeated request | p50 {pct(repeated, 0.5):.2f} ms, p95 {pct(repeated, 0.95):.2f} ms | - |",
            f"| Cube as a peer: 8 clients, distinct uncached queries | {cube.throughput[0]:.0f} req/s ({cube.throughput[1]:,} requests, {cube.throughput[2]} errors); cached: {cube.cached_throughput[0]:.0f} req/s | - |",
            f"| Cube as a peer: peak memory (node process tree) | {cube.peak_mb:,.0f} MB | - |",
        ]
    else:
        rows.append(
            "| Cube as a peer: repeated requests, 8 clients, peak memory | not measured: the Cube server did not run (see the Cube section) | - |"
        )
    return rows


def cube_section(
    peer: cube_peer.Peer,
    cube: CubeRun,
    mix: list[tuple[str, str, dict[str, str]]],
    urls: list[str],
    raw: dict[str, float],
    results: dict[str, dict[str, list[float]]],
    cells: dict[str, int],
) -> list[str]:
    lines = ["## Cube as a peer", "", f"Mode `{peer.mode}`: {peer.note}.", ""]
    if peer.mode == "skip":
        return lines
    server_mode = peer.mode == "server"
    lines += [
        "Cube's data model: benchmarks/cube/model/*.js; its query per row is in benchmarks/cube_peer.py "
        '(`cube_query`): the same sums grouped by the same levels, the same cuts. "same" means '
        "Cube's groups and sums equal those of our engine's base-table GROUP BY exactly (as "
        "decimals). Medians of the same interleaved rounds as the table above.",
        "",
        "| query | groups | same | raw DuckDB ms | ours, base, uncached ms | ours, rollup, uncached ms | "
        + ("Cube uncached ms | Cube repeated ms" if server_mode else "Cube's SQL in DuckDB ms")
        + " | Cube / raw | Cube / ours base | Cube / ours rollup |",
        "|---|---:|---|---:|---:|---:|"
        + ("---:|---:|" if server_mode else "---:|")
        + "---:|---:|---:|",
    ]
    for (_, _cube, _p), url in zip(mix, urls, strict=True):
        c = statistics.median(cube.uncached[url])
        b = statistics.median(results["base"][url])
        r = statistics.median(results["rollup"][url])
        problem = cube.problems[url]
        repeated = f" {statistics.median(cube.repeated[url]):.2f} |" if server_mode else ""
        lines.append(
            f"| `{url}` | {cube.groups[url]:,} | {'yes' if problem is None else 'no: ' + problem} | "
            f"{raw[url]:.1f} | {b:.1f} | {r:.1f} | {c:.1f} |{repeated} {c / raw[url]:.2f} | "
            f"{c / b:.2f} | {c / r:.1f} |"
        )
    if server_mode:
        lines += [
            "",
            f"Cube setup: copy of the warehouse tables written in {peer.copy_s:.0f} s "
            "(0 when current); server log benchmarks/data/logs/cube-server.log.",
        ]
    lines.append("")
    return lines


def scale_rows() -> list[str]:
    """The scale run's rows, from the last benchmarks/scale.py run."""
    if not SCALE_SUMMARY.exists():
        return [
            "| 10x `full` Working Futures scale run | not run: no benchmarks/results/scale-latest.json (run benchmarks/scale.py, or this with --scale-run) | - |"
        ]
    summary = json.loads(SCALE_SUMMARY.read_text())
    return [
        f"| {row['target']} | {row['measured']} (benchmarks/scale.py, {summary['when']}) | {row['met']} |"
        for row in summary["rows"]
    ]


def base_engine_rows(engine: Engine) -> dict[str, int]:
    return {sources[0].table: sources[0].rows for sources in engine.sources.values()}


if __name__ == "__main__":
    main()
