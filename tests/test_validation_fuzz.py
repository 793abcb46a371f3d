"""Random damage to a source file is always reported at its line, and never half-loaded."""

from __future__ import annotations

import hashlib
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lmi_cubes.etl import sources
from lmi_cubes.etl.load import load
from lmi_cubes.etl.problems import ValidationFailed

FILES = [sources.ASHE_PAY, sources.ASHE_HOURS, sources.WF_EMPLOYMENT]


@pytest.fixture(scope="module")
def small_data(tiny_dir, tmp_path_factory):
    """The tiny data cut to 300 lines per fact file, so that each load takes a second."""
    out = tmp_path_factory.mktemp("fuzz-data")
    for f in tiny_dir.iterdir():
        shutil.copy(f, out / f.name)
    for source in FILES:
        path = out / source.file
        path.write_text("\n".join(path.read_text().splitlines()[:300]) + "\n")
    return out


@pytest.fixture(scope="module")
def target(small_data, tmp_path_factory):
    path = tmp_path_factory.mktemp("fuzz-wh") / "w.duckdb"
    load(small_data, path)
    return path


VALUES = st.one_of(
    st.text(alphabet="0123456789-.eE ,\"'x;", max_size=8),
    st.sampled_from(["", "-1", "NaN", "inf", "1e20", "99999", "0", "1.5", " 7", '"3"', "0x10"]),
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    source=st.sampled_from(FILES),
    line=st.integers(2, 300),
    field=st.integers(0, 8),
    value=VALUES,
)
def test_damage_is_reported_at_its_line_or_the_load_is_whole(
    small_data, target, tmp_path_factory, source, line, field, value
):
    data = tmp_path_factory.mktemp("case")
    for f in small_data.iterdir():
        (data / f.name).symlink_to(f)
    lines = (small_data / source.file).read_text().splitlines()
    parts = lines[line - 1].split(",")
    parts[field % len(parts)] = value
    lines[line - 1] = ",".join(parts)
    (data / source.file).unlink()
    (data / source.file).write_text("\n".join(lines) + "\n")
    before = hashlib.sha256(target.read_bytes()).hexdigest()
    try:
        load(data, target)
    except ValidationFailed as exc:
        # a damaged key can duplicate an earlier line: that problem sits on the later line
        # and names the damaged one as the first
        assert any(
            p.file == source.file
            and (p.line in (line, 0) or f"(first on line {line})" in p.message)
            for p in exc.problems
        ), [str(p) for p in exc.problems[:5]]
        assert hashlib.sha256(target.read_bytes()).hexdigest() == before
    # else the damaged value was still valid (e.g. "1.5" as an amount): a whole new load
