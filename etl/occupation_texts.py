"""Occupation texts: the ONS coding index of job titles and optional descriptions per unit group.

Both are classification data like soc2010.csv: read from the data directory, else (for the
index) from the packaged default in `etl/reference/`, checked like any other input, and
loaded into the warehouse so that a new vintage of titles is a data change. Descriptions,
tasks and qualifications have no public source we may ship; when a deployment supplies no
`soc_descriptions.csv` the table is empty and the API serves empty strings rather than
inventing text.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from lmi_cubes.etl import textfile
from lmi_cubes.etl.classifications import classification_path
from lmi_cubes.etl.problems import Problem

SOC_INDEX_FILE = "soc_index.csv"
SOC_DESCRIPTIONS_FILE = "soc_descriptions.csv"

# table -> (file, required columns, optional text columns)
TEXT_FILES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "soc_index": (SOC_INDEX_FILE, ("soc4", "title"), ("index_entry", "qualifier")),
    "soc_descriptions": (
        SOC_DESCRIPTIONS_FILE,
        ("soc4",),
        ("description", "qualifications", "tasks"),
    ),
}


def text_paths(data_dir: Path) -> dict[str, Path]:
    """The files that feed these tables (checksummed into the vintage when present)."""
    return {
        SOC_INDEX_FILE: classification_path(data_dir, SOC_INDEX_FILE),
        SOC_DESCRIPTIONS_FILE: data_dir / SOC_DESCRIPTIONS_FILE,
    }


def read_occupation_texts(
    data_dir: Path, soc4_codes: set[int], problems: list[Problem]
) -> dict[str, pd.DataFrame]:
    """Tables by name (an absent optional file gives an empty table); problems appended."""
    paths = text_paths(data_dir)
    tables = {}
    for table, (file, required, optional) in TEXT_FILES.items():
        columns = [*required, *optional]
        path = paths[file]
        if not path.exists():
            tables[table] = pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
            continue
        frame = _read(path, required, optional, soc4_codes, problems)
        if frame is not None:
            if table == "soc_descriptions":
                duplicated = frame[frame.duplicated("soc4")]
                for line, code in zip(duplicated["_line"], duplicated["soc4"], strict=True):
                    problems.append(Problem(file, int(line), "soc4", "duplicate code", str(code)))
            tables[table] = frame.drop(columns="_line")
    return tables


def _read(
    path: Path,
    required: tuple[str, ...],
    optional: tuple[str, ...],
    soc4_codes: set[int],
    problems: list[Problem],
) -> pd.DataFrame | None:
    name = path.name
    records = textfile.csv_rows(path, name, required, problems)
    if records is None:
        return None
    rows = []
    for line, values in records:
        code = values["soc4"].strip()
        if not (code.isascii() and code.isdigit()) or int(code) not in soc4_codes:
            problems.append(Problem(name, line, "soc4", "not a unit group of soc2010.csv", code))
            continue
        if "title" in required and not values["title"].strip():
            problems.append(Problem(name, line, "title", "empty title"))
            continue
        row: dict[str, object] = {"soc4": int(code), "_line": line}
        for col in required[1:] + optional:
            row[col] = values.get(col, "").strip()
        rows.append(row)
    return pd.DataFrame(rows, columns=["soc4", *required[1:], *optional, "_line"])
