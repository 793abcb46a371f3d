"""Sample withheld cells from random cross-tabs, run every route, score against the source files."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .client import ApiError, Axis, Cell, Client, Cut, Spec, Table
from .routes import (
    Estimate,
    Iv,
    route_alone,
    route_fallback,
    route_inverted,
    route_lp,
    route_narrowing,
    route_parent,
    route_set,
    route_years,
    withheld,
)
from .truth import Truth

CUBES = ("ashe_pay", "ashe_hours", "working_futures")
WEIGHT_TOLERANCE = 0.5  # a weight is recovered if known to within +-50%
MEAN_TOLERANCE = 0.1  # a mean is recovered if known to within +-10%
MAX_CELLS = 400
SMALL = 1000  # cells under this weight are the unreliable ones (primary suppression)
ROUTES = (
    "a inverted cut",
    "b set minus sibling",
    "c parent minus children",
    "d WF year arithmetic",
    "e fallback fill",
    "f rounding narrowing",
    "g LP one response",
    "h cell asked alone",
)

# simple tables for the over-suppression guard: (cube, rows, columns)
USEFUL_TABLES = (
    ("ashe_pay", Axis("occupation", "soc2"), Axis("region", "nation")),
    ("ashe_pay", Axis("industry", "ind22"), Axis("gender", "gender")),
    ("ashe_pay", Axis("qualification", "qualification", "broad"), Axis("status", "status")),
    ("ashe_hours", Axis("occupation", "soc1"), Axis("region", "region")),
    ("working_futures", Axis("occupation", "soc2"), Axis("region", "nation")),
    ("working_futures", Axis("industry", "ind22"), Axis("status", "status")),
)


@dataclass
class RouteScore:
    attacked: int = 0
    recovered: int = 0
    mean_attacked: int = 0
    mean_recovered: int = 0
    small_recovered: int = 0  # recovered cells under the threshold
    examples: list[str] = field(default_factory=list)


@dataclass
class Report:
    seed: int
    sampled: int = 0
    recovered: int = 0
    mean_sampled: int = 0
    mean_recovered: int = 0
    inconsistent: int = 0
    small_sampled: int = 0  # sampled cells under the threshold (unreliable figures)
    small_recovered: int = 0
    routes: dict[str, RouteScore] = field(default_factory=dict)
    useful_big: int = 0
    useful_published: int = 0
    tables: int = 0
    requests: int = 0
    seconds: float = 0.0

    @property
    def recovered_share(self) -> float:
        return self.recovered / self.sampled if self.sampled else 0.0

    @property
    def published_share(self) -> float:
        return self.useful_published / self.useful_big if self.useful_big else 0.0

    def __str__(self) -> str:
        lines = [
            f"adversary audit, seed {self.seed}: {self.sampled} withheld cells sampled from "
            f"{self.tables} cross-tabs, {self.requests} requests, {self.seconds:.1f} s",
            f"{'route':28} {'attacked':>8} {'weight±50%':>10} {'mean±10%':>14}",
        ]
        for name in sorted(self.routes):
            s = self.routes[name]
            mean = f"{s.mean_recovered}/{s.mean_attacked}"
            lines.append(f"{name:28} {s.attacked:>8} {s.recovered:>10} {mean:>14}")
        lines.append(
            f"{'any route (intersected)':28} {self.sampled:>8} {self.recovered:>10} "
            f"{f'{self.mean_recovered}/{self.mean_sampled}':>14}"
        )
        lines.append(
            f"recovered: {self.recovered}/{self.sampled} = {self.recovered_share:.1%} of sampled "
            f"withheld cells (weight within ±50%); inconsistent estimates: {self.inconsistent}"
        )
        lines.append(
            f"of which under {SMALL:,}: {self.small_recovered}/{self.small_sampled} recovered"
        )
        lines.append(
            f"usefulness: {self.useful_published}/{self.useful_big} = {self.published_share:.1%} "
            "of cells with weight >= 10,000 published in the simple tables"
        )
        for name in sorted(self.routes):
            for ex in self.routes[name].examples[:2]:
                lines.append(f"  e.g. {name}: {ex}")
        return "\n".join(lines)


def inside(iv: Iv, truth: float, tol: float) -> bool:
    return iv.finite() and iv.lo >= (1 - tol) * truth and iv.hi <= (1 + tol) * truth


def random_spec(client: Client, rng: random.Random, cube: str, years: list[int]) -> Spec:
    h = client.hierarchies(cube)
    dims = [d for d in h.levels if d != "year"]

    def pick_axis(exclude: set[str], fine: bool) -> Axis:
        dim = rng.choice([d for d in dims if d not in exclude])
        hier = rng.choice(sorted(h.levels[dim]))
        levels = [lv for lv in h.levels[dim][hier] if lv != "uk"]
        if fine and len(levels) > 1:
            levels = levels[1:]
        return Axis(dim, rng.choice(levels), hier)

    while True:
        rows = pick_axis(set(), fine=True)
        cols = pick_axis({rows.dim}, fine=False)
        size = len(h.members(rows.dim, rows.level, rows.hierarchy)) * len(
            h.members(cols.dim, cols.level, cols.hierarchy)
        )
        if size <= MAX_CELLS:
            break
    cut_dim = rng.choice([d for d in dims if d not in (rows.dim, cols.dim)])
    hier = rng.choice(sorted(h.levels[cut_dim]))
    levels = [lv for lv in h.levels[cut_dim][hier] if lv != "uk"]
    level = rng.choice(levels[:2])
    key = rng.choice(h.members(cut_dim, level, hier))
    cuts: tuple[Cut, ...] = (Cut(cut_dim, level, (key,), False, hier),)
    if cube == "working_futures":
        cuts = (*cuts, Cut("year", "year", (rng.choice(years),)))
    return Spec(cube, rows, cols, cuts)


def usefulness(client: Client, truth: Truth) -> tuple[int, int]:
    big = published = 0
    for cube, rows, cols in USEFUL_TABLES:
        t = client.crosstab(Spec(cube, rows, cols))
        for p in t.everything():
            if truth.weight(p.cell) >= 10000:
                big += 1
                published += p.flag != "suppressed"
    return published, big


def audit(
    base_url: str, data_dir: Path, seed: int = 1, sample: int = 100, tables: int = 40
) -> Report:
    start = time.monotonic()
    client = Client(base_url)
    truth = Truth(Path(data_dir))
    rng = random.Random(seed)
    report = Report(seed)
    for name in ROUTES:
        report.routes[name] = RouteScore()
    years = [int(m) for m in client.hierarchies("working_futures").members("year", "year")]

    # 1. target tables and the withheld cells in them (cells of positive weight only: a
    #    withheld empty cell has no +-50% to recover)
    targets: list[Table] = []
    pools: list[list[Cell]] = []
    seen: set[Cell] = set()
    for i in range(tables):
        spec = random_spec(client, rng, CUBES[i % 3], years)
        try:
            t = client.crosstab(spec)
        except ApiError:
            continue
        cells = [p.cell for p in withheld(t) if p.cell not in seen and truth.weight(p.cell) > 0]
        cells = list(dict.fromkeys(cells))
        if cells:
            rng.shuffle(cells)
            targets.append(t)
            pools.append(cells)
            seen.update(cells)
    chosen: set[Cell] = set()
    while len(chosen) < sample and any(pools):  # round robin, so every table contributes
        for pool in pools:
            if pool and len(chosen) < sample:
                chosen.add(pool.pop())
    report.tables = len(targets)

    # 2. attacks
    pick: Callable[[list[int]], list[int]] = lambda xs: rng.sample(xs, min(1, len(xs)))  # noqa: E731
    estimates: list[Estimate] = []
    for t in targets:
        mine = {p.cell for p in withheld(t)} & chosen
        if not mine:
            continue
        estimates += route_inverted(client, t)
        estimates += route_set(client, t, pick)
        estimates += route_parent(client, t, mine)
        estimates += route_years(client, t, years)
        estimates += route_fallback(client, t, mine)
        estimates += route_narrowing(client, t)
        estimates += route_lp(client, t, mine)
        estimates += route_alone(client, t, mine)

    # 3. scoring
    per_route: dict[str, dict[Cell, Estimate]] = {}
    combined: dict[Cell, tuple[Iv, Iv | None]] = {}
    for e in estimates:
        if e.cell not in chosen:
            continue
        best = per_route.setdefault(e.route, {})
        if e.cell in best:
            prev = best[e.cell]
            mean = (
                e.mean
                if prev.mean is None
                else (prev.mean if e.mean is None else prev.mean & e.mean)
            )
            best[e.cell] = Estimate(e.route, e.cell, prev.weight & e.weight, mean, prev.note)
        else:
            best[e.cell] = e
        wsofar, msofar = combined.get(e.cell, (Iv(0.0, float("inf")), None))
        msofar = e.mean if msofar is None else (msofar if e.mean is None else msofar & e.mean)
        combined[e.cell] = (wsofar & e.weight, msofar)
    for route, best in per_route.items():
        score = report.routes.setdefault(route, RouteScore())
        for cell, e in best.items():
            w = truth.weight(cell)
            if e.weight.finite():
                score.attacked += 1
                if inside(e.weight, w, WEIGHT_TOLERANCE):
                    score.recovered += 1
                    score.small_recovered += w < SMALL
                    if len(score.examples) < 2:
                        score.examples.append(
                            f"{cell.describe()}: [{e.weight.lo:.0f}, {e.weight.hi:.0f}] true {w:.0f} {e.note}"
                        )
            m = truth.mean(cell)
            if e.mean is not None and e.mean.finite() and m is not None:
                score.mean_attacked += 1
                score.mean_recovered += inside(e.mean, m, MEAN_TOLERANCE)
    report.sampled = len(chosen)
    for cell in chosen:
        w = truth.weight(cell)
        m = truth.mean(cell)
        if m is not None:
            report.mean_sampled += 1
        report.small_sampled += w < SMALL
        if cell not in combined:
            continue
        wiv, miv = combined[cell]
        if wiv.lo > wiv.hi + 1e-6:
            report.inconsistent += 1
            continue
        report.recovered += inside(wiv, w, WEIGHT_TOLERANCE)
        report.small_recovered += w < SMALL and inside(wiv, w, WEIGHT_TOLERANCE)
        if miv is not None and m is not None:
            report.mean_recovered += inside(miv, m, MEAN_TOLERANCE)

    # 4. is the server still useful?
    report.useful_published, report.useful_big = usefulness(client, truth)
    report.requests = client.requests
    report.seconds = time.monotonic() - start
    return report
