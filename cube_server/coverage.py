"""How a cross-tab says what its figures cover: JSON fields and response headers.

`data_years` lists the years behind the figures; `restricted` names each axis member whose
figure covers only part of it (a cut finer than the axis), with a label a page can show as
it is: "21 Science, research, engineering and technology professionals (211 only)". The
headers carry the same facts in ASCII for clients that read only headers (CSV downloads).
"""

from __future__ import annotations

from typing import Any

from lmi_cubes.aggregates.catalog import Catalog
from lmi_cubes.aggregates.coverage import Restriction, data_years, restrictions
from lmi_cubes.aggregates.result import Result

AXES = ("rows", "columns")


def _note(r: Restriction, label: str) -> str:
    keys = ", ".join(str(p.key) for p in r.parts)
    return f"{r.member} {label} ({'excluding ' + keys if r.invert else keys + ' only'})"


def coverage(result: Result, catalog: Catalog) -> tuple[dict[str, Any], dict[str, str]]:
    """The JSON fields and the headers for one computed cross-tab."""
    q = result.query
    years = data_years(q, catalog)
    restricted: list[dict[str, Any]] = []
    header_parts: list[str] = []
    for r in restrictions(q, catalog):
        axis = q.axes[r.axis]
        label = result.labels[r.axis][axis.keys.index(r.member)]
        name = AXES[r.axis] if r.axis < len(AXES) else f"axis {r.axis}"
        keys = [p.key for p in r.parts]
        restricted.append(
            {
                "axis": name,
                "dimension": axis.dimension.name,
                "level": axis.level.name,
                "key": r.member,
                "label": label,
                "by": {
                    "level": r.level,
                    "keys": keys,
                    "labels": [p.label for p in r.parts],
                    "invert": r.invert,
                },
                "note": _note(r, label),
            }
        )
        cut = f"{axis.dimension.name}:{r.level} {','.join(map(str, keys))}"
        header_parts.append(
            f"{name} {axis.name} {r.member} "
            + (f"(excluding {cut})" if r.invert else f"({cut} only)")
        )
    fields = {"data_years": list(years), "restricted": restricted}
    headers = {"X-Data-Years": ", ".join(str(y) for y in years)} if years else {}
    if header_parts:
        headers["X-Restricted-Members"] = "; ".join(header_parts)
    return fields, headers
