"""A load onto a full disk: one clear line, no scratch files left, a well-formed journal and
the served warehouse untouched.

The disk is a real, small tmpfs, mounted in a private mount namespace (`unshare --mount`;
as a non-root user also `--user --map-root-user`, which lets an unprivileged user mount a
tmpfs there): the kernel itself answers ENOSPC, nothing is simulated, and the mount
disappears with the namespace, so nothing is left mounted whatever happens.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def _scenario(warehouse: Path, tiny_dir: Path, where: Path) -> dict[str, Any]:
    unshare = shutil.which("unshare")
    assert unshare, "the full-disk test needs util-linux's unshare (Debian: util-linux)"
    where.mkdir()
    size = warehouse.stat().st_size + (8 << 20)  # the served file, plus 8 MB
    as_user = [] if os.geteuid() == 0 else ["--user", "--map-root-user"]
    script = (
        f'mount -t tmpfs -o size={size} tmpfs "$1" && exec "$2" {HERE / "fulldisk.py"} '
        '"$1" "$3" "$4"'
    )
    run = subprocess.run(
        [unshare, "--mount", *as_user, "--", "sh", "-c", script, "sh", str(where),
         sys.executable, str(warehouse), str(tiny_dir)],
        capture_output=True, text=True, timeout=600, cwd=HERE.parent,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]
    report: dict[str, Any] = json.loads(run.stdout.strip().splitlines()[-1])
    return report


def test_a_load_onto_a_full_disk_fails_cleanly(
    warehouse: Path, tiny_dir: Path, tmp_path: Path
) -> None:
    report = _scenario(warehouse, tiny_dir, tmp_path / "disk")
    assert not list((tmp_path / "disk").iterdir())  # the tmpfs was only in the namespace
    for case in ("midway", "full"):
        seen = report[case]
        lines = seen["stderr"].strip().splitlines()
        assert seen["returncode"] == 1, (case, seen["stderr"])
        # one clear line, after the progress lines; no traceback, no SQL
        failure = [line for line in lines if not line.startswith("[")]
        assert len(failure) == 1, (case, lines)
        assert failure[0].startswith("load failed: the disk is full"), failure[0]
        assert "w.duckdb is unchanged" in failure[0] and "No space left" in failure[0]
        assert "Traceback" not in seen["stderr"] and "SELECT" not in seen["stderr"]
        # no scratch, building or temporary files; only what was there, and the journal
        leftovers = [f for f in seen["files"] if not f.startswith("filler") and f != "w.duckdb"]
        allowed = {"w.duckdb.load_runs.jsonl", "w.duckdb.lock", "w.duckdb.journal-reserve"}
        assert set(leftovers) <= allowed, leftovers
        # the served version is byte for byte the one before, and still served
        assert seen["sha256"] == report["before"]
        status, health = seen["health"]
        assert status == 200 and health["status"] == "ok"
        # the journal: every line a JSON record, the last one this failure
        records = [json.loads(line) for line in seen["journal"].splitlines()]
        assert records and seen["journal"].endswith("\n")
        assert records[-1]["outcome"] == "failed"
        assert "No space left on device" in records[-1]["message"]
    assert (
        len(json.loads("[" + ",".join(report["full"]["journal"].splitlines()) + "]"))
        == len(report["midway"]["journal"].splitlines()) + 1
    )
