"""The scorer's ground truth: weights and mean pay of a fact set, straight from the source CSVs.

Only the scorer reads these files; the attacks never do.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .client import Cell

FILES = {
    "ashe_pay": ("ashe_pay_main.csv", "Employment", "PayBill"),
    "ashe_hours": ("ashe_hours_main.csv", "Employment", "TotalHours"),
    "working_futures": ("wf_employment.csv", "weight", None),
}
COLUMNS = {
    "occupation": "occupation",
    "industry": "industry",
    "region": "geography",
    "qualification": "qualification",
    "gender": "gender",
    "status": "status",
}


class Truth:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self._frames: dict[str, pd.DataFrame] = {}

    def frame(self, cube: str) -> pd.DataFrame:
        if cube not in self._frames:
            self._frames[cube] = pd.read_csv(self.data_dir / FILES[cube][0])
        return self._frames[cube]

    def _mask(self, cell: Cell) -> tuple[pd.DataFrame, np.ndarray]:
        df = self.frame(cell.cube)
        mask = np.ones(len(df), dtype=bool)
        for dim, keys in cell.facts:
            mask &= df[COLUMNS[dim]].isin(list(keys)).to_numpy()
        if cell.year is not None and cell.cube == "working_futures":
            mask &= (df["year"] == cell.year).to_numpy()
        return df, mask

    def weight(self, cell: Cell) -> float:
        df, mask = self._mask(cell)
        return float(df[FILES[cell.cube][1]].to_numpy()[mask].sum())

    def mean(self, cell: Cell) -> float | None:
        """Mean pay (or hours) of the cell, None for Working Futures or an empty cell."""
        numerator = FILES[cell.cube][2]
        if numerator is None:
            return None
        df, mask = self._mask(cell)
        w = float(df[FILES[cell.cube][1]].to_numpy()[mask].sum())
        return float(df[numerator].to_numpy()[mask].sum()) / w if w > 0 else None
