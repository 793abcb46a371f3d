"""The explorer and the comparison widget in headless Chromium against `lmi-cubes serve`.

Needs Debian's chromium and chromium-driver (.ci/run installs them). Set
LMI_CUBES_SCREENSHOTS=DIR to also save screenshots of each step.
"""

from __future__ import annotations

import csv
import io
import itertools
import math
import os
import urllib.parse
from pathlib import Path

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

from support import chromium, serving


@pytest.fixture(scope="module")
def base(warehouse):
    with serving(warehouse) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium() as driver:
        yield driver


def shot(browser, name: str) -> None:
    folder = os.environ.get("LMI_CUBES_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(Path(folder) / f"{name}.png"))


def renders(browser) -> int:
    return int(browser.execute_script("return Number(document.body.dataset.renders || 0)"))


def wait_render(browser, after: int) -> None:
    WebDriverWait(browser, 30).until(lambda d: renders(d) > after)


def page_params(browser) -> dict[str, str]:
    return dict(urllib.parse.parse_qsl(urllib.parse.urlparse(browser.current_url).query))


def body_rows(browser):
    return browser.find_elements(By.CSS_SELECTOR, "#table-view tbody tr")


def test_build_drill_go_up_chart_and_download(browser, base):
    browser.get(
        f"{base}/?cube=ashe_pay&rows=occupation:soc1&columns=region:nation&measure=mean_pay"
    )
    wait_render(browser, 0)
    api = requests.get(
        f"{base}/cube/ashe_pay/crosstab",
        params={"rows": "occupation:soc1", "columns": "region:nation", "measure": "mean_pay"},
        timeout=30,
    ).json()
    rows = body_rows(browser)
    assert len(rows) == 10  # nine major groups and the total row
    first = rows[0].find_elements(By.CSS_SELECTOR, "td")
    assert first[0].text.split()[0] == f"{api['cells'][0][0]['value']:,}"
    assert (
        rows[-1].find_elements(By.CSS_SELECTOR, "td")[-1].text.split()[0]
        == f"{api['grand_total']['value']:,}"
    )
    assert "background" in (first[0].get_attribute("style") or "")  # heat-map colouring
    shot(browser, "explorer")

    # drill down: clicking a row header shows that group's next level
    n = renders(browser)
    rows[0].find_element(By.CSS_SELECTOR, "th button.drill").click()
    wait_render(browser, n)
    params = page_params(browser)
    assert params["rows"] == "occupation:soc2" and params["cut"] == "occupation:1"
    headers = [
        th.text for th in browser.find_elements(By.CSS_SELECTOR, "#table-view tbody th.member")
    ]
    assert headers == ["Corporate managers and directors", "Other managers and proprietors"]
    assert "Managers, directors and senior officials" in browser.find_element(By.ID, "crumbs").text

    # ...and the breadcrumb drills back up
    n = renders(browser)
    browser.find_element(By.CSS_SELECTOR, "#crumbs button").click()
    wait_render(browser, n)
    assert page_params(browser)["rows"] == "occupation:soc1" and "cut" not in page_params(browser)
    assert len(body_rows(browser)) == 10

    # a table with withheld cells: greyed, with the reason and a "go up a level" button
    browser.get(
        f"{base}/?cube=ashe_pay&rows=occupation:soc4&columns=region:nation&measure=median_pay"
        "&cut=occupation:2,21|gender:2|status:2"
    )
    wait_render(browser, 0)
    withheld = browser.find_elements(By.CSS_SELECTOR, "#table-view td.suppressed")
    assert withheld and all(
        td.text.startswith("[x]\nno reliable data available") for td in withheld
    )
    assert withheld[0].get_attribute("title") == "no reliable data available"
    shot(browser, "explorer-withheld")
    button = next(td for td in withheld if td.find_elements(By.CSS_SELECTOR, "button.up"))
    button = button.find_element(By.CSS_SELECTOR, "button.up")
    before = page_params(browser)
    n = renders(browser)
    button.click()
    wait_render(browser, n)
    after = page_params(browser)
    assert (after["rows"], after.get("columns")) != (before["rows"], before.get("columns"))
    assert (
        after["rows"] in ("occupation:soc3", "occupation:soc2", "occupation:soc1")
        or after["columns"] == "region:uk"
    )

    # chart view of the same table
    browser.find_element(By.ID, "view-chart").click()
    assert browser.find_element(By.ID, "table-view").get_attribute("hidden") is not None
    bars = browser.find_elements(By.CSS_SELECTOR, "#chart-view svg rect")
    assert bars and page_params(browser)["view"] == "chart"
    shot(browser, "explorer-chart")

    # CSV download is the API's CSV of the same view
    href = browser.find_element(By.ID, "csv").get_attribute("href")
    response = requests.get(href, timeout=30)
    assert response.headers["Content-Type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(response.text)))
    assert table and {"value", "flag"} <= set(table[0])


def test_cut_picker_works_from_the_keyboard(browser, base):
    browser.get(f"{base}/?cube=ashe_hours&rows=industry:sector6&measure=mean_hours")
    wait_render(browser, 0)
    Select(browser.find_element(By.ID, "cut-dim")).select_by_value("region")
    search = browser.find_element(By.ID, "cut-search")
    search.send_keys("Scot")
    WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#cut-results li"))
    n = renders(browser)
    option = browser.find_element(By.CSS_SELECTOR, "#cut-results li")
    assert option.text.endswith("Scotland")
    option.send_keys(Keys.ENTER)
    wait_render(browser, n)
    assert page_params(browser)["cut"] == "region:1,3,11"
    assert "Region: Scotland" in browser.find_element(By.ID, "cut-list").text


def test_comparison_widget(browser, base):
    browser.get(f"{base}/widget")
    WebDriverWait(browser, 30).until(
        lambda d: d.execute_script("return document.body.dataset.ready")
    )
    for text, title in (("nurse", "Nurses"), ("programm", "Programmers"), ("chef", "Chefs")):
        box = browser.find_element(By.ID, "job")
        box.send_keys(text)
        choice = WebDriverWait(browser, 10).until(
            lambda d, t=title: next(
                (
                    b
                    for b in d.find_elements(By.CSS_SELECTOR, "#job-results button")
                    if b.text.startswith(t)
                ),
                None,
            )
        )
        count = len(browser.find_elements(By.CSS_SELECTOR, "#cards .card"))
        choice.click()
        WebDriverWait(browser, 30).until(
            lambda d, c=count: len(d.find_elements(By.CSS_SELECTOR, "#cards .card")) == c + 1
        )
    cards = browser.find_elements(By.CSS_SELECTOR, "#cards .card")
    assert [c.get_attribute("data-soc") for c in cards] == ["2231", "2136", "5434"]
    pay = requests.get(
        f"{base}/cube/ashe_pay/aggregate",
        params={"aggregates": "mean_pay|median_pay", "cut": "occupation:2,22,223,2231"},
        timeout=30,
    ).json()["summary"]
    shown = cards[0].find_element(By.CSS_SELECTOR, "dd[data-measure='mean_pay']").text
    assert shown.split()[0] == f"£{pay['mean_pay']:,}"
    hours = cards[0].find_element(By.CSS_SELECTOR, "dd[data-measure='mean_hours']").text
    assert hours.endswith("h")
    assert cards[0].find_element(By.CSS_SELECTOR, "dd[data-measure='total_requirement']").text
    shot(browser, "widget")
    # a fourth occupation cannot be added
    browser.find_element(By.ID, "job").send_keys("teach")
    buttons = WebDriverWait(browser, 10).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#job-results button")
    )
    assert all(b.get_attribute("disabled") is not None for b in buttons)
    # the embed script points an iframe at the widget
    assert "widget?embed=1" in requests.get(f"{base}/static/embed.js", timeout=30).text


def test_pages_fit_a_phone_screen(browser, base):
    browser.set_window_size(390, 844)
    try:
        for path in (
            "/?cube=ashe_pay&rows=occupation:soc1&columns=region:nation",
            "/widget?soc=2231",
        ):
            browser.get(base + path)
            WebDriverWait(browser, 30).until(
                lambda d: d.execute_script(
                    "return document.body.dataset.renders || document.body.dataset.ready"
                )
            )
            overflow = browser.execute_script(
                "return document.documentElement.scrollWidth - window.innerWidth"
            )
            assert overflow <= 1, path  # wide tables scroll inside their own box
    finally:
        browser.set_window_size(1300, 900)


def test_years_on_columns_draw_one_line_per_row(browser, base):
    """Regression: a bare `columns=year` in the URL was dropped, and lines stopped at 8 years."""
    browser.get(
        f"{base}/?cube=working_futures&measure=employment&rows=occupation:soc1&columns=year&view=chart"
    )
    wait_render(browser, 0)
    assert (
        Select(browser.find_element(By.ID, "columns")).first_selected_option.get_attribute("value")
        == "year:year"
    )
    # each of the first eight major groups: a solid history line, a dashed projection line
    # joined at the last history year, and a rule where the projections start
    history = browser.find_elements(By.CSS_SELECTOR, "#chart-view svg path.history")
    projected = browser.find_elements(By.CSS_SELECTOR, "#chart-view svg path.projected")
    assert len(history) == len(projected) == 8
    years = requests.get(f"{base}/cube/working_futures/members/year", timeout=30).json()["data"]
    n_history = sum(1 for y in years if y["year.kind"] == "history")
    assert 0 < n_history < len(years)
    assert history[0].get_attribute("d").count("L") + 1 == n_history
    assert projected[0].get_attribute("d").count("L") + 1 == len(years) - n_history + 1
    assert projected[0].get_attribute("stroke-dasharray") != "none"
    assert len(browser.find_elements(By.CSS_SELECTOR, "#chart-view svg line.projection-start")) == 1


def test_slicer_only_cube_view_drills_through_by_clicking_a_member(browser, base):
    """A page that speaks only Slicer (/version, /info, /cubes, model, aggregate, cell):
    clicking a member sends the cut built from the keys of every level in its cell."""
    browser.get(f"{base}/slicer?cube=ashe_pay")
    wait_render(browser, 0)
    assert "Slicer API 2" in browser.find_element(By.ID, "server").text
    Select(browser.find_element(By.ID, "dimension")).select_by_value("region")
    Select(browser.find_element(By.ID, "aggregate")).select_by_value("employment")
    wait_render(browser, 1)

    def rows():
        return browser.find_elements(By.CSS_SELECTOR, "#view tbody tr")

    def click(label: str) -> None:
        before = renders(browser)
        button = browser.find_element(By.XPATH, f"//tbody//button[text()='{label}']")
        button.click()
        wait_render(browser, before)

    WebDriverWait(browser, 30).until(lambda d: [r.text.split()[0] for r in rows()] == ["United"])
    click("United Kingdom")
    names = [r.find_element(By.TAG_NAME, "th").text for r in rows()]
    assert names == ["England", "Wales", "Scotland", "Northern Ireland"]
    click("Wales")  # the drill-through cut is region@default:1,2 (uk, nation)
    (wales,) = rows()
    api = requests.get(
        f"{base}/cube/ashe_pay/aggregate",
        params={"cut": "region@default:1,2,10", "aggregates": "employment"},
        timeout=30,
    ).json()["summary"]
    cell = wales.find_element(By.CSS_SELECTOR, "td[data-value]")
    assert int(cell.get_attribute("data-value")) == api["employment"]
    assert wales.get_attribute("data-flag") == api["flag"]
    crumbs = [b.text for b in browser.find_elements(By.CSS_SELECTOR, "#path button")]
    assert crumbs == ["All Region", "United Kingdom", "Wales"]
    assert not wales.find_elements(By.TAG_NAME, "button")  # the deepest level: no further drill
    shot(browser, "slicer-view")
    before = renders(browser)
    browser.find_element(By.XPATH, "//nav[@id='path']/button[text()='United Kingdom']").click()
    wait_render(browser, before)
    assert len(rows()) == 4


def selected(browser, element_id: str) -> str:
    return Select(browser.find_element(By.ID, element_id)).first_selected_option.get_attribute(
        "value"
    )


def test_switching_to_working_futures_picks_a_valid_year_range(browser, base):
    """Regression: ASHE's single year 2023 was kept as both ends of the range,
    so Working Futures' Total requirement failed with "to (2023) must be later than from"."""
    years = requests.get(f"{base}/cube/working_futures/members/year", timeout=30).json()["data"]
    history = [y["year.year"] for y in years if y["year.kind"] == "history"]
    assert history and len(history) < len(years)  # the API says which years are history
    latest_history, last = str(history[-1]), str(years[-1]["year.year"])
    browser.get(f"{base}/")
    wait_render(browser, 0)
    n = renders(browser)
    Select(browser.find_element(By.ID, "cube")).select_by_value("working_futures")
    wait_render(browser, n)
    n = renders(browser)
    Select(browser.find_element(By.ID, "measure")).select_by_value("total_requirement")
    wait_render(browser, n)
    assert not browser.find_elements(By.CSS_SELECTOR, "#table-view .error")
    assert body_rows(browser)
    assert (selected(browser, "from"), selected(browser, "to")) == (latest_history, last)
    params = page_params(browser)
    assert (params["from"], params["to"]) == (latest_history, last)
    # choosing a "from" at or after "to" (or a "to" at or before "from") moves the other end
    keys = [str(y["year.year"]) for y in years]
    for element_id, value in (("from", last), ("to", keys[0]), ("from", keys[2]), ("to", keys[2])):
        n = renders(browser)
        Select(browser.find_element(By.ID, element_id)).select_by_value(value)
        wait_render(browser, n)
        params = page_params(browser)
        assert params[element_id] == value or value in (keys[0], last)
        assert keys.index(params["from"]) < keys.index(params["to"]), (element_id, value)
        assert (selected(browser, "from"), selected(browser, "to")) == (
            params["from"],
            params["to"],
        )
        assert not browser.find_elements(By.CSS_SELECTOR, "#table-view .error"), (element_id, value)
    # a reversed range in the URL is not sent either
    browser.get(f"{base}/?cube=working_futures&measure=total_requirement&from={last}&to={keys[0]}")
    wait_render(browser, 0)
    assert not browser.find_elements(By.CSS_SELECTOR, "#table-view .error")
    assert keys.index(page_params(browser)["from"]) < keys.index(page_params(browser)["to"])


def test_widget_keeps_the_requested_order(browser, base):
    """Regression: /widget?soc=2231,2136 showed 2136 first (code order)."""
    for soc, expected in (
        ("2231,2136", ["2231", "2136"]),
        ("5434,2231,5434,2136", ["5434", "2231", "2136"]),
    ):
        browser.get(f"{base}/widget?soc={soc}")
        WebDriverWait(browser, 30).until(
            lambda d: d.execute_script("return document.body.dataset.ready")
        )
        cards = browser.find_elements(By.CSS_SELECTOR, "#cards .card")
        assert [c.get_attribute("data-soc") for c in cards] == expected
        assert page_params(browser)["soc"] == ",".join(expected)


def chart_note(browser) -> str:
    notes = browser.find_elements(By.CSS_SELECTOR, "#chart-view .chart-note")
    return notes[0].text if notes else ""


def test_charts_say_what_they_leave_out(browser, base):
    """Regression: bar charts dropped rows past 15 and columns past 8, line charts
    rows past 8, without a word on the chart."""
    browser.get(
        f"{base}/?cube=ashe_pay&measure=mean_pay&rows=occupation:soc2&columns=region:region&view=chart"
    )
    wait_render(browser, 0)
    api = requests.get(
        f"{base}/cube/ashe_pay/crosstab",
        params={"rows": "occupation:soc2", "columns": "region:region", "measure": "mean_pay"},
        timeout=30,
    ).json()
    n_rows, n_cols = len(api["rows"]["members"]), len(api["columns"]["members"])
    assert n_rows > 15 and n_cols > 8
    note = chart_note(browser)
    assert f"first 15 of {n_rows} rows" in note and f"first 8 of {n_cols} columns" in note
    shot(browser, "explorer-chart-note")

    browser.get(
        f"{base}/?cube=working_futures&measure=employment&rows=occupation:soc2&columns=year&view=chart"
    )
    wait_render(browser, 0)
    assert len(browser.find_elements(By.CSS_SELECTOR, "#chart-view svg path.history")) == 8
    assert f"first 8 of {n_rows} rows" in chart_note(browser)

    browser.get(
        f"{base}/?cube=ashe_pay&measure=mean_pay&rows=occupation:soc1&columns=region:nation&view=chart"
    )
    wait_render(browser, 0)
    assert chart_note(browser) == ""  # nothing left out, nothing said


def test_chart_axis_ticks_are_round_numbers(browser, base):
    """Regression: ticks were max/4 steps (e.g. 0, 246.75 → "247", 494, ...)."""
    for url in (
        "/?cube=ashe_pay&measure=mean_pay&rows=occupation:soc1&view=chart",
        "/?cube=ashe_pay&measure=employment&rows=occupation:soc1&columns=region:nation&view=chart",
        "/?cube=working_futures&measure=employment_change&rows=occupation:soc1&view=chart",
        "/?cube=working_futures&measure=employment&rows=occupation:soc1&columns=year&view=chart",
    ):
        browser.get(base + url)
        wait_render(browser, 0)
        ticks = browser.find_elements(By.CSS_SELECTOR, "#chart-view svg text.tick")  # the y axis
        values = [float(t.text.replace(",", "")) for t in ticks]
        assert len(values) >= 3, url
        steps = {round(b - a, 9) for a, b in itertools.pairwise(values)}
        assert len(steps) == 1, (url, values)  # evenly spaced
        (step,) = steps
        mantissa = step / 10 ** math.floor(math.log10(step))
        assert any(abs(mantissa - m) < 1e-6 for m in (1, 2, 5)), (url, values)
        assert all(abs(v / step - round(v / step)) < 1e-6 for v in values), (url, values)
        drawn = browser.execute_script(  # every chart shows at least 8 rows and 8 columns
            "return lastTable.cells.slice(0, 8).flatMap((r) => r.slice(0, 8))"
            ".map((c) => c.value).filter((v) => typeof v === 'number')"
        )
        assert values[0] <= min(0, *drawn) and values[-1] >= max(0, *drawn), (url, values)


def test_chart_labels_fit_and_show_their_full_text(browser, base):
    """Regression: slanted row labels ran off the chart's left edge and were cut
    at 22 characters with no way to read the rest."""
    browser.get(
        f"{base}/?cube=ashe_pay&measure=mean_pay&rows=occupation:soc3&cut=occupation:2&view=chart"
    )
    wait_render(browser, 0)
    api = requests.get(
        f"{base}/cube/ashe_pay/crosstab",
        params={"rows": "occupation:soc3", "cut": "occupation:2", "measure": "mean_pay"},
        timeout=30,
    ).json()
    wanted = [m["label"] for m in api["rows"]["members"][:15]]
    assert max(len(w) for w in wanted) > 30
    for width in (1300, 390):
        browser.set_window_size(width, 900)
        try:
            box = browser.execute_script(
                "const r = document.querySelector('#chart-view svg').getBoundingClientRect();"
                "return [r.left, r.top, r.right, r.bottom];"
            )
            labels = browser.find_elements(
                By.CSS_SELECTOR, "#chart-view svg text[transform][data-label]"
            )
            assert len(labels) == len(wanted)
            for lab, full in zip(labels, wanted, strict=True):
                shown = browser.execute_script("return arguments[0].firstChild.textContent", lab)
                titles = lab.find_elements(By.TAG_NAME, "title")
                assert titles and titles[0].get_attribute("textContent") == full
                assert shown == full or (shown.endswith("…") and full.startswith(shown[:-1]))
                r = browser.execute_script(
                    "const r = arguments[0].getBoundingClientRect();"
                    "return [r.left, r.top, r.right, r.bottom];",
                    lab,
                )
                assert r[0] >= box[0] - 1 and r[3] <= box[3] + 1, (width, full, r, box)
        finally:
            browser.set_window_size(1300, 900)
    shot(browser, "explorer-chart-labels")
