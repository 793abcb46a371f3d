"""Synthetic source files with the structure of the real LMI data.

The real files are not public. The generator spreads about 32 million jobs over the
detailed cells by multiplicative shares (region x industry x occupation-within-industry x
qualification-within-occupation x gender x status) and keeps a share of the cells, the
larger ones more often, so that most detailed cells are small while totals are large.
The small per-dimension factor tables are drawn with numpy; the big cross product is
formed, sampled and written by DuckDB so that `full` scale streams to disk in bounded
memory. Every random choice derives from the seed, so files are identical per seed.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from lmi_cubes.aggregates.query import AGES
from lmi_cubes.etl import sources
from lmi_cubes.etl.classifications import CLASSIFICATIONS, read_classification, reference_path
from lmi_cubes.etl.problems import Problem

BASE_YEAR = 2023  # the ASHE year, and the year Working Futures employment is about 32M
LAST_HISTORY_YEAR = 2024
ARMED_FORCES = (1171, 3311)  # SOC unit groups with no ASHE pay or hours data
TOTAL_EMPLOYMENT = 32_000_000.0
KEEP_EXPONENT = 0.6  # how strongly large expected cells are favoured when sampling cells


@dataclass(frozen=True)
class Scale:
    pay_density: float  # share of the dense pay cross product written as rows
    wf_density: float  # share of the dense WF cross product (per year) written as rows
    wf_years: range


SCALES: dict[str, Scale] = {
    "tiny": Scale(pay_density=0.002, wf_density=0.0015, wf_years=range(2021, 2028)),
    "small": Scale(pay_density=0.03, wf_density=0.01, wf_years=range(2012, 2031)),
    "full": Scale(pay_density=0.21, wf_density=0.055, wf_years=range(2000, 2036)),
}

# Effects by SOC major group 1..9 (index 0 = group 1).
LOG_PAY_BY_SOC1 = np.array([0.55, 0.42, 0.22, -0.15, -0.02, -0.38, -0.36, -0.14, -0.45])
FEMALE_SHARE_BY_SOC1 = np.array([0.35, 0.5, 0.43, 0.75, 0.1, 0.8, 0.62, 0.12, 0.45])
PT_SHARE_FEMALE_BY_SOC1 = np.array([0.12, 0.25, 0.25, 0.38, 0.2, 0.55, 0.6, 0.1, 0.6])
SELF_EMPLOYED_BY_SOC1 = np.array([0.12, 0.15, 0.18, 0.04, 0.35, 0.08, 0.04, 0.15, 0.08])
QUAL_CENTRE_BY_SOC1 = np.array([4.2, 3.3, 4.8, 6.2, 6.8, 6.5, 6.5, 7.2, 7.6])
GROWTH_BY_SOC1 = np.array([0.012, 0.015, 0.012, -0.008, -0.004, 0.014, 0.002, -0.01, 0.0])
# Qualification 1 (doctorate) .. 9 (none).
LOG_PAY_BY_QUAL = np.array([0.45, 0.4, 0.3, 0.2, 0.1, 0.0, -0.08, -0.15, -0.25])
# Regions in Working Futures order 1 London .. 12 Northern Ireland.
REGION_SHARES = np.array(
    [0.16, 0.14, 0.095, 0.085, 0.085, 0.072, 0.08, 0.11, 0.038, 0.045, 0.085, 0.027]
)
LOG_PAY_BY_REGION = np.array(
    [0.25, 0.08, 0.03, -0.04, -0.06, -0.06, -0.08, -0.05, -0.09, -0.09, -0.03, -0.1]
)

Progress = Callable[[str], None]


def _shares(rows: np.ndarray) -> np.ndarray:
    return rows / rows.sum(axis=-1, keepdims=True)


class _Factors:
    """The small share and effect tables the cells are built from."""

    def __init__(self, rng: np.random.Generator, dims: dict[str, pd.DataFrame]):
        occ = dims["occupation"]
        self.occupations = occ["soc4"].to_numpy()
        soc1 = occ["soc1"].to_numpy() - 1
        self.soc1 = soc1
        self.industries = dims["industry"]["ind75"].to_numpy()
        self.regions = dims["region"]["region"].to_numpy()
        self.quals = dims["qualification"]["qualification"].to_numpy()
        n_o, n_i, n_r, n_q = (
            len(self.occupations),
            len(self.industries),
            len(self.regions),
            len(self.quals),
        )

        region = REGION_SHARES if n_r == len(REGION_SHARES) else rng.dirichlet(np.ones(n_r) * 5)
        self.p_region = region / region.sum()
        ind_size = rng.lognormal(0, 0.8, n_i)
        self.p_ind = _shares(ind_size[None, :] * rng.lognormal(0, 0.35, (n_r, n_i)))
        occ_size = rng.lognormal(0, 1.0, n_o)
        affinity = np.exp(1.6 * rng.standard_normal((n_i, n_o)))
        for o in range(n_o):  # each occupation has a few home industries
            affinity[rng.choice(n_i, size=2, replace=False), o] *= 15
        self.p_occ = _shares(occ_size[None, :] * affinity)
        centre = QUAL_CENTRE_BY_SOC1[soc1] + rng.normal(0, 0.6, n_o)
        q = np.arange(1, n_q + 1)
        self.p_qual = _shares(np.exp(-((q[None, :] - centre[:, None]) ** 2) / (2 * 1.7**2)))
        logit = np.log(FEMALE_SHARE_BY_SOC1[soc1] / (1 - FEMALE_SHARE_BY_SOC1[soc1]))
        female = 1 / (1 + np.exp(-(logit + rng.normal(0, 0.7, n_o))))
        self.p_gender = np.stack([1 - female, female], axis=1)  # gender 1 male, 2 female
        pt_f = np.clip(PT_SHARE_FEMALE_BY_SOC1[soc1] * rng.lognormal(0, 0.2, n_o), 0.02, 0.9)
        self_emp = np.clip(SELF_EMPLOYED_BY_SOC1[soc1] * rng.lognormal(0, 0.3, n_o), 0.01, 0.7)
        # status 1 FT employee, 2 PT employee, 3 self-employed; by occupation and gender
        self.p_status = np.zeros((n_o, 2, 3))
        for g, pt in ((0, pt_f * 0.35), (1, pt_f)):
            self.p_status[:, g, 0] = (1 - self_emp) * (1 - pt)
            self.p_status[:, g, 1] = (1 - self_emp) * pt
            self.p_status[:, g, 2] = self_emp
        self.log_pay_occ = LOG_PAY_BY_SOC1[soc1] + rng.normal(0, 0.12, n_o)
        self.log_pay_ind = rng.normal(0, 0.07, n_i)
        self.log_pay_region = (
            LOG_PAY_BY_REGION if n_r == len(LOG_PAY_BY_REGION) else rng.normal(0, 0.05, n_r)
        )
        self.log_pay_qual = LOG_PAY_BY_QUAL if n_q == 9 else np.linspace(0.45, -0.25, n_q)
        self.hours_occ = rng.normal(0, 1.8, n_o)
        self.growth_ind = rng.normal(0.004, 0.012, n_i)
        self.growth_occ = GROWTH_BY_SOC1[soc1] + rng.normal(0, 0.006, n_o)

    def expected(self, r, i, o, q, g, s) -> np.ndarray:
        return (
            TOTAL_EMPLOYMENT
            * self.p_region[r]
            * self.p_ind[r, i]
            * self.p_occ[i, o]
            * self.p_qual[o, q]
            * self.p_gender[o, g]
            * self.p_status[o, g, s]
        )

    def keep_scale(self, rng: np.random.Generator, density: float, statuses: int) -> float:
        """E0 such that keeping each cell with probability min(1, (E/E0)^a) keeps `density`."""
        n = 400_000
        idx = [
            rng.integers(0, len(self.regions), n),
            rng.integers(0, len(self.industries), n),
            rng.integers(0, len(self.occupations), n),
            rng.integers(0, len(self.quals), n),
            rng.integers(0, 2, n),
            rng.integers(0, statuses, n),
        ]
        e = self.expected(*idx)
        lo, hi = np.log(e.max()) - 60, np.log(e.max()) + 1
        for _ in range(80):
            mid = (lo + hi) / 2
            kept = np.minimum(1.0, (e / np.exp(mid)) ** KEEP_EXPONENT).mean()
            lo, hi = (mid, hi) if kept > density else (lo, mid)
        return float(np.exp((lo + hi) / 2))

    def register(self, con: duckdb.DuckDBPyConnection) -> None:
        """Expose the factor tables to DuckDB as relations named f_*."""
        r, i, o, q = (self.regions, self.industries, self.occupations, self.quals)
        frames = {
            "f_region": pd.DataFrame({"region": r, "p": self.p_region, "pay": self.log_pay_region}),
            "f_ind": pd.DataFrame(
                {
                    "region": np.repeat(r, len(i)),
                    "industry": np.tile(i, len(r)),
                    "p": self.p_ind.ravel(),
                }
            ),
            "f_occ": pd.DataFrame(
                {
                    "industry": np.repeat(i, len(o)),
                    "occupation": np.tile(o, len(i)),
                    "p": self.p_occ.ravel(),
                }
            ),
            "f_qual": pd.DataFrame(
                {
                    "occupation": np.repeat(o, len(q)),
                    "qualification": np.tile(q, len(o)),
                    "p": self.p_qual.ravel(),
                    "pay": np.tile(self.log_pay_qual, len(o)),
                }
            ),
            "f_gender": pd.DataFrame(
                {
                    "occupation": np.repeat(o, 2),
                    "gender": np.tile([1, 2], len(o)),
                    "p": self.p_gender.ravel(),
                }
            ),
            "f_status": pd.DataFrame(
                {
                    "occupation": np.repeat(o, 6),
                    "gender": np.tile(np.repeat([1, 2], 3), len(o)),
                    "status": np.tile([1, 2, 3], 2 * len(o)),
                    "p": self.p_status.ravel(),
                }
            ),
            "f_occ_effects": pd.DataFrame(
                {
                    "occupation": o,
                    "pay": self.log_pay_occ,
                    "hours": self.hours_occ,
                    "growth": self.growth_occ,
                }
            ),
            "f_ind_effects": pd.DataFrame(
                {"industry": i, "pay": self.log_pay_ind, "growth": self.growth_ind}
            ),
        }
        for name, frame in frames.items():
            con.register(name, frame)


def _uniform(seed: int, salt: str, cols: str) -> str:
    """SQL for a deterministic uniform (0, 1) draw per cell from a hash of its keys."""
    return f"((hash({seed}, '{salt}', {cols}) % 4294967291) + 0.5) / 4294967291.0"


def _normal(seed: int, salt: str, cols: str) -> str:
    u1, u2 = _uniform(seed, salt + "1", cols), _uniform(seed, salt + "2", cols)
    return f"(sqrt(-2 * ln({u1})) * cos(2 * pi() * {u2}))"


_CELL_KEYS = "gender, status, industry, occupation, region, qualification"


def _cells_sql(seed: int, salt: str, e0: float, statuses: str) -> str:
    """Kept cells with their expected employment, the keep probability and the weight."""
    keep = f"least(1.0, pow(e / {e0!r}, {KEEP_EXPONENT}))"
    return f"""
    SELECT {_CELL_KEYS}, e,
           e / {keep} * exp(0.3 * {_normal(seed, salt + "w", _CELL_KEYS)} - 0.045) AS weight
    FROM (
        SELECT g.gender, s.status, i.industry, o.occupation, r.region, q.qualification,
               {TOTAL_EMPLOYMENT!r} * r.p * i.p * o.p * q.p * g.p * s.p AS e
        FROM f_region r JOIN f_ind i USING (region) JOIN f_occ o USING (industry)
        JOIN f_qual q USING (occupation) JOIN f_gender g USING (occupation)
        JOIN f_status s USING (occupation, gender)
        WHERE s.status IN ({statuses})
    )
    WHERE {_uniform(seed, salt + "k", _CELL_KEYS)} < {keep}
    """


def _copy(con: duckdb.DuckDBPyConnection, query: str, path: Path, header: bool = True) -> None:
    con.execute(f"COPY ({query}) TO ? (FORMAT csv, HEADER {str(header).lower()})", [str(path)])


MAX_WF_DENSITY = 0.9  # keep_scale cannot reach a share of 1 (cells with e -> 0 are rarely kept)


def wf_multiplier_limit(scale: str) -> float:
    """The largest Working Futures multiplier the scale allows (kept share <= MAX_WF_DENSITY)."""
    return MAX_WF_DENSITY / SCALES[scale].wf_density


def generate(
    out_dir: Path,
    scale: str = "tiny",
    seed: int = 1,
    progress: Progress | None = None,
    wf_multiplier: float = 1.0,
) -> None:
    """Write every source file docs/reference.md describes, and the classification files, to
    out_dir.

    `wf_multiplier` keeps that many times more Working Futures cells per year than the scale
    does (same years, same population: the detailed cells get smaller, as with a larger
    sample); every other file is the same as without it.
    """
    say = progress or (lambda _msg: None)
    spec = SCALES[scale]
    if not 0 < wf_multiplier <= wf_multiplier_limit(scale):
        raise ValueError(
            f"wf_multiplier must be above 0 and at most {wf_multiplier_limit(scale):g} at "
            f"scale {scale} (it keeps {spec.wf_density:g} of the cells per year, at most "
            f"{MAX_WF_DENSITY:g} can be kept), not {wf_multiplier:g}"
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    problems: list[Problem] = []
    dims: dict[str, pd.DataFrame] = {}
    for c in CLASSIFICATIONS:
        shutil.copyfile(reference_path(c.file), out_dir / c.file)
        frame = read_classification(c, reference_path(c.file), problems)
        if frame is None:
            raise RuntimeError(f"packaged classification files are invalid: {problems}")
        dims[c.dimension] = frame
    if problems:
        raise RuntimeError(f"packaged classification files are invalid: {problems}")
    rng = np.random.default_rng(seed)
    factors = _Factors(rng, dims)
    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = true")
    con.execute("SET enable_progress_bar = false")
    factors.register(con)

    say("ASHE pay and hours")
    e0 = factors.keep_scale(rng, spec.pay_density * 3 / 2, statuses=3)
    con.execute(f"CREATE TEMP TABLE pay_cells AS {_cells_sql(seed, 'pay', e0, '1, 2')}")
    pay_z = _normal(seed, "pay", _CELL_KEYS)
    con.execute(
        f"""CREATE TEMP TABLE pay AS
        SELECT c.*, round(c.weight, 2) AS employment,
               exp(6.3 + r.pay + q.pay + oe.pay + ie.pay
                   + CASE WHEN c.gender = 2 THEN -0.14 ELSE 0 END
                   + CASE WHEN c.status = 2 THEN -0.95 ELSE 0 END + 0.08 * {pay_z}) AS mean_pay,
               CASE WHEN c.status = 1
                    THEN 37.5 + oe.hours + CASE WHEN c.gender = 1 THEN 1.2 ELSE 0 END
                         + 1.5 * {_normal(seed, "hours", _CELL_KEYS)}
                    ELSE greatest(6, least(29, 17 + 3 * {_normal(seed, "hours", _CELL_KEYS)}))
               END AS mean_hours
        FROM pay_cells c JOIN f_region r USING (region)
        JOIN f_qual q USING (occupation, qualification)
        JOIN f_occ_effects oe USING (occupation) JOIN f_ind_effects ie USING (industry)
        WHERE round(c.weight, 2) > 0
          AND c.occupation NOT IN ({", ".join(map(str, ARMED_FORCES))})"""
    )
    _copy(
        con,
        f"""SELECT {BASE_YEAR} AS year, gender, status, industry, occupation, region AS geography,
                   qualification, employment AS Employment,
                   round(employment * mean_pay, 2) AS PayBill
            FROM pay ORDER BY gender, status, industry, occupation, region, qualification""",
        out_dir / sources.ASHE_PAY.file,
    )
    _copy(
        con,
        f"""SELECT {BASE_YEAR} AS year, gender, status, industry, occupation, region AS geography,
                   round(sum(employment), 2) AS Employment,
                   round(sum(employment * mean_hours), 2) AS TotalHours
            FROM pay GROUP BY ALL ORDER BY gender, status, industry, occupation, geography""",
        out_dir / sources.ASHE_HOURS.file,
    )

    say("Working Futures employment")
    e0 = factors.keep_scale(rng, spec.wf_density * wf_multiplier, statuses=3)
    con.execute(
        f"""CREATE TEMP TABLE wf_cells AS
        SELECT c.*, oe.growth + ie.growth AS growth FROM ({_cells_sql(seed, "wf", e0, "1, 2, 3")}) c
        JOIN f_occ_effects oe USING (occupation) JOIN f_ind_effects ie USING (industry)
        ORDER BY gender, status, industry, occupation, region, qualification"""
    )
    wf_path = out_dir / sources.WF_EMPLOYMENT.file
    with wf_path.open("wb") as out:
        out.write((",".join(sources.WF_EMPLOYMENT.header) + "\n").encode())
        part = out_dir / ".wf_part.csv"
        for year in spec.wf_years:
            noise = _normal(seed, f"wf{year}", _CELL_KEYS)
            _copy(
                con,
                f"""SELECT {year} AS year, gender, status, industry, occupation, region,
                           qualification,
                           round(weight * exp(growth * ({year} - {BASE_YEAR}))
                                 * (1 + 0.03 * {noise}), 2) AS weight
                    FROM wf_cells
                    ORDER BY gender, status, industry, occupation, region, qualification""",
                part,
                header=False,
            )
            with part.open("rb") as fh:
                shutil.copyfileobj(fh, out, length=1 << 20)
            say(f"  year {year}")
        part.unlink()
    pd.DataFrame(
        {
            "year": list(spec.wf_years),
            "kind": ["history" if y <= LAST_HISTORY_YEAR else "projection" for y in spec.wf_years],
        }
    ).to_csv(out_dir / sources.WF_YEARS_FILE, index=False)

    say("age ratios, pay distribution, replacement rates")
    _age_ratios(rng).to_csv(
        out_dir / sources.ASHE_AGE_RATIOS.file, index=False, float_format="%.5f"
    )
    _distribution(rng, dims["occupation"]).to_csv(
        out_dir / sources.ASHE_PAY_DISTRIBUTION.file, index=False, float_format="%.5f"
    )
    _replacement_rates(rng, dims["occupation"]).to_csv(
        out_dir / sources.WF_REPLACEMENT_RATES.file, index=False, float_format="%.5f"
    )
    con.close()


def _age_ratios(rng: np.random.Generator) -> pd.DataFrame:
    """Inverted-U age profiles peaking in the 40s, steeper for the better qualified."""
    ages = np.array(AGES)
    rows = []
    for occ in range(1, 11):
        for gender in (0, 1, 2):  # the file's coding: 0 female, 1 male, 2 total
            for status in (0, 1, 2):  # 0 part-time, 1 full-time, 2 total
                for qual in (1, 2, 3, 4):  # high, medium, low, all
                    peak = 44 + {1: 3, 2: 0, 3: -3, 4: 0}[qual] + rng.normal(0, 1.5)
                    if gender == 0:
                        peak -= 3
                    peak = float(np.clip(peak, 36, 52))
                    amplitude = {1: 0.75, 2: 0.5, 3: 0.3, 4: 0.55}[qual] * rng.uniform(0.85, 1.15)
                    if status == 0:
                        amplitude *= 0.5
                    rise = peak - 20
                    width = np.where(ages <= peak, rise, rise * 1.8)
                    f = np.exp(amplitude * (1 - ((ages - peak) / width) ** 2))
                    ratio = f / f.mean()
                    rows += [
                        (occ, gender, status, qual, a, r) for a, r in zip(ages, ratio, strict=True)
                    ]
    return pd.DataFrame(rows, columns=sources.ASHE_AGE_RATIOS.header)


def _distribution(rng: np.random.Generator, occ: pd.DataFrame) -> pd.DataFrame:
    """Mean/median and sd(log pay)/log(median) ratios for every SOC code at every level."""
    codes = [(0, 0, 0)]
    for level in (1, 2, 3, 4):
        col = f"soc{level}"
        for code, soc1 in occ[[col, "soc1"]].drop_duplicates(col).itertuples(index=False):
            codes.append((level, int(code), int(soc1)))
    rows = []
    for level, code, soc1 in codes:
        base_r = 1.12 + (0.06 if soc1 in (1, 2, 3) else 0.0) + rng.normal(0, 0.025)
        base_k = float(np.clip(0.075 + rng.normal(0, 0.008), 0.04, 0.14))
        for status in (0, 1, 2):
            for gender in (0, 1, 2):
                r = base_r - (0.03 if status == 2 else 0) - (0.02 if gender == 2 else 0)
                k = base_k * (1.1 if status == 2 else 1.0)
                rows.append((level, code, status, gender, max(r + rng.normal(0, 0.01), 1.01), k))
    return pd.DataFrame(rows, columns=sources.ASHE_PAY_DISTRIBUTION.header)


def _replacement_rates(rng: np.random.Generator, occ: pd.DataFrame) -> pd.DataFrame:
    soc2 = np.sort(occ["soc2"].unique())
    return pd.DataFrame(
        {
            "soc2": soc2,
            "retirement_rate": rng.uniform(0.015, 0.035, len(soc2)),
            "mortality_rate": rng.uniform(0.002, 0.005, len(soc2)),
            "mobility_rate": rng.uniform(0.0, 0.03, len(soc2)),
        }
    )
