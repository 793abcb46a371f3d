"""Importing the published workbooks, and cross-tabs answered from published tables.

    python benchmarks/official.py [--official DIR] [--repeat N] [--out FILE]

DIR is the folder of the publishers' files ($LMI_CUBES_OFFICIAL_DIR, else ../shared/official
beside the repository). The import is timed from the files to the committed store (every
workbook read, checked and written). Each cross-tab is timed through the real app (no
response cache exists for published cross-tabs) and through the engine alone, as medians
after one warm-up that reads the table into memory; the raw DuckDB time is the same
figures selected from the store file by one SQL query, in the same run.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

import duckdb

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from lmi_cubes.aggregates import published, published_choice  # noqa: E402
from lmi_cubes.cube_server.app import create_app  # noqa: E402
from lmi_cubes.etl.official.importer import import_files, store_path  # noqa: E402

QUERIES = [
    (
        "7.1a region x sex, median weekly pay",
        published_choice.ASHE,
        {"rows": "geography:region", "columns": "sex", "measure": "weekly_pay_gross_median"},
        ("ashe:7.1a:United Kingdom:2018:provisional", "median", "pattern = 'all'"),
    ),
    (
        "7.1a local authority x working pattern, p90",
        published_choice.ASHE,
        {
            "rows": "geography:local_authority",
            "columns": "working_pattern",
            "measure": "weekly_pay_gross_p90",
        },
        ("ashe:7.1a:United Kingdom:2018:provisional", "p90", "sex = 'all'"),
    ),
    (
        "16.7a SIC class x sex, median annual pay",
        published_choice.ASHE,
        {"rows": "industry:class", "columns": "sex", "measure": "annual_pay_gross_median"},
        ("ashe:16.7a:United Kingdom:2020:provisional", "median", "pattern = 'all'"),
    ),
    (
        "WF Occ T2 sub-major x year, employment (UK)",
        published_choice.WF,
        {
            "rows": "occupation:soc_sub_major",
            "columns": "year",
            "measure": "employment",
            "cut": "area:United Kingdom|round:2017-2027",
        },
        ("working_futures:Occ T2:United Kingdom:2027:2017-2027", "employment", "sex = 'all'"),
    ),
]


def median_ms(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    fn()
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - started) * 1000)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser()
    default = os.environ.get("LMI_CUBES_OFFICIAL_DIR") or str(REPO.parent / "shared" / "official")
    parser.add_argument("--official", default=default)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    folder = Path(args.official)
    lines = [
        f"# Published tables: import and cross-tab times ({datetime.now(UTC):%Y-%m-%d})",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores (shared), Python "
        f"{platform.python_version()}; `python benchmarks/official.py --repeat {args.repeat}`.",
        "",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "w.duckdb"
        files = sorted((folder / "ons-ashe-2018-provisional").glob("*.xls"))
        files += sorted(folder.glob("*/*.xlsm"))
        later = sorted((folder / "ons-ashe-2020").glob("*.xls"))
        started = time.perf_counter()
        first = import_files(files, target)
        second = import_files(later, target, "provisional")
        seconds = time.perf_counter() - started
        lines += [
            "## Import",
            "",
            f"All {len(files) + len(later)} workbooks of `{folder.name}/` (two runs of "
            f"`lmi-cubes import`, the second adding the 2020 table): **{seconds:.1f} s** "
            f"(target: under 30 s); {len(first.tables) + len(second.tables)} tables, "
            f"{second.figures:,} figures in the store.",
            "",
        ]
        app = create_app(
            {"WAREHOUSE": str(Path(tmp) / "none.duckdb"), "OFFICIAL_STORE": str(store_path(target))}
        )
        client = app.test_client()
        store = published.PublishedStore(store_path(target))
        raw = duckdb.connect(str(store_path(target)), read_only=True)
        lines += [
            "## Cross-tabs from published tables (median ms)",
            "",
            "| query | cells | HTTP (app) | engine | raw DuckDB | HTTP / raw | cold engine |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for label, cube, params, (key, statistic, where) in QUERIES:
            url = f"/published/{cube}/crosstab?{urlencode(params)}"
            response = client.get(url)
            assert response.status_code == 200, response.get_data(as_text=True)
            body = response.get_json()
            cells = sum(len(row) for row in body["cells"])
            axes = tuple(
                published_choice.Axis(*[*p.split(":"), None][:2])
                for p in (params["rows"], params.get("columns"))
                if p
            )
            cut = {
                k: tuple(v.split(","))
                for k, _, v in (c.partition(":") for c in params.get("cut", "").split("|") if c)
            }
            query = published_choice.PublishedQuery(cube, axes, params["measure"], cut)
            http = median_ms(lambda url=url: client.get(url), args.repeat)
            engine = median_ms(lambda q=query: published.crosstab(store, q), args.repeat)
            sql = (
                "SELECT member, sex, pattern, year, value, mark, cv FROM published_figures "
                f"WHERE key = ? AND statistic = ? AND {where}"
            )
            duck = median_ms(
                lambda s=sql, k=key, st=statistic: raw.execute(s, [k, st]).fetchall(), args.repeat
            )
            colds = []
            for _ in range(5):  # a freshly opened store: the table read and its cells built
                fresh = published.PublishedStore(store_path(target))
                started = time.perf_counter()
                published.crosstab(fresh, query)
                colds.append((time.perf_counter() - started) * 1000)
            cold = statistics.median(colds)
            lines.append(
                f"| {label} | {cells} | {http:.2f} | {engine:.2f} | {duck:.2f} "
                f"| {http / duck:.1f} | {cold:.0f} |"
            )
        raw.close()
    lines += [
        "",
        "Target: a cross-tab from a published table under 3 ms p50 uncached (HTTP column). The "
        "first request for a table reads its figures from the store (once per worker and "
        "import); the medians are after that warm-up. The last column is that first request "
        "(median of 5 freshly opened stores): the table's figures read from the store and "
        "its cells built.",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if args.out:
        Path(args.out).write_text(text)


if __name__ == "__main__":
    main()
