"""What the protection policy costs: time, in process, and reliable cells withheld.

    python benchmarks/protection_policy.py [--data DIR] [--warehouse FILE] [--repeat N]

Time: the two largest cross-tabs of the benchmark mix (benchmarks/run.py), run by the
engine in process under each policy, `--repeat` rounds, medians; beside each, the median
time spent deciding what is withheld (`reliability.suppress`, the table's own and the
coarser tables' that "go up a level" reads). Under `none` that is only the comparison with
the threshold. Cost: over every table of the mix and `--tables` random two-axis tables of
the three cubes (with random cuts), the share of cells with employment of 1,000 or more
(published under `none`) that `table` withholds as partners. Writes
benchmarks/results/<date>-protection-policy.md.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:  # run as a script: benchmarks/ is not an installed package
    sys.path.insert(0, str(HERE.parent))

from benchmarks.run import MIX, query_of  # noqa: E402
from lmi_cubes.aggregates import reliability  # noqa: E402
from lmi_cubes.aggregates.engine import Engine  # noqa: E402
from lmi_cubes.aggregates.query import Query  # noqa: E402
from lmi_cubes.cli import load_warehouse  # noqa: E402
from lmi_cubes.etl.generate import generate  # noqa: E402
from lmi_cubes.model import Model  # noqa: E402
from lmi_cubes.model.errors import QueryError  # noqa: E402
from lmi_cubes.model.loader import load_model  # noqa: E402
from lmi_cubes.warehouse.files import open_read_only  # noqa: E402

POLICIES = ("none", "table")
RANDOM_AXES = {
    "ashe_pay": ["occupation:soc2", "occupation:soc3", "occupation:soc4", "industry:ind22",
                 "region:region", "region:nation", "qualification:broad3", "gender", "status"],
    "ashe_hours": ["occupation:soc2", "occupation:soc3", "industry:ind22", "industry:ind75",
                   "region:region", "gender", "status"],
    "working_futures": ["occupation:soc2", "occupation:soc3", "industry:ind22",
                        "region:region", "qualification", "gender", "status"],
}  # fmt: skip
RANDOM_CUTS = ["", "gender:1", "gender:2", "status:1", "status:2", "region:1,1", "!region:1,1,1"]


def with_policy(model: Model, policy: str) -> Model:
    cubes = tuple(
        dataclasses.replace(c, reliability=dataclasses.replace(c.reliability, protection=policy))
        for c in model.cubes
    )
    return dataclasses.replace(model, cubes=cubes)


class Stopwatch:
    """Time spent inside `reliability.suppress` while it is installed."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.original: Callable[..., np.ndarray] = reliability.suppress

    def __enter__(self) -> Stopwatch:
        original = self.original

        def timed(*args: Any, **kwargs: Any) -> np.ndarray:
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - started

        reliability.suppress = timed  # type: ignore[assignment]
        return self

    def __exit__(self, *exc: object) -> None:
        reliability.suppress = self.original  # type: ignore[assignment]


def answerable(engine: Engine, cube: str, params: dict[str, str]) -> bool:
    try:
        query_of(engine, cube, params)
    except QueryError:
        return False
    return True


def cells(query: Query) -> int:
    return int(np.prod([len(a.keys) + 1 for a in query.axes]))


def random_tables(count: int, seed: int) -> list[tuple[str, dict[str, str]]]:
    rng = np.random.default_rng(seed)
    out = []
    for n in range(count):
        cube = list(RANDOM_AXES)[n % 3]
        pool = RANDOM_AXES[cube]
        first = pool[rng.integers(len(pool))]
        others = [a for a in pool if a.split(":")[0] != first.split(":")[0]]
        second = others[rng.integers(len(others))]
        used = {first.split(":")[0], second.split(":")[0]}
        cuts = [c for c in RANDOM_CUTS if c.lstrip("!").split(":")[0] not in used]
        params = {"rows": first, "columns": second, "measure": "employment"}
        cut = cuts[rng.integers(len(cuts))]
        if cut:
            params["cut"] = cut
        out.append((cube, params))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=HERE / "data" / "small")
    parser.add_argument("--warehouse", type=Path, default=HERE / "data" / "small.duckdb")
    parser.add_argument("--size", default="small", choices=["tiny", "small", "full"])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--tables", type=int, default=300)
    parser.add_argument(
        "--out",
        type=Path,
        default=HERE / "results" / f"{datetime.now(UTC):%Y-%m-%d}-protection-policy.md",
    )
    args = parser.parse_args()
    if not (args.data / "wf_employment.csv").exists():
        generate(args.data, args.size, 1)
    if not args.warehouse.exists():
        load_warehouse(args.data, args.warehouse)
    model = load_model()
    reader = open_read_only(args.warehouse)
    engines = {p: Engine(with_policy(model, p), reader, vintage="bench") for p in POLICIES}

    # the mix is written for `full` data: a period past a smaller data set's years is left out
    mix = [(cube, p) for _, cube, p in MIX if answerable(engines["none"], cube, p)]
    # -- time: the two largest tables of the mix ------------------------------------------
    sized = sorted(
        ((cells(query_of(engines["none"], cube, p)), cube, p) for cube, p in mix),
        key=lambda t: -t[0],
    )[:2]
    lines = [
        f"# Protection policy: time and cost ({datetime.now(UTC):%Y-%m-%d})",
        "",
        f"`python benchmarks/protection_policy.py --size {args.size}` on `{args.warehouse.name}`"
        f" (`{args.size}` data, seed 1); in process, {args.repeat} rounds after one warm-up,"
        " medians. Protection = time inside `reliability.suppress` (the table's own and the"
        " coarser tables' that going up a level reads).",
        "",
        "| table | cells | policy | request | protection |",
        "|---|---:|---|---:|---:|",
    ]
    for size, cube, params in sized:
        for policy in POLICIES:
            engine = engines[policy]
            query = query_of(engine, cube, params)
            engine.run(query)  # warm: SQL text cached, lookups read
            total, inside = [], []
            for _ in range(args.repeat):
                with Stopwatch() as watch:
                    started = time.perf_counter()
                    engine.run(query)
                    total.append(time.perf_counter() - started)
                inside.append(watch.seconds)
            name = f"{cube} {params['rows']} x {params.get('columns', '')}"
            if "cut" in params:
                name += f", cut {params['cut']}"
            lines.append(
                f"| {name} | {size:,} | `{policy}` | {statistics.median(total) * 1e3:.1f} ms"
                f" | {statistics.median(inside) * 1e3:.2f} ms |"
            )

    # -- cost: reliable cells withheld under table -----------------------------------------
    tables = mix + random_tables(args.tables, seed=19)
    large = withheld = 0
    reliable_cells = reliable_withheld = 0
    by_cube: dict[str, list[int]] = {}
    tables_losing = [0, 0]  # tables losing > 10% / > 25% of their cells >= 1,000
    for cube, params in tables:
        results = {p: engines[p].run(query_of(engines[p], cube, params)) for p in POLICIES}
        shown = results["none"].flags != reliability.Flag.SUPPRESSED
        shown &= results["none"].flags != reliability.Flag.NOT_APPLICABLE
        hidden = results["table"].flags == reliability.Flag.SUPPRESSED
        n, k = int(shown.sum()), int((shown & hidden).sum())
        reliable = results["none"].flags == reliability.Flag.RELIABLE
        large, withheld = large + n, withheld + k
        reliable_cells += int(reliable.sum())
        reliable_withheld += int((reliable & hidden).sum())
        counts = by_cube.setdefault(cube, [0, 0])
        counts[0], counts[1] = counts[0] + n, counts[1] + k
        if n:
            tables_losing[0] += k / n > 0.10
            tables_losing[1] += k / n > 0.25
    lines += [
        "",
        f"Cost of `table`: {len(tables)} tables (the {len(mix)} of the mix and {args.tables}"
        " random two-axis employment tables of the three cubes with random cuts).",
        "",
        "| cells with employment >= 1,000 | withheld under `table` | share |",
        "|---|---:|---:|",
        f"| all cubes: {large:,} | {withheld:,} | {withheld / max(large, 1):.1%} |",
    ]
    for cube, (n, k) in by_cube.items():
        lines.append(f"| {cube}: {n:,} | {k:,} | {k / max(n, 1):.1%} |")
    lines += [
        f"| of which reliable (>= 10,000): {reliable_cells:,} | {reliable_withheld:,} |"
        f" {reliable_withheld / max(reliable_cells, 1):.1%} |",
        "",
        f"Tables losing more than 10% of their cells >= 1,000: {tables_losing[0]} of"
        f" {len(tables)}; more than 25%: {tables_losing[1]}. Under `none` none is withheld"
        " (by definition, and tested: tests/test_one_status.py).",
        "",
    ]
    args.out.write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
