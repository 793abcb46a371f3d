"""An independent adversary: recovers withheld cells through the public HTTP API only.

`audit(base_url, data_dir, seed, sample)` samples withheld cells from random cross-tabs, runs
every attack route against them and scores the estimates against the source files.
"""

from .audit import Report, audit

__all__ = ["Report", "audit"]
