"""The command line refuses a busy port and a mistyped target directory before doing work."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

from support import free_port


def _cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "lmi_cubes.cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_serve_on_a_busy_port_says_so_before_the_banner(tmp_path):
    port = free_port()
    with socket.socket() as busy:
        busy.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        busy.bind(("127.0.0.1", port))
        busy.listen()
        target = tmp_path / "none" / "warehouse.duckdb"
        done = _cli("serve", "--warehouse", str(target), "--port", str(port), timeout=30)
    assert done.returncode != 0
    assert f"port {port} is in use; try --port" in done.stderr
    assert "Serving" not in done.stderr and "curl" not in done.stderr
    assert not target.parent.exists()  # nothing built for a server that cannot start


def test_load_refuses_a_target_in_a_missing_directory(tiny_dir, tmp_path):
    target = tmp_path / "typo-dir" / "x.duckdb"
    done = _cli("load", str(tiny_dir), "--warehouse", str(target))
    assert done.returncode == 2, done.stderr
    assert f"the directory {target.parent} does not exist" in done.stderr
    assert "--warehouse" in done.stderr
    assert not target.parent.exists()


def test_load_into_an_existing_directory_still_works(tiny_dir, tmp_path):
    target = tmp_path / "x.duckdb"
    done = _cli("load", str(tiny_dir), "--warehouse", str(target), timeout=300)
    assert done.returncode == 0, done.stderr
    assert Path(target).exists()
