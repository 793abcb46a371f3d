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
import urllib.parse
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
    peak_memory_mb,
    pct,
    raw_statements,
    server,
    time_raw,
    timed,
    url_of,
)

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


def measure(multipliers: list[float], rounds: int, out: Path) -> None:
    raise NotImplementedError


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
