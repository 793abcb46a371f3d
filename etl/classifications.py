"""Classification files (SOC2010, industries, regions, ...) read into dimension tables.

The classifications are data, not code: a deployment can load a new vintage by putting
its own files in the data directory. The packaged copies in `etl/reference/` are the
defaults when a data directory has none.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pandas as pd

from lmi_cubes.etl import textfile
from lmi_cubes.etl.problems import Problem


@dataclass(frozen=True)
class Level:
    name: str  # the key column in the CSV and in the dimension table
    label: str | None  # the title column, if the file has one


@dataclass(frozen=True)
class Classification:
    name: str
    file: str
    table: str
    # Levels from coarsest to finest; the last is the table's key. Alternative roll-ups
    # (qualification: broad3 or nqf6) are both listed as parents of the finest level.
    levels: tuple[Level, ...]
    attributes: tuple[str, ...] = ()
    # A constant root level the file leaves implicit (the UK above nations).
    root: tuple[str, int, str] | None = None
    # False when the coarser levels are alternatives rather than a chain.
    nested: bool = True

    @property
    def key(self) -> str:
        return self.levels[-1].name

    @property
    def columns(self) -> list[str]:
        cols: list[str] = []
        for level in self.levels:
            cols.append(level.name)
            if level.label:
                cols.append(level.label)
        return cols + list(self.attributes)


CLASSIFICATIONS: tuple[Classification, ...] = (
    Classification(
        "occupation",
        "soc2010.csv",
        "dim_occupation",
        (
            Level("soc1", "soc1_title"),
            Level("soc2", "soc2_title"),
            Level("soc3", "soc3_title"),
            Level("soc4", "soc4_title"),
        ),
    ),
    Classification(
        "industry",
        "industries.csv",
        "dim_industry",
        (
            Level("sector6", "sector6_title"),
            Level("ind22", "ind22_title"),
            Level("ind75", "ind75_title"),
        ),
        attributes=("sic2007_divisions",),
    ),
    Classification(
        "region",
        "regions.csv",
        "dim_region",
        (Level("nation", "nation_title"), Level("region", "region_title")),
        root=("uk", 1, "United Kingdom"),
    ),
    Classification(
        "qualification",
        "qualifications.csv",
        "dim_qualification",
        (
            Level("broad3", "broad3_title"),
            Level("nqf6", "nqf6_title"),
            Level("qualification", "qualification_title"),
        ),
        attributes=("qcf_level",),
        nested=False,
    ),
    Classification("gender", "genders.csv", "dim_gender", (Level("gender", "gender_title"),)),
    Classification("status", "statuses.csv", "dim_status", (Level("status", "status_title"),)),
)

CLASSIFICATION_FILES = tuple(c.file for c in CLASSIFICATIONS)


def reference_path(file: str) -> Path:
    """The packaged default copy of a classification file."""
    return Path(str(resources.files("lmi_cubes.etl") / "reference" / file))


def classification_path(data_dir: Path, file: str) -> Path:
    """The data directory's own file if it has one, else the packaged default."""
    own = data_dir / file
    return own if own.exists() else reference_path(file)


def read_classification(
    spec: Classification, path: Path, problems: list[Problem]
) -> pd.DataFrame | None:
    """Read and check one classification file; append problems, return the table or None."""
    name = path.name
    unreadable = textfile.check(path, name)  # Windows-1252, UTF-16, runaway lines
    if unreadable:
        problems.extend(unreadable)
        return None
    try:
        return _read_classification(spec, path, name, problems)
    except csv.Error as exc:  # e.g. a NUL byte: not a text file at all
        problems.append(Problem(name, 0, "", f"not a readable CSV file: {exc}"))
        return None


def _read_classification(
    spec: Classification, path: Path, name: str, problems: list[Problem]
) -> pd.DataFrame | None:
    before = len(problems)  # a malformed record is a problem too: no partial table
    records = textfile.csv_rows(path, name, spec.columns, problems)
    if records is None:
        return None
    codes = [lv.name for lv in spec.levels]
    rows = []
    for line, values in records:
        row: dict[str, object] = {}
        for col in spec.columns:
            value = values[col].strip()
            if col in codes:
                try:
                    row[col] = int(value)
                except ValueError:
                    problems.append(Problem(name, line, col, "not an integer code", value))
                    continue
            else:
                row[col] = value
        row["_line"] = line
        rows.append(row)
    if len(problems) > before:
        return None
    frame = pd.DataFrame(rows, columns=[*spec.columns, "_line"])
    if frame.empty:
        problems.append(Problem(name, 0, "", "no rows"))
        return None
    dup = frame[frame.duplicated(spec.key, keep="first")]
    for _, r in dup.iterrows():
        problems.append(
            Problem(name, int(r["_line"]), spec.key, "duplicate code", str(r[spec.key]))
        )
    # A code must have the same title on every line and, in a chain, the same parent.
    for pos, level in enumerate(spec.levels[:-1]):
        checks = [(level.name, [level.label] if level.label else [], "title")]
        if spec.nested:
            checks.append((spec.levels[pos + 1].name, [level.name], level.name))
        for code_col, cols, what in checks:
            if not cols:
                continue
            first = frame.groupby(code_col)[[*cols, "_line"]].transform("first")
            differs = (frame[cols] != first[cols]).any(axis=1)
            conflicts = zip(
                frame.loc[differs, "_line"].tolist(),
                frame.loc[differs, code_col].tolist(),
                frame.loc[differs, cols[0]].tolist(),
                first.loc[differs, "_line"].tolist(),
                strict=True,
            )
            for bad_line, code, value, first_line in conflicts:
                problems.append(
                    Problem(
                        name,
                        int(bad_line),
                        cols[0],
                        f"{code_col} {code} has a different {what} on line {int(first_line)}",
                        str(value),
                    )
                )
    if len(problems) > before:
        return None  # codes of a broken classification would only cascade into more problems
    frame = frame.drop(columns="_line")
    if spec.root:
        root, code, title = spec.root
        frame.insert(0, f"{root}_title", title)
        frame.insert(0, root, code)
    return frame.sort_values(spec.key).reset_index(drop=True)


def read_classifications(data_dir: Path, problems: list[Problem]) -> dict[str, pd.DataFrame]:
    """All classification tables by name; problems are appended, never raised."""
    tables = {}
    for spec in CLASSIFICATIONS:
        frame = read_classification(spec, classification_path(data_dir, spec.file), problems)
        if frame is not None:
            tables[spec.name] = frame
    return tables
