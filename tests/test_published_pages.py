"""The pages on a published cube, in headless Chromium against `lmi-cubes serve`: the widget
labels a figure that estimatePay answers from an imported table with its source."""

from __future__ import annotations

from pathlib import Path

import pytest
from published_serving import serving_published, workbook_cell
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, warehouse: Path):
    with serving_published(tmp_path_factory.mktemp("published"), warehouse) as served:
        yield served


@pytest.fixture(scope="module")
def browser():
    assert Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists(), (
        "browser tests need Debian's chromium and chromium-driver"
    )
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--window-size=1300,900"):  # fmt: skip
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


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
    assert "Table 14.1a" in source and "2022 (provisional)" in source
    assert "Open Government Licence v3.0" in source
    label = cards["2136"].find_element(
        By.XPATH, ".//dd[@data-source='published']/preceding-sibling::dt[1]"
    )
    assert label.text == "Mean weekly pay 2022"
    assert len(cards["2136"].find_elements(By.CSS_SELECTOR, "dd[data-measure=mean_pay]")) == 1
    # a group the table does not have keeps the modelled figure, with no published source
    assert not cards["2231"].find_elements(By.CSS_SELECTOR, "dd[data-source=published]")
    assert cards["2231"].find_element(By.CSS_SELECTOR, "dd[data-measure=mean_pay]").text
