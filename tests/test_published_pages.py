"""The pages on a published cube, in headless Chromium against `lmi-cubes serve`: the widget
labels a figure that estimatePay answers from an imported table with its source."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from official_workbooks import OCCUPATIONS, WF_OCCUPATIONS, WF_YEARS, write_ashe, write_wf
from published_serving import serving_published, workbook_cell
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from lmi_cubes.aggregates.published_choice import ASHE, WF
from lmi_cubes.etl.official.importer import import_files
from support import chromium

REVISED_2136_MEDIAN = 999.9


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, warehouse: Path):
    """Table 14 provisional (the workbook yielded), its revision (SOC 2136's median on the
    All sheet changed) and a Working Futures workbook."""
    directory = tmp_path_factory.mktemp("published")

    def more(target: Path) -> None:
        def revise(book: Any) -> None:
            book["All"]["D16"] = REVISED_2136_MEDIAN

        (directory / "revised").mkdir()
        write_ashe(directory / "revised" / "table14a.xlsx", edit=revise)
        import_files([directory / "revised" / "table14a.xlsx"], target, "revised")
        write_wf(directory / "wf.xlsm")
        import_files([directory / "wf.xlsm"], target, None)

    with serving_published(directory, warehouse, more) as served:
        yield served


@pytest.fixture(scope="module")
def browser():
    with chromium() as driver:
        yield driver


def test_widget_labels_a_published_figure_with_its_source(browser, served) -> None:
    base, _, book = served
    browser.get(f"{base}/widget?soc=2136,2231")
    WebDriverWait(browser, 30).until(
        lambda d: d.execute_script("return document.body.dataset.ready")
    )
    cards = {
        c.get_attribute("data-soc"): c for c in browser.find_elements(By.CSS_SELECTOR, ".card")
    }
    assert set(cards) == {"2136", "2231"}
    (published,) = cards["2136"].find_elements(By.CSS_SELECTOR, "dd[data-source=published]")
    mean = workbook_cell(book, "All", "2136", "F")  # column F: the mean, as printed
    assert published.text.startswith(f"£{mean:,} ")
    source = published.find_element(By.CLASS_NAME, "published-source").text
    assert "Office for National Statistics" in source
    assert "Table 14.1a" in source and "2022 (revised)" in source  # the latest release
    assert "Open Government Licence v3.0" in source
    label = cards["2136"].find_element(
        By.XPATH, ".//dd[@data-source='published']/preceding-sibling::dt[1]"
    )
    assert label.text == "Mean weekly pay 2022"
    assert len(cards["2136"].find_elements(By.CSS_SELECTOR, "dd[data-measure=mean_pay]")) == 1
    # a group the table does not have keeps the modelled figure, with no published source
    assert not cards["2231"].find_elements(By.CSS_SELECTOR, "dd[data-source=published]")
    assert cards["2231"].find_element(By.CSS_SELECTOR, "dd[data-measure=mean_pay]").text


def _renders(browser) -> int:
    return int(browser.execute_script("return Number(document.body.dataset.publishedRenders || 0)"))


def _choose(browser, css: str, value: str) -> None:
    select = browser.find_element(By.CSS_SELECTOR, css)
    if select.get_attribute("value") == value:
        return
    before = _renders(browser)
    Select(select).select_by_value(value)
    WebDriverWait(browser, 30).until(lambda d: _renders(d) > before)


def _options(browser, element_id: str) -> list[str]:
    select = browser.find_element(By.ID, element_id)
    return [o.get_attribute("value") for o in select.find_elements(By.TAG_NAME, "option")]


def _table(browser) -> dict[str, list[Any]]:
    """Row label -> (text, flag, reason) of each cell, as the page shows them."""
    out: dict[str, list[Any]] = {}
    for tr in browser.find_elements(By.CSS_SELECTOR, "#published-table tbody tr"):
        label = tr.find_element(By.TAG_NAME, "th").text
        out[label] = [
            (td.text, td.get_attribute("data-flag"), td.get_attribute("title"))
            for td in tr.find_elements(By.TAG_NAME, "td")
        ]
    return out


def test_explorer_offers_only_published_tables_with_marks_and_provenance(browser, served) -> None:
    base, _, book = served
    browser.get(f"{base}/?cube={ASHE}")
    WebDriverWait(browser, 30).until(
        lambda d: d.execute_script("return document.body.dataset.ready")
    )
    WebDriverWait(browser, 30).until(lambda d: _renders(d) > 0)
    assert ASHE in _options(browser, "cube")
    assert browser.find_element(By.ID, "published-view").is_displayed()
    assert not browser.find_element(By.ID, "table-view").is_displayed()
    # Table 14: occupation at the four SOC levels of its codes, by sex and working pattern
    # (rows printed without a code besides the total, "Not Classified", are the level `other`)
    levels = sorted({f"occupation:soc{len(code)}" for _, code in OCCUPATIONS if code})
    levels += ["occupation:other"] if any(not c for _, c in OCCUPATIONS[1:]) else []
    assert sorted(_options(browser, "published-rows")) == sorted(
        [*levels, "sex", "working_pattern"]
    )
    _choose(browser, "#published-rows", "occupation:soc4")
    assert _options(browser, "published-columns") == ["", "sex", "working_pattern"]
    _choose(browser, "#published-measure", "weekly_pay_gross_median")
    _choose(browser, "#published-filters select[data-dimension=sex]", "male")
    _choose(browser, "#published-filters select[data-dimension=working_pattern]", "part_time")
    shown = _table(browser)
    labels = {code: label for label, code in OCCUPATIONS if len(code) == 4}
    assert set(shown) == set(labels.values())
    for code, label in labels.items():
        written = workbook_cell(book, "Male Part-Time", code, "D")
        ((text, flag, reason),) = shown[label]
        if written == "x":
            assert (text, flag) == ("[x]", "suppressed") and reason.startswith("unreliable")
        else:
            assert (text.replace(",", ""), flag) == (f"{written:g}[?]", "quality_unknown"), code
            assert reason.startswith("quality not known")
    marks = browser.find_element(By.ID, "published-marks").text
    assert "unreliable" in marks and "quality not known" in marks
    _choose(browser, "#published-measure", "weekly_pay_gross_jobs")
    disclosive = [
        c for cells in _table(browser).values() for c in cells if c[2] and "disclosive" in c[2]
    ]
    assert workbook_cell(book, "Male Part-Time", "1116", "C") == ".."
    assert disclosive == [("[x]", "suppressed", "disclosive (withheld by ONS)")]
    provenance = browser.find_element(By.ID, "published-provenance").text
    assert "Office for National Statistics" in provenance and "Table 14.1a" in provenance
    assert "2022 revised" in provenance
    assert provenance.endswith("Open Government Licence v3.0.")
    _choose(browser, "#published-measure", "weekly_pay_gross_median")
    _choose(browser, "#published-columns", "sex")
    heads = [th.text for th in browser.find_elements(By.CSS_SELECTOR, "#published-table thead th")]
    assert heads == ["Occupation", "All employees", "Male", "Female"]
    assert browser.find_element(By.ID, "cube").get_attribute("value") == ASHE
    folder = os.environ.get("LMI_CUBES_SCREENSHOTS")  # opt-in: a test never writes the docs
    if folder:
        browser.save_screenshot(str(Path(folder) / "explorer-published.png"))
    # back to a modelled cube: its view returns
    Select(browser.find_element(By.ID, "cube")).select_by_value("ashe_pay")
    WebDriverWait(browser, 30).until(lambda d: d.find_element(By.ID, "table-view").is_displayed())
    assert not browser.find_element(By.ID, "published-view").is_displayed()


def test_slicer_page_lists_only_cubes_with_a_slicer_model(browser, served) -> None:
    base, _, _ = served
    browser.get(f"{base}/slicer")
    WebDriverWait(browser, 30).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#dimension option")
    )
    assert ASHE not in _options(browser, "cube") and "ashe_pay" in _options(browser, "cube")
    assert not browser.find_elements(By.CSS_SELECTOR, "#view .error")


def test_explorer_editions_and_a_working_futures_table(browser, served) -> None:
    base, _, book = served
    browser.get(f"{base}/?cube={ASHE}&rows=occupation:soc4&measure=weekly_pay_gross_median")
    WebDriverWait(browser, 30).until(lambda d: _renders(d) > 0)
    label = dict((c, n) for n, c in OCCUPATIONS)["2136"]
    editions = _options(browser, "published-edition")
    assert editions[0] == "" and sorted(editions[1:]) == [
        "year:2022|release:provisional",
        "year:2022|release:revised",
    ]
    assert _table(browser)[label][0][0] == f"{REVISED_2136_MEDIAN}[?]"  # latest: revised
    _choose(browser, "#published-edition", "year:2022|release:provisional")
    provisional = workbook_cell(book, "All", "2136", "D")
    assert _table(browser)[label][0][0] == f"{provisional:g}[?]"
    assert "2022 provisional" in browser.find_element(By.ID, "published-provenance").text
    # Working Futures: its own dimensions; gender and status only where a table has them
    before = _renders(browser)
    Select(browser.find_element(By.ID, "cube")).select_by_value(WF)
    WebDriverWait(browser, 30).until(lambda d: _renders(d) > before)
    rows = _options(browser, "published-rows")
    assert "year" in rows and "occupation:soc_major" in rows and "sex" not in rows
    _choose(browser, "#published-measure", "employment")
    _choose(browser, "#published-rows", "occupation:soc_major")
    _choose(browser, "#published-columns", "year")
    heads = [th.text for th in browser.find_elements(By.CSS_SELECTOR, "#published-table thead th")]
    assert heads[1:] == [str(y) for y in WF_YEARS]
    filters = browser.find_elements(By.CSS_SELECTOR, "#published-filters select")
    assert {f.get_attribute("data-dimension") for f in filters} == {"gender", "status"}
    _choose(browser, "#published-filters select[data-dimension=gender]", "female")
    assert not browser.find_elements(By.CSS_SELECTOR, "#published-table .error")
    assert list(_table(browser)) == list(WF_OCCUPATIONS)
    assert "Department for Education" in browser.find_element(By.ID, "published-provenance").text
