"""How far two identical servers differ by the paired rounds: the yardstick for "slower".

    .venv/bin/python benchmarks/twins.py [--warehouse FILE] [--rounds N] [--out FILE]

Three servers on the same warehouse: two alike (rollups on, cache off) and one with rollups
off, the pair `benchmarks/diverse.py` compares. All three take the same diverse load windows
in turn, then the diverse mix's single requests are timed on each in paired rounds (the
servers in every order in turn by round, requests in a new order each round) and judged by the
sign test of `benchmarks/paired.py`. The twins run the same code on the same data after the
same load, so whatever the test finds between them is the servers' own difference, not a
table's: a request through a rollup is slower than the base table only by more than that.
Not part of the test suite.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import sys
from collections import Counter
from pathlib import Path

from lmi_cubes.aggregates.catalog import Catalog
from lmi_cubes.model.loader import load_model
from lmi_cubes.warehouse.files import open_read_only

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:  # run as a script: benchmarks/ is not installed
    sys.path.insert(0, str(HERE.parent))

from benchmarks import diverse, paired  # noqa: E402
from benchmarks.run import server, timed  # noqa: E402

SERVERS = [
    ("A: rollups, cache off", {"LMI_CUBES_CACHE_MB": "0"}),
    ("B: rollups off, cache off", {"LMI_CUBES_CACHE_MB": "0", "LMI_CUBES_ROLLUPS": "0"}),
    ("C: rollups, cache off (A's twin)", {"LMI_CUBES_CACHE_MB": "0"}),
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
    routes = diverse.Routes(warehouse)
    lines = [
        "## Twin servers",
        "",
        f"`{warehouse.name}`: 3 servers, {windows} diverse load windows of {seconds:.0f} s each "
        f"in turn, then {rounds} paired rounds of the diverse mix's {len(singles)} single "
        f"requests. Load average (1 min) {min(loads):.1f}..{max(loads):.1f}.",
        "",
        "| server | req/s per window |",
        "|---|---|",
        *(f"| {label} | {', '.join(f'{r:.0f}' for r in rates[label])} |" for label in rates),
        "",
        "Median ratio and verdict of the paired rounds (first server over second):",
        "",
        "| shape | request's extra cuts | table read with rollups | "
        + " | ".join(label for *_, label in PAIRS)
        + " |",
        "|---|---|---|" + "---|" * len(PAIRS),
    ]
    verdicts = {label: Counter[str]() for *_, label in PAIRS}
    for i, path in singles:
        cells = []
        for first, second, label in PAIRS:
            found = paired.compare(times[path][first], times[path][second])
            verdicts[label][found.verdict] += 1
            cells.append(f"{found.ratio:.2f} {found.verdict}")
        lines.append(
            f"| {diverse.shape_name(diverse.SHAPES[i])} | {diverse.extra_cuts(i, path)} | "
            f"{routes.table(path)} | {' | '.join(cells)} |"
        )
    lines += ["", "| pair | slower | parity | faster |", "|---|---:|---:|---:|"]
    for label, counted in verdicts.items():
        lines.append(
            f"| {label} | {counted['slower']} | {counted['parity']} | {counted['faster']} |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, default=HERE / "data" / "full.duckdb")
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    lines = measure(args.warehouse, args.rounds)
    print("\n".join(lines))
    if args.out:
        args.out.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
