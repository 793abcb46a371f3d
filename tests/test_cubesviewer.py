"""CubesViewer, the Cubes project's browser client, against `lmi-cubes serve`.

The released CubesViewer 2.0.2 build and the libraries it loads are kept unmodified under
tests/clients/cubesviewer/ (see its README): the page is served from another origin, as a
dashboard would host it, and talks to the server over the Slicer API with CORS. The checks
are what a Slicer user sees: member names (not keys) in the drilldown table, drill-through by
clicking a member, and names in the dimension filter list.
"""

from __future__ import annotations

import functools
import json
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pandas as pd
import pytest
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from test_browser import base, browser, shot  # noqa: F401

CLIENT = Path(__file__).parent / "clients" / "cubesviewer"


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def client_page() -> Iterator[str]:
    handler = functools.partial(QuietHandler, directory=str(CLIENT))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/index.html"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def regions(tiny_dir: Path) -> pd.DataFrame:
    return pd.read_csv(tiny_dir / "regions.csv")


def member_links(browser) -> list[str]:  # noqa: F811
    return [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".ui-grid-cell-contents a")]


def wait_links(browser, expected: list[str]) -> list[str]:  # noqa: F811
    try:
        WebDriverWait(browser, 30, ignored_exceptions=[StaleElementReferenceException]).until(
            lambda d: sorted(member_links(d)) == sorted(expected)
        )
    except TimeoutException:
        pytest.fail(f"CubesViewer shows {member_links(browser)}, expected {expected}")
    return member_links(browser)


def test_drilldown_filter_list_and_drill_through_show_names(
    browser,  # noqa: F811
    base,  # noqa: F811
    client_page,
    regions,
):
    view = {"cubename": "ashe_pay", "mode": "explore", "drilldown": ["region:nation"]}
    query = urllib.parse.urlencode({"server": base, "view": json.dumps(view)})
    browser.get(f"{client_page}?{query}")

    # the drilldown table: one row per nation, named from the top of the hierarchy down
    nations = regions.drop_duplicates("nation").sort_values("nation")
    wait_links(browser, [f"United Kingdom / {n}" for n in nations.nation_title])
    shot(browser, "cubesviewer")

    # drill-through: clicking England cuts to it and drills to its regions, by name
    england = nations[nations.nation_title == "England"].iloc[0]
    browser.find_element(By.LINK_TEXT, "United Kingdom / England").click()
    english = regions[regions.nation == england.nation].sort_values("region")
    wait_links(browser, [f"United Kingdom / England / {r}" for r in english.region_title])
    badge = browser.find_element(By.CSS_SELECTOR, ".cv-view-viewinfo-cut")
    assert f"1,{england.nation}" in badge.text  # CubesViewer prints a cut by its keys
    shot(browser, "cubesviewer-drill")

    # the filter list of the cut's dimension (at the cut's level) names every nation
    badge.find_element(By.CSS_SELECTOR, "button .fa-search").find_element(By.XPATH, "..").click()
    every = [f"United Kingdom / {n}" for n in nations.nation_title]

    def listed(d) -> list[str]:
        spans = d.find_elements(By.CSS_SELECTOR, "[ng-repeat^='val in dimensionValues'] span")
        return [s.text for s in spans]

    try:
        WebDriverWait(browser, 30, ignored_exceptions=[StaleElementReferenceException]).until(
            lambda d: sorted(listed(d)) == sorted(every)
        )
    except TimeoutException:
        pytest.fail(f"the filter list shows {listed(browser)}, expected {every}")
    assert "United Kingdom / Wales" in listed(browser)
    shot(browser, "cubesviewer-filter")
