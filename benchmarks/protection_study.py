"""Study: could a cell-based suppression pattern protect small cells across requests?

    .venv/bin/python benchmarks/protection_study.py WAREHOUSE ROWS COLUMNS [--sample N]

ROWS and COLUMNS are finest levels of two ASHE pay dimensions (soc4, region, ind75, qual,
gender, status). For a sample of small cells (0 < w < 1,000) of that two-way table it asks:

- one table: does the cell have a sibling box (partners under the same parents) whose other
  corners weigh >= w/2? This is what the engine needs for the one-response guarantee.
- across requests: is there a box whose shift can be spread over the finest cells of the
  other four dimensions so that no published cell of any other table changes? Published
  here means weight >= 1,000 (small cells are withheld everywhere); the partner corners and
  every finer cell of theirs that the shift touches are taken as withheld everywhere too
  (the price of the scheme). That is an exact linear feasibility problem per box, solved
  with SciPy's HiGHS for both directions (the cell at w/2 and at 3w/2).

A cell of box S = (x, r), P = (x', r), R = (x, r'), PR = (x', r') with parents X, Y: for every
node combination N of the other dimensions (each at its total or at any level) whose cell
is published, the shift must leave (X, r, N), (X, r', N), (x, Y, N), (x', Y, N) and (X, Y, N)
unchanged. Not a benchmark of speed: it measures whether option 2 of docs/protection.md is
feasible on a data set, and what it costs (large cells the shift touches).
"""

from __future__ import annotations

import argparse
import collections
import itertools
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
from scipy.optimize import linprog
from scipy.sparse import coo_matrix

THRESHOLD = 1000.0
# dimension -> its levels, coarsest first (the finest is the table's level)
LEVELS = {
    "gender": ["gender"],
    "status": ["status"],
    "ind75": ["sector6", "ind22", "ind75"],
    "qual": ["broad3", "nqf6", "qual"],
    "soc4": ["soc3", "soc4"],
    "region": ["nation", "region"],
}
ATOMS = """
select f.gender, f.status, f.occupation soc4, o.soc3, f.region, r.nation, f.industry ind75,
       i.ind22, i.sector6, f.qualification qual, q.nqf6, q.broad3, 0 one,
       sum(employment)::double w
from fact_ashe_pay f
join dim_occupation o on o.soc4 = f.occupation
join dim_region r on r.region = f.region
join dim_industry i on i.ind75 = f.industry
join dim_qualification q on q.qualification = f.qualification
group by all
"""


class Study:
    def __init__(self, atoms: pd.DataFrame, rows: str, columns: str) -> None:
        self.df = atoms
        self.a, self.b = rows, columns
        self.a_par = LEVELS[rows][-2] if len(LEVELS[rows]) > 1 else "one"
        self.b_par = LEVELS[columns][-2] if len(LEVELS[columns]) > 1 else "one"
        self.rest = [d for d in LEVELS if d not in (rows, columns)]
        self.rest_cols = [LEVELS[d][-1] for d in self.rest]
        self.coarse_cols = [level for d in self.rest for level in LEVELS[d][:-1]]
        self.profiles = list(itertools.product(*[[None, *LEVELS[d]] for d in self.rest]))
        self.published = self._published()
        self.total = atoms.groupby([rows, columns])["w"].sum()
        self.parent_a = atoms.groupby(rows)[self.a_par].first()
        self.parent_b = atoms.groupby(columns)[self.b_par].first()
        self.siblings_a = self.parent_a.groupby(self.parent_a).groups
        self.siblings_b = self.parent_b.groupby(self.parent_b).groups
        self.cells = dict(iter(atoms.groupby([rows, columns])))

    def _published(self) -> set[tuple[object, ...]]:
        """Cells that cover both sides of a box on at least one axis, with weight >= 1,000."""
        out: set[tuple[object, ...]] = set()
        sides = ((self.a_par, self.b), (self.a, self.b_par), (self.a_par, self.b_par))
        for profile in self.profiles:
            cols = [level for level in profile if level is not None]
            for side_a, side_b in sides:
                sums = self.df.groupby([side_a, side_b, *cols], sort=False)["w"].sum()
                for key, weight in sums.items():
                    if weight >= THRESHOLD:
                        out.add((side_a, side_b, profile, *key))
        return out

    def protected(self, x: object, r: object, x2: object, r2: object, w: float) -> tuple[bool, int]:
        """Whether box (x2, r2) protects cell (x, r) across requests, and how many large
        cells (>= 1,000) finer than a partner corner its shift touches."""
        frames = [self.cells.get(k) for k in ((x, r), (x2, r), (x, r2), (x2, r2))]
        present = pd.concat([f for f in frames if f is not None])
        atoms = present.drop_duplicates(self.rest_cols)[self.rest_cols + self.coarse_cols]
        atoms = atoms.reset_index(drop=True)
        n = len(atoms)
        index = {tuple(t): i for i, t in enumerate(atoms[self.rest_cols].itertuples(index=False))}
        capacity = np.zeros((4, n))
        for corner, frame in enumerate(frames):
            if frame is not None:
                for t, weight in zip(
                    frame[self.rest_cols].itertuples(index=False), frame["w"], strict=True
                ):
                    capacity[corner, index[tuple(t)]] += weight
        big_x, big_y = self.parent_a[x], self.parent_b[r]
        lines = (
            ((self.a_par, self.b), big_x, r, (0, 1)),
            ((self.a_par, self.b), big_x, r2, (2, 3)),
            ((self.a, self.b_par), x, big_y, (0, 2)),
            ((self.a, self.b_par), x2, big_y, (1, 3)),
            ((self.a_par, self.b_par), big_x, big_y, (0, 1, 2, 3)),
        )
        rows: list[int] = []
        cols: list[int] = []
        groups = []
        n_rows = 0
        for profile in self.profiles:
            keys = self._keys(atoms, profile)
            by_key = collections.defaultdict(list)
            for i, key in enumerate(keys):
                by_key[key].append(i)
            groups.append((profile, keys))
            for (side_a, side_b), key_a, key_b, corners in lines:
                for key, members in by_key.items():
                    if (side_a, side_b, profile, key_a, key_b, *key) in self.published:
                        for corner in corners:
                            rows += [n_rows] * len(members)
                            cols += [corner * n + i for i in members]
                        n_rows += 1
        rows += [n_rows] * n  # the cell's own shift
        cols += list(range(n))
        matrix = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n_rows + 1, 4 * n)).tocsr()
        bounds = [(-capacity[c, i], None) for c in range(4) for i in range(n)]
        touched: set[tuple[object, ...]] = set()
        for target in (-w / 2, w / 2):
            rhs = np.zeros(n_rows + 1)
            rhs[n_rows] = target
            solved = linprog(np.zeros(4 * n), A_eq=matrix, b_eq=rhs, bounds=bounds, method="highs")
            if solved.status != 0:
                return False, 0
            shift = solved.x.reshape(4, n)
            for profile, keys in groups:
                for corner in (1, 2, 3):
                    moved: dict[tuple[object, ...], float] = collections.defaultdict(float)
                    weight: dict[tuple[object, ...], float] = collections.defaultdict(float)
                    for i, key in enumerate(keys):
                        moved[key] += shift[corner, i]
                        weight[key] += capacity[corner, i]
                    touched |= {
                        (corner, profile, k)
                        for k in moved
                        if abs(moved[k]) > 1e-6 and weight[k] >= THRESHOLD
                    }
        return True, len(touched)

    @staticmethod
    def _keys(atoms: pd.DataFrame, profile: tuple[str | None, ...]) -> list[tuple[object, ...]]:
        cols = [level for level in profile if level is not None]
        if not cols:
            return [()] * len(atoms)
        return [tuple(k) for k in atoms[cols].itertuples(index=False)]

    def run(self, sample: int, boxes_per_cell: int = 4) -> str:
        small = [(k, w) for k, w in self.total.items() if 0 < w < THRESHOLD]
        rng = np.random.default_rng(0)
        if len(small) > sample:
            small = [small[i] for i in rng.choice(len(small), sample, replace=False)]
        one_table = across = 0
        costs = []
        for (x, r), w in small:
            boxes = []
            for x2, r2 in itertools.product(
                self.siblings_a[self.parent_a[x]], self.siblings_b[self.parent_b[r]]
            ):
                if x2 == x or r2 == r:
                    continue
                corners = [self.total.get(k, 0.0) for k in ((x2, r), (x, r2), (x2, r2))]
                if min(corners) >= w / 2:
                    boxes.append((sum(corners), x2, r2))
            one_table += bool(boxes)
            for _, x2, r2 in sorted(boxes)[:boxes_per_cell]:
                ok, cost = self.protected(x, r, x2, r2, w)
                if ok:
                    across += 1
                    costs.append(cost)
                    break
        n = len(small)
        cost = f"median {np.median(costs):.0f}, max {max(costs)}" if costs else "-"
        return (
            f"| {self.a} x {self.b} | {n} | {one_table} ({one_table / n:.0%}) | "
            f"{across} ({across / n:.0%}) | {cost} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("warehouse", type=Path)
    parser.add_argument("rows", choices=list(LEVELS))
    parser.add_argument("columns", choices=list(LEVELS))
    parser.add_argument("--sample", type=int, default=60)
    args = parser.parse_args()
    atoms = duckdb.connect(str(args.warehouse), read_only=True).sql(ATOMS).df()
    print(
        "| table | small cells sampled | sibling box, one table | protected across requests "
        "| large cells the shift touches, per protected cell |"
    )
    print("|---|---:|---:|---:|---:|")
    print(Study(atoms, args.rows, args.columns).run(args.sample))


if __name__ == "__main__":
    main()
