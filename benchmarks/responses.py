"""Record the server's responses to a few hundred varied requests, or compare them with a
recording: speed work must not change a single byte of what is published.

    .venv/bin/python benchmarks/responses.py record FILE [--warehouse W]
    .venv/bin/python benchmarks/responses.py compare FILE [--warehouse W]

Runs on the tiny data (generated and loaded into a temporary directory unless --warehouse
is given), through the Flask test client with the result cache off, so every request is
computed, once with rollups and once from the fact tables. With rollups each request is
asked twice (a rollup's projection is built at the second request for its columns), and its
two answers must be identical. Each request is recorded as its status, content type and the SHA-256 of its body
(the whole body is kept too, so a difference can be shown). Bodies carry no timing fields;
the request id of an error body is fixed by sending X-Request-ID. Not part of the tests.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import itertools
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:  # run as a script: benchmarks/ is not installed
    sys.path.insert(0, str(HERE.parent))

CUBES: dict[str, dict[str, list[str]]] = {
    "ashe_pay": {
        "levels": ["occupation:soc1", "occupation:soc2", "occupation:soc4", "region:nation",
                   "region", "industry:sector6", "industry:ind75", "gender", "status",
                   "qualification:broad3", "qualification"],
        "measures": ["mean_pay", "median_pay", "employment", "pay_decile&decile=90",
                     "pay_decile&decile=10", "mean_pay_at_age&age=30", "mean_pay_at_age&age=55"],
        "cuts": ["", "gender:2", "status:1", "occupation:2,21|gender:2", "industry:2,5",
                 "qualification:1", "region:1,1", "!gender:1"],
    },
    "ashe_hours": {
        "levels": ["occupation:soc1", "occupation:soc3", "occupation:soc4", "region",
                   "industry:ind22", "gender", "status", "region:nation"],
        "measures": ["mean_hours", "employment", "total_hours"],
        "cuts": ["", "gender:1", "occupation:2", "region:1,1|status:2"],
    },
    "working_futures": {
        "levels": ["occupation:soc1", "occupation:soc2", "occupation:soc4", "region:nation",
                   "industry:sector6", "industry:ind22", "gender", "qualification:broad3",
                   "year", "status"],
        "measures": ["employment", "employment_change&from=2022&to=2027",
                     "replacement_demand&from=2021&to=2026",
                     "total_requirement&from=2023&to=2027", "expansion_demand&from=2025&to=2027"],
        "cuts": ["", "gender:2", "year:2025", "industry:2,5", "occupation:3|region:1,1"],
    },
}  # fmt: skip

OTHER = [
    "/cubes", "/info", "/cube/ashe_pay/model", "/cube/working_futures/model",
    "/cube/ashe_pay/aggregate",
    "/cube/ashe_pay/aggregate?drilldown=occupation:soc1|gender&aggregates=employment|mean_pay&order=employment:desc&pagesize=5",
    "/cube/ashe_pay/aggregate?drilldown=occupation:soc4|region:nation&cut=gender:2|status:2|qualification:1,1",
    "/cube/ashe_pay/aggregate?drilldown=occupation:soc4|industry:ind75|gender",
    "/cube/ashe_pay/aggregate?drilldown=gender&aggregates=employment|mean_pay&format=csv",
    "/cube/ashe_pay/aggregate?drilldown=region&cut=region:1,1,1",
    "/cube/ashe_pay/aggregate?drilldown=occupation:soc1&cut=region:1,1&aggregates=pay_decile_p90|mean_pay_at_age_30|pay_decile_p10",
    "/cube/ashe_hours/aggregate?drilldown=status&cut=gender:2",
    "/cube/working_futures/aggregate?drilldown=year|gender&aggregates=employment",
    "/cube/working_futures/aggregate?drilldown=occupation:soc2&cut=year:2025&format=csv",
    "/cube/ashe_pay/members/region?depth=2",
    "/cube/ashe_pay/members/occupation?level=soc2&format=csv",
    "/cube/ashe_pay/cell?cut=occupation:2,21|region:1",
    "/cube/ashe_pay/crosstab?rows=shoe",
    "/cube/ashe_pay/crosstab?rows=occupation:soc9",
    "/cube/ashe_pay/crosstab?rows=occupation&measure=nope",
    "/api/v1/ashe/estimatePay?soc=2231", "/api/v1/ashe/estimatePay?soc=2231&age=40",
    "/api/v1/ashe/estimatePay?soc=2231&breakdown=region",
    "/api/v1/ashe/estimatePay?soc=2231&breakdown=gender",
    "/api/v1/ashe/estimatePay?soc=2231&coarse=true&filters=region:12|gender:2",
    "/api/v1/ashe/estimatePay?soc=1171&filters=qualification:3|industry:5",
    "/api/v1/ashe/estimateHours?soc=2231", "/api/v1/ashe/estimateHours?soc=1171&coarse=true",
    "/api/v1/ashe/annualChanges?soc=2231", "/api/v1/ashe/filters", "/api/v1/ashe/filter/region",
    "/api/v1/soc/code/2136", "/api/v1/soc/search?q=nurse",
    "/api/v1/wf/predict?soc=2231", "/api/v1/wf/predict?soc=2231&minYear=2022&maxYear=2026",
    "/api/v1/wf/predict/breakdown/region?soc=2231",
    "/api/v1/wf/predict/breakdown/industry?soc=5223",
    "/api/v1/wf/replacement_demand?soc=2231", "/api/v1/wf/filters",
]  # fmt: skip


def requests() -> list[str]:
    """A fixed, varied list: every cube, level pairs, measures, cuts, fallback, formats."""
    out: list[str] = []
    for cube, spec in CUBES.items():
        pairs = [
            (a, b)
            for a, b in itertools.combinations(spec["levels"], 2)
            if a.split(":")[0] != b.split(":")[0]
        ]
        for n, (rows, columns) in enumerate(pairs):
            measure = spec["measures"][n % len(spec["measures"])]
            cut = spec["cuts"][n % len(spec["cuts"])]
            base = f"/cube/{cube}/crosstab?rows={rows}&columns={columns}&measure={measure}"
            base += f"&cut={cut}" if cut else ""
            variant = n % 6
            if variant == 1:
                base += "&fallback=true"
            elif variant == 2:
                base += "&format=csv"
            elif variant == 3:
                base += "&format=csv&layout=wide&fallback=true"
            elif variant == 4:
                base += "&margins=false"
            out.append(base)
        for level in spec["levels"]:  # one axis
            out.append(f"/cube/{cube}/crosstab?rows={level}&measure={spec['measures'][0]}")
        for n, (rows, columns) in enumerate(pairs[:6]):  # Slicer aggregate over the same
            cut = spec["cuts"][n % len(spec["cuts"])]
            agg = f"/cube/{cube}/aggregate?drilldown={rows}|{columns}"
            out.append(agg + (f"&cut={cut}" if cut else ""))
    from benchmarks.run import MIX, url_of  # the benchmark's own mix (full-data years)

    return out + OTHER + [url_of(cube, p) for _, cube, p in MIX]


def run(warehouse: Path) -> dict[str, dict[str, Any]]:
    """Every request twice: answered from the rollups (and resident ones), then from the
    fact tables, so both paths are covered."""
    out = {}
    for rollups in (True, False):
        out.update(_run(warehouse, rollups))
    return out


def _run(warehouse: Path, rollups: bool) -> dict[str, dict[str, Any]]:
    from lmi_cubes.cube_server.app import create_app

    app = create_app({"WAREHOUSE": str(warehouse), "CACHE_MB": 0, "USE_ROLLUPS": rollups})
    client = app.test_client()
    out = {}
    for path in requests():
        response = client.get(path, headers={"X-Request-ID": "recorded"})
        body = response.get_data()
        status = response.status_code
        if rollups:  # asked again: answered from the projection its first request admitted
            response = client.get(path, headers={"X-Request-ID": "recorded"})
            if response.get_data() != body:
                print(f"DIFFERS between its first and its second request: {path}")
                status = -1
        out[f"{'rollups' if rollups else 'base'} {path}"] = {
            "status": status,
            "type": response.content_type,
            "sha256": hashlib.sha256(body).hexdigest(),
            "body": body.decode("utf-8", "replace"),
        }
    return out


def tiny_warehouse(directory: Path) -> Path:
    from lmi_cubes.cli import load_warehouse
    from lmi_cubes.etl.generate import generate

    generate(directory / "data", "tiny", seed=1)
    target = directory / "tiny.duckdb"
    load_warehouse(directory / "data", target)
    return target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["record", "compare"])
    parser.add_argument("file", type=Path)
    parser.add_argument("--warehouse", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        warehouse = args.warehouse or tiny_warehouse(Path(tmp))
        got = run(warehouse)
    if args.action == "record":
        args.file.write_bytes(gzip.compress(json.dumps(got).encode()))
        statuses = sorted({v["status"] for v in got.values()})
        print(f"recorded {len(got)} responses (statuses {statuses}) in {args.file}")
        return 0
    want = json.loads(gzip.decompress(args.file.read_bytes()))
    differ = [p for p in want if p not in got or {**got[p], "body": ""} != {**want[p], "body": ""}]
    for path in differ[:5]:
        print(f"DIFFERS: {path}")
        print(f"  want: {want[path]['body'][:400]}")
        print(f"  got:  {got.get(path, {}).get('body', '')[:400]}")
    print(f"{len(want) - len(differ)} of {len(want)} responses identical")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
