"""Flame graph of the served benchmark mix under load: where the server's CPU goes.

    .venv/bin/python benchmarks/flame.py [--warehouse FILE] [--seconds N] [--base] [--diverse]
                                         [--wall] [--out DIR]

Starts `lmi-cubes serve --workers 2 --threads 4` with the response cache off (rollups, or
the fact tables with --base), warms it up, then runs 8 clients of the mix's distinct
queries while py-spy samples both workers (only threads holding the GIL, i.e. Python's own
CPU time; DuckDB's native threads are not sampled). Writes one flame graph SVG per worker
and prints the top functions by own and by inclusive samples, for the benchmark report. --diverse runs the diverse load of
benchmarks/diverse.py instead (the default server's settings but the cache off); --wall
samples every active thread, not only the one holding the GIL, so time spent in DuckDB
calls shows under the Python function that made them.
py-spy is a benchmark tool, not a dependency of the server: `pip install py-spy`.
Not part of the tests.
"""

from __future__ import annotations

import argparse
import collections
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:  # run as a script: benchmarks/ is not installed
    sys.path.insert(0, str(HERE.parent))

from benchmarks import diverse  # noqa: E402
from benchmarks.run import MIX, server, throughput, timed, url_of  # noqa: E402
from lmi_cubes.aggregates.catalog import Catalog  # noqa: E402
from lmi_cubes.model.loader import load_model  # noqa: E402
from lmi_cubes.warehouse.files import open_read_only  # noqa: E402


def top(raw_files: list[Path], n: int) -> list[str]:
    """The top functions by own and inclusive share of the samples (py-spy --format raw)."""
    own: collections.Counter[str] = collections.Counter()
    inclusive: collections.Counter[str] = collections.Counter()
    total = 0
    for path in raw_files:
        for line in path.read_text().splitlines():
            stack, _, count = line.rpartition(" ")
            frames = [f for f in stack.split(";") if not f.startswith("thread (")]
            if not frames:
                continue
            total += int(count)
            own[frames[-1]] += int(count)
            for frame in set(frames):
                inclusive[frame] += int(count)
    lines = [f"{total} samples", "", "| own | function |", "|---:|---|"]
    lines += [f"| {v / total:.1%} | `{k}` |" for k, v in own.most_common(n)]
    lines += ["", "| inclusive | function |", "|---:|---|"]
    lines += [f"| {v / total:.1%} | `{k}` |" for k, v in inclusive.most_common(2 * n)]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, default=HERE / "data" / "full.duckdb")
    parser.add_argument("--seconds", type=float, default=12.0)
    parser.add_argument("--base", action="store_true")
    parser.add_argument("--diverse", action="store_true", help="the diverse load")
    parser.add_argument("--wall", action="store_true", help="every active thread, not the GIL's")
    parser.add_argument("--out", type=Path, default=HERE / "data" / "flame")
    args = parser.parse_args()
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    if not Path(spy).exists():
        sys.exit("py-spy is not installed: pip install py-spy")
    args.out.mkdir(parents=True, exist_ok=True)
    urls = [url_of(cube, p) for _, cube, p in MIX]
    with server(args.warehouse, rollups=not args.base, cache=False) as (port, pid):
        for _ in range(2):
            for url in urls:
                timed(port, url)
        workers = subprocess.run(
            ["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False
        ).stdout.split()
        spies, raw = [], []
        for w in workers:
            for fmt, suffix in (("raw", "txt"), ("flamegraph", "svg")):
                out = args.out / f"worker-{w}.{suffix}"
                if fmt == "raw":
                    raw.append(out)
                spies.append(
                    subprocess.Popen(
                        [spy, "record", "-p", w, "-d", str(int(args.seconds)), "-r", "100",
                         *([] if args.wall else ["--gil"]), "--nonblocking", "-f", fmt,
                         "-o", str(out)],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                    )
                )  # fmt: skip
        time.sleep(1.0)
        if args.diverse:
            paths = diverse.Paths(Catalog.read(load_model(), open_read_only(args.warehouse)))
            load = diverse.Load("diverse")
            streams = [diverse.stream(paths, c) for c in range(8)]
            diverse.window(port, load, streams, args.seconds - 2)
            rps, done, errors = load.rates[0], len(load.times), load.errors
        else:
            rps, done, errors = throughput(port, urls, clients=8, seconds=args.seconds - 2)
        for p in spies:
            p.wait()
    print(f"8 clients under py-spy: {rps:.0f} req/s, {done} requests, {errors} errors")
    print("\n".join(top([p for p in raw if p.exists()], 15)))
    print(f"flame graphs: {', '.join(str(p.with_suffix('.svg')) for p in raw)}")


if __name__ == "__main__":
    main()
