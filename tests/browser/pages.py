"""Helpers for driving pages in the browser tests."""

from __future__ import annotations

from typing import Any


def click_and_wait(browser: Any, element: Any) -> None:
    """Click a link or submit button and wait until the next page has fully loaded.

    The old page is marked first; the wait ends when a loaded page lacks the mark.
    """
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    browser.execute_script("window.yuntanOldPage = true;")
    element.click()
    WebDriverWait(browser, 30, ignored_exceptions=(WebDriverException,)).until(
        lambda driver: driver.execute_script(
            "return !window.yuntanOldPage && document.readyState === 'complete';"))


def sign_in(browser: Any, base: str, username: str, password: str, next_url: str = "/") -> None:
    """Sign in through the sign-in page (a fresh session) and land on ``next_url``."""
    from selenium.webdriver.common.by import By

    browser.delete_all_cookies()
    browser.get(f"{base}/accounts/login/?next={next_url}")
    browser.find_element(By.ID, "id_username").send_keys(username)
    browser.find_element(By.ID, "id_password").send_keys(password)
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "main button[type=submit]"))
    assert browser.find_element(By.CSS_SELECTOR, "header form span").text == username
