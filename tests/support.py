"""What several test modules share that is not a fixture: data-directory edits, a real
`lmi-cubes serve` process, queries spelled as keywords, Spark namespaces, the benchmarks'
modules."""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import requests
import sqlalchemy as sa
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from lmi_cubes.aggregates.query import Query, Request
from lmi_cubes.model.loader import default_model_dir
from lmi_cubes.settings import Settings


def benchmark_module(name: str) -> ModuleType:
    """benchmarks/<name>.py by its path: benchmarks/ is not an installed package."""
    path = Path(__file__).resolve().parents[1] / "benchmarks" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"benchmarks_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def copy_data(src: Path, dst: Path) -> Path:
    """A data directory whose files are symlinks to src, so a test can replace one file."""
    dst.mkdir(parents=True, exist_ok=True)
    for f in src.iterdir():
        if not f.name.startswith("."):
            (dst / f.name).symlink_to(f)
    return dst


def rewrite(path: Path, edit) -> None:
    """Replace a (symlinked) file with an edited copy of its lines."""
    lines = path.read_text().splitlines()
    edit(lines)
    path.unlink()
    path.write_text("\n".join(lines) + "\n")


def model_with_protection(directory: Path, protection: str) -> Path:
    """A copy of the shipped model whose every cube declares the given protection policy."""
    directory.mkdir(parents=True, exist_ok=True)
    for f in default_model_dir().glob("*.json"):
        doc = json.loads(f.read_text())
        for cube in doc.get("cubes", []):
            cube["info"]["reliability"]["protection"] = protection
        (directory / f.name).write_text(json.dumps(doc, indent=2))
    return directory


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def serving(
    warehouse: Path | str,
    env: dict[str, str] | None = None,
    timeout: float = 60,
    workers: int = 2,
    threads: int = 2,
) -> Iterator[str]:
    """`lmi-cubes serve` as a real process on a free port; yields its base URL."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "lmi_cubes.cli", "serve", "--warehouse", str(warehouse),
         "--port", str(port), "--workers", str(workers), "--threads", str(threads)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        env={**os.environ, **(env or {})},
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:  # the first request of a worker opens the warehouse: give it time
                if requests.get(f"{base}/health", timeout=20).status_code == 200:
                    break
            except (requests.ConnectionError, requests.Timeout):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield base
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def ask(engine, cube: str, **fields) -> Query:
    """engine.query for a request spelled as keywords (tests only)."""
    return engine.query(Request(cube, **fields))


def spark_namespace(server: str) -> str:
    """The server's URL with a fresh namespace (where lmi-cubes keeps its versions)."""
    return (
        sa.make_url(server)
        .set(database="lmi_t" + os.urandom(4).hex())
        .render_as_string(hide_password=False)
    )


def drop_spark_namespace(url: str) -> None:
    from lmi_cubes.warehouse.spark import SparkWarehouse, _tick

    wh = SparkWarehouse(sa.make_url(url), Settings.from_env())
    con = wh.connect()
    try:
        cur = con.cursor()
        for name in [*wh.versions(), wh.namespace]:
            cur.execute(f"DROP DATABASE IF EXISTS {_tick(name)} CASCADE")
        cur.close()
    finally:
        con.close()


CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    """Debian's headless Chromium driven by its chromedriver, closed on exit. The flags keep it
    off the network it cannot reach (background fetches, updates, sync)."""
    assert Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists(), (
        "browser tests need Debian's chromium and chromium-driver: "
        "apt-get install chromium chromium-driver (.ci/run does this)"
    )
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=1300,900"):  # fmt: skip
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()
