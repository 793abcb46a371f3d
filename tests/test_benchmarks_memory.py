"""The benchmarks' memory sampler (benchmarks/memory.py): a process tree's summed PSS counts a
page its processes share once, includes every child, and the sampler keeps a peak the tree
has since given back. Checked against the sizes the test's own processes allocate."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

from support import benchmark_module

MB = 2**20

# a parent that writes 64 MB, forks (the child shares those pages), and a child that writes
# 32 MB of its own; each says so on stdout, then both wait for stdin to close
TREE = """
import os, sys
shared = bytearray(64 * 2**20)
shared[::4096] = b"\\1" * len(range(0, len(shared), 4096))
if os.fork() == 0:
    own = bytearray(32 * 2**20)
    own[::4096] = b"\\2" * len(range(0, len(own), 4096))
    print(os.getpid(), flush=True)
    sys.stdin.read()
    os._exit(0)
print("parent", flush=True)
sys.stdin.read()
os.wait()
"""

# a process that writes 64 MB, says so, frees it on the first line of stdin, says so, waits
SHRINKS = """
import sys
big = bytearray(64 * 2**20)
big[::4096] = b"\\1" * len(range(0, len(big), 4096))
print("big", flush=True)
sys.stdin.readline()
del big
print("small", flush=True)
sys.stdin.read()
"""


def memory() -> ModuleType:
    return benchmark_module("memory")


def started(code: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError(f"no VmRSS for {pid}")


def test_tree_pss_counts_shared_pages_once_and_includes_children() -> None:
    m = memory()
    with started(TREE) as proc:
        try:
            assert proc.stdout is not None and proc.stdin is not None
            lines = {proc.stdout.readline().strip() for _ in range(2)}
            child = int(next(line for line in lines if line != "parent"))
            assert m.tree(proc.pid) == [proc.pid, child]
            rss = rss_mb(proc.pid) + rss_mb(child)
            now = m.footprint(proc.pid)
            # resident sets count the 64 MB twice (>= 64 + 64 + 32); PSS once, plus the two
            # interpreters' own pages (a few MB each, libpython shared between them)
            assert rss >= 160
            assert 96 <= now.pss_mb <= 96 + 40, now
            # private: the child's 32 MB and each interpreter's private pages; the 64 MB are shared
            assert 32 <= now.uss_mb <= 32 + 30, now
            proc.stdin.close()
            proc.wait(timeout=10)
        finally:
            proc.kill()
            proc.wait()


def test_sampler_keeps_the_peak_after_the_memory_is_freed() -> None:
    m = memory()
    with started(SHRINKS) as proc:
        try:
            assert proc.stdout is not None and proc.stdin is not None
            with m.PeakSampler(proc.pid, interval=0.05) as sampler:
                assert proc.stdout.readline().strip() == "big"
                seen = sampler.samples
                deadline = time.monotonic() + 30
                while sampler.samples < seen + 2 and time.monotonic() < deadline:
                    time.sleep(0.05)  # the sampler's thread has looked at the 64 MB twice
                proc.stdin.write("free\n")
                proc.stdin.flush()
                assert proc.stdout.readline().strip() == "small"
            assert sampler.samples >= 3
            assert sampler.peak.pss_mb >= 64, sampler.peak
            assert m.footprint(proc.pid).pss_mb < 40
            proc.stdin.close()
            proc.wait(timeout=10)
        finally:
            proc.kill()
            proc.wait()
