"""Whole responses pinned on a data set small enough to check by hand.

Twelve pay rows, two hours rows and six Working Futures rows, written here, loaded by
`lmi-cubes load` and served by `lmi-cubes serve`. Each expected response is written out in
full, every figure worked from the rows in a comment, so a change to any byte of an answer
(a figure, a flag, a label, a key, the order) fails here and shows what moved.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from lmi_cubes.aggregates.query import AGES
from lmi_cubes.etl import sources
from support import serving

PAY = [  # year,gender,status,industry,occupation,geography,qualification,Employment,PayBill
    "2023,1,1,1,1115,1,1,20000,16000000",  # mean 800
    "2023,2,1,1,1115,1,1,10000,7000000",  # 700
    "2023,1,2,1,1115,1,1,5000,1500000",  # 300
    "2023,2,2,1,1115,1,1,5000,1000000",  # 200
    "2023,1,1,1,2231,1,1,8000,4800000",  # 600
    "2023,2,1,1,2231,1,1,12000,6000000",  # 500
    "2023,1,2,1,2231,1,1,500,100000",  # 200, a small cell
    "2023,2,2,1,2231,1,1,3000,600000",  # 200
    "2023,1,1,1,1115,2,1,4000,4000000",  # 1000
    "2023,2,1,1,1115,2,1,6000,4200000",  # 700
    "2023,1,2,1,2231,2,1,800,160000",  # 200, a small cell
    "2023,2,2,1,2231,2,1,1000,250000",  # 250
]
HOURS = [  # year,gender,status,industry,occupation,geography,Employment,TotalHours
    "2023,1,1,1,1115,1,2000,80000",  # 40 hours a week
    "2023,2,2,1,2231,2,1000,25000",  # 25
]
FUTURES = [  # year,gender,status,industry,occupation,geography,qualification,weight
    "2024,1,1,1,1115,1,1,10000",
    "2025,1,1,1,1115,1,1,11000",
    "2026,1,1,1,1115,1,1,12500",
    "2024,1,1,1,2231,1,1,5000",
    "2025,1,1,1,2231,1,1,5000",
    "2026,1,1,1,2231,1,1,4000",
]
YEARS = ["2024,history", "2025,projection", "2026,projection"]
RATES = ["11,0.02,0.01,0.03", "22,0.01,0.01,0.02"]  # soc2: the three rates sum to 0.06, 0.04


def write_sources(out: Path) -> Path:
    """The source files; the age ratios are 1 and the pay shape 1.25 everywhere."""
    out.mkdir(parents=True, exist_ok=True)
    ages = [
        f"{occupation},{gender},{status},{qual},{age},1"
        for occupation in range(1, 11)
        for gender in range(3)
        for status in range(3)
        for qual in range(1, 5)
        for age in AGES
    ]
    shapes = [f"0,0,{status},{gender},1.25,0.1" for status in range(3) for gender in range(3)]
    files = {
        sources.ASHE_PAY.file: (sources.ASHE_PAY.header, PAY),
        sources.ASHE_HOURS.file: (sources.ASHE_HOURS.header, HOURS),
        sources.WF_EMPLOYMENT.file: (sources.WF_EMPLOYMENT.header, FUTURES),
        sources.WF_YEARS_FILE: (["year", "kind"], YEARS),
        sources.WF_REPLACEMENT_RATES.file: (sources.WF_REPLACEMENT_RATES.header, RATES),
        sources.ASHE_AGE_RATIOS.file: (sources.ASHE_AGE_RATIOS.header, ages),
        sources.ASHE_PAY_DISTRIBUTION.file: (sources.ASHE_PAY_DISTRIBUTION.header, shapes),
    }
    for name, (header, rows) in files.items():
        (out / name).write_text("\n".join([",".join(header), *rows]) + "\n")
    return out


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data = write_sources(tmp_path_factory.mktemp("by-hand"))
    target = tmp_path_factory.mktemp("by-hand-wh") / "by-hand.duckdb"
    subprocess.run(
        [sys.executable, "-m", "lmi_cubes.cli", "load", str(data), "--warehouse", str(target)],
        check=True,
        capture_output=True,
    )
    with serving(target, workers=1, threads=1) as url:
        yield url


def answer(base: str, path: str) -> dict:
    """The JSON body, its vintage (a hash of the load) checked against the header and
    replaced by VINTAGE."""
    response = requests.get(base + path, timeout=30)
    assert response.status_code == 200, response.text[:300]
    body = response.json()
    if "vintage" in body:
        assert body["vintage"] == response.headers["X-Data-Vintage"]
        body["vintage"] = "VINTAGE"
    return body


POLICY = {
    "weight": "employment",
    "suppress_below": 1000.0,
    "reliable_from": 10000.0,
    "messages": {
        "suppressed": "no reliable data available",
        "low_reliability": "based on a relatively small sample",
    },
    "protection": "none",
}
GENDER = {
    "dimension": "gender",
    "level": "gender",
    "label": "Gender",
    "members": [{"key": 1, "label": "Male"}, {"key": 2, "label": "Female"}],
}
UNIT_GROUPS = {
    "dimension": "occupation",
    "level": "soc4",
    "label": "Unit group",
    "members": [
        {"key": 1115, "label": "Chief executives and senior officials"},
        {"key": 2231, "label": "Nurses"},
    ],
}
SMALL = "based on a relatively small sample"


def reliable(value: int) -> dict:
    return {"value": value, "flag": "reliable"}


def low(value: int) -> dict:
    return {"value": value, "flag": "low_reliability", "note": SMALL}


def test_mean_pay_by_gender_and_status(base):
    assert answer(base, "/cube/ashe_pay/crosstab?rows=gender&columns=status&measure=mean_pay") == {
        "cube": "ashe_pay",
        "cuts": [],
        "policy": {**POLICY, "rounding": {"mean_pay": 10.0}},
        "table": "rollup_ashe_pay_no_occupation",
        "vintage": "VINTAGE",
        "data_years": [2023],  # the survey year of every ASHE row
        "restricted": [],
        "parameters": {},
        "measure": {"name": "mean_pay", "label": "Mean weekly pay (GBP)"},
        "rows": GENDER,
        "columns": {
            "dimension": "status",
            "level": "status",
            "label": "Employment status",
            "members": [
                {"key": 1, "label": "Full-time employee"},
                {"key": 2, "label": "Part-time employee"},
            ],
        },
        "cells": [
            [
                reliable(780),  # rows 1, 5, 9: 24,800,000 / 32,000 = 775, half away from 0
                low(280),  # rows 3, 7, 11: 1,760,000 / 6,300 = 279.37
            ],
            [
                reliable(610),  # rows 2, 6, 10: 17,200,000 / 28,000 = 614.29
                low(210),  # rows 4, 8, 12: 1,850,000 / 9,000 = 205.56
            ],
        ],
        "row_totals": [
            reliable(690),  # 26,560,000 / 38,300 = 693.47
            reliable(510),  # 19,050,000 / 37,000 = 514.86
        ],
        "column_totals": [
            reliable(700),  # 42,000,000 / 60,000
            reliable(240),  # 3,610,000 / 15,300 = 235.95
        ],
        "grand_total": reliable(610),  # 45,610,000 / 75,300 = 605.71
    }


def test_employment_by_unit_group_and_region(base):
    path = "/cube/ashe_pay/crosstab?rows=occupation:soc4&columns=region:region&measure=employment"
    assert answer(base, path) == {
        "cube": "ashe_pay",
        "cuts": [],
        "policy": {**POLICY, "rounding": {"employment": 10.0}},
        "table": "fact_ashe_pay",  # its rollups are no smaller than the facts here
        "vintage": "VINTAGE",
        "data_years": [2023],
        "restricted": [],
        "parameters": {},
        "measure": {"name": "employment", "label": "Employment"},
        "rows": UNIT_GROUPS,
        "columns": {
            "dimension": "region",
            "level": "region",
            "label": "Region",
            "members": [{"key": 1, "label": "London"}, {"key": 2, "label": "South East"}],
        },
        "cells": [
            [reliable(40000), reliable(10000)],  # rows 1-4; rows 9-10
            [reliable(23500), low(1800)],  # rows 5-8; rows 11-12
        ],
        "row_totals": [reliable(50000), reliable(25300)],
        "column_totals": [reliable(63500), reliable(11800)],
        "grand_total": reliable(75300),
    }


def test_replacement_demand_over_a_period(base):
    path = (
        "/cube/working_futures/crosstab?rows=occupation:soc4&measure=replacement_demand"
        "&from=2024&to=2026"
    )
    assert answer(base, path) == {
        "cube": "working_futures",
        "cuts": [],
        "policy": {**POLICY, "rounding": {"replacement_demand": 10.0}},
        "table": "fact_wf_employment",
        "vintage": "VINTAGE",
        "data_years": [2024, 2026],  # the period's first and last year
        "restricted": [],
        "parameters": {"from": 2024, "to": 2026},
        "measure": {"name": "replacement_demand", "label": "Replacement demand"},
        "rows": UNIT_GROUPS,
        "columns": None,
        "cells": [
            [reliable(1260)],  # 0.06 x (10,000 + 11,000); 10,000 jobs in 2024
            [low(400)],  # 0.04 x (5,000 + 5,000); 5,000 jobs in 2024
        ],
        "grand_total": reliable(1660),  # each group's rate on its own jobs: 1,260 + 400
    }


def test_nurses_by_status_as_a_slicer_aggregate(base):
    path = (
        "/cube/ashe_pay/aggregate?drilldown=status&aggregates=employment|mean_pay"
        "&cut=occupation:2,22,223,2231"
    )
    assert answer(base, path) == {
        # rows 5-8, 11-12: 25,300 jobs; 11,910,000 / 25,300 = 470.75
        "summary": {"employment": 25300, "mean_pay": 470, "flag": "reliable"},
        "remainder": {},
        "cells": [
            {  # rows 5, 6: 20,000 jobs; 10,800,000 / 20,000 = 540
                "status.status": 1,
                "status.status_title": "Full-time employee",
                "employment": 20000,
                "mean_pay": 540,
                "flag": "reliable",
            },
            {  # rows 7, 8, 11, 12: 5,300 jobs (under 10,000); 1,110,000 / 5,300 = 209.43
                "status.status": 2,
                "status.status_title": "Part-time employee",
                "employment": 5300,
                "mean_pay": 210,
                "flag": "low_reliability",
                "note": SMALL,
            },
        ],
        "total_cell_count": 2,
        "aggregates": ["employment", "mean_pay"],
        "cell": [
            {
                "type": "point",
                "dimension": "occupation",
                "hierarchy": None,
                "level_depth": 4,
                "invert": False,
                "hidden": False,
                "path": [2, 22, 223, 2231],
            }
        ],
        "levels": {"status": ["status"]},
        "attributes": ["status.status", "status.status_title"],
        "has_split": False,
        "page": 0,
        "pagesize": 2,
        "table": "rollup_ashe_pay_occupation_industry",
        "vintage": "VINTAGE",
        "protection": "none",
    }


def test_a_small_cell_alone_is_withheld_with_every_measure(base):
    path = "/cube/ashe_pay/aggregate?cut=gender:1|status:2|occupation:2,22,223,2231|region:1,1,1"
    measures = ["employment", "mean_pay", "median_pay"]
    measures += [f"pay_decile_p{d}" for d in range(10, 100, 10)]
    point = {"type": "point", "hierarchy": None, "invert": False, "hidden": False}
    assert answer(base, path) == {  # row 7 alone: 500 jobs
        "summary": {
            **dict.fromkeys(measures),
            "flag": "suppressed",
            "reason": "no reliable data available",
        },
        "remainder": {},
        "cells": [],
        "total_cell_count": 0,
        "aggregates": measures,
        "cell": [
            {**point, "dimension": "gender", "level_depth": 1, "path": [1]},
            {**point, "dimension": "status", "level_depth": 1, "path": [2]},
            {**point, "dimension": "occupation", "level_depth": 4, "path": [2, 22, 223, 2231]},
            {**point, "dimension": "region", "level_depth": 3, "path": [1, 1, 1]},
        ],
        "levels": {},
        "attributes": [],
        "has_split": False,
        "page": 0,
        "pagesize": 1,
        "table": "fact_ashe_pay",
        "vintage": "VINTAGE",
        "protection": "none",
    }


def test_the_v1_api_on_the_same_rows(base):
    # rows 1-4, 9-10: 33,700,000 / 50,000 = 674
    assert answer(base, "/api/v1/ashe/estimatePay?soc=1115") == {
        "soc": 1115,
        "series": [{"year": 2023, "estpay": 670}],
    }
    assert answer(base, "/api/v1/ashe/estimateHours?soc=1115") == {
        "soc": 1115,
        "series": [{"year": 2023, "hours": 40}],  # 80,000 / 2,000
    }
    path = "/api/v1/wf/replacement_demand?soc=2231&minYear=2024&maxYear=2026"
    assert answer(base, path) == {
        "soc": 2231,
        "start_year": 2024,
        "end_year": 2026,
        "rate": 400,
        "note": "The sample size for this estimate is small, so the data may be inaccurate.",
    }
