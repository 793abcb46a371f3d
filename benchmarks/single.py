"""Single requests of the diverse mix's shapes, this code against a checkout of earlier code,
in the same run: the A/B for work on one request's path (engine and rendering).

    .venv/bin/python benchmarks/single.py --before DIR [--warehouse FILE] [--rounds N]
                                          [--cuts N] [--out FILE]

Two servers (`lmi-cubes serve`, one worker each, the response cache off) run side by side on
the same warehouse, one from this checkout and one from `--before` (a checkout of the
earlier commit, say). Each is asked every shape of benchmarks/diverse.py (with no extra cut,
and with `--cuts` drawn sets of extra cuts) on a kept-alive connection; after three warm-up
requests per URL (the first builds the rollup projection its columns need), rounds alternate
which server is asked first, so both see the same machine load. Prints, per URL, the median
of each and their ratio, with the load average, as markdown for a benchmark report. Not
part of the tests.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:  # run as a script: benchmarks/ is not installed
    sys.path.insert(0, str(HERE.parent))

from benchmarks.diverse import SHAPES, Paths, Routes, shape_name, url  # noqa: E402
from benchmarks.run import server, timed  # noqa: E402
from lmi_cubes.aggregates.catalog import Catalog  # noqa: E402
from lmi_cubes.model.loader import load_model  # noqa: E402
from lmi_cubes.warehouse.files import open_read_only  # noqa: E402

WARM_UP = 3


def measure(warehouse: Path, before: Path, rounds: int, cuts: int) -> list[str]:
    paths = Paths(Catalog.read(load_model(), open_read_only(warehouse)))
    rng = random.Random(7)
    urls = [(shape_name(shape), url(shape, [])) for shape in SHAPES]
    urls += [
        (f"{shape_name(shape)} + {n} cuts", url(shape, paths.extra(rng, shape, n)))
        for shape in SHAPES
        for n in [rng.randint(1, 4) for _ in range(cuts)]
    ]
    times: dict[str, tuple[list[float], list[float]]] = {u: ([], []) for _, u in urls}
    load = [os.getloadavg()[0]]
    env = {"LMI_CUBES_CACHE_MB": "0"}
    with contextlib.ExitStack() as stack:
        after_port, _ = stack.enter_context(server(warehouse, env=env, workers=1))
        before_port, _ = stack.enter_context(server(warehouse, env=env, workers=1, code=before))
        for _, u in urls:
            for _ in range(WARM_UP):
                timed(after_port, u)
                timed(before_port, u)
        for r in range(rounds):
            order = [(0, after_port), (1, before_port)]
            for _, u in urls:
                for side, port in order if r % 2 == 0 else order[::-1]:
                    times[u][side].append(timed(port, u))
            load.append(os.getloadavg()[0])
    routes = Routes(warehouse)
    lines = [
        f"Single requests, one worker per server, kept-alive connection, cache off; median of "
        f"{rounds} interleaved rounds after {WARM_UP} warm-up requests per URL (ms); load "
        f"average (1 min) {min(load):.1f}..{max(load):.1f} during the run:",
        "",
        "| request | cells | table | before | after | after / before |",
        "|---|---:|---|---:|---:|---:|",
    ]
    ratios = []
    for name, u in urls:
        name = name.replace("|", "\\|")  # a cut in a shape's name, not a table column
        after, earlier = (statistics.median(t) for t in times[u])
        ratios.append(after / earlier)
        lines.append(
            f"| {name} | {routes.cells(u):,} | {routes.table(u)} | {earlier:.2f} | {after:.2f} | "
            f"{after / earlier:.2f} |"
        )
    lines += ["", f"Median ratio after / before: {statistics.median(ratios):.2f}", ""]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="a checkout of earlier code")
    parser.add_argument("--warehouse", type=Path, default=HERE / "data" / "full.duckdb")
    parser.add_argument("--rounds", type=int, default=31)
    parser.add_argument("--cuts", type=int, default=0, help="extra-cut variants per shape")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    lines = measure(args.warehouse, args.before.resolve(), args.rounds, args.cuts)
    print("\n".join(lines))
    if args.out:
        args.out.write_text("\n".join(lines))


if __name__ == "__main__":
    main()
