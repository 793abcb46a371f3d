"""The server process answers without importing pandas (or the pyarrow pandas loads).

pandas and pyarrow are a large part of a gunicorn worker's memory; the engine, the
renderers and the catalog work on numpy arrays and plain rows instead. A fresh interpreter
serves a spread of endpoints and then checks which modules it loaded.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

URLS = [
    "/cube/ashe_pay/crosstab?rows=occupation:soc2&columns=region&measure=median_pay&fallback=true",
    "/cube/ashe_pay/crosstab?rows=occupation:soc4&columns=gender&format=csv&layout=wide",
    "/cube/working_futures/crosstab?rows=occupation:soc2&columns=gender&measure=total_requirement&from=2022&to=2026",
    "/cube/ashe_hours/aggregate?drilldown=status&cut=gender:2",
    "/cube/ashe_pay/members/region?depth=2",
    "/cube/ashe_pay/cell?cut=occupation:2,21|region:1",
    "/cube/working_futures/model",
    "/api/v1/soc/search?q=nurse",
    "/api/v1/ashe/estimatePay?soc=2231&breakdown=region",
    "/api/v1/wf/predict/breakdown/region?soc=2231",
    "/health",
]


def test_serving_does_not_import_pandas(warehouse: Path) -> None:
    script = textwrap.dedent(
        f"""
        import sys
        from lmi_cubes.cube_server.app import create_app
        app = create_app({{"WAREHOUSE": {str(warehouse)!r}, "CACHE_MB": 0}})
        client = app.test_client()
        for url in {URLS!r}:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        print(sorted(m for m in ("pandas", "pyarrow") if m in sys.modules))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "[]"
