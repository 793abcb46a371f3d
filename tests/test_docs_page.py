"""The /docs page in headless Chromium: every form starts on values that work, sending
answers from the API (never an HTML error page), and every parameter is described."""

from __future__ import annotations

import json

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from support import chromium, serving

# each of these answers 200 when sent exactly as the page starts
MUST_ANSWER = (
    "/cube/{cube}/crosstab",
    "/cube/{cube}/aggregate",
    "/cube/{cube}/members/{dimension}",
    "/cube/{cube}/model",
    "/cube/{cube}/cell",
    "/cubes",
    "/info",
    "/api/v1/soc/search",
    "/api/v1/ashe/estimatePay",
)


@pytest.fixture(scope="module")
def base(warehouse):
    with serving(warehouse) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium() as driver:
        yield driver


def test_every_form_starts_on_a_cube_and_sending_answers_from_the_api(browser, base):
    document = requests.get(f"{base}/openapi.json", timeout=30).json()
    browser.get(f"{base}/docs")
    WebDriverWait(browser, 30).until(
        lambda d: d.execute_script("return document.body.dataset.ready")
    )
    sections = {
        s.get_attribute("data-path"): s
        for s in browser.find_elements(By.CSS_SELECTOR, "section.op")
    }
    assert set(sections) == {p for p, item in document["paths"].items() if "get" in item}
    statuses = {}
    for path, section in sections.items():
        # every parameter is on the page with its description
        described = {
            r.find_element(By.TAG_NAME, "code").text: r.find_element(
                By.CLASS_NAME, "description"
            ).text
            for r in section.find_elements(By.CSS_SELECTOR, "tr.param")
        }
        for p in document["paths"][path]["get"].get("parameters", []):
            assert p["name"] in described, (path, p["name"])
            assert described[p["name"]], (path, p["name"])
            if p.get("description"):
                assert p["description"] in described[p["name"]]
        for select in section.find_elements(By.CSS_SELECTOR, "select[data-in=path]"):
            assert select.get_attribute("value"), (path, select.get_attribute("name"))
        if "{cube}" in path:  # the modelled cubes' forms start on ashe_pay, the published
            cube = section.find_element(By.CSS_SELECTOR, "select[name=cube]")
            first = "ashe_published" if path.startswith("/published/") else "ashe_pay"
            assert cube.get_attribute("value") == first, path
        answer = section.find_element(By.CSS_SELECTOR, "pre.answer")
        browser.execute_script("arguments[0].scrollIntoView()", section)
        section.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        WebDriverWait(browser, 60).until(
            lambda _, a=answer: a.get_attribute("data-status") == "done"
        )
        text = answer.text
        status, _, rest = text.partition(" ")
        statuses[path] = int(status)
        body = rest.partition("\n\n")[2].lstrip()
        assert "<html" not in body.lower() and "werkzeug" not in body.lower(), (path, text[:300])
        if statuses[path] >= 400:
            assert json.loads(body)["error"], (path, text[:300])
    for path in MUST_ANSWER:
        assert statuses[path] == 200, (path, statuses[path])
