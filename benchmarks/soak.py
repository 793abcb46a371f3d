"""Ordinary traffic and every known abuse at once, against `lmi-cubes serve`, for a bounded time.

    .venv/bin/python benchmarks/soak.py [--warehouse W] [--seconds 120] [--out FILE]
    .venv/bin/python benchmarks/soak.py --slow-only [--seconds 60] [--uncached]

Starts `lmi-cubes serve --workers 2 --threads 4` on the given warehouse (default: the tiny
data, generated and loaded into a temporary directory), measures /health and an ordinary
cross-tab while idle, then runs for `--seconds`:

- ordinary clients: cross-tabs, aggregates and /health in a loop, each request timed;
- abusers: 64 connections with unfinished headers and 8 with unfinished bodies (a byte a
  second), a 26,000-part cut, an aggregate of every parameter set (over the budget), a 5 MB
  /report body, JSON nested 100,000 deep, a chunked form POST, bodies shorter than their
  Content-Length, 5,000-digit numbers in /api/v1, non-UTF-8 form bodies, 9,000-character URLs.

It reports the statuses of both kinds (a 5xx anywhere fails), whether every ordinary request
was answered, /health and cross-tab p95 under load against idle, and the peak resident memory
of each worker (VmHWM). Pass/fail against the bounds in docs/limits.md; exit status 1 on a
failure. `--slow-only` holds just the slow connections (the slow-client measurement).
Not part of the tests (minutes, and it loads both cores).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:  # run as a script: benchmarks/ is not installed
    sys.path.insert(0, str(HERE.parent))

WORKER_PEAK_MB = 600  # the documented bound per worker (docs/limits.md)
ORDINARY_PAUSE_S = 0.1  # three ordinary clients at up to 10 requests a second each
ABUSE_PAUSE_S = 0.2  # one abusive request every 0.2 s, on top of the held slow connections
CROSSTAB = "/cube/ashe_pay/crosstab?rows=occupation:soc2&columns=region:nation&measure=mean_pay"
ORDINARY = [
    CROSSTAB,
    "/cube/ashe_pay/crosstab?rows=occupation:soc1&columns=gender&measure=median_pay",
    "/cube/working_futures/crosstab?rows=occupation:soc2&columns=gender"
    "&measure=total_requirement&from=2021&to=2027",
    "/cube/ashe_hours/aggregate?drilldown=region&aggregates=mean_hours",
    "/api/v1/ashe/estimatePay?soc=2231",
    "/health",
]
AGGREGATES = "|".join(
    ["employment", "mean_pay", "median_pay"]
    + [f"pay_decile_p{d}" for d in range(10, 100, 10)]
    + [f"mean_pay_at_age_{a}" for a in range(20, 66)]
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def tiny_warehouse(directory: Path) -> Path:
    from lmi_cubes.cli import load_warehouse
    from lmi_cubes.etl.generate import generate

    generate(directory / "data", "tiny", seed=1)
    target = directory / "tiny.duckdb"
    load_warehouse(directory / "data", target)
    return target


@contextlib.contextmanager
def served(warehouse: Path, env: dict[str, str]) -> Any:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "lmi_cubes.cli", "serve", "--warehouse", str(warehouse),
         "--port", str(port), "--workers", "2", "--threads", "4"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        env={**os.environ, **env},
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if requests.get(f"{base}/health", timeout=20).status_code == 200:
                    break
            except requests.RequestException:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        for path in ORDINARY:  # every worker opens the warehouse before the idle baseline
            for _ in range(4):
                requests.get(base + path, timeout=30)
        yield base, proc.pid
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def workers_of(master: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(master)], capture_output=True)
    return [int(x) for x in out.stdout.split()]


def peak_mb(pid: int) -> float:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 20 else max(values)


def timed_loop(
    base: str, paths: list[str], stop: threading.Event, out: list[Any], pause: float = 0.0
) -> None:
    """Requests in a loop, each timed; `pause` seconds between them (an ordinary client's
    pace, so the measurement is of the server under abuse, not of two saturated cores)."""
    session = requests.Session()
    while not stop.is_set():
        for path in paths:
            stop.wait(pause)
            started = time.perf_counter()
            try:
                status = session.get(base + path, timeout=30).status_code
            except requests.RequestException as exc:
                status = type(exc).__name__
            out.append((path, time.perf_counter() - started, status))


def raw(base: str, data: bytes, half_close: bool = False, wait: float = 15) -> int | str:
    host, port = base.removeprefix("http://").split(":")
    try:
        with socket.create_connection((host, int(port)), timeout=wait) as sock:
            sock.sendall(data)
            if half_close:
                sock.shutdown(socket.SHUT_WR)
            answer = sock.recv(64)
    except OSError as exc:
        return type(exc).__name__
    return int(answer.split()[1]) if answer.startswith(b"HTTP/") else "closed"


def abuses(base: str) -> list[tuple[str, Callable[[], Any]]]:
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    crosstab = base + "/cube/ashe_pay/crosstab"

    def status(r: requests.Response) -> int:
        return r.status_code

    chunked = b"rows=occupation:soc1&cut=gender:2"
    return [
        (
            "cut of 26,000 parts",
            lambda: status(
                requests.post(
                    crosstab,
                    data={"rows": "gender", "cut": "|".join(["ab:1"] * 26_000)},
                    timeout=30,
                )
            ),
        ),
        (
            "every parameter set",
            lambda: status(
                requests.get(
                    f"{base}/cube/ashe_pay/aggregate?drilldown=occupation:soc4|industry:ind75"
                    f"&aggregates={AGGREGATES}&fallback=true",
                    timeout=30,
                )
            ),
        ),
        (
            "5 MB report body",
            lambda: status(
                requests.post(
                    f"{base}/cube/ashe_pay/report",
                    data=b'{"queries": {}, "x": "' + b"x" * 5_000_000 + b'"}',
                    headers={"Content-Type": "application/json"},
                    timeout=30,
                )
            ),
        ),
        (
            "JSON 100,000 deep",
            lambda: status(
                requests.post(
                    f"{base}/cube/ashe_pay/report",
                    data=b"[" * 100_000 + b"]" * 100_000,
                    headers={"Content-Type": "application/json"},
                    timeout=30,
                )
            ),
        ),
        (
            "chunked form POST",
            lambda: raw(
                base,
                b"POST /cube/ashe_pay/crosstab HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                b"Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked"
                b"\r\n\r\n%x\r\n%s\r\n0\r\n\r\n" % (len(chunked), chunked),
            ),
        ),
        (
            "truncated body",
            lambda: raw(
                base,
                b"POST /cube/ashe_pay/crosstab HTTP/1.1\r\nHost: x\r\n"
                b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 400\r\n\r\n"
                b"rows=gender",
                half_close=True,
            ),
        ),
        (
            "5,000-digit numbers",
            lambda: status(
                requests.get(
                    f"{base}/api/v1/wf/predict?soc={'9' * 5000}&minYear={'9' * 5000}", timeout=30
                )
            ),
        ),
        (
            "non-UTF-8 form body",
            lambda: status(
                requests.post(crosstab, data=b"rows=gender&cut=\xff\xfe", headers=form, timeout=30)
            ),
        ),
        (
            "9,000-character URL",
            lambda: status(requests.get(f"{crosstab}?rows=gender&cut={'x' * 9000}", timeout=30)),
        ),
    ]


class Slow:
    """Connections that never finish their headers or body, a byte a second each."""

    def __init__(self, base: str, headers: int = 64, bodies: int = 8):
        host, port = base.removeprefix("http://").split(":")
        self.address = (host, int(port))
        self.counts = (headers, bodies)
        self.sockets: list[socket.socket] = []
        self.stop = threading.Event()
        self.reopened = 0

    def _open(self, body: bool) -> socket.socket:
        sock = socket.create_connection(self.address, timeout=5)
        sock.sendall(
            b"POST /cube/ashe_pay/crosstab HTTP/1.1\r\nHost: x\r\nContent-Type: "
            b"application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\nrows="
            if body
            else b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: "
        )
        return sock

    def run(self) -> None:
        headers, bodies = self.counts
        kinds = [False] * headers + [True] * bodies
        self.sockets = [self._open(k) for k in kinds]
        while not self.stop.wait(1.0):
            for i, sock in enumerate(self.sockets):
                try:
                    sock.send(b"a")
                except OSError:  # closed by the server's client timeout: open another
                    sock.close()
                    self.sockets[i] = self._open(kinds[i])
                    self.reopened += 1
        for sock in self.sockets:
            sock.close()


def soak(base: str, master: int, seconds: float, slow_only: bool) -> dict[str, Any]:
    idle: list[Any] = []
    stop = threading.Event()
    probe = threading.Thread(target=timed_loop, args=(base, ["/health", CROSSTAB], stop, idle))
    probe.start()
    time.sleep(15)
    stop.set()
    probe.join()

    stop = threading.Event()
    loaded: list[Any] = []
    ordinary: list[Any] = []
    abused: list[tuple[str, Any]] = []
    slow = Slow(base)
    threads = [threading.Thread(target=slow.run)]
    threads.append(threading.Thread(target=timed_loop, args=(base, ["/health", CROSSTAB],
                                                             stop, loaded)))  # fmt: skip
    if not slow_only:
        for i in range(3):
            threads.append(threading.Thread(
                target=timed_loop,
                args=(base, ORDINARY[i:] + ORDINARY[:i], stop, ordinary, ORDINARY_PAUSE_S)))  # fmt: skip

        def abuse() -> None:
            kinds = abuses(base)
            while not stop.is_set():
                for name, run in kinds:
                    stop.wait(ABUSE_PAUSE_S)
                    try:
                        abused.append((name, run()))
                    except requests.RequestException as exc:
                        abused.append((name, type(exc).__name__))

        threads.append(threading.Thread(target=abuse))
    peaks: dict[int, float] = {}
    for t in threads:
        t.start()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for pid in workers_of(master):
            peaks[pid] = max(peaks.get(pid, 0.0), peak_mb(pid))
        time.sleep(1)
    stop.set()
    slow.stop.set()
    for t in threads:
        t.join()
    for pid in workers_of(master):
        peaks[pid] = max(peaks.get(pid, 0.0), peak_mb(pid))

    def latency(rows: list[Any], path: str) -> float:
        return p95([s for p, s, status in rows if p == path and status == 200])

    everything = [status for _, _, status in idle + loaded + ordinary] + [s for _, s in abused]
    return {
        "seconds": seconds,
        "slow_connections": sum(slow.counts),
        "slow_reopened": slow.reopened,
        "idle_p95_ms": {p: round(latency(idle, p) * 1000, 1) for p in ("/health", CROSSTAB)},
        "loaded_p95_ms": {p: round(latency(loaded, p) * 1000, 1) for p in ("/health", CROSSTAB)},
        "probe_requests": len(loaded),
        "probe_statuses": dict(Counter(str(s) for _, _, s in loaded)),
        "ordinary_requests": len(ordinary),
        "ordinary_statuses": dict(Counter(str(s) for _, _, s in ordinary)),
        "abuse_statuses": {
            name: dict(Counter(str(s) for n, s in abused if n == name))
            for name in dict.fromkeys(n for n, _ in abused)
        },
        "server_errors": sum(1 for s in everything if isinstance(s, int) and s >= 500),
        "unanswered_ordinary": sum(1 for _, _, s in loaded + ordinary if not isinstance(s, int)),
        "worker_peak_mb": {str(k): round(v, 1) for k, v in peaks.items()},
    }


def verdicts(result: dict[str, Any]) -> list[tuple[str, bool]]:
    idle, loaded = result["idle_p95_ms"], result["loaded_p95_ms"]
    return [
        ("0 5xx", result["server_errors"] == 0),
        ("every ordinary request answered", result["unanswered_ordinary"] == 0),
        ("/health p95 under 2x idle", loaded["/health"] <= 2 * idle["/health"]),
        ("cross-tab p95 under 2x idle", loaded[CROSSTAB] <= 2 * idle[CROSSTAB]),
        (
            f"worker peak memory <= {WORKER_PEAK_MB} MB",
            max(result["worker_peak_mb"].values(), default=0) <= WORKER_PEAK_MB,
        ),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--warehouse", type=Path)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--slow-only", action="store_true")
    parser.add_argument("--out", type=Path, help="write the result as JSON here too")
    parser.add_argument(
        "--uncached", action="store_true", help="result cache off: every cross-tab computed"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        warehouse = args.warehouse or tiny_warehouse(Path(tmp))
        env = {"LMI_CUBES_CACHE_MB": "0"} if args.uncached else {}
        with served(warehouse, env) as (base, master):
            result = soak(base, master, args.seconds, args.slow_only)
    result["uncached"] = args.uncached
    result["date"] = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    result["verdicts"] = {name: ok for name, ok in verdicts(result)}
    text = json.dumps(result, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n")
    return 0 if all(result["verdicts"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
