"""How far two identical servers differ by the paired rounds: the yardstick for "slower".

    .venv/bin/python benchmarks/twins.py [--warehouse FILE] [--rounds N] [--out FILE]
                                         [--in-process]

Three servers on the same warehouse: two alike (rollups on, cache off) and one with rollups
off, the pair `benchmarks/diverse.py` compares. All three take the same diverse load windows
in turn, then the diverse mix's single requests are timed on each in paired rounds (the
servers in every order in turn by round, requests in a new order each round) and judged by the
sign test of `benchmarks/paired.py`. The twins run the same code on the same data after the
same load, so whatever the test finds between them is the servers' own difference, not a
table's: a request through a rollup is slower than the base table only by more than that.
--in-process runs the three as applications in this one process instead (no HTTP, no server
processes), after the same number of requests each, to tell a difference that comes with
the engine's work per request from one that comes with the server processes. Not part of
the test suite.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import statistics
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from lmi_cubes.aggregates.catalog import Catalog
from lmi_cubes.model.loader import load_model
from lmi_cubes.warehouse.files import open_read_only

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:  # run as a script: benchmarks/ is not installed
    sys.path.insert(0, str(HERE.parent))

from benchmarks import diverse, paired  # noqa: E402
from benchmarks.run import server, timed  # noqa: E402

# every server sets the same variables, to values of the same length, so their
# environments take the same room: the environment sits at the top of the stack, and its
# size moves the stack's alignment, a difference between processes of its own
SERVERS = [
    ("A: rollups, cache off", {"LMI_CUBES_CACHE_MB": "0", "LMI_CUBES_ROLLUPS": "1"}),
    ("B: rollups off, cache off", {"LMI_CUBES_CACHE_MB": "0", "LMI_CUBES_ROLLUPS": "0"}),
    ("C: rollups, cache off (A's twin)", {"LMI_CUBES_CACHE_MB": "0", "LMI_CUBES_ROLLUPS": "1"}),
]
PAIRS = [(0, 1, "A / B"), (2, 1, "C / B"), (0, 2, "A / C (twins)")]


def measure(warehouse: Path, rounds: int, seconds: float = 20.0, windows: int = 3) -> list[str]:
    catalog = Catalog.read(load_model(), open_read_only(warehouse))
    paths = diverse.Paths(catalog)
    rates: dict[str, list[float]] = {label: [] for label, _ in SERVERS}
    loads = [os.getloadavg()[0]]
    with contextlib.ExitStack() as stack:
        servers = [stack.enter_context(server(warehouse, env=env)) for _, env in SERVERS]
        for w in range(windows):
            for (port, _pid), (label, _) in zip(servers, SERVERS, strict=True):
                load = diverse.Load(label)
                streams = [diverse.stream(paths, 1000 * w + c) for c in range(8)]
                diverse.window(port, load, streams, seconds)
                rates[label].append(load.rates[-1])
                loads.append(os.getloadavg()[0])
        rng = random.Random(7)
        singles = diverse.single_paths(paths, rng, per_shape=3)
        ports = [port for port, _ in servers]
        for _, path in singles:  # first requests, not timed
            for port in ports:
                timed(port, path)
        times = diverse.paired_rounds(ports, [path for _, path in singles], rounds, rng)
        loads.append(os.getloadavg()[0])
    intro = (
        f"`{warehouse.name}`: 3 servers, {windows} diverse load windows of {seconds:.0f} s each "
        f"in turn, then {rounds} paired rounds of the diverse mix's {len(singles)} single "
        f"requests. Load average (1 min) {min(loads):.1f}..{max(loads):.1f}."
    )
    rates_table = [
        "| server | req/s per window |",
        "|---|---|",
        *(f"| {label} | {', '.join(f'{r:.0f}' for r in rates[label])} |" for label in rates),
        "",
    ]
    return ["## Twin servers", "", intro, "", *rates_table, *verdicts(warehouse, singles, times)]


def in_process(warehouse: Path, rounds: int, requests: int = 2000) -> list[str]:
    """The same three as applications in this one process, each with its own DuckDB
    instance, after the same load (`requests` of the diverse mix each, four threads at a
    time), then the same paired rounds through the test client: no HTTP, no server
    processes. What the twins and the base-table server differ by here comes with the
    engine's own work per request; what they differ by only as servers comes with the
    processes."""
    import threading
    import time

    from lmi_cubes.cube_server.app import create_app

    catalog = Catalog.read(load_model(), open_read_only(warehouse))
    paths = diverse.Paths(catalog)
    clients = [
        create_app(
            {
                "WAREHOUSE": str(warehouse),
                "CACHE_MB": 0,
                "USE_ROLLUPS": env.get("LMI_CUBES_ROLLUPS", "1") != "0",
            }
        ).test_client()
        for _, env in SERVERS
    ]
    loads = [os.getloadavg()[0]]

    def serve(client: Any, seed: int, count: int) -> None:
        requests_of = diverse.stream(paths, seed)
        for _ in range(count):
            client.get(next(requests_of)[1])

    for client in clients:
        threads = [
            threading.Thread(target=serve, args=(client, 1000 + c, requests // 4)) for c in range(4)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        loads.append(os.getloadavg()[0])
    rng = random.Random(7)
    singles = diverse.single_paths(paths, rng, per_shape=3)
    for _, path in singles:  # first requests, not timed
        for client in clients:
            client.get(path)

    def timer(side: int, path: str) -> float:
        started = time.perf_counter()
        response = clients[side].get(path)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise RuntimeError(f"{path} -> {response.status_code}")
        return elapsed

    order = [path for _, path in singles]
    times = diverse.paired_rounds([0, 1, 2], order, rounds, rng, timer)
    loads.append(os.getloadavg()[0])
    intro = (
        f"`{warehouse.name}`: the 3 servers' applications in one process, each with its own "
        f"DuckDB instance, {requests} requests of the diverse load each (four threads), then "
        f"{rounds} paired rounds of the diverse mix's {len(singles)} single requests "
        "through the test client. Load average (1 min) "
        f"{min(loads):.1f}..{max(loads):.1f}."
    )
    return ["## Twins in one process", "", intro, "", *verdicts(warehouse, singles, times)]


def verdicts(
    warehouse: Path, singles: list[tuple[int, str]], times: dict[str, list[list[float]]]
) -> list[str]:
    """The paired verdict of every pair on every request, then counted by pair, and on the
    requests that read the facts on every server."""
    routes = diverse.Routes(warehouse)
    facts = routes.engine.sources[diverse.CUBE][0].table
    lines = [
        "Median ratio and verdict of the paired rounds (first server over second):",
        "",
        "| shape | request's extra cuts | table read with rollups | "
        + " | ".join(label for *_, label in PAIRS)
        + " |",
        "|---|---|---|" + "---|" * len(PAIRS),
    ]
    counted = {label: Counter[str]() for *_, label in PAIRS}
    same_work: dict[str, list[float]] = {label: [] for *_, label in PAIRS}
    for i, path in singles:
        cells = []
        for first, second, label in PAIRS:
            found = paired.compare(times[path][first], times[path][second])
            counted[label][found.verdict] += 1
            if routes.table(path) == facts:
                same_work[label].append(found.ratio)
            cells.append(f"{found.ratio:.2f} {found.verdict}")
        lines.append(
            f"| {diverse.shape_name(diverse.SHAPES[i])} | {diverse.extra_cuts(i, path)} | "
            f"{routes.table(path)} | {' | '.join(cells)} |"
        )
    lines += [
        "",
        "| pair | slower | parity | faster | median ratio, requests that read the facts "
        "on every server |",
        "|---|---:|---:|---:|---|",
    ]
    for label, verdict in counted.items():
        ratios = same_work[label]
        middle = (
            f"{statistics.median(ratios):.2f} ({min(ratios):.2f}-{max(ratios):.2f})"
            if ratios
            else "-"
        )
        lines.append(
            f"| {label} | {verdict['slower']} | {verdict['parity']} | {verdict['faster']} | "
            f"{middle} |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, default=HERE / "data" / "full.duckdb")
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--out", type=Path)
    parser.add_argument(
        "--in-process", action="store_true", help="the three as applications in this process"
    )
    args = parser.parse_args()
    if args.in_process:
        lines = in_process(args.warehouse, args.rounds)
    else:
        lines = measure(args.warehouse, args.rounds)
    print("\n".join(lines))
    if args.out:
        args.out.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
