"""A load onto a full disk, run inside its own mount namespace (see test_load_full_disk.py).

    unshare --mount [--user --map-root-user] -- sh -c \
        'mount -t tmpfs -o size=BYTES tmpfs DIR && exec python tests/fulldisk.py DIR SERVED DATA'

DIR is a small tmpfs that only this process tree sees (it vanishes with the namespace, so
nothing needs unmounting even if a step fails). The served warehouse is copied in, the rest
of the disk is filled up to ROOM bytes, and `lmi-cubes load` runs twice: once with room for
the load to start and run out midway, once with the disk completely full. Prints a JSON
report of what the user saw and what was left on the disk.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _fill(directory: Path, room: int, name: str) -> None:
    """Write a file that leaves `room` bytes free on the file system of `directory`."""
    st = os.statvfs(directory)
    free = st.f_bavail * st.f_frsize
    with (directory / name).open("wb") as fh:
        left = max(free - room, 0)
        block = b"\0" * (1 << 20)
        while left > 0:
            try:
                left -= fh.write(block[: min(left, len(block))])
            except OSError:
                break


def _attempt(directory: Path, target: Path, data: Path) -> dict[str, Any]:
    run = subprocess.run(
        [sys.executable, "-m", "lmi_cubes.cli", "load", str(data), "--warehouse", str(target)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    from lmi_cubes.cube_server.app import create_app  # after the load: it must not matter

    client = create_app({"WAREHOUSE": str(target), "CACHE_MB": 0}).test_client()
    health = client.get("/health")
    journal = target.with_name(target.name + ".load_runs.jsonl")
    return {
        "returncode": run.returncode,
        "stderr": run.stderr,
        "files": sorted(p.name for p in directory.iterdir()),
        "journal": journal.read_text(encoding="utf-8") if journal.exists() else "",
        "sha256": _sha(target),
        "health": [health.status_code, health.get_json()],
    }


def main() -> None:
    directory, served, data = (Path(a) for a in sys.argv[1:4])
    target = directory / "w.duckdb"
    shutil.copyfile(served, target)
    journal = served.with_name(served.name + ".load_runs.jsonl")
    if journal.exists():
        shutil.copyfile(journal, target.with_name(target.name + ".load_runs.jsonl"))
    report: dict[str, Any] = {"before": _sha(target)}
    _fill(directory, 3 << 20, "filler-1")  # room to start the load, not to finish it
    report["midway"] = _attempt(directory, target, data)
    _fill(directory, 0, "filler-2")  # nothing left at all
    report["full"] = _attempt(directory, target, data)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
