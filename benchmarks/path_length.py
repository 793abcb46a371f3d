"""How long a request's path through the code is: the project's functions and modules one
request calls, and how many calls it makes, traced as it runs.

    .venv/bin/python benchmarks/path_length.py [--warehouse FILE] [--verbose] [PATH ...]

Runs in process through the Flask test client with the response cache off, on the tiny data
(generated and loaded into a temporary directory unless --warehouse is given). Each request
is asked three times first (so a rollup's projection is built), then once more under
`sys.setprofile`, counting every call into a file of the project (tests and benchmarks left
out; comprehensions and lambdas are not counted as functions, but their calls are). By
default the requests are cross-tabs (JSON and CSV) and an LMI for All request. Not part of
the tests.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path
from types import FrameType
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:  # run as a script: benchmarks/ is not installed
    sys.path.insert(0, str(ROOT))

from benchmarks.responses import tiny_warehouse  # noqa: E402

CROSSTAB = "/cube/ashe_pay/crosstab?rows=region:region&columns=industry:ind75&measure=mean_pay"
REQUESTS = [
    CROSSTAB,
    CROSSTAB + "&format=csv",
    "/cube/ashe_pay/crosstab?rows=occupation:soc2&columns=region:region&measure=mean_pay"
    "&cut=gender:2",
    "/api/v1/ashe/estimatePay?soc=2231&breakdown=region",
]
ANONYMOUS = ("<genexpr>", "<listcomp>", "<dictcomp>", "<setcomp>", "<lambda>")


def trace(client: Any, path: str) -> Counter[tuple[str, str]]:
    """(module file, function) -> calls, for one request."""
    calls: Counter[tuple[str, str]] = Counter()

    def profile(frame: FrameType, event: str, arg: Any) -> None:
        if event != "call" or frame.f_code.co_filename.startswith("<"):
            return
        try:
            file = Path(frame.f_code.co_filename).resolve().relative_to(ROOT)
        except ValueError:
            return
        if file.parts[0] not in ("tests", "benchmarks"):
            calls[(str(file), frame.f_code.co_qualname)] += 1

    sys.setprofile(profile)
    try:
        client.get(path)
    finally:
        sys.setprofile(None)
    return calls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=REQUESTS)
    parser.add_argument("--warehouse", type=Path)
    parser.add_argument("--verbose", action="store_true", help="list the functions too")
    args = parser.parse_args()
    from lmi_cubes.cube_server.app import create_app

    with tempfile.TemporaryDirectory() as tmp:
        warehouse = args.warehouse or tiny_warehouse(Path(tmp))
        client = create_app({"WAREHOUSE": str(warehouse), "CACHE_MB": 0}).test_client()
        for path in args.paths:
            for _ in range(3):
                status = client.get(path).status_code
                if status != 200:
                    raise SystemExit(f"{path} -> {status}")
        print("| request | functions | modules | calls |")
        print("|---|---:|---:|---:|")
        listed = []
        for path in args.paths:
            calls = trace(client, path)
            functions = {f for f in calls if not any(a in f[1] for a in ANONYMOUS)}
            modules = {m for m, _ in functions}
            print(f"| `{path}` | {len(functions)} | {len(modules)} | {sum(calls.values())} |")
            listed.append((path, functions))
        if args.verbose:
            for path, functions in listed:
                print(f"\n{path}")
                for module in sorted({m for m, _ in functions}):
                    names = sorted(f for m, f in functions if m == module)
                    print(f"  {module}: {', '.join(names)}")


if __name__ == "__main__":
    main()
