"""In-process profile of the benchmark mix: where a request's time goes without HTTP.

    .venv/bin/python benchmarks/profile.py [--warehouse FILE] [--rounds N] [--base] [--cprofile]

Times each stage of a /crosstab request (parse to query, rollup choice, SQL, grid,
suppression, going up, rendering) on the rollups (or, with --base, the fact tables), and
with --cprofile prints the top functions by cumulative and own time. Not part of the tests.
"""

from __future__ import annotations

import sys
from pathlib import Path

# run as a script, this file's folder comes first on sys.path, and this file (profile.py)
# would then shadow the standard library's `profile`, which cProfile imports
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

import argparse
import cProfile
import pstats
import statistics
import time

import orjson

from benchmarks.run import MIX, query_of, url_of
from lmi_cubes.aggregates import reliability
from lmi_cubes.aggregates.engine import Engine
from lmi_cubes.cube_server import formats
from lmi_cubes.model.loader import load_model
from lmi_cubes.warehouse.files import open_read_only

HERE = Path(__file__).resolve().parent


class Stopwatch:
    """Wraps a function and sums its wall time; nested calls count once."""

    def __init__(self) -> None:
        self.total = 0.0
        self.depth = 0

    def wrap(self, fn):  # type: ignore[no-untyped-def]
        def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
            self.depth += 1
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.depth -= 1
                if self.depth == 0:
                    self.total += time.perf_counter() - started

        return wrapper


def request(engine: Engine, cube: str, params: dict[str, str]) -> bytes:
    result = engine.run(query_of(engine, cube, params))
    return orjson.dumps(formats.crosstab_json(result, True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, default=HERE / "data" / "full.duckdb")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--base", action="store_true")
    parser.add_argument("--cprofile", action="store_true")
    args = parser.parse_args()
    engine = Engine(load_model(), open_read_only(args.warehouse), use_rollups=not args.base)
    suppress_watch, go_up_watch = Stopwatch(), Stopwatch()
    suppress = reliability.suppress
    timed_suppress = suppress_watch.wrap(suppress)

    def outer_suppress(*a, **k):  # type: ignore[no-untyped-def]
        """Only the first-level call: the ones inside going up count in its time."""
        return suppress(*a, **k) if go_up_watch.depth else timed_suppress(*a, **k)

    reliability.suppress = outer_suppress  # type: ignore[assignment]
    Engine._go_up = go_up_watch.wrap(Engine._go_up)  # type: ignore[method-assign]
    for _, cube, params in MIX:  # warm up: thread cursor, catalog memos
        request(engine, cube, params)
    profiler = cProfile.Profile() if args.cprofile else None
    print(
        "| query | cells | ms per request | suppress ms (own level) | go up ms (coarser levels) | protection share |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for _, cube, params in MIX:
        times, sup, up = [], [], []
        for _ in range(args.rounds):
            suppress_watch.total = go_up_watch.total = 0.0
            if profiler:
                profiler.enable()
            started = time.perf_counter()
            request(engine, cube, params)
            times.append(time.perf_counter() - started)
            if profiler:
                profiler.disable()
            sup.append(suppress_watch.total)
            up.append(go_up_watch.total)
        q = query_of(engine, cube, params)
        cells = 1
        for a in q.axes:
            cells *= len(a.keys) + 1
        t, s, u = (statistics.median(x) * 1000 for x in (times, sup, up))
        print(f"| `{url_of(cube, params)}` | {cells} | {t:.2f} | {s:.2f} | {u:.2f} | "
              f"{(s + u) / t:.0%} |")  # fmt: skip
    if profiler:
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(30)
        stats.sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
