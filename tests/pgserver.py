"""A throwaway PostgreSQL server for the tests: initdb on a temp dir, loopback, a free port.

Used by `.ci/run` (`python tests/pgserver.py start DIR` prints the URL; `stop DIR`) and by
the `postgres_url` fixture when `$LMI_CUBES_TEST_POSTGRES` is not set. Without the server
binaries this fails loudly: skipping would let a machine without PostgreSQL pass the
backend suite without running it.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

ENV = "LMI_CUBES_TEST_POSTGRES"


def bindir() -> Path:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    on_path = shutil.which("pg_ctl")
    if on_path:  # after Debian's versioned directories: /usr/local/bin may hold wrappers
        candidates.append(str(Path(on_path).parent))
    for candidate in candidates:
        if (Path(candidate) / "initdb").exists() and (Path(candidate) / "pg_ctl").exists():
            return Path(candidate)
    raise RuntimeError(
        "the PostgreSQL backend tests need a PostgreSQL server: install its binaries "
        "(Debian: apt-get install postgresql) or set "
        f"{ENV}=postgresql://user@host:port/database to use a running one"
    )


def _as_owner() -> list[str]:
    """initdb refuses to run as root: run it as the postgres user then."""
    return ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(base: Path | None = None) -> tuple[str, Path]:
    """Start a server; returns its URL and the directory to pass to `stop`."""
    bins = bindir()
    base = Path(base or tempfile.mkdtemp(prefix="lmi-pg-"))
    base.mkdir(parents=True, exist_ok=True)
    data = base / "data"
    if os.getuid() == 0:
        shutil.chown(base, "postgres", "postgres")
    base.chmod(0o755)
    user = "postgres" if os.getuid() == 0 else os.environ.get("USER") or "postgres"
    run = [*_as_owner()]
    subprocess.run(
        [*run, str(bins / "initdb"), "-D", str(data), "-U", user, "--auth=trust", "-E", "UTF8",
         "--no-sync", "--locale=C"],
        check=True, capture_output=True,
    )  # fmt: skip
    port = _free_port()
    options = (
        f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off -c max_connections=300"
    )
    subprocess.run(
        [*run, str(bins / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(base / "log"),
         "-w", "-t", "60", "start"],
        check=True, capture_output=True,
    )  # fmt: skip
    (base / "url").write_text(f"postgresql://{user}@127.0.0.1:{port}/postgres")
    return (base / "url").read_text(), base


def stop(base: Path) -> None:
    subprocess.run(
        [*_as_owner(), str(bindir() / "pg_ctl"), "-D", str(base / "data"), "-m", "immediate",
         "-w", "stop"],
        check=False, capture_output=True,
    )  # fmt: skip
    shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    command, directory = sys.argv[1], Path(sys.argv[2])
    if command == "start":
        print(start(directory)[0])
    else:
        stop(directory)
