"""A careers page written for the original LMI for All API, pointed at `lmi-cubes serve`,
works in headless Chromium (JSONP, fetch with a signature header, the empty-200 quirk)."""

from __future__ import annotations

from pathlib import Path

import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from test_browser import browser  # noqa: F401  (the shared headless Chromium fixture)

from support import serving

PAGE = Path(__file__).parent / "lmi4all_client" / "careers.html"


def test_original_client_works_against_this_server(browser, warehouse):  # noqa: F811
    with serving(warehouse) as base:
        browser.get(f"{PAGE.as_uri()}?base={base}")
        wait = WebDriverWait(browser, 30)
        # the page asks for pay, hours and the outlook at once: wait for every answer
        wait.until(
            lambda d: (
                d.find_element(By.ID, "pay").text
                and d.find_element(By.ID, "hours").text
                and d.find_element(By.ID, "missing").text
            )
        )
        wait.until(lambda d: d.execute_script("return document.body.dataset.wf") == "1")
        api = f"{base}/api/v1"
        jobs = requests.get(f"{api}/soc/search", params={"q": "plumber"}, timeout=30).json()
        items = [li.text for li in browser.find_elements(By.CSS_SELECTOR, "#results li")]
        assert items[0].startswith("5314 Plumbers") and len(items) == len(jobs)
        pay = requests.get(
            f"{api}/ashe/estimatePay",
            params={"soc": 5314, "coarse": "true", "filters": "region:1"},
            timeout=30,
        ).json()
        latest = pay["series"][-1]
        expected = f"{pay['soc']}:{latest['year']}:{latest['estpay']}:{latest['estpay'] * 52}"
        assert browser.find_element(By.ID, "pay").text == expected
        hours = requests.get(f"{api}/ashe/estimateHours?soc=5314&coarse=true", timeout=30).json()
        assert browser.find_element(By.ID, "hours").text == str(hours["series"][0]["hours"])
        wf = requests.get(f"{api}/wf/predict?soc=5314&minYear=2025&maxYear=2027", timeout=30)
        outlook = [li.text for li in browser.find_elements(By.CSS_SELECTOR, "#outlook li")]
        assert outlook == [
            f"{p['year']}:{p['employment']}" for p in wf.json()["predictedEmployment"]
        ]
        assert outlook
        assert browser.find_element(By.ID, "missing").text == "not found"
