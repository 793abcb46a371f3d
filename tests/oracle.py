"""Independent computations over the source CSV files, for checking the engine.

Nothing here imports the engine: flags, margins and rounding are re-derived from the
rules docs/reference.md states, with pandas.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from etl.classifications import reference_path

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
