"""A rule pack in a real browser: read it in Chinese, switch to English, try the data
collection form, then (signed in) check a filled Excel template."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from pages import click_and_wait

from tests.rules.rules_fixtures import VARIANTS
from yuntan.formats.excel import write_template
from yuntan.platform.rulepacks.actions import load_shipped_rule_packs
from yuntan.rules import get_pack

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_pack_is_read_switched_to_english_filled_in_and_checked(
    browser: Any, live_server: Any, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    load_shipped_rule_packs()
    coffee = get_pack("coffee", "1.0.0")
    data = VARIANTS[("coffee", "roasted")]
    browser.delete_all_cookies()

    browser.get(f"{live_server.url}/rules/coffee/1.0.0/")
    assert browser.find_element(By.TAG_NAME, "h1").text == "咖啡产品碳足迹核算规则"
    assert "数据收集规范" in browser.page_source
    assert browser.find_elements(By.CSS_SELECTOR, ".badge-placeholder")

    Select(browser.find_element(By.ID, "language")).select_by_value("en")
    click_and_wait(browser, browser.find_element(
        By.CSS_SELECTOR, "header form[action='/i18n/setlang/'] button"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Carbon footprint rules for coffee"
    assert "Data collection specification" in browser.page_source

    click_and_wait(browser, browser.find_element(
        By.CSS_SELECTOR, "a.form[href$='variant=roasted']"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Data collection form"
    for field_id, (amount, unit) in data.items():
        browser.find_element(By.NAME, field_id).send_keys(f"{amount:g}")
        Select(browser.find_element(By.NAME, f"{field_id}__unit")).select_by_value(unit)
    click_and_wait(browser, browser.find_element(By.ID, "check-form"))

    assert browser.find_element(By.ID, "collected").text == "Activity data read"
    row = browser.find_element(By.CSS_SELECTOR, "tr[data-field='cherry_input']")
    assert "Cherries processed" in row.text and "60000 kg" in row.text

    # Signed in, the same data as an Excel template passes the check too.
    client = Client()
    client.force_login(User.objects.create_user("dana"))
    browser.add_cookie({"name": "sessionid", "value": client.cookies["sessionid"].value})
    filled = tmp_path / "coffee-roasted.xlsx"
    write_template(coffee, filled, "roasted", data)
    browser.get(f"{live_server.url}/rules/coffee/1.0.0/check/")
    browser.find_element(By.NAME, "workbook").send_keys(str(filled))
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "main button[type=submit]"))

    assert browser.find_element(By.ID, "collected").text == "Activity data read"
    assert browser.find_elements(By.CSS_SELECTOR, "tr[data-field='roasted_coffee_output']")
