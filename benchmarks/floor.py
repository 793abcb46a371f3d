"""The HTTP floor under every request: what a round trip costs before any work of ours.

    .venv/bin/python benchmarks/floor.py [--warehouse FILE] [--rounds N] [--out FILE]

A repeated (cached) request does little more than look its body up, so its time is mostly
the HTTP stack's and the client's. This times, in the same interleaved rounds on one
kept-alive connection each:

- a WSGI application that returns 15 bytes, served by waitress alone, by gunicorn's threaded
  worker, and by gunicorn with the worker `lmi-cubes serve` runs (waitress inside);
- `lmi-cubes serve` itself (one worker): its cheapest answer (`/favicon.ico`), `/health`,
  and a repeated cross-tab from the response cache;

with each server's CPU time per request and the client's. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:  # run as a script: benchmarks/ is not installed
    sys.path.insert(0, str(HERE.parent))

from benchmarks.diverse import FLOOR, cpu_seconds  # noqa: E402
from benchmarks.run import free_port, get, hang_up, server, timed  # noqa: E402

# the smallest application each server can run: no framework, a constant body; `configured`
# carries the settings the worker of `lmi-cubes serve` reads from the application
TRIVIAL = """
BODY = b'{"status":"ok"}'


def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "application/json"),
                              ("Content-Length", str(len(BODY)))])
    return [BODY]


class Configured:
    config = {"CLIENT_TIMEOUT_S": 30, "MAX_CONNECTIONS": 100, "MAX_HEADER_BYTES": 65536,
              "MAX_BODY_BYTES": 1 << 20, "MAX_FORM_BYTES": 0, "TRUSTED_PROXY": ""}

    def __call__(self, environ, start_response):
        return app(environ, start_response)


configured = Configured()
"""
CROSSTAB = "/cube/ashe_pay/crosstab?rows=occupation%3Asoc1&columns=region%3Anation&measure=mean_pay"


def trivial_commands(port: int) -> dict[str, list[str]]:
    py, bind = sys.executable, f"127.0.0.1:{port}"
    return {
        "waitress alone": [py, "-m", "waitress", "--threads=4", f"--listen={bind}", "trivial:app"],
        "gunicorn, threaded worker": [
            py, "-m", "gunicorn", "-k", "gthread", "--threads", "4", "-w", "1", "-b", bind,
            "trivial:app",
        ],
        "gunicorn, the worker of `lmi-cubes serve`": [
            py, "-m", "gunicorn", "-k", "lmi_cubes.cube_server.worker.BufferingWorker",
            "--threads", "4", "-w", "1", "-b", bind, "trivial:configured",
        ],
    }  # fmt: skip


@contextlib.contextmanager
def trivial_servers(folder: Path) -> Iterator[dict[str, tuple[int, int]]]:
    """Each server of `trivial_commands` on a free port: name -> (port, pid)."""
    (folder / "trivial.py").write_text(TRIVIAL)
    procs: dict[str, tuple[int, subprocess.Popen[bytes]]] = {}
    try:
        for name in trivial_commands(0):
            port = free_port()
            command = trivial_commands(port)[name]
            procs[name] = port, subprocess.Popen(
                command, cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                start_new_session=True,
            )  # fmt: skip
        for name, (port, _) in procs.items():
            deadline = time.monotonic() + 30
            while True:
                try:
                    get(port, "/")
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"{name} did not start") from None
                    time.sleep(0.2)
        yield {name: (port, proc.pid) for name, (port, proc) in procs.items()}
    finally:
        for port, proc in procs.values():
            hang_up(port)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)


def measure(warehouse: Path, rounds: int) -> list[str]:
    with tempfile.TemporaryDirectory() as folder, contextlib.ExitStack() as stack:
        targets = {
            f"{name}: a 15-byte answer": (port, pid, "/")
            for name, (port, pid) in stack.enter_context(trivial_servers(Path(folder))).items()
        }
        port, pid = stack.enter_context(server(warehouse, workers=1))
        targets["`lmi-cubes serve`: its cheapest answer (`" + FLOOR + "`)"] = (port, pid, FLOOR)
        targets["`lmi-cubes serve`: `/health`"] = (port, pid, "/health")
        targets["`lmi-cubes serve`: a repeated cross-tab (cached)"] = (port, pid, CROSSTAB)
        for port, _, path in targets.values():
            for _ in range(20):  # warm up; the cross-tab is kept from its second request
                timed(port, path)
        times: dict[str, list[float]] = {name: [] for name in targets}
        server_cpu = dict.fromkeys(targets, 0.0)
        client_cpu = dict.fromkeys(targets, 0.0)
        for _ in range(rounds):
            for name, (port, pid, path) in targets.items():
                before, mine = cpu_seconds(pid), time.process_time()
                for _ in range(10):
                    times[name].append(timed(port, path))
                client_cpu[name] += time.process_time() - mine
                server_cpu[name] += cpu_seconds(pid) - before
    requests = rounds * 10
    lines = [
        f"# The HTTP floor, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"Load average (1, 5, 15 min) at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())}. "
        f"{rounds} rounds of 10 requests to each server in turn, one kept-alive connection "
        "each (Python http.client, as the benchmarks' clients); median round trip, and CPU "
        "time per request of the server's processes and of the client.",
        "",
        "| server: request | p50 ms | p95 ms | server CPU ms per request | client CPU ms per request |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, values in times.items():
        ordered = sorted(values)
        lines.append(
            f"| {name} | {statistics.median(values):.3f} | "
            f"{ordered[int(0.95 * (len(ordered) - 1))]:.3f} | "
            f"{1000 * server_cpu[name] / requests:.3f} | {1000 * client_cpu[name] / requests:.3f} |"
        )
    return [*lines, ""]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, default=HERE / "data" / "full.duckdb")
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    lines = measure(args.warehouse, args.rounds)
    text = "\n".join(lines)
    if args.out:
        args.out.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
