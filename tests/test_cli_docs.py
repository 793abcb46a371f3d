"""A newcomer's first hour: the command line explains itself and the docs it cites exist."""

from __future__ import annotations

import re
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

from click.testing import CliRunner

from lmi_cubes.cli import main
from lmi_cubes.model.loader import load_model

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


def test_every_relative_link_in_the_docs_exists():
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        text = page.read_text()
        for link in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
            if not link.startswith(("http://", "https://", "mailto:")):
                assert (page.parent / link).exists(), f"{page.name}: {link}"


def test_the_readme_test_prerequisites_and_command_are_what_ci_runs():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    line = "sudo apt-get install chromium chromium-driver postgresql openjdk-17-jre-headless"
    assert line in readme
    for package in line.split()[3:]:  # CI installs each of them
        assert package in ci, package
    command = "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/pytest"
    assert command in readme
    assert ci.rstrip().splitlines()[-1] == ".venv/bin/pytest"  # the full run, no selection
    assert "pip install -q -e '.[test]'" in ci


def test_the_quick_subset_leaves_out_exactly_the_slow_modules():
    from conftest import SLOW_MODULES

    assert all((ROOT / "tests" / name).exists() for name in SLOW_MODULES)

    def collected(*args: str) -> set[str]:
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *args],
            capture_output=True, text=True, cwd=ROOT, timeout=300,
        )  # fmt: skip
        assert done.returncode == 0, done.stdout[-2000:]
        return {
            line.split("::")[0].rsplit("/", 1)[-1]
            for line in done.stdout.splitlines()
            if "::" in line
        }

    slow, quick = collected("-m", "slow"), collected("-m", "not slow")
    assert slow == set(SLOW_MODULES)
    assert not slow & quick and "test_engine.py" in quick
    assert 'pytest -m "not slow"' in (ROOT / "README.md").read_text()


def test_the_readme_fits_on_a_few_screens_and_links_the_rest():
    """The README says what the product is, gives the two commands and a first request, and
    links to docs/ for the rest; a section that grows goes to its page there."""
    readme = (ROOT / "README.md").read_text()
    assert len(readme.splitlines()) <= 150
    pages = {p.name for p in (ROOT / "docs").glob("*.md")}
    linked = set(re.findall(r"\]\(docs/([^)#]+\.md)", readme))
    assert pages - linked == set()  # every page in docs/ is reachable from the README
