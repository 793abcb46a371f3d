"""The CSV on the Web (W3C CSVW) metadata of a cross-tab CSV: what the file holds.

The GSS guidance for machine-readable tables keeps notes out of a CSV's cells (one table,
one header row), so the query behind a file (cube, measure, cuts with their labels, years,
vintage) and the meaning of every column and shorthand are published beside it: the CSV
response links here with `Link: <...>; rel="describedby"` (how CSVW locates metadata), and
the same facts are in the file name.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from lmi_cubes.aggregates.catalog import Catalog
from lmi_cubes.aggregates.engine import Result
from lmi_cubes.cube_server.formats import (
    GSS_FILLED,
    GSS_LOW,
    GSS_NOT_APPLICABLE,
    GSS_WITHHELD,
    SYMBOL_SUFFIX,
)

SYMBOLS = {
    GSS_WITHHELD: "withheld: no reliable data available",
    GSS_LOW: "low reliability: based on a relatively small sample",
    GSS_NOT_APPLICABLE: "not applicable (for example a total over years)",
    GSS_FILLED: "filled: the cell's own figure is withheld; the value is its nearest reliable "
    "coarser group's (named in the tidy layout's filled_from column)",
}


def describe_query(result: Result, catalog: Catalog) -> dict[str, Any]:
    """The query as a reader needs it: names, keys and labels, not URL syntax."""
    q = result.query
    cuts = []
    for c in q.cuts:
        dim = q.cube.dimension(c.dimension, "cut")
        level = dim.level(c.level, "cut", None)
        cuts.append(
            {
                "dimension": c.dimension,
                "level": c.level,
                "keys": list(c.keys),
                "labels": [catalog.label(dim, level, k) for k in c.keys],
                "excluded": c.invert,
            }
        )
    out: dict[str, Any] = {
        "cube": q.cube.name,
        "measure": q.measures[0].name,
        "measure_label": q.measures[0].label,
        "rows": q.axes[0].name,
        "columns": q.axes[1].name if len(q.axes) > 1 else None,
        "cuts": cuts,
        "vintage": result.vintage,
        "filled": q.fallback,
    }
    if q.year_from is not None:
        out["years"] = {"from": q.year_from, "to": q.year_to}
    for name in ("age", "decile"):
        if getattr(q, name) is not None:
            out[name] = getattr(q, name)
    return out


def _summary(query: dict[str, Any]) -> str:
    cuts = "; ".join(
        f"{'not ' if c['excluded'] else ''}{c['dimension']} ({c['level']}) = "
        + ", ".join(
            f"{k} {lbl}" if str(k) != lbl else lbl
            for k, lbl in zip(c["keys"], c["labels"], strict=True)
        )
        for c in query["cuts"]
    )
    years = (
        f"; years {query['years']['from']} to {query['years']['to']}" if "years" in query else ""
    )
    return (
        f"{query['measure_label']} from the {query['cube']} cube by {query['rows']}"
        + (f" and {query['columns']}" if query["columns"] else "")
        + (f"; filtered to {cuts}" if cuts else "; no filter")
        + years
        + f"; data vintage {query['vintage']}"
    )


def metadata(result: Result, catalog: Catalog, csv_url: str, header: list[str]) -> dict[str, Any]:
    """A CSVW table description of the CSV at `csv_url` whose header row is `header`."""
    query = describe_query(result, catalog)
    columns = []
    for name in header:
        if name.endswith("_code"):
            kind, note = "integer", "code of the member; empty on a total"
        elif name.endswith("_label"):
            kind, note = "string", 'label of the member; "Total" on a total'
        elif name.endswith(SYMBOL_SUFFIX):
            kind, note = (
                "string",
                "GSS shorthand of the value beside it: "
                + ", ".join(f"{s} {m}" for s, m in SYMBOLS.items()),
            )
        elif name in ("measure", "flag", "filled_from"):
            kind, note = (
                "string",
                {
                    "measure": "the measure's name",
                    "flag": "reliable, low_reliability, suppressed or not_applicable",
                    "filled_from": "dimension:level:key of the group a withheld cell was filled from",
                }[name],
            )
        else:
            kind, note = "number", f"{query['measure_label']}; empty when withheld"
        columns.append(
            {"name": _safe(name), "titles": name, "datatype": kind, "dc:description": note}
        )
    return {
        "@context": "http://www.w3.org/ns/csvw",
        "url": csv_url,
        "dc:title": _summary(query),
        "dc:source": result.query.cube.label,
        "dc:hasVersion": result.vintage,
        "notes": [{"type": "query", "query": query}, {"type": "symbols", "symbols": SYMBOLS}],
        "tableSchema": {"columns": columns},
        "dialect": {"header": True},
    }


def _safe(name: str) -> str:
    """CSVW column names are URI template variables: letters, digits, `_` and `.`."""
    return "".join(ch if ch.isalnum() or ch in "_." else "_" for ch in name)


def download_name(result: Result, catalog: Catalog, extension: str = "csv") -> str:
    """A file name that records the query: cube, measure, axes, cuts (codes, and labels
    for a few members), years and vintage, so two differently filtered tables never share
    a name and a file says what it holds after it is saved."""
    query = describe_query(result, catalog)
    q = result.query
    parts = [q.cube.name, q.measures[0].name]
    parts.append("-by-".join(f"{a.dimension.name}-{a.level.name}" for a in q.axes))
    for c in query["cuts"]:
        keys = ".".join(str(k) for k in c["keys"][:12]) + (".etc" if len(c["keys"]) > 12 else "")
        labels = (
            "-" + "-".join(c["labels"])
            if len(c["keys"]) <= 3 and c["labels"] != [str(k) for k in c["keys"]]
            else ""
        )
        parts.append(
            f"{'not-' if c['excluded'] else ''}{c['dimension']}-{c['level']}-{keys}{labels}"
        )
    if "years" in query:
        parts.append(f"{query['years']['from']}-to-{query['years']['to']}")
    parts += [f"{name}-{query[name]}" for name in ("age", "decile") if name in query]
    if q.fallback:
        parts.append("filled")
    parts.append(f"v{result.vintage}")
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", "_".join(parts)).strip("-")
    if len(name) > 180:  # a long cut: keep the start and a digest of the whole
        name = f"{name[:160]}-{hashlib.sha256(name.encode()).hexdigest()[:10]}"
    return f"{name}.{extension}"
