"""The diverse concurrent load a public API sees: eight clients, each request one of eight
cross-tab shapes with one to four extra cuts drawn at random, so nearly every request is new.

    .venv/bin/python benchmarks/diverse.py [--warehouse FILE] [--seconds N] [--windows N]
                                           [--protection none|table] [--before DIR]
                                           [--out FILE] [--replay] [--coverage]
                                           [--variants S ...]

Part of benchmarks/run.py (its "Diverse load" section); runnable alone for a quicker answer.
Four servers run side by side on the same warehouse: the default one (`lmi-cubes serve` as
shipped: rollups and the response cache), the same with the cache off, the same with rollups
and the cache off, and a twin of the second. Load windows alternate between them (A B C D A
B C D ...), so every server sees the same machine load; each client replays the same seeded
request stream on every server. Per server: throughput per window, the server's CPU time per
request, p50 and p95 over all windows, errors, peak memory of the whole process tree (VmHWM
of master and workers, summed; and the peak of the tree's summed PSS, sampled during the
windows, with its USS), latency by the table read and by shape. Then, per shape, the same
requests (with and without extra cuts) timed one by one on the rollup server and on the
base-table server, interleaved: the first request, then paired rounds judged by a sign test
(benchmarks/paired.py), with the twin in the same rounds to measure how far two identical
servers differ; single requests of each shape on one worker, cache off and cached; and the
default server's peak memory under the load by number of workers. --before DIR adds the
default server run from a checkout of earlier code; --coverage only lists the table the
rollup chooser picks for each request of the load, and what the requests left to the fact
table need; --replay only answers the load's requests in this process, one after another,
counting the projections built; --variants compares server settings side by side. Not part
of the test suite.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import math
import os
import random
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:  # run as a script: benchmarks/ is not installed
    sys.path.insert(0, str(HERE.parent))

from benchmarks import paired  # noqa: E402
from benchmarks.memory import Footprint, PeakSampler  # noqa: E402
from lmi_cubes.aggregates.catalog import Catalog  # noqa: E402
from lmi_cubes.model.loader import default_model_dir, load_model  # noqa: E402
from lmi_cubes.warehouse.files import open_read_only  # noqa: E402

CUBE = "ashe_pay"
MEASURE = "mean_pay"
TWIN = "rollups, cache off: its twin"

# (rows, columns, fixed cut): the shapes of the load, each asked for mean pay
SHAPES: list[tuple[str, str, str]] = [
    ("region:region", "industry:ind75", ""),
    ("occupation:soc2", "region:region", "gender:2"),
    ("occupation:soc4", "gender", ""),
    ("industry:ind75", "qualification:broad3", ""),
    ("occupation:soc1", "region:nation", ""),
    ("occupation:soc3", "industry:sector6", "status:1"),
    ("industry:ind22", "region:region", "qualification:1"),
    ("occupation:soc4", "qualification:qualification", ""),
]

# dimension -> the levels an extra cut may select a member of (a path from the top)
EXTRA_CUTS: dict[str, list[str]] = {
    "gender": ["gender"],
    "status": ["status"],
    "region": ["nation", "region"],
    "qualification": ["broad3"],
    "occupation": ["soc1", "soc2"],
    "industry": ["sector6", "ind22"],
}


def shape_name(shape: tuple[str, str, str]) -> str:
    rows, columns, cut = shape
    return f"{rows} x {columns}" + (f" | {cut}" if cut else "")


def url(shape: tuple[str, str, str], extra: list[str]) -> str:
    rows, columns, cut = shape
    cuts = "|".join([c for c in [cut, *extra] if c])
    query = f"rows={rows}&columns={columns}&measure={MEASURE}" + (f"&cut={cuts}" if cuts else "")
    return f"/cube/{CUBE}/crosstab?{query}"


class Paths:
    """Member paths (top level first) of the extra cuts' levels, from the dimension tables."""

    def __init__(self, catalog: Catalog) -> None:
        cube = catalog.model.cube(CUBE)
        self.paths: dict[tuple[str, str], list[str]] = {}
        for dim_name, levels in EXTRA_CUTS.items():
            dim = cube.dimension(dim_name, "cut")
            hierarchy = dim.hierarchy(None, "cut")
            table = catalog.table(dim)
            for level_name in levels:
                depth = hierarchy.level_names.index(level_name) + 1
                keys = [table.column(lv.key) for lv in hierarchy.levels[:depth]]
                found = sorted({tuple(int(k[i]) for k in keys) for i in range(len(table))})
                self.paths[(dim_name, level_name)] = [",".join(map(str, p)) for p in found]

    def extra(self, rng: random.Random, shape: tuple[str, str, str], n: int) -> list[str]:
        """`n` single-member cuts on dimensions the shape neither shows nor cuts (fewer when
        fewer are left)."""
        used = {part.split(":")[0] for part in shape}
        free = [d for d in EXTRA_CUTS if d not in used]
        out = []
        for dim_name in rng.sample(free, min(n, len(free))):
            level = rng.choice(EXTRA_CUTS[dim_name])
            out.append(f"{dim_name}:{rng.choice(self.paths[(dim_name, level)])}")
        return out


def stream(paths: Paths, seed: int) -> Iterator[tuple[int, str]]:
    """One client's endless request stream: (shape index, URL)."""
    rng = random.Random(seed)
    while True:
        i = rng.randrange(len(SHAPES))
        yield i, url(SHAPES[i], paths.extra(rng, SHAPES[i], rng.randint(1, 4)))


@dataclass
class Load:
    """What one server measured under the load, over its windows."""

    label: str
    rates: list[float] = field(default_factory=list)
    times: list[tuple[int, float, str]] = field(default_factory=list)  # (shape, ms, path)
    errors: int = 0
    peak_mb: float = 0.0  # VmHWM summed over the server's processes
    peak: Footprint = field(default_factory=Footprint)  # the sample with the largest summed PSS
    cpu_s: float = 0.0  # CPU time of the server's processes (all threads) during the windows

    def p(self, q: float) -> float:
        from benchmarks.run import pct

        return pct([t for _, t, _ in self.times], q)


def window(port: int, load: Load, streams: list[Iterator[tuple[int, str]]], seconds: float) -> None:
    """Every client's stream for `seconds`, one request at a time per client."""
    from benchmarks.run import get

    stop = time.monotonic() + seconds
    lock = threading.Lock()
    done = [0]

    def client(requests: Iterator[tuple[int, str]]) -> None:
        while time.monotonic() < stop:
            shape, path = next(requests)
            started = time.perf_counter()
            try:
                status, _ = get(port, path)
            except OSError:
                status = 0
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                if status == 200:
                    load.times.append((shape, elapsed, path))
                    done[0] += 1
                else:
                    load.errors += 1

    threads = [threading.Thread(target=client, args=(s,)) for s in streams]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    load.rates.append(done[0] / (time.monotonic() - started))


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of the server's master and workers, every thread (DuckDB's
    included): what the load cost the server, whatever else the machine ran meanwhile."""
    from benchmarks.run import children

    total = 0
    for p in [pid, *children(pid)]:
        with contextlib.suppress(FileNotFoundError):
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


@contextlib.contextmanager
def model_with(protection: str | None) -> Iterator[Path | None]:
    """A copy of the model directory whose cubes all declare `"protection": protection` in
    their reliability section (None: the model as it is)."""
    if protection is None:
        yield None
        return
    with tempfile.TemporaryDirectory() as tmp:
        for path in default_model_dir().glob("*.json"):
            doc = json.loads(path.read_text(encoding="utf-8"))
            for cube in doc.get("cubes", []):
                # every cube declares its reliability under info; a KeyError beats a run
                # that silently measures the model's own policy
                cube["info"]["reliability"]["protection"] = protection
            (Path(tmp) / path.name).write_text(json.dumps(doc, indent=2), encoding="utf-8")
        yield Path(tmp)


def measure(
    warehouse: Path,
    seconds: float = 20.0,
    windows: int = 3,
    per_shape: int = 3,
    rounds: int = 30,
    protection: str | None = None,
    before: Path | None = None,
) -> list[str]:
    """The report's section: the load on four servers (the default; rollups with the cache
    off, its twin, and rollups off, both cache off; a fifth, the default server run from the
    code in `before`, for an A/B in the same run), then every shape one by one on the two
    rollup servers and the base-table server. The twin is the yardstick: whatever the paired
    rounds find between it and its identical sibling is the servers' own difference."""
    from benchmarks.run import peak_memory_mb, server, timed

    catalog = Catalog.read(load_model(), open_read_only(warehouse))
    paths = Paths(catalog)
    configs = [
        ("default (`serve`: rollups, cache)", {}),
        # the paired servers set the same variables, to values of the same length: an
        # environment's size moves the stack's alignment, a difference of its own
        ("rollups, cache off", {"LMI_CUBES_CACHE_MB": "0", "LMI_CUBES_ROLLUPS": "1"}),
        ("rollups off, cache off", {"LMI_CUBES_CACHE_MB": "0", "LMI_CUBES_ROLLUPS": "0"}),
        (TWIN, {"LMI_CUBES_CACHE_MB": "0", "LMI_CUBES_ROLLUPS": "1"}),
    ]
    if before is not None:
        configs.append(("default, code before the change", {}))
    loads = [Load(label) for label, _ in configs]
    load_avg: list[tuple[float, float, float]] = [os.getloadavg()]
    with contextlib.ExitStack() as stack:
        model_dir = stack.enter_context(model_with(protection))
        extra = {"LMI_CUBES_MODEL_DIR": str(model_dir)} if model_dir else {}
        servers = [
            stack.enter_context(
                server(warehouse, env={**env, **extra}, code=before if i == 4 else None)
            )
            for i, (_, env) in enumerate(configs)
        ]
        samplers = [PeakSampler(pid) for _, pid in servers]
        for w in range(windows):
            for (port, pid), load, sampler in zip(servers, loads, samplers, strict=True):
                print(f"diverse load: {load.label}, window {w + 1} of {windows} ...")
                streams = [stream(paths, 1000 * w + c) for c in range(8)]
                before_cpu = cpu_seconds(pid)
                with sampler:
                    window(port, load, streams, seconds)
                load.cpu_s += cpu_seconds(pid) - before_cpu
                load_avg.append(os.getloadavg())
        for (_port, pid), load, sampler in zip(servers, loads, samplers, strict=True):
            load.peak_mb = peak_memory_mb(pid)
            load.peak = sampler.peak
        rng = random.Random(7)
        singles = single_paths(paths, rng, per_shape)
        (rollup_port, _), (base_port, _), (twin_port, _) = servers[1], servers[2], servers[3]
        first: dict[str, tuple[float, float]] = {}
        for n, (_, path) in enumerate(singles):  # which server is first alternates too
            if n % 2 == 0:
                first[path] = (timed(rollup_port, path), timed(base_port, path))
            else:
                base_first = timed(base_port, path)
                first[path] = (timed(rollup_port, path), base_first)
        for _, path in singles:  # the twin's first requests, as the others had theirs
            timed(twin_port, path)
        ports = [rollup_port, base_port, twin_port]
        later = paired_rounds(ports, [p for _, p in singles], rounds, rng)
        load_avg.append(os.getloadavg())
    routes = Routes(warehouse)
    lines = report(
        loads, singles, first, later, load_avg, seconds, windows, protection, routes, rounds
    )
    lines += single_requests(warehouse, rounds=max(rounds, 15))
    return lines + memory_by_workers(warehouse, paths, seconds=min(seconds, 12.0))


def memory_by_workers(
    warehouse: Path, paths: Paths, seconds: float, counts: tuple[int, ...] = (1, 2, 3, 4)
) -> list[str]:
    """Peak memory of the default server under the load, by its number of workers: VmHWM
    summed (each process's own peak, shared pages once per process) beside the peak of the
    summed PSS (shared pages once), so how memory grows with workers is not overstated."""
    from benchmarks.run import children, peak_memory_mb, server

    lines = [
        f"Peak memory of the default server over {seconds:.0f} s of the diverse load, by "
        "workers. VmHWM columns: each process's own peak resident set, summed over the "
        "master and the workers (pages the processes share counted once per process). "
        "PSS column: the largest sum of the master's and the workers' proportional set "
        "size (each shared page split among its sharers, so counted once), sampled every "
        "0.25 s during the load; USS: their private pages at that sample.",
        "",
        "| workers | VmHWM summed, whole server | VmHWM, master | VmHWM, each worker | "
        "peak PSS summed, whole server | USS summed at that sample |",
        "|---:|---:|---:|---|---:|---:|",
    ]
    for count in counts:
        with server(warehouse, workers=count) as (port, pid):
            load = Load(f"{count} workers")
            with PeakSampler(pid) as sampler:
                window(port, load, [stream(paths, 50_000 + c) for c in range(8)], seconds)
            workers = [peak_memory_mb(w) for w in children(pid)]
            whole = peak_memory_mb(pid)
        lines.append(
            f"| {count} | {whole:,.0f} MB | {whole - sum(workers):,.0f} MB | "
            f"{', '.join(f'{w:,.0f}' for w in workers)} MB | {sampler.peak.pss_mb:,.0f} MB | "
            f"{sampler.peak.uss_mb:,.0f} MB |"
        )
    return [*lines, ""]


# the server's cheapest answer: its HTTP stack, Flask and the client, and no data
FLOOR = "/favicon.ico"


def single_requests(warehouse: Path, rounds: int) -> list[str]:
    """Each shape with no extra cut, one request at a time on a kept-alive connection to one
    worker: with the cache off after the shape's first request, and repeated with it on.
    Then as many requests for the server's cheapest answer (`FLOOR`: the HTTP stack, the
    app's per-request work and the client, no data): what a repeated request takes above it
    is the cache's lookup and the body's size."""
    from benchmarks.run import server, timed

    urls = [url(shape, []) for shape in SHAPES]
    uncached: dict[str, list[float]] = {u: [] for u in urls}
    cached: dict[str, list[float]] = {u: [] for u in urls}
    first: dict[str, float] = {}
    with (
        server(warehouse, env={"LMI_CUBES_CACHE_MB": "0"}, workers=1) as (off, off_pid),
        server(warehouse, workers=1) as (on, on_pid),
    ):
        for u in urls:
            first[u] = timed(off, u)
            timed(on, u)  # into the cache (kept from a response's second request)
            timed(on, u)
        cpu = (cpu_seconds(off_pid), cpu_seconds(on_pid))
        for _ in range(rounds):
            for u in urls:
                uncached[u].append(timed(off, u))
                cached[u].append(timed(on, u))
        requests = rounds * len(urls)
        cpu_ms = [
            1000 * (cpu_seconds(p) - c) / requests
            for p, c in zip((off_pid, on_pid), cpu, strict=True)
        ]
        floor_cpu = cpu_seconds(on_pid)
        floor = [timed(on, FLOOR) for _ in range(requests)]
        floor_cpu_ms = 1000 * (cpu_seconds(on_pid) - floor_cpu) / requests
    routes = Routes(warehouse)
    cells = {u: routes.cells(u) for u in urls}
    lines = [
        f"Single requests, one worker, kept-alive connection; median of {rounds} interleaved "
        "rounds after each shape's first request (ms):",
        "",
        "| shape | cells | first request | cache off | cached (repeated) |",
        "|---|---:|---:|---:|---:|",
    ]
    for u, shape in zip(urls, SHAPES, strict=True):
        lines.append(
            f"| {shape_name(shape)} | {cells[u]:,} | {first[u]:.1f} | "
            f"{statistics.median(uncached[u]):.2f} | {statistics.median(cached[u]):.2f} |"
        )
    lines += [
        "",
        f"Server CPU per request over those rounds (the worker's and master's CPU time over the "
        f"requests, all shapes): cache off {cpu_ms[0]:.2f} ms, cached {cpu_ms[1]:.2f} ms.",
        "",
        f"The floor, the same server's cheapest answer (`{FLOOR}`: the HTTP stack, Flask and "
        f"the client, no data), over {requests} requests right after: p50 {statistics.median(floor):.2f} ms, "
        f"server CPU {floor_cpu_ms:.2f} ms per request.",
    ]
    small = [statistics.median(uncached[u]) for u in urls if cells[u] <= 1000]
    repeated = [statistics.median(cached[u]) for u in urls]
    lines += [
        "",
        "| target | measured | met |",
        "|---|---|---|",
        f"| rollup answer <= 3 ms p50 up to 1,000 cells (this mix) | {min(small):.2f}..{max(small):.2f} ms "
        f"({sum(t <= 3 for t in small)} of {len(small)} within) | {_yes(max(small) <= 3)} |",
        f"| repeated (cached) request <= 1 ms p50 (this mix) | {min(repeated):.2f}..{max(repeated):.2f} ms "
        f"({sum(t <= 1 for t in repeated)} of {len(repeated)} within; the floor "
        f"{statistics.median(floor):.2f}) | {_yes(max(repeated) <= 1)} |",
        "",
    ]
    return lines


class Routes:
    """What the default engine makes of a request: the table it reads, the table's cells."""

    def __init__(self, warehouse: Path) -> None:
        from lmi_cubes.aggregates.engine import Engine

        self.engine = Engine(load_model(), open_read_only(warehouse))
        self._tables: dict[str, str] = {}

    def query(self, path: str) -> Any:
        from lmi_cubes.aggregates.query import Request

        args = dict(urllib.parse.parse_qsl(path.split("?", 1)[1]))
        axes = (args["rows"], args["columns"])
        request = Request(CUBE, axes=axes, measures=(args["measure"],), cut=args.get("cut"))
        return self.engine.query(request)

    def table(self, path: str) -> str:
        if path not in self._tables:
            self._tables[path] = self.engine.table_for(self.query(path))
        return self._tables[path]

    def cells(self, path: str) -> int:
        """The cross-tab's cells, margins included."""
        return math.prod(len(axis.keys) + 1 for axis in self.query(path).axes)


def single_paths(paths: Paths, rng: random.Random, per_shape: int) -> list[tuple[int, str]]:
    """(shape index, path) of every shape with no extra cut and with `per_shape` drawn sets of
    them: the requests timed one by one."""
    return [
        (i, url(shape, extra))
        for i, shape in enumerate(SHAPES)
        for extra in [[]] + [paths.extra(rng, shape, rng.randint(1, 4)) for _ in range(per_shape)]
    ]


def paired_rounds(
    ports: list[int],
    order: list[str],
    rounds: int,
    rng: random.Random,
    timer: Callable[[int, str], float] | None = None,
) -> dict[str, list[list[float]]]:
    """Path -> its times on each server, one per round: every path timed on every server back
    to back. The servers' order changes by round through every permutation, and the paths
    come in a new order each round: in a fixed order, whatever the request before leaves in
    the caches (or the server asked just before still finishing its own work on the same
    two cores) biases a request the same way in every round, which pairing cannot cancel.
    Rotating three servers would not do: A B C, B C A and C A B all ask A right after C.
    `timer(port, path)` times one request, ms: by default over HTTP."""
    from benchmarks.run import timed

    timer = timer or timed
    order = list(order)
    times: dict[str, list[list[float]]] = {path: [[] for _ in ports] for path in order}
    turns = list(itertools.permutations(range(len(ports))))
    for r in range(rounds):
        rng.shuffle(order)
        turn = turns[r % len(turns)]
        for path in order:
            for side in turn:
                times[path][side].append(timer(ports[side], path))
    return times


def extra_cuts(shape: int, path: str) -> str:
    """The cuts a single request adds to its shape's own, for the reports' tables."""
    extra = path.split("cut=")[-1] if "cut=" in path else ""
    return extra.removeprefix(SHAPES[shape][2]).lstrip("|") or "-"


def report(
    loads: list[Load],
    singles: list[tuple[int, str]],
    first: dict[str, tuple[float, float]],
    later: dict[str, list[list[float]]],
    load_avg: list[tuple[float, float, float]],
    seconds: float,
    windows: int,
    protection: str | None,
    routes: Routes,
    rounds: int,
) -> list[str]:
    default, _rollups, base = loads[0], loads[1], loads[2]
    ones = [a[0] for a in load_avg]
    lines = [
        "## Diverse load",
        "",
        f"Eight clients, each request one of {len(SHAPES)} shapes of `{CUBE}` ({MEASURE}) with "
        "one to four extra single-member cuts drawn from "
        f"{', '.join(EXTRA_CUTS)} (benchmarks/diverse.py); {windows} windows of {seconds:.0f} s "
        "per server, alternating between the servers; 2 workers, 4 threads each. "
        f"Reliability policy: {protection or 'as the model declares it'}. "
        f"Load average (1 min) during the windows {min(ones):.1f}..{max(ones):.1f} "
        f"(5 min at the end {load_avg[-1][1]:.1f}).",
        "",
        "Server CPU per request is the CPU time of all the server's processes and threads "
        "during its windows over the requests served: what a request costs the server, "
        "much less sensitive than times to what else the machine runs.",
        "",
        "Peak VmHWM summed: each of the server's processes' own peak resident set, summed "
        "(pages the processes share, such as the DuckDB and numpy libraries, counted once "
        "per process). Peak PSS summed: the largest sum of the processes' proportional set "
        "size (each shared page split among its sharers, so counted once), sampled every "
        "0.25 s during the server's windows; USS: the processes' private pages at that sample.",
        "",
        "| server | req/s per window | server CPU ms per request | p50 ms | p95 ms | p95 / p50 | "
        "errors | peak VmHWM summed over processes | peak PSS summed over processes | "
        "USS summed at the PSS peak |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for load in loads:
        lines.append(
            f"| {load.label} | {', '.join(f'{r:.0f}' for r in load.rates)} | "
            f"{1000 * load.cpu_s / max(len(load.times), 1):.1f} | {load.p(0.5):.0f} | "
            f"{load.p(0.95):.0f} | {load.p(0.95) / load.p(0.5):.1f} | {load.errors} | "
            f"{load.peak_mb:,.0f} MB | {load.peak.pss_mb:,.0f} MB | {load.peak.uss_mb:,.0f} MB |"
        )
    tables = sorted({routes.table(path) for load in loads for *_, path in load.times})
    default_paths = [path for *_, path in default.times]
    lines += [
        "",
        "By the table the default server reads (the same request reads the same table on "
        "every server with rollups; the rollups-off server reads the fact table), p50 / p95 "
        "ms, and the share of the default server's requests:",
        "",
        "| table | share | " + " | ".join(load.label for load in loads) + " |",
        "|---|---:|" + "---|" * len(loads),
    ]
    for table in tables:
        share = sum(routes.table(p) == table for p in default_paths) / len(default_paths)
        cells = []
        for load in loads:
            times = [t for _, t, path in load.times if routes.table(path) == table]
            cells.append(
                f"{statistics.median(times):.0f} / {pct(times, 0.95):.0f}" if times else "-"
            )
        lines.append(f"| {table} | {share:.0%} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "Per shape under the load (p50 / p95 ms):",
        "",
        "| shape | " + " | ".join(load.label for load in loads) + " |",
        "|---|" + "---|" * len(loads),
    ]
    for i, shape in enumerate(SHAPES):
        cells = []
        for load in loads:
            times = [t for s, t, _ in load.times if s == i]
            cells.append(
                f"{statistics.median(times):.0f} / {pct(times, 0.95):.0f}" if times else "-"
            )
        lines.append(f"| {shape_name(shape)} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "Each shape one request at a time (cache off; the rollup server, the base-table "
        "server and the rollup server's twin back to back, in every order in turn by round, "
        "and the requests in a new order each round): the first "
        f"request, then the median of {rounds} later rounds, ms. Two servers on one machine "
        "drift by more than two tables that read the same row groups differ, so a request "
        "is called slower through the rollup only when the rollup server took longer in "
        "significantly more of the paired rounds than chance allows (one-sided sign test, "
        f"{paired.ALPHA:.0%}; benchmarks/paired.py), faster the other way round, at parity "
        "otherwise; the ratio's interval is the median ratio's "
        f"{1 - paired.ALPHA:.0%} interval over the rounds. A first request is one time on each "
        "server, not a test. A request whose answer needs no statement (a cut keeping none "
        "of the facts' members) names the fact table on both. The same rounds time the "
        "rollup server's twin (same code, data, settings and load windows): the last two "
        "columns are the twin against the base-table server and the two twins against "
        "each other, whose largest ratio either way round over all the requests is the "
        "servers' own difference in this run (benchmarks/paired.py `spread`).",
        "",
        "| shape | request's extra cuts | table read with rollups | rollup, first | "
        "base, first | rollup, later | base, later | rollup / base (later) [interval] | "
        "rounds rollup / base slower | verdict | twin / base | rollup / twin |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---|---|---|",
    ]
    twins = {path: paired.compare(later[path][0], later[path][2]) for _, path in singles}
    spread = paired.spread(list(twins.values()))
    both, beyond = 0, 0
    verdicts: Counter[str] = Counter()
    same_work: Counter[str] = Counter()  # the servers' own difference, on identical work
    same_ratios: list[float] = []
    median_slower, slower_first, through_rollup = 0, 0, 0
    for i, path in singles:
        rollup_first, base_first = first[path]
        rollup_later, base_later = (statistics.median(t) for t in later[path][:2])
        found = paired.compare(later[path][0], later[path][1])
        twin = paired.compare(later[path][2], later[path][1])
        table = routes.table(path)
        read_rollup = table != routes.engine.sources[CUBE][0].table
        if read_rollup:  # otherwise both servers read the facts
            through_rollup += 1
            slower_first += rollup_first > base_first
            median_slower += rollup_later > base_later
            verdicts[found.verdict] += 1
            both += found.verdict == twin.verdict == "slower"
            beyond += paired.beyond(found, spread)
        else:
            same_work[found.verdict] += 1
            same_ratios.append(found.ratio)
        lines.append(
            f"| {shape_name(SHAPES[i])} | {extra_cuts(i, path)} | {table} | {rollup_first:.1f} | "
            f"{base_first:.1f} | {rollup_later:.1f} | {base_later:.1f} | "
            f"{found.ratio:.2f} [{found.low:.2f}-{found.high:.2f}] | "
            f"{found.first_slower} / {found.second_slower} | "
            f"{found.verdict if read_rollup else f'({found.verdict}, facts on both)'} | "
            f"{twin.ratio:.2f} {twin.verdict} | {twins[path].ratio:.2f} {twins[path].verdict} |"
        )
    twins_differ = sum(t.verdict != "parity" for t in twins.values())
    slower = verdicts["slower"]
    lines += [
        "",
        f"Of these requests {through_rollup} read a rollup (the other "
        f"{len(singles) - through_rollup} name the fact table on both servers: their answer "
        "needs no statement, or no rollup keeps all their dimensions at the levels they "
        f"need). Through the rollup, over the paired rounds: {verdicts['faster']} faster, "
        f"{verdicts['parity']} at parity, {slower} slower. By the two medians alone, "
        f"{median_slower} of {through_rollup} had the rollup's the larger; by the first "
        f"request alone, {slower_first} of {through_rollup}.",
        "",
        f"The same work on both servers (the {len(same_ratios)} requests that read the facts "
        "or no table on both), by the same paired test, measures the two servers' own "
        f"difference: the rollup server {same_work['slower']} slower, {same_work['parity']} "
        f"at parity, {same_work['faster']} faster"
        + (
            f"; median of their ratios {statistics.median(same_ratios):.2f} "
            f"({min(same_ratios):.2f}-{max(same_ratios):.2f})."
            if same_ratios
            else "."
        ),
        "",
        f"The twins differed on {twins_differ} of {len(twins)} requests; their largest ratio "
        f"either way round, the servers' own difference in this run, was {spread:.2f}. Of "
        f"the {slower} requests slower through the rollup, {both} were slower on the twin as "
        f"well, and {beyond} had the whole interval of their ratio above {spread:.2f}.",
        "",
        "| target | measured | met |",
        "|---|---|---|",
        f"| default throughput >= 1.5x rollups off (same run) | {statistics.median(default.rates):.0f} / "
        f"{statistics.median(base.rates):.0f} req/s (median window) = "
        f"{statistics.median(default.rates) / statistics.median(base.rates):.2f}x | "
        f"{_yes(statistics.median(default.rates) >= 1.5 * statistics.median(base.rates))} |",
        f"| (capacity) server CPU per request, rollups off / default | "
        f"{base.cpu_s / max(len(base.times), 1) * 1000:.1f} / "
        f"{default.cpu_s / max(len(default.times), 1) * 1000:.1f} ms = "
        f"{(base.cpu_s / max(len(base.times), 1)) / max(default.cpu_s / max(len(default.times), 1), 1e-9):.2f}x | - |",
        f"| default p95 <= 3x p50 | p50 {default.p(0.5):.0f} ms, p95 {default.p(0.95):.0f} ms "
        f"({default.p(0.95) / default.p(0.5):.1f}x) | {_yes(default.p(0.95) <= 3 * default.p(0.5))} |",
        f"| 0 errors | {sum(load.errors for load in loads)} | "
        f"{_yes(not any(load.errors for load in loads))} |",
        f"| no shape slower through a rollup (uncached, with and without extra cuts) | "
        f"{slower} of {through_rollup} requests through a rollup slower over {rounds} paired "
        f"rounds ({verdicts['parity']} at parity, {verdicts['faster']} faster) | "
        f"{_yes(slower == 0)} |",
        f"| (reading) of those, slower on the twin too, and beyond the twins' own difference "
        f"({spread:.2f}) | {both} and {beyond} | - |",
        f"| peak memory of the whole server under the load <= 450 MB (2 workers), as the "
        f"peak of its processes' summed PSS | {default.peak.pss_mb:,.0f} MB (default; the sum "
        f"of each process's own peak, VmHWM, which counts shared pages once per process: "
        f"{default.peak_mb:,.0f} MB) | {_yes(default.peak.pss_mb <= 450)} |",
        "",
    ]
    return lines


def pct(values: list[float], q: float) -> float:
    from benchmarks.run import pct as percentile

    return percentile(values, q)


def _yes(met: bool) -> str:
    return "yes" if met else "no"


def variants(warehouse: Path, settings: list[str], seconds: float, windows: int = 3) -> list[str]:
    """The default server with each of `settings` ("NAME=VALUE,NAME=VALUE", or "-" for none)
    side by side under the load, windows alternating: what a setting costs in memory and
    time (e.g. LMI_CUBES_DUCKDB_MEMORY, the DuckDB buffer pool per worker)."""
    from benchmarks.run import peak_memory_mb, server

    paths = Paths(Catalog.read(load_model(), open_read_only(warehouse)))
    loads = [Load(setting) for setting in settings]
    with contextlib.ExitStack() as stack:
        servers = [
            stack.enter_context(
                server(
                    warehouse,
                    env=dict(kv.split("=", 1) for kv in setting.split(",") if setting != "-"),
                )
            )
            for setting in settings
        ]
        samplers = [PeakSampler(pid) for _, pid in servers]
        for w in range(windows):
            for (port, pid), load, sampler in zip(servers, loads, samplers, strict=True):
                before_cpu = cpu_seconds(pid)
                with sampler:
                    window(port, load, [stream(paths, 1000 * w + c) for c in range(8)], seconds)
                load.cpu_s += cpu_seconds(pid) - before_cpu
        for (_port, pid), load, sampler in zip(servers, loads, samplers, strict=True):
            load.peak_mb = peak_memory_mb(pid)
            load.peak = sampler.peak
    lines = [
        f"Default server (2 workers) by setting, {windows} alternating "
        f"windows of {seconds:.0f} s of the diverse load; load average "
        f"{os.getloadavg()[0]:.1f} at the end (PSS sampled every 0.25 s during the windows; "
        "VmHWM counts shared pages once per process, PSS once):",
        "",
        "| setting | req/s per window | server CPU ms per request | p50 ms | p95 ms | "
        "peak VmHWM summed over processes | peak PSS summed over processes | "
        "USS summed at the PSS peak |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for load in loads:
        lines.append(
            f"| {load.label} | {', '.join(f'{r:.0f}' for r in load.rates)} | "
            f"{1000 * load.cpu_s / max(len(load.times), 1):.1f} | {load.p(0.5):.0f} | "
            f"{load.p(0.95):.0f} | {load.peak_mb:,.0f} MB | {load.peak.pss_mb:,.0f} MB | "
            f"{load.peak.uss_mb:,.0f} MB |"
        )
    return [*lines, ""]


def replay(warehouse: Path, requests: int = 1200) -> str:
    """The load's requests answered one after another in this process (no HTTP): wall and
    CPU time, and how many projections were built and the time they took."""
    from lmi_cubes.aggregates import resident

    routes = Routes(warehouse)
    paths = Paths(routes.engine.catalog)
    per_client = requests // 8
    urls = [u for c in range(8) for _, u in itertools.islice(stream(paths, c), per_client)]
    random.Random(1).shuffle(urls)
    build = resident.read
    builds: list[float] = []

    def timed_read(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return build(*args, **kwargs)
        finally:
            builds.append(time.perf_counter() - started)

    resident.read = timed_read  # type: ignore[assignment]
    try:
        started, cpu = time.perf_counter(), time.process_time()
        for path in urls:
            routes.engine.run(routes.query(path))
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    finally:
        resident.read = build  # type: ignore[assignment]
    return (
        f"{len(urls)} requests of the diverse load in process: wall {wall:.1f} s, CPU "
        f"{cpu:.1f} s; {len(builds)} projections built, taking {sum(builds):.1f} s"
    )


def coverage(warehouse: Path, requests: int = 2400) -> str:
    """Which table the rollup chooser picks for the load's requests (no query is run), and the
    dimensions and levels of the requests left to the fact table: what a rollup would have to
    keep to answer them."""
    routes = Routes(warehouse)
    paths = Paths(routes.engine.catalog)
    per_client = requests // 8
    tables: Counter[str] = Counter()
    facts: Counter[tuple[str, str]] = Counter()
    for c in range(8):
        for i, path in itertools.islice(stream(paths, c), per_client):
            query = routes.query(path)
            table = routes.engine.source_for(query).table
            tables[table] += 1
            if table == routes.engine.sources[CUBE][0].table:
                needs = [f"{a.dimension.name}:{a.level.name}" for a in query.axes]
                needs += [f"cut {cut.dimension}:{cut.level}" for cut in query.cuts]
                facts[(shape_name(SHAPES[i]), ", ".join(sorted(needs)))] += 1
    total = sum(tables.values())
    lines = [f"{total} requests of the diverse load (8 clients' streams), by the table chosen:", ""]
    lines += [f"- {t}: {n} ({100 * n / total:.1f}%)" for t, n in tables.most_common()]
    if facts:
        lines += [
            "",
            "Left to the fact table (shape; the levels it needs), most frequent first:",
            "",
        ]
        lines += [f"- {n} x {s}; {needs}" for (s, needs), n in facts.most_common()]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, default=HERE / "data" / "full.duckdb")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--windows", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--protection", choices=["none", "table"])
    parser.add_argument(
        "--before", type=Path, help="a checkout of the code before a change: a fourth server"
    )
    parser.add_argument("--out", type=Path)
    parser.add_argument(
        "--replay", action="store_true", help="only the load's requests in this process, timed"
    )
    parser.add_argument(
        "--coverage", action="store_true", help="only the table the chooser picks per request"
    )
    parser.add_argument(
        "--variants",
        nargs="+",
        help="only the default server with each setting, e.g. - LMI_CUBES_DUCKDB_MEMORY=64MB",
    )
    args = parser.parse_args()
    if args.variants:
        print("\n".join(variants(args.warehouse, args.variants, args.seconds)))
        return
    if args.replay:
        print(replay(args.warehouse))
        return
    if args.coverage:
        print(coverage(args.warehouse))
        return
    lines = measure(
        args.warehouse,
        args.seconds,
        args.windows,
        rounds=args.rounds,
        protection=args.protection,
        before=args.before,
    )
    print("\n".join(lines))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text("\n".join(lines))


if __name__ == "__main__":
    main()
