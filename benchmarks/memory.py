"""What a process tree costs the machine in memory, sampled while it works.

VmHWM summed over a server's processes counts every page the processes share (the DuckDB
library, the Python binary, numpy's libraries, pages the master wrote before forking) once
per process. The proportional set size (PSS) charges each shared page to its sharers in equal
parts, so summed over the processes it counts each page once: what the machine spends on the
server. The unique set size (USS, the private pages) is what stopping the processes would free.
Both are read from /proc/PID/smaps_rollup (Linux 4.14+); the kernel keeps no peak of either,
so a thread samples them while the load runs and keeps the sample with the largest PSS.
"""

from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType


@dataclass(frozen=True)
class Footprint:
    """One sample of a process tree, in MB: PSS and USS summed over its processes."""

    pss_mb: float = 0.0
    uss_mb: float = 0.0


def tree(pid: int) -> list[int]:
    """`pid` and all its descendants (any depth), read from /proc without a subprocess."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        with contextlib.suppress(FileNotFoundError, ProcessLookupError):
            for task in Path(f"/proc/{p}/task").iterdir():
                with contextlib.suppress(FileNotFoundError, ProcessLookupError):
                    todo += [int(c) for c in (task / "children").read_text().split()]
    return found


def footprint(pid: int) -> Footprint:
    """PSS and USS of `pid` and its descendants now (a process that exits meanwhile counts 0)."""
    pss_kb = uss_kb = 0
    for p in tree(pid):
        with contextlib.suppress(FileNotFoundError, ProcessLookupError):
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                name, _, rest = line.partition(":")
                if name == "Pss":
                    pss_kb += int(rest.split()[0])
                elif name in ("Private_Clean", "Private_Dirty"):
                    uss_kb += int(rest.split()[0])
    return Footprint(pss_kb / 1024, uss_kb / 1024)


class PeakSampler:
    """Samples the footprint of `pid`'s tree every `interval` seconds while entered (once on
    entry and once on exit too); `peak` is the sample with the largest PSS, kept across every
    time the sampler is entered, so one sampler can span a server's separate load windows."""

    def __init__(self, pid: int, interval: float = 0.25) -> None:
        self.pid = pid
        self.interval = interval
        self.peak = Footprint()
        self.samples = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def sample(self) -> None:
        now = footprint(self.pid)
        self.samples += 1
        if now.pss_mb > self.peak.pss_mb:
            self.peak = now

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()

    def __enter__(self) -> PeakSampler:
        self.sample()
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self.sample()
