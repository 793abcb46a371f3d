"""Scale run: Working Futures at N times the `full` scale (10x is about 354M rows), against
`full`, in one reproducible run. Not part of the tests or CI: it writes tens of GB and takes
an hour or more on a 2-core machine.

    .venv/bin/python benchmarks/scale.py [--multipliers 1,10] [--phase build|measure|all]

For each multiplier N it generates `full` data with `generate --wf-multiplier N` (the same
ASHE files, N times the Working Futures cells per year) and loads it with `lmi-cubes load
--memory-limit` (both as child processes, timed, with their peak RSS from wait4 and the
disk they use sampled every half second); the numbers go to benchmarks/data/scale-builds.json
so the build and measure phases can run separately. The measure phase serves every
warehouse at once (`serve --workers 2 --threads 4`, no result cache) and, in interleaved
rounds so that every scale sees the same machine load:

(a) every 2-D Working Futures cross-tab (70 level pairs) with rollups, over HTTP: p50/p95
    of those a rollup answers (target: p95 <= 50 ms at every scale);
(b) a few cross-tabs on the base fact table (rollups off) over HTTP, and the same GROUP BY
    in DuckDB: medians per scale, and the time ratio against the row ratio (target: no worse
    than linear);
(c) the peak memory of each server (VmHWM, master + workers).

It writes a markdown report to benchmarks/results/.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:  # run as a script: benchmarks/ is not an installed package
    sys.path.insert(0, str(ROOT))

from benchmarks.run import (  # noqa: E402
    WF_LEVELS,
    get,
    pct,
    peak_memory_mb,
    raw_statements,
    server,
    time_raw,
    timed,
    url_of,
)
from lmi_cubes.aggregates.engine import Engine  # noqa: E402
from lmi_cubes.model.loader import load_model  # noqa: E402
from lmi_cubes.settings import Settings  # noqa: E402
from lmi_cubes.warehouse.files import open_read_only  # noqa: E402

DEFAULT_MEMORY_LIMIT = Settings().duckdb_memory

DATA = HERE / "data"
BUILDS = DATA / "scale-builds.json"

# Base-table cross-tabs timed at every scale (rollups off): one year, one year at the finest
# occupation level, every year, and a period measure.
BASE_MIX: list[tuple[str, str, dict[str, str]]] = [
    ("wf", "working_futures",
     {"rows": "occupation:soc2", "columns": "region:nation", "measure": "employment"}),
    ("wf", "working_futures",
     {"rows": "occupation:soc4", "columns": "industry:sector6", "measure": "employment"}),
    ("wf", "working_futures",
     {"rows": "occupation:soc1", "columns": "year", "measure": "employment"}),
    ("wf", "working_futures",
     {"rows": "occupation:soc2", "columns": "gender", "measure": "total_requirement",
      "from": "2024", "to": "2035"}),
]  # fmt: skip


@dataclass
class Build:
    multiplier: float
    wf_rows: int
    generate_s: float
    generate_peak_rss_mb: float
    csv_gb: float
    load_s: float
    load_peak_rss_mb: float
    load_peak_disk_gb: float  # data dir + warehouse and its sidecars (scratch, temp) at peak
    warehouse_gb: float
    memory_limit: str
    load_average_after: tuple[float, float, float]


def data_dir(multiplier: float) -> Path:
    return DATA / f"scale-x{multiplier:g}"


def warehouse_of(multiplier: float) -> Path:
    return DATA / f"scale-x{multiplier:g}.duckdb"


def tree_bytes(paths: list[Path]) -> int:
    total = 0
    for path in paths:
        if path.is_file():
            with contextlib.suppress(FileNotFoundError):
                total += path.stat().st_size
        elif path.is_dir():
            for f in path.rglob("*"):
                with contextlib.suppress(FileNotFoundError):
                    if f.is_file():
                        total += f.stat().st_size
    return total


def run_child(
    command: list[str], watch: Callable[[], list[Path]] = list
) -> tuple[float, float, int]:
    """Run a child to the end: wall seconds, its peak RSS in MB (wait4) and the peak bytes
    of the paths `watch()` names (sampled every 0.5 s)."""
    peak_disk = 0
    started = time.monotonic()
    proc = subprocess.Popen(command)
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak_disk
        while not stop.wait(0.5):
            peak_disk = max(peak_disk, tree_bytes(watch()))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    stop.set()
    sampler.join()
    if proc.returncode != 0:
        raise RuntimeError(f"{command} exited with {proc.returncode}")
    return time.monotonic() - started, usage.ru_maxrss / 1024, peak_disk


def warehouse_sidecars(warehouse: Path) -> list[Path]:
    return [p for p in warehouse.parent.glob(f"{warehouse.name}*")]


def build(multiplier: float, memory_limit: str) -> Build:
    out, target = data_dir(multiplier), warehouse_of(multiplier)
    cli = [sys.executable, "-m", "lmi_cubes.cli"]
    print(f"generating full x{multiplier:g} into {out} ...", flush=True)
    gen_s, gen_rss, _ = run_child(
        [*cli, "generate", str(out), "--scale", "full", "--seed", "1",
         "--wf-multiplier", f"{multiplier:g}"]
    )  # fmt: skip
    csv_bytes = tree_bytes([out])
    print(f"loading {out} into {target} (memory limit {memory_limit}) ...", flush=True)
    load_s, load_rss, peak_disk = run_child(
        [*cli, "load", str(out), "--warehouse", str(target), "--memory-limit", memory_limit],
        watch=lambda: [out, *warehouse_sidecars(target)],  # scratch files come and go
    )
    with duckdb.connect(str(target), read_only=True) as con:
        row = con.execute("SELECT count(*) FROM fact_wf_employment").fetchone()
        rows = int(row[0]) if row else 0
    result = Build(
        multiplier=multiplier,
        wf_rows=rows,
        generate_s=gen_s,
        generate_peak_rss_mb=gen_rss,
        csv_gb=csv_bytes / 1e9,
        load_s=load_s,
        load_peak_rss_mb=load_rss,
        load_peak_disk_gb=peak_disk / 1e9,
        warehouse_gb=target.stat().st_size / 1e9,
        memory_limit=memory_limit,
        load_average_after=os.getloadavg(),
    )
    builds = read_builds()
    builds[f"{multiplier:g}"] = asdict(result)
    BUILDS.write_text(json.dumps(builds, indent=2))
    print(json.dumps(asdict(result)), flush=True)
    return result


def read_builds() -> dict[str, dict[str, Any]]:
    return json.loads(BUILDS.read_text()) if BUILDS.exists() else {}


LOAD_RSS_LIMIT_GB = 6.0  # stated before the run: DuckDB's memory_limit (4 GB) + 2 GB of Python
GENERATE_RSS_LIMIT_GB = 4.0
ROLLUP_P95_MS = 50.0


def wf_pairs() -> list[tuple[str, str]]:
    return [
        (a, b)
        for i, a in enumerate(WF_LEVELS)
        for b in WF_LEVELS[i + 1 :]
        if a.split(":")[0] != b.split(":")[0]
    ]


def answer_table(port: int, path: str) -> str:
    status, body = get(port, path)
    if status != 200:
        raise RuntimeError(f"{path} -> {status}: {body[:300]!r}")
    return str(json.loads(body)["table"])


def measure(multipliers: list[float], rounds: int, out: Path) -> None:
    builds = read_builds()
    for m in multipliers:
        if not warehouse_of(m).exists() or f"{m:g}" not in builds:
            raise SystemExit(f"x{m:g} is not built: run with --phase build first")
    pairs = [url_of("working_futures", {"rows": a, "columns": b}) for a, b in wf_pairs()]
    load_before = os.getloadavg()
    memory: dict[str, float] = {}
    # (a) rollups: every level pair at every scale, interleaved; pairs a base table answers
    # are timed once (they are not what the target is about)
    rollup_ms: dict[float, dict[str, list[float]]] = {m: {} for m in multipliers}
    tables: dict[float, dict[str, str]] = {m: {} for m in multipliers}
    with contextlib.ExitStack() as stack:
        ports = {}
        for m in multipliers:
            print(f"server x{m:g}: rollups, no cache ...", flush=True)
            ports[m] = stack.enter_context(server(warehouse_of(m), rollups=True, cache=False))
        for m in multipliers:  # which table answers each pair (and warm-up)
            for path in pairs:
                tables[m][path] = answer_table(ports[m][0], path)
        for r in range(rounds):
            print(f"  round {r + 1} of {rounds}", flush=True)
            for path in pairs:
                for m in multipliers:
                    if r == 0 or tables[m][path].startswith("rollup_"):
                        rollup_ms[m].setdefault(path, []).append(timed(ports[m][0], path))
        for m in multipliers:
            memory[f"x{m:g}, rollups, after the level pairs"] = peak_memory_mb(ports[m][1])
    # (b) base tables over HTTP and raw DuckDB, interleaved across scales
    base_ms: dict[float, dict[str, list[float]]] = {m: {} for m in multipliers}
    raw_ms: dict[float, dict[str, list[float]]] = {m: {} for m in multipliers}
    # the same statement in a DuckDB with the server's per-worker memory limit
    small_ms: dict[float, dict[str, list[float]]] = {m: {} for m in multipliers}
    base_urls = [url_of(cube, params) for _, cube, params in BASE_MIX]
    with contextlib.ExitStack() as stack:
        ports, cons, smalls, statements = {}, {}, {}, {}
        for m in multipliers:
            print(f"server x{m:g}: base tables, no cache ...", flush=True)
            ports[m] = stack.enter_context(server(warehouse_of(m), rollups=False, cache=False))
            engine = Engine(load_model(), open_read_only(warehouse_of(m)), use_rollups=False)
            statements[m] = raw_statements(engine, BASE_MIX)
            cons[m] = stack.enter_context(duckdb.connect(str(warehouse_of(m)), read_only=True))
            small = duckdb.connect(":memory:", config={"memory_limit": DEFAULT_MEMORY_LIMIT})
            small.execute("ATTACH ? AS wh (READ_ONLY)", [str(warehouse_of(m))])
            small.execute("USE wh")
            smalls[m] = stack.enter_context(small)
        for url in base_urls:  # warm up
            for m in multipliers:
                time_raw(cons[m], statements[m][url])
                time_raw(smalls[m], statements[m][url])
                timed(ports[m][0], url)
        for r in range(rounds):
            print(f"  round {r + 1} of {rounds}", flush=True)
            for url in base_urls:
                for m in multipliers:
                    raw_ms[m].setdefault(url, []).append(time_raw(cons[m], statements[m][url]))
                    small_ms[m].setdefault(url, []).append(time_raw(smalls[m], statements[m][url]))
                    base_ms[m].setdefault(url, []).append(timed(ports[m][0], url))
        for m in multipliers:
            memory[f"x{m:g}, base tables, after the base-table rounds"] = peak_memory_mb(
                ports[m][1]
            )
    load_after = os.getloadavg()
    raw_data = {
        f"{m:g}": {"tables": tables[m], "rollup_ms": rollup_ms[m], "base_ms": base_ms[m],
                   "raw_ms": raw_ms[m], "small_ms": small_ms[m]}
        for m in multipliers
    }  # fmt: skip
    (DATA / "scale-measure.json").write_text(json.dumps(raw_data, indent=1))
    sizes = {}
    for m in multipliers:
        with duckdb.connect(str(warehouse_of(m)), read_only=True) as con:
            names = con.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_name LIKE 'rollup_working_futures_%' ORDER BY 1"
            ).fetchall()
            sizes[m] = {
                str(n): int(con.execute(f"SELECT count(*) FROM {n}").fetchone()[0])  # type: ignore[index]
                for (n,) in names
            }
    report(multipliers, builds, pairs, tables, rollup_ms, sizes, base_urls, base_ms, raw_ms,
           small_ms, memory, rounds, (load_before, load_after), out)  # fmt: skip


def report(
    multipliers: list[float],
    builds: dict[str, dict[str, Any]],
    pairs: list[str],
    tables: dict[float, dict[str, str]],
    rollup_ms: dict[float, dict[str, list[float]]],
    sizes: dict[float, dict[str, int]],
    base_urls: list[str],
    base_ms: dict[float, dict[str, list[float]]],
    raw_ms: dict[float, dict[str, list[float]]],
    small_ms: dict[float, dict[str, list[float]]],
    memory: dict[str, float],
    rounds: int,
    load: tuple[tuple[float, ...], tuple[float, ...]],
    out: Path,
) -> None:
    low, high = min(multipliers), max(multipliers)
    b = {m: builds[f"{m:g}"] for m in multipliers}
    row_ratio = b[high]["wf_rows"] / b[low]["wf_rows"]
    lines = [
        f"# Scale run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"Machine: {os.cpu_count()} cores, "
        f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GB RAM, "
        f"{platform.platform()}; Python {platform.python_version()}, DuckDB {duckdb.__version__}.",
        "Data: `lmi-cubes generate --scale full --seed 1 --wf-multiplier N` (the same ASHE files; "
        "N times the Working Futures cells per year, 2000-2035), loaded with `lmi-cubes load "
        "--memory-limit` (rollups built in the same load). Servers: `lmi-cubes serve --workers 2 "
        "--threads 4`, no result cache, every scale served at once and timed in interleaved "
        "rounds (each query at every scale in turn), client on the same machine.",
        f"Load average (1, 5, 15 min) before the timed runs {load[0][0]:.1f}, {load[0][1]:.1f}, "
        f"{load[0][2]:.1f}; after {load[1][0]:.1f}, {load[1][1]:.1f}, {load[1][2]:.1f} (other "
        "jobs share the 2 cores, so single figures move by 20-30% between runs).",
        "",
        "## Build (generate and load, one at a time)",
        "",
        "| scale | WF rows | generate | generate peak RSS | CSV | load | load peak RSS | DuckDB memory_limit | peak disk during load | warehouse file | load average after |",
        "|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---|",
    ]
    for m in multipliers:
        x = b[m]
        lines.append(
            f"| full x{m:g} | {x['wf_rows']:,} | {x['generate_s']:.0f} s | "
            f"{x['generate_peak_rss_mb'] / 1024:.2f} GB | {x['csv_gb']:.1f} GB | {x['load_s']:.0f} s | "
            f"{x['load_peak_rss_mb'] / 1024:.2f} GB | {x['memory_limit']} | "
            f"{x['load_peak_disk_gb']:.1f} GB | {x['warehouse_gb']:.2f} GB | "
            f"{', '.join(f'{v:.1f}' for v in x['load_average_after'])} |"
        )
    lines += [
        "",
        "Peak RSS is the child process's own (wait4 ru_maxrss); peak disk is the data directory "
        "plus the warehouse file and its sidecars (scratch database, DuckDB temp files), sampled "
        "every 0.5 s.",
        "",
        f"## (a) 2-D Working Futures cross-tabs, rollups on ({len(pairs)} level pairs)",
        "",
        "| scale | pairs a rollup answers | p50 ms | p95 ms | max ms | pairs on the base table (timed once): median ms, max ms |",
        "|---|---:|---:|---:|---:|---|",
    ]
    p95: dict[float, float] = {}
    for m in multipliers:
        on_rollup = [p for p in pairs if tables[m][p].startswith("rollup_")]
        times = [t for p in on_rollup for t in rollup_ms[m][p]]
        base_pairs = [rollup_ms[m][p][0] for p in pairs if p not in on_rollup]
        p95[m] = pct(times, 0.95)
        base_text = (
            f"{len(base_pairs)}: {statistics.median(base_pairs):.0f}, {max(base_pairs):.0f}"
            if base_pairs
            else "none"
        )
        lines.append(
            f"| full x{m:g} | {len(on_rollup)} | {pct(times, 0.5):.1f} | {p95[m]:.1f} | "
            f"{max(times):.1f} | {base_text} |"
        )
    slowest = sorted(pairs, key=lambda p: -statistics.median(rollup_ms[high][p]))[:6]
    lines += [
        "",
        f"Every rollup pair, {rounds} rounds each; p95 over all those requests. The slowest "
        f"pairs (median ms per scale; the rollup table at x{high:g}):",
        "",
        "| pair | " + " | ".join(f"x{m:g}" for m in multipliers) + " | table |",
        "|---|" + "---:|" * len(multipliers) + "---|",
        *(
            f"| `{p}` | "
            + " | ".join(f"{statistics.median(rollup_ms[m][p]):.1f}" for m in multipliers)
            + f" | {tables[high][p]} |"
            for p in slowest
        ),
        "",
        "Working Futures rollup tables, rows per scale:",
        "",
        "| table | " + " | ".join(f"x{m:g}" for m in multipliers) + " |",
        "|---|" + "---:|" * len(multipliers),
        *(
            f"| {t} | " + " | ".join(f"{sizes[m].get(t, 0):,}" for m in multipliers) + " |"
            for t in sizes[high]
        ),
        "",
        f"## (b) Base-table cross-tabs (rollups off), medians of {rounds} rounds",
        "",
        "| query | "
        + " | ".join(
            f"x{m:g} HTTP ms | x{m:g} raw DuckDB ms | x{m:g} raw, {DEFAULT_MEMORY_LIMIT} ms"
            for m in multipliers
        )
        + f" | HTTP x{high:g} / x{low:g} | raw x{high:g} / x{low:g} | raw {DEFAULT_MEMORY_LIMIT} x{high:g} / x{low:g} |",
        "|---|" + "---:|---:|---:|" * len(multipliers) + "---:|---:|---:|",
    ]
    growth: list[float] = []
    raw_growth: list[float] = []
    for url in base_urls:
        cells = " | ".join(
            f"{statistics.median(base_ms[m][url]):.1f} | {statistics.median(raw_ms[m][url]):.1f}"
            f" | {statistics.median(small_ms[m][url]):.1f}"
            for m in multipliers
        )
        http = statistics.median(base_ms[high][url]) / statistics.median(base_ms[low][url])
        raw = statistics.median(raw_ms[high][url]) / statistics.median(raw_ms[low][url])
        small = statistics.median(small_ms[high][url]) / statistics.median(small_ms[low][url])
        growth.append(http)
        raw_growth.append(raw)
        lines.append(f"| `{url}` | {cells} | {http:.1f}x | {raw:.1f}x | {small:.1f}x |")
    lines += [
        "",
        f"Working Futures rows grow {row_ratio:.2f}x from x{low:g} to x{high:g}; linear growth "
        f'would multiply the times by {row_ratio:.1f}. "raw DuckDB" is a read-only connection '
        f"with DuckDB's default memory limit in the client process; \"raw, "
        f"{DEFAULT_MEMORY_LIMIT}\" is the same statement in a DuckDB with the server's "
        f"per-worker memory limit (`LMI_CUBES_DUCKDB_MEMORY`, default {DEFAULT_MEMORY_LIMIT}).",
        "",
        "## (c) Server peak memory (VmHWM, master + 2 workers)",
        "",
        *(f"- {k}: {v:,.0f} MB" for k, v in memory.items()),
        "",
    ]
    x = b[high]
    rows = [
        {
            "target": f"2-D WF cross-tab from a rollup, uncached, p95 <= {ROLLUP_P95_MS:.0f} ms at x{high:g}",
            "measured": ", ".join(f"x{m:g}: p95 {p95[m]:.1f} ms" for m in multipliers),
            "met": "yes" if p95[high] <= ROLLUP_P95_MS else "no",
        },
        {
            "target": f"base-table time grows no worse than linearly, x{low:g} -> x{high:g}",
            "measured": f"HTTP time x{min(growth):.1f}..x{max(growth):.1f}, raw DuckDB x{min(raw_growth):.1f}..x{max(raw_growth):.1f}, for {row_ratio:.1f}x the rows",
            "met": "yes" if max(growth) <= row_ratio else "no",
        },
        {
            "target": f"x{high:g} build fits: generate <= {GENERATE_RSS_LIMIT_GB:.0f} GB, load <= {LOAD_RSS_LIMIT_GB:.0f} GB RSS (memory_limit {x['memory_limit']})",
            "measured": f"generate {x['generate_peak_rss_mb'] / 1024:.1f} GB, load {x['load_peak_rss_mb'] / 1024:.1f} GB peak RSS; {x['load_peak_disk_gb']:.0f} GB disk at peak, {x['warehouse_gb']:.1f} GB warehouse; {x['generate_s'] / 60:.0f} + {x['load_s'] / 60:.0f} min",
            "met": "yes"
            if x["generate_peak_rss_mb"] / 1024 <= GENERATE_RSS_LIMIT_GB
            and x["load_peak_rss_mb"] / 1024 <= LOAD_RSS_LIMIT_GB
            else "no",
        },
    ]
    lines += [
        "## Against the targets",
        "",
        "| target | measured | met |",
        "|---|---|---|",
        *(f"| {r['target']} | {r['measured']} | {r['met']} |" for r in rows),
        "",
    ]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines))
    summary = {"when": f"{datetime.now(UTC):%Y-%m-%d}", "report": out.name, "rows": rows}
    (HERE / "results" / "scale-latest.json").write_text(json.dumps(summary, indent=2) + "\n")
    print("\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--multipliers", default="1,10", help="comma-separated, e.g. 1,2,4,10")
    parser.add_argument("--phase", choices=["build", "measure", "all"], default="all")
    parser.add_argument("--memory-limit", default="4GB", help="DuckDB memory_limit of the load")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--rebuild", action="store_true", help="build even if already built")
    parser.add_argument(
        "--out",
        type=Path,
        default=HERE / "results" / f"{datetime.now(UTC):%Y-%m-%d}-scale.md",
    )
    args = parser.parse_args()
    multipliers = [float(m) for m in args.multipliers.split(",")]
    if args.phase in ("build", "all"):
        built = read_builds()
        for m in multipliers:
            if args.rebuild or f"{m:g}" not in built or not warehouse_of(m).exists():
                build(m, args.memory_limit)
    if args.phase in ("measure", "all"):
        measure(multipliers, args.rounds, args.out)


if __name__ == "__main__":
    main()
