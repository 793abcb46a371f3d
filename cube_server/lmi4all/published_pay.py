"""`/ashe/estimatePay` from an imported ONS occupation table (ASHE Table 14: mean gross
weekly pay by 4-digit SOC), when one is loaded and the request asks for what it publishes:
all employees of an occupation, no filters or breakdown. Each item names its source."""

from __future__ import annotations

from typing import Any

from flask import current_app, request

from lmi_cubes.aggregates import published
from lmi_cubes.cube_server.published_api import EXTENSION

MEASURE = "weekly_pay_gross_mean"
MODELLED_ONLY = ("filters", "age", "breakdown")


def estimate_pay(soc: int, coarse: bool) -> dict[str, Any] | None:
    """The v1 answer from the published table, or None to answer from the modelled cube."""
    if any(request.args.get(name) for name in MODELLED_ONLY):
        return None
    state = current_app.extensions.get(EXTENSION)
    store = state.current() if state is not None else None
    if store is None:
        return None
    if not published.occupation_tables(store, str(soc), MEASURE):
        return None
    # the table has the occupation: its figures are the answer, withheld ones left out (as
    # the v1 API leaves out unreliable cells), never replaced by a modelled estimate
    points = published.occupation_series(store, str(soc), MEASURE, coarse)
    series = []
    for point in points:
        p = point.table.provenance
        series.append(
            {
                # the v1 contract: weekly pay to the nearest GBP 10
                "year": point.year,
                "estpay": int(round(point.cell["value"] / 10.0) * 10),
                "source": {
                    "publication": p["publication"],
                    "table": p["table"],
                    "release": p["release"],
                    "statistic": "mean gross weekly pay, all employee jobs",
                    "soc": int(point.soc),
                    "published_value": point.cell["value"],
                    "flag": point.cell["flag"],
                    "attribution": p["attribution"],
                },
            }
        )
    return {"soc": soc, "series": series}
