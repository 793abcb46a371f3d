"""A newcomer's first hour: the command line explains itself and the docs it cites exist."""

from __future__ import annotations

import re
from importlib.metadata import version
from pathlib import Path

from click.testing import CliRunner

from lmi_cubes.cli import main
from model.loader import load_model

ROOT = Path(__file__).resolve().parent.parent


def test_version_and_help_point_to_the_docs():
    runner = CliRunner()
    shown = runner.invoke(main, ["--version"])
    assert shown.exit_code == 0 and version("lmi-cubes") in shown.output
    for command in ([], ["generate"], ["load"]):
        help_text = runner.invoke(main, [*command, "--help"]).output
        assert "docs/reference.md" in help_text
    generate = " ".join(runner.invoke(main, ["generate", "--help"]).output.split())
    assert "same seed and scale always write identical files" in generate
    assert "tiny" in generate and "benchmarks" in generate


def test_the_docs_cover_the_rules_and_the_readme_cites_only_what_is_in_the_repo():
    readme = (ROOT / "README.md").read_text()
    for link in re.findall(r"\]\((docs/[^)#]+)", readme):
        assert (ROOT / link).exists(), link
    docs = (ROOT / "docs" / "reference.md").read_text()
    for cube in load_model().cubes:  # the thresholds the code applies are the documented ones
        assert f"under {cube.reliability.suppress_below:,.0f}" in docs
        assert f"{cube.reliability.reliable_from:,.0f} or more" in docs
    for phrase in ("median = m / r", "expansion demand", "pay at age a", "[x]", "[u]", "400"):
        assert phrase in docs
