"""An HTTP-only view of the server: requests in, parsed tables out.

Nothing here imports the engine. The hierarchies come from `/members` (every leaf member's
path), so the adversary knows no more than any API user.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import requests

# dimension -> hierarchy -> levels (coarse to fine), as /cube/<cube>/model lists them
Levels = dict[str, dict[str, list[str]]]


@dataclass(frozen=True)
class Cut:
    """A cut on one dimension: members `keys` of `level`, optionally inverted."""

    dim: str
    level: str
    keys: tuple[int, ...]
    invert: bool = False
    hierarchy: str = "default"


@dataclass(frozen=True)
class Axis:
    dim: str
    level: str
    hierarchy: str = "default"

    def spelling(self) -> str:
        hier = "" if self.hierarchy == "default" else f"@{self.hierarchy}"
        return f"{self.dim}{hier}:{self.level}"


@dataclass(frozen=True)
class Spec:
    """One cross-tab request (employment-weighted measures only)."""

    cube: str
    rows: Axis
    columns: Axis | None
    cuts: tuple[Cut, ...] = ()
    measure: str = "employment"
    params: tuple[tuple[str, int], ...] = ()

    def with_cuts(self, cuts: tuple[Cut, ...]) -> Spec:
        return Spec(self.cube, self.rows, self.columns, cuts, self.measure, self.params)

    def with_measure(self, measure: str, params: tuple[tuple[str, int], ...] = ()) -> Spec:
        return Spec(self.cube, self.rows, self.columns, self.cuts, measure, params)


# A cell is the set of facts it covers: per dimension, the set of leaf keys (dimensions
# left whole are omitted), plus the year for Working Futures.
Facts = frozenset[tuple[str, frozenset[int]]]


@dataclass(frozen=True)
class Cell:
    cube: str
    facts: Facts
    year: int | None = None

    def restriction(self, dim: str) -> frozenset[int] | None:
        for d, keys in self.facts:
            if d == dim:
                return keys
        return None

    def describe(self) -> str:
        parts = []
        for d, keys in sorted(self.facts, key=lambda f: f[0]):
            shown = ",".join(str(k) for k in sorted(keys)[:4]) + ("…" if len(keys) > 4 else "")
            parts.append(f"{d}={shown}")
        year = f" {self.year}" if self.year else ""
        return f"{self.cube}{year} " + " ".join(parts)


@dataclass
class Published:
    """One cell of a response, with the fact set it covers."""

    cell: Cell
    value: float | None
    flag: str
    filled_from: dict[str, Any] | None = None
    go_up: list[dict[str, Any]] | None = None
    row: int | None = None  # index on the row axis, None for a column total / grand total
    col: int | None = None


@dataclass
class Table:
    spec: Spec
    row_keys: list[int]
    col_keys: list[int]
    cells: list[Published] = field(default_factory=list)  # interior, row-major
    row_totals: list[Published] = field(default_factory=list)
    col_totals: list[Published] = field(default_factory=list)
    grand: Published | None = None

    def at(self, r: int, c: int) -> Published:
        return self.cells[r * len(self.col_keys) + c]

    def everything(self) -> list[Published]:
        out = list(self.cells) + self.row_totals + self.col_totals
        return out + ([self.grand] if self.grand else [])


class Hierarchies:
    """Leaf sets and paths of every member, read from `/members` once per cube."""

    def __init__(self, client: Client, cube: str) -> None:
        model = client.get(f"/cube/{cube}/model")
        self.levels: Levels = {}
        self.leaf_level: dict[str, str] = {}
        self.leaves: dict[tuple[str, str, str, int], frozenset[int]] = {}
        self.paths: dict[tuple[str, str, str, int], list[int]] = {}
        self.universe: dict[str, frozenset[int]] = {}
        for dim in model["dimensions"]:
            name = dim["name"]
            self.levels[name] = {h["name"]: list(h["levels"]) for h in dim["hierarchies"]}
            for hier, levels in self.levels[name].items():
                leaf = levels[-1]
                self.leaf_level[name] = leaf
                # Slicer's shape: one record per member, keyed by every level's attribute
                records = client.get(f"/cube/{cube}/members/{name}", level=leaf, hierarchy=hier)[
                    "data"
                ]
                members = [
                    {"key": r[f"{name}.{leaf}"], "path": [r[f"{name}.{lv}"] for lv in levels]}
                    for r in records
                ]
                self.universe[name] = frozenset(int(m["key"]) for m in members)
                groups: dict[tuple[str, str, str, int], set[int]] = {}
                for m in members:
                    path = [int(p) for p in m["path"]]
                    for i, level in enumerate(levels):
                        key = (name, hier, level, path[i])
                        groups.setdefault(key, set()).add(int(m["key"]))
                        self.paths[key] = path[: i + 1]
                self.leaves.update({k: frozenset(v) for k, v in groups.items()})
        self.cube = cube

    def members(self, dim: str, level: str, hierarchy: str = "default") -> list[int]:
        return sorted(k[3] for k in self.leaves if k[:3] == (dim, hierarchy, level))

    def member_leaves(
        self, dim: str, level: str, key: int, hierarchy: str = "default"
    ) -> frozenset[int]:
        return self.leaves[(dim, hierarchy, level, key)]

    def parent(self, dim: str, level: str, key: int, hierarchy: str = "default") -> int | None:
        path = self.paths[(dim, hierarchy, level, key)]
        return path[-2] if len(path) >= 2 else None

    def cut_spelling(self, cut: Cut) -> str:
        hier = "" if cut.hierarchy == "default" else f"@{cut.hierarchy}"
        paths = [
            ",".join(str(p) for p in self.paths[(cut.dim, cut.hierarchy, cut.level, k)])
            for k in cut.keys
        ]
        return f"{'!' if cut.invert else ''}{cut.dim}{hier}:{';'.join(paths)}"

    def cut_leaves(self, cut: Cut) -> frozenset[int]:
        chosen: frozenset[int] = frozenset().union(
            *(self.member_leaves(cut.dim, cut.level, k, cut.hierarchy) for k in cut.keys)
        )
        return self.universe[cut.dim] - chosen if cut.invert else chosen

    def facts(self, restrictions: list[tuple[str, frozenset[int]]], year: int | None) -> Cell:
        merged: dict[str, frozenset[int]] = {}
        for dim, keys in restrictions:
            if dim == "year":
                continue
            merged[dim] = merged.get(dim, self.universe[dim]) & keys
        facts = frozenset((d, k) for d, k in merged.items() if k != self.universe[d])
        return Cell(self.cube, facts, year)


class Client:
    """Speaks only HTTP to one base URL."""

    def __init__(self, base_url: str, timeout: float = 60) -> None:
        self.base = base_url.rstrip("/")
        self.session = requests.Session()
        self.timeout = timeout
        self.requests = 0
        self._hier: dict[str, Hierarchies] = {}

    def get(self, path: str, **params: Any) -> dict[str, Any]:
        self.requests += 1
        r = self.session.get(self.base + path, params=params, timeout=self.timeout)
        if r.status_code != 200:
            raise ApiError(r.status_code, r.text[:300])
        out: dict[str, Any] = r.json()
        return out

    def hierarchies(self, cube: str) -> Hierarchies:
        if cube not in self._hier:
            self._hier[cube] = Hierarchies(self, cube)
        return self._hier[cube]

    def _params(self, spec: Spec) -> dict[str, Any]:
        h = self.hierarchies(spec.cube)
        params: dict[str, Any] = {"measure": spec.measure, "rows": spec.rows.spelling()}
        if spec.columns:
            params["columns"] = spec.columns.spelling()
        if spec.cuts:
            params["cut"] = "|".join(h.cut_spelling(c) for c in spec.cuts)
        params.update(dict(spec.params))
        return params

    def year_of(self, spec: Spec) -> int | None:
        for c in spec.cuts:
            if c.dim == "year":
                return c.keys[0]
        return dict(spec.params).get("from")

    def crosstab(self, spec: Spec, fallback: bool = False) -> Table:
        h = self.hierarchies(spec.cube)
        params = self._params(spec)
        if fallback:
            params["fallback"] = "true"
        body = self.get(f"/cube/{spec.cube}/crosstab", **params)
        year = self.year_of(spec)
        if year is None and "defaults" in body:
            year = body["defaults"].get("year")
        base = [(c.dim, h.cut_leaves(c)) for c in spec.cuts if c.dim != "year"]
        row_keys = [int(m["key"]) for m in body["rows"]["members"]]
        col_keys = [int(m["key"]) for m in body["columns"]["members"]] if spec.columns else []
        t = Table(spec, row_keys, col_keys)

        def leaves(axis: Axis, key: int) -> tuple[str, frozenset[int]]:
            return (axis.dim, h.member_leaves(axis.dim, axis.level, key, axis.hierarchy))

        def pub(
            raw: dict[str, Any],
            restr: list[tuple[str, frozenset[int]]],
            r: int | None,
            c: int | None,
        ) -> Published:
            cell = h.facts(base + restr, year)
            value = raw.get("value")
            return Published(
                cell, None if value is None else float(value), raw["flag"],
                raw.get("filled_from"), raw.get("go_up"), r, c,
            )  # fmt: skip

        if spec.columns:
            for i, rk in enumerate(row_keys):
                for j, ck in enumerate(col_keys):
                    restr = [leaves(spec.rows, rk), leaves(spec.columns, ck)]
                    t.cells.append(pub(body["cells"][i][j], restr, i, j))
            for i, rk in enumerate(row_keys):
                t.row_totals.append(pub(body["row_totals"][i], [leaves(spec.rows, rk)], i, None))
            for j, ck in enumerate(col_keys):
                raw = body["column_totals"][j]
                t.col_totals.append(pub(raw, [leaves(spec.columns, ck)], None, j))
        else:
            for i, rk in enumerate(row_keys):
                raw = (
                    body["cells"][i][0] if isinstance(body["cells"][i], list) else body["cells"][i]
                )
                t.cells.append(pub(raw, [leaves(spec.rows, rk)], i, 0))
            t.col_keys = [0]
        if body.get("grand_total"):
            t.grand = pub(body["grand_total"], [], None, None)
        return t

    def single(
        self, cell: Cell, spelled: list[Cut], measures: str, extra: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """The `/aggregate` summary of one cell spelled as cuts (no drilldown)."""
        h = self.hierarchies(cell.cube)
        params: dict[str, Any] = {"aggregates": measures, **(extra or {})}
        cuts = list(spelled)
        if cell.year is not None:
            cuts.append(Cut("year", "year", (cell.year,)))
        params["cut"] = "|".join(h.cut_spelling(c) for c in cuts)
        summary: dict[str, Any] = self.get(f"/cube/{cell.cube}/aggregate", **params)["summary"]
        return summary


class ApiError(Exception):
    def __init__(self, status: int, text: str) -> None:
        super().__init__(f"{status}: {text}")
        self.status = status
