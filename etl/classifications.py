"""Classification files (SOC2010, industries, regions, ...): the rows of the dimension tables.

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
    """The CSV columns of one model level's codes and titles."""

    level: str  # the model level these columns fill
    code: str  # the CSV column of its codes
    title: str | None  # the CSV column of its titles, if the file has one


@dataclass(frozen=True)
class Classification:
    """A classification file and the model dimension whose table it fills.

    Only the file's side is declared here (its name, header and value rules); the table, its
    columns and their order are the model's (`etl.schema` binds the two)."""

    dimension: str
    file: str
    # Levels from coarsest to finest; the last is the table's key. Alternative roll-ups
    # (qualification: broad3 or nqf6) are both listed as parents of the finest level.
    levels: tuple[Level, ...]
    attributes: tuple[tuple[str, str], ...] = ()  # (model attribute, CSV column)
    # A constant root level the file leaves implicit (the UK above nations): (level, code, title).
    root: tuple[str, int, str] | None = None
    # False when the coarser levels are alternatives rather than a chain.
    nested: bool = True

    @property
    def key(self) -> str:
        return self.levels[-1].code

    @property
    def columns(self) -> list[str]:
        """The CSV columns the file must have."""
        cols: list[str] = []
        for level in self.levels:
            cols.append(level.code)
            if level.title:
                cols.append(level.title)
        return cols + [column for _, column in self.attributes]


CLASSIFICATIONS: tuple[Classification, ...] = (
    Classification(
        "occupation",
        "soc2010.csv",
        (
            Level("soc1", "soc1", "soc1_title"),
            Level("soc2", "soc2", "soc2_title"),
            Level("soc3", "soc3", "soc3_title"),
            Level("soc4", "soc4", "soc4_title"),
        ),
    ),
    Classification(
        "industry",
        "industries.csv",
        (
            Level("sector6", "sector6", "sector6_title"),
            Level("ind22", "ind22", "ind22_title"),
            Level("ind75", "ind75", "ind75_title"),
        ),
        attributes=(("sic2007_divisions", "sic2007_divisions"),),
    ),
    Classification(
        "region",
        "regions.csv",
        (Level("nation", "nation", "nation_title"), Level("region", "region", "region_title")),
        root=("uk", 1, "United Kingdom"),
    ),
    Classification(
        "qualification",
        "qualifications.csv",
        (
            Level("broad3", "broad3", "broad3_title"),
            Level("nqf6", "nqf6", "nqf6_title"),
            Level("qualification", "qualification", "qualification_title"),
        ),
        attributes=(("qcf_level", "qcf_level"),),
        nested=False,
    ),
    Classification("gender", "genders.csv", (Level("gender", "gender", "gender_title"),)),
    Classification("status", "statuses.csv", (Level("status", "status", "status_title"),)),
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
    codes = [lv.code for lv in spec.levels]
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
        checks = [(level.code, [level.title] if level.title else [], "title")]
        if spec.nested:
            checks.append((spec.levels[pos + 1].code, [level.code], level.code))
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
    return frame.sort_values(spec.key).reset_index(drop=True)


def read_classifications(data_dir: Path, problems: list[Problem]) -> dict[str, pd.DataFrame]:
    """Every classification file's rows by dimension, in the file's own column names;
    problems are appended, never raised."""
    tables = {}
    for spec in CLASSIFICATIONS:
        frame = read_classification(spec, classification_path(data_dir, spec.file), problems)
        if frame is not None:
            tables[spec.dimension] = frame
    return tables
