"""A throwaway Spark Thrift server for the tests: loopback, a free port, small memory.

Used by `.ci/run` (`python tests/sparkserver.py start DIR` prints the URL; `stop DIR`) and by
the `spark_server` fixture when `$LMI_CUBES_TEST_SPARK` is not set. The server is pyspark's
own (the `spark` extra): `spark-submit` runs `HiveThriftServer2` (what Spark's
`start-thriftserver.sh` runs; the PyPI package ships its jar but not the script) with
SPARK_HOME set to the pyspark package, `local[2]`, a 768 MB driver, no UI, and its warehouse
directory and Derby metastore in DIR. Without Java or pyspark this fails with a message
saying what to install: skipping would let a machine without Spark pass the suite without
running it.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ENV = "LMI_CUBES_TEST_SPARK"
START_TIMEOUT_S = 180
_RUNNING: dict[Path, subprocess.Popen[bytes]] = {}  # kept until stopped, then reaped


def spark_home() -> Path:
    """pyspark's package directory, found without importing it (it only runs the JVM)."""
    spec = importlib.util.find_spec("pyspark")
    if spec is None or spec.origin is None:
        raise RuntimeError(
            "the Spark backend tests need pyspark: pip install -e '.[test]' (the spark extra)"
        )
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        raise RuntimeError(
            "the Spark backend tests need Java 17 or later (Debian: apt-get install "
            f"openjdk-17-jre-headless) or {ENV}=hive://host:port/namespace for a running server"
        )
    return Path(spec.origin).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def launch(base: Path | None = None) -> tuple[str, Path]:
    """Start a server without waiting for it (the JVM takes 20-40 s to listen): returns its
    URL (namespace `lmi`) and the directory to pass to `wait` and `stop`."""
    home = spark_home()
    base = Path(base or tempfile.mkdtemp(prefix="lmi-spark-"))
    base.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    conf = {
        "spark.ui.enabled": "false",
        "spark.sql.shuffle.partitions": "2",
        "spark.sql.warehouse.dir": str(base / "warehouse"),
        "spark.driver.extraJavaOptions": f"-Dderby.system.home={base}",
        "spark.hadoop.javax.jdo.option.ConnectionURL": (
            f"jdbc:derby:;databaseName={base / 'metastore_db'};create=true"
        ),
    }
    argv = [
        str(home / "bin" / "spark-submit"),
        "--class", "org.apache.spark.sql.hive.thriftserver.HiveThriftServer2",
        "--name", "lmi-cubes-test", "--master", "local[2]", "--driver-memory", "768m",
        *[a for k, v in conf.items() for a in ("--conf", f"{k}={v}")],
        "--hiveconf", f"hive.server2.thrift.port={port}",
        "--hiveconf", "hive.server2.thrift.bind.host=127.0.0.1",
        "spark-internal",
    ]  # fmt: skip
    env = {**os.environ, "SPARK_HOME": str(home), "SPARK_LOG_DIR": str(base), "TZ": "UTC"}
    with (base / "log").open("wb") as log:
        proc = subprocess.Popen(
            argv, cwd=base, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    _RUNNING[base] = proc
    (base / "pid").write_text(str(proc.pid))
    (base / "url").write_text(f"hive://127.0.0.1:{port}/lmi")
    return (base / "url").read_text(), base


def wait(url: str, base: Path | None = None, timeout: float = START_TIMEOUT_S) -> float:
    """Wait until the server listens; returns the seconds waited. With `base`, a server
    that died is reported with the end of its log."""
    port = int(url.split("://", 1)[1].split("/", 1)[0].rsplit(":", 1)[1])
    started = time.monotonic()
    while not _listening(port):
        dead = False
        if base is not None and (base / "pid").exists():
            try:
                os.kill(int((base / "pid").read_text()), 0)
            except ProcessLookupError:
                dead = True
            proc = _RUNNING.get(base)
            dead = dead or (proc is not None and proc.poll() is not None)
        if dead or time.monotonic() - started > timeout:
            tail = (base / "log").read_text(errors="replace")[-2000:] if base else ""
            raise RuntimeError(f"the Spark Thrift server at {url} did not start:\n{tail}")
        time.sleep(0.5)
    return time.monotonic() - started


def start(base: Path | None = None) -> tuple[str, Path]:
    """Start a server and wait until it listens."""
    url, base = launch(base)
    try:
        wait(url, base)
    except BaseException:
        stop(base)
        raise
    return url, base


def stop(base: Path) -> None:
    pid_file = base / "pid"
    if pid_file.exists():
        pid = int(pid_file.read_text())
        try:
            os.killpg(pid, signal.SIGTERM)  # the JVM and anything spark-submit started
            for _ in range(60):
                os.killpg(pid, 0)
                time.sleep(0.25)
            os.killpg(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    proc = _RUNNING.pop(base, None)
    if proc is not None:
        proc.wait(timeout=30)
    shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    command, where = sys.argv[1], sys.argv[2]
    if command == "start":  # waits until it listens
        print(start(Path(where))[0])
    elif command == "launch":  # returns at once; the tests wait for it
        print(launch(Path(where))[0])
    elif command == "wait":
        print(f"{wait(where):.1f}")
    else:
        stop(Path(where))
