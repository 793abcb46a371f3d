"""Independent computations over the source CSV files, for checking the engine.

Nothing here imports the engine: flags, margins, derived figures, fills and rounding are
re-derived with pandas from the rules as docs/reference.md (sections 3 and 4) states them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from lmi_cubes.etl.classifications import reference_path

SUPPRESS_BELOW, RELIABLE_FROM = 1000, 10000


def with_levels(frame: pd.DataFrame) -> pd.DataFrame:
    soc = pd.read_csv(reference_path("soc2010.csv"))[["soc4", "soc3", "soc2", "soc1"]]
    ind = pd.read_csv(reference_path("industries.csv"))[["ind75", "ind22", "sector6"]]
    reg = pd.read_csv(reference_path("regions.csv"))[["region", "nation"]]
    qual = pd.read_csv(reference_path("qualifications.csv"))[["qualification", "broad3", "nqf6"]]
    out = frame.rename(columns={"geography": "region"})
    out = out.merge(soc, left_on="occupation", right_on="soc4")
    out = out.merge(ind, left_on="industry", right_on="ind75").merge(reg, on="region")
    if "qualification" in out:
        out = out.merge(qual, on="qualification")
    return out.assign(uk=1)


def read(data_dir: Path, file: str) -> pd.DataFrame:
    return with_levels(pd.read_csv(data_dir / file))


def flag(weight: float) -> str:
    if not weight >= SUPPRESS_BELOW:
        return "suppressed"
    return "low_reliability" if weight < RELIABLE_FROM else "reliable"


def round_to(value: float, step: float) -> float:
    """Half away from zero, as published statistics round."""
    return round(float(np.sign(value) * np.floor(abs(value) / step + 0.5) * step), 6)


def crosstab(
    frame: pd.DataFrame, rows: str, columns: str | None, sums: list[str]
) -> dict[tuple[object, object], pd.Series]:
    """Sums per (row, column) including totals keyed by 'total'."""
    out: dict[tuple[object, object], pd.Series] = {}
    groups: list[tuple[list[str], tuple[str, ...]]] = [([rows], ("r",)), ([], ())]
    if columns:
        groups = [([rows, columns], ("r", "c")), ([rows], ("r",)), ([columns], ("c",)), ([], ())]
    for by, _ in groups:
        if by:
            for key, part in frame.groupby(by)[sums]:
                key = key if isinstance(key, tuple) else (key,)
                r = key[0] if rows in by else "total"
                c = key[by.index(columns)] if columns in by else "total"
                out[(r, c if columns else "total")] = part.sum()
        else:
            out[("total", "total")] = frame[sums].sum()
    return out


# -- whole cross-tabs, fills included ------------------------------------------------------
# The classification hierarchies (coarsest first) and the order of the cubes' dimensions,
# written out here rather than read from the engine.
HIERARCHIES = {
    ("occupation", "default"): ["soc1", "soc2", "soc3", "soc4"],
    ("industry", "default"): ["sector6", "ind22", "ind75"],
    ("region", "default"): ["uk", "nation", "region"],
    ("qualification", "default"): ["broad3", "qualification"],
    ("qualification", "broad"): ["broad3", "qualification"],
    ("qualification", "nqf"): ["nqf6", "qualification"],
    ("gender", "default"): ["gender"],
    ("status", "default"): ["status"],
    ("year", "default"): ["year"],
}
DIMENSION_ORDER = ["year", "gender", "status", "industry", "occupation", "region", "qualification"]
CUBE_FILES = {
    "ashe_pay": ("ashe_pay_main.csv", "Employment"),
    "ashe_hours": ("ashe_hours_main.csv", "Employment"),
    "working_futures": ("wf_employment.csv", "weight"),
}
STEPS = {  # each measure's rounding step, as docs/reference.md section 4 states
    "employment": 10, "paybill": 10, "total_hours": 10, "mean_pay": 10, "median_pay": 10,
    "pay_decile": 10, "mean_pay_at_age": 10, "mean_hours": 0.1, "employment_change": 0.1,
    "expansion_demand": 10, "replacement_demand": 10, "total_requirement": 10,
}  # fmt: skip
Z = {10: -1.28, 20: -0.84, 30: -0.52, 40: -0.25, 50: 0.0, 60: 0.25, 70: 0.52, 80: 0.84, 90: 1.28}
AMOUNTS = {"Employment", "PayBill", "TotalHours", "weight"}
PERIOD = {"employment_change", "expansion_demand", "replacement_demand", "total_requirement"}
DERIVED = {"median_pay", "pay_decile", "mean_pay_at_age"}


def parse_axis(spec: str) -> tuple[str, str, str]:
    """`dim[@hierarchy][:level]` -> (dimension, hierarchy, level)."""
    head, _, level = spec.partition(":")
    dim, _, hierarchy = head.partition("@")
    hierarchy = hierarchy or "default"
    return dim, hierarchy, level or HIERARCHIES[(dim, hierarchy)][-1]


class Cubes:
    """The source files of one data directory, and each cross-tab's cells as docs/reference.md
    sections 3 and 4 define them, computed with pandas from the source rows."""

    def __init__(self, data_dir: Path) -> None:
        self.frames = {c: read(data_dir, f) for c, (f, _) in CUBE_FILES.items()}
        for frame in self.frames.values():  # amounts as exact millionths (6 decimals)
            for column in AMOUNTS & set(frame.columns):
                frame[column] = np.round(frame[column].to_numpy() * 1e6).astype(np.int64)
        self.distribution = pd.read_csv(data_dir / "ashe_pay_distribution.csv")
        self.ages = pd.read_csv(data_dir / "ashe_age_ratios.csv")
        rates = pd.read_csv(data_dir / "wf_replacement_rates.csv").set_index("soc2")
        self.rate = rates.sum(axis=1).to_dict()
        self._memo: dict[tuple[str, ...], Any] = {}

    def finest(self, cube: str, dim: str) -> list[int]:
        """The dimension's finest codes that occur in the cube's facts (its universe)."""
        key = ("finest", cube, dim)
        if key not in self._memo:
            column = HIERARCHIES[(dim, "default")][-1]
            self._memo[key] = sorted(int(k) for k in self.frames[cube][column].unique())
        return list(self._memo[key])

    def level_of(self, cube: str, dim: str, level: str) -> dict[int, int]:
        """Finest code -> its code at `level`."""
        key = ("level", cube, dim, level)
        if key not in self._memo:
            column = HIERARCHIES[(dim, "default")][-1]
            pairs = self.frames[cube][[column, level]].drop_duplicates()
            if level == column:
                pairs = pairs.iloc[:, [0, 0]].set_axis([column, "same"], axis=1)
                level = "same"
            self._memo[key] = dict(
                zip(pairs[column].astype(int), pairs[level].astype(int), strict=True)
            )
        return dict(self._memo[key])

    def path(self, cube: str, dim: str, hierarchy: str, level: str, code: int) -> str:
        """A member's Slicer path: its codes from the hierarchy's top level down to it."""
        levels = HIERARCHIES[(dim, hierarchy)]
        levels = levels[: levels.index(level) + 1]
        frame = self.frames[cube]
        row = frame[frame[level] == code].iloc[0]
        return ",".join(str(int(row[lv])) for lv in levels)

    def cells(
        self,
        cube: str,
        axes: list[str],
        cuts: list[tuple[str, str, list[int], bool]],
        members: list[list[int]],
        measure: str,
        parameters: dict[str, int],
        fallback: bool,
    ) -> dict[tuple[int, ...], dict[str, Any]]:
        """Each cell's expected `{value, flag}` (and `filled_from`), keyed by position with
        each axis' total last. `cuts` are (dimension, level, codes, inverted)."""
        frame = self.frames[cube]
        weight_col = CUBE_FILES[cube][1]
        keep = np.ones(len(frame), dtype=bool)
        allowed: dict[str, set[int]] = {}
        for dim, level, codes, invert in cuts:
            inside = frame[level].isin(codes).to_numpy()
            keep &= ~inside if invert else inside
            to_level = self.level_of(cube, dim, level)
            allowed[dim] = {k for k in self.finest(cube, dim) if (to_level[k] in codes) != invert}
        if measure in PERIOD:
            years = list(range(parameters["from"], parameters["to"] + 1))
        else:
            years = [parameters["year"]] if "year" in parameters else []
        if years and "year" in frame:
            keep &= frame.year.isin(years).to_numpy()
        parsed = [parse_axis(a) for a in axes]

        def member_mask(i: int, key: int | None, level: str | None = None) -> np.ndarray:
            if key is None:
                return np.ones(len(frame), dtype=bool)
            return (frame[level or parsed[i][2]] == key).to_numpy()

        def evaluate(masks: list[np.ndarray], fixed_keys: dict[str, set[int]]) -> dict[str, Any]:
            mask = keep.copy()
            for m in masks:
                mask &= m
            part = frame[mask]
            return self._cell(cube, part, weight_col, measure, parameters, years, fixed_keys)

        def universe_under(i: int, key: int | None, level: str | None = None) -> dict[str, set]:
            out = {d: set(v) for d, v in allowed.items()}
            if key is not None:
                dim = parsed[i][0]
                base = out.get(dim, set(self.finest(cube, dim)))
                to_level = self.level_of(cube, dim, level or parsed[i][2])
                out[dim] = {k for k in base if to_level[k] == key}
            return out

        grid: dict[tuple[int, ...], dict[str, Any]] = {}
        positions = [[*m, None] for m in members]
        for index in np.ndindex(*(len(p) for p in positions)):
            keys = [positions[i][j] for i, j in enumerate(index)]
            fixed: dict[str, set[int]] = {d: set(v) for d, v in allowed.items()}
            for i, key in enumerate(keys):
                if key is not None:
                    fixed[parsed[i][0]] = universe_under(i, key)[parsed[i][0]]
            masks = [member_mask(i, k) for i, k in enumerate(keys)]
            cell = evaluate(masks, fixed)
            if fallback and cell["flag"] == "suppressed":
                candidates = []
                for i, key in enumerate(keys):
                    if key is None:
                        continue
                    dim, hierarchy, level = parsed[i]
                    levels = HIERARCHIES[(dim, hierarchy)]
                    up = list(reversed(levels[: levels.index(level)]))
                    for steps, coarse in enumerate(up, start=1):
                        candidates.append((steps, DIMENSION_ORDER.index(dim), i, coarse))
                for _, _, i, coarse in sorted(candidates):
                    dim = parsed[i][0]
                    to_coarse = self.level_of(cube, dim, coarse)
                    to_axis = self.level_of(cube, dim, parsed[i][2])
                    # finest -> axis member -> parent: the axis members under each parent
                    parent_of = {to_axis[k]: to_coarse[k] for k in to_axis}
                    parent = parent_of[keys[i]]
                    if sum(parent_of.get(m) == parent for m in members[i]) < 2:
                        continue  # the same facts under another name
                    up_fixed = dict(fixed)
                    up_fixed[dim] = universe_under(i, parent, coarse)[dim]
                    up_masks = list(masks)
                    up_masks[i] = member_mask(i, parent, coarse)
                    filled = evaluate(up_masks, up_fixed)
                    if filled["flag"] != "suppressed":
                        cell = {**filled, "filled_from": (dim, coarse, parent)}
                        break
            grid[index] = cell
        return grid

    def _cell(
        self,
        cube: str,
        part: pd.DataFrame,
        weight_col: str,
        measure: str,
        parameters: dict[str, int],
        years: list[int],
        fixed: dict[str, set[int]],
    ) -> dict[str, Any]:
        if measure in PERIOD:
            by_year = part.groupby("year")[weight_col].sum()
            employment = [int(by_year.get(y, 0)) / 1e6 for y in years]
            weight = min(employment)
            start, end = employment[0], employment[-1]
            early = part[part.year < years[-1]].groupby("soc2")[weight_col].sum()
            replacement = sum(self.rate[k] * int(v) / 1e6 for k, v in early.items())
            value = {
                "employment_change": 100.0 * (end - start) / start if start else np.nan,
                "expansion_demand": end - start,
                "replacement_demand": replacement,
                "total_requirement": end - start + replacement,
            }[measure]
        else:
            weight = int(part[weight_col].sum()) / 1e6
            value = self._value(cube, part, weight, measure, parameters, fixed)
        status = flag(weight)
        if status == "suppressed" or not np.isfinite(value):
            return {"value": None, "flag": status}
        return {"value": round_to(value, STEPS[measure]), "flag": status}

    def _value(
        self,
        cube: str,
        part: pd.DataFrame,
        weight: float,
        measure: str,
        parameters: dict[str, int],
        fixed: dict[str, set[int]],
    ) -> float:
        if measure in ("employment", "paybill", "total_hours"):
            column = {"employment": CUBE_FILES[cube][1], "paybill": "PayBill"}.get(
                measure, "TotalHours"
            )
            return int(part[column].sum()) / 1e6
        if measure == "mean_hours":
            return int(part.TotalHours.sum()) / 1e6 / weight if weight else np.nan
        mean = int(part.PayBill.sum()) / 1e6 / weight if weight else np.nan
        if measure == "mean_pay":
            return mean
        if "age" in parameters:
            mean *= self._age_ratio(cube, parameters["age"], fixed)
        if measure == "mean_pay_at_age":
            return mean
        r, k = self._distribution(cube, fixed)
        median = mean / r
        if measure == "median_pay":
            return median
        log_median = np.log(median)
        return float(np.exp(log_median + Z[parameters["decile"]] * k * log_median))

    def _one(self, cube: str, dim: str, keys: set[int] | None, level: str) -> int | None:
        """The member at `level` that all of the cell's `dim` codes fall in, if one."""
        codes = keys if keys is not None else set(self.finest(cube, dim))
        to_level = self.level_of(cube, dim, level)
        found = {to_level[k] for k in codes}
        return found.pop() if len(found) == 1 else None

    def _distribution(self, cube: str, fixed: dict[str, set[int]]) -> tuple[float, float]:
        soc_level, occupation = 0, 0
        for number, level in ((4, "soc4"), (3, "soc3"), (2, "soc2"), (1, "soc1")):
            one = self._one(cube, "occupation", fixed.get("occupation"), level)
            if one is not None:
                soc_level, occupation = number, one
                break
        status = self._one(cube, "status", fixed.get("status"), "status") or 0
        gender = self._one(cube, "gender", fixed.get("gender"), "gender") or 0
        d = self.distribution
        row = d[
            (d.soc_level == soc_level)
            & (d.occupation == occupation)
            & (d.status == status)
            & (d.gender == gender)
        ]
        if row.empty:
            return np.nan, np.nan
        return float(row.mean_median_ratio.iloc[0]), float(row.sd_ratio.iloc[0])

    def _age_ratio(self, cube: str, age: int, fixed: dict[str, set[int]]) -> float:
        # the file's own coding (docs/reference.md section 2)
        soc1 = self._one(cube, "occupation", fixed.get("occupation"), "soc1")
        gender = self._one(cube, "gender", fixed.get("gender"), "gender")
        status = self._one(cube, "status", fixed.get("status"), "status")
        qual = self._one(cube, "qualification", fixed.get("qualification"), "broad3")
        a = self.ages
        row = a[
            (a.occupation1 == (10 if soc1 is None else soc1))
            & (a.gender == {None: 2, 1: 1, 2: 0}[gender])
            & (a.status == {None: 2, 1: 1, 2: 0}[status])
            & (a.qual3 == (4 if qual is None else qual))
            & (a.age == age)
        ]
        return float(row.ratio.iloc[0]) if not row.empty else np.nan
