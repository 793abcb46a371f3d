"""`python -m tests.adversary BASE_URL DATA_DIR [--seed N] [--sample N] [--tables N]`"""

from __future__ import annotations

import argparse
from pathlib import Path

from .audit import audit


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.adversary", description=__doc__)
    parser.add_argument("base_url")
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sample", type=int, default=100)
    parser.add_argument("--tables", type=int, default=40)
    args = parser.parse_args()
    print(audit(args.base_url, args.data_dir, args.seed, args.sample, args.tables))


if __name__ == "__main__":
    main()
