"""The skeleton's pages in a real browser: language, switch, health, API docs offline."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def _requested_hosts(browser: Any) -> set[str]:
    hosts = set()
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            url = message["params"]["request"]["url"]
            if url.startswith("http"):
                hosts.add(urlparse(url).hostname or "")
    return hosts


def test_the_home_page_is_chinese_first_and_switches_to_english(
    browser: Any, live_server: Any
) -> None:
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    browser.delete_all_cookies()
    browser.get(live_server.url + "/")

    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-hans"
    assert "云南省产品碳足迹管理平台" in browser.find_element(By.TAG_NAME, "h1").text

    Select(browser.find_element(By.ID, "language")).select_by_value("en")
    browser.find_element(By.CSS_SELECTOR, "header form[action='/i18n/setlang/'] button").click()
    # The click returns before the next page has loaded: wait for it.
    WebDriverWait(browser, 20, ignored_exceptions=(WebDriverException,)).until(
        lambda driver: driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en")

    heading = browser.find_element(By.TAG_NAME, "h1").text
    assert "Yunnan product carbon footprint platform" in heading
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"


def test_the_health_page_reports_the_database(browser: Any, live_server: Any) -> None:
    from selenium.webdriver.common.by import By

    browser.delete_all_cookies()
    browser.get(live_server.url + "/health/")

    assert browser.find_elements(By.CSS_SELECTOR, ".status-ok")
    assert browser.find_elements(By.CSS_SELECTOR, ".status-error") == []


def test_the_api_docs_render_without_leaving_the_server(browser: Any, live_server: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get_log("performance")  # drop what earlier pages logged
    browser.get(live_server.url + "/api/docs")

    # (Swagger UI re-renders its header once loaded: wait for the text, which tolerates the
    # element being replaced, rather than holding on to the first one.)
    assert WebDriverWait(browser, 20).until(ec.text_to_be_present_in_element(
        (By.CSS_SELECTOR, ".swagger-ui .info"), "Yuntan API"))
    assert _requested_hosts(browser) <= {urlparse(live_server.url).hostname}
