"""The explorer's and the widget's behaviour in headless Chromium against `lmi-cubes serve`.

Each test is one thing a user does: change the rows twice quickly, open a shared URL with
typos, pick a measure that cannot go with the columns, read a table whose rows are coarser
than its filter, search a job title, embed the widget in a narrow page. Figures are checked
against the source CSV files with pandas (tests/oracle.py).
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pandas as pd
import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait
from test_browser import base, body_rows, browser, page_params, renders, shot, wait_render  # noqa: F401

import oracle


def open_page(browser, url: str) -> None:  # noqa: F811
    browser.get(url)
    wait_render(browser, 0)


def crosstab(base: str, **params: str) -> dict:  # noqa: F811
    response = requests.get(f"{base}/cube/{params.pop('cube')}/crosstab", params=params, timeout=60)
    assert response.status_code == 200, response.text
    return response.json()


def notes_text(browser) -> str:  # noqa: F811
    return browser.find_element(By.ID, "notes").text


# -- the explorer ----------------------------------------------------------------------------


def test_the_newest_request_wins(browser, base):  # noqa: F811
    open_page(
        browser,
        f"{base}/?cube=ashe_hours&measure=mean_hours&rows=occupation:soc1&columns=industry:ind75",
    )
    # the unit-group table answers slowly (held back 2.5 s in the page), the sub-major one fast
    browser.execute_script(
        "const original = window.fetch;"
        "window.fetch = (url, options) => String(url).includes('soc4')"
        "  ? new Promise((r) => setTimeout(r, 2500)).then(() => original(url, options))"
        "  : original(url, options);"
    )
    n = renders(browser)
    Select(browser.find_element(By.ID, "rows")).select_by_value("occupation:soc4")
    time.sleep(0.5)
    Select(browser.find_element(By.ID, "rows")).select_by_value("occupation:soc2")
    wait_render(browser, n)
    time.sleep(3.5)  # past the moment the slow answer arrives
    soc2 = crosstab(
        base,
        cube="ashe_hours",
        measure="mean_hours",
        rows="occupation:soc2",
        columns="industry:ind75",
    )
    assert page_params(browser)["rows"] == "occupation:soc2"
    headers = [r.find_element(By.CSS_SELECTOR, "th").text for r in body_rows(browser)]
    assert headers == [m["label"] for m in soc2["rows"]["members"]] + ["Total"]
    assert not browser.find_elements(By.CSS_SELECTOR, ".guidance.large")


def test_rows_coarser_than_the_filter_say_they_are_restricted(browser, base, tiny_dir):  # noqa: F811
    open_page(
        browser,
        f"{base}/?cube=ashe_pay&rows=occupation:soc2&cut=occupation:2,21,211&measure=mean_pay",
    )
    pay = oracle.read(tiny_dir, "ashe_pay_main.csv")
    part = pay[pay.soc3 == 211]
    expected = oracle.round_to(part.PayBill.sum() / part.Employment.sum(), 10)
    [row, _total] = body_rows(browser)
    header = row.find_element(By.CSS_SELECTOR, "th")
    assert header.text.endswith("(211 only)")
    assert "restricted" in header.get_attribute("class")
    assert "211" in header.get_attribute("title")
    assert row.find_element(By.CSS_SELECTOR, "td").text.split()[0] == f"{expected:,.0f}"
    shot(browser, "explorer-restricted")


def test_every_figure_names_its_year(browser, base, tiny_dir):  # noqa: F811
    open_page(browser, f"{base}/?cube=ashe_pay&rows=occupation:soc1&measure=mean_pay")
    [year] = pd.read_csv(tiny_dir / "ashe_pay_main.csv").year.unique().tolist()
    caption = browser.find_element(By.CSS_SELECTOR, "#table-view caption").text
    assert caption.endswith(f", {year}")
    assert f"Figures for {year}." in browser.find_element(By.ID, "source").text
    years = pd.read_csv(tiny_dir / "wf_years.csv").year.tolist()
    period = f"from={years[1]}&to={years[2]}"
    open_page(
        browser,
        f"{base}/?cube=working_futures&rows=occupation:soc1&measure=total_requirement&{period}",
    )
    caption = browser.find_element(By.CSS_SELECTOR, "#table-view caption").text
    assert caption.endswith(f", {years[1]} to {years[2]}")
    # a period the data set does not have is reported, not silently replaced
    open_page(
        browser,
        f"{base}/?cube=working_futures&rows=occupation:soc1&measure=total_requirement&from=1990&to=1995",
    )
    assert "from=1990 to=1995 is not a period" in notes_text(browser)


ALL_WITHHELD = (
    "cube=ashe_pay&measure=median_pay&rows=occupation:soc4&columns=industry:sector6"
    "&cut=occupation:9,92,925|gender:2|status:2|region:1,1,1"
)


def test_a_table_with_every_cell_withheld_says_what_to_change(browser, base):  # noqa: F811
    params = dict(p.split("=", 1) for p in ALL_WITHHELD.split("&"))
    api = crosstab(base, **params)
    assert {c["flag"] for row in api["cells"] for c in row} == {"suppressed"}
    open_page(browser, f"{base}/?{ALL_WITHHELD}")
    guidance = browser.find_element(By.CSS_SELECTOR, ".guidance")
    assert "Every cell of this table is withheld" in guidance.text
    buttons = [b.text for b in guidance.find_elements(By.TAG_NAME, "button")]
    assert "Show Occupation (SOC2010) by minor group" in buttons
    assert "Drop the Region filter" in buttons and "Fill from a broader group" in buttons
    shot(browser, "explorer-all-withheld")

    # filling: either cells are filled, or the page says the broader groups are withheld too
    n = renders(browser)
    guidance.find_element(By.CSS_SELECTOR, "button.fill").click()
    wait_render(browser, n)
    assert page_params(browser)["fallback"] == "true"
    filled = browser.find_elements(By.CSS_SELECTOR, "#table-view td.filled")
    note = browser.find_elements(By.CSS_SELECTOR, ".guidance")
    assert filled or "found no published figure either" in note[0].text

    # the coarser level and dropping a filter are one click away
    open_page(browser, f"{base}/?{ALL_WITHHELD}")
    n = renders(browser)
    browser.find_element(By.CSS_SELECTOR, ".guidance button.coarser").click()
    wait_render(browser, n)
    assert page_params(browser)["rows"] == "occupation:soc3"
    open_page(browser, f"{base}/?{ALL_WITHHELD}")
    n = renders(browser)
    browser.find_element(
        By.XPATH, "//div[contains(@class,'guidance')]//button[text()='Drop the Region filter']"
    ).click()
    wait_render(browser, n)
    assert "region" not in page_params(browser)["cut"]


def test_a_very_large_mostly_withheld_table_asks_before_drawing(browser, base):  # noqa: F811
    url = f"{base}/?cube=ashe_hours&measure=mean_hours&rows=occupation:soc4&columns=industry:ind75"
    open_page(browser, url)
    warning = browser.find_element(By.CSS_SELECTOR, "#table-view .guidance.large")
    assert "withheld" in warning.text and not browser.find_elements(By.CSS_SELECTOR, "table")
    shot(browser, "explorer-large")
    n = renders(browser)
    warning.find_element(By.CSS_SELECTOR, "button.coarser").click()
    wait_render(browser, n)
    assert page_params(browser)["rows"] == "occupation:soc3"

    open_page(browser, url)
    n = renders(browser)
    browser.find_element(By.CSS_SELECTOR, "#table-view button.draw-anyway").click()
    wait_render(browser, n)
    api = crosstab(
        base,
        cube="ashe_hours",
        measure="mean_hours",
        rows="occupation:soc4",
        columns="industry:ind75",
    )
    assert len(body_rows(browser)) == len(api["rows"]["members"]) + 1


def test_column_headers_stick_while_the_table_scrolls(browser, base):  # noqa: F811
    open_page(browser, f"{base}/?cube=ashe_pay&rows=occupation:soc4&measure=mean_pay")
    assert len(body_rows(browser)) > 300
    top = browser.execute_script(
        "const box = document.getElementById('table-view'); box.scrollTop = 3000;"
        "return [box.scrollTop, box.getBoundingClientRect().top,"
        " document.querySelector('#table-view thead th').getBoundingClientRect().top];"
    )
    scrolled, box_top, header_top = top
    assert scrolled > 1000  # the table scrolls inside its box...
    assert abs(header_top - box_top) <= 2  # ...and its header row stays at the top


def test_invalid_values_in_a_shared_url_are_reported(browser, base):  # noqa: F811
    open_page(
        browser,
        f"{base}/?cube=ashe_pay&rows=occupation:soc9&columns=region:regoin&measure=mean_pya",
    )
    notes = notes_text(browser)
    for asked in ("rows=occupation:soc9", "columns=region:regoin", "measure=mean_pya"):
        assert asked in notes
    assert "showing" in notes
    shot(browser, "explorer-url-notes")
    open_page(browser, f"{base}/?cube=ashe_pya&rows=occupation:soc1")
    assert "cube=ashe_pya is not a data set here" in notes_text(browser)
    n = renders(browser)
    Select(browser.find_element(By.ID, "rows")).select_by_value("occupation:soc2")
    wait_render(browser, n)
    assert notes_text(browser) == ""  # said once, gone at the next change


def test_years_cannot_be_an_axis_of_a_change_measure(browser, base):  # noqa: F811
    open_page(
        browser,
        f"{base}/?cube=working_futures&rows=occupation:soc1&columns=year:year&measure=employment",
    )
    n = renders(browser)
    Select(browser.find_element(By.ID, "measure")).select_by_value("total_requirement")
    wait_render(browser, n)
    assert "columns" not in page_params(browser)
    assert "cannot show Total requirement" in notes_text(browser)
    assert not browser.find_elements(By.CSS_SELECTOR, "#table-view .error")
    disabled = [
        o.get_attribute("value")
        for o in browser.find_elements(By.CSS_SELECTOR, "#columns option")
        if o.get_attribute("disabled") is not None
    ]
    assert disabled == ["year:year"]
    # and a shared URL asking for it is switched, with the same note
    open_page(
        browser,
        f"{base}/?cube=working_futures&rows=year:year&measure=total_requirement",
    )
    assert page_params(browser)["rows"] != "year:year"
    assert "cannot show Total requirement" in notes_text(browser)


WITHHELD = (
    "cube=ashe_pay&rows=occupation:soc4&columns=region:nation&measure=median_pay"
    "&cut=occupation:2,21|gender:2|status:2&fallback=true"
)


def test_the_legend_draws_each_marking_as_the_cells_do(browser, base):  # noqa: F811
    open_page(browser, f"{base}/?{WITHHELD}")
    style = (
        "const s = getComputedStyle(arguments[0]);"
        "return [s.backgroundImage, s.outlineStyle, s.outlineColor, s.fontStyle];"
    )

    def drawn(selector: str) -> list[str]:
        return browser.execute_script(style, browser.find_element(By.CSS_SELECTOR, selector))

    low_cell, low_key = drawn("td.low_reliability"), drawn(".legend .swatch.low_reliability")
    assert low_cell[0] == low_key[0] and "gradient" in low_cell[0]
    filled_cell, filled_key = drawn("td.filled"), drawn(".legend .swatch.filled")
    assert filled_cell[1:] == filled_key[1:] and filled_cell[1] == "dashed"
    assert filled_cell[3] == "italic"


def test_charts_mark_low_reliability_and_name_their_unit(browser, base):  # noqa: F811
    query = "cube=ashe_pay&rows=occupation:soc4&measure=median_pay&cut=occupation:2,21|gender:2"
    params = dict(p.split("=", 1) for p in query.split("&"))
    api = crosstab(base, **params)
    charted = api["cells"][:15]  # the chart shows the first 15 rows
    low = sum(1 for row in charted if row[0]["flag"] == "low_reliability")
    assert low > 0
    open_page(browser, f"{base}/?{query}&view=chart")
    assert len(browser.find_elements(By.CSS_SELECTOR, "#chart-view rect.u-mark")) == low
    assert "[u] low reliability" in browser.find_element(By.CSS_SELECTOR, ".chart-legend").text
    title = browser.find_element(By.CSS_SELECTOR, "#chart-view text.axis-title")
    assert title.get_attribute("textContent") == "Median weekly pay (GBP)"
    shot(browser, "explorer-chart")
    open_page(browser, f"{base}/?cube=ashe_pay&rows=occupation:soc1&measure=employment&view=chart")
    title = browser.find_element(By.CSS_SELECTOR, "#chart-view text.axis-title")
    assert title.get_attribute("textContent") == "Employment (jobs)"


# -- the widget ------------------------------------------------------------------------------


def wait_ready(browser) -> None:  # noqa: F811
    WebDriverWait(browser, 30).until(
        lambda d: d.execute_script("return document.body.dataset.ready")
    )


@pytest.mark.parametrize(
    ("title", "soc"),
    [("teacher", 2314), ("doctor", 2211), ("software developer", 2136), ("lorry driver", 8211)],
)
def test_job_titles_are_found_in_the_coding_index(browser, base, title, soc):  # noqa: F811
    browser.get(f"{base}/widget")
    wait_ready(browser)
    browser.find_element(By.ID, "job").send_keys(title)

    def codes(d) -> list[str]:
        return [b.text for b in d.find_elements(By.CSS_SELECTOR, "#job-results button")]

    found = WebDriverWait(browser, 10).until(codes)
    assert any(f"({soc})" in text for text in found), found
    if title == "lorry driver":  # the coding-index title that matched is shown
        assert any(t.startswith("Large goods vehicle drivers (8211) — Lorry driver") for t in found)
        shot(browser, "widget-search")
        box = browser.find_element(By.ID, "job")  # digits search the codes
        box.clear()
        box.send_keys("821")
        WebDriverWait(browser, 10).until(
            lambda d: codes(d) and all(t.split("(")[-1].startswith("821") for t in codes(d))
        )


def test_unknown_codes_are_named_and_the_armed_forces_have_outlooks(browser, base, tiny_dir):  # noqa: F811
    browser.get(f"{base}/widget?soc=1171,3311,9999")
    wait_ready(browser)
    assert "9999" in browser.find_element(By.ID, "widget-notes").text
    cards = browser.find_elements(By.CSS_SELECTOR, "#cards .card")
    assert [c.get_attribute("data-soc") for c in cards] == ["1171", "3311"]
    [ashe_year] = pd.read_csv(tiny_dir / "ashe_pay_main.csv").year.unique().tolist()
    assert f"Mean weekly pay {ashe_year}" in cards[0].text  # the pay survey's year, named
    wf = pd.read_csv(tiny_dir / "wf_employment.csv")
    for card in cards:
        soc = int(card.get_attribute("data-soc"))
        label = card.find_element(By.XPATH, ".//dt[starts-with(text(),'Employment ')]").text
        year = int(label.split()[-1])
        expected = oracle.round_to(wf[(wf.occupation == soc) & (wf.year == year)].weight.sum(), 10)
        shown = card.find_element(By.CSS_SELECTOR, "dd[data-measure='employment']").text
        assert shown.split()[0] == f"{expected:,.0f}"
        assert card.text.count("not surveyed") == 3
    shot(browser, "widget")


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture()
def host_page(tmp_path: Path, base) -> Iterator[str]:  # noqa: F811
    """A careers site on another origin, with the widget in a 360 px column."""
    (tmp_path / "index.html").write_text(
        "<!doctype html><html><body><div style='width:360px'>"
        f"<script src='{base}/static/embed.js' data-soc='2231,2136,5434' data-height='200px'>"
        "</script></div></body></html>"
    )
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(tmp_path))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/index.html"
    server.shutdown()
    server.server_close()


def test_embedded_widget_grows_to_its_content(browser, host_page):  # noqa: F811
    browser.get(host_page)
    frame = WebDriverWait(browser, 30).until(lambda d: d.find_element(By.TAG_NAME, "iframe"))
    browser.switch_to.frame(frame)
    try:
        WebDriverWait(browser, 30).until(
            lambda d: d.execute_script("return document.body.dataset.cards") == "3"
        )
        time.sleep(0.5)
        content = browser.execute_script("return document.documentElement.scrollHeight")
        inner = browser.execute_script("return window.innerHeight")
    finally:
        browser.switch_to.default_content()
    assert content > 600  # three cards stacked in a narrow column
    height = browser.execute_script("return arguments[0].getBoundingClientRect().height", frame)
    assert abs(height - content) <= 2 and inner >= content - 2  # no scrolling inside
    # a message from anything but the widget's iframe is ignored
    browser.execute_script("window.postMessage({type: 'lmi-cubes-widget-height', height: 50}, '*')")
    time.sleep(0.5)
    after = browser.execute_script("return arguments[0].getBoundingClientRect().height", frame)
    assert after == height
